"""Who a quote is credited to: passages spanning two speakers, and attribution templates with
fields an informant lacks or no informant has, in Word, CSV, Excel and the matrix alike."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import docx
import openpyxl
import pytest

from qualcode.cli.main import main
from qualcode.export import QuoteOptions, build_matrix, export_quotes, select_quotes
from qualcode.study import CONSENSUS, Study

CASE = "nb-06-case-deltaker-leder"
# The end of the leader's turn and the start of the participant's, as one passage.
ACROSS = "Som [navn] her. [latter]\n\nD: Ja. [latter] Jeg jobber her nå."
ACROSS_ROLES = ["Nærmeste leder", "Deltaker"]
# An interviewer's question followed by the start of the participant's answer.
QUESTION_AND_ANSWER = "I: Hvor lenge har du jobbet her?\n\nD: Jeg begynte for … to år siden?"


@pytest.fixture
def across(coded_copy, code_passages) -> Study:
    """The coded demo with one more consensus passage: ACROSS, under distance.cognitive."""
    study = coded_copy.study
    code_passages(study, CONSENSUS, [(CASE, ACROSS, "distance.cognitive", "")])
    return Study.open(coded_copy.root)


def set_template(root: Path, template: str) -> Study:
    config = root / "qualcode.yaml"
    text = re.sub(r"(?m)^attribution:.*$", f'attribution: "{template}"', config.read_text("utf-8"))
    config.write_text(text, encoding="utf-8")
    return Study.open(root)


def the_quote(study: Study, fragment: str, **options):
    quotes = select_quotes(study, QuoteOptions(**options)).quotes
    return next(q for q in quotes if q.text == fragment)


# -- a passage spanning two speakers ---------------------------------------------------------


def test_a_passage_over_two_turns_is_credited_to_both_speakers(across) -> None:
    quote = the_quote(across, ACROSS)
    assert [i.label for i in quote.informants] == ["L", "D"]
    assert quote.values("role") == ACROSS_ROLES
    assert quote.attribution == "(Nærmeste leder L, småby; Deltaker D, småby)"
    selection = select_quotes(across, QuoteOptions())
    assert any("spans the turns of more than one informant" in w for w in selection.warnings)
    assert any(f"{CASE} line" in w for w in selection.warnings)


def test_the_interviewer_is_not_credited_for_a_question_inside_a_passage(coded_copy) -> None:
    study = coded_copy.study
    with study.store(CONSENSUS) as store:
        transcript = study.transcript(CASE)
        start = transcript.text.index(QUESTION_AND_ANSWER)
        store.add_coding(transcript, start, start + len(QUESTION_AND_ANSWER), "motivation")
    quote = the_quote(Study.open(coded_copy.root), QUESTION_AND_ANSWER)
    assert [i.label for i in quote.informants] == ["D"]
    assert quote.attribution == "(Deltaker D, småby)"


def test_filtering_on_either_speaker_keeps_the_passage(across) -> None:
    for role in ACROSS_ROLES:
        quotes = select_quotes(across, QuoteOptions(where={"role": [role]})).quotes
        assert ACROSS in {q.text for q in quotes}
    # both conditions must hold for one and the same speaker
    options = QuoteOptions(where={"role": ["Deltaker"], "informant": ["L"]})
    with pytest.raises(Exception, match="No quotes match"):
        select_quotes(across, options)


def test_the_matrix_counts_the_passage_for_each_role_and_once_in_the_totals(across) -> None:
    selection = select_quotes(across, QuoteOptions())
    quotes = build_matrix(across.codebook, selection.quotes, "role")
    people = build_matrix(across.codebook, selection.quotes, "role", count="informants")
    for role in ACROSS_ROLES:
        assert quotes.cell("distance.cognitive", role) == 1
        assert people.cell("distance.cognitive", role) == 1
    assert quotes.row_total("distance.cognitive") == 2  # the hotel manager's quote and this one
    assert quotes.total == len(selection.quotes) == 8
    assert people.row_total("distance.cognitive") == 3
    words = build_matrix(across.codebook, selection.quotes, "role", count="words")
    assert words.total == sum(q.words for q in selection.quotes)


def test_the_word_sheet_shows_the_passage_under_each_role(across, tmp_path: Path) -> None:
    out = tmp_path / "sitater.docx"
    export_quotes(across, QuoteOptions(codes=["distance.cognitive"]), out)
    found = [(p.style.name, p.text) for p in docx.Document(str(out)).paragraphs]
    groups = [t for s, t in found if s == "Quote Group"]
    assert "Nærmeste leder (1)" in groups and "Deltaker (1)" in groups
    shown = [i for i, (s, t) in enumerate(found) if s == "Quote" and t == ACROSS]
    assert len(shown) == 2
    for i in shown:
        assert found[i + 1][1].startswith("(Nærmeste leder L, småby; Deltaker D, småby)  ")
    table = docx.Document(str(out)).tables[-1]
    header = [c.text for c in table.rows[0].cells]
    total = [c.text for c in table.rows[-1].cells]
    assert total[header.index("Deltaker")] == "1 (1)"
    assert total[-1] == "2 (3)"  # two passages, three people


def test_csv_and_excel_name_both_speakers_in_one_row(across, tmp_path: Path) -> None:
    export_quotes(across, QuoteOptions(), tmp_path / "q.csv")
    export_quotes(across, QuoteOptions(), tmp_path / "q.xlsx")
    with open(tmp_path / "q.csv", encoding="utf-8-sig", newline="") as handle:
        records = list(csv.DictReader(handle))
    row = next(r for r in records if r["quote"] == ACROSS)
    assert row["informant"] == "L; D"
    assert row["role"] == "Nærmeste leder; Deltaker"
    assert row["municipality_type"] == "småby"
    assert row["attribution"] == "(Nærmeste leder L, småby; Deltaker D, småby)"
    assert sum(r["quote"] == ACROSS for r in records) == 1
    sheet = openpyxl.load_workbook(tmp_path / "q.xlsx").active
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert ["" if v is None else str(v) for v in cells[1 + records.index(row)]] == list(
        row.values()
    )


# -- templates with fields an informant lacks -------------------------------------------------


def test_a_missing_field_leaves_no_stray_words_in_the_sheet(coded_copy, tmp_path) -> None:
    study = set_template(coded_copy.root, "({role} i {gender})")  # the hotel manager has none
    out = tmp_path / "sitater.docx"
    export_quotes(study, QuoteOptions(), out)
    attributions = [
        p.text.split("  ")[0]
        for p in docx.Document(str(out)).paragraphs
        if p.style.name == "Quote Attribution"
    ]
    assert "(Employer manager)" in attributions and "(Bedriftsleder i mann)" in attributions
    assert "(uten informant)" in attributions  # the interviewer's question
    for text in attributions:
        assert not re.search(r"\(\s*i?\s*\)|\bi\)|,\)|\(,", text), text


def test_a_field_no_informant_has_is_reported(coded_copy, capsys, tmp_path) -> None:
    study = set_template(coded_copy.root, "({role}, {sector})")
    selection = select_quotes(study, QuoteOptions())
    note = next(w for w in selection.warnings if "{sector}" in w)
    lines = (coded_copy.root / "qualcode.yaml").read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("attribution:"))
    assert f"qualcode.yaml, line {line}" in note
    assert "organisation_type" in note  # the attributes there are
    assert {q.attribution for q in selection.quotes if q.informant} >= {"(Bedriftsleder)"}
    code = main(["export", "quotes", str(coded_copy.root), "--out", str(tmp_path / "q.csv")])
    out = " ".join(capsys.readouterr().out.split())
    assert code == 0 and "Note:" in out and "{sector}" in out
