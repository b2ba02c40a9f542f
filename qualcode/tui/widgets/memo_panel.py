"""The side panel showing the coding under the cursor, its memo, and the transcript's memo.

Side panels on the coding screen receive a `PassageContext` whenever the cursor, the
selection or the codings change; any widget with a `show_context(context)` method placed in
the screen's `#side-panels` container is kept up to date the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from qualcode.store.coder_store import Coding
from qualcode.study.codebook import Codebook
from qualcode.study.transcript import Transcript


@dataclass
class PassageContext:
    """Where the coder is: what side panels need to show something relevant."""

    transcript: Transcript
    codebook: Codebook
    language: str | None
    cursor: int
    selection: tuple[int, int] | None
    current: Coding | None
    """The coding the coder works on (under the cursor, or jumped to)."""
    here: list[Coding] = field(default_factory=list)
    """Every coding covering the cursor, innermost first."""
    memos: dict[tuple[str, str], str] = field(default_factory=dict)
    """Memo text by (target kind, target), for the current coding and the transcript."""
    read_only: bool = False


class MemoPanel(VerticalScroll, can_focus=False):
    """Shows the current coding with its memo, and the transcript memo.

    It takes no focus, so Tab goes straight from the transcript to the code tree; m opens a
    memo whole.
    """

    DEFAULT_CSS = """
    MemoPanel { height: 1fr; }
    MemoPanel > Static { margin-bottom: 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="memo-coding")
        yield Static("", id="memo-transcript")

    def on_mount(self) -> None:
        self._shown: tuple | None = None

    def show_context(self, context: PassageContext) -> None:
        current = context.current
        shown = (
            current,
            tuple(c.id for c in context.here),
            tuple(sorted(context.memos.items())),
        )
        if shown == self._shown:
            return  # nothing new: spare the screen a layout pass
        self._shown = shown
        coding_text = Text()
        if current is None:
            coding_text.append("No coding here.\n", style="bold")
            coding_text.append(
                "Select a passage (w word, s sentence, t turn, or drag) and press Enter to code it.",
                style="dim",
            )
        else:
            code = context.codebook.get(current.code)
            coding_text.append("● ", style=code.colour if code else "")
            label = context.codebook.path_label(current.code, context.language) if code else current.code
            coding_text.append(label + "\n", style="bold")
            coding_text.append(f"«{context.transcript.excerpt(current.start, current.end, 160)}»\n",
                               style="italic")
            memo = context.memos.get(("coding", current.id), "")
            coding_text.append("\nMemo: ", style="bold")
            coding_text.append(memo or "none yet (m to write one)", style="" if memo else "dim")
            others = [c for c in context.here if c.id != current.id]
            if others:
                names = []
                for other in others:
                    code = context.codebook.get(other.code)
                    names.append(code.label(context.language) if code else other.code)
                coding_text.append("\n\nAlso here: " + ", ".join(names) + " (; to switch)", style="dim")
        self.query_one("#memo-coding", Static).update(coding_text)
        memo = context.memos.get(("transcript", context.transcript.id), "")
        transcript_text = Text()
        transcript_text.append("Transcript memo: ", style="bold")
        transcript_text.append(memo or "none yet (M to write one)", style="" if memo else "dim")
        self.query_one("#memo-transcript", Static).update(transcript_text)
