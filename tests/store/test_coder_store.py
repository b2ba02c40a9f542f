"""The coder's file: codings, memos, undo/redo across restarts, schema versions, damaged files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from qualcode.errors import StoreError
from qualcode.store.schema import SCHEMA_VERSION
from qualcode.study import Study
from qualcode.study.create import init_study

TEXT = "I: Hvordan er samarbeidet?\n\nA: NAV-kontoret ligger langt unna. Vi når dem ikke på telefon.\n"


@pytest.fixture
def study(tmp_path: Path) -> Study:
    init_study(tmp_path / "s", codebooks=["interorganisational-distance"])
    (tmp_path / "s" / "transcripts" / "t1.md").write_text(TEXT, encoding="utf-8")
    return Study.open(tmp_path / "s")


def test_add_list_change_and_remove_codings(study: Study) -> None:
    t = study.transcript("t1")
    start = t.text.index("NAV-kontoret")
    end = t.text.index(" Vi når")
    with study.store("ingrid", create=True) as store:
        coding = store.add_coding(t, start, end, "distance.geographic")
        assert coding.quote == "NAV-kontoret ligger langt unna."
        assert coding.text_hash == t.hash
        assert store.add_coding(t, start, end, "distance.geographic").id == coding.id
        moved = store.change_coding(coding.id, t, end=len(t.text))
        assert moved.quote.endswith("på telefon.")
        recoded = store.change_coding(coding.id, t, code="distance.cognitive")
        assert [c.code for c in store.codings("t1")] == ["distance.cognitive"]
        store.remove_coding(recoded.id)
        assert store.codings() == []


def test_undo_and_redo_survive_closing_the_file(study: Study) -> None:
    t = study.transcript("t1")
    with study.store("ingrid", create=True) as store:
        coding = store.add_coding(t, 30, 60, "distance.geographic")
        store.set_memo("coding", coding.id, "Tilgjengelighet, ikke bare avstand.")
        store.remove_coding(coding.id)
    with study.store("ingrid") as store:
        assert store.codings() == []
        assert store.undo() == "Remove distance.geographic coding"
        [back] = store.codings()
        assert back.id == coding.id
        assert store.memo("coding", coding.id) == "Tilgjengelighet, ikke bare avstand."
        assert store.undo().startswith("Write memo")
        assert store.memo("coding", coding.id) == ""
        assert store.redo().startswith("Write memo")
    with study.store("ingrid") as store:
        assert store.memo("coding", coding.id) == "Tilgjengelighet, ikke bare avstand."
        assert store.can_redo()
        store.redo()
        assert store.codings() == []
        assert not store.can_redo()


def test_a_new_action_after_undo_clears_the_redo_stack(study: Study) -> None:
    t = study.transcript("t1")
    with study.store("ingrid", create=True) as store:
        store.add_coding(t, 30, 60, "distance.geographic")
        store.undo()
        store.add_coding(t, 30, 60, "distance.structural")
        assert not store.can_redo()
        assert store.redo() is None
        assert [c.code for c in store.codings()] == ["distance.structural"]


def test_memos_on_transcripts_codes_and_the_study(study: Study) -> None:
    with study.store("ingrid", create=True) as store:
        store.set_memo("transcript", "t1", "Lydkvaliteten var dårlig.")
        store.set_memo("code", "distance.cognitive", "Overlapper med strukturell.")
        store.set_memo("code", "distance.cognitive", "")
        assert [m.target for m in store.memos()] == ["t1"]
        with pytest.raises(StoreError):
            store.set_memo("paragraph", "3", "x")


def test_passages_outside_the_text_are_refused(study: Study) -> None:
    t = study.transcript("t1")
    with study.store("ingrid", create=True) as store:
        with pytest.raises(StoreError) as caught:
            store.add_coding(t, 10, len(t.text) + 5, "distance")
        assert "not inside transcript" in caught.value.message
        assert store.codings() == [] and not store.can_undo()


def test_file_written_by_a_newer_version_is_refused_and_left_alone(study: Study) -> None:
    path = study.coder_path("ingrid")
    study.store("ingrid", create=True).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        study.store("ingrid")
    assert "newer version of qualcode" in caught.value.message
    assert "Upgrade" in caught.value.hint
    assert path.read_bytes() == before


def first_version_file(study: Study, coder: str) -> Path:
    """A coder file as the first version of qualcode wrote it, holding one coding, `c1`."""
    from qualcode.store.schema import MIGRATIONS

    path = study.coder_path(coder)
    path.parent.mkdir(exist_ok=True)
    with sqlite3.connect(path) as db:
        db.executescript(MIGRATIONS[0])
        db.execute(
            "INSERT INTO codings VALUES ('c1','t1',30,60,'distance','x','h','2025','2025')"
        )
        db.execute("PRAGMA user_version = 1")
    return path


def test_old_file_is_migrated_forward_keeping_its_codings(study: Study) -> None:
    first_version_file(study, "old")
    with study.store("old") as store:
        assert store.schema_version == SCHEMA_VERSION
        assert [c.id for c in store.codings()] == ["c1"]
        assert store.feedback() == []


def test_a_file_that_is_not_a_codings_file_is_explained(study: Study) -> None:
    path = study.coder_path("broken")
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(b"this is not sqlite at all" * 50)
    with pytest.raises(StoreError) as caught:
        study.store("broken")
    assert "not a qualcode codings file" in caught.value.message


def test_unknown_coder_lists_the_known_ones(study: Study) -> None:
    study.store("ingrid", create=True).close()
    with pytest.raises(StoreError) as caught:
        study.store("ingird")
    assert "ingrid" in caught.value.hint


def test_a_killed_process_loses_at_most_the_action_in_flight(study: Study) -> None:
    """Every finished action is on disk: a process killed right after it lost nothing."""
    script = f"""
import os, signal
from qualcode.study import Study
study = Study.open({str(study.root)!r})
t = study.transcript("t1")
store = study.store("ingrid", create=True)
store.add_coding(t, 30, 60, "distance.geographic")
store.add_coding(t, 61, 80, "distance.cognitive")
os.kill(os.getpid(), signal.SIGKILL)
"""
    subprocess.run([sys.executable, "-c", script], check=False)
    with study.store("ingrid") as store:
        assert [c.code for c in store.codings()] == ["distance.geographic", "distance.cognitive"]
        assert store.undo() == "Code with distance.cognitive"


def test_a_second_window_notices_changes_made_by_the_first(study: Study) -> None:
    t = study.transcript("t1")
    first = study.store("ingrid", create=True)
    second = study.store("ingrid")
    assert not second.changed_elsewhere()
    first.add_coding(t, 30, 60, "distance")
    assert second.changed_elsewhere()
    assert len(second.codings()) == 1
    second.add_coding(t, 61, 70, "distance")
    assert len(first.codings()) == 2
    first.close()
    second.close()


def test_undoing_an_accepted_suggestion_removes_the_coding_and_the_decision(study: Study) -> None:
    t = study.transcript("t1")
    start = t.text.index("NAV-kontoret")
    end = t.text.index(" Vi når")
    with study.store("ingrid", create=True) as store:
        coding = store.accept_suggestion(
            t, start, end - 1, "distance.geographic", suggested_start=start, suggested_end=end
        )
        assert coding.quote == "NAV-kontoret ligger langt unna"
        [decision] = store.feedback()
        assert (decision.decision, decision.start, decision.end) == ("accept", start, end)
        assert decision.quote == "NAV-kontoret ligger langt unna."
        assert [h.description for h in store.history()] == ["Accept suggested distance.geographic"]
        assert store.undo() == "Accept suggested distance.geographic"
        assert store.codings() == [] and store.feedback() == []
    with study.store("ingrid") as store:
        store.redo()
        assert [c.id for c in store.codings()] == [coding.id]
        assert [f.decision for f in store.feedback()] == ["accept"]


def test_a_rejected_suggestion_can_be_undone_so_the_models_forget_it(study: Study) -> None:
    t = study.transcript("t1")
    with study.store("ingrid", create=True) as store:
        store.record_feedback(t, 30, 60, "distance.cognitive", "reject")
        assert [f.decision for f in store.feedback("distance.cognitive")] == ["reject"]
        assert store.undo() == "Reject suggested distance.cognitive"
        assert store.feedback() == []
        store.redo()
        assert len(store.feedback()) == 1


def test_accepting_a_suggestion_for_a_passage_already_coded_adds_only_the_decision(
    study: Study,
) -> None:
    t = study.transcript("t1")
    with study.store("ingrid", create=True) as store:
        coding = store.add_coding(t, 30, 60, "distance")
        again = store.accept_suggestion(t, 30, 60, "distance")
        assert again.id == coding.id and len(store.codings()) == 1
        store.undo()
        assert store.feedback() == [] and len(store.codings()) == 1


def test_a_memo_on_a_coding_that_does_not_exist_is_refused(study: Study) -> None:
    t = study.transcript("t1")
    with study.store("ingrid", create=True) as store:
        with pytest.raises(StoreError) as caught:
            store.set_memo("coding", "no-such-coding", "Et notat.")
        assert "no such coding" in caught.value.message
        assert store.memos() == [] and not store.can_undo()
        coding = store.add_coding(t, 30, 60, "distance")
        store.set_memo("coding", coding.id, "Et notat.")
        assert store.memo("coding", coding.id) == "Et notat."


def test_opening_only_for_reading_never_creates_upgrades_or_writes(study: Study) -> None:
    from qualcode.store.coder_store import CoderStore

    old = first_version_file(study, "old")
    before = old.read_bytes()
    with CoderStore.open(old, read_only=True) as store:
        assert [c.id for c in store.codings()] == ["c1"]
        assert store.feedback() == [] and store.settlements() == []
        with pytest.raises(StoreError):
            store.add_coding(study.transcript("t1"), 0, 5, "distance")
    assert old.read_bytes() == before
    empty = study.coder_path("empty0")
    empty.write_bytes(b"")
    with pytest.raises(StoreError) as caught:
        CoderStore.open(empty, read_only=True)
    assert "empty" in caught.value.message
    assert empty.read_bytes() == b""
    with pytest.raises(StoreError):
        CoderStore.open(study.coder_path("nobody"), read_only=True, create=True)
    assert not study.coder_path("nobody").exists()
