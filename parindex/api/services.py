"""Writes of the API app: tokens (create, revoke) and webhook endpoints and deliveries.

Every service is keyword-only, atomic and audited. A token's secret is returned once by
`create_token` and never stored: only its SHA-256 is kept (a random 256-bit key needs no slow
hash). Webhook deliveries are queued here; each attempt is a background job (`webhooks`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from parindex.accounts import permissions
from parindex.accounts.models import User
from parindex.api.models import Delivery, Endpoint, Token
from parindex.api.scopes import Scope
from parindex.core import audit
from parindex.core.refusals import Refused as BaseRefused
from parindex.jobs.models import Job
from parindex.units.models import Unit

TOKEN_PREFIX = "pix_"
MAX_TOKEN_DAYS = 730


class Refused(BaseRefused):
    """The change is not allowed; `problems` says why, `code` which rule."""

    default_code = "api.refused"


@dataclass(frozen=True)
class NewToken:
    """A token just created and its secret, to be shown once."""

    token: Token
    secret: str


def key_digest(secret: str) -> str:
    """The SHA-256 (hex) of a token's secret, the only form in which it is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


def split_secret(secret: str) -> tuple[str, str] | None:
    """(prefix, whole secret) of a well-formed secret `pix_<prefix>_<key>`, else None."""
    match = re.fullmatch(r"pix_([a-z0-9]{8})_[A-Za-z0-9_-]{32,64}", secret.strip())
    return (match.group(1), secret.strip()) if match else None


def _account_for(name: str) -> User:
    """The account a new token acts through: no password, no role, named after the client."""
    base = f"api-{slugify(name)[:40] or 'client'}"
    username = base
    counter = 1
    while User.objects.filter(username=username).exists():
        counter += 1
        username = f"{base}-{counter}"
    user = User(username=username, full_name=f"{name} (API)"[:150])
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def create_token(
    *,
    by: User,
    name: str,
    scopes: Iterable[str],
    expires_on: dt.date,
    units: Iterable[Unit] = (),
    today: dt.date | None = None,
) -> NewToken:
    """Create a token for a named client; the secret in the result is shown once."""
    if not permissions.is_office(by):
        raise Refused(
            _("Only an administrator or a PAR officer may create API tokens."),
            code="api.office_only",
        )
    name = name.strip()
    chosen = sorted(set(scopes))
    today = today or timezone.localdate()
    problems = []
    if not name:
        problems.append(_("Give the client's name."))
    elif Token.objects.filter(name=name).exists():
        problems.append(_("A token for this client already exists."))
    if not chosen:
        problems.append(_("Choose at least one scope."))
    unknown = [scope for scope in chosen if scope not in Scope.values]
    if unknown:
        problems.append(_("Unknown scopes: %(scopes)s.") % {"scopes": ", ".join(unknown)})
    if expires_on <= today:
        problems.append(_("The expiry day must be after today."))
    elif expires_on > today + dt.timedelta(days=MAX_TOKEN_DAYS):
        problems.append(_("A token may be valid for two years at most."))
    if problems:
        raise Refused(problems, code="api.token_invalid")
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    expires_at = timezone.make_aware(dt.datetime.combine(expires_on, dt.time.min))
    token = Token.objects.create(
        name=name,
        prefix=prefix,
        key_sha256=key_digest(secret),
        scopes=chosen,
        expires_at=expires_at,
        user=_account_for(name),
        created_by=by,
    )
    unit_list = list(units)
    token.units.set(unit_list)
    audit.record(
        token,
        "api.token_created",
        by=by,
        new={
            "scopes": chosen,
            "units": sorted(unit.code for unit in unit_list),
            "expires_on": expires_on,
        },
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def revoke_token(*, by: User, token: Token, reason: str = "") -> Token:
    """Stop a token from working at once (it stays listed, with who revoked it and when)."""
    if not permissions.is_office(by):
        raise Refused(
            _("Only an administrator or a PAR officer may revoke API tokens."),
            code="api.office_only",
        )
    token = Token.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise Refused(_("This token is already revoked."), code="api.already_revoked")
    token.revoked_at = timezone.now()
    token.revoked_by = by
    token.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    audit.record(token, "api.token_revoked", by=by, reason=reason)
    return token


def touch_token(token: Token) -> None:
    """Note the token's last use (at most once a minute, so a busy client costs no writes)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        Token.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def record_call(token: Token, *, method: str, path: str, status: int, address: str) -> None:
    """Audit one API call under the token's name."""
    audit.record_event(
        "api.call",
        by=token.user,
        object_type="api.token",
        object_id=str(token.pk),
        object_repr=token.name,
        new={"method": method, "path": path[:300], "status": status, "address": address},
    )


# --- webhooks ------------------------------------------------------------------------------------


def new_secret() -> str:
    """A fresh signing secret for an endpoint."""
    return f"whsec_{secrets.token_urlsafe(32)}"


@transaction.atomic
def create_endpoint(*, by: User, name: str, url: str, events: Iterable[str]) -> Endpoint:
    """Register a URL that receives signed events; its secret is shown on its page."""
    if not permissions.is_office(by):
        raise Refused(
            _("Only an administrator or a PAR officer may add webhooks."), code="api.office_only"
        )
    chosen = sorted(set(events))
    if not chosen or any(event not in Endpoint.Event.values for event in chosen):
        raise Refused(_("Choose the events to send."), code="api.endpoint_invalid")
    if not url.startswith(("https://", "http://")):
        raise Refused(_("The URL must start with https://."), code="api.endpoint_invalid")
    name = name.strip()
    if not name or Endpoint.objects.filter(name=name).exists():
        raise Refused(
            _("Give the endpoint a name no other endpoint has."), code="api.endpoint_invalid"
        )
    endpoint = Endpoint.objects.create(
        name=name, url=url, secret=new_secret(), events=chosen, created_by=by
    )
    audit.record(endpoint, "api.webhook_created", by=by, new={"url": url, "events": chosen})
    return endpoint


@transaction.atomic
def set_endpoint_active(*, by: User, endpoint: Endpoint, is_active: bool) -> Endpoint:
    """Pause or resume an endpoint (paused: no new deliveries are queued for it)."""
    if endpoint.is_active != is_active:
        endpoint.is_active = is_active
        endpoint.save(update_fields=["is_active", "updated_at"])
        audit.record(endpoint, "api.webhook_active", by=by, old=not is_active, new=is_active)
    return endpoint


def queue_event(event: str, key: str, payload: dict[str, Any]) -> list[Delivery]:
    """Queue one event for every active endpoint that subscribed to it (once per key), each
    delivery's first attempt a background job that runs once the current transaction commits."""
    from parindex.api import webhooks

    queued = []
    for endpoint in Endpoint.objects.filter(is_active=True):
        if event not in endpoint.events:
            continue
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(
                    endpoint=endpoint,
                    event=event,
                    key=key[:120],
                    payload=payload,
                    next_attempt_at=timezone.now(),
                )
        except IntegrityError:  # already told
            continue
        queued.append(delivery)
        webhooks.enqueue(delivery)
    return queued


@transaction.atomic
def replay_delivery(*, by: User, delivery: Delivery) -> Job:
    """Send a delivery again now (the office, after the other system was fixed): a background
    job whose page shows the answer. A retry already queued for later then does nothing."""
    from parindex.api import webhooks

    delivery.status = Delivery.Status.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "next_attempt_at"])
    audit.record(delivery, "api.webhook_replayed", by=by, new={"attempts": delivery.attempts})
    return webhooks.enqueue(delivery, by=by)
