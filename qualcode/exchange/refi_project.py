"""A whole study to and from a REFI-QDA project (`.qdpx`).

    report = export_project("my-study", "my-study.qdpx")
    report = import_project("from-another-program.qdpx", "new-study")

Export writes transcripts, codebook, informants (as cases), every coder's codings and memos;
see `project_writer`. Import reads the project (`project_reader`), decides how its positions
are counted and maps them onto qualcode's text (`positions`), plans the new study
(`import_plan`) and writes it into a new folder, all or nothing (`study_builder`). Sources that
are not text, and anything else qualcode has no place for, are listed in the report. A project
that breaks the REFI-QDA schema, refers to text files it does not hold, or has selections that
do not fit their texts is refused unless `skip_problems` is given.
"""

from __future__ import annotations

from pathlib import Path

from qualcode.errors import ImportFileError, UsageError
from qualcode.exchange.archive import Archive
from qualcode.exchange.import_plan import Plan, make_plan
from qualcode.exchange.project_reader import read_project
from qualcode.exchange.project_writer import ExportReport, build_qdpx
from qualcode.exchange.refi_codebook import check_output
from qualcode.exchange.study_builder import ImportReport, check_target, write_study
from qualcode.exchange.xmltools import SKIP_PROBLEMS_HINT
from qualcode.study.files import write_atomic
from qualcode.study.study import Study
from qualcode.wording import plural

END_CHOICES = ("auto", "exclusive", "inclusive")

__all__ = ["END_CHOICES", "ExportReport", "ImportReport", "export_project", "import_project"]


def export_project(study_dir: str | Path, out: str | Path) -> ExportReport:
    """Write the study to `out` (.qdpx); the file is replaced only once complete."""
    out = Path(out)
    check_output(out, (".qdpx",))
    study = Study.open(study_dir)
    data, report = build_qdpx(study)
    write_atomic(out, data)
    return report


def import_project(
    file: str | Path,
    target: str | Path,
    end: str = "auto",
    language: str | None = None,
    skip_problems: bool = False,
) -> ImportReport:
    """Create the study folder `target` from the project `file`.

    Args:
        file: the `.qdpx` file (never modified).
        target: a new or empty folder.
        end: how selection ends are read: `auto` (decided from the selections), `exclusive`
            (the end is the place after the last selected character) or `inclusive` (the end
            is the last selected character).
        language: `nb` or `en` for the study; guessed from the text when not given.
        skip_problems: import a project that breaks the REFI-QDA schema, or has selections
            outside their texts, as far as it can be read (what was left out is listed in the
            report). Without it such a project is refused and nothing is written.

    Raises:
        ImportFileError: the file is not a readable REFI-QDA project, or (without
            `skip_problems`) it breaks the standard or its selections do not fit its texts.
        StudyError: `target` is not a new or empty folder, or cannot be written.
    """
    if end not in END_CHOICES:
        raise UsageError(f"Unknown end convention `{end}`.",
                         hint="Use auto, exclusive or inclusive.")
    if language not in (None, "nb", "en"):
        raise UsageError(f"Unknown language `{language}`.", hint="Use nb or en.")
    file, target = Path(file), Path(target)
    check_target(target)
    with Archive(file) as archive:
        project = read_project(archive, skip_problems)
    plan = make_plan(project, end=end, language=language)
    _check_selections(plan, project.qde, skip_problems)
    return write_study(plan, target, file, project.origin)


def _check_selections(plan: Plan, qde: Path, skip_problems: bool) -> None:
    """Refuse selections that cannot belong to their texts (or, with `skip_problems`, list
    them as not imported)."""
    if not plan.damaged:
        return
    if skip_problems:
        plan.skipped.extend(str(misfit) for misfit in plan.damaged)
        return
    first = plan.damaged[0]
    more = len(plan.damaged) - 1
    raise ImportFileError(
        f"A selection does not fit its text: in `{first.source}`, a selection with "
        f"{plural(first.codings, 'coding')} {first.reason}."
        + (f" {plural(more, 'more selection')} {'does' if more == 1 else 'do'} not fit either."
           if more else ""),
        path=qde,
        line=first.line,
        hint="The project's text files do not match its selections, so the export is damaged "
        "or incomplete. Export it again from the program it came from. " + SKIP_PROBLEMS_HINT,
    )
