"""Figures from coded/not-coded counts equal the general statistics on the expanded data."""

from __future__ import annotations

import numpy as np
import pytest

from qualcode.agreement.binary import BinaryCounts
from qualcode.agreement.statistics import (
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    fleiss_table,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scotts_pi,
)


def library(presence: np.ndarray) -> dict:
    data = presence.astype(int)
    out = {
        "percent": percent_agreement(data),
        "fleiss": fleiss_kappa(fleiss_table(data, categories=[0, 1])[0]),
        "alpha": krippendorff_alpha(data, "nominal"),
        "ac1": gwet_ac1(data, categories=[0, 1]),
        "bp": brennan_prediger(data, categories=[0, 1]),
    }
    if presence.shape[0] == 2:
        out["cohen"] = cohen_kappa(data)
        out["scott"] = scotts_pi(data)
    return out


def cases():
    rng = np.random.default_rng(5)
    for coders in (2, 3, 4):
        for units in (1, 2, 7, 50):
            for rate in (0.0, 0.1, 0.5, 1.0):
                truth = rng.random(units) < rate
                noise = rng.random((coders, units)) < 0.2
                yield np.where(noise, ~truth, truth)
        yield np.zeros((coders, 10), dtype=bool)
        yield np.ones((coders, 10), dtype=bool)


@pytest.mark.parametrize("presence", list(cases()))
def test_counts_give_exactly_what_the_general_statistics_give(presence: np.ndarray) -> None:
    ours = BinaryCounts.from_presence(presence).all()
    theirs = library(presence)
    assert set(ours) == set(theirs)
    for key, expected in theirs.items():
        got = ours[key]
        assert got.name == expected.name
        assert got.units == expected.units, key
        if expected.value is None:
            assert got.value is None and got.note == expected.note, key
        else:
            assert got.value == pytest.approx(expected.value, abs=1e-12), key


def test_counts_add_up_like_concatenated_units() -> None:
    rng = np.random.default_rng(9)
    a = rng.random((2, 40)) < 0.3
    b = rng.random((2, 25)) < 0.6
    summed = BinaryCounts.from_presence(a) + BinaryCounts.from_presence(b)
    whole = BinaryCounts.from_presence(np.concatenate([a, b], axis=1))
    assert np.array_equal(summed.histogram, whole.histogram)
    assert np.array_equal(summed.table, whole.table)
    assert summed.cohen_kappa().value == pytest.approx(whole.cohen_kappa().value)


@pytest.mark.parametrize("coders", [2, 3, 4])
def test_figures_for_many_groups_at_once_equal_one_group_at_a_time(coders: int) -> None:
    from qualcode.agreement.binary import percent_and_kappa

    groups = [p for p in cases() if p.shape[0] == coders]
    counts = [BinaryCounts.from_presence(p) for p in groups]
    covers = np.array([[p[k].sum() for p in groups] for k in range(coders)], dtype=float)
    many = percent_and_kappa(np.array([c.histogram for c in counts]), covers)
    for single, (percent, kappa) in zip(counts, many, strict=True):
        expected = single.cohen_kappa() if coders == 2 else single.fleiss_kappa()
        assert percent.value == pytest.approx(single.percent_agreement().value, abs=1e-12)
        assert (kappa.name, kappa.units, kappa.note) == (
            expected.name,
            expected.units,
            expected.note,
        )
        if expected.value is None:
            assert kappa.value is None
        else:
            assert kappa.value == pytest.approx(expected.value, abs=1e-12)
