"""Writes for user accounts: create, edit roles and scopes, deactivate, import from CSV.

Only an administrator may change an administrator's account (name, e-mail, active flag, roles,
password link) or give or take away the administrator role, whoever calls: the pages, the CSV
import, the command line (`by=None`, which may only create accounts) and any future API. Nobody
may deactivate or demote the last active administrator.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from parindex.accounts import permissions
from parindex.accounts.models import UNIT_ROLES, Role, RoleAssignment, User, scope_units
from parindex.core import audit
from parindex.core.refusals import Refused
from parindex.documents import tables

RoleSpec = tuple[str, int | None]  # (role, unit id or None)

CSV_HEADER = ["username", "full_name", "email", "role", "unit_code"]


class AccountRefused(Refused, PermissionDenied):
    """A change to an account that the acting person may not make; the message says why."""

    default_code = "account.refused"


ADMIN_ROLE: RoleSpec = (Role.ADMIN.value, None)


def _is_admin(by: User | None) -> bool:
    return by is not None and permissions.is_admin(by)


def _check_may_change(by: User | None, account: User) -> None:
    """Refuse any change to an administrator's account by someone who is not an administrator."""
    if permissions.is_admin_account(account) and not _is_admin(by):
        raise AccountRefused(
            _("Only an administrator may change an administrator's account."),
            code="account.admin_only",
        )


def _check_keeps_an_admin(account: User, *, stays_admin: bool) -> None:
    """Refuse to deactivate or demote the last active administrator."""
    admins = RoleAssignment.objects.select_for_update().filter(
        role=Role.ADMIN, user__is_active=True
    )
    holders = set(admins.values_list("user_id", flat=True))
    if not stays_admin and holders == {account.pk}:
        raise AccountRefused(
            _(
                "This is the last active administrator: give another account the administrator "
                "role first."
            ),
            code="account.last_admin",
        )


class ImportFailed(Refused):
    """An import was refused as a whole; `problems` lists every row's error."""

    default_code = "accounts.import_failed"


def _role_list(specs: Iterable[RoleSpec]) -> list[str]:
    return sorted(f"{role}@{unit}" if unit else role for role, unit in specs)


def _set_roles(user: User, specs: set[RoleSpec]) -> tuple[list[str], list[str]]:
    """Make the user's role assignments exactly `specs`; return (old, new) for the audit."""
    current = set(user.role_assignments.values_list("role", "unit_id"))
    for role, unit_id in current - specs:
        user.role_assignments.filter(role=role, unit_id=unit_id).delete()
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=role, unit_id=unit_id) for role, unit_id in specs - current
    )
    user.__dict__.pop("_parindex_roles", None)
    return _role_list(current), _role_list(specs)


@transaction.atomic
def create_user(
    *,
    by: User | None,
    username: str,
    full_name: str,
    email: str,
    roles: set[RoleSpec],
    password: str | None = None,
) -> User:
    """Create an account with its roles; without a password the person sets one from an e-mail.

    The administrator role is given by an administrator, or from the command line (`by=None`:
    how the first administrator is created).
    """
    if ADMIN_ROLE in roles and by is not None and not _is_admin(by):
        raise AccountRefused(
            _("Only an administrator may grant the administrator role."),
            code="account.admin_role_reserved",
        )
    user = User(username=username, full_name=full_name, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    _old, new_roles = _set_roles(user, roles)
    audit.record(
        user,
        "user.created",
        by=by,
        new={"username": username, "full_name": full_name, "email": email, "roles": new_roles},
    )
    return user


@transaction.atomic
def update_user(
    *,
    by: User | None,
    user: User,
    full_name: str,
    email: str,
    is_active: bool,
    roles: set[RoleSpec],
) -> User:
    """Change a person's name, e-mail, active flag and roles; record what changed."""
    _check_may_change(by, user)
    was_admin = (Role.ADMIN.value, None) in set(
        user.role_assignments.values_list("role", "unit_id")
    )
    if ADMIN_ROLE in roles and not was_admin and not _is_admin(by):
        raise AccountRefused(
            _("Only an administrator may grant the administrator role."),
            code="account.admin_role_reserved",
        )
    if was_admin and user.is_active:
        _check_keeps_an_admin(user, stays_admin=is_active and ADMIN_ROLE in roles)
    values = {"full_name": full_name, "email": email, "is_active": is_active}
    old, new = audit.changes(user, list(values), values)
    for field, value in values.items():
        setattr(user, field, value)
    user.save(update_fields=list(values))
    old_roles, new_roles = _set_roles(user, roles)
    if old_roles != new_roles:
        old["roles"], new["roles"] = old_roles, new_roles
    if old or new:
        audit.record(user, "user.updated", by=by, old=old, new=new)
    return user


@transaction.atomic
def set_user_active(*, by: User, user: User, is_active: bool, reason: str = "") -> User:
    """Deactivate (or reactivate) an account; a deactivated person can no longer log in."""
    _check_may_change(by, user)
    if user.is_active and not is_active and user.role_assignments.filter(role=Role.ADMIN).exists():
        _check_keeps_an_admin(user, stays_admin=False)
    if user.is_active != is_active:
        user.is_active = is_active
        user.save(update_fields=["is_active"])
        action = "user.reactivated" if is_active else "user.deactivated"
        audit.record(user, action, by=by, old=not is_active, new=is_active, reason=reason)
    return user


def send_set_password_email(*, by: User | None, user: User, base_url: str) -> bool:
    """E-mail a one-time link with which the person chooses their password (audited)."""
    _check_may_change(by, user)
    if not user.email:
        return False
    audit.record(user, "user.password_link_sent", by=by, new={"email": user.email})
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = base_url + reverse("accounts:password_reset_confirm", args=[uid, token])
    send_mail(
        _("Your parindex account"),
        _(
            "Hello %(name)s,\n\nAn account named %(username)s was created for you in parindex. "
            "Choose your password here:\n%(link)s\n"
        )
        % {"name": user, "username": user.username, "link": link},
        None,
        [user.email],
    )
    return True


@dataclass
class ImportReport:
    created: list[str]
    updated: list[str]


def _parse_user_rows(text: str | bytes) -> tuple[dict[str, dict], list[str]]:
    """Read the users file into {username: {full_name, email, roles}}, collecting every problem."""
    problems: list[str] = []
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        lines = tables.read_lines(data)
    except tables.TableError as error:
        return {}, [error.message]
    header = lines[0] if lines else None
    if header is None or [cell.strip().lower() for cell in header] != CSV_HEADER:
        return {}, [_("The header must be: %(header)s") % {"header": ",".join(CSV_HEADER)}]
    units = dict(scope_units().values_list("code", "id"))
    role_codes = {choice.value for choice in Role}
    people: dict[str, dict] = {}
    for line, row in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(CSV_HEADER):
            problems.append(
                _("Row %(row)d: expected 5 columns, found %(n)d.") % {"row": line, "n": len(row)}
            )
            continue
        username, full_name, email, role, unit_code = (cell.strip() for cell in row)
        row_problems = []
        if not username:
            row_problems.append(_("the username is empty"))
        elif not User.username_validator.regex.match(username):  # type: ignore[union-attr]  # compiled: a Pattern
            row_problems.append(
                _("the username %(u)s has characters that are not allowed") % {"u": username}
            )
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row_problems.append(_("the e-mail %(e)s is not valid") % {"e": email})
        if role not in role_codes:
            row_problems.append(_("the role %(r)s does not exist") % {"r": role})
        unit_id = None
        if role in UNIT_ROLES:
            if not unit_code:
                row_problems.append(_("the role %(r)s needs a unit code") % {"r": role})
            elif unit_code not in units:
                row_problems.append(_("the unit code %(c)s does not exist") % {"c": unit_code})
            else:
                unit_id = units[unit_code]
        elif unit_code:
            row_problems.append(_("the role %(r)s takes no unit code") % {"r": role})
        person = people.setdefault(
            username, {"full_name": full_name, "email": email, "roles": set()}
        )
        if (person["full_name"], person["email"]) != (full_name, email):
            row_problems.append(
                _("the name or e-mail differs from an earlier row of the same user")
            )
        for problem in row_problems:
            problems.append(_("Row %(row)d: %(problem)s.") % {"row": line, "problem": problem})
        if not row_problems:
            person["roles"].add((role, unit_id))
    if not people and not problems:
        problems.append(_("The file has no user rows."))
    return people, problems


@transaction.atomic
def import_users(*, by: User | None, text: str | bytes, dry_run: bool = False) -> ImportReport:
    """Create or update users from a CSV or XLSX file (its bytes, or CSV text) with the columns
    `username,full_name,email,role,unit_code`, all or nothing.

    Roles listed in the file are added to existing users; roles they already hold are kept.
    `by=None` is the command line: it may create accounts with any role (the first
    administrator), but changing an existing administrator's account, or making an existing
    account an administrator, needs an administrator (`parindex users import --by`).
    """
    people, problems = _parse_user_rows(text)
    if problems:
        raise ImportFailed(problems)
    existing = {user.username: user for user in User.objects.filter(username__in=people)}
    problems = _admin_problems(by, people, existing) + _case_problems(people, existing)
    if problems:
        raise ImportFailed(problems)
    report = ImportReport(created=[], updated=[])
    for username, person in people.items():
        if username in existing:
            user = existing[username]
            roles = set(user.role_assignments.values_list("role", "unit_id")) | person["roles"]
            update_user(
                by=by,
                user=user,
                full_name=person["full_name"] or user.full_name,
                email=person["email"] or user.email,
                is_active=user.is_active,
                roles=roles,
            )
            report.updated.append(username)
        else:
            create_user(
                by=by,
                username=username,
                full_name=person["full_name"],
                email=person["email"],
                roles=person["roles"],
            )
            report.created.append(username)
    if dry_run:
        transaction.set_rollback(True)
    return report


def _admin_problems(
    by: User | None, people: dict[str, dict], existing: dict[str, User]
) -> list[str]:
    """The rows an importer who is not an administrator may not apply, one problem per account."""
    if _is_admin(by):
        return []
    admins = {
        *RoleAssignment.objects.filter(role=Role.ADMIN, user__in=existing.values()).values_list(
            "user__username", flat=True
        ),
        *(username for username, account in existing.items() if account.is_superuser),
    }
    problems = []
    for username, person in people.items():
        account = existing.get(username)
        if username in admins:
            problems.append(
                _("The account %(u)s is an administrator's: only an administrator may change it.")
                % {"u": username}
            )
        elif ADMIN_ROLE in person["roles"] and (account is not None or by is not None):
            problems.append(
                _("Only an administrator may grant the administrator role (%(u)s).")
                % {"u": username}
            )
    return problems


def _case_problems(people: dict[str, dict], existing: dict[str, User]) -> list[str]:
    """New usernames that differ only in case from an existing account (a look-alike)."""
    new = {username.lower(): username for username in people if username not in existing}
    clashes = (
        User.objects.annotate(lowered=Lower("username"))
        .filter(lowered__in=new)
        .values_list("lowered", "username")
    )
    return [
        _("The username %(u)s differs only in case from the existing account %(existing)s.")
        % {"u": new[lowered], "existing": username}
        for lowered, username in clashes
    ]


# --- authentication events (the login's own are recorded in lockout.py) ------------------------


def record_password_changed(*, user: User, address: str | None) -> None:
    """Audit that a person changed their own password."""
    audit.record(user, "auth.password_changed", by=user, new={"address": address})


def record_password_reset_requested(*, email: str, users: list[User], address: str | None) -> None:
    """Audit a request for a reset link: one entry per account it was sent to, or one if none."""
    details = {"email": email, "address": address}
    for user in users:
        audit.record(user, "auth.password_reset_requested", by=None, new=details)
    if not users:
        audit.record_event(
            "auth.password_reset_requested",
            by=None,
            object_type=User._meta.label_lower,
            object_id="",
            object_repr=email,
            new={**details, "sent": False},
        )


def record_password_reset(*, user: User, address: str | None) -> None:
    """Audit that a person chose a new password from an e-mailed link."""
    audit.record(user, "auth.password_reset", by=None, new={"address": address})
