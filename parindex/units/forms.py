"""Forms of the unit registry: filters, units, tiers, peer groups, imports, unit accounts and the
five kinds of reorganisation. Forms validate; the views hand `cleaned_data` to the services."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from parindex.accounts.models import Role, User
from parindex.core.forms import date_field
from parindex.core.pickers import CodeField, CodesField
from parindex.core.vietnamese_sql import vietnamese_order
from parindex.units import queries
from parindex.units.models import PeerGroup, Reorganisation, Unit, UnitType
from parindex.units.services import NewUnit

IMPORT_MAX_BYTES = 2 * 1024 * 1024


class UnitCodeField(CodeField):
    """A unit among `units`, typed by its code (any case) or its one name (case and marks
    ignored), with a picker (decision 41)."""

    default_error_messages = {
        "unknown": _("No unit with the code %(code)s can be picked here; pick one from the list.")
    }

    def __init__(self, *, units: QuerySet[Unit], **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Unit"))
        kwargs.setdefault(
            "help_text", _("Type the unit's code or part of its name, then pick it from the list.")
        )
        super().__init__(records=units, **kwargs)


class UnitCodesField(CodesField):
    """Units among `units`, one a line, each typed by its code or its one name, with a picker
    that adds lines (decision 43)."""

    default_error_messages = {
        "unknown": _("No unit with the code %(codes)s can be picked here; pick from the list.")
    }

    def __init__(self, *, units: QuerySet[Unit], **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            _("One unit a line: type a code or part of a name in the box below, then pick it."),
        )
        super().__init__(records=units, **kwargs)


class PickedUnitForm(forms.Form):
    """A page's choice of one unit (a GET filter), typed by its code or name with suggestions:
    a select of a national round's units would be most of the page (decision 41). `field` is
    the parameter's name; `picked` the unit, or None when nothing valid was typed (the field
    then shows why)."""

    def __init__(
        self, data: Any, *, units: QuerySet[Unit], options_url: str, field: str = "unit"
    ) -> None:
        super().__init__(data, initial={})
        self.field_name = field
        self.fields[field] = UnitCodeField(units=units, options_url=options_url, required=False)

    @property
    def picked(self) -> Unit | None:
        return self.cleaned_data.get(self.field_name) if self.is_valid() else None


def _unit_field(
    label: Any, *, several: bool = False, **kwargs: Any
) -> UnitCodeField | UnitCodesField:
    """A reorganisation's unit (`several`: units, one a line) among those that exist (or will),
    typed with the registry's picker (its form's `__init__` binds the units of the day)."""
    kind = UnitCodesField if several else UnitCodeField
    return kind(
        label=label,
        units=Unit.objects.none(),
        options_url=reverse_lazy("units:unit_options"),
        **kwargs,
    )


def current_units() -> QuerySet[Unit]:
    """Units that have not ended by today (planned units included), for reorganisation choices."""
    day = queries.today()
    return (
        Unit.objects.filter(Q(active_to__isnull=True) | Q(active_to__gt=day))
        .select_related("unit_type")
        .order_by("unit_type__order", vietnamese_order("name"))
    )


class UnitFilterForm(forms.Form):
    """The registry's filters; they stay in the URL. Without `on`, units existing today."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    type = forms.ChoiceField(label=_("Unit type"), required=False)
    peer = forms.ChoiceField(label=_("Peer group"), required=False)
    parent = forms.CharField(label=_("Parent unit code"), required=False, max_length=40)
    on = date_field(
        _("Existing on"),
        required=False,
        help_text=_("Empty: every unit, including those that no longer exist."),
    )

    def __init__(self, data: QueryDict, **kwargs: Any) -> None:
        if "on" not in data:
            data = data.copy()
            data["on"] = queries.today().strftime("%d/%m/%Y")
        super().__init__(data, **kwargs)
        types = UnitType.objects.values_list("code", "name")
        groups = PeerGroup.objects.values_list("code", "name")
        cast(forms.ChoiceField, self.fields["type"]).choices = [("", _("All")), *types]
        cast(forms.ChoiceField, self.fields["peer"]).choices = [
            ("", _("All")),
            ("-", _("No peer group")),
            *groups,
        ]

    def to_filter(self) -> queries.UnitFilter:
        data: dict[str, Any] = self.cleaned_data if self.is_valid() else {"on": queries.today()}
        return queries.UnitFilter(
            search=data.get("q", "").strip(),
            unit_type=data.get("type", ""),
            peer_group=data.get("peer", ""),
            parent=data.get("parent", "").strip(),
            day=data.get("on"),
        )


class UnitForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("Letters without accents, digits, “.”, “-”, “_”. It cannot change later."),
    )
    name = forms.CharField(label=_("Name"), max_length=255)
    unit_type = forms.ModelChoiceField(label=_("Unit type"), queryset=UnitType.objects.all())
    # typed with suggestions (decision 41): a national registry's 3,500 communes would be the
    # form's whole weight
    parent = UnitCodeField(
        label=_("Parent unit"),
        required=False,
        units=Unit.objects.none(),
        options_url=reverse_lazy("units:unit_options"),
        unknown=_(
            "No unit with the code %(code)s can be the parent of this unit; pick one from the list."
        ),
    )
    peer_group = forms.ModelChoiceField(
        label=_("Peer group"), required=False, queryset=PeerGroup.objects.all()
    )
    active_from = date_field(_("Exists from"), required=False)
    active_to = date_field(
        _("Exists until"),
        required=False,
        help_text=_("The first day it no longer exists. Mergers and splits set it themselves."),
    )
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=150)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)

    def __init__(self, *args: Any, unit: Unit | None = None, **kwargs: Any) -> None:
        if unit is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": unit.code,
                "name": unit.name,
                "unit_type": unit.unit_type_id,
                "parent": unit.parent.code if unit.parent else "",
                "peer_group": unit.peer_group_id,
                "active_from": unit.active_from,
                "active_to": unit.active_to,
                "contact_name": unit.contact_name,
                "contact_email": unit.contact_email,
            }
        super().__init__(*args, **kwargs)
        # Units that still exist (or will), and the unit's current parent even if it has ended.
        parents = current_units()
        if unit is not None:
            if unit.parent_id is not None:
                parents |= Unit.objects.filter(pk=unit.parent_id)
            parents = parents.exclude(pk=unit.pk)
            self.fields["code"].disabled = True
        cast(UnitCodeField, self.fields["parent"]).records = parents

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("active_from"), data.get("active_to")
        if start and end and end <= start:
            self.add_error("active_to", _("The unit must start before the day it ends."))
        return data


class UnitTypeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("E.g. SO, XA, DVSN. Index sets refer to it, so it cannot change later."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    order = forms.IntegerField(
        label=_("Order"), min_value=0, max_value=32767, initial=60, help_text=_("Lists sort by it.")
    )

    def __init__(self, *args: Any, unit_type: UnitType | None = None, **kwargs: Any) -> None:
        if unit_type is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": unit_type.code,
                "name": unit_type.name,
                "order": unit_type.order,
            }
        super().__init__(*args, **kwargs)
        if unit_type is not None:
            self.fields["code"].disabled = True


class PeerGroupForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)

    def __init__(self, *args: Any, group: PeerGroup | None = None, **kwargs: Any) -> None:
        if group is not None and "initial" not in kwargs:
            kwargs["initial"] = {"code": group.code, "name": group.name}
        super().__init__(*args, **kwargs)
        if group is not None:
            self.fields["code"].disabled = True


class UnitImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("Columns: code,name,unit_type,parent_code,peer_group. At most 2 MB."),
    )

    def clean_file(self) -> tuple[str, bytes]:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload.name, upload.read()


UNIT_ROLE_CHOICES = [
    (Role.UNIT_EDITOR.value, Role.UNIT_EDITOR.label),
    (Role.UNIT_HEAD.value, Role.UNIT_HEAD.label),
]


class UnitAccountForm(forms.Form):
    """A new account acting for the unit."""

    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("A link to choose a password is sent to this address.")
    )
    role = forms.ChoiceField(label=_("Role"), choices=UNIT_ROLE_CHOICES)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("This username is already taken: give the existing account a role instead.")
            )
        return username


class UnitRoleForm(forms.Form):
    """An existing account that will also act for the unit."""

    username = forms.CharField(label=_("Username of an existing account"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=UNIT_ROLE_CHOICES)

    def clean_username(self) -> User:
        username = self.cleaned_data["username"]
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise forms.ValidationError(_("No account has this username."))
        return user


# --- reorganisations -----------------------------------------------------------------------------


class ReorganisationForm(forms.Form):
    """What every reorganisation states: when it takes effect and under which decision."""

    kind: str = ""
    effective_date = date_field(_("Effective date"))
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=500,
        help_text=_("E.g. Nghị quyết số 1699/NQ-UBTVQH15 ngày 16/6/2025."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, (UnitCodeField, UnitCodesField)):
                field.records = current_units()
        # Put the date, legal basis and note after the kind's own fields.
        common = ("effective_date", "legal_basis", "note")
        self.order_fields([name for name in self.fields if name not in common] + list(common))

    def common(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "effective_date": data["effective_date"],
            "legal_basis": data["legal_basis"],
            "note": data["note"],
        }


class NewUnitFields(forms.Form):
    new_unit_type = forms.ModelChoiceField(
        label=_("Type of the new unit"), required=False, queryset=UnitType.objects.all()
    )
    new_parent = _unit_field(_("Parent of the new unit"), required=False)
    new_peer_group = forms.ModelChoiceField(
        label=_("Peer group of the new unit"), required=False, queryset=PeerGroup.objects.all()
    )


class MergeForm(NewUnitFields, ReorganisationForm):
    kind = Reorganisation.Kind.MERGE
    predecessors = _unit_field(_("Units merged"), several=True)
    result = forms.ChoiceField(
        label=_("Resulting unit"),
        choices=[("new", _("A new unit")), ("existing", _("An existing unit"))],
        initial="new",
        widget=forms.RadioSelect,
    )
    successor = _unit_field(_("Existing unit that absorbs them"), required=False)
    new_code = forms.CharField(label=_("Code of the new unit"), required=False, max_length=40)
    new_name = forms.CharField(label=_("Name of the new unit"), required=False, max_length=255)

    field_order = [
        "predecessors",
        "result",
        "successor",
        "new_code",
        "new_name",
        "new_unit_type",
        "new_parent",
        "new_peer_group",
    ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("result") == "existing":
            if not data.get("successor"):
                self.add_error("successor", _("Choose the unit that absorbs the others."))
        else:
            for name, message in (
                ("new_code", _("Give the code of the new unit.")),
                ("new_name", _("Give the name of the new unit.")),
                ("new_unit_type", _("Choose the type of the new unit.")),
            ):
                if not data.get(name):
                    self.add_error(name, message)
        return data

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        arguments: dict[str, Any] = {"predecessors": list(data["predecessors"]), **self.common()}
        if data["result"] == "existing":
            arguments["successor"] = data["successor"]
        else:
            arguments["new_unit"] = NewUnit(
                code=data["new_code"].strip(),
                name=data["new_name"].strip(),
                unit_type=data["new_unit_type"],
                parent=data["new_parent"],
                peer_group=data["new_peer_group"],
            )
        return arguments


class SplitForm(NewUnitFields, ReorganisationForm):
    kind = Reorganisation.Kind.SPLIT
    predecessor = _unit_field(_("Unit split"))
    successors = _unit_field(
        _("Existing units that take over a part"), several=True, required=False
    )
    new_units = forms.CharField(
        label=_("New units"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: code; name (e.g. XA-BINHAN; UBND xã Bình An)."),
    )

    field_order = [
        "predecessor",
        "successors",
        "new_units",
        "new_unit_type",
        "new_parent",
        "new_peer_group",
    ]

    def clean_new_units(self) -> list[tuple[str, str]]:
        lines = []
        for number, line in enumerate(self.cleaned_data["new_units"].splitlines(), start=1):
            if not line.strip():
                continue
            code, separator, name = line.partition(";")
            if not separator or not code.strip() or not name.strip():
                raise forms.ValidationError(
                    _("Line %(line)d: write “code; name”.") % {"line": number}
                )
            lines.append((code.strip(), name.strip()))
        return lines

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("new_units") and not data.get("new_unit_type"):
            self.add_error("new_unit_type", _("Choose the type of the new units."))
        return data

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "predecessor": data["predecessor"],
            "successors": list(data["successors"]),
            "new_units": [
                NewUnit(
                    code=code,
                    name=name,
                    unit_type=data["new_unit_type"],
                    parent=data["new_parent"],
                    peer_group=data["new_peer_group"],
                )
                for code, name in data["new_units"]
            ],
            **self.common(),
        }


class RenameForm(ReorganisationForm):
    kind = Reorganisation.Kind.RENAME
    unit = _unit_field(_("Unit"))
    new_name = forms.CharField(label=_("New name"), max_length=255)

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"unit": data["unit"], "new_name": data["new_name"], **self.common()}


class MoveForm(ReorganisationForm):
    kind = Reorganisation.Kind.MOVE
    unit = _unit_field(_("Unit"))
    new_parent = _unit_field(
        _("New parent unit"), required=False, help_text=_("Leave empty for a top-level unit.")
    )

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"unit": data["unit"], "new_parent": data["new_parent"], **self.common()}


class RetireForm(ReorganisationForm):
    kind = Reorganisation.Kind.RETIRE
    unit = _unit_field(_("Unit"))

    def arguments(self) -> dict[str, Any]:
        return {"unit": self.cleaned_data["unit"], **self.common()}


REORGANISATION_FORMS: dict[str, type[ReorganisationForm]] = {
    form.kind: form for form in (MergeForm, SplitForm, RenameForm, MoveForm, RetireForm)
}


def initial_for(kind: str, unit: Unit | None, day: dt.date) -> dict[str, Any]:
    """Start a reorganisation form from the unit whose page the user came from."""
    initial: dict[str, Any] = {"effective_date": day}
    if unit is None:
        return initial
    field = {"merge": "predecessors", "split": "predecessor"}.get(kind, "unit")
    initial[field] = [unit] if kind == "merge" else unit
    if kind == "rename":
        initial["new_name"] = unit.name
    if kind in ("merge", "split"):
        initial.update(
            new_unit_type=unit.unit_type_id,
            new_parent=unit.parent,
            new_peer_group=unit.peer_group_id,
        )
    return initial
