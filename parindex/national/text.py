"""The analysis written as an official would write it, in the style of the director's memo.

"Chỉ số cải cách hành chính (PAR Index) năm 2022 của tỉnh Hà Tĩnh đạt 85,95%, xếp thứ 28/63
tỉnh, thành phố, giảm 20 bậc so với năm 2021; trong đó các lĩnh vực tăng bậc gồm: … (tăng 04
bậc) …". Sentences go through gettext (English source, Vietnamese catalogue); documents render
them under the Vietnamese locale. Numbers read 85,95; places take a leading zero in Vietnamese
("04 bậc"), as in the memo.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parindex.core.formatting import format_number, format_points
from parindex.national.analysis import AreaResult, Group, Headroom
from parindex.national.report import Report


def places(count: int) -> str:
    """A number of places as the memo writes it: "04" in Vietnamese, "4" otherwise."""
    count = abs(count)
    return f"{count:02d}" if (get_language() or "vi").startswith("vi") else str(count)


def province_label(name: str, is_city: bool) -> str:
    """The province as text names it: "tỉnh Hà Tĩnh", "thành phố Hồ Chí Minh"."""
    if name.startswith("TP. "):
        name, is_city = name[4:], True
    if is_city:
        return _("city of %(name)s") % {"name": name}
    return _("province of %(name)s") % {"name": name}


def _pct(value: Decimal | None) -> str:
    return format_number(value)


def change_phrase(change: int | None, previous_year: int | None) -> str:
    """ "giảm 20 bậc so với năm 2021" / "tăng 04 bậc …" / "giữ nguyên thứ hạng …"."""
    if change is None or previous_year is None:
        return ""
    values = {"places": places(change), "year": previous_year}
    if change > 0:
        return _("up %(places)s places from %(year)d") % values
    if change < 0:
        return _("down %(places)s places from %(year)d") % values
    return _("the same rank as in %(year)d") % values


def area_change(area: AreaResult) -> str:
    """ "Cải cách chế độ công vụ (tăng 04 bậc)"."""
    assert area.rank_change is not None
    values = {"name": area.name, "places": places(area.rank_change)}
    if area.rank_change > 0:
        return _("%(name)s (up %(places)s places)") % values
    if area.rank_change < 0:
        return _("%(name)s (down %(places)s places)") % values
    return area.name


def group_range(code: str | None, groups: Sequence[Group]) -> str:
    """ "nhóm B (từ 80% đến dưới 90%)", or "dưới nhóm C (dưới 70%)" below every threshold."""
    ordered = sorted(groups, key=lambda g: g.min_percent, reverse=True)
    if code is None:
        lowest = ordered[-1]
        return _("below group %(code)s (under %(min)s%%)") % {
            "code": lowest.code,
            "min": format_points(lowest.min_percent),
        }
    for index, group in enumerate(ordered):
        if group.code != code:
            continue
        values = {"code": code, "min": format_points(group.min_percent)}
        if index == 0:
            return _("group %(code)s (from %(min)s%%)") % values
        values["max"] = format_points(ordered[index - 1].min_percent)
        return _("group %(code)s (from %(min)s%% to under %(max)s%%)") % values
    return code


def opening(report: Report) -> str:
    """The memo's opening sentence: index, rank of N, change in places, areas up and down."""
    analysis = report.analysis
    sentence = _(
        "The PAR Index (Chỉ số cải cách hành chính) %(year)d of the %(province)s reached "
        "%(index)s%%, ranking %(rank)d/%(of)d provinces and cities"
    ) % {
        "year": analysis.year,
        "province": province_label(analysis.province, report.is_city),
        "index": _pct(analysis.index_percent),
        "rank": analysis.rank,
        "of": analysis.of,
    }
    change = change_phrase(analysis.rank_change, analysis.previous_year)
    if change:
        sentence += ", " + change
        if analysis.is_projected and analysis.published_previous_rank is not None:
            sentence += " " + _(
                "(the %(year)d ranks recalculated for the %(of)d provinces after the merger; "
                "in %(year)d it ranked %(published)d/%(published_of)d)"
            ) % {
                "year": analysis.previous_year,
                "of": analysis.of,
                "published": analysis.published_previous_rank,
                "published_of": analysis.published_previous_of,
            }
    elif analysis.previous_year is not None:
        sentence += " " + _("(no figures for %(year)d to compare with)") % {
            "year": analysis.previous_year
        }
    compared = [area for area in analysis.areas if area.rank_change is not None]
    up = [area_change(area) for area in compared if (area.rank_change or 0) > 0]
    down = [area_change(area) for area in compared if (area.rank_change or 0) < 0]
    same = [area.name for area in compared if area.rank_change == 0]
    parts = []
    if up:
        parts.append(_("the areas that moved up: %(areas)s") % {"areas": ", ".join(up)})
    if down:
        parts.append(_("the areas that moved down: %(areas)s") % {"areas": ", ".join(down)})
    if same:
        parts.append(_("the areas that kept their rank: %(areas)s") % {"areas": ", ".join(same)})
    if parts:
        sentence += "; " + _("of which %(parts)s") % {"parts": "; ".join(parts)}
    return sentence + "."


def standing(report: Report) -> str:
    """Points change, group, and the distances to the average, the top and the next rank up."""
    analysis = report.analysis
    sentences = []
    if analysis.points_change is not None and analysis.previous_index is not None:
        values = {
            "year": analysis.previous_year,
            "previous": _pct(analysis.previous_index),
            "points": _pct(abs(analysis.points_change)),
        }
        if analysis.points_change > 0:
            sentences.append(
                _("Compared with %(year)d (%(previous)s%%) the index rose by %(points)s points.")
                % values
            )
        elif analysis.points_change < 0:
            sentences.append(
                _("Compared with %(year)d (%(previous)s%%) the index fell by %(points)s points.")
                % values
            )
        else:
            sentences.append(_("The index is the same as in %(year)d (%(previous)s%%).") % values)
    average = {
        "average": _pct(analysis.national_average),
        "points": _pct(abs(analysis.distance_to_average)),
        "group": group_range(analysis.group, report.groups),
    }
    if analysis.distance_to_average >= 0:
        sentence = (
            _(
                "The province is in %(group)s, %(points)s points above the national average "
                "(%(average)s%%)"
            )
            % average
        )
    else:
        sentence = (
            _(
                "The province is in %(group)s, %(points)s points below the national average "
                "(%(average)s%%)"
            )
            % average
        )
    if analysis.rank == 1:
        sentence += "; " + _("it leads the country")
    else:
        sentence += "; " + _("%(points)s points behind the leader (%(leaders)s, %(top)s%%)") % {
            "points": _pct(analysis.distance_to_top),
            "leaders": ", ".join(analysis.top_provinces),
            "top": _pct(analysis.top_index),
        }
        if analysis.next_rank_up is not None and analysis.next_rank_up > 1:
            sentence += "; " + _(
                "%(points)s points behind rank %(rank)d (%(provinces)s, %(index)s%%)"
            ) % {
                "points": _pct(analysis.distance_to_next_up),
                "rank": analysis.next_rank_up,
                "provinces": ", ".join(analysis.next_up_provinces),
                "index": _pct(analysis.next_up_index),
            }
    sentences.append(sentence + ".")
    return " ".join(sentences)


def leads(report: Report) -> list[str]:
    """The areas led by the department writing the analysis: their ranks and changes."""
    analysis = report.analysis
    by_lead: dict[str, list[AreaResult]] = {}
    agency = report.agency.casefold().strip()
    for area in analysis.areas:
        if area.lead and area.rank is not None and area.lead.casefold().strip() == agency:
            by_lead.setdefault(area.lead, []).append(area)
    sentences = []
    for lead, areas in by_lead.items():
        items = []
        for area in areas:
            item = _("%(name)s ranked %(rank)d/%(of)d") % {
                "name": area.name,
                "rank": area.rank,
                "of": area.of,
            }
            if area.rank_change:
                phrase = (
                    _("up %(places)s places")
                    if area.rank_change > 0
                    else _("down %(places)s places")
                )
                item += " (" + phrase % {"places": places(area.rank_change)} + ")"
            elif area.rank_change == 0:
                item += " (" + _("unchanged") + ")"
            items.append(item)
        sentences.append(
            _("The areas led by %(lead)s: %(areas)s.") % {"lead": lead, "areas": "; ".join(items)}
        )
    return sentences


def headroom_sentence(items: Sequence[Headroom], year: int, of: int, *, by_owner: bool) -> str:
    """ "Recovering 1,25 points in area X would have placed the province at rank 20/63 in 2022"."""
    phrases = []
    for item in items:
        values = {
            "points": format_number(item.points),
            "label": item.label,
            "rank": item.rank,
            "of": of,
            "year": year,
        }
        if by_owner:
            phrase = (
                _(
                    "recovering the %(points)s points lost on the criteria led by %(label)s would "
                    "have placed the province at rank %(rank)d/%(of)d in %(year)d"
                )
                % values
            )
        else:
            phrase = (
                _(
                    "recovering the %(points)s points lost in the area %(label)s would have placed "
                    "the province at rank %(rank)d/%(of)d in %(year)d"
                )
                % values
            )
        if item.places_gained > 0:
            phrase += (
                " (" + _("up %(places)s places") % {"places": places(item.places_gained)} + ")"
            )
        phrases.append(phrase)
    if not phrases:
        return ""
    text = "; ".join(phrases)
    return text[0].upper() + text[1:] + "."


def paragraphs(report: Report) -> list[str]:
    """The analysis text, paragraph by paragraph, before the appendix."""
    analysis = report.analysis
    result = [opening(report), standing(report), *leads(report)]
    top_areas = [item for item in analysis.area_headroom if item.places_gained > 0][:3]
    area_text = headroom_sentence(top_areas, analysis.year, analysis.of, by_owner=False)
    if area_text:
        result.append(area_text)
    owner_text = headroom_sentence(
        [item for item in analysis.owner_headroom if item.places_gained > 0][:3],
        analysis.year,
        analysis.of,
        by_owner=True,
    )
    if owner_text:
        result.append(owner_text)
    if report.appendix:
        result.append(
            _(
                "%(count)d criteria and sub-criteria did not reach their maximum, losing "
                "%(points)s points in total (analysed in the appendix)."
            )
            % {
                "count": len(report.appendix),
                "points": format_points(sum(item.lost_points for item in report.appendix)),
            }
        )
    elif not report.has_appraised:
        result.append(
            _(
                "The Ministry's appraised points of the province's criteria for %(year)d have "
                "not been imported yet, so the appendix is empty."
            )
            % {"year": analysis.year}
        )
    return result
