"""Planning the closing table so that no header word is broken in two."""

from __future__ import annotations

from docx.shared import Cm

from qualcode.export.tablefit import HEADER_SIZES, column_need, longest_word, plan_columns

PORTRAIT, LANDSCAPE = Cm(16.0), Cm(25.7)
ROLES = ["Arbeidslivscoach", "Bedriftsleder", "NAV-veileder", "Kommunal enhetsleder", "Totalt"]


def cells(n: int) -> list[list[str]]:
    return [["12 (4)", "", "3 (1)"] for _ in range(n)]


def test_words_break_only_at_spaces_and_hyphens() -> None:
    assert longest_word("Kommunal enhetsleder") == len("enhetsleder")
    assert longest_word("NAV-veileder") == len("veileder")
    assert longest_word("Arbeidslivscoach") == len("Arbeidslivscoach")


def test_a_few_columns_fit_a_portrait_page_in_full_size() -> None:
    plan = plan_columns(ROLES, cells(len(ROLES)), PORTRAIT, LANDSCAPE)
    assert not plan.landscape and not plan.numbered and plan.headers == ROLES
    assert plan.header_size >= 7
    assert sum(plan.widths) <= PORTRAIT
    assert plan.widths[0] >= Cm(3.0)
    for header, width, column in zip(ROLES, plan.widths[1:], cells(len(ROLES)), strict=True):
        assert width >= column_need(header, column, plan.header_size)


def test_short_headers_keep_full_size_type() -> None:
    headers = ["Leder", "Deltaker", "Totalt"]
    plan = plan_columns(headers, cells(3), PORTRAIT, LANDSCAPE)
    assert (plan.landscape, plan.header_size, plan.numbered) == (False, HEADER_SIZES[0], False)
    assert plan.widths[0] == Cm(6.0)  # the codes get room, the rest is shared out


def test_more_columns_turn_the_page() -> None:
    headers = [f"{role} {i}" for i in range(2) for role in ROLES[:-1]] + ["Totalt"]
    plan = plan_columns(headers, cells(len(headers)), PORTRAIT, LANDSCAPE)
    assert plan.landscape and not plan.numbered
    assert sum(plan.widths) <= LANDSCAPE


def test_too_many_columns_are_numbered_with_a_key() -> None:
    headers = [f"Arbeidslivscoach{i}" for i in range(20)] + ["Totalt"]
    plan = plan_columns(headers, cells(len(headers)), PORTRAIT, LANDSCAPE)
    assert plan.numbered
    assert plan.headers == [str(i) for i in range(1, 21)] + ["Totalt"]
    assert sum(plan.widths) <= LANDSCAPE
