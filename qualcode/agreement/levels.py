"""The three levels of agreement, each built from a `Material` with interval arithmetic.

Character level
    Per code and transcript every character is coded or not by each coder. Percent agreement and
    kappa (Cohen's for two coders, Fleiss' for more) are computed per transcript, as NVivo's
    coding comparison reports them per source. Kappa is then averaged over the transcripts where
    it is defined, weighted by length; where nobody used a code in a transcript kappa is 0/0 and
    that transcript is left out of the mean (NVivo shows 1 there). The mean's base, the
    characters and transcripts it rests on, is kept with it (`KappaBase`). Scott's pi,
    Krippendorff's alpha, Gwet's AC1 and Brennan-Prediger treat all characters of all
    transcripts as one pool of units.
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

from dataclasses import dataclass, field, replace

import numpy as np

from qualcode.agreement.binary import BinaryCounts, empty_counts, percent_and_kappa
from qualcode.agreement.material import Material
from qualcode.agreement.reading import thousands
from qualcode.agreement.statistics import (
    NOTE_NO_VARIATION,
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
from qualcode.agreement.unitizing import NOTE_CODE_UNUSED, unitizing_alpha
from qualcode.wording import plural

__all__ = [
    "ALL",
    "STATISTIC_KEYS",
    "Figures",
    "KappaBase",
    "LevelResult",
    "TranscriptFigures",
    "character_level",
    "group_level",
    "kappa_name",
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


def kappa_name(coders: int) -> str:
    """Cohen's kappa for two coders, Fleiss' kappa for more."""
    return STATISTIC_KEYS["cohen" if coders == 2 else "fleiss"]


NOTE_UNUSED_HERE = (
    "nobody used this code in this transcript: the coders agree on every character, so kappa "
    "is 0/0 here (undefined)"
)
NOTE_CODED_THROUGHOUT_HERE = (
    "every coder coded this whole transcript with this code, so kappa is 0/0 here (undefined)"
)
NOTE_CODED_EVERYWHERE = (
    "every coder gave this code to every unit, so nothing varies and the statistic is undefined"
)
NVIVO_DIFFERENCE = (
    "NVivo reports kappa 1 (complete agreement) for a transcript in which neither coder used the "
    "code, so an average of NVivo's figures would come out higher."
)


@dataclass(frozen=True)
class KappaBase:
    """What a mean kappa over transcripts rests on.

    At the character level kappa is computed per transcript and averaged; transcripts where it is
    undefined are left out, so the mean rests on fewer characters than the code's other figures.
    """

    characters: int
    """Characters of the transcripts (or code × transcript pairs) where kappa is defined."""
    defined: int
    """Transcripts (for all codes: code × transcript pairs) where kappa is defined."""
    compared: int
    """Transcripts (pairs) compared."""
    unused: int = 0
    """Of the undefined ones: where nobody used the code."""
    throughout: int = 0
    """Of the undefined ones: where every coder coded the whole transcript."""

    def to_dict(self) -> dict[str, int]:
        return {
            "characters": self.characters,
            "defined": self.defined,
            "compared": self.compared,
            "nobody_used_the_code": self.unused,
            "coded_throughout": self.throughout,
        }


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
    kappa_base: KappaBase | None = None
    """At the character level: the characters and transcripts the mean kappa rests on."""

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


def explain_undefined(stats: dict[str, Statistic], coded: dict[str, int], units: int) -> None:
    """Replace "no variation" by the plain reason when nobody, or everybody, used the code."""
    if all(n == 0 for n in coded.values()):
        reason = NOTE_CODE_UNUSED
    elif units and all(n == units for n in coded.values()):
        reason = NOTE_CODED_EVERYWHERE
    else:
        return
    for key, stat in stats.items():
        if stat.value is None and stat.note == NOTE_NO_VARIATION:
            stats[key] = replace(stat, note=reason)


def _transcript_kappa(kappa: Statistic, coded: dict[str, int], characters: int) -> Statistic:
    """One transcript's kappa, with the plain reason when it is undefined."""
    if kappa.value is not None:
        return kappa
    if all(n == 0 for n in coded.values()):
        return replace(kappa, note=NOTE_UNUSED_HERE)
    if all(n == characters for n in coded.values()):
        return replace(kappa, note=NOTE_CODED_THROUGHOUT_HERE)
    return kappa


def _kappa_base(parts: list[TranscriptFigures]) -> KappaBase:
    defined = [p for p in parts if p.kappa.value is not None]
    return KappaBase(
        characters=sum(p.characters for p in defined),
        defined=len(defined),
        compared=len(parts),
        unused=sum(1 for p in parts if p.kappa.note == NOTE_UNUSED_HERE),
        throughout=sum(1 for p in parts if p.kappa.note == NOTE_CODED_THROUGHOUT_HERE),
    )


def _reasons(base: KappaBase) -> list[tuple[int, str]]:
    """Why kappa is undefined where it is, one phrase per reason, with how often."""
    reasons = []
    if base.unused:
        reasons.append((base.unused, "nobody used the code"))
    if base.throughout:
        reasons.append((base.throughout, "every coder coded all of the text with it"))
    other = base.compared - base.defined - base.unused - base.throughout
    if other:
        reasons.append((other, "the coders agree on a single value throughout"))
    return reasons


def _counted(reasons: list[tuple[int, str]]) -> str:
    """`in 3 nobody used the code and in 1 ...`: each reason with how often."""
    return " and ".join(f"in {n} {why}" for n, why in reasons)


def _left_out_reasons(base: KappaBase) -> str:
    """`in the other 4 nobody used the code`, or each reason with its count when they differ."""
    reasons = _reasons(base)
    left = base.compared - base.defined
    if len(reasons) == 1:
        return f"in the other {'one' if left == 1 else left} {reasons[0][1]}"
    return f"of the other {left}: " + _counted(reasons)


def mean_kappa(
    name: str, parts: list[TranscriptFigures], base: KappaBase, what: str = "transcript"
) -> Statistic:
    """Kappa averaged over transcripts, weighted by length, over those where it is defined.

    `base` is what the mean rests on (`_kappa_base(parts)`). Its ``units`` are the characters of
    those transcripts, and its note says how many it rests on and why the others are left out.
    """
    if base.defined == 0:
        if base.unused == base.compared:
            return Statistic(name, None, 0, NOTE_CODE_UNUSED)
        reason = parts[0].kappa.note if parts else "no transcript to compare"
        if base.compared > 1:
            reason = f"kappa is undefined in every {what} compared: " + _counted(_reasons(base))
        return Statistic(name, None, 0, reason)
    mean = sum(p.kappa.value * p.characters for p in parts if p.kappa.value is not None)
    note = None
    if base.defined < base.compared:
        note = (
            f"the mean rests on {base.defined} of the {plural(base.compared, what)} "
            f"({thousands(base.characters)} characters): "
            f"{_left_out_reasons(base)}, so kappa is undefined there and left out"
        )
    return Statistic(name, mean / base.characters, base.characters, note)


def character_level(material: Material) -> LevelResult:
    """Character-level figures per code, and over all codes (see the module's description)."""
    hist, cover = _character_counts(material)
    m = len(material.coders)
    n_t = len(material.transcripts)
    lengths = [len(t.text) for t in material.transcripts]
    kappa_key = "cohen" if m == 2 else "fleiss"
    mean_name = kappa_name(m) + " (mean over transcripts, weighted by length)"
    per_pair = percent_and_kappa(hist, cover) if hist.size else []
    rows: list[Figures] = []
    every_part: list[TranscriptFigures] = []
    pooled_all = empty_counts(m)
    for c, code in enumerate(material.codes):
        block = slice(c * n_t, (c + 1) * n_t)
        parts = []
        for t, transcript in enumerate(material.transcripts):
            coded = {coder: int(cover[k, c * n_t + t]) for k, coder in enumerate(material.coders)}
            percent, kappa = per_pair[c * n_t + t]
            kappa = _transcript_kappa(kappa, coded, lengths[t])
            parts.append(TranscriptFigures(transcript.id, lengths[t], coded, percent, kappa))
        table = None
        if m == 2:
            both = hist[block, 2].sum()
            a, b = cover[0, block].sum(), cover[1, block].sum()
            table = np.array([[hist[block, 0].sum(), b - both], [a - both, both]])
        pooled = BinaryCounts(m, hist[block].sum(axis=0), table)
        pooled_all = pooled_all + pooled
        every_part += parts
        stats = pooled.all()
        coded = {coder: int(sum(p.coded[coder] for p in parts)) for coder in material.coders}
        explain_undefined(stats, coded, pooled.units)
        base = _kappa_base(parts)
        stats[kappa_key] = mean_kappa(mean_name, parts, base)
        notes = [stats[kappa_key].note] if stats[kappa_key].note else []
        rows.append(
            Figures(
                code,
                material.label(code),
                pooled.units,
                coded,
                stats,
                notes,
                parts,
                kappa_base=base,
            )
        )
    overall = None
    pairs = _kappa_base(every_part)
    if rows:
        stats = pooled_all.all()
        coded = {coder: sum(r.coded[coder] for r in rows) for coder in material.coders}
        explain_undefined(stats, coded, pooled_all.units)
        stats[kappa_key] = mean_kappa(mean_name, every_part, pairs, "code × transcript pair")
        overall = Figures(ALL, "all codes", pooled_all.units, coded, stats, kappa_base=pairs)
    return LevelResult("character", "character", "kappa", rows, overall, _character_notes(pairs, m))


def _character_notes(base: KappaBase, coders: int) -> list[str]:
    """The level's notes; `base`: what the means over all code × transcript pairs rest on."""
    kappa = kappa_name(coders)
    notes = [
        (
            "Units are characters: every character of each compared transcript, for each code. "
            f"{kappa} is computed per code and transcript"
            + (", as NVivo's coding comparison does for two coders, " if coders == 2 else " ")
            + "and then averaged over the transcripts where it is defined, weighted by their "
            "length; κ base gives the characters and transcripts each mean rests on. The other "
            "coefficients pool all characters of all compared transcripts."
        )
    ]
    if base.defined < base.compared:
        reasons = _reasons(base)
        why = (
            f", because {reasons[0][1]} in that transcript"
            if len(reasons) == 1
            else ": " + _counted(reasons)
        )
        notes.append(
            f"Kappa is undefined in {base.compared - base.defined} of the "
            f"{plural(base.compared, 'code × transcript pair')}{why}: the coders agree on every "
            "character, so kappa is 0/0. Those pairs are left out of the means. " + NVIVO_DIFFERENCE
        )
    return notes


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
        stats = counts.all()
        explain_undefined(stats, coded, counts.units)
        rows.append(Figures(code, material.label(code), counts.units, coded, stats))
    overall = None
    if rows:
        coded = {coder: sum(r.coded[coder] for r in rows) for coder in material.coders}
        stats = pooled_all.all()
        explain_undefined(stats, coded, pooled_all.units)
        overall = Figures(ALL, "all codes", pooled_all.units, coded, stats)
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
                f"{plural(combined, f'{unit} value')} "
                f"{'combines' if combined == 1 else 'combine'} two or more codes of the group (e.g. "
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
