from parindex.assessments.tests.fixtures import *  # noqa: F403
