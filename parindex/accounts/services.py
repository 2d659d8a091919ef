"""Writes for user accounts: create, edit roles and scopes, deactivate, import from CSV."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from parindex.accounts.models import UNIT_ROLES, Role, RoleAssignment, User, scope_units
from parindex.core import audit
from parindex.documents import tables

RoleSpec = tuple[str, int | None]  # (role, unit id or None)

CSV_HEADER = ["username", "full_name", "email", "role", "unit_code"]


class ImportFailed(Exception):
    """An import was refused as a whole; `problems` lists every row's error."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


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
    """Create an account with its roles; without a password the person sets one from an e-mail."""
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
    if user.is_active != is_active:
        user.is_active = is_active
        user.save(update_fields=["is_active"])
        action = "user.reactivated" if is_active else "user.deactivated"
        audit.record(user, action, by=by, old=not is_active, new=is_active, reason=reason)
    return user


def send_set_password_email(*, user: User, base_url: str) -> bool:
    """E-mail a one-time link with which the person chooses their password."""
    if not user.email:
        return False
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
    `by=None` is the command line, run by whoever operates the server, who may grant any role.
    """
    people, problems = _parse_user_rows(text)
    if problems:
        raise ImportFailed(problems)
    if (
        by is not None
        and not by.role_assignments.filter(role=Role.ADMIN).exists()
        and any((Role.ADMIN, None) in person["roles"] for person in people.values())
    ):
        raise ImportFailed([_("Only an administrator may grant the administrator role.")])
    existing = {user.username: user for user in User.objects.filter(username__in=people)}
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
