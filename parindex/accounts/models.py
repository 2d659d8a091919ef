"""Users and their roles; unit roles are scoped to a unit, appraiser scopes live in rounds."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    PAR_OFFICER = "par_officer", _("PAR officer")
    APPRAISER = "appraiser", _("Appraiser")
    COUNCIL = "council", _("Appraisal council")
    UNIT_EDITOR = "unit_editor", _("Unit editor")
    UNIT_HEAD = "unit_head", _("Unit head")
    VIEWER = "viewer", _("Viewer")


UNIT_ROLES = frozenset({Role.UNIT_EDITOR, Role.UNIT_HEAD})


class User(AbstractUser):
    """A person who logs in. Roles are RoleAssignment rows, so one person may hold several."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)

    # Per-request caches kept on the user object (accounts.permissions, assessments.province).
    _parindex_roles: frozenset[tuple[str, int | None]]
    _parindex_appraisals: frozenset[tuple[int, int, int]]
    _parindex_owned: dict[int, frozenset[int]]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """A role held by a user; unit roles name the unit they act for."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"], name="unique_role_per_user_unit"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(unit__isnull=True),
                name="unique_unscoped_role_per_user",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(role__in=["unit_editor", "unit_head"], unit__isnull=False)
                    | (
                        ~models.Q(role__in=["unit_editor", "unit_head"])
                        & models.Q(unit__isnull=True)
                    )
                ),
                name="unit_roles_have_a_unit",
            ),
        ]

    def __str__(self) -> str:
        if self.unit_id:
            return f"{self.get_role_display()} – {self.unit}"
        return str(self.get_role_display())


def scope_units() -> models.QuerySet:
    """Every unit a unit role can be scoped to.

    accounts sits below units in the layers: it reaches the units' table through its own foreign
    key (`RoleAssignment.unit`, declared by name) and never imports the units app.
    """
    return RoleAssignment._meta.get_field("unit").related_model._default_manager.all()
