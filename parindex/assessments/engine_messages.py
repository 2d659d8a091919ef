"""The engine's scoring errors (EngineError codes) as messages people read, in Vietnamese."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parindex.core.formatting import format_points
from parindex.engine import EngineError

MESSAGES: dict[str, Any] = {
    "unknown_criterion": gettext_lazy("There is no criterion %(code)s in this index set."),
    "not_a_leaf": gettext_lazy("Criterion %(code)s has sub-criteria; score those instead."),
    "survey_answer_required": gettext_lazy(
        "This criterion is scored from the survey; its value cannot be entered here."
    ),
    "not_a_survey_leaf": gettext_lazy("This criterion is not scored from the survey."),
    "answer_not_for_rule": gettext_lazy("This kind of value does not fit the criterion's rule."),
    "not_a_number": gettext_lazy("“%(value)s” is not a number."),
    "not_hundredths": gettext_lazy("%(value)s has more than 2 decimals."),
    "points_out_of_range": gettext_lazy("%(points)s points is outside 0 to %(max_points)s."),
    "off_step": gettext_lazy("%(points)s points is not a multiple of the step %(step)s."),
    "unknown_choice": gettext_lazy("“%(label)s” is not one of the options."),
    "percent_out_of_range": gettext_lazy("%(value)s%% is outside 0 to 100."),
    "invalid_ratio": gettext_lazy(
        "%(numerator)s/%(denominator)s is not a valid ratio: two whole numbers, the first not "
        "above the second, the second above 0."
    ),
    "invalid_count": gettext_lazy("“%(value)s” is not a count (a whole number, 0 or more)."),
    "na_not_allowed": gettext_lazy("This criterion cannot be marked not applicable."),
    "nothing_applicable": gettext_lazy(
        "Every criterion is marked not applicable; there is nothing left to score."
    ),
    "unknown_unit": gettext_lazy("There is no unit %(unit)s in this round."),
    "unit_without_group": gettext_lazy("Unit %(unit)s has no ranking group."),
}


def _shown(value: Any) -> str:
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return format_points(value)
    return str(value)


def engine_error_message(error: EngineError) -> str:
    """The Vietnamese message for an engine error, its details filled in."""
    template = MESSAGES.get(error.code)
    if template is None:
        return error.message
    params = {key: _shown(value) for key, value in error.params.items()}
    params.setdefault("code", error.node_code)
    try:
        return str(template) % params
    except (KeyError, ValueError):
        return error.message


def engine_error_with_place(error: EngineError) -> str:
    """The message prefixed by the criterion it concerns."""
    message = engine_error_message(error)
    if error.node_code:
        return _("Criterion %(code)s: %(message)s") % {"code": error.node_code, "message": message}
    return message
