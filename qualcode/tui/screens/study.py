"""The study screen: every transcript with its informants, size and each coder's progress.

The table is filled by a worker thread (reading transcripts and every coder's file can take a
moment in a large study) and refilled whenever the screen comes back into view. Each coder's
column shows how much of the informants' speech that coder has coded, and with how many codings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from qualcode.errors import QualcodeError
from qualcode.store.progress import NOT_STARTED, TranscriptProgress, study_progress
from qualcode.study.informant_filter import matches
from qualcode.study.transcript import Transcript
from qualcode.tui.guard import report
from qualcode.tui.screens.following import FollowsCodings


@dataclass
class StudyRows(Message):
    """Transcripts and progress, read in a worker."""

    transcripts: list[Transcript]
    progress: dict[str, dict[str, TranscriptProgress]]
    coders: list[str] = field(default_factory=list)


PROGRESS_WIDTH = 15
"""Columns of a coder's progress cell: `███░  75% · 12`."""

INFORMANTS_WIDTH = (20, 38)
"""The informants column's narrowest and widest: it gives way when the terminal is narrow."""


def progress_cell(progress: TranscriptProgress, width: int = 4) -> Text:
    """`███░  75% · 12`: share of the informants' speech coded, and the number of codings
    (a dim dash when nothing is coded)."""
    if progress.codings == 0:
        return Text("–", style="dim", justify="right")
    filled = round(progress.fraction * width)
    cell = Text()
    cell.append("█" * filled, style="green")
    cell.append("░" * (width - filled), style="dim")
    cell.append(f" {progress.percent:>3}%")
    cell.append(f" · {progress.codings}", style="dim")
    return cell


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def informants_cell(transcript: Transcript, limit: int = 38) -> str:
    """`A Bedriftsleder` or, for a group, `5 informants: Arbeidslivscoach, …`."""
    people = list(transcript.informants.values())
    if len(people) > 3:
        roles = sorted({p.role for p in people if p.role})
        text = f"{len(people)} informants: " + ", ".join(roles)
    else:
        text = "; ".join(f"{p.label} {p.role}".strip() for p in people) or "–"
    return shorten(text, limit)


class StudyScreen(FollowsCodings, Screen[None]):
    """All transcripts of the study."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", tooltip="Open the transcript to code it"),
        Binding("slash", "filter", "Filter", tooltip="Filter by informant attribute"),
        Binding("escape", "clear_filter", "Show every transcript again (clear the filter)",
                show=False),
        Binding("f2", "app.codebook", "Codebook", tooltip="The codebook"),
        Binding("f3", "app.review", "Review",
                tooltip="Review and settle the disagreements between coders"),
        Binding("e", "app.export", "Export", tooltip="Export quotes to Word, CSV or Excel"),
        Binding("q", "app.quit", "Quit", tooltip="Quit (everything is already saved)"),
    ]

    REREAD_ON_RESUME = True  # it shows every coder's progress, which other windows change

    def __init__(self) -> None:
        super().__init__()
        self._transcripts: list[Transcript] = []
        self._progress: dict[str, dict[str, TranscriptProgress]] = {}
        self._coders: list[str] = []

    @property
    def session(self):  # -> qualcode.tui.session.Session
        return self.app.session  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="Filter by informant attribute: role=Bedriftsleder, region=Innlandet, "
            "or any word (/ to focus)",
            id="study-filter",
        )
        yield DataTable(id="transcripts", cursor_type="row", zebra_stripes=True)
        yield Static("Reading transcripts…", id="study-summary")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_title()
        self.query_one(DataTable).focus()

    def refresh_title(self) -> None:
        self.title = self.session.study.config.name
        self.sub_title = f"coder {self.session.coder}" + (
            " · read-only" if self.session.read_only else ""
        )

    def codings_changed(self, origin: str) -> None:
        self._read_rows()

    @work(thread=True, exclusive=True, group="study-rows", exit_on_error=False)
    def _read_rows(self) -> None:
        study = self.session.study
        transcripts, problems = [], []
        for transcript_id in study.transcript_ids:
            try:
                transcripts.append(study.transcript(transcript_id))
            except QualcodeError as error:  # one unreadable file must not hide the others
                problems.append(error)
        if problems:
            first = problems[0]
            self.app.call_from_thread(report, self, type(first)(
                f"{len(problems)} transcript(s) could not be read and are not listed. "
                f"The first: {first.message}",
                path=first.path, hint=first.hint or "Run `qualcode check` to see every problem.",
            ))
        try:
            coders = study.coders()
            if self.session.coder not in coders:
                coders.append(self.session.coder)
            progress = study_progress(study, coders, transcripts)
        except QualcodeError as error:
            self.app.call_from_thread(report, self, error)
            return
        self.post_message(StudyRows(transcripts, progress, coders))

    @on(StudyRows)
    def _rows_ready(self, message: StudyRows) -> None:
        me = self.session.coder
        coders = [me] + [c for c in message.coders if c != me]
        if (message.transcripts, message.progress, coders) == (
            self._transcripts, self._progress, self._coders
        ):
            return  # nothing changed: keep the table (and its cursor) as it is
        self._transcripts = message.transcripts
        self._progress = message.progress
        self._coders = coders
        self._fill()

    def _informants_width(self, id_width: int) -> int:
        """What is left for the informants once the other columns have their room."""
        padding = 2 * (4 + len(self._coders))
        others = id_width + 16 + 7 + padding + sum(
            max(len(c) + 6, PROGRESS_WIDTH) for c in self._coders
        )
        narrowest, widest = INFORMANTS_WIDTH
        return max(narrowest, min(widest, self.app.size.width - others - 2))

    def on_resize(self) -> None:
        if self._coders:
            self._fill()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        keep = None
        if 0 <= table.cursor_row < table.row_count:
            keep = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        table.clear(columns=True)
        # Fixed widths: columns sized from their content could stay cut to the width of the
        # heading when rows are drawn before they are measured.
        id_width = max([len("Transcript"), *(len(t.id) for t in self._transcripts)])
        table.add_column("Transcript", key="id", width=min(id_width, 40))
        informants_width = self._informants_width(min(id_width, 40))
        table.add_column("Informants", key="informants", width=informants_width)
        table.add_column("Form", key="form", width=16)
        table.add_column(Text("Words", justify="right"), key="words", width=7)
        for coder in self._coders:
            title = f"{coder} (you)" if coder == self.session.coder else coder
            table.add_column(Text(title), key=f"coder:{coder}",
                             width=max(len(title), PROGRESS_WIDTH))
        query = self.query_one("#study-filter", Input).value
        shown = [t for t in self._transcripts if matches(t, query)]
        for transcript in shown:
            progress = self._progress.get(transcript.id, {})
            table.add_row(
                Text(transcript.id),
                Text(informants_cell(transcript, informants_width)),
                Text(shorten(transcript.form, 16) or "–"),
                Text(f"{transcript.word_count:,}".replace(",", " "), justify="right"),
                *[progress_cell(progress.get(c, NOT_STARTED)) for c in self._coders],
                key=transcript.id,
            )
        if keep is not None and any(t.id == keep for t in shown):
            table.move_cursor(row=table.get_row_index(keep))
        words = sum(t.word_count for t in shown)
        summary = f"{len(shown)} of {len(self._transcripts)} transcripts · {words:,} words".replace(
            ",", " "
        )
        if query.strip():
            summary += f" · filter: {query}"
        self.query_one("#study-summary", Static).update(Text(
            summary + " · each coder: share of the informants' words coded · codings"
            " · Enter opens, / filters"
        ))

    @on(Input.Changed, "#study-filter")
    def _filter_changed(self) -> None:
        if self._transcripts:
            self._fill()

    @on(Input.Submitted, "#study-filter")
    def _filter_submitted(self) -> None:
        self.query_one(DataTable).focus()

    def action_filter(self) -> None:
        self.query_one("#study-filter", Input).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#study-filter", Input)
        box.value = ""
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected, "#transcripts")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.app.open_transcript(event.row_key.value)  # type: ignore[attr-defined]

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if 0 <= table.cursor_row < table.row_count:
            key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
            if key:
                self.app.open_transcript(key)  # type: ignore[attr-defined]
