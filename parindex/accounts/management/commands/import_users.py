"""`parindex users import FILE [--dry-run] [--by USERNAME]`: create accounts and add roles from a
CSV or XLSX file.

From the command line accounts with any role may be created (the first administrator), but an
existing administrator's account is changed, or an existing account made an administrator,
only `--by` an active administrator, named in the audit log: the rule of the users page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from parindex.accounts import permissions, services
from parindex.accounts.models import User
from parindex.core.commands import BaseCommand


class Command(BaseCommand):
    help = "Import users from CSV (username,full_name,email,role,unit_code), all or nothing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="a .csv (UTF-8) or .xlsx file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and report, save nothing"
        )
        parser.add_argument(
            "--by",
            metavar="USERNAME",
            help="the account on whose behalf the file is imported (its rights apply; audited)",
        )

    def _actor(self, username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("No active account is named %(u)s.") % {"u": username})
        if not permissions.can_manage_users(user):
            raise CommandError(_("%(u)s may not manage user accounts.") % {"u": username})
        return user

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()  # read, checked and refused by the one table module
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error.strerror}
            ) from error
        by = self._actor(options["by"])
        try:
            report = services.import_users(by=by, text=data, dry_run=options["dry_run"])
        except services.ImportFailed as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(_("Nothing was imported.")) from error
        counts = {"created": len(report.created), "updated": len(report.updated)}
        if options["dry_run"]:
            summary = _(
                "The file is valid: %(created)s accounts would be created and %(updated)s "
                "updated. Nothing was saved."
            )
        else:
            summary = _("Imported: %(created)d created, %(updated)d updated.")
        self.stdout.write(summary % counts)
