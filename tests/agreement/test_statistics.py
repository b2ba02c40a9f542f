"""Agreement statistics: published examples, reference implementations, undefined cases."""

from __future__ import annotations

import dataclasses
import math
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss_kappa

from qualcode.agreement.statistics import (
    Statistic,
    brennan_prediger,
    cohen_kappa,
    cohen_kappa_from_table,
    fleiss_kappa,
    fleiss_table,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scotts_pi,
)

nan = np.nan

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": observers A-D, units 1-12.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
]

# Fleiss (1971): 30 patients, each diagnosed by 6 psychiatrists into 5 categories
# (depression, personality disorder, schizophrenia, neurosis, other). Row: counts per category.
FLEISS_1971 = [
    [0, 0, 0, 6, 0],
    [0, 3, 0, 0, 3],
    [0, 1, 4, 0, 1],
    [0, 0, 0, 0, 6],
    [0, 3, 0, 3, 0],
    [2, 0, 4, 0, 0],
    [0, 0, 4, 0, 2],
    [2, 0, 3, 1, 0],
    [2, 0, 0, 4, 0],
    [0, 0, 0, 0, 6],
    [1, 0, 0, 5, 0],
    [1, 1, 0, 4, 0],
    [0, 3, 3, 0, 0],
    [1, 0, 0, 5, 0],
    [0, 2, 0, 3, 1],
    [0, 0, 5, 0, 1],
    [3, 0, 0, 1, 2],
    [5, 1, 0, 0, 0],
    [0, 2, 0, 4, 0],
    [1, 0, 2, 0, 3],
    [0, 0, 0, 0, 6],
    [0, 1, 0, 5, 0],
    [0, 2, 0, 1, 3],
    [2, 0, 0, 4, 0],
    [1, 0, 0, 4, 1],
    [0, 5, 0, 1, 0],
    [4, 0, 0, 0, 2],
    [0, 2, 0, 4, 0],
    [1, 0, 5, 0, 0],
    [0, 0, 0, 0, 6],
]

PROPERTY_SETTINGS = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def assert_undefined(statistic: Statistic, *words: str) -> None:
    assert statistic.value is None
    assert not statistic.defined
    assert statistic.note
    for word in words:
        assert word in statistic.note


# --- published examples ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "expected"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_alpha_reproduces_krippendorff_2011(level, expected):
    result = krippendorff_alpha(KRIPPENDORFF_2011, level)
    assert round(result.value, 3) == expected
    assert result.units == 11  # unit 12 has a single value and drops out


# Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed., and his irrCAC package (README,
# "Computing agreement coefficients from raw ratings"), on the same four raters × 12 units as
# Krippendorff (2011), missing ratings included: percent agreement 0.8181818, Gwet's AC1 0.77544
# (chance 0.1903212), Fleiss' kappa 0.76117 (chance 0.2387153), Brennan-Prediger 0.77273 with the
# five categories 1-5 (chance 0.2), Krippendorff's alpha 0.74342.
@pytest.mark.parametrize(
    ("coefficient", "expected"),
    [
        (percent_agreement, 0.8181818),
        (gwet_ac1, 0.77544),
        (lambda data: fleiss_kappa(fleiss_table(data)[0]), 0.76117),
        (brennan_prediger, 0.77273),
        (krippendorff_alpha, 0.74342),
    ],
)
def test_coefficients_with_missing_ratings_reproduce_gwet_2014(coefficient, expected):
    result = coefficient(KRIPPENDORFF_2011)
    assert result.value == pytest.approx(expected, abs=5e-6)
    assert result.units == 11  # unit 12 was rated once


# Gwet's irrCAC (README) on its 3 × 3 table of two abstractors, cont3x3abstractors:
# Cohen's kappa 0.7964094, Scott's pi 0.7962397, Gwet's AC1 0.8493305, Brennan-Prediger 0.835,
# Krippendorff's alpha 0.7972585, percent agreement 0.89.
ABSTRACTORS = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]


def two_coders_from_table(table):
    first, second = [], []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            first += [i] * count
            second += [j] * count
    return [first, second]


@pytest.mark.parametrize(
    ("coefficient", "expected"),
    [
        (cohen_kappa, 0.7964094),
        (scotts_pi, 0.7962397),
        (gwet_ac1, 0.8493305),
        (brennan_prediger, 0.835),
        (krippendorff_alpha, 0.7972585),
        (percent_agreement, 0.89),
    ],
)
def test_two_coder_coefficients_reproduce_gwet_2014(coefficient, expected):
    result = coefficient(two_coders_from_table(ABSTRACTORS))
    assert result.value == pytest.approx(expected, abs=5e-7)
    assert result.units == 100


# irrCAC (README) on the first 15 of Fleiss' (1971) patients, six raters, five categories:
# Gwet's AC1 0.4448007, Fleiss' kappa 0.4139265, Brennan-Prediger 0.4388889.
def test_counts_of_six_raters_reproduce_gwet_2014():
    table = np.array(FLEISS_1971[:15])
    assert fleiss_kappa(table).value == pytest.approx(0.4139265, abs=5e-8)
    ratings = np.array([np.repeat(np.arange(5), row) for row in table], dtype=float).T
    assert gwet_ac1(ratings, categories=5).value == pytest.approx(0.4448007, abs=5e-8)
    assert brennan_prediger(ratings, categories=5).value == pytest.approx(0.4388889, abs=5e-8)


def test_alpha_accepts_labels_and_none_for_missing():
    names = {1: "very low", 2: "low", 3: "mid", 4: "high", 5: "very high"}
    labelled = [[None if math.isnan(v) else names[v] for v in row] for row in KRIPPENDORFF_2011]
    assert round(krippendorff_alpha(labelled).value, 3) == 0.743
    ordinal = krippendorff_alpha(labelled, "ordinal", order=list(names.values()))
    assert round(ordinal.value, 3) == 0.815


def test_alpha_on_labels_needs_an_order_or_numbers():
    with pytest.raises(ValueError, match="order"):
        krippendorff_alpha([["a", "b"], ["a", "a"]], "ordinal")
    with pytest.raises(ValueError, match="numbers"):
        krippendorff_alpha([["a", "b"], ["a", "a"]], "interval")
    with pytest.raises(ValueError, match="level"):
        krippendorff_alpha([[1, 2], [1, 1]], "nominl")  # type: ignore[arg-type]


def test_fleiss_kappa_reproduces_fleiss_1971():
    result = fleiss_kappa(FLEISS_1971)
    assert round(result.value, 3) == 0.430
    assert result.units == 30


def test_fleiss_table_builds_counts_from_reliability_data():
    data = [
        ["a", "b", None, "a"],
        ["a", "b", "b", None],
        ["b", "b", None, None],
    ]
    table, categories = fleiss_table(data)
    assert categories == ["a", "b"]
    assert table.tolist() == [[2, 1], [0, 3], [0, 1], [1, 0]]
    table, categories = fleiss_table(data, categories=["b", "a", "c"])
    assert table[:, 2].sum() == 0 and table[0].tolist() == [1, 2, 0]
    with pytest.raises(ValueError, match="not among the categories"):
        fleiss_table(data, categories=["a"])


def test_cohen_kappa_from_a_two_by_two_table():
    result = cohen_kappa_from_table([[20, 5], [10, 15]])
    assert result.value == pytest.approx(0.40)
    assert result.units == 50


def test_cohen_kappa_from_data_matches_its_table():
    first = ["y"] * 20 + ["y"] * 5 + ["n"] * 10 + ["n"] * 15 + [None]
    second = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15 + ["y"]
    result = cohen_kappa([first, second])
    assert result.value == pytest.approx(0.40)
    assert result.units == 50  # the unit only the second coder coded is left out


def test_two_by_two_example_for_the_other_coefficients():
    # [[20, 5], [10, 15]]: observed agreement 0.70; pooled shares 0.55 and 0.45.
    first = [0] * 25 + [1] * 25
    second = [0] * 20 + [1] * 5 + [0] * 10 + [1] * 15
    data = [first, second]
    assert percent_agreement(data).value == pytest.approx(0.70)
    assert scotts_pi(data).value == pytest.approx((0.70 - 0.505) / (1 - 0.505))
    assert gwet_ac1(data).value == pytest.approx((0.70 - 0.495) / (1 - 0.495))
    assert brennan_prediger(data).value == pytest.approx(0.40)
    assert brennan_prediger(data, categories=4).value == pytest.approx((0.70 - 0.25) / 0.75)
    assert brennan_prediger(data, categories=[0, 1, 2, 3]).value == pytest.approx(0.60)
    # Two coders, complete data: Fleiss' kappa is Scott's pi.
    assert fleiss_kappa(fleiss_table(data)[0]).value == pytest.approx(scotts_pi(data).value)


def test_percent_agreement_with_three_coders_and_missing_values():
    data = [
        [1, 1, 2, None],
        [1, 2, 2, 3],
        [1, None, 2, None],
    ]
    # unit 1: all agree; unit 2: 0 of 2 pairs; unit 3: all agree; unit 4: one value, left out.
    result = percent_agreement(data)
    assert result.value == pytest.approx((1 + 0 + 1) / 3)
    assert result.units == 3


def test_two_coder_statistics_refuse_more_coders():
    with pytest.raises(ValueError, match="exactly two"):
        cohen_kappa([[1, 2], [1, 2], [1, 2]])
    with pytest.raises(ValueError, match="exactly two"):
        scotts_pi([[1, 2], [1, 2], [1, 2]])


def test_bad_input_is_refused_plainly():
    with pytest.raises(ValueError, match="coders × units"):
        krippendorff_alpha([1, 2, 3])
    with pytest.raises(ValueError, match="square"):
        cohen_kappa_from_table([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(ValueError, match="non-negative"):
        fleiss_kappa([[1, -1]])
    with pytest.raises(ValueError, match="categories"):
        gwet_ac1([[1, 2, 3], [1, 2, 3]], categories=2)


def test_statistic_is_a_frozen_record():
    result = krippendorff_alpha(KRIPPENDORFF_2011)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.value = 1.0  # type: ignore[misc]
    assert "0.743" in str(result)


# --- undefined cases ---------------------------------------------------------------------


@pytest.mark.filterwarnings("error")
def test_no_variation_is_undefined_not_a_division_by_zero():
    same = [["x", "x", "x"], ["x", "x", "x"]]
    assert_undefined(krippendorff_alpha(same), "no variation")
    assert_undefined(krippendorff_alpha([[2, 2], [2, 2]], "interval"), "no variation")
    assert_undefined(krippendorff_alpha([[2, 2], [2, 2]], "ordinal"), "no variation")
    assert_undefined(krippendorff_alpha([[0, 0], [0, 0]], "ratio"), "no variation")
    assert_undefined(cohen_kappa(same), "no variation")
    assert_undefined(cohen_kappa_from_table([[7, 0], [0, 0]]), "no variation")
    assert_undefined(scotts_pi(same), "no variation")
    assert_undefined(fleiss_kappa(fleiss_table(same)[0]), "no variation")
    # Only one category exists to choose from: chance agreement is certain.
    assert_undefined(brennan_prediger(same), "category")
    assert_undefined(gwet_ac1(same), "category")
    # With the codebook's categories given, unanimous coding is perfect agreement.
    assert gwet_ac1(same, categories=["x", "y"]).value == pytest.approx(1.0)
    assert brennan_prediger(same, categories=2).value == pytest.approx(1.0)
    assert percent_agreement(same).value == 1.0


def test_variation_only_in_units_coded_once_is_still_no_variation():
    # The differing value sits in a unit nobody else coded, so it cannot be paired.
    data = [[1, 1, 3], [1, 1, None]]
    assert_undefined(krippendorff_alpha(data), "no variation")


@pytest.mark.filterwarnings("error")
def test_one_coder_only():
    one = [[1, 2, 3, 2]]
    for statistic in (
        krippendorff_alpha(one),
        percent_agreement(one),
        cohen_kappa(one),
        scotts_pi(one),
        gwet_ac1(one),
        brennan_prediger(one),
    ):
        assert_undefined(statistic, "one coder")
        assert statistic.units == 0
    assert_undefined(fleiss_kappa(fleiss_table(one)[0]), "two or more coders")


@pytest.mark.filterwarnings("error")
def test_all_missing():
    for data in (np.full((3, 5), np.nan), [[None, None], [None, None]]):
        for statistic in (
            krippendorff_alpha(data),
            krippendorff_alpha(data, "interval"),
            percent_agreement(data),
            gwet_ac1(data),
            brennan_prediger(data),
            fleiss_kappa(fleiss_table(data)[0]),
        ):
            assert_undefined(statistic, "nothing to compare")
            assert statistic.units == 0
    for statistic in (cohen_kappa([[None, 1], [2, None]]), scotts_pi([[None, 1], [2, None]])):
        assert_undefined(statistic, "nothing to compare")
    assert_undefined(cohen_kappa_from_table([[0, 0], [0, 0]]), "nothing to compare")


# --- agreement with established implementations on random data ---------------------------


@st.composite
def reliability_data(draw, max_value: int = 5, allow_missing: bool = True):
    """Coders × units of small whole numbers, some cells missing (nan)."""
    n_coders = draw(st.integers(2, 4))
    n_units = draw(st.integers(1, 25))
    value = st.integers(1, max_value)
    cell = st.one_of(st.none(), value) if allow_missing else value
    cells = draw(st.lists(cell, min_size=n_coders * n_units, max_size=n_coders * n_units))
    table = np.array([np.nan if c is None else float(c) for c in cells])
    return table.reshape(n_coders, n_units)


def reference_alpha(data: np.ndarray, level: str) -> float | None:
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            value = float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))
        except ValueError:  # it refuses data with a single value or nothing to pair
            return None
    return None if math.isnan(value) else value


@PROPERTY_SETTINGS
@given(data=reliability_data(), level=st.sampled_from(["nominal", "ordinal", "interval", "ratio"]))
def test_alpha_matches_the_krippendorff_package(data, level):
    ours = krippendorff_alpha(data, level)
    theirs = reference_alpha(data, level)
    if theirs is None:
        assert ours.value is None and ours.note
    else:
        assert ours.value == pytest.approx(theirs, abs=1e-9)


@PROPERTY_SETTINGS
@given(data=reliability_data(max_value=4))
def test_nominal_alpha_ignores_how_values_are_spelled(data):
    spelled = [[None if math.isnan(v) else f"code-{int(v)}" for v in row] for row in data]
    ours = krippendorff_alpha(data)
    labelled = krippendorff_alpha(spelled)
    assert labelled.units == ours.units
    if ours.value is None:
        assert labelled.value is None
    else:
        assert labelled.value == pytest.approx(ours.value, abs=1e-12)


@PROPERTY_SETTINGS
@given(data=reliability_data(max_value=4))
def test_cohen_kappa_matches_scikit_learn(data):
    first, second = data[0], data[1]
    both = ~np.isnan(first) & ~np.isnan(second)
    ours = cohen_kappa(data[:2])
    assert ours.units == int(both.sum())
    if not both.any():
        assert ours.value is None
        return
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        theirs = float(cohen_kappa_score(first[both], second[both]))
    if math.isnan(theirs):
        assert ours.value is None and "no variation" in ours.note
    else:
        assert ours.value == pytest.approx(theirs, abs=1e-9)


@st.composite
def count_tables(draw):
    """Units × categories tables with the same number of ratings for every unit."""
    n_units = draw(st.integers(1, 30))
    n_categories = draw(st.integers(2, 5))
    n_raters = draw(st.integers(2, 6))
    rows = []
    for _ in range(n_units):
        ratings = draw(
            st.lists(st.integers(0, n_categories - 1), min_size=n_raters, max_size=n_raters)
        )
        rows.append(np.bincount(ratings, minlength=n_categories))
    return np.array(rows)


@PROPERTY_SETTINGS
@given(table=count_tables())
def test_fleiss_kappa_matches_statsmodels(table):
    ours = fleiss_kappa(table)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        theirs = float(statsmodels_fleiss_kappa(table))
        uniform = float(statsmodels_fleiss_kappa(table, method="uniform"))
    if math.isnan(theirs):
        assert ours.value is None and "no variation" in ours.note
    else:
        assert ours.value == pytest.approx(theirs, abs=1e-9)
    # With complete data, Brennan-Prediger is Fleiss' observed agreement against 1/q.
    n_raters = int(table[0].sum())
    reliability = np.array(
        [np.repeat(np.arange(table.shape[1]), row) for row in table], dtype=float
    ).T.reshape(n_raters, -1)
    bp = brennan_prediger(reliability, categories=table.shape[1])
    assert bp.value == pytest.approx(uniform, abs=1e-9)


@PROPERTY_SETTINGS
@given(data=reliability_data(max_value=3, allow_missing=False))
def test_scotts_pi_is_fleiss_kappa_for_two_coders(data):
    two = data[:2]
    pi = scotts_pi(two)
    kappa = fleiss_kappa(fleiss_table(two)[0])
    if pi.value is None:
        assert kappa.value is None
    else:
        assert pi.value == pytest.approx(kappa.value, abs=1e-12)
