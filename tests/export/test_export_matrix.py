"""The code-by-attribute table: cells, roll-up to a depth, totals, JSON and CSV."""

from __future__ import annotations

import csv
import io

from qualcode.export import QuoteOptions, build_matrix, select_quotes


def matrix_of(coded, key: str = "role", **kwargs):
    selection = select_quotes(coded.study, QuoteOptions())
    return build_matrix(coded.study.codebook, selection.quotes, key, **kwargs)


def test_cells_count_quotes_by_code_and_role(coded) -> None:
    m = matrix_of(coded)
    assert m.rows == coded.study.codebook.ids  # every code, quoted or not
    assert m.columns == ["Bedriftsleder", "Employer manager", "Jobbspesialist", "NAV-veileder", ""]
    assert m.cell("distance.geographic", "Bedriftsleder") == 1
    assert m.cell("distance.geographic", "Jobbspesialist") == 1
    assert m.cell("distance.geographic", "NAV-veileder") == 0
    assert m.cell("motivation", "") == 1  # the interviewer's passage
    assert m.row_total("distance.geographic") == 2
    assert m.column_total("Bedriftsleder") == 3
    assert m.total == 7


def test_informants_are_counted_once_in_totals(coded) -> None:
    m = matrix_of(coded, count="informants")
    assert m.cell("distance.geographic", "Bedriftsleder") == 1
    assert m.column_total("Bedriftsleder") == 1  # one informant quoted under three codes
    assert m.total == 4  # the interviewer is no informant


def test_words_add_up_the_passages(coded) -> None:
    m = matrix_of(coded, count="words")
    assert m.cell("distance.geographic", "Bedriftsleder") == 11  # NAV-kontor is two words
    assert m.total == sum(q.words for q in select_quotes(coded.study, QuoteOptions()).quotes)


def test_depth_rolls_codes_up_to_their_ancestors(coded) -> None:
    m = matrix_of(coded, depth=1)
    assert all(coded.study.codebook.depth(r) == 1 for r in m.rows)
    assert m.cell("distance", "Bedriftsleder") == 2
    assert m.row_total("distance") == 5
    assert m.row_levels["distance"] == 1


def test_only_used_rows_keep_their_parents(coded) -> None:
    m = matrix_of(coded, only_used=True)
    assert "distance" in m.rows  # no quote of its own, but its children have
    assert "barriers" not in m.rows
    assert m.row_levels["distance.geographic"] == 2


def test_other_columns_region_and_transcript(coded) -> None:
    m = matrix_of(coded, key="region")
    assert m.cell("distance.structural", "Trøndelag") == 1
    m = matrix_of(coded, key="transcript", columns=coded.study.transcript_ids)
    assert m.columns[: len(coded.study.transcript_ids)] == sorted(coded.study.transcript_ids)
    assert m.column_total("nb-01-industri-utkant") == 4
    assert m.column_total("nb-05-fylkeskoordinator") == 0


def test_json_and_csv_forms(coded) -> None:
    m = matrix_of(coded, depth=1)
    data = m.to_dict()
    assert data["columns"] == "role" and data["count"] == "quotes"
    distance = next(r for r in data["table"] if r["code"] == "distance")
    assert distance["label"] == "Distanse" and distance["total"] == 5
    rows = list(csv.reader(io.StringIO(m.to_csv())))
    assert rows[0][0] == "code_id" and rows[0][-2] == "(none)" and rows[0][-1] == "total"
    assert rows[-1][0] == "total" and rows[-1][-1] == "7"


def on_screen(m, width: int) -> list[str]:
    """The matrix as `qualcode matrix` prints it on a terminal `width` characters wide."""
    from rich.console import Console

    from qualcode.cli.export_verbs import matrix_tables

    screen = Console(file=io.StringIO(), width=width)
    tables, key = matrix_tables(m, width)
    for table in tables:
        screen.print(table)
    for line in key:
        screen.print(line, no_wrap=True)
    return screen.file.getvalue().splitlines()


def headers(lines: list[str]) -> list[str]:
    """The column headers of the first table, each wrapped header joined into one line."""
    top = next(i for i, line in enumerate(lines) if line.startswith("┏"))
    rule = next(i for i, line in enumerate(lines) if line.startswith("┡"))
    rows = [[cell.strip() for cell in line.strip("┃").split("┃")] for line in lines[top + 1 : rule]]
    return [" ".join(filter(None, column)) for column in zip(*rows, strict=True)]


def test_headers_wrap_at_spaces_and_hyphens_where_the_names_then_fit(coded) -> None:
    lines = on_screen(matrix_of(coded, depth=1), 100)
    assert max(len(line) for line in lines) <= 100
    assert headers(lines) == [
        "code",
        "Bedriftsleder",
        "Employer manager",
        "Jobbspesialist",
        "NAV- veileder",
        "(none)",
        "total",
    ]
    assert "NAV-" in lines[1] and "Employer" in lines[1] and "manager" in lines[2]
    assert not [line for line in lines if "Columns (role)" in line or "…" in line]


def test_names_too_wide_to_fit_are_numbered_with_a_key(coded) -> None:
    m = matrix_of(coded, depth=1)
    lines = on_screen(m, 60)
    assert max(len(line) for line in lines) <= 60
    assert headers(lines) == ["code", "1", "2", "3", "4", "5", "total"]
    assert " ".join(" ".join(lines[-2:]).split()) == (
        "Columns (role): 1 Bedriftsleder · 2 Employer manager · 3 Jobbspesialist · "
        "4 NAV-veileder · 5 (none)"
    )
    totals = [int(n) for n in lines[-4].strip("│").split("│")[1:]]
    assert totals == [*(m.column_total(c) for c in m.columns), m.total]
