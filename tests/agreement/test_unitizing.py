"""Krippendorff's unitizing alpha: the published example, a plain reference, undefined cases."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.agreement.unitizing import unitizing_alpha

# Krippendorff (2004), Content Analysis, 2nd ed., pp. 251-256: continuum 150-450, two coders.
EXAMPLE_CONTINUUM = (150, 450)
EXAMPLE_UNITS = [
    (225, 70, 1, "c"),
    (370, 30, 1, "c"),
    (220, 80, 2, "c"),
    (355, 20, 2, "c"),
    (400, 20, 2, "c"),
    (180, 60, 1, "k"),
    (300, 50, 1, "k"),
    (180, 60, 2, "k"),
    (300, 50, 2, "k"),
]


def test_reproduces_the_published_example():
    result = unitizing_alpha(EXAMPLE_UNITS, EXAMPLE_CONTINUUM)
    assert round(result.overall.value, 3) == 0.859
    assert round(result.by_code["c"].value, 3) == 0.729
    assert round(result.by_code["k"].value, 3) == 1.000
    assert result.by_code["c"].units == 5
    assert result.by_code["k"].units == 4
    assert result.overall.units == 9


def test_example_disagreements():
    result = unitizing_alpha(EXAMPLE_UNITS, EXAMPLE_CONTINUUM)
    # Code c: units (225,70)~(220,80) cost 5²+5² = 50, (370,30)~(355,20) cost 15²+25² = 850,
    # and coder 2's unit (400,20) inside coder 1's gap (400,50) costs 20² = 400.
    assert result.observed["c"] == pytest.approx(2 * 1300 / (2 * 1 * 300**2))
    assert round(result.observed["c"], 4) == 0.0144
    assert round(result.expected["c"], 4) == 0.0532
    assert result.observed["k"] == 0.0
    assert round(result.expected["k"], 4) == 0.0490


def test_overall_is_pooled_not_averaged():
    result = unitizing_alpha(EXAMPLE_UNITS, EXAMPLE_CONTINUUM)
    pooled = 1 - sum(result.observed.values()) / sum(result.expected.values())
    assert result.overall.value == pytest.approx(pooled)
    average = sum(s.value for s in result.by_code.values()) / 2
    assert round(average, 3) != 0.859


def test_order_of_units_and_names_of_coders_do_not_matter():
    renamed = [(s, n, {1: "Kari", 2: "Ola"}[c], code) for s, n, c, code in EXAMPLE_UNITS]
    result = unitizing_alpha(list(reversed(renamed)), EXAMPLE_CONTINUUM)
    assert round(result.overall.value, 3) == 0.859


def test_identical_codings_agree_perfectly():
    units = [(10, 5, coder, "a") for coder in "xyz"] + [(40, 20, coder, "b") for coder in "xyz"]
    result = unitizing_alpha(units, (0, 100))
    assert result.overall.value == pytest.approx(1.0)
    assert all(s.value == pytest.approx(1.0) for s in result.by_code.values())


def test_a_code_nobody_used():
    result = unitizing_alpha(EXAMPLE_UNITS, EXAMPLE_CONTINUUM, codes=["c", "k", "unused"])
    unused = result.by_code["unused"]
    assert unused.value is None and "nobody used" in unused.note
    assert unused.units == 0
    assert "unused" not in result.observed
    assert round(result.overall.value, 3) == 0.859  # an unused code changes nothing


def test_only_one_coder():
    units = [(0, 10, "only", "a"), (20, 5, "only", "b")]
    result = unitizing_alpha(units, (0, 50))
    for statistic in (result.overall, *result.by_code.values()):
        assert statistic.value is None
        assert "one coder" in statistic.note


def test_a_coder_who_coded_nothing_disagrees_with_one_who_did():
    units = [(0, 10, "ann", "a"), (20, 5, "ann", "a")]
    result = unitizing_alpha(units, (0, 50), coders=["ann", "bob"])
    assert result.by_code["a"].value is not None
    assert result.by_code["a"].value < 0.5


def test_no_variation_is_undefined():
    # A continuum one position long leaves no room for codings to differ.
    result = unitizing_alpha([(0, 1, "ann", "a"), (0, 1, "bob", "a")], (0, 1))
    assert result.by_code["a"].value is None
    assert "no variation" in result.by_code["a"].note
    assert result.overall.value is None


def test_nothing_coded_at_all():
    result = unitizing_alpha([], (0, 100), coders=["ann", "bob"], codes=["a"])
    assert result.overall.value is None and "nobody coded" in result.overall.note
    assert result.by_code["a"].value is None


def test_overlapping_units_of_one_coder_count_as_one():
    merged = unitizing_alpha([(10, 20, 1, "a"), (15, 5, 2, "a")], (0, 100))
    split = unitizing_alpha([(10, 10, 1, "a"), (15, 15, 1, "a"), (15, 5, 2, "a")], (0, 100))
    assert split.by_code["a"].value == pytest.approx(merged.by_code["a"].value)


def test_bad_units_are_refused():
    with pytest.raises(ValueError, match="outside the continuum"):
        unitizing_alpha([(140, 20, 1, "c")], (150, 450))
    with pytest.raises(ValueError, match="positive length"):
        unitizing_alpha([(160, 0, 1, "c")], (150, 450))
    with pytest.raises(ValueError, match="whole number"):
        unitizing_alpha([(160.5, 3, 1, "c")], (150, 450))
    with pytest.raises(ValueError, match="not among the coders"):
        unitizing_alpha([(160, 3, "eve", "c")], (150, 450), coders=["ann", "bob"])
    with pytest.raises(ValueError, match="not among the codes"):
        unitizing_alpha([(160, 3, "ann", "z")], (150, 450), codes=["c"])
    with pytest.raises(ValueError, match="end after it begins"):
        unitizing_alpha([], (10, 10))


# --- a plain, loop-by-loop reading of the definition, to check the vectorised one ----------


def _plain_sections(spans, begin, end):
    sections, position = [], begin
    for start, length in sorted(spans):
        if start > position:
            sections.append((position, start - position, False))
        sections.append((start, length, True))
        position = start + length
    if position < end:
        sections.append((position, end - position, False))
    return sections


def _plain_distance(first, second):
    (b1, l1, unit1), (b2, l2, unit2) = first, second
    if unit1 and unit2 and b1 < b2 + l2 and b2 < b1 + l1:
        return (b1 - b2) ** 2 + (b1 + l1 - b2 - l2) ** 2
    if unit1 and not unit2 and b2 <= b1 and b1 + l1 <= b2 + l2:
        return l1**2
    if unit2 and not unit1 and b1 <= b2 and b2 + l2 <= b1 + l1:
        return l2**2
    return 0


def _plain_alpha(units, begin, end, coders, code):
    length = end - begin
    m = len(coders)
    sections = {}
    for c in coders:
        spans = [(s, n) for s, n, who, k in units if who == c and k == code]
        sections[c] = _plain_sections(spans, begin, end)
    observed = sum(
        _plain_distance(g, h)
        for i in coders
        for j in coders
        if i != j
        for g in sections[i]
        for h in sections[j]
    ) / (m * (m - 1) * length**2)
    lengths = [n for c in coders for _, n, unit in sections[c] if unit]
    gaps = [n for c in coders for _, n, unit in sections[c] if not unit]
    count = len(lengths)
    numerator = sum(
        (count - 1) / 3 * (2 * n**3 - 3 * n**2 + n) + n**2 * sum(g - n + 1 for g in gaps if g >= n)
        for n in lengths
    )
    denominator = m * length * (m * length - 1) - sum(n * (n - 1) for n in lengths)
    expected = 2 / length * numerator / denominator
    return observed, expected


@st.composite
def codings(draw):
    """Random non-overlapping units for 2-3 coders and codes a/b on a short continuum."""
    end = draw(st.integers(5, 60))
    coders = list(range(draw(st.integers(2, 3))))
    units = []
    for coder in coders:
        for code in "ab":
            position = 0
            for _ in range(draw(st.integers(0, 4))):
                start = position + draw(st.integers(0, 8))
                if start >= end:
                    break
                length = draw(st.integers(1, max(1, min(15, end - start))))
                units.append((start, length, coder, code))
                position = start + length
    return units, end, coders


@settings(max_examples=80, derandomize=True, deadline=None)
@given(case=codings())
def test_matches_a_plain_reading_of_the_definition(case):
    units, end, coders = case
    result = unitizing_alpha(units, (0, end), coders=coders, codes=["a", "b"])
    for code in "ab":
        if not any(k == code for *_, k in units):
            assert result.by_code[code].value is None
            continue
        observed, expected = _plain_alpha(units, 0, end, coders, code)
        assert result.observed[code] == pytest.approx(observed, rel=1e-12, abs=1e-15)
        assert result.expected[code] == pytest.approx(expected, rel=1e-12, abs=1e-15)
        if expected > 0:
            assert result.by_code[code].value == pytest.approx(1 - observed / expected)
