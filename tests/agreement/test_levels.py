"""Units built from codings, checked against figures worked out by hand on a tiny study.

See conftest.py for the texts and codings. In short (offsets in characters):

    t1 (64):  ingrid  geo [0,20) (+ [5,15) inside it)   cog [22,42)
              jonas   geo [0,10)                        cog [30,64)
    t2 (62):  ingrid  geo [0,30)
              jonas   geo [0,30)                        str [32,62)
"""

from __future__ import annotations

import pytest
from agreement_study import COG, GEO, STR

from qualcode.agreement.compare import compare
from qualcode.agreement.levels import (
    character_level,
    group_level,
    segment_level,
    span_level,
)
from qualcode.agreement.material import load_material
from qualcode.agreement.unitizing import unitizing_alpha


def by_code(level):
    return {f.code: f for f in level.codes}


def kappa_2x2(neither: int, a_only: int, b_only: int, both: int) -> float:
    """Cohen's kappa written out for a 2 × 2 table, as on paper."""
    n = neither + a_only + b_only + both
    observed = (neither + both) / n
    a, b = a_only + both, b_only + both
    chance = (a * b + (n - a) * (n - b)) / n**2
    return (observed - chance) / (1 - chance)


def test_only_transcripts_every_coder_coded_take_part_and_the_rest_is_named(tiny) -> None:
    material = load_material(tiny, ["ingrid", "jonas"])
    assert [t.id for t in material.transcripts] == ["t1", "t2"]
    assert material.left_out == {"t3": ("ingrid",)}
    assert any("`t3`" in n and "missing data" in n for n in material.notes)
    assert material.codes == [GEO, COG, STR]  # codebook order, only codes in use


def test_a_coders_overlapping_codings_of_one_code_are_merged(tiny) -> None:
    spans = load_material(tiny, ["ingrid", "jonas"]).spans["ingrid"]
    geo_t1 = [
        (s, e)
        for t, c, s, e in zip(spans.transcript, spans.code, spans.start, spans.end)
        if t == 0 and c == 0
    ]
    assert geo_t1 == [(0, 20)]


def test_character_level_per_transcript_and_pooled_by_length(tiny) -> None:
    level = character_level(load_material(tiny, ["ingrid", "jonas"]))
    geo, cog, struct = (by_code(level)[c] for c in (GEO, COG, STR))

    # geographic, t1: both 10, ingrid only 10, jonas only 0, neither 44.
    t1, t2 = geo.transcripts
    assert (t1.characters, t1.coded) == (64, {"ingrid": 20, "jonas": 10})
    assert t1.percent.value == pytest.approx(54 / 64)
    assert t1.kappa.value == pytest.approx(kappa_2x2(44, 10, 0, 10))
    assert t1.kappa.value == pytest.approx(880 / 1520)
    assert t2.percent.value == 1.0 and t2.kappa.value == pytest.approx(1.0)
    assert geo.units == 126
    assert geo.statistics["percent"].value == pytest.approx((54 + 62) / 126)
    assert geo.statistics["cohen"].value == pytest.approx((64 * 880 / 1520 + 62 * 1.0) / 126)
    # Pooled alpha over all 126 characters: 40 coded by both, 10 by one, 76 by none.
    assert geo.statistics["alpha"].value == pytest.approx(1 - 251 * 10 / (90 * 162))

    # cognitive: kappa defined in t1 only (nobody used it in t2), so the mean is t1's kappa.
    assert cog.statistics["cohen"].value == pytest.approx(kappa_2x2(22, 8, 22, 12))
    assert cog.statistics["cohen"].units == 64
    assert cog.kappa_base.to_dict() == {
        "characters": 64,
        "defined": 1,
        "compared": 2,
        "nobody_used_the_code": 1,
        "coded_throughout": 0,
    }
    assert cog.statistics["cohen"].note == (
        "the mean rests on 1 of the 2 transcripts (64 characters): in the other one nobody used "
        "the code, so kappa is undefined there and left out"
    )
    assert "nobody used this code in this transcript" in cog.transcripts[1].kappa.note
    assert cog.statistics["percent"].value == pytest.approx((34 + 62) / 126)

    # structural: jonas alone coded 30 characters of t2: kappa 0 there.
    assert struct.statistics["cohen"].value == pytest.approx(0.0)

    # All codes: 3 codes × 126 characters, kappa averaged over the defined pairs by length.
    assert level.overall.units == 3 * 126
    # Defined pairs: geographic t1 and t2, cognitive t1, structural t2.
    assert (level.overall.kappa_base.defined, level.overall.kappa_base.compared) == (4, 6)
    assert level.overall.statistics["cohen"].units == 64 + 62 + 64 + 62
    assert any("undefined in 2 of the 6" in n and "nobody used the code" in n for n in level.notes)
    assert any("NVivo reports kappa 1" in n for n in level.notes)


def test_segment_level_presence_per_paragraph(tiny) -> None:
    level = segment_level(load_material(tiny, ["ingrid", "jonas"]), "paragraph")
    geo, cog, struct = (by_code(level)[c] for c in (GEO, COG, STR))
    assert geo.units == 5
    # geographic: both [1,0,0,1,0]
    assert geo.statistics["cohen"].value == pytest.approx(1.0)
    assert geo.coded == {"ingrid": 2, "jonas": 2}
    # cognitive: ingrid [0,1,0,0,0], jonas [0,1,1,0,0] (her coding reaches into paragraph 3)
    assert cog.coded == {"ingrid": 1, "jonas": 2}
    assert cog.statistics["percent"].value == pytest.approx(0.8)
    assert cog.statistics["cohen"].value == pytest.approx(kappa_2x2(3, 0, 1, 1))
    assert cog.statistics["alpha"].value == pytest.approx(1 - 9 / 21)
    # structural: jonas alone, one paragraph: no agreement beyond chance.
    assert struct.statistics["cohen"].value == pytest.approx(0.0)
    assert struct.statistics["alpha"].value == pytest.approx(0.0)
    assert level.overall.units == 15


def test_segment_level_by_turn_has_one_unit_per_transcript(tiny) -> None:
    level = segment_level(load_material(tiny, ["ingrid", "jonas"]), "turn")
    geo = by_code(level)[GEO]
    assert geo.units == 2
    assert geo.statistics["cohen"].value is None  # both coded both turns: nothing varies
    assert geo.statistics["percent"].value == 1.0


def test_group_of_exclusive_codes_is_one_nominal_variable(tiny) -> None:
    material = load_material(tiny, ["ingrid", "jonas"])
    [group] = group_level(material, ["distance"], material.raw, "paragraph").codes
    # ingrid: geo, cog, none, geo, none;  jonas: geo, cog, cog, geo, structural
    assert group.statistics["percent"].value == pytest.approx(3 / 5)
    chance = (2 * 2 + 1 * 2) / 25
    assert group.statistics["cohen"].value == pytest.approx((0.6 - chance) / (1 - chance))


def test_span_level_lays_transcripts_end_to_end_with_merged_stretches(tiny) -> None:
    level = span_level(load_material(tiny, ["ingrid", "jonas"]))
    geo = by_code(level)[GEO]
    assert geo.coded == {"ingrid": 2, "jonas": 2}
    expected = unitizing_alpha(
        [
            (0, 20, "ingrid", GEO),
            (64, 30, "ingrid", GEO),
            (22, 20, "ingrid", COG),
            (0, 10, "jonas", GEO),
            (64, 30, "jonas", GEO),
            (30, 34, "jonas", COG),
            (96, 30, "jonas", STR),
        ],
        (0, 126),
        coders=["ingrid", "jonas"],
        codes=[GEO, COG, STR],
    )
    for code in (GEO, COG, STR):
        assert by_code(level)[code].statistics["ualpha"].value == pytest.approx(
            expected.by_code[code].value
        )
    assert level.overall.statistics["ualpha"].value == pytest.approx(expected.overall.value)
    # By hand: the only disagreement on geographic is ingrid's unit ending 10 characters later.
    assert geo.extra["observed"] == pytest.approx(2 * 100 / (2 * 126**2))


def test_depth_rolls_children_up_to_their_parent(tiny) -> None:
    result = compare(tiny, ["ingrid", "jonas"], levels=["segment"], depth=1)
    [distance] = result.levels["segment"].codes
    assert distance.code == "distance"
    # ingrid [1,1,0,1,0]; jonas [1,1,1,1,1]
    assert distance.coded == {"ingrid": 3, "jonas": 5}
    assert distance.statistics["percent"].value == pytest.approx(3 / 5)


def test_codes_limit_the_comparison_and_a_parent_without_depth_is_explained(tiny) -> None:
    result = compare(tiny, ["ingrid", "jonas"], levels=["segment"], codes=[COG, "distance"])
    assert [f.code for f in result.levels["segment"].codes] == [COG, "distance"]
    unused = {f.code: f for f in result.levels["segment"].codes}["distance"]
    assert unused.statistics["alpha"].value is None
    assert any("--depth 1" in n for n in result.notes)


def test_three_coders_use_fleiss_kappa_and_no_cohen(tmp_path) -> None:
    from agreement_study import CODINGS, make_study

    codings = {**CODINGS, "kari": [("t1", 0, 20, GEO), ("t2", 0, 30, GEO)]}
    study = make_study(tmp_path / "three", codings)
    result = compare(study, ["ingrid", "jonas", "kari"])
    seg = {f.code: f for f in result.levels["segment"].codes}
    assert "cohen" not in seg[GEO].statistics
    assert seg[GEO].statistics["fleiss"].value == pytest.approx(1.0)
    char = result.levels["character"]
    assert "fleiss" in {k for f in char.codes for k in f.statistics}
