"""Krippendorff's unitizing alpha: agreement on *where* codes were applied in a text.

When coders mark passages of a transcript themselves, they disagree not only on which code a
passage gets but on where passages begin and end, and on which stretches deserve a code at all.
Krippendorff's unitizing alpha (written uα) measures that agreement directly on the text, without
first cutting it into fixed units.

The text is a **continuum**: the positions from ``begin`` up to (not including) ``end``, in
qualcode the Unicode code points of a transcript. Each coding is a **unit**: a stretch
``(start, length)`` that one coder marked with one code. For each code separately, every coder's
coding divides the continuum into **sections**: the units that coder marked with the code, and
the **gaps** between them (stretches the coder left uncoded for that code). Gaps are sections
too: a passage one coder marked and another coder left blank is a disagreement.

The disagreement between two coders' sections that overlap is

* for two units: the squared difference of their beginnings plus the squared difference of their
  ends, so a unit that starts 5 characters early and ends 5 late costs 5² + 5² = 50;
* for a unit lying wholly inside the other coder's gap: the unit's length squared (one coder
  marked a passage the other did not mark at all);
* otherwise (two gaps, or a unit only partly inside a gap, which the unit-unit term already
  counts): nothing.

The observed disagreement ``uD_o`` adds this up over all pairs of coders and divides by
``m (m - 1) L²`` (``m`` coders, continuum of length ``L``). The expected disagreement ``uD_e`` is
what the same units and gaps would produce if they were laid out on the continuum at random, and
``uα = 1 - uD_o / uD_e``. Both follow Krippendorff (2004), *Content Analysis*, 2nd ed., Sage,
pp. 251-256, where lengths are counted in whole positions (characters).

The worked example there (continuum 150-450, two coders, codes c and k) gives uα = 0.729 for c,
1.000 for k and 0.859 over all codes; this module reproduces those figures.
"""

from __future__ import annotations

import operator
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from qualcode.agreement.statistics import NOTE_ONE_CODER, Statistic

__all__ = ["UnitizingAlpha", "unitizing_alpha"]

NOTE_CODE_UNUSED = "nobody used this code, so there is nothing to agree on"
NOTE_NOTHING_CODED = "nobody coded anything, so there is nothing to agree on"
NOTE_NO_ROOM = (
    "no variation: the continuum leaves no room for codings to differ, so the statistic is "
    "undefined"
)


@dataclass(frozen=True)
class UnitizingAlpha:
    """Unitizing alpha per code and over all codes.

    ``by_code`` maps each code to its uα. ``overall`` is the figure for all codes together:
    ``1 - sum_c uD_o(c) / sum_c uD_e(c)``, the observed disagreements of all codes added up over
    their expected disagreements added up. This pooled form is the one that gives 0.859 for
    Krippendorff's (2004) worked example; it weighs each code by how much disagreement it could
    show, so it is not the plain average of the per-code values (that average would be 0.864
    there). ``observed`` and ``expected`` hold each code's ``uD_o`` and ``uD_e`` for readers who
    want to see what a figure is made of; they are absent for codes nobody used.

    The ``units`` of each :class:`Statistic` is the number of coded stretches it rests on,
    counted over all coders.
    """

    overall: Statistic
    by_code: Mapping[Hashable, Statistic]
    observed: Mapping[Hashable, float] = field(default_factory=dict)
    expected: Mapping[Hashable, float] = field(default_factory=dict)


@dataclass(frozen=True)
class _Sections:
    """One coder's division of the continuum for one code into units and gaps."""

    starts: np.ndarray  # int64, increasing; the first is the continuum's beginning
    lengths: np.ndarray  # int64
    is_unit: np.ndarray  # bool: a coded unit (True) or a gap (False)


def _whole(value: object, what: str) -> int:
    """A position or length as a whole number (floats are accepted when they are whole)."""
    if isinstance(value, float | np.floating):
        if not float(value).is_integer():
            raise ValueError(f"{what} must be a whole number of positions, not {value!r}")
        return int(value)
    try:
        return operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise ValueError(f"{what} must be a whole number, not {value!r}") from None


def _sections(units: list[tuple[int, int]], begin: int, end: int) -> _Sections:
    """Units (start, end) of one coder and one code -> sections covering [begin, end)."""
    if units:
        spans = np.array(sorted(units), dtype=np.int64)
        unit_starts, unit_ends = spans[:, 0], spans[:, 1]
        # A coder's units of one code must not overlap; where they do, treat them as one unit
        # covering their union. Units that merely touch stay separate units.
        reach = np.maximum.accumulate(unit_ends)
        new_unit = np.ones(len(spans), dtype=bool)
        new_unit[1:] = unit_starts[1:] >= reach[:-1]
        unit_starts = unit_starts[new_unit]
        unit_ends = np.maximum.reduceat(unit_ends, np.flatnonzero(new_unit))
    else:
        unit_starts = unit_ends = np.empty(0, dtype=np.int64)
    points = np.unique(np.concatenate(([begin], unit_starts, unit_ends)).astype(np.int64))
    points = points[points < end]
    lengths = np.diff(np.append(points, end))
    is_unit = np.isin(points, unit_starts)
    return _Sections(points, lengths, is_unit)


def _pair_disagreement(first: _Sections, second: _Sections) -> float:
    """Sum of the distances between overlapping sections of two coders (one order of the pair)."""
    edges = np.union1d(first.starts, second.starts)
    a = np.searchsorted(first.starts, edges, side="right") - 1
    b = np.searchsorted(second.starts, edges, side="right") - 1
    # Each elementary stretch between consecutive edges lies in exactly one section of each
    # coder, and each overlapping pair of sections shares exactly one such stretch.
    start_a = first.starts[a].astype(np.float64)
    start_b = second.starts[b].astype(np.float64)
    length_a = first.lengths[a].astype(np.float64)
    length_b = second.lengths[b].astype(np.float64)
    end_a = start_a + length_a
    end_b = start_b + length_b
    unit_a = first.is_unit[a]
    unit_b = second.is_unit[b]

    both_units = unit_a & unit_b
    a_in_gap = unit_a & ~unit_b & (start_b <= start_a) & (end_a <= end_b)
    b_in_gap = unit_b & ~unit_a & (start_a <= start_b) & (end_b <= end_a)

    total = np.sum(((start_a - start_b) ** 2 + (end_a - end_b) ** 2)[both_units])
    total += np.sum(length_a[a_in_gap] ** 2)
    total += np.sum(length_b[b_in_gap] ** 2)
    return float(total)


def _expected_disagreement(sections: list[_Sections], length: int) -> float:
    """uD_e for one code: the disagreement of the same units and gaps placed at random."""
    m = len(sections)
    units = np.concatenate([s.lengths[s.is_unit] for s in sections]).astype(np.float64)
    gaps = np.sort(np.concatenate([s.lengths[~s.is_unit] for s in sections]).astype(np.float64))
    n_units = units.size
    # A unit of length l against other units: (N_c - 1)/3 * (2l³ - 3l² + l) ...
    against_units = (n_units - 1) / 3.0 * np.sum(2 * units**3 - 3 * units**2 + units)
    # ... and against every gap g at least as long, which it fits into g - l + 1 ways.
    tail_sums = np.concatenate((np.cumsum(gaps[::-1])[::-1], [0.0]))
    first_fit = np.searchsorted(gaps, units, side="left")
    fitting = gaps.size - first_fit
    placements = tail_sums[first_fit] - fitting * (units - 1)
    against_gaps = np.sum(units**2 * placements)
    denominator = m * length * (m * length - 1.0) - np.sum(units * (units - 1))
    return float(2.0 / length * (against_units + against_gaps) / denominator)


def unitizing_alpha(
    units: Iterable[tuple[int, int, Hashable, Hashable]],
    continuum: tuple[int, int],
    *,
    coders: Iterable[Hashable] | None = None,
    codes: Iterable[Hashable] | None = None,
) -> UnitizingAlpha:
    """Krippendorff's unitizing alpha (uα) for codings of stretches of one continuum.

    ``units`` are the codings as ``(start, length, coder, code)``: coder ``coder`` marked the
    positions ``start`` to ``start + length - 1`` with ``code``. ``continuum`` is
    ``(begin, end)``: the positions all coders worked through, ``end`` not included. Positions
    and lengths are whole numbers (characters); every unit must lie inside the continuum and
    have a positive length.

    ``coders`` lists everyone who coded the continuum. Give it whenever a coder may have coded
    nothing at all: such a coder left the whole text uncoded, which counts as disagreement with
    everyone who did code. Left out, the coders are those that appear in ``units``. ``codes``
    lists the codes to report on; a listed code nobody used gets an undefined value with a note.
    Left out, the codes are those that appear in ``units``.

    Each code is evaluated on its own: its uα compares where the coders put that code and where
    they left it out. A coder's units of one code should not overlap; overlapping ones are
    treated as a single unit covering both. The overall figure pools all codes (see
    :class:`UnitizingAlpha`). Values are ``None`` with a note when only one coder took part, a
    code was used by nobody, or the continuum leaves no room for disagreement.
    """
    begin, end = (_whole(x, "the continuum's begin and end") for x in continuum)
    length = end - begin
    if length <= 0:
        raise ValueError(f"the continuum must end after it begins; got ({begin}, {end})")

    coder_list: list[Hashable] = list(dict.fromkeys(coders)) if coders is not None else []
    code_list: list[Hashable] = list(dict.fromkeys(codes)) if codes is not None else []
    known_coders = set(coder_list)
    known_codes = set(code_list)
    spans: dict[Hashable, dict[Hashable, list[tuple[int, int]]]] = {}
    for unit in units:
        try:
            raw_start, raw_length, coder, code = unit
        except (TypeError, ValueError):
            raise ValueError(
                f"a unit must be (start, length, coder, code); got {unit!r}"
            ) from None
        start = _whole(raw_start, "a unit's start")
        size = _whole(raw_length, "a unit's length")
        if size <= 0:
            raise ValueError(f"unit {unit!r} has no positive length")
        if start < begin or start + size > end:
            raise ValueError(f"unit {unit!r} lies outside the continuum ({begin}, {end})")
        if coders is None:
            if coder not in known_coders:
                known_coders.add(coder)
                coder_list.append(coder)
        elif coder not in known_coders:
            raise ValueError(f"unit {unit!r} is by coder {coder!r}, who is not among the coders")
        if codes is None:
            if code not in known_codes:
                known_codes.add(code)
                code_list.append(code)
        elif code not in known_codes:
            raise ValueError(f"unit {unit!r} has code {code!r}, which is not among the codes")
        spans.setdefault(code, {}).setdefault(coder, []).append((start, start + size))

    by_code: dict[Hashable, Statistic] = {}
    observed: dict[Hashable, float] = {}
    expected: dict[Hashable, float] = {}
    m = len(coder_list)
    total_units = 0
    for code in code_list:
        name = f"unitizing alpha ({code})"
        per_coder = spans.get(code, {})
        if m < 2:
            n_units = sum(len(v) for v in per_coder.values())
            total_units += n_units
            by_code[code] = Statistic(name, None, n_units, NOTE_ONE_CODER)
            continue
        if not per_coder:
            by_code[code] = Statistic(name, None, 0, NOTE_CODE_UNUSED)
            continue
        sections = [_sections(per_coder.get(coder, []), begin, end) for coder in coder_list]
        n_units = int(sum(np.count_nonzero(s.is_unit) for s in sections))
        total_units += n_units
        pair_sum = sum(
            _pair_disagreement(sections[i], sections[j])
            for i in range(m)
            for j in range(i + 1, m)
        )
        d_o = 2.0 * pair_sum / (m * (m - 1) * float(length) ** 2)
        d_e = _expected_disagreement(sections, length)
        observed[code] = d_o
        expected[code] = d_e
        if d_e <= 0.0:
            by_code[code] = Statistic(name, None, n_units, NOTE_NO_ROOM)
        else:
            by_code[code] = Statistic(name, 1.0 - d_o / d_e, n_units)

    overall_name = "unitizing alpha (all codes)"
    if m < 2:
        overall = Statistic(overall_name, None, total_units, NOTE_ONE_CODER)
    elif not observed:
        overall = Statistic(overall_name, None, 0, NOTE_NOTHING_CODED)
    else:
        pooled_expected = sum(expected.values())
        if pooled_expected <= 0.0:
            overall = Statistic(overall_name, None, total_units, NOTE_NO_ROOM)
        else:
            overall = Statistic(
                overall_name, 1.0 - sum(observed.values()) / pooled_expected, total_units
            )
    return UnitizingAlpha(overall, by_code, observed, expected)
