"""Decisions in the consensus layer: settled by hand, and following their passage through edits.

The study here has one transcript of three paragraphs that Ingrid and Jonas coded:

1. boundaries differ: geographic distance, Jonas on the first sentence only;
2. different code: social responsibility (Ingrid) against recruitment (Jonas);
3. one coder only: Ingrid's cognitive distance.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from agreement_study import COG, GEO, make_study

from qualcode.agreement.consensus import build_consensus, reopen, settle
from qualcode.agreement.disagreements import find_disagreements
from qualcode.agreement.review_notes import keep_pending_memo
from qualcode.cli.main import main
from qualcode.store.anchoring import place_codings
from qualcode.study import Study

CODERS = ["ingrid", "jonas"]
RESPONSIBILITY = "motivation.social-responsibility"
RECRUITMENT = "motivation.recruitment"
FIRST = "Vi har ikke NAV-kontor her lenger."
DISTANCE = FIRST + " Det er seksti kilometer en vei."
MOTIVE = "Vi trenger folk, og vi føler et visst ansvar for bygda."
GAP = "Veilederen forstår ikke hva jobben krever av folk."
TEXT = f"{DISTANCE}\n\n{MOTIVE}\n\n{GAP}"
ADDED = "Før vi begynner: dette er et tillegg.\n\n"


def span(quote: str) -> tuple[int, int]:
    start = TEXT.index(quote)
    return start, start + len(quote)


@pytest.fixture
def study(tmp_path: Path) -> Study:
    codings = {
        "ingrid": [("t1", *span(DISTANCE), GEO), ("t1", *span(MOTIVE), RESPONSIBILITY),
                   ("t1", *span(GAP), COG)],
        "jonas": [("t1", *span(FIRST), GEO), ("t1", *span(MOTIVE), RECRUITMENT)],
    }
    return make_study(tmp_path / "study", codings, {"t1": TEXT})


def layer(study: Study) -> list[tuple[str, str]]:
    """The consensus layer's codings: (code, the text they cover where they are now)."""
    transcript = Study.open(study.root).transcript("t1")
    with study.store("consensus") as store:
        placed = place_codings(store.codings("t1"), transcript)
    assert placed.lost == []
    return sorted((c.code, transcript.text[c.start:c.end]) for c in placed.placed)


def edit(study: Study, old: str, new: str) -> Study:
    path = study.root / "transcripts" / "t1.md"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return Study.open(study.root)


# -- settled by hand ------------------------------------------------------------------------------


def test_settling_by_hand_keeps_the_codings_made_by_hand_in_the_passage(study: Study) -> None:
    build_consensus(study, CODERS)
    motive = find_disagreements(study, CODERS)[1]
    with study.store("consensus", create=True) as store:
        store.add_coding(study.transcript("t1"), *span("vi føler et visst ansvar"), RESPONSIBILITY)
    settled = settle(motive, "hand", "Bare ansvaret, ikke behovet for folk.", study=study)
    assert settled.decision == "hand" and settled.by_hand
    assert settled.codings == ((*span("vi føler et visst ansvar"), RESPONSIBILITY),)
    listed = find_disagreements(study, CODERS)[1]
    assert listed.settlement.decision == "hand"
    assert listed.to_dict()["settled"]["by_hand"] is True

    summary = build_consensus(study)
    assert (summary.settled, summary.settled_by_hand, summary.added, summary.removed) == (
        1, 1, 0, 0)
    assert layer(study) == [(RESPONSIBILITY, "vi føler et visst ansvar")]
    # Reopened, the codings made by hand stay: they are the lead's.
    assert reopen(listed, study=study)
    assert layer(study) == [(RESPONSIBILITY, "vi føler et visst ansvar")]


def test_a_passage_settled_by_hand_keeps_what_an_earlier_decision_wrote_there(
    study: Study,
) -> None:
    build_consensus(study, CODERS)
    distance = find_disagreements(study, CODERS)[0]
    settle(distance, "a", study=study)
    assert layer(study) == [(GEO, DISTANCE)]
    with study.store("consensus") as store:  # the lead adds a code beside ingrid's coding
        store.add_coding(study.transcript("t1"), *span(FIRST), "distance.organisational")
    settle(find_disagreements(study, CODERS)[0], "hand", study=study)
    build_consensus(study)
    assert layer(study) == [(GEO, DISTANCE), ("distance.organisational", FIRST)]


def test_a_passage_settled_by_hand_in_an_older_layer_reads_as_by_hand(study: Study) -> None:
    build_consensus(study, CODERS)
    motive = find_disagreements(study, CODERS)[1]
    settle(motive, "neither", study=study)
    with study.store("consensus") as store:  # as older versions kept it: neither plus a note
        store.set_meta("review_by_hand", json.dumps([motive.key]))
    assert find_disagreements(study, CODERS)[1].settlement.decision == "hand"
    build_consensus(study)
    with study.store("consensus") as store:
        [row] = store.settlements()
        assert row["decision"] == "hand"
        assert json.loads(store.meta("review_by_hand")) == []


# -- following the passage -----------------------------------------------------------------------


def test_decisions_and_a_waiting_memo_follow_their_passage_when_the_text_moves(
    study: Study,
) -> None:
    build_consensus(study, CODERS)
    distance, motive, gap = find_disagreements(study, CODERS)
    settle(distance, "b", "Bare første setning.", study=study)
    settle(motive, "both", study=study)
    keep_pending_memo(study, gap, "Les hele turen først.")

    moved = edit(study, DISTANCE, ADDED + DISTANCE)
    listed = find_disagreements(moved, CODERS)
    assert [d.start for d in listed] == [d.start + len(ADDED) for d in (distance, motive, gap)]
    assert [d.settlement.decision if d.settlement else None for d in listed] == [
        "jonas", "both", None]
    assert listed[0].settlement.memo == "Bare første setning."
    assert listed[2].pending.memo == "Les hele turen først."
    assert listed[2].to_dict()["pending_memo"] == "Les hele turen først."

    summary = build_consensus(moved)
    assert (summary.settled, summary.stale, summary.stale_memos) == (2, [], [])
    assert (summary.added, summary.removed) == (0, 0)
    assert layer(moved) == [(GEO, FIRST), (RECRUITMENT, MOTIVE), (RESPONSIBILITY, MOTIVE)]
    # The decisions are stored again under the disagreements they settle now.
    with moved.store("consensus") as store:
        assert {row["id"] for row in store.settlements()} == {d.key for d in listed[:2]}
    # The memo goes with the decision when it comes.
    assert settle(listed[2], "a", study=moved).memo == "Les hele turen først."
    assert find_disagreements(moved, CODERS)[2].pending is None


def test_a_decision_whose_passage_is_gone_is_reported_and_kept(study: Study) -> None:
    build_consensus(study, CODERS)
    distance = find_disagreements(study, CODERS)[0]
    settle(distance, "a", "Hele avsnittet.", study=study)
    edited = edit(study, DISTANCE + "\n\n", "")
    assert len(find_disagreements(edited, CODERS)) == 2

    summary = build_consensus(edited)
    [stale] = summary.stale
    assert (stale.passage, stale.line, stale.settlement.memo) == ("gone", None, "Hele avsnittet.")
    assert stale.changes == [f"its text is no longer in the transcript: «{DISTANCE}»"]
    assert stale.to_dict()["text"] == DISTANCE
    assert any("1 earlier decision no longer matches" in note for note in summary.notes)
    with edited.store("consensus") as store:
        assert [row["id"] for row in store.settlements()] == [distance.key]


def test_a_moved_decision_can_be_settled_again_and_reopened(study: Study) -> None:
    build_consensus(study, CODERS)
    settle(find_disagreements(study, CODERS)[0], "a", study=study)
    moved = edit(study, DISTANCE, ADDED + DISTANCE)
    distance = find_disagreements(moved, CODERS)[0]  # not refreshed yet: stored under the old key
    settle(distance, "b", study=moved)
    with moved.store("consensus") as store:
        assert [(r["id"], r["decision"]) for r in store.settlements()] == [(distance.key, "jonas")]
    assert reopen(find_disagreements(moved, CODERS)[0], study=moved)
    assert not find_disagreements(moved, CODERS)[0].settled
    with moved.store("consensus") as store:
        assert store.settlements() == []


# -- on the command line -------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str]:
    """Run a verb; its exit status and what it printed, with line wrapping undone."""
    code = main([str(a) for a in argv])
    return code, " ".join(capsys.readouterr().out.split())


def test_the_command_line_shows_waiting_memos_and_decisions_made_by_hand(
    study: Study, capsys: pytest.CaptureFixture[str]
) -> None:
    root = study.root
    run(capsys, "consensus", root, "--coders", "ingrid,jonas")
    keep_pending_memo(study, find_disagreements(study, CODERS)[2], "Les hele turen først.")
    code, out = run(capsys, "disagreements", root)
    assert code == 0 and "memo, waiting for the decision: Les hele turen først." in out
    code, out = run(capsys, "disagreements", root, "--json")
    assert [d["pending_memo"] for d in json.loads(out)["disagreements"]] == [
        None, None, "Les hele turen først."]
    code, out = run(capsys, "consensus", root)
    assert "Memos waiting for a decision: #3 t1 line 5: Les hele turen først." in out

    with study.store("consensus") as store:
        store.add_coding(study.transcript("t1"), *span("vi føler et visst ansvar"), RESPONSIBILITY)
    code, out = run(capsys, "settle", root, "--id", "2", "--take", "hand")
    assert code == 0
    assert ("Settled #2 (different code, t1 line 3): kept the codings made by hand in the "
            "consensus layer (1 in the consensus)") in out
    code, out = run(capsys, "disagreements", root)
    assert "#2 t1, line 3 · different code · settled: by hand" in out
    assert "1 settled (1 by hand), 2 open" in out
    code, out = run(capsys, "disagreements", root, "--json")
    settled = json.loads(out)["disagreements"][1]["settled"]
    assert (settled["decision"], settled["by_hand"]) == ("hand", True)
    code, out = run(capsys, "consensus", root, "--json")
    summary = json.loads(out)
    assert (summary["settled"], summary["settled_by_hand"], summary["by_hand"]) == (1, 1, 1)
    assert summary["pending_memos"][0]["memo"] == "Les hele turen først."

    # Without --memo, the memo written before the decision goes with it.
    code, out = run(capsys, "settle", root, "--id", "3", "--take", "a", "--json")
    assert json.loads(out)["memo"] == "Les hele turen først."
    code, out = run(capsys, "consensus", root)
    assert "Memos waiting" not in out and "settled 2 (1 by hand)" in out

    code, out = run(capsys, "settle", root, "--id", "1", "--take", "hand")
    assert code == 0 and "Nothing is coded in this passage of the consensus layer yet" in out


def test_decisions_and_memos_of_an_older_layer_learn_their_text_and_then_follow_it(
    study: Study,
) -> None:
    build_consensus(study, CODERS)
    distance, _, gap = find_disagreements(study, CODERS)
    settle(distance, "a", study=study)
    with study.store("consensus") as store:  # as older versions kept them: no passage text
        [row] = store.settlements()
        detail = json.loads(row["detail"])
        del detail["quote"], detail["text_hash"]
        store.save_settlement({**row, "detail": json.dumps(detail)})
        store.set_meta("review_pending_memos", json.dumps({gap.key: "Les turen."}))
    build_consensus(study)
    moved = edit(study, DISTANCE, ADDED + DISTANCE)
    first, _, third = find_disagreements(moved, CODERS)
    assert (first.settlement.decision, third.pending.memo) == ("ingrid", "Les turen.")
