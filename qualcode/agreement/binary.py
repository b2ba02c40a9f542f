"""Agreement on coded / not coded, computed from counts instead of one value per unit.

At the character and segment levels every unit (a character, a paragraph) gets one of two values
from each coder: coded with the code, or not. All coders judge every unit, so the data are
complete, and every coefficient in :mod:`qualcode.agreement.statistics` depends only on

* ``histogram[k]``: how many units exactly ``k`` of the ``m`` coders coded (``k = 0 .. m``), and,
  for Cohen's kappa,
* ``table``: the 2 × 2 table of two coders (rows the first coder, columns the second; index 0 is
  "not coded", 1 is "coded").

Working from these counts lets a figure rest on millions of characters without building a value
per character. The functions give exactly what the general functions give on the expanded data
(the tests check this), with the same names and the same notes when a figure is undefined.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from qualcode.agreement.statistics import (
    NOTE_NO_VARIATION,
    NOTE_NOTHING_TO_COMPARE,
    NOTE_ONE_CODER,
    Statistic,
    cohen_kappa_from_table,
)

__all__ = ["BinaryCounts", "empty_counts", "percent_and_kappa"]


@dataclass(frozen=True)
class BinaryCounts:
    """Counts of complete coded / not-coded data for ``coders`` coders."""

    coders: int
    histogram: np.ndarray
    """``histogram[k]``: units coded by exactly ``k`` coders; length ``coders + 1``."""
    table: np.ndarray | None = None
    """Two coders only: ``table[i, j]`` units the first coder gave ``i`` and the second ``j``."""

    @classmethod
    def from_presence(cls, presence: np.ndarray) -> BinaryCounts:
        """Counts from a coders × units array of booleans (True: the coder coded the unit)."""
        presence = np.asarray(presence, dtype=bool)
        m = presence.shape[0]
        per_unit = presence.sum(axis=0)
        histogram = np.bincount(per_unit, minlength=m + 1).astype(np.float64)
        table = None
        if m == 2:
            keys = presence[0].astype(np.int64) * 2 + presence[1]
            table = np.bincount(keys, minlength=4).reshape(2, 2).astype(np.float64)
        return cls(m, histogram, table)

    def __add__(self, other: BinaryCounts) -> BinaryCounts:
        if other.coders != self.coders:
            raise ValueError("cannot add counts of different numbers of coders")
        table = None
        if self.table is not None and other.table is not None:
            table = self.table + other.table
        return BinaryCounts(self.coders, self.histogram + other.histogram, table)

    # -- what the coefficients are made of ------------------------------------------------------
    # Plain float arithmetic: with a handful of coders this is much faster than numpy on tiny
    # arrays, which matters when a figure is made for every code and transcript.

    @cached_property
    def _h(self) -> tuple[float, ...]:
        return tuple(float(x) for x in self.histogram)

    @property
    def units(self) -> int:
        return round(sum(self._h))

    def _observed(self) -> float:
        """Share of agreeing coder pairs, averaged over units."""
        m = self.coders
        agreeing = sum(h * (k * (k - 1) + (m - k) * (m - k - 1)) for k, h in enumerate(self._h))
        return agreeing / (m * (m - 1)) / sum(self._h)

    def _coded_share(self) -> float:
        """Share of all values that are "coded" (pi_1)."""
        return sum(k * h for k, h in enumerate(self._h)) / (sum(self._h) * self.coders)

    def _undefined(self, name: str) -> Statistic | None:
        if self.coders < 2:
            return Statistic(name, None, 0, NOTE_ONE_CODER)
        if sum(self._h) <= 0:
            return Statistic(name, None, 0, NOTE_NOTHING_TO_COMPARE)
        return None

    def _corrected(self, name: str, chance: float) -> Statistic:
        if chance >= 1.0 - 1e-12:
            return Statistic(name, None, self.units, NOTE_NO_VARIATION)
        return Statistic(name, (self._observed() - chance) / (1.0 - chance), self.units)

    # -- the coefficients -----------------------------------------------------------------------

    def percent_agreement(self) -> Statistic:
        name = "Percent agreement"
        return self._undefined(name) or Statistic(name, self._observed(), self.units)

    def fleiss_kappa(self, name: str = "Fleiss' kappa") -> Statistic:
        undefined = self._undefined(name)
        if undefined is not None:
            return undefined
        coded = self._coded_share()
        if coded <= 0.0 or coded >= 1.0:
            return Statistic(name, None, self.units, NOTE_NO_VARIATION)
        return self._corrected(name, coded**2 + (1.0 - coded) ** 2)

    def scotts_pi(self) -> Statistic | None:
        """Scott's pi (two coders only; None for more): Fleiss' kappa with complete data."""
        if self.coders != 2:
            return None
        return self.fleiss_kappa("Scott's pi")

    def cohen_kappa(self) -> Statistic | None:
        """Cohen's kappa (two coders only; None for more)."""
        if self.coders != 2 or self.table is None:
            return None
        return cohen_kappa_from_table(self.table)

    def krippendorff_alpha(self) -> Statistic:
        name = "Krippendorff's alpha (nominal)"
        undefined = self._undefined(name)
        if undefined is not None:
            return undefined
        m = self.coders
        n = sum(self._h) * m  # every unit has all m values
        coded = sum(k * h for k, h in enumerate(self._h))
        uncoded = n - coded
        if coded <= 0.0 or uncoded <= 0.0:
            return Statistic(name, None, self.units, NOTE_NO_VARIATION)
        # Disagreeing pairs of values within units, each unit weighted 1 / (m - 1).
        mixed = sum(h * k * (m - k) for k, h in enumerate(self._h)) / (m - 1)
        return Statistic(name, 1.0 - (n - 1.0) * mixed / (coded * uncoded), self.units)

    def gwet_ac1(self) -> Statistic:
        name = "Gwet's AC1"
        undefined = self._undefined(name)
        if undefined is not None:
            return undefined
        coded = self._coded_share()
        return self._corrected(name, 2.0 * coded * (1.0 - coded))

    def brennan_prediger(self) -> Statistic:
        name = "Brennan-Prediger kappa"
        return self._undefined(name) or self._corrected(name, 0.5)

    def all(self) -> dict[str, Statistic]:
        """Every coefficient that applies, by key (see :data:`STATISTIC_KEYS`)."""
        out: dict[str, Statistic] = {"percent": self.percent_agreement()}
        cohen = self.cohen_kappa()
        scott = self.scotts_pi()
        if cohen is not None:
            out["cohen"] = cohen
        if scott is not None:
            out["scott"] = scott
        out["fleiss"] = self.fleiss_kappa()
        out["alpha"] = self.krippendorff_alpha()
        out["ac1"] = self.gwet_ac1()
        out["bp"] = self.brennan_prediger()
        return out


def percent_and_kappa(
    histograms: np.ndarray, covers: np.ndarray
) -> list[tuple[Statistic, Statistic]]:
    """Percent agreement and kappa for many groups of units at once.

    ``histograms`` is groups × (coders + 1) as in :class:`BinaryCounts`; ``covers`` is
    coders × groups, the units each coder coded (needed for Cohen's kappa). Kappa is Cohen's for
    two coders and Fleiss' for more. Gives the same as ``BinaryCounts`` one group at a time.
    """
    h = np.asarray(histograms, dtype=np.float64)
    m = h.shape[1] - 1
    if m < 2:
        raise ValueError("agreement needs at least two coders")
    k = np.arange(m + 1, dtype=np.float64)
    units = h.sum(axis=1)
    safe = np.where(units > 0, units, 1.0)
    observed = h @ ((k * (k - 1) + (m - k) * (m - k - 1)) / (m * (m - 1))) / safe
    with np.errstate(divide="ignore", invalid="ignore"):
        if m == 2:
            a, b = covers[0], covers[1]
            agreeing = h[:, 0] + h[:, 2]
            chance = a * b + (units - a) * (units - b)
            denominator = units * units - chance
            kappa = (units * agreeing - chance) / denominator
            kappa[denominator <= 1e-12 * units * units] = np.nan
            name = "Cohen's kappa"
        else:
            coded = (h @ k) / (safe * m)
            chance = coded**2 + (1.0 - coded) ** 2
            kappa = (observed - chance) / (1.0 - chance)
            kappa[(coded <= 0.0) | (coded >= 1.0) | (chance >= 1.0 - 1e-12)] = np.nan
            name = "Fleiss' kappa"
    out = []
    for n, p, q in zip(units.tolist(), observed.tolist(), kappa.tolist(), strict=True):
        n = round(n)
        if n == 0:
            out.append(
                (
                    Statistic("Percent agreement", None, 0, NOTE_NOTHING_TO_COMPARE),
                    Statistic(name, None, 0, NOTE_NOTHING_TO_COMPARE),
                )
            )
            continue
        kappa_stat = (
            Statistic(name, None, n, NOTE_NO_VARIATION) if math.isnan(q) else Statistic(name, q, n)
        )
        out.append((Statistic("Percent agreement", p, n), kappa_stat))
    return out


def empty_counts(coders: int) -> BinaryCounts:
    """Counts with no unit at all (a start for adding up)."""
    return BinaryCounts(coders, np.zeros(coders + 1), np.zeros((2, 2)) if coders == 2 else None)
