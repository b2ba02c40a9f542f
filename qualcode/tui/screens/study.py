"""The study screen: every transcript with its informants, size and each coder's progress.

The table is filled by a worker thread (reading transcripts and every coder's file can take a
moment in a large study) and refilled whenever the screen comes back into view. Each coder's
column shows how much of the informants' speech that coder has coded, and with how many codings.
On a narrow terminal the informants and the form give way first, so that the words and every
coder's progress stay in view (`column_widths`). A filter naming an attribute no informant has
says so, with the attributes there are.
"""

from __future__ import annotations

import shlex
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
from qualcode.study.yamlfile import nearest_name
from qualcode.tui.guard import report
from qualcode.tui.screens.following import FollowsCodings
from qualcode.tui.widgets.row_table import RowTable
from qualcode.wording import plural, plural_form


@dataclass
class StudyRows(Message):
    """Transcripts and progress, read in a worker."""

    transcripts: list[Transcript]
    progress: dict[str, dict[str, TranscriptProgress]]
    coders: list[str] = field(default_factory=list)


PROGRESS_WIDTH = 15
"""Columns of a coder's progress cell: `███░  75% · 12`."""

ID_WIDTH = (16, 40)
"""The transcript column's narrowest and widest."""
INFORMANTS_WIDTH = (12, 38)
"""The informants column's narrowest and widest: it gives way when the terminal is narrow."""
FORM_WIDTH = (10, 24)
"""The form column's narrowest and widest: it gives way first."""
WORDS_WIDTH = 7
CELL_PADDING = 2
"""A table cell's padding (one column either side)."""


def column_widths(width: int, ids: int, coders: list[int], informants: int, form: int
                  ) -> dict[str, int]:
    """How wide each column of the transcripts table is on a terminal `width` cells wide.

    Args:
        ids, informants, form: the widest cell of each of these columns.
        coders: the widest cell of each coder's column.

    Returns:
        Widths by column (`id`, `informants`, `form`, `words`, `coders`); a column left out
        has width 0. The words and every coder's progress always stay; the transcript id is
        shortened to make room for them; then the informants are kept if there is room, then
        the form, and what is left widens them up to their widest.
    """
    room = width - 2  # the scroll bar
    needed = sum(c + CELL_PADDING for c in coders) + WORDS_WIDTH + CELL_PADDING
    least_id, most_id = ID_WIDTH
    id_width = max(least_id, min(ids, most_id, room - needed - CELL_PADDING))
    left = room - needed - id_width - CELL_PADDING
    optional = {"informants": (INFORMANTS_WIDTH[0], min(informants, INFORMANTS_WIDTH[1])),
                "form": (FORM_WIDTH[0], min(form, FORM_WIDTH[1]))}
    widths = {"informants": 0, "form": 0}
    for name, (least, most) in optional.items():
        if left >= min(least, most) + CELL_PADDING:
            widths[name] = min(least, most)
            left -= widths[name] + CELL_PADDING
    for name, (_least, most) in optional.items():
        if widths[name]:
            extra = max(0, min(most - widths[name], left))
            widths[name] += extra
            left -= extra
    return {"id": id_width, **widths, "words": WORDS_WIDTH, "coders": sum(coders)}


def progress_cell(progress: TranscriptProgress, width: int = 4) -> Text:
    """`███░  75% · 12`: share of the informants' speech coded, and the number of codings
    (a dim dash when nothing is coded; a coding or two show as one cell and `<1%`)."""
    if progress.codings == 0:
        return Text("–", style="dim", justify="right")
    filled = max(1, round(progress.fraction * width))
    percent = f"{progress.percent:>3}%" if progress.percent or not progress.coded else " <1%"
    cell = Text()
    cell.append("█" * filled, style="green")
    cell.append("░" * (width - filled), style="dim")
    cell.append(f" {percent}")
    cell.append(f" · {progress.codings}", style="dim")
    return cell


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def informants_text(transcript: Transcript) -> str:
    """`A Bedriftsleder` or, for a group, `5 informants: Arbeidslivscoach, …`."""
    people = list(transcript.informants.values())
    if len(people) > 3:
        roles = sorted({p.role for p in people if p.role})
        return f"{len(people)} informants: " + ", ".join(roles)
    return "; ".join(f"{p.label} {p.role}".strip() for p in people) or "–"


def informants_cell(transcript: Transcript, limit: int = 38) -> str:
    return shorten(informants_text(transcript), limit)


def unknown_attributes(transcripts: list[Transcript], query: str) -> str:
    """What to say about `name=value` words in a filter whose name no informant has ('' when
    every name is known): `No informant has the attribute regin (did you mean region?) …`."""
    known = sorted({key for t in transcripts for i in t.informants.values()
                    for key in i.attributes} | {"speaker"})
    lowered = {k.lower() for k in known}
    try:
        terms = shlex.split(query)
    except ValueError:  # an unclosed quote while typing
        terms = query.split()
    for term in terms:
        name, sep, _value = term.partition("=")
        if not sep:
            name, sep, _value = term.partition(":")
        name = name.strip()
        if sep and name and name.lower() not in lowered:
            near = nearest_name(name.lower(), known)
            guess = f" (did you mean {near}?)" if near else ""
            return (f"No informant has the attribute {name}{guess}. Known: "
                    + ", ".join(known) + ".")
    return ""


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
        yield RowTable(id="transcripts", cursor_type="row", zebra_stripes=True)
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
                f"{plural(len(problems), 'transcript')} could not be read and "
                f"{'is' if len(problems) == 1 else 'are'} not listed. "
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

    def on_resize(self) -> None:
        if self._coders:
            self._fill()

    def _coder_title(self, coder: str) -> str:
        return f"{coder} (you)" if coder == self.session.coder else coder

    def _widths(self) -> dict[str, int]:
        transcripts = self._transcripts
        return column_widths(
            self.app.size.width,
            max([len("Transcript"), *(len(t.id) for t in transcripts)]),
            [max(len(self._coder_title(c)), PROGRESS_WIDTH) for c in self._coders],
            max([len("Informants"), *(len(informants_text(t)) for t in transcripts)]),
            max([len("Form"), *(len(t.form) for t in transcripts)]),
        )

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        keep = None
        if 0 <= table.cursor_row < table.row_count:
            keep = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        table.clear(columns=True)
        # Fixed widths: columns sized from their content could stay cut to the width of the
        # heading when rows are drawn before they are measured.
        widths = self._widths()
        table.add_column("Transcript", key="id", width=widths["id"])
        if widths["informants"]:
            table.add_column("Informants", key="informants", width=widths["informants"])
        if widths["form"]:
            table.add_column("Form", key="form", width=widths["form"])
        table.add_column(Text("Words", justify="right"), key="words", width=WORDS_WIDTH)
        for coder in self._coders:
            title = self._coder_title(coder)
            table.add_column(Text(title), key=f"coder:{coder}",
                             width=max(len(title), PROGRESS_WIDTH))
        query = self.query_one("#study-filter", Input).value
        shown = [t for t in self._transcripts if matches(t, query)]
        for transcript in shown:
            progress = self._progress.get(transcript.id, {})
            cells = [Text(shorten(transcript.id, widths["id"]))]
            if widths["informants"]:
                cells.append(Text(informants_cell(transcript, widths["informants"])))
            if widths["form"]:
                cells.append(Text(shorten(transcript.form, widths["form"]) or "–"))
            cells.append(Text(f"{transcript.word_count:,}".replace(",", " "), justify="right"))
            cells += [progress_cell(progress.get(c, NOT_STARTED)) for c in self._coders]
            table.add_row(*cells, key=transcript.id)
        if keep is not None and any(t.id == keep for t in shown):
            table.move_cursor(row=table.get_row_index(keep))
        self._summarise(shown, query)

    def _summarise(self, shown: list[Transcript], query: str) -> None:
        words = sum(t.word_count for t in shown)
        summary = (f"{len(shown)} of {plural(len(self._transcripts), 'transcript')} · "
                   f"{words:,} {plural_form(words, 'word', 'words')}".replace(",", " "))
        if query.strip():
            summary += f" · filter: {query}"
        problem = unknown_attributes(self._transcripts, query) if query.strip() else ""
        if problem:
            summary = problem + " · " + summary
        else:
            summary += (" · each coder: share of the informants' words coded · codings"
                        " · Enter opens, / filters")
        self.query_one("#study-summary", Static).update(Text(summary))

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
