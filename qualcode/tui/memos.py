"""Writing memos on a coding, a transcript or a code, from any screen."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from textual.dom import DOMNode

from qualcode.errors import QualcodeError
from qualcode.tui.guard import as_qualcode_error, report
from qualcode.tui.screens.dialogs import MemoDialog


def edit_memo(
    node: DOMNode,
    kind: str,
    target: str,
    title: str,
    context: str = "",
    after: Callable[[], None] | None = None,
) -> None:
    """Open the memo dialog; save what the coder writes as one undoable step."""
    session = node.app.session  # type: ignore[attr-defined]
    read_only = session.read_only
    if read_only:
        title += " (read-only window)"

    def save(text: str) -> bool:
        try:
            session.writable().set_memo(kind, target, text)
        except (QualcodeError, sqlite3.Error, OSError) as error:
            explained = as_qualcode_error(error)
            assert explained is not None
            report(node, explained)
            return False
        node.app.notify("Memo saved." if text.strip() else "Memo deleted.", timeout=2)
        if after is not None:
            after()
        return True

    memo = session.store.memo(kind, target)
    node.app.push_screen(MemoDialog(title, context, memo, None if read_only else save))


def edit_code_memo(node: DOMNode, code_id: str, after: Callable[[], None] | None = None) -> None:
    """The memo on a code (the coder's own thoughts on how to use it)."""
    session = node.app.session  # type: ignore[attr-defined]
    codebook = session.study.codebook
    code = codebook.get(code_id)
    if code is None:
        return
    language = session.study.config.language
    edit_memo(node, "code", code_id, f"Memo on the code {codebook.path_label(code_id, language)}",
              code.description, after)
