"""Attribution templates: missing fields leave no stray words, several speakers share one line."""

from __future__ import annotations

import pytest

from qualcode.study.attribution import format_attribution
from qualcode.study.transcript import Informant

LEADER = Informant("nb-06", "L", {"informant": "L", "role": "Leder", "municipality_type": "småby"})
NO_PLACE = Informant("nb-06", "D", {"informant": "D", "role": "Deltaker"})
NO_ROLE = Informant("nb-03", "B", {"municipality_type": "storby"})
NOTHING = Informant("nb-03", "C", {})


@pytest.mark.parametrize(
    ("template", "informant", "expected"),
    [
        ("({role} i {municipality_type})", LEADER, "(Leder i småby)"),
        ("({role} i {municipality_type})", NO_PLACE, "(Deltaker)"),
        ("({role} i {municipality_type})", NO_ROLE, "(storby)"),
        ("({role}, {municipality_type})", NO_PLACE, "(Deltaker)"),
        ("({role}, {municipality_type}, {region})", LEADER, "(Leder, småby)"),
        ("({role} {informant}, {municipality_type})", NO_PLACE, "(Deltaker D)"),
        ("({role} {informant}, {municipality_type})", NO_ROLE, "(B, storby)"),
        ("{role} {informant}.", LEADER, "Leder L."),
        ("{role} {informant}.", NOTHING, "C."),
    ],
)
def test_a_missing_field_goes_with_the_words_that_join_it(template, informant, expected) -> None:
    assert format_attribution(template, informant) == expected


@pytest.mark.parametrize(
    "template", ["({role} i {municipality_type})", "({role}, {municipality_type})", "({sector})"]
)
def test_an_informant_with_none_of_the_fields_is_named_by_pseudonym(template) -> None:
    assert format_attribution(template, NOTHING) == "(C)"


@pytest.mark.parametrize(
    "template", ["({role} i {municipality_type})", "({role}, {municipality_type})", "{role}."]
)
def test_no_informant_gives_nothing_for_the_caller_to_explain(template) -> None:
    assert format_attribution(template, None) == ""
    assert format_attribution(template, []) == ""


def test_two_speakers_share_one_attribution() -> None:
    both = format_attribution("({role} {informant}, {municipality_type})", [LEADER, NO_PLACE])
    assert both == "(Leder L, småby; Deltaker D)"
    assert format_attribution("{role}.", [NO_PLACE, LEADER]) == "Deltaker; Leder."
    same = Informant("nb-06", "M", {"role": "Leder", "municipality_type": "småby"})
    assert format_attribution("({role} i {municipality_type})", [LEADER, same]) == (
        "(Leder i småby)"
    )


def test_transcript_values_fill_fields_the_informant_lacks() -> None:
    text = format_attribution("({role}, {form})", NO_PLACE, {"form": "case interview"})
    assert text == "(Deltaker, case interview)"
