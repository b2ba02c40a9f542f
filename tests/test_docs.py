"""The README and the guides in docs/ say what the program does.

Every `qualcode ...` command they show must name a real verb and real options; every verb and
every option is explained somewhere; the README's command table lists every verb; the examples
written for the demo study run on a fresh copy of it; the README's library example runs; the
benchmarks and links it names exist.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from qualcode.cli.main import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
DEMO_FOLDER = "qualcode-demo"

GUIDE_OF_VERB = {
    "init": "study-folder.md",
    "import": "study-folder.md",
    "check": "study-folder.md",
    "demo": "study-folder.md",
    "open": "study-folder.md",
    "suggest": "suggestions.md",
    "keywords": "suggestions.md",
    "evaluate": "suggestions.md",
    "agreement": "agreement.md",
    "disagreements": "agreement.md",
    "consensus": "agreement.md",
    "settle": "agreement.md",
    "export": "export.md",
    "matrix": "export.md",
    "refi": "exchange.md",
}
"""The guide in docs/ that explains each verb's options."""

WITHOUT_JSON = {"init", "demo", "open"}
"""The verbs that open or create a study and print nothing for another program."""

_NOT_COMMANDS = {"python", "yaml", "csv", "markdown", "json", "toml"}
_FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```", re.S | re.M)
_SPAN = re.compile(r"(`+)([^`]+?)\1")


# -- reading the markdown ----------------------------------------------------------------------


@dataclass(frozen=True)
class Snippet:
    """A code block or code span of one file, with the line it starts on."""

    path: Path
    line: int
    text: str
    block: bool


def snippets(path: Path) -> list[Snippet]:
    """The code blocks (except data and program text) and inline code spans of a file."""
    text = path.read_text(encoding="utf-8")
    found: list[Snippet] = []
    prose: list[str] = []
    last = 0
    for fence in _FENCE.finditer(text):
        prose.append(text[last : fence.start()])
        info = fence.group(1).strip().lower()
        if info not in _NOT_COMMANDS:
            line = text.count("\n", 0, fence.start()) + 2
            found.append(Snippet(path, line, fence.group(2), block=True))
        prose.append("\n" * fence.group(0).count("\n"))
        last = fence.end()
    prose.append(text[last:])
    flowing = "".join(prose)
    for span in _SPAN.finditer(flowing.replace("\n", " ")):
        line = flowing.count("\n", 0, span.start()) + 1
        found.append(Snippet(path, line, span.group(2), block=False))
    return found


def all_docs() -> list[Path]:
    return [README, *DOCS]


# -- commands in the text ----------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    """`qualcode VERB [ACTION] ...` as written in a guide."""

    path: Path
    line: int
    words: tuple[str, ...]
    """Everything after `qualcode`, split as a shell would."""
    written: str

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}, line {self.line}: `{self.written}`"


def _split_words(text: str) -> list[str]:
    try:
        return shlex.split(text, comments=True)
    except ValueError:  # an unmatched quote in an abbreviated example
        return text.split()


def _pieces(snippet: Snippet) -> list[tuple[int, str]]:
    """The shell commands of a snippet with their line: one per line, split at &&, ; and |."""
    pieces = []
    for offset, line in enumerate(snippet.text.split("\n")):
        line = re.sub(r"(^|\s)#.*$", "", line)  # a comment, as in `my-study/  # settings`
        for piece in re.split(r"&&|;|\s\|\s", line):
            if piece.strip():
                pieces.append((snippet.line + offset, piece.strip()))
    return pieces


def commands(path: Path, verbs: set[str]) -> list[Command]:
    """Every qualcode command a file shows, in the order it shows them.

    A command starts with `qualcode` (or `.venv/bin/qualcode`) followed by a verb. In a code
    span, a verb followed by options (`check --fix`) counts too.
    """
    found = []
    for snippet in snippets(path):
        for line, piece in _pieces(snippet):
            piece = piece.replace("[", " ").replace("]", " ")
            match = re.search(r"(?:^|[\s/])qualcode\s+([a-z][a-z-]*)(?=\s|$)(.*)", piece)
            if match:
                rest = match.group(1) + match.group(2)
            elif not snippet.block and piece.split(" ", 1)[0] in verbs and " --" in piece:
                rest = piece
            else:
                continue
            words = tuple(_split_words(rest))
            if words:
                found.append(Command(path, line, words, piece.strip()))
    return found


# -- the parser --------------------------------------------------------------------------------


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def verb_parsers() -> dict[str, argparse.ArgumentParser]:
    """`verb` or `verb action` (as in `refi import`) -> its parser, for every command."""
    out = {}
    for verb, parser in _subparsers(build_parser()).items():
        actions = _subparsers(parser)
        if actions:
            out.update({f"{verb} {name}": sub for name, sub in actions.items()})
        else:
            out[verb] = parser
    return out


def options_of(parser: argparse.ArgumentParser) -> set[str]:
    return {
        option
        for action in parser._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    }


def resolve(command: Command, parsers: dict[str, argparse.ArgumentParser]) -> str | None:
    """The name of the parser a command is for (`matrix`, `refi export`), or None."""
    words = command.words
    if len(words) > 1 and f"{words[0]} {words[1]}" in parsers:
        return f"{words[0]} {words[1]}"
    if words[0] in parsers:
        return words[0]
    return None


def options_written(command: Command) -> list[str]:
    return [
        word.split("=", 1)[0]
        for word in command.words
        if word.startswith("--") and len(word) > 2 and word[2].isalpha()
    ]


@pytest.fixture(scope="module")
def parsers() -> dict[str, argparse.ArgumentParser]:
    return verb_parsers()


@pytest.fixture(scope="module")
def verbs() -> set[str]:
    return set(_subparsers(build_parser()))


@pytest.fixture(scope="module")
def every_command(verbs: set[str]) -> list[Command]:
    return [command for path in all_docs() for command in commands(path, verbs)]


# -- the tests ---------------------------------------------------------------------------------


def test_every_command_in_the_docs_names_a_real_verb(
    every_command: list[Command], verbs: set[str], parsers: dict[str, argparse.ArgumentParser]
) -> None:
    assert len(every_command) > 50, "the guides should show many commands"
    unknown = [c.where for c in every_command if c.words[0] not in verbs]
    assert not unknown, "No such verb:\n" + "\n".join(unknown)
    groups = {name.split(" ")[0] for name in parsers if " " in name}
    no_action = [
        c.where
        for c in every_command
        if c.words[0] in groups and resolve(c, parsers) is None and "--help" not in c.words
    ]
    assert not no_action, "No such action:\n" + "\n".join(no_action)


def test_every_option_in_the_docs_exists_for_its_verb(
    every_command: list[Command], parsers: dict[str, argparse.ArgumentParser]
) -> None:
    wrong = []
    for command in every_command:
        name = resolve(command, parsers)
        if name is None:
            continue
        known = options_of(parsers[name])
        wrong += [
            f"{command.where}: `qualcode {name}` has no {option}"
            for option in options_written(command)
            if option not in known and option != "--help"
        ]
    assert not wrong, "\n".join(wrong)


def test_every_option_of_every_verb_is_explained(
    every_command: list[Command], parsers: dict[str, argparse.ArgumentParser]
) -> None:
    """An option counts as explained when a command of its verb shows it, or when the verb's
    guide mentions it in a code span."""
    shown: dict[str, set[str]] = {name: set() for name in parsers}
    for command in every_command:
        name = resolve(command, parsers)
        if name is not None:
            shown[name].update(options_written(command))
    missing = []
    for name, parser in parsers.items():
        guide = ROOT / "docs" / GUIDE_OF_VERB[name.split(" ")[0]]
        spans = {
            word.split("=", 1)[0]
            for snippet in snippets(guide)
            for word in _split_words(snippet.text.replace("[", " ").replace("]", " "))
        }
        missing += [
            f"qualcode {name} {option} (in {guide.name})"
            for option in sorted(options_of(parser))
            if option not in shown[name] and option not in spans
        ]
    assert not missing, "Options nobody explains:\n" + "\n".join(missing)


def test_the_readme_command_table_lists_every_verb(
    verbs: set[str], parsers: dict[str, argparse.ArgumentParser]
) -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Commands", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `qualcode")]
    table = Path("/table.md")
    listed = set()
    for row in rows:
        first_cell = row.split("|")[1]
        for span in _SPAN.finditer(first_cell):
            words = _split_words(span.group(2).replace("[", " ").replace("]", " "))
            command = Command(table, 0, tuple(words[1:]), span.group(2))
            name = resolve(command, parsers)
            if name is not None:
                listed.add(name)
    assert sorted(set(parsers) - listed) == []


def test_the_readme_says_truly_which_commands_accept_json(
    parsers: dict[str, argparse.ArgumentParser],
) -> None:
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert "Every command except `init`, `demo` and `open` accepts `--json`" in text
    with_json = {name for name, parser in parsers.items() if "--json" in options_of(parser)}
    assert set(parsers) - with_json == WITHOUT_JSON


def _fresh_demo(folder: Path, template: Path) -> None:
    shutil.copytree(template, folder / DEMO_FOLDER)


def _demo_commands(path: Path, verbs: set[str]) -> list[Command]:
    return [
        c for c in commands(path, verbs) if DEMO_FOLDER in c.words and "demo" != c.words[0]
    ]


DEMO_GUIDES = [
    path for path in all_docs() if _demo_commands(path, set(_subparsers(build_parser())))
]


@pytest.mark.parametrize("guide", DEMO_GUIDES, ids=lambda path: path.name)
def test_the_examples_on_the_demo_study_run(
    guide: Path,
    verbs: set[str],
    _demo_template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each command a guide shows on `qualcode-demo` works, in the guide's order, on a fresh
    copy of the demo study, and writes the file it names."""
    examples = _demo_commands(guide, verbs)
    _fresh_demo(tmp_path, _demo_template)
    monkeypatch.chdir(tmp_path)
    for command in examples:
        said = io.StringIO()
        with contextlib.redirect_stderr(said):
            status = main(list(command.words))
        assert status == 0, f"{command.where} exited with {status}: {said.getvalue()}"
        for option in ("--out", "--csv", "--report"):
            if option in command.words:
                written = tmp_path / command.words[command.words.index(option) + 1]
                assert written.is_file(), f"{command.where} wrote no {written.name}"


def test_the_readme_shows_the_demo_path_a_user_takes(verbs: set[str]) -> None:
    """Before quotes are exported from the demo's two coders, the README builds the consensus
    or names a coder."""
    shown = _demo_commands(README, verbs)
    first_export = next(i for i, c in enumerate(shown) if c.words[:2] == ("export", "quotes"))
    before = [c.words[0] for c in shown[:first_export]]
    export = shown[first_export].words
    assert "consensus" in before or "--coder" in export or "--coders" in export


def test_the_readme_library_example_runs(
    _demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qualcode.study import Study

    text = README.read_text(encoding="utf-8")
    program = re.search(r"```python\n(.*?)```", text, re.S)
    assert program, "the README shows the library at work"
    _fresh_demo(tmp_path, _demo_template)
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(program.group(1), "README.md", "exec"), {})
    lines = printed.getvalue().splitlines()
    study = Study.open(tmp_path / DEMO_FOLDER)
    with study.store("ingrid") as store:
        coded = list(store.codings("nb-01-industri-utkant"))
    assert len(lines) == len(coded) > 0
    assert {line.split(" ", 1)[0] for line in lines} <= set(study.codebook.ids)


def test_the_readme_test_command_is_the_one_ci_runs() -> None:
    readme = README.read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = next(
        line for line in readme.splitlines() if line.startswith("python3 -m venv") and "pytest" in line
    )
    assert test_command in ci.splitlines()


def test_the_readme_names_every_benchmark_and_only_those() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Measured", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"^\| `([a-z_]+\.py)`", section, re.M))
    assert named == {path.name for path in (ROOT / "bench").glob("*.py")}


def test_links_between_the_guides_lead_somewhere() -> None:
    broken = []
    for path in all_docs():
        text = path.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)", text):
            if not (path.parent / target).is_file():
                broken.append(f"{path.relative_to(ROOT)}: {target}")
    assert not broken, "\n".join(broken)
