"""English message templates for every problem and error code the engine raises.

The codes are a stable contract: the web app looks them up and wraps the templates in gettext
to show Vietnamese messages, filling the `{placeholders}` from `Problem.params` or
`EngineError.params`. Add a template here whenever the engine gains a code (a test checks it).
"""

from __future__ import annotations

# Problems found while reading an index-set spec (IndexSetInvalid.problems).
PROBLEM_TEMPLATES: dict[str, str] = {
    # shape of the document
    "not_a_mapping": "Expected a mapping of fields (key: value).",
    "not_a_list": "Expected a list.",
    "missing_field": "The required field '{field}' is missing.",
    "unknown_key": "Unknown field '{key}'.",
    "not_text": "The field '{field}' must be text.",
    "empty_text": "The field '{field}' must not be empty.",
    "code_not_text": 'The code {value} must be text; write it in quotes, e.g. "{value}".',
    "invalid_code": "The code '{code}' must have 1 to 32 characters and no spaces or '/'.",
    "not_a_number": "The field '{field}' must be a number, not '{value}'.",
    "too_many_decimals": "The field '{field}' has more than 2 decimals: {value}.",
    "not_positive": "The field '{field}' must be greater than 0, not {value}.",
    "negative_number": "The field '{field}' must not be negative: {value}.",
    "percent_out_of_range": "The field '{field}' must be a percentage from 0 to 100, not {value}.",
    "invalid_value": "The field '{field}' must be one of {allowed}, not '{value}'.",
    "not_a_year": "valid_from must be a year such as 2024, not '{value}'.",
    # criteria tree
    "no_criteria": "The index set needs at least one normal (not bonus or penalty) criterion.",
    "duplicate_code": "The code '{code}' is already used at {first_path}.",
    "no_children": "'children' must list at least one criterion; leave it out for a leaf.",
    "branch_has_rule": "A criterion with children takes its points from them and has no rule.",
    "leaf_field_on_branch": "'{field}' belongs on leaf criteria, not on a criterion with children.",
    "max_mismatch": "max_points is {max_points} but the children add up to {children_sum}.",
    "cap_above_children": (
        "The cap max_points {max_points} is above what the children can give ({children_sum})."
    ),
    "kind_not_top_level": "Only top-level criteria may be of kind '{kind}'.",
    "na_in_bonus_penalty": (
        "Bonus and penalty criteria are outside the maximum and cannot be not applicable "
        "('{value}')."
    ),
    "deduction_in_penalty": (
        "A penalty criterion cannot use the deduction rule: its points are the penalty itself; "
        "use range or choice."
    ),
    "input_not_computed": (
        "Only a leaf with source 'computed' reads an input; leave 'input' out or set the source."
    ),
    "computed_rule": (
        "A computed leaf is scored on a rate: its rule must be percent_tiers or proportional, "
        "not '{rule}'."
    ),
    # rules
    "no_options": "A choice rule needs at least one option.",
    "duplicate_label": "The option label '{label}' is used twice.",
    "points_above_max": "{points} points is above the criterion's max_points {max_points}.",
    "best_option_below_max": (
        "The best option gives {best} points but max_points is {max_points}; one option must "
        "give the maximum."
    ),
    "no_tiers": "A percent_tiers rule needs at least one tier.",
    "tiers_not_descending": (
        "Tiers must go from the highest min_percent down: {min_percent} follows {previous}."
    ),
    "tier_points_increasing": (
        "A lower tier cannot give more points: {points} follows {previous}."
    ),
    "best_tier_below_max": (
        "The highest tier gives {best} points but max_points is {max_points}; it must give the "
        "maximum."
    ),
    "step_not_divisor": "The step {step} does not divide max_points {max_points}.",
    # bands
    "no_bands": "The index set needs at least one band.",
    "bands_not_descending": (
        "Bands must go from the highest min_percent down: {min_percent} follows {previous}."
    ),
    "last_band_not_zero": "The last band must start at 0 percent, not {min_percent}.",
    "duplicate_band_code": "The band code '{code}' is used twice.",
}

# Errors raised while scoring (EngineError.code); `node_code`/`unit_code` say where.
ERROR_TEMPLATES: dict[str, str] = {
    "unknown_criterion": "There is no criterion '{code}' in this index set.",
    "not_a_leaf": "Criterion '{code}' has sub-criteria; score those instead.",
    "survey_answer_required": (
        "This criterion is scored from the survey; a '{stage}' value cannot be entered."
    ),
    "not_a_survey_leaf": "This criterion is not scored from the survey.",
    "answer_not_for_rule": "A {answer} answer does not fit a '{rule}' rule.",
    "not_a_number": "'{value}' is not an exact number (use Decimal or int, never float).",
    "not_hundredths": "{value} has more than 2 decimals.",
    "points_out_of_range": "{points} points is outside 0 to {max_points}.",
    "off_step": "{points} points is not a multiple of the step {step}.",
    "unknown_choice": "'{label}' is not one of the options {allowed}.",
    "percent_out_of_range": "{value}% is outside 0 to 100.",
    "invalid_ratio": (
        "{numerator}/{denominator} is not a valid ratio (whole numbers, 0 <= numerator <= "
        "denominator, denominator > 0)."
    ),
    "invalid_count": "'{value}' is not a valid count (a whole number, 0 or more).",
    "na_not_allowed": "This criterion cannot be marked not applicable.",
    "nothing_applicable": "Every criterion is excluded as not applicable; there is no maximum.",
    "unknown_unit": "There is no unit '{unit}' in this round.",
    "unit_without_group": "Unit '{unit}' has no ranking group.",
    "not_computed": "This criterion is not computed from monitoring data.",
    "invalid_due_day": "The due day must be a day of the month from 1 to 31, not {value}.",
    "invalid_period": (
        "'{value}' is not a period; write 2026-03 (month), 2026-Q1 (quarter), 2026-H1 "
        "(half-year) or 2026 (year)."
    ),
    "period_frequency": "The period '{value}' does not match the report's frequency {frequency}.",
}
