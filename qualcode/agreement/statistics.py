"""Agreement statistics for coded data.

Every function here answers one question: when several coders independently code the same
material, how far do their codings agree, and how much of that agreement would have happened by
chance anyway?

The data
--------
Most functions take *reliability data*: a table with one row per **coder** and one column per
**unit**. A unit is whatever each coder gave one value to: a quotation, a paragraph, a turn, an
informant. A cell holds the value (the code, category or score) that coder gave that unit. Values
may be numbers or any other labels that can be compared for equality (strings such as
``"distance.geographic"`` work). A coder who did not code a unit leaves the cell empty:
``None`` or ``numpy.nan``.

Example with three coders and four units, the third coder having skipped unit 4::

    [["yes", "no", "no",  "yes"],
     ["yes", "no", "yes", "yes"],
     ["yes", "no", "no",  None ]]

How missing values are treated
------------------------------
A unit takes part in agreement only when at least two coders gave it a value: a unit with a
single value offers nothing to compare. Krippendorff's alpha, percent agreement, Fleiss' kappa,
Gwet's AC1 and Brennan and Prediger's coefficient use every unit with two or more values, even
if some coders skipped it. Cohen's kappa and Scott's pi are defined for two coders who coded the
same units, so they use only the units both coders coded.

When a figure cannot be computed
--------------------------------
Nothing here divides by zero or returns ``nan``. When a statistic is undefined for the data (only
one coder, no unit coded twice, or no variation at all so that chance agreement is already
perfect) its value is ``None`` and its ``note`` says why in plain words.

Which coefficient when
----------------------
==========================  ==============  =====================================================
statistic                   coders          chance model
==========================  ==============  =====================================================
percent agreement           two or more     none: raw share of agreeing pairs
Cohen's kappa               exactly two     each coder has their own category distribution
Scott's pi                  exactly two     both coders share one category distribution
Fleiss' kappa               two or more     shared distribution (generalises Scott's pi)
Gwet's AC1                  two or more     chance applies to hard-to-classify units only
Brennan-Prediger            two or more     all categories equally likely
Krippendorff's alpha        two or more     shared distribution, any level of measurement,
                                            corrected for small samples
==========================  ==============  =====================================================
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any, Literal

import numpy as np

__all__ = [
    "Level",
    "Statistic",
    "brennan_prediger",
    "cohen_kappa",
    "cohen_kappa_from_table",
    "fleiss_kappa",
    "fleiss_table",
    "gwet_ac1",
    "krippendorff_alpha",
    "percent_agreement",
    "scotts_pi",
]

Level = Literal["nominal", "ordinal", "interval", "ratio"]

NOTE_ONE_CODER = "only one coder: agreement needs at least two coders to compare"
NOTE_NOTHING_TO_COMPARE = (
    "no unit was coded by two or more coders, so there is nothing to compare"
)
NOTE_NO_VARIATION = (
    "no variation: every unit got the same value, so the statistic is undefined"
)
NOTE_ONE_CATEGORY = (
    "only one category is possible, so agreement by chance is certain and the statistic is "
    "undefined; give the number of categories in the codebook"
)


@dataclass(frozen=True)
class Statistic:
    """One agreement figure and what it rests on.

    ``value`` is the figure, or ``None`` when the statistic is undefined for the data, in which
    case ``note`` explains why in plain words. ``units`` is the number of units the figure rests
    on (for example the units coded by at least two coders).
    """

    name: str
    value: float | None
    units: int
    note: str | None = None

    @property
    def defined(self) -> bool:
        """Whether the statistic could be computed."""
        return self.value is not None

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.name}: undefined ({self.note})"
        return f"{self.name} = {self.value:.3f} ({self.units} units)"


# --------------------------------------------------------------------------------------------
# Turning reliability data into integer codes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Encoded:
    codes: np.ndarray  # int64, coders × units, -1 where the value is missing
    labels: list[Any]  # the value each code stands for
    numbers: np.ndarray | None  # float value of each code when every value is a number


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, (float, np.floating)):
        return bool(np.isnan(value))
    return False


def _encode(data: Any) -> _Encoded:
    """Map the values in a coders × units table to integer codes (-1 for missing)."""
    if isinstance(data, np.ndarray) and data.dtype.kind in "biuf":
        if data.ndim != 2:
            raise ValueError(
                f"reliability data must be a table of coders × units; got {data.ndim} dimensions"
            )
        return _encode_numbers(data.astype(np.float64, copy=False))

    try:
        table = np.array(data, dtype=object)
    except ValueError:  # rows of different lengths
        table = np.empty(0, dtype=object)
    if table.ndim != 2:
        raise ValueError(
            "reliability data must be a table of coders × units with one value (or None) "
            "per cell, every coder having the same number of units"
        )
    flat = table.ravel()
    number_types = (Real, np.integer, np.floating, np.bool_)
    if all(_is_missing(v) or isinstance(v, number_types) for v in flat):
        numbers = np.array(
            [np.nan if _is_missing(v) else float(v) for v in flat], dtype=np.float64
        ).reshape(table.shape)
        return _encode_numbers(numbers)

    index: dict[Hashable, int] = {}
    codes = np.full(flat.shape, -1, dtype=np.int64)
    for position, value in enumerate(flat):
        if _is_missing(value):
            continue
        try:
            code = index.setdefault(value, len(index))
        except TypeError:
            raise ValueError(
                f"value {value!r} cannot be used as a code: values must be numbers or labels "
                "such as strings"
            ) from None
        codes[position] = code
    labels = list(index)
    try:
        ordered = sorted(labels)
    except TypeError:  # labels of mixed kinds: keep the order of first appearance
        ordered = labels
    else:
        rank = {label: i for i, label in enumerate(ordered)}
        remap = np.array([rank[label] for label in labels], dtype=np.int64)
        codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
    return _Encoded(codes.reshape(table.shape), ordered, None)


def _encode_numbers(table: np.ndarray) -> _Encoded:
    missing = np.isnan(table)
    n_missing = int(np.count_nonzero(missing))
    if n_missing == table.size:
        return _Encoded(np.full(table.shape, -1, dtype=np.int64), [], np.empty(0))
    low = float(np.fmin.reduce(table, axis=None))  # fmin/fmax skip nan
    high = float(np.fmax.reduce(table, axis=None))
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError("reliability data contains an infinite value")
    if high - low <= 1_000_000:
        # Whole numbers in a modest range (the usual case): index directly instead of sorting.
        shifted = (np.where(missing, low, table) if n_missing else table) - low
        offsets = shifted.astype(np.intp)
        if np.array_equal(offsets, shifted):
            counts = np.bincount(offsets.ravel())
            counts[0] -= n_missing  # the missing cells were counted as the lowest value
            used = counts > 0
            lookup = np.cumsum(used) - 1
            codes = lookup[offsets]
            if n_missing:
                np.putmask(codes, missing, -1)
            numbers = (np.flatnonzero(used) + low).astype(np.float64)
            return _Encoded(codes, [int(x) for x in numbers], numbers)
    codes = np.full(table.shape, -1, dtype=np.int64)
    numbers, inverse = np.unique(table[~missing], return_inverse=True)
    codes[~missing] = inverse.ravel()
    return _Encoded(codes, numbers.tolist(), numbers)


def _pairable_counts(encoded: _Encoded) -> tuple[np.ndarray, np.ndarray]:
    """Per unit: how many coders gave a value (``m_u``); mask of values that are present."""
    present = encoded.codes >= 0
    return present.sum(axis=0), present


def _counts_table(codes: np.ndarray, n_categories: int) -> np.ndarray:
    """Units × categories table: how many coders put each unit in each category."""
    n_units = codes.shape[1]
    present = codes >= 0
    unit_index = np.broadcast_to(np.arange(n_units), codes.shape)[present]
    keys = unit_index * n_categories + codes[present]
    flat = np.bincount(keys, minlength=n_units * n_categories)
    return flat.reshape(n_units, n_categories)


def _category_count(categories: int | Iterable[Hashable] | None, encoded: _Encoded) -> int:
    """Number of categories a coder could choose from (for Gwet's AC1 and Brennan-Prediger)."""
    observed = len(encoded.labels)
    if categories is None:
        return observed
    if isinstance(categories, (int, np.integer)) and not isinstance(categories, bool):
        q = int(categories)
        if q < observed:
            raise ValueError(
                f"the data use {observed} different categories but only {q} were said to exist"
            )
        return q
    possible = list(categories)  # type: ignore[arg-type]
    unknown = [label for label in encoded.labels if label not in possible]
    if unknown:
        raise ValueError(
            f"the data use categories that are not among those given: {unknown[:5]!r}"
        )
    return len(possible)


# --------------------------------------------------------------------------------------------
# Counting tables
# --------------------------------------------------------------------------------------------


def fleiss_table(
    data: Any, categories: Sequence[Hashable] | None = None
) -> tuple[np.ndarray, list[Any]]:
    """Build the units × categories count table that Fleiss' kappa works on.

    ``data`` is reliability data (coders × units, ``None``/``nan`` where a coder did not code a
    unit). The result is ``(table, categories)``: ``table[u, k]`` is the number of coders who put
    unit ``u`` in category ``categories[k]``. Every unit keeps its row, in the order of the
    columns of ``data``, even if nobody coded it (its row is all zeros).

    ``categories`` fixes which columns the table has and in which order; it must include every
    value in the data. Left out, the columns are the values found, sorted when they can be.
    """
    encoded = _encode(data)
    if categories is None:
        labels = list(encoded.labels)
        codes = encoded.codes
    else:
        labels = list(categories)
        position = {label: i for i, label in enumerate(labels)}
        try:
            remap = np.array(
                [position[label] for label in encoded.labels], dtype=np.int64
            )
        except KeyError as missing:
            raise ValueError(
                f"value {missing.args[0]!r} occurs in the data but not among the categories given"
            ) from None
        codes = encoded.codes
        if remap.size:
            codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
    return _counts_table(codes, len(labels)), labels


# --------------------------------------------------------------------------------------------
# Coefficients on a units × categories table (two or more coders)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _TableAgreement:
    observed: float  # share of agreeing coder pairs, averaged over units with >= 2 values
    shares: np.ndarray  # pi_k: each category's average share of a unit's values
    units: int  # units with two or more values


def _table_agreement(table: np.ndarray) -> _TableAgreement | None:
    """Observed agreement and category shares from a units × categories count table.

    Observed agreement p_a is, for each unit with at least two values, the share of ordered
    pairs of its values that agree, averaged over those units. The category shares pi_k are the
    share of each category among a unit's values, averaged over the units with at least one value
    (Gwet 2014, Handbook of Inter-Rater Reliability, 4th ed., ch. 2). With every unit coded by the
    same number of coders both reduce to Fleiss' (1971) P-bar and p_j.
    """
    counts = np.asarray(table, dtype=np.float64)
    per_unit = counts.sum(axis=1)
    pairable = per_unit >= 2
    n_pairable = int(pairable.sum())
    if n_pairable == 0:
        return None
    pc = counts[pairable]
    m = per_unit[pairable]
    observed = float(np.mean((pc * (pc - 1)).sum(axis=1) / (m * (m - 1))))
    rated = per_unit >= 1
    shares = (counts[rated] / per_unit[rated, None]).mean(axis=0)
    return _TableAgreement(observed, shares, n_pairable)


def _validated_table(table: Any) -> np.ndarray:
    counts = np.asarray(table, dtype=np.float64)
    if counts.ndim != 2:
        raise ValueError("a count table must be two-dimensional (units × categories)")
    if not np.all(np.isfinite(counts)) or (counts < 0).any():
        raise ValueError("a count table must hold non-negative finite counts")
    return counts


def _chance_corrected(name: str, observed: float, chance: float, units: int) -> Statistic:
    if chance >= 1.0 - 1e-12:
        return Statistic(name, None, units, NOTE_NO_VARIATION)
    return Statistic(name, (observed - chance) / (1.0 - chance), units)


def fleiss_kappa(table: Any) -> Statistic:
    """Fleiss' kappa (Fleiss 1971) for two or more coders, from a units × categories table.

    ``table[u, k]`` is the number of coders who put unit ``u`` in category ``k`` (build it from
    reliability data with :func:`fleiss_table`). Kappa compares the observed agreement, the
    share of agreeing pairs of coders per unit averaged over units, with the agreement expected
    if every value were drawn at random from the pooled category distribution:
    ``kappa = (P_o - P_e) / (1 - P_e)``, with ``P_e = sum_k pi_k**2``.

    Fleiss defined kappa for units that were all coded by the same number of coders. Units with
    fewer values are handled as Gwet (2014) does: observed agreement uses the units with at least
    two values, the category shares use every unit with at least one value. With complete data
    this is exactly Fleiss' kappa. For two coders and complete data it equals Scott's pi.
    """
    name = "Fleiss' kappa"
    agreement = _table_agreement(_validated_table(table))
    if agreement is None:
        return Statistic(name, None, 0, NOTE_NOTHING_TO_COMPARE)
    if np.count_nonzero(agreement.shares) < 2:
        return Statistic(name, None, agreement.units, NOTE_NO_VARIATION)
    chance = float(np.sum(agreement.shares**2))
    return _chance_corrected(name, agreement.observed, chance, agreement.units)


def percent_agreement(data: Any) -> Statistic:
    """Percent agreement (as a proportion between 0 and 1), for two or more coders.

    For two coders it is the share of units, among those both coded, that got the same value.
    For more coders each unit counts the share of pairs of its coders who agree, and those shares
    are averaged over the units coded by at least two coders. Percent agreement makes no
    allowance for chance: two coders ticking boxes at random agree half the time on a yes/no
    code. Report it next to a chance-corrected coefficient, not instead of one.
    """
    name = "Percent agreement"
    encoded = _encode(data)
    if encoded.codes.shape[0] < 2:
        return Statistic(name, None, 0, NOTE_ONE_CODER)
    agreement = _table_agreement(_counts_table(encoded.codes, len(encoded.labels)))
    if agreement is None:
        return Statistic(name, None, 0, NOTE_NOTHING_TO_COMPARE)
    return Statistic(name, agreement.observed, agreement.units)


def gwet_ac1(data: Any, categories: int | Iterable[Hashable] | None = None) -> Statistic:
    """Gwet's AC1 (Gwet 2008) for two or more nominal codings.

    AC1 assumes that chance agreement arises only on units that are hard to classify, so it is
    less affected than kappa when one category is very common (the "kappa paradox"). Chance
    agreement is ``P_e = sum_k pi_k (1 - pi_k) / (q - 1)``, where ``pi_k`` is category ``k``'s
    share of the values and ``q`` the number of categories a coder could choose from.

    ``categories`` is that number, or the list of possible categories; left out, ``q`` is the
    number of different values in the data. Giving the codebook's categories is better: a
    category nobody happened to use still changes ``q``. Missing values are handled as in
    :func:`fleiss_kappa` (Gwet 2014).
    """
    name = "Gwet's AC1"
    encoded = _encode(data)
    if encoded.codes.shape[0] < 2:
        return Statistic(name, None, 0, NOTE_ONE_CODER)
    q = _category_count(categories, encoded)
    agreement = _table_agreement(_counts_table(encoded.codes, len(encoded.labels)))
    if agreement is None:
        return Statistic(name, None, 0, NOTE_NOTHING_TO_COMPARE)
    if q < 2:
        return Statistic(name, None, agreement.units, NOTE_ONE_CATEGORY)
    shares = agreement.shares
    chance = float(np.sum(shares * (1.0 - shares)) / (q - 1))
    return _chance_corrected(name, agreement.observed, chance, agreement.units)


def brennan_prediger(data: Any, categories: int | Iterable[Hashable] | None = None) -> Statistic:
    """Brennan and Prediger's (1981) kappa for two or more nominal codings.

    Chance agreement is taken to be ``1 / q``: what coders would reach if they picked among the
    ``q`` possible categories with equal probability. (For two coders this is also known as
    Bennett, Alpert and Goldstein's S; for more coders as Randolph's free-marginal kappa.)

    ``categories`` is the number of possible categories or a list of them; left out, ``q`` is the
    number of different values in the data, which understates it when some category went unused.
    Observed agreement and missing values are handled as in :func:`percent_agreement`.
    """
    name = "Brennan-Prediger kappa"
    encoded = _encode(data)
    if encoded.codes.shape[0] < 2:
        return Statistic(name, None, 0, NOTE_ONE_CODER)
    q = _category_count(categories, encoded)
    agreement = _table_agreement(_counts_table(encoded.codes, len(encoded.labels)))
    if agreement is None:
        return Statistic(name, None, 0, NOTE_NOTHING_TO_COMPARE)
    if q < 2:
        return Statistic(name, None, agreement.units, NOTE_ONE_CATEGORY)
    return _chance_corrected(name, agreement.observed, 1.0 / q, agreement.units)


# --------------------------------------------------------------------------------------------
# Two coders
# --------------------------------------------------------------------------------------------


def _two_coder_table(data: Any, name: str) -> tuple[np.ndarray | None, Statistic | None]:
    """Two coders' contingency table over the units both coded, or a Statistic saying why not."""
    encoded = _encode(data)
    n_coders = encoded.codes.shape[0]
    if n_coders < 2:
        return None, Statistic(name, None, 0, NOTE_ONE_CODER)
    if n_coders > 2:
        raise ValueError(
            f"{name} compares exactly two coders; the data have {n_coders} "
            "(use Fleiss' kappa or Krippendorff's alpha for more)"
        )
    first, second = encoded.codes
    both = (first >= 0) & (second >= 0)
    if not both.any():
        return None, Statistic(name, None, 0, NOTE_NOTHING_TO_COMPARE)
    q = len(encoded.labels)
    table = np.bincount(first[both] * q + second[both], minlength=q * q).reshape(q, q)
    return table, None


def cohen_kappa_from_table(table: Any) -> Statistic:
    """Cohen's (1960) kappa from a square contingency table of two coders.

    ``table[i][j]`` is the number of units the first coder put in category ``i`` and the second
    coder in category ``j`` (the same categories in the same order on both axes). Kappa compares
    the observed share of agreements (the diagonal) with the share expected if the two coders
    assigned categories independently, each at their own rates (the products of the margins).
    """
    name = "Cohen's kappa"
    counts = _validated_table(table)
    if counts.shape[0] != counts.shape[1]:
        raise ValueError("Cohen's kappa needs a square table: the same categories for both coders")
    total = float(counts.sum())
    units = round(total)
    if total <= 0:
        return Statistic(name, None, 0, NOTE_NOTHING_TO_COMPARE)
    # Work in counts, not proportions: with whole-number tables this is exact.
    agreeing = float(np.trace(counts))
    chance = float(np.dot(counts.sum(axis=1), counts.sum(axis=0)))
    denominator = total * total - chance
    if denominator <= 1e-12 * total * total:
        return Statistic(name, None, units, NOTE_NO_VARIATION)
    return Statistic(name, (total * agreeing - chance) / denominator, units)


def cohen_kappa(data: Any) -> Statistic:
    """Cohen's (1960) kappa for two coders and nominal values.

    ``data`` has two rows, one per coder, and one column per unit (``None``/``nan`` where a coder
    did not code a unit). Only units coded by both coders count. Kappa is the agreement beyond
    chance, where chance is what two coders would reach assigning categories independently, each
    at the rates they actually used: ``kappa = (P_o - P_e) / (1 - P_e)``.
    """
    table, undefined = _two_coder_table(data, "Cohen's kappa")
    if undefined is not None:
        return undefined
    return cohen_kappa_from_table(table)


def scotts_pi(data: Any) -> Statistic:
    """Scott's (1955) pi for two coders and nominal values.

    Like Cohen's kappa, but chance agreement is computed from the two coders' pooled category
    distribution, as if both drew from the same population of values. Only units coded by both
    coders count. Scott's pi is defined for two coders; its generalisation to more coders is
    Fleiss' kappa (:func:`fleiss_kappa`), which for two coders and complete data gives the same
    value. For two coders and complete data, Krippendorff's nominal alpha is Scott's pi corrected
    for small samples.
    """
    name = "Scott's pi"
    table, undefined = _two_coder_table(data, name)
    if undefined is not None:
        return undefined
    counts = table.astype(np.float64)
    total = float(counts.sum())
    observed = float(np.trace(counts)) / total
    shares = (counts.sum(axis=0) + counts.sum(axis=1)) / (2.0 * total)
    if np.count_nonzero(shares) < 2:
        return Statistic(name, None, int(total), NOTE_NO_VARIATION)
    return _chance_corrected(name, observed, float(np.sum(shares**2)), int(total))


# --------------------------------------------------------------------------------------------
# Krippendorff's alpha
# --------------------------------------------------------------------------------------------


def _ordered(encoded: _Encoded, order: Sequence[Hashable] | None) -> _Encoded:
    """Re-code the values by their position in ``order`` (for ordinal data given as labels)."""
    if order is None:
        return encoded
    position: dict[Hashable, int] = {}
    for i, label in enumerate(order):
        position.setdefault(label, i)
    try:
        remap = np.array([position[label] for label in encoded.labels], dtype=np.int64)
    except KeyError as missing:
        raise ValueError(
            f"value {missing.args[0]!r} occurs in the data but not in the order given"
        ) from None
    codes = encoded.codes
    if remap.size:
        codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
    return _Encoded(codes, list(order), None)


def _pair_distance(
    level: Level,
    a: np.ndarray,
    b: np.ndarray,
    numbers: np.ndarray | None,
    cumulative: np.ndarray,
    frequency: np.ndarray,
) -> np.ndarray:
    """Squared distance delta(a, b) between the values with codes ``a`` and ``b``."""
    if level == "nominal":
        return (a != b).astype(np.float64)
    if level == "ordinal":
        low = np.minimum(a, b)
        high = np.maximum(a, b)
        between = cumulative[high + 1] - cumulative[low]
        return (between - (frequency[low] + frequency[high]) / 2.0) ** 2
    assert numbers is not None
    x = numbers[a]
    y = numbers[b]
    if level == "interval":
        return (x - y) ** 2
    total = x + y
    ratio = np.divide(x - y, total, out=np.zeros_like(total), where=total != 0)
    return ratio**2


def _expected_sum(
    level: Level, frequency: np.ndarray, numbers: np.ndarray | None, cumulative: np.ndarray
) -> float:
    """Sum over all pairs of values c, k of n_c * n_k * delta(c, k)."""
    n = float(frequency.sum())
    if level == "nominal":
        return n * n - float(np.dot(frequency, frequency))
    if level == "interval":
        assert numbers is not None
        mean = float(np.dot(frequency, numbers)) / n
        return 2.0 * n * float(np.dot(frequency, (numbers - mean) ** 2))
    # Ordinal and ratio distances have no shortcut: add up the values × values table in blocks.
    used = np.flatnonzero(frequency > 0)
    codes = used.astype(np.int64)
    weights = frequency[used]
    total = 0.0
    block = 1024
    for start in range(0, codes.size, block):
        rows = codes[start : start + block, None]
        distances = _pair_distance(level, rows, codes[None, :], numbers, cumulative, frequency)
        total += float(weights[start : start + block] @ distances @ weights)
    return total


def krippendorff_alpha(
    data: Any,
    level: Level = "nominal",
    *,
    order: Sequence[Hashable] | None = None,
) -> Statistic:
    """Krippendorff's alpha for two or more coders, with missing values allowed.

    Alpha is ``1 - D_o / D_e``: one minus the ratio of the disagreement the coders actually show
    (``D_o``) to the disagreement expected if the same values had been assigned to the units at
    random (``D_e``). 1 means perfect agreement, 0 agreement no better than chance, and negative
    values systematic disagreement. Krippendorff suggests relying on data with alpha >= 0.800
    and drawing only tentative conclusions from 0.667 upwards.

    ``data`` is reliability data: one row per coder, one column per unit, ``None`` or ``nan``
    where a coder did not code a unit. Following Krippendorff, units with fewer than two values
    are left out, since they cannot be compared; every other unit counts, each pair of values in
    a unit with ``m_u`` values weighted ``1 / (m_u - 1)``. The disagreement between two values
    depends on the ``level`` of measurement:

    * ``"nominal"``: categories without order (codes, labels, yes/no). Any two different values
      disagree equally. Values may be any labels (strings, numbers).
    * ``"ordinal"``: ranked categories. Two values are further apart the more of the observed
      values lie between them. Numbers are ranked by size; labels need ``order``, the list of
      possible values from lowest to highest.
    * ``"interval"``: numbers whose differences are meaningful; squared difference.
    * ``"ratio"``: non-negative numbers with a true zero; squared difference relative to the sum.

    The units of the returned :class:`Statistic` are the units with at least two values. The
    computation follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
    through the coincidence of values within units.
    """
    if level not in ("nominal", "ordinal", "interval", "ratio"):
        raise ValueError(
            f"unknown level of measurement {level!r}: use nominal, ordinal, interval or ratio"
        )
    name = f"Krippendorff's alpha ({level})"
    encoded = _encode(data)
    if level == "ordinal":
        if order is not None:
            encoded = _ordered(encoded, order)
        elif encoded.numbers is None and encoded.labels:
            raise ValueError(
                "ordinal alpha on labels needs their order: pass order=[lowest, ..., highest]"
            )
    elif level in ("interval", "ratio"):
        if encoded.numbers is None:
            raise ValueError(f"{level} alpha needs numbers, but the data hold labels")
        if level == "ratio" and encoded.numbers.size and encoded.numbers[0] < 0:
            raise ValueError("ratio alpha needs non-negative numbers")

    codes = encoded.codes
    n_coders = codes.shape[0]
    if n_coders < 2:
        return Statistic(name, None, 0, NOTE_ONE_CODER)

    per_unit, present = _pairable_counts(encoded)
    pairable = per_unit >= 2
    n_units = int(np.count_nonzero(pairable))
    if n_units == 0:
        return Statistic(name, None, 0, NOTE_NOTHING_TO_COMPARE)

    n_values = max(len(encoded.labels), 1)
    frequency = np.bincount(codes[present & pairable], minlength=n_values).astype(np.float64)
    if np.count_nonzero(frequency) < 2:
        return Statistic(name, None, n_units, NOTE_NO_VARIATION)
    cumulative = np.concatenate(([0.0], np.cumsum(frequency)))
    numbers = encoded.numbers

    expected = _expected_sum(level, frequency, numbers, cumulative)
    if not expected > 0.0:
        return Statistic(name, None, n_units, NOTE_NO_VARIATION)

    # Observed: every ordered pair of values within a unit, weighted 1 / (m_u - 1). Each coder
    # pair is handled for all units at once; units where either coder is missing drop out.
    weight = np.zeros(per_unit.shape, dtype=np.float64)
    np.divide(1.0, per_unit - 1.0, out=weight, where=pairable)
    observed = 0.0
    for i in range(n_coders):
        for j in range(i + 1, n_coders):
            both = present[i] & present[j]
            if level == "nominal":
                disagree = (codes[i] != codes[j]) & both
                observed += float(np.sum(weight, where=disagree))
            else:
                a = np.where(both, codes[i], 0)
                b = np.where(both, codes[j], 0)
                distance = _pair_distance(level, a, b, numbers, cumulative, frequency)
                observed += float(np.dot(distance * both, weight))
    observed *= 2.0  # both orders of each pair

    n = float(frequency.sum())
    alpha = 1.0 - (n - 1.0) * observed / expected
    if not math.isfinite(alpha):  # pragma: no cover - guarded above, kept as a last defence
        return Statistic(name, None, n_units, NOTE_NO_VARIATION)
    return Statistic(name, alpha, n_units)
