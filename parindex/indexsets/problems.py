"""Vietnamese messages for every problem and error code of the engine, and how imports report.

The engine reports problems as stable codes with parameters (`parindex.engine.messages` holds
the English templates). Here each code gets the same sentence as a gettext message with named
`%(placeholders)s`, so the Vietnamese catalogue translates it; a test checks every engine code
has one. Numbers in the parameters are shown the Vietnamese way (0,5).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parindex.core.formatting import format_points
from parindex.core.refusals import Refused
from parindex.engine import EngineError, IndexSetInvalid, Problem

# One entry per code of parindex.engine.PROBLEM_TEMPLATES (same meaning, gettext placeholders).
PROBLEM_MESSAGES: dict[str, Promise] = {
    "not_a_mapping": gettext_lazy("Expected a mapping of fields (key: value)."),
    "not_a_list": gettext_lazy("Expected a list."),
    "missing_field": gettext_lazy("The required field '%(field)s' is missing."),
    "unknown_key": gettext_lazy("Unknown field '%(key)s'."),
    "not_text": gettext_lazy("The field '%(field)s' must be text."),
    "empty_text": gettext_lazy("The field '%(field)s' must not be empty."),
    "code_not_text": gettext_lazy(
        'The code %(value)s must be text; write it in quotes, e.g. "%(value)s".'
    ),
    "invalid_code": gettext_lazy(
        "The code '%(code)s' must have 1 to 32 characters and no spaces or '/'."
    ),
    "not_a_number": gettext_lazy("The field '%(field)s' must be a number, not '%(value)s'."),
    "too_many_decimals": gettext_lazy("The field '%(field)s' has more than 2 decimals: %(value)s."),
    "not_positive": gettext_lazy("The field '%(field)s' must be greater than 0, not %(value)s."),
    "negative_number": gettext_lazy("The field '%(field)s' must not be negative: %(value)s."),
    "percent_out_of_range": gettext_lazy(
        "The field '%(field)s' must be a percentage from 0 to 100, not %(value)s."
    ),
    "invalid_value": gettext_lazy(
        "The field '%(field)s' must be one of %(allowed)s, not '%(value)s'."
    ),
    "not_a_year": gettext_lazy("valid_from must be a year such as 2024, not '%(value)s'."),
    "no_criteria": gettext_lazy(
        "The index set needs at least one normal (not bonus or penalty) criterion."
    ),
    "duplicate_code": gettext_lazy("The code '%(code)s' is already used at %(first_path)s."),
    "no_children": gettext_lazy(
        "'children' must list at least one criterion; leave it out for a leaf."
    ),
    "branch_has_rule": gettext_lazy(
        "A criterion with children takes its points from them and has no rule."
    ),
    "leaf_field_on_branch": gettext_lazy(
        "'%(field)s' belongs on leaf criteria, not on a criterion with children."
    ),
    "max_mismatch": gettext_lazy(
        "max_points is %(max_points)s but the children add up to %(children_sum)s."
    ),
    "cap_above_children": gettext_lazy(
        "The cap max_points %(max_points)s is above what the children can give (%(children_sum)s)."
    ),
    "kind_not_top_level": gettext_lazy("Only top-level criteria may be of kind '%(kind)s'."),
    "na_in_bonus_penalty": gettext_lazy(
        "Bonus and penalty criteria are outside the maximum and cannot be not applicable "
        "('%(value)s')."
    ),
    "deduction_in_penalty": gettext_lazy(
        "A penalty criterion cannot use the deduction rule: its points are the penalty itself; "
        "use range or choice."
    ),
    "no_options": gettext_lazy("A choice rule needs at least one option."),
    "duplicate_label": gettext_lazy("The option label '%(label)s' is used twice."),
    "points_above_max": gettext_lazy(
        "%(points)s points is above the criterion's max_points %(max_points)s."
    ),
    "best_option_below_max": gettext_lazy(
        "The best option gives %(best)s points but max_points is %(max_points)s; one option "
        "must give the maximum."
    ),
    "no_tiers": gettext_lazy("A percent_tiers rule needs at least one tier."),
    "tiers_not_descending": gettext_lazy(
        "Tiers must go from the highest min_percent down: %(min_percent)s follows %(previous)s."
    ),
    "tier_points_increasing": gettext_lazy(
        "A lower tier cannot give more points: %(points)s follows %(previous)s."
    ),
    "best_tier_below_max": gettext_lazy(
        "The highest tier gives %(best)s points but max_points is %(max_points)s; it must give "
        "the maximum."
    ),
    "step_not_divisor": gettext_lazy(
        "The step %(step)s does not divide max_points %(max_points)s."
    ),
    "no_bands": gettext_lazy("The index set needs at least one band."),
    "bands_not_descending": gettext_lazy(
        "Bands must go from the highest min_percent down: %(min_percent)s follows %(previous)s."
    ),
    "last_band_not_zero": gettext_lazy(
        "The last band must start at 0 percent, not %(min_percent)s."
    ),
    "duplicate_band_code": gettext_lazy("The band code '%(code)s' is used twice."),
    "input_not_computed": gettext_lazy(
        "Only a leaf with source 'computed' reads an input; leave 'input' out or set the source."
    ),
    "computed_rule": gettext_lazy(
        "A computed leaf is scored on a rate: its rule must be percent_tiers or proportional, "
        "not '%(rule)s'."
    ),
}

# One entry per code of parindex.engine.ERROR_TEMPLATES, for pages that show an EngineError.
ERROR_MESSAGES: dict[str, Promise] = {
    "unknown_criterion": gettext_lazy("There is no criterion '%(code)s' in this index set."),
    "not_a_leaf": gettext_lazy("Criterion '%(code)s' has sub-criteria; score those instead."),
    "survey_answer_required": gettext_lazy(
        "This criterion is scored from the survey; a '%(stage)s' value cannot be entered."
    ),
    "not_a_survey_leaf": gettext_lazy("This criterion is not scored from the survey."),
    "answer_not_for_rule": gettext_lazy("A %(answer)s answer does not fit a '%(rule)s' rule."),
    "not_a_number": gettext_lazy("'%(value)s' is not an exact number."),
    "not_hundredths": gettext_lazy("%(value)s has more than 2 decimals."),
    "points_out_of_range": gettext_lazy("%(points)s points is outside 0 to %(max_points)s."),
    "off_step": gettext_lazy("%(points)s points is not a multiple of the step %(step)s."),
    "unknown_choice": gettext_lazy("'%(label)s' is not one of the options %(allowed)s."),
    "percent_out_of_range": gettext_lazy("%(value)s%% is outside 0 to 100."),
    "invalid_ratio": gettext_lazy(
        "%(numerator)s/%(denominator)s is not a valid ratio (whole numbers, 0 <= numerator <= "
        "denominator, denominator > 0)."
    ),
    "invalid_count": gettext_lazy("'%(value)s' is not a valid count (a whole number, 0 or more)."),
    "na_not_allowed": gettext_lazy("This criterion cannot be marked not applicable."),
    "nothing_applicable": gettext_lazy(
        "Every criterion is excluded as not applicable; there is no maximum."
    ),
    "unknown_unit": gettext_lazy("There is no unit '%(unit)s' in this round."),
    "unit_without_group": gettext_lazy("Unit '%(unit)s' has no ranking group."),
    "not_computed": gettext_lazy("This criterion is not computed from monitoring data."),
    "invalid_due_day": gettext_lazy(
        "The due day must be a day of the month from 1 to 31, not %(value)s."
    ),
    "invalid_period": gettext_lazy(
        "'%(value)s' is not a period; write 2026-03 (month), 2026-Q1 (quarter), 2026-H1 "
        "(half-year) or 2026 (year)."
    ),
    "period_frequency": gettext_lazy(
        "The period '%(value)s' does not match the report's frequency %(frequency)s."
    ),
}


def _shown(value: Any) -> Any:
    """A parameter as shown to a reader: numbers the Vietnamese way, lists joined."""
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal | int | float):
        return format_points(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(_shown(item)) for item in value)
    return value


def _fill(template: Promise | None, params: Mapping[str, Any], fallback: str) -> str:
    if template is None:  # a code newer than this table: still say something useful
        return fallback
    return str(template) % {key: _shown(value) for key, value in params.items()}


def problem_message(problem: Problem) -> str:
    """The Vietnamese sentence for one index-set problem (without its location)."""
    return _fill(PROBLEM_MESSAGES.get(problem.code), problem.params, problem.message)


def error_message(error: EngineError) -> str:
    """The Vietnamese sentence for an engine error on an answer or a score."""
    text = _fill(ERROR_MESSAGES.get(error.code), error.params, error.message)
    if error.node_code:
        text = _("Criterion %(code)s: %(message)s") % {"code": error.node_code, "message": text}
    return text


def yaml_location(path: str) -> str:
    """Where a problem is in a YAML document, as the reader sees it (criteria › 1 › 1.1…)."""
    return " › ".join(path.split("/")) if path else _("index set")


class IndexSetRefused(Refused):
    """An index set (a file, an edit or a publication) was refused; every problem is listed."""

    default_code = "index_set.refused"


def refused(
    invalid: IndexSetInvalid, locate: Callable[[str], str] = yaml_location
) -> IndexSetRefused:
    """Turn the engine's problems into Vietnamese lines, each with its location."""
    return IndexSetRefused(
        [f"{locate(problem.path)}: {problem_message(problem)}" for problem in invalid.problems],
        code="index_set.invalid",
        codes=[problem.code for problem in invalid.problems],
    )
