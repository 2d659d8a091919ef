from parindex.monitoring.tests.fixtures import *  # noqa: F403
