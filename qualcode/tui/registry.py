"""Every screen of the workbench, registered in one place.

The app opens screens by name (`app.show("codebook")`), the command palette lists those that
need no argument, and the help screen lists the keys of each. A new screen (an export dialog,
a disagreement review) is added with one `register(...)` call below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from textual.screen import Screen

from qualcode.tui.screens.codebook import CodebookScreen
from qualcode.tui.screens.coding import CodingScreen
from qualcode.tui.screens.dialogs import ChoiceDialog, CoderDialog, MemoDialog, ProblemScreen
from qualcode.tui.screens.export_dialog import ExportDialog
from qualcode.tui.screens.help import HelpPart, HelpScreen
from qualcode.tui.screens.review import CodersDialog, ReviewScreen, WhyInput
from qualcode.tui.screens.study import StudyScreen
from qualcode.tui.widgets.code_picker import CodePicker
from qualcode.tui.widgets.code_tree import CodeTree
from qualcode.tui.widgets.row_table import RowTable
from qualcode.tui.widgets.transcript_view import TranscriptView


@dataclass(frozen=True)
class ScreenEntry:
    """A screen the app can open."""

    name: str
    title: str
    """Shown in the command palette and as the help section's heading."""
    description: str
    factory: Callable[..., Screen]
    keys: list[HelpPart] = field(default_factory=list)
    """(subheading, class): whose key bindings the help screen lists under this screen."""
    in_palette: bool = True
    """Offered in the command palette (only for screens that need no argument)."""


SCREENS: dict[str, ScreenEntry] = {}


def register(entry: ScreenEntry) -> None:
    SCREENS[entry.name] = entry


register(ScreenEntry("study", "Transcripts", "All transcripts with each coder's progress",
                     StudyScreen, [("", StudyScreen),
                                   ("In the list of transcripts (and of disagreements)",
                                    RowTable)]))
register(ScreenEntry("coding", "Coding", "Code one transcript", CodingScreen, [
    ("On the coding screen", CodingScreen),
    ("Moving and selecting in the transcript", TranscriptView),
    ("In the code tree (Tab from the transcript)", CodeTree),
    ("Choosing a code (Enter, f)", CodePicker),
    ("Choosing from a list (r, and questions)", ChoiceDialog),
    ("Writing a memo (m, M)", MemoDialog),
], in_palette=False))
register(ScreenEntry("codebook", "Codebook", "Every code's definition and how often it is used",
                     CodebookScreen, [("", CodebookScreen)]))
register(ScreenEntry("help", "Keys", "Every key of every screen", HelpScreen,
                     [("", HelpScreen)], in_palette=False))
register(ScreenEntry("review", "Disagreement review",
                     "Settle, one by one, the passages where coders did not code alike",
                     ReviewScreen, [("", ReviewScreen), ("Writing why (m)", WhyInput),
                                    ("Choosing the coders (C)", CodersDialog)]))
register(ScreenEntry("export", "Quote export", "Write quotes to Word, CSV or Excel",
                     ExportDialog, [("", ExportDialog)]))

OPENING_KEYS: list[HelpPart] = [
    ("Your name, asked the first time", CoderDialog),
    ("When the study cannot be opened", ProblemScreen),
]
"""Keys of what shows before a study is open (listed in the help as well)."""
