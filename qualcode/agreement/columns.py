"""The columns of an agreement table, shared by the terminal and the report, and how to fit them.

Each level's table has a code column, the units its figures rest on, the figures, and a reading.
Headers are short (`κ`, `α`, `AC1`), with a legend line that says what each one means, so that
the numbers keep their room. Numbers are never wrapped or cut; only the code and the reading may
be folded, and the lesser columns (Scott's pi, Gwet's AC1, Brennan-Prediger, then the reading)
are the ones left out when a terminal is too narrow for them (`fit_columns`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from qualcode.agreement.levels import (
    ALL,
    NOTE_CODED_EVERYWHERE,
    NOTE_CODED_THROUGHOUT_HERE,
    NOTE_UNUSED_HERE,
    Figures,
    KappaBase,
    LevelResult,
    kappa_name,
)
from qualcode.agreement.reading import reading, thousands
from qualcode.agreement.statistics import (
    NOTE_NO_VARIATION,
    NOTE_NOTHING_TO_COMPARE,
    NOTE_ONE_CATEGORY,
    NOTE_ONE_CODER,
    Statistic,
)
from qualcode.agreement.unitizing import NOTE_CODE_UNUSED, NOTE_NO_ROOM, NOTE_NOTHING_CODED

__all__ = [
    "EXTRA",
    "Column",
    "figure_columns",
    "fit_columns",
    "legend",
    "level_rows",
    "natural_widths",
    "number",
    "percent",
    "reading_cell",
    "short_reason",
    "transcript_columns",
    "undefined_notes",
]

EXTRA = ("scott", "ac1", "bp")
"""The coefficients some journals ask for, shown when there is room (or when asked)."""
CODE_WIDTH = 14
"""The narrowest the code (or transcript) column gets before lesser columns are left out."""
GAP = 2
"""Characters between two columns in the terminal."""

SHORT_REASONS = {
    NOTE_CODE_UNUSED: "nobody used it",
    NOTE_UNUSED_HERE: "nobody used it here",
    NOTE_CODED_THROUGHOUT_HERE: "coded throughout",
    NOTE_CODED_EVERYWHERE: "coded throughout",
    NOTE_NO_VARIATION: "no variation",
    NOTE_NOTHING_TO_COMPARE: "nothing to compare",
    NOTE_ONE_CODER: "one coder only",
    NOTE_ONE_CATEGORY: "one category only",
    NOTE_NO_ROOM: "no room to differ",
    NOTE_NOTHING_CODED: "nothing coded",
}
"""An undefined figure's reason, in a few words for a table cell; the notes give it in full."""


def number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}"


def short_reason(note: str | None) -> str:
    """A few words on why a figure is undefined (the full note says more)."""
    if note is None:
        return "undefined"
    if note in SHORT_REASONS:
        return SHORT_REASONS[note]
    if note.startswith("kappa is undefined in every"):
        return "undefined everywhere"
    return "see the note"


@dataclass(frozen=True)
class Column:
    """One column of an agreement table."""

    key: str
    header: str
    """Short and on one line; `legend` says what it means."""
    legend: str | None
    cell: Callable[[Any], str]
    """The cell of one row (a `Figures`, or a `TranscriptFigures` per transcript)."""
    number: bool = True
    """Numbers are never wrapped or cut; text (the code, the reading) may be folded."""
    extra: bool = False
    """One of Scott's pi, Gwet's AC1 and Brennan-Prediger, which may be left out for room."""

    @property
    def meaning(self) -> str:
        """What the header stands for: `Scott's pi` for `π`."""
        return (self.legend or self.header).split(": ", 1)[-1]


def level_rows(level: LevelResult) -> list[Figures]:
    """A level's rows as tables show them: codes lowest agreement first, then all codes."""
    return [*level.ordered(), *([level.overall] if level.overall else [])]


def _stat(key: str, fmt: Callable[[float | None], str] = number) -> Callable[[Figures], str]:
    return lambda f: fmt(f.value(key))


def _kappa_base(base: KappaBase | None) -> str:
    if base is None:
        return ""
    return f"{thousands(base.characters)} in {base.defined}/{base.compared}"


def _main_statistic(f: Figures, main: str) -> Statistic | None:
    return f.kappa if main == "kappa" else f.statistics.get(main)


def _reading(stat: Statistic | None, main: str) -> str:
    """The reading of a figure after the conventions, or why it is undefined."""
    if stat is not None and stat.value is None:
        return "undefined: " + short_reason(stat.note)
    return reading(main, None if stat is None else stat.value)


def reading_cell(f: Figures, main: str) -> str:
    """The reading of a row's main figure, or why it is undefined."""
    return _reading(_main_statistic(f, main), main)


def figure_columns(level: LevelResult, coders: int) -> list[Column]:
    """Every column of a level's table, in order; `Column.extra` marks the lesser ones."""
    two = coders == 2
    kappa = kappa_name(coders)
    units = {"character": "chars", "span": "stretches"}.get(level.level, f"{level.unit}s")
    units_legend = {
        "character": "chars: characters compared (for all codes: code × character)",
        "span": "stretches: coded stretches, over all coders",
        "group": f"{level.unit}s: {level.unit}s compared",
    }.get(
        level.level, f"{level.unit}s: {level.unit}s compared (for all codes: code × {level.unit})"
    )
    columns = [
        Column("code", "code", None, lambda f: f.label if f.code == ALL else f.code, False),
        Column("units", units, units_legend, lambda f: thousands(f.units)),
    ]
    if level.level == "span":
        columns.append(
            Column("ualpha", "uα", "uα: Krippendorff's unitizing alpha", _stat("ualpha"))
        )
    else:
        columns.append(Column("percent", "%", "%: percent agreement", _stat("percent", percent)))
        if level.level == "character":
            columns += [
                Column(
                    "kappa",
                    "κ",
                    f"κ: {kappa}, mean over transcripts weighted by length",
                    _stat("kappa"),
                ),
                Column(
                    "kappa_base",
                    "κ base",
                    "κ base: the characters that mean rests on, in how many of the compared "
                    "transcripts (for all codes: code × transcript pairs) kappa is defined",
                    lambda f: _kappa_base(f.kappa_base),
                ),
            ]
        else:
            columns.append(Column("kappa", "κ", f"κ: {kappa}", _stat("kappa")))
        columns.append(Column("alpha", "α", "α: Krippendorff's alpha (nominal)", _stat("alpha")))
        if two:
            columns.append(Column("scott", "π", "π: Scott's pi", _stat("scott"), extra=True))
        columns += [
            Column("ac1", "AC1", "AC1: Gwet's AC1", _stat("ac1"), extra=True),
            Column("bp", "BP", "BP: Brennan–Prediger", _stat("bp"), extra=True),
        ]
    reading_legend = (
        "reading: κ after Landis & Koch"
        if level.main == "kappa"
        else f"reading: {'uα' if level.main == 'ualpha' else 'α'} after Krippendorff"
    )
    columns.append(
        Column("reading", "reading", reading_legend, lambda f: reading_cell(f, level.main), False)
    )
    return columns


def transcript_columns(coders: tuple[str, ...]) -> list[Column]:
    """Columns of the per-transcript figures at the character level (rows: TranscriptFigures)."""
    columns = [
        Column("transcript", "transcript", None, lambda p: p.transcript, False),
        Column(
            "units",
            "chars",
            "chars: characters of the transcript",
            lambda p: thousands(p.characters),
        ),
    ]
    for i, coder in enumerate(coders):
        what = f"{', '.join(coders)}: characters each coder coded with the code" if i == 0 else None
        columns.append(
            Column(f"coded {coder}", coder, what, lambda p, c=coder: thousands(p.coded[c]))
        )
    kappa = kappa_name(len(coders))
    columns += [
        Column("percent", "%", "%: percent agreement", lambda p: percent(p.percent.value)),
        Column("kappa", "κ", f"κ: {kappa}", lambda p: number(p.kappa.value)),
        Column(
            "reading",
            "reading",
            "reading: κ after Landis & Koch",
            lambda p: _reading(p.kappa, "kappa"),
            False,
        ),
    ]
    return columns


def legend(columns: list[Column]) -> str:
    """One line saying what each short header means."""
    return " · ".join(c.legend for c in columns if c.legend)


def undefined_notes(level: LevelResult, columns: list[Column]) -> list[str]:
    """Why figures in the table are undefined: one line per reason, naming the codes."""
    shown = {c.key for c in columns}
    symbols = {c.key: c.header for c in columns}
    by_reason: dict[str, dict[str, list[str]]] = {}
    for f in level_rows(level):
        for key in ("kappa", "percent", "alpha", "ualpha", *EXTRA):
            if key not in shown:
                continue
            stat = _main_statistic(f, key)
            if stat is None or stat.value is not None or not stat.note:
                continue
            codes = by_reason.setdefault(stat.note, {})
            codes.setdefault(f.label if f.code == ALL else f.code, []).append(symbols[key])
    lines = []
    for note, codes in by_reason.items():
        named = "; ".join(f"{code} ({', '.join(keys)})" for code, keys in codes.items())
        lines.append(f"Undefined for {named}: {note}.")
    return lines


def fit_columns(
    columns: list[Column], widths: dict[str, tuple[int, int]], available: int, keep_extra: bool
) -> tuple[list[Column], dict[str, int], list[str]]:
    """Choose the columns that fit in `available` characters and the width of each.

    `widths` gives each column's (narrowest, natural) width: a number's narrowest is its natural
    width, so it is never cut. Lesser columns are left out while the rest does not fit:
    Scott's pi, AC1 and Brennan-Prediger first (unless `keep_extra`), then the reading if that
    is enough. Returns the columns kept, their widths, and the keys left out; when even these do
    not fit, the widths add up to more than `available` and the rows are best shown as a list.
    """

    def needed(kept: list[Column]) -> int:
        return sum(widths[c.key][0] for c in kept) + GAP * (len(kept) - 1)

    kept = list(columns)
    left_out: list[str] = []
    if not keep_extra and needed(kept) > available:
        left_out += [c.key for c in kept if c.extra]
        kept = [c for c in kept if not c.extra]
    without_reading = [c for c in kept if c.key != "reading"]
    if needed(kept) > available and needed(without_reading) <= available:
        left_out.append("reading")
        kept = without_reading
    sizes = {c.key: widths[c.key][0] for c in kept}
    room = available - needed(kept)
    for c in kept:  # text columns grow to their natural width, the code first
        if not c.number and room > 0:
            grow = min(room, widths[c.key][1] - sizes[c.key])
            sizes[c.key] += grow
            room -= grow
    return kept, sizes, left_out


def natural_widths(columns: list[Column], rows: list[Any]) -> dict[str, tuple[int, int]]:
    """Each column's (narrowest, natural) width for these rows."""
    out = {}
    for c in columns:
        cells = [c.header, *(c.cell(f) for f in rows)]
        natural = max(len(cell) for cell in cells)
        if c.number:
            out[c.key] = (natural, natural)
        elif c.key in ("code", "transcript"):
            out[c.key] = (min(natural, CODE_WIDTH), natural)
        else:
            longest_word = max(len(word) for cell in cells for word in cell.split() or [""])
            out[c.key] = (longest_word, natural)
    return out
