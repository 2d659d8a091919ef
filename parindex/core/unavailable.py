"""A Vietnamese 503 instead of a traceback when the database is busy or the disk is full.

SQLite answers "database is locked" once its busy timeout (a few seconds, see settings) passes
while another process writes; PostgreSQL gives up on a lock timeout or a deadlock; either database
and file writes fail with "no space left" when the disk or the quota is full. None of these is a
bug: the request changed nothing (its transaction rolled back) and can be tried again, so the user
gets a 503 with Retry-After and a message saying so. `ServiceUnavailableMiddleware` catches them in
views; `server_error` (handler500) calls `response_for` too, for failures outside a view such as
saving the session after the login view.
"""

from __future__ import annotations

import enum
import errno
import logging
from collections.abc import Callable

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
# PostgreSQL SQLSTATEs: disk_full, lock_not_available, deadlock_detected, serialization_failure,
# and the connection classes (08…) and cannot_connect_now / admin shutdown (57P…).
FULL_STATES = {"53100"}
BUSY_STATES = {"55P03", "40P01", "40001"}
DOWN_STATE_PREFIXES = ("08", "57P")


class Reason(enum.Enum):
    BUSY = "busy"
    FULL = "full"
    DOWN = "down"


RETRY_AFTER_SECONDS = {Reason.BUSY: 5, Reason.FULL: 300, Reason.DOWN: 30}


def reason_for(exception: BaseException) -> Reason | None:
    """Why a failure is temporary and not a bug, or None for anything else (a real 500)."""
    if isinstance(exception, OSError) and exception.errno in FULL_ERRNOS:
        return Reason.FULL
    if not isinstance(exception, OperationalError | InterfaceError):
        return None
    cause = exception.__cause__
    state = getattr(cause, "sqlstate", None) or ""
    text = str(exception).lower()
    if state in FULL_STATES or "disk is full" in text or "no space left" in text:
        return Reason.FULL
    if state in BUSY_STATES or "database is locked" in text or "database table is locked" in text:
        return Reason.BUSY
    if state.startswith(DOWN_STATE_PREFIXES) or isinstance(exception, InterfaceError):
        return Reason.DOWN
    if "connection" in text and ("refused" in text or "closed" in text or "failed" in text):
        return Reason.DOWN
    if "unable to open database file" in text:
        return Reason.DOWN
    return None


def messages_for(reason: Reason) -> tuple[str, str]:
    """(heading, message) for the 503 page, in the request's language."""
    if reason is Reason.FULL:
        return (
            _("The system cannot store data at the moment"),
            _(
                "The server has run out of storage space, so nothing was saved. Please tell the "
                "system administrator; what was saved before is safe."
            ),
        )
    if reason is Reason.DOWN:
        return (
            _("The system is unavailable for a moment"),
            _(
                "The database cannot be reached at the moment, so nothing was saved. Please try "
                "again in a few minutes."
            ),
        )
    return (
        _("The system is busy"),
        _(
            "The system is busy with another change, so yours was not saved. Please try again "
            "in a few seconds."
        ),
    )


def response_for(request: HttpRequest, exception: BaseException | None) -> HttpResponse | None:
    """The 503 page for a temporary failure, or None if `exception` is something else."""
    reason = reason_for(exception) if exception is not None else None
    if reason is None:
        return None
    logger.warning("503 (%s) for %s %s: %s", reason.value, request.method, request.path, exception)
    heading, message = messages_for(reason)
    # No context processors: the database may be what failed.
    html = loader.render_to_string("503.html", {"heading": heading, "message": message})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS[reason])
    response["Cache-Control"] = "no-store"
    return response


class ServiceUnavailableMiddleware:
    """Turn a busy database, an unreachable one or a full disk in a view into the 503 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OSError | DatabaseError):
            return response_for(request, exception)
        return None
