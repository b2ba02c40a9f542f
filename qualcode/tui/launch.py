"""Starting the workbench from the command line."""

from __future__ import annotations

from pathlib import Path

from qualcode.errors import StudyError
from qualcode.study.config import CONFIG_NAME
from qualcode.study.study import check_coder_name


def launch(root: Path, coder: str | None = None, transcript: str | None = None) -> int:
    """Open the coding workbench on a study folder and return an exit status.

    Raises StudyError (printed by the command line) when the folder is not a study or the
    coder name cannot be used, before the screen is taken over.
    """
    root = Path(root)
    if not root.is_dir():
        raise StudyError(
            "There is no such folder.",
            path=root,
            hint="Check the path, or create a study with `qualcode init FOLDER`.",
        )
    if not (root / CONFIG_NAME).is_file():
        raise StudyError(
            f"This folder is not a qualcode study: it has no {CONFIG_NAME}.",
            path=root,
            hint=f"Create one with `qualcode init {root}`, or try `qualcode demo`.",
        )
    if coder is not None:
        coder = check_coder_name(coder)
    from qualcode.tui.app import make_app

    app = make_app(root.resolve(), coder, transcript)
    result = app.run()
    return int(result or app.return_code or 0)
