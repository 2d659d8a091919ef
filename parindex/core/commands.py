"""The base class of parindex's management commands (`parindex publish`, `parindex scores
import`…): the system checks they run before starting leave out the URL configuration.

Checking the URLs imports every view and with them the libraries only pages need (documents,
charts, the API, single sign-on): about a second of every command's start on a 2-core machine,
before any work (issue 15). The servers, `parindex check` and the tests still check them.
"""

from __future__ import annotations

from django.core import checks
from django.core.management import base

# Django's tags but `urls`: models, database, caches, security, templates, translation…
CHECKS = [
    tag
    for name, tag in vars(checks.Tags).items()
    if not name.startswith("_") and tag != checks.Tags.urls
]


class BaseCommand(base.BaseCommand):
    requires_system_checks = CHECKS
