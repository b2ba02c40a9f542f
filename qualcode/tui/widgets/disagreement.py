"""Drawing one disagreement: each coder's codings on the same text, side by side.

```
╭ a · ingrid ─────────────────────────┬ b · jonas ──────────────────────────╮
│ …Så vi må finne folk der de er.     │ …Så vi må finne folk der de er.     │
│ Det andre er at vi føler et visst   │ Det andre er at vi føler et visst   │
│ ansvar. Når du er en bedrift…       │ ansvar. Når du er en bedrift…       │
│ ▌ Motivasjon › Samfunnsansvar       │ ▌ Motivasjon › Rekruttering         │
╰─────────────────────────────────────┴─────────────────────────────────────╯
```
The passage is shown with a sentence of context either side (dimmed), each coder's codings
tinted in their codes' colours, and below each column a stripe and label per coding. Plain
Rich renderables: the review screen puts them in a scrolling Static.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

from rich import box
from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from qualcode.agreement.disagreements import Disagreement, Marked, Settlement
from qualcode.study.codebook import Codebook
from qualcode.study.navigation import Navigator
from qualcode.study.transcript import Transcript

LETTERS = "abc"
"""Keys that take one coder's codings, in the order the coders are compared."""

CONTEXT_SENTENCES = 1
"""Sentences shown (dimmed) before and after a passage, within its turns."""

CONTEXT_LIMIT = 300
"""At most this many characters of context on each side."""

COLUMN_WIDTH = 30
"""The narrowest a coder's column may be; below it the coders are shown one above the other."""


def letter(index: int) -> str:
    """`a` for the first coder compared, `b` for the second, ..."""
    return chr(ord("a") + index)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def context_bounds(
    transcript: Transcript, navigator: Navigator, start: int, end: int
) -> tuple[int, int]:
    """Where the shown text starts and ends: a sentence either side, within the passage's turns."""
    starts, ends = navigator.spans("sentence")
    lo, hi = start, end
    if starts:
        first = max(0, bisect.bisect_right(starts, start) - 1 - CONTEXT_SENTENCES)
        last = min(len(ends) - 1, bisect.bisect_left(ends, end) + CONTEXT_SENTENCES)
        lo, hi = min(start, starts[first]), max(end, ends[last])
    first_turn, last_turn = transcript.turn_at(start), transcript.turn_at(max(start, end - 1))
    if first_turn is not None:
        lo = max(lo, min(first_turn.start, start))
    if last_turn is not None:
        hi = min(hi, max(last_turn.end, end))
    text = transcript.text
    if start - lo > CONTEXT_LIMIT:
        lo = text.find(" ", start - CONTEXT_LIMIT, start) + 1 or start - CONTEXT_LIMIT
    if hi - end > CONTEXT_LIMIT:
        cut = text.rfind(" ", end, end + CONTEXT_LIMIT)
        hi = cut if cut > end else end + CONTEXT_LIMIT
    return lo, hi


@dataclass
class PassageLook:
    """What a disagreement is drawn with."""

    codebook: Codebook
    language: str
    tint: Callable[[str], Style]
    """Background style for a code colour."""

    @staticmethod
    def stripe(colour: str) -> Style:
        return Style(color=colour, bold=True)

    def code_label(self, code_id: str) -> tuple[str, str]:
        """(label, colour) of a code, also for a code no longer in the codebook."""
        code = self.codebook.get(code_id)
        if code is None:
            return code_id, "#888888"
        return self.codebook.path_label(code_id, self.language), code.colour

    def labels(self, spans: list[tuple[int, int, str]], text: str) -> Text:
        """One line per coding: a stripe in the code's colour, its label and how long it is."""
        out = Text()
        for start, end, code_id in spans:
            label, colour = self.code_label(code_id)
            words = len(text[start:end].split())
            if out:
                out.append("\n")
            out.append("▌ ", self.stripe(colour))
            out.append(label, self.tint(colour))
            out.append(f"  {words} word{'s' if words != 1 else ''}", "dim")
        return out


def coder_text(text: str, lo: int, hi: int, start: int, end: int, marks: list[Marked],
               look: PassageLook) -> Text:
    """The shown text with one coder's codings tinted in their codes' colours."""
    shown = Text(text[lo:hi].strip("\n"))
    offset = lo + (len(text[lo:hi]) - len(text[lo:hi].lstrip("\n")))
    if start > lo:
        shown.stylize("dim", 0, start - offset)
    shown.stylize("dim", end - offset, len(shown))
    # Longest first, so the innermost coding's colour is the one seen.
    for mark in sorted(marks, key=lambda m: (m.start - m.end, m.start)):
        shown.stylize(look.tint(look.code_label(mark.code)[1]), mark.start - offset,
                      mark.end - offset)
    if lo > 0 and text[lo - 1] != "\n":
        shown = Text("…", "dim") + shown
    if hi < len(text) and text[hi:hi + 1] not in ("\n", ""):
        shown.append("…", "dim")
    return shown


def passage_view(d: Disagreement, transcript: Transcript, navigator: Navigator,
                 look: PassageLook, width: int | None = None) -> RenderableType:
    """Each compared coder's codings of the passage on the same text: side by side, or one
    above the other when `width` leaves a coder's column fewer than COLUMN_WIDTH cells."""
    text = transcript.text
    lo, hi = context_bounds(transcript, navigator, d.start, d.end)
    stacked = width is not None and width // max(1, len(d.coders)) < COLUMN_WIDTH
    table = Table(box=box.ROUNDED, expand=True, padding=(0, 1), show_lines=stacked,
                  show_header=not stacked, header_style="bold", border_style="dim")
    columns = []
    for index, (coder, marks) in enumerate(d.by_coder().items()):
        title = f"{letter(index)} · {coder}"
        if not stacked:
            table.add_column(title, ratio=1)
        spans = [(m.start, m.end, m.code) for m in marks]
        labels = look.labels(spans, text) if spans else Text("nothing coded here", "dim italic")
        parts = [coder_text(text, lo, hi, d.start, d.end, marks, look), Text(""), labels]
        columns.append(Group(*([Text(title, "bold")] if stacked else []), *parts))
    if stacked:
        table.add_column(ratio=1)
        for column in columns:
            table.add_row(column)
    else:
        table.add_row(*columns)
    return table


def decision_text(d: Disagreement, pending_memo: str | None, look: PassageLook, text: str,
                  by_hand: tuple[tuple[int, int, str], ...] | None = None) -> Text:
    """What was decided (or the keys that decide), and why.

    Args:
        pending_memo: a memo written before the decision, waiting for it (None: none).
        by_hand: for a passage settled by coding it by hand, the consensus layer's codings
            there (None: not settled by hand).
    """
    out = Text()
    settlement = d.settlement
    if settlement is None:
        out.append("Open: ", "bold")
        takes = [f"{letter(i)} {c}'s" for i, c in enumerate(d.coders[: len(LETTERS)])]
        out.append(" · ".join([*takes, "2 both", "0 neither", "e by hand", "m why"]), "dim")
    else:
        out.append("✓ Settled: ", "bold green")
        out.append(describe(settlement, d.coders, by_hand is not None))
        out.append("  (r reopens, z undoes)", "dim")
        kept = list(by_hand) if by_hand is not None else list(settlement.codings)
        if kept:
            out.append("\nThe consensus keeps:\n")
            out.append_text(look.labels(kept, text))
        else:
            out.append("\nThe consensus keeps nothing here.", "dim")
        if settlement.memo and pending_memo is None:
            out.append("\nWhy: ", "bold")
            out.append(settlement.memo)
    if pending_memo is not None:
        out.append("\nWhy (saved, goes with your decision): ", "bold")
        out.append(pending_memo or "–")
    return out


def describe(settlement: Settlement, coders: tuple[str, ...], by_hand: bool = False) -> str:
    if by_hand:
        return "coded by hand in the consensus layer."
    if settlement.decision == "both":
        return "every coder's codings."
    if settlement.decision == "neither":
        return "neither: the passage stays uncoded."
    if settlement.decision in coders:
        return f"{settlement.decision}'s codings ({letter(coders.index(settlement.decision))})."
    return settlement.decision


def short_decision(settlement: Settlement | None, by_hand: bool = False) -> Text:
    """The decision column: `✓ ingrid`, `✓ by hand`, or nothing for an open one."""
    if settlement is None:
        return Text("")
    return Text(shorten("✓ " + ("by hand" if by_hand else settlement.decision), 10), "green")
