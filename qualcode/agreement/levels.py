"""The three levels of agreement, each built from a `Material` with interval arithmetic.

Character level (as NVivo reports it)
    Per code and transcript every character is coded or not by each coder. Percent agreement and
    kappa (Cohen's for two coders, Fleiss' for more) are computed per transcript, then pooled over
    transcripts as a mean weighted by transcript length. Scott's pi, Krippendorff's alpha, Gwet's
    AC1 and Brennan-Prediger treat all characters of all transcripts as one pool of units.
Segment level
    The units are the transcripts' turns, paragraphs or sentences. A coder has given a unit a
    code when one of their codings of that code covers at least one of its characters. Agreement
    on presence / absence per code; and, for a group of mutually exclusive codes, agreement on
    which code of the group each unit got (one nominal variable).
Span level
    Krippendorff's unitizing alpha per code and over all codes, with the transcripts laid end to
    end as one continuum.

No level loops over characters: coverage is counted from sorted span boundaries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from qualcode.agreement.binary import BinaryCounts, empty_counts, percent_and_kappa
from qualcode.agreement.material import Material
from qualcode.agreement.reading import thousands
from qualcode.agreement.statistics import (
    Statistic,
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    fleiss_table,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scotts_pi,
)
from qualcode.agreement.unitizing import unitizing_alpha

__all__ = [
    "ALL",
    "STATISTIC_KEYS",
    "Figures",
    "LevelResult",
    "TranscriptFigures",
    "character_level",
    "group_level",
    "segment_level",
    "span_level",
]

ALL = "*"
"""The `code` of the figures for all codes together."""

STATISTIC_KEYS = {
    "percent": "percent agreement",
    "cohen": "Cohen's kappa",
    "scott": "Scott's pi",
    "fleiss": "Fleiss' kappa",
    "alpha": "Krippendorff's alpha (nominal)",
    "ac1": "Gwet's AC1",
    "bp": "Brennan-Prediger kappa",
    "ualpha": "unitizing alpha",
}
"""Every statistic a level may report, by the key used in results, JSON and CSV."""

NOTE_UNDEFINED_KAPPA = (
    "kappa is undefined in {n} {what} where the coders agree perfectly on a single value "
    "(usually: nobody used the code there); they are left out of the mean"
)


@dataclass(frozen=True)
class TranscriptFigures:
    """Character-level figures for one code in one transcript."""

    transcript: str
    characters: int
    coded: dict[str, int]
    percent: Statistic
    kappa: Statistic


@dataclass
class Figures:
    """Agreement on one code (or all codes, or a group of codes) at one level."""

    code: str
    label: str
    units: int
    """The base: characters, segments, or coded stretches."""
    coded: dict[str, int]
    """Per coder: how many units (characters, segments, stretches) they coded."""
    statistics: dict[str, Statistic]
    notes: list[str] = field(default_factory=list)
    transcripts: list[TranscriptFigures] = field(default_factory=list)
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def kappa(self) -> Statistic | None:
        """Cohen's kappa for two coders, else Fleiss' kappa."""
        return self.statistics.get("cohen") or self.statistics.get("fleiss")

    def value(self, key: str) -> float | None:
        stat = self.kappa if key == "kappa" else self.statistics.get(key)
        return stat.value if stat is not None else None


@dataclass
class LevelResult:
    """Figures per code and over all codes at one level."""

    level: str
    """`character`, `segment`, `span` or `group`."""
    unit: str
    """What one unit is: `character`, `turn`, `paragraph`, `sentence` or `stretch`."""
    main: str
    """The statistic that orders the codes (lowest first): `kappa`, `alpha` or `ualpha`."""
    codes: list[Figures]
    overall: Figures | None = None
    notes: list[str] = field(default_factory=list)

    def ordered(self) -> list[Figures]:
        """Codes with the lowest main figure first; codes without a figure last."""

        def key(f: Figures) -> tuple[int, float, str]:
            v = f.value(self.main)
            return (1, 0.0, f.code) if v is None else (0, v, f.code)

        return sorted(self.codes, key=key)


# ---------------------------------------------------------------------------------------------
# Character level


def _character_counts(material: Material) -> tuple[np.ndarray, np.ndarray]:
    """Per (code, transcript): the coverage histogram and each coder's coded characters.

    Returns ``hist`` of shape (codes × transcripts, coders + 1), ``hist[g, k]`` the characters
    coded by exactly ``k`` coders, and ``cover`` of shape (coders, codes × transcripts).
    """
    m = len(material.coders)
    n_t = len(material.transcripts)
    n_groups = len(material.codes) * n_t
    lengths = material.lengths
    width = int(lengths.max()) + 1 if lengths.size else 1
    keys, deltas = [], []
    cover = np.zeros((m, n_groups))
    for k, coder in enumerate(material.coders):
        sp = material.spans[coder]
        group = sp.code * n_t + sp.transcript
        base = group * width
        # Doubled positions, ends before starts at the same position, so a count never
        # exceeds the number of coders even where one span ends and another begins.
        keys += [(base + sp.start) * 2 + 1, (base + sp.end) * 2]
        deltas += [np.ones(len(sp), dtype=np.int64), -np.ones(len(sp), dtype=np.int64)]
        cover[k] = np.bincount(group, weights=sp.end - sp.start, minlength=n_groups)
    hist = np.zeros((n_groups, m + 1))
    if keys:
        key = np.concatenate(keys)
        delta = np.concatenate(deltas)
        order = np.argsort(key, kind="stable")
        key, delta = key[order], delta[order]
        count = np.cumsum(delta)[:-1]
        position = key // 2
        length = np.diff(position)
        group = position[:-1] // width
        inside = (count > 0) & (length > 0)
        flat = np.bincount(
            group[inside] * (m + 1) + count[inside],
            weights=length[inside],
            minlength=n_groups * (m + 1),
        )
        hist = flat.reshape(n_groups, m + 1)
    total = np.tile(lengths, len(material.codes)).astype(np.float64)
    hist[:, 0] = total - hist[:, 1:].sum(axis=1)
    return hist, cover


def _weighted_mean(
    name: str, stats: list[Statistic], weights: list[int], what: str = "transcript(s)"
) -> Statistic:
    """Mean of the defined statistics weighted by transcript length, with a note on the rest."""
    pairs = [(s.value, w) for s, w in zip(stats, weights, strict=True) if s.value is not None]
    left_out = len(stats) - len(pairs)
    note = NOTE_UNDEFINED_KAPPA.format(n=left_out, what=what) if left_out else None
    total = sum(w for _, w in pairs)
    if not pairs or total <= 0:
        reason = stats[0].note if stats else "no transcript to compare"
        return Statistic(name, None, 0, reason)
    mean = sum(v * w for v, w in pairs) / total
    return Statistic(name, mean, total, note)


def character_level(material: Material) -> LevelResult:
    """Character-level figures per code, and over all codes (see the module's description)."""
    hist, cover = _character_counts(material)
    m = len(material.coders)
    n_t = len(material.transcripts)
    lengths = [len(t.text) for t in material.transcripts]
    kappa_key = "cohen" if m == 2 else "fleiss"
    kappa_name = ("Cohen's kappa" if m == 2 else "Fleiss' kappa") + (
        " (mean over transcripts, weighted by length)"
    )
    per_pair = percent_and_kappa(hist, cover) if hist.size else []
    rows: list[Figures] = []
    all_kappas: list[Statistic] = []
    all_weights: list[int] = []
    pooled_all = empty_counts(m)
    for c, code in enumerate(material.codes):
        block = slice(c * n_t, (c + 1) * n_t)
        parts = [
            TranscriptFigures(
                transcript.id,
                lengths[t],
                {coder: int(cover[k, c * n_t + t]) for k, coder in enumerate(material.coders)},
                *per_pair[c * n_t + t],
            )
            for t, transcript in enumerate(material.transcripts)
        ]
        table = None
        if m == 2:
            both = hist[block, 2].sum()
            a, b = cover[0, block].sum(), cover[1, block].sum()
            table = np.array([[hist[block, 0].sum(), b - both], [a - both, both]])
        pooled = BinaryCounts(m, hist[block].sum(axis=0), table)
        pooled_all = pooled_all + pooled
        kappas = [p.kappa for p in parts]
        all_kappas += kappas
        all_weights += lengths
        stats = pooled.all()
        stats[kappa_key] = _weighted_mean(kappa_name, kappas, lengths)
        coded = {coder: int(sum(p.coded[coder] for p in parts)) for coder in material.coders}
        notes = [stats[kappa_key].note] if stats[kappa_key].note else []
        rows.append(Figures(code, material.label(code), pooled.units, coded, stats, notes, parts))
    overall = None
    if rows:
        stats = pooled_all.all()
        stats[kappa_key] = _weighted_mean(
            kappa_name, all_kappas, all_weights, "code × transcript pair(s)"
        )
        coded = {coder: sum(r.coded[coder] for r in rows) for coder in material.coders}
        overall = Figures(ALL, "all codes", pooled_all.units, coded, stats)
    notes = [
        (
            "Units are characters: every character of each compared transcript, for each code. "
            "Kappa is computed per transcript and averaged, weighted by length (as NVivo); the "
            "other coefficients pool all characters."
        )
    ]
    undefined = sum(1 for k in all_kappas if k.value is None)
    if undefined:
        notes.append(
            f"Kappa is undefined in {undefined} of the {len(all_kappas)} code × transcript "
            "pairs, where the coders agree perfectly on a single value (usually: nobody used the "
            "code in that transcript); those are left out of the means."
        )
    return LevelResult("character", "character", "kappa", rows, overall, notes)


# ---------------------------------------------------------------------------------------------
# Segment level


def segment_bounds(material: Material, unit: str) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of every segment, in positions of the transcripts laid end to end."""
    starts, ends = [], []
    for offset, transcript in zip(material.offsets.tolist(), material.transcripts, strict=True):
        segments = transcript.segments(unit)
        starts.append(np.fromiter((s.start for s in segments), np.int64, len(segments)) + offset)
        ends.append(np.fromiter((s.end for s in segments), np.int64, len(segments)) + offset)
    if not starts:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(starts), np.concatenate(ends)


def presence(
    span_start: np.ndarray, span_end: np.ndarray, seg_start: np.ndarray, seg_end: np.ndarray
) -> np.ndarray:
    """Which segments share at least one character with a span.

    Spans must be sorted and must not overlap (merged), so their ends are sorted too.
    """
    if span_start.size == 0:
        return np.zeros(seg_start.size, dtype=bool)
    before = np.searchsorted(span_start, seg_end, side="left")  # spans starting before the end
    last_end = span_end[np.maximum(before - 1, 0)]
    return (before > 0) & (last_end > seg_start)


def _global(material: Material, coder: str, code: int) -> tuple[np.ndarray, np.ndarray]:
    sp = material.spans[coder].of_code(code)
    offset = material.offsets[sp.transcript]
    return offset + sp.start, offset + sp.end


def segment_level(material: Material, unit: str = "paragraph") -> LevelResult:
    """Presence / absence of each code per segment (see the module's description)."""
    seg_start, seg_end = segment_bounds(material, unit)
    m = len(material.coders)
    rows: list[Figures] = []
    pooled_all = empty_counts(m)
    for c, code in enumerate(material.codes):
        present = np.zeros((m, seg_start.size), dtype=bool)
        for k, coder in enumerate(material.coders):
            present[k] = presence(*_global(material, coder, c), seg_start, seg_end)
        counts = BinaryCounts.from_presence(present)
        pooled_all = pooled_all + counts
        coded = {coder: int(present[k].sum()) for k, coder in enumerate(material.coders)}
        rows.append(Figures(code, material.label(code), counts.units, coded, counts.all()))
    overall = None
    if rows:
        coded = {coder: sum(r.coded[coder] for r in rows) for coder in material.coders}
        overall = Figures(ALL, "all codes", pooled_all.units, coded, pooled_all.all())
    notes = [
        (
            f"Units are {unit}s ({thousands(seg_start.size)} in the compared transcripts). A "
            f"coder gave a {unit} a code when one of their codings of it covers at least one of "
            "its characters."
        )
    ]
    return LevelResult("segment", unit, "alpha", rows, overall, notes)


# ---------------------------------------------------------------------------------------------
# A group of mutually exclusive codes at the segment level


def group_categories(material: Material, group: str) -> dict[str, str]:
    """Code id -> the category (a child of `group`, or `group` itself) it counts as."""
    codebook = material.study.codebook
    node = codebook[group]
    if not node.children:
        from qualcode.errors import AgreementError

        raise AgreementError(
            f"`{group}` has no codes below it, so it cannot form a group.",
            hint="Give a parent code whose children exclude each other, e.g. `--group distance`.",
        )
    mapping = {group: group}
    for child in node.children:
        mapping[child.id] = child.id
        for below in codebook.descendants(child.id):
            mapping[below.id] = child.id
    return mapping


def group_level(
    material: Material, groups: list[str], raw: dict[str, list], unit: str = "paragraph"
) -> LevelResult:
    """Which code of each group every segment got, as one nominal variable per group.

    `raw` holds each coder's codings (unrolled) of the compared transcripts. A segment with none
    of the group's codes has the value `none`; one with two or more gets their combination
    (`a+b`), which counts as a category of its own.
    """
    seg_start, seg_end = segment_bounds(material, unit)
    index = {t.id: i for i, t in enumerate(material.transcripts)}
    offsets = material.offsets
    rows = []
    for group in groups:
        mapping = group_categories(material, group)
        categories = list(dict.fromkeys(mapping.values()))
        values = np.empty((len(material.coders), seg_start.size), dtype=object)
        combined = 0
        coded: dict[str, int] = {}
        for k, coder in enumerate(material.coders):
            found: list[list[str]] = [[] for _ in range(seg_start.size)]
            buckets: dict[str, list[tuple[int, int]]] = {category: [] for category in categories}
            for c in raw[coder]:
                category = mapping.get(c.code)
                if category is not None and c.transcript in index:
                    offset = int(offsets[index[c.transcript]])
                    buckets[category].append((offset + c.start, offset + c.end))
            for category in categories:
                merged = _merge_list(sorted(buckets[category]))
                starts = np.array([s for s, _ in merged], dtype=np.int64)
                ends = np.array([e for _, e in merged], dtype=np.int64)
                for i in np.flatnonzero(presence(starts, ends, seg_start, seg_end)):
                    found[i].append(category)
            row = ["+".join(f) if f else "none" for f in found]
            combined += sum(1 for f in found if len(f) > 1)
            coded[coder] = sum(1 for f in found if f)
            values[k] = row
        observed = sorted({v for v in values.ravel() if "+" in v})
        possible = ["none", *categories, *observed]
        data = values.tolist()
        stats: dict[str, Statistic] = {"percent": percent_agreement(data)}
        if len(material.coders) == 2:
            stats["cohen"] = cohen_kappa(data)
            stats["scott"] = scotts_pi(data)
        stats["fleiss"] = fleiss_kappa(fleiss_table(data, categories=possible)[0])
        stats["alpha"] = krippendorff_alpha(data, "nominal")
        stats["ac1"] = gwet_ac1(data, categories=possible)
        stats["bp"] = brennan_prediger(data, categories=possible)
        notes = []
        if combined:
            notes.append(
                f"{combined} {unit} value(s) combine two or more codes of the group (e.g. "
                "`a+b`); each combination counts as a category of its own."
            )
        label = f"{material.label(group)}: which code"
        rows.append(Figures(group, label, seg_start.size, coded, stats, notes))
    notes = [
        (
            f"One nominal variable per group: the group's code each {unit} got (`none` when it "
            "got none of them). Codes below a child count as that child."
        ),
        *[f"{f.code}: {note}" for f in rows for note in f.notes],
    ]
    return LevelResult("group", unit, "alpha", rows, None, notes)


def _merge_list(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


# ---------------------------------------------------------------------------------------------
# Span level


def span_level(material: Material) -> LevelResult:
    """Krippendorff's unitizing alpha per code and over all codes."""
    offsets = material.offsets
    total = int(material.lengths.sum())
    units: list[tuple[int, int, str, str]] = []
    stretches: dict[str, np.ndarray] = {}
    for coder in material.coders:
        sp = material.spans[coder]
        starts = (offsets[sp.transcript] + sp.start).tolist()
        sizes = (sp.end - sp.start).tolist()
        codes = [material.codes[i] for i in sp.code.tolist()]
        units.extend(zip(starts, sizes, [coder] * len(starts), codes, strict=True))
        stretches[coder] = np.bincount(sp.code, minlength=len(material.codes))
    result = unitizing_alpha(
        units, (0, max(total, 1)), coders=material.coders, codes=material.codes
    )
    rows = []
    for c, code in enumerate(material.codes):
        coded = {coder: int(stretches[coder][c]) for coder in material.coders}
        stat = result.by_code[code]
        extra = {}
        if code in result.observed:
            extra = {"observed": result.observed[code], "expected": result.expected[code]}
        rows.append(
            Figures(code, material.label(code), stat.units, coded, {"ualpha": stat}, extra=extra)
        )
    coded = {coder: int(stretches[coder].sum()) for coder in material.coders}
    overall = Figures(ALL, "all codes", result.overall.units, coded, {"ualpha": result.overall})
    notes = [
        (
            f"Units are coded stretches; the {len(material.transcripts)} transcripts are laid end "
            f"to end as one continuum of {thousands(total)} characters."
        )
    ]
    return LevelResult("span", "stretch", "ualpha", rows, overall, notes)
