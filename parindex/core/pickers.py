"""Fields that take records by their code, with suggestions from the server (decisions 41, 43).

A national round has 3,500 units: too many for a `<select>`. A form names a record of a
queryset (a unit) by its code, in any case, or by a name that only one record has (case and
marks ignored). Its widget asks a view for the records matching what is typed (`options`), and
shows them in a `<datalist>`. `CodeField` takes one; `CodesField` takes several, one a line.
Without scripts both still work: the user types the codes.

The queryset's model has `code` and `name`. Each view answering a picker checks who may see the
records, then calls `options_response` with the records it may offer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Model, QuerySet
from django.db.models.functions import Upper
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from parindex.core.vietnamese import fold
from parindex.core.vietnamese_sql import Folded, words_in

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

OPTIONS = 20  # records a picker offers at a time
MAX_LINES = 500  # records a `CodesField` takes at once: a forged text stays a few queries
SEPARATOR = " — "  # between a code and its name on a line of a `CodesField`


def options(records: QuerySet[Any], text: str, order: Sequence[str] = ("code",)) -> list[Any]:
    """Of `records`, those whose code or name holds every word of `text`, case and marks
    ignored (all for an empty text), in `order`, `OPTIONS` at most."""
    found = records.filter(words_in(text, "code", "name"))
    return list(found.order_by(*order)[:OPTIONS])


def options_response(
    request: HttpRequest, records: QuerySet[Any], order: Sequence[str] = ("code",)
) -> HttpResponse:
    """The options a picker shows: those of `records` matching the one value it sends, under
    its field's name (which a form's prefix changes: "unit", "sheet-unit")."""
    text = next((request.GET.get(name, "") for name in request.GET), "")
    return render(request, "core/_picker_options.html", {"records": options(records, text, order)})


def _picker_attrs(options_url: _StrOrPromise) -> dict[str, Any]:
    return {
        "autocomplete": "off",
        "spellcheck": "false",
        "hx-get": options_url,
        "hx-trigger": "focus once, input changed delay:250ms",
        "hx-swap": "innerHTML",
    }


class CodePicker(forms.TextInput):
    """A code typed in, with the records matching what is typed offered in a list the page
    fills from `options_url` as the user types."""

    template_name = "core/widgets/code_picker.html"

    def __init__(self, options_url: _StrOrPromise) -> None:
        super().__init__(attrs=_picker_attrs(options_url))

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        _tie_to_options(context["widget"], name)
        return context


class CodesPicker(forms.Textarea):
    """Codes typed in, one a line ("CODE — name" as the page writes them), and a box beside
    them that offers the records matching what is typed and adds the one picked as a line
    (`parindex.js`). Without scripts, a code typed in the box is taken too."""

    template_name = "core/widgets/codes_picker.html"

    def __init__(self, options_url: _StrOrPromise) -> None:
        super().__init__(attrs={"rows": 3, "spellcheck": "false"})
        self.options_url = options_url
        self.label: Any = ""  # the field's, set by `CodesField`

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        box = {
            **_picker_attrs(self.options_url),
            "id": f"{widget['attrs'].get('id') or name}-add",
        }
        widget["box"] = {"name": f"{name}-add", "attrs": box, "label": self.label}
        _tie_to_options(widget["box"], f"{name}-add")
        return context

    def use_required_attribute(self, initial: Any) -> bool:
        return False  # the lines may be empty while the box holds the one code typed

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        lines = data.get(name)
        typed = (data.get(f"{name}-add") or "").strip()
        if typed:
            lines = f"{lines or ''}\n{typed}"
        return lines

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}-add" not in data


def _tie_to_options(widget: dict[str, Any], name: str) -> None:
    """The input lists the datalist its own id names, which the server's options fill."""
    attrs = widget["attrs"]
    list_id = f"{attrs.get('id') or name}-options"
    attrs.update({"list": list_id, "hx-target": f"#{list_id}"})
    widget["options_id"] = list_id


def _entry(line: str) -> str:
    """A line's code or name: what comes before the dash when the page wrote "CODE — name"."""
    return " ".join(line.split(SEPARATOR.strip(), 1)[0].split())


def _resolve(records: QuerySet[Any], entries: Iterable[str]) -> tuple[dict[str, Any], list[str]]:
    """The records the entries name (by code in any case, else by a name only one has), in two
    queries whatever their number, and the entries that name none."""
    wanted = list(dict.fromkeys(entries))
    by_code = {
        record.code.upper(): record
        for record in records.annotate(_upper=Upper("code")).filter(
            _upper__in=[entry.upper() for entry in wanted]
        )
    }
    found = {entry: by_code[entry.upper()] for entry in wanted if entry.upper() in by_code}
    rest = [entry for entry in wanted if entry not in found]
    if rest:
        by_name: dict[str, list[Any]] = {}
        folded = {entry: fold(entry) for entry in rest}
        for record in records.annotate(_folded=Folded("name")).filter(
            _folded__in=set(folded.values())
        ):
            by_name.setdefault(fold(record.name), []).append(record)
        for entry in rest:
            named = by_name.get(folded[entry], [])
            if len(named) == 1:
                found[entry] = named[0]
    return found, [entry for entry in wanted if entry not in found]


class _PickerField(forms.Field):
    """A field whose records are typed by code with a picker (`picker`, asking `options_url`);
    `unknown` replaces its refusal of a code that names none of `records`."""

    picker: ClassVar[type[CodePicker] | type[CodesPicker]]

    def __init__(
        self,
        *,
        records: QuerySet[Any],
        options_url: _StrOrPromise,
        unknown: _StrOrPromise = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(widget=self.picker(options_url), **kwargs)
        self.records = records
        if unknown:
            self.error_messages["unknown"] = unknown

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        result = super().__deepcopy__(memo)
        result.records = self.records.all()  # each form its own, as ModelChoiceField does
        return result


class CodeField(_PickerField, forms.CharField):
    """A record among `records`, typed by its code (any case) or its one name (case and marks
    ignored), with a picker. `unknown` has %(code)s."""

    picker = CodePicker
    default_error_messages = {
        "unknown": _("Nothing with the code %(code)s can be picked here; pick one from the list.")
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=200, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return getattr(value, "code", value)  # a record as its code; what was typed as it is

    def clean(self, value: Any) -> Any:
        text = _entry(str(super().clean(value)))
        if not text:
            return None
        found, unknown = _resolve(self.records, [text])
        if unknown:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"code": text}
            )
        return found[text]


class CodesField(_PickerField):
    """Records among `records`, one a line, each typed by its code (any case) or its one name,
    with a picker that adds lines. Cleans to a list of records, in the order typed, each once.
    `unknown` has %(codes)s."""

    picker = CodesPicker
    default_error_messages = {
        "unknown": _("Nothing with the code %(codes)s can be picked here; pick from the list."),
        "too_many": _("At most %(max)d lines at once."),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        cast(CodesPicker, self.widget).label = self.label  # names its box

    def prepare_value(self, value: Any) -> Any:
        """The lines a page shows: "CODE — name" for the records given (as records or ids)."""
        if value is None or isinstance(value, str):
            return value or ""
        records = self._records_of(value)
        return "\n".join(f"{record.code}{SEPARATOR}{record.name}" for record in records)

    def _records_of(self, values: Iterable[Any]) -> list[Any]:
        values = list(values)
        ids = [value.pk if isinstance(value, Model) else value for value in values]
        by_id = self.records.in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]

    def to_python(self, value: Any) -> list[Any]:
        if not value:
            return []
        if not isinstance(value, str):  # a disabled field cleans its initial records or ids
            return self._records_of(value)
        ProhibitNullCharactersValidator()(value)  # before any query: PostgreSQL refuses them
        entries = [entry for line in value.splitlines() if (entry := _entry(line))]
        if len(entries) > MAX_LINES:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": MAX_LINES}
            )
        found, unknown = _resolve(self.records, entries)
        if unknown:
            raise forms.ValidationError(
                self.error_messages["unknown"],
                code="unknown",
                params={"codes": ", ".join(unknown[:10]) + ("…" if len(unknown) > 10 else "")},
            )
        return list({found[entry].pk: found[entry] for entry in entries}.values())

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            chosen = {record.pk for record in self.to_python(data)}
        except forms.ValidationError:
            return True
        before = {value.pk if isinstance(value, Model) else value for value in initial or []}
        return chosen != before
