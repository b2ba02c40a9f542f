"""A codebook that went to another program and comes back: refused with every file that has its
ids named, or, with `replace`, put in the place of those files so that the study checks clean."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from qualcode.errors import CodebookError, ConfigError
from qualcode.exchange import codebook_import
from qualcode.exchange.codebook_import import import_codebook
from qualcode.exchange.refi_codebook import export_codebook
from qualcode.study import Study
from qualcode.study.check import check_study
from qualcode.study.create import init_study

NS = "{urn:QDA-XML:codebook:1.0}"
DISTANCE = "interorganisational-distance.yaml"
EMPLOYERS = "employer-cooperation.yaml"
LISTED = f"  - {DISTANCE}\n  - {EMPLOYERS}\n"


def exported(study: Path, out: Path) -> Path:
    export_codebook(study, out)
    return out


def without_code(qdc: Path, code_id: str) -> Path:
    """The .qdc with one code (and the codes below it) taken out, as another program would."""
    ET.register_namespace("", NS.strip("{}"))
    tree = ET.parse(qdc)
    for parent in tree.getroot().iter():
        for code in parent.findall(f"{NS}Code"):
            if code.findtext(f"{NS}Description", "").endswith(f"qualcode id: {code_id}"):
                parent.remove(code)
    tree.write(qdc, encoding="utf-8", xml_declaration=True)
    return qdc


def snapshot(study: Path) -> dict[str, bytes]:
    """Every file of the study's settings and codebooks, by path."""
    files = [study / "qualcode.yaml", *sorted((study / "codebooks").rglob("*"))]
    return {str(p.relative_to(study)): p.read_bytes() for p in files if p.is_file()}


def codings_per_coder(study: Path) -> dict[str, int]:
    opened = Study.open(study)
    counts = {}
    for coder in opened.coders(include_consensus=True):
        with opened.store(coder, read_only=True) as store:
            counts[coder] = store.count()
    return counts


def test_a_codebook_the_study_has_is_refused_naming_every_file_with_its_ids(
    demo_path: Path, tmp_path: Path
) -> None:
    qdc = exported(demo_path, tmp_path / "codebook.qdc")
    before = snapshot(demo_path)
    with pytest.raises(CodebookError) as caught:
        import_codebook(demo_path, qdc)
    message, hint = caught.value.message, caught.value.hint or ""
    assert caught.value.path == qdc
    assert f"{DISTANCE}: 5 codes (`distance`, `distance.geographic`" in message
    assert f"{EMPLOYERS}: 36 codes (`motivation`," in message and "and 32 more" in message
    assert f"qualcode refi import-codebook {demo_path} {qdc} --replace" in hint
    assert f"`{DISTANCE}` and `{EMPLOYERS}`" in hint
    assert snapshot(demo_path) == before


def test_replace_puts_the_codebook_in_place_of_the_files_it_covers(
    demo_path: Path, tmp_path: Path
) -> None:
    qdc = exported(demo_path, tmp_path / "codebook.qdc")
    before = snapshot(demo_path)
    old = Study.open(demo_path).codebook
    codings = codings_per_coder(demo_path)
    result = import_codebook(demo_path, qdc, replace=True)
    folder = demo_path / "codebooks"
    assert result.replaced == [folder / DISTANCE, folder / EMPLOYERS]
    assert result.kept_in == [folder / "replaced" / DISTANCE, folder / "replaced" / EMPLOYERS]
    assert result.path == folder / "codebook.yaml" and result.kept_ids == 41
    # The old files are kept as they were, and qualcode.yaml changed in its list alone.
    assert snapshot(demo_path)[f"codebooks/replaced/{DISTANCE}"] == before[f"codebooks/{DISTANCE}"]
    config = (demo_path / "qualcode.yaml").read_text(encoding="utf-8")
    assert config == before["qualcode.yaml"].decode().replace(LISTED, "  - codebook.yaml\n")
    report = check_study(demo_path)
    assert report.problems == [] and report.codes == 41
    assert codings_per_coder(demo_path) == codings
    new = Study.open(demo_path).codebook
    assert new.ids == old.ids
    for code in old.walk():
        assert new[code.id].keywords == code.keywords
        assert new[code.id].negative_keywords == code.negative_keywords
    assert any("kept their keywords" in remark for remark in result.remarks)


def test_replace_leaves_the_codebooks_the_file_does_not_cover(
    demo_path: Path, tmp_path: Path
) -> None:
    init_study(tmp_path / "distance-only")
    qdc = exported(tmp_path / "distance-only", tmp_path / "distance.qdc")
    result = import_codebook(demo_path, qdc, replace=True)
    assert [p.name for p in result.replaced] == [DISTANCE]
    config = (demo_path / "qualcode.yaml").read_text(encoding="utf-8")
    assert f"codebooks:\n  - distance.yaml\n  - {EMPLOYERS}\n# How" in config
    assert (demo_path / "codebooks" / EMPLOYERS).is_file()
    assert check_study(demo_path).problems == []


def test_a_replacement_may_take_the_name_of_a_file_it_replaces(
    demo_path: Path, tmp_path: Path
) -> None:
    qdc = exported(demo_path, tmp_path / "employer-cooperation.qdc")
    import_codebook(demo_path, qdc, replace=True)
    config = (demo_path / "qualcode.yaml").read_text(encoding="utf-8")
    assert f"codebooks:\n  - {EMPLOYERS}\n# How" in config
    assert sorted(p.name for p in (demo_path / "codebooks" / "replaced").iterdir()) == [
        EMPLOYERS, DISTANCE]
    # Replacing again keeps the earlier file beside the first one, under a name of its own.
    import_codebook(demo_path, qdc, replace=True)
    assert (demo_path / "codebooks" / "replaced" / "employer-cooperation-2.yaml").is_file()
    assert check_study(demo_path).problems == []


def test_files_moved_out_by_hand_are_explained_and_taken_off_the_list_on_replace(
    demo_path: Path, tmp_path: Path
) -> None:
    qdc = exported(demo_path, tmp_path / "codebook.qdc")
    for name in (DISTANCE, EMPLOYERS):
        (demo_path / "codebooks" / name).rename(tmp_path / name)
    before = snapshot(demo_path)
    with pytest.raises(ConfigError) as caught:
        import_codebook(demo_path, qdc)
    assert caught.value.path == demo_path / "qualcode.yaml" and caught.value.line == 8
    assert f"`{DISTANCE}` and `{EMPLOYERS}`" in caught.value.message
    assert "--replace" in (caught.value.hint or "")
    assert snapshot(demo_path) == before
    result = import_codebook(demo_path, qdc, replace=True)
    assert result.unlisted == [DISTANCE, EMPLOYERS] and result.replaced == []
    config = (demo_path / "qualcode.yaml").read_text(encoding="utf-8")
    assert config == before["qualcode.yaml"].decode().replace(LISTED, "  - codebook.yaml\n")
    assert check_study(demo_path).problems == []


def test_replace_refuses_to_drop_a_code_that_codings_use(demo_path: Path, tmp_path: Path) -> None:
    qdc = without_code(exported(demo_path, tmp_path / "codebook.qdc"), "distance.structural")
    before = snapshot(demo_path)
    with pytest.raises(CodebookError) as caught:
        import_codebook(demo_path, qdc, replace=True)
    assert "`distance.structural`: 29 codings" in caught.value.message
    assert "Nothing was changed" in (caught.value.hint or "")
    assert snapshot(demo_path) == before


def test_replace_names_the_unused_codes_it_leaves_out(demo_path: Path, tmp_path: Path) -> None:
    qdc = without_code(exported(demo_path, tmp_path / "codebook.qdc"), "motivation.cost")
    result = import_codebook(demo_path, qdc, replace=True)
    assert any("no coding uses it: `motivation.cost`" in remark for remark in result.remarks)
    assert "motivation.cost" not in Study.open(demo_path).codebook
    assert check_study(demo_path).problems == []


def test_a_failure_while_writing_puts_every_file_back(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    qdc = exported(demo_path, tmp_path / "codebook.qdc")
    before = snapshot(demo_path)
    real_write = codebook_import.write_atomic

    def disk_full_at_the_settings(path: Path, data: str | bytes) -> None:
        if path.name == "qualcode.yaml":
            raise OSError(28, "No space left on device", str(path))
        real_write(path, data)

    monkeypatch.setattr(codebook_import, "write_atomic", disk_full_at_the_settings)
    with pytest.raises(OSError):
        import_codebook(demo_path, qdc, replace=True)
    assert snapshot(demo_path) == before
    assert not (demo_path / "codebooks" / "replaced").exists()


def test_replace_with_nothing_to_replace_adds_the_codebook(demo_path: Path, tmp_path: Path) -> None:
    init_study(tmp_path / "s", codebooks=[])
    qdc = exported(demo_path, tmp_path / "codebook.qdc")
    result = import_codebook(tmp_path / "s", qdc, replace=True)
    assert result.replaced == [] and not result.added_to_config
    assert any("nothing was replaced" in remark for remark in result.remarks)
    assert Study.open(tmp_path / "s").codebook.ids == Study.open(demo_path).codebook.ids


def test_replace_in_a_study_that_uses_every_file_in_codebooks(
    demo_path: Path, tmp_path: Path
) -> None:
    init_study(tmp_path / "s", codebooks=[])
    qdc = exported(demo_path, tmp_path / "codebook.qdc")
    import_codebook(tmp_path / "s", qdc)
    config = (tmp_path / "s" / "qualcode.yaml").read_bytes()
    result = import_codebook(tmp_path / "s", qdc, replace=True)
    assert result.kept_in == [tmp_path / "s" / "codebooks" / "replaced" / "codebook.yaml"]
    assert (tmp_path / "s" / "qualcode.yaml").read_bytes() == config
    assert check_study(tmp_path / "s").errors == []
    assert len(Study.open(tmp_path / "s").codebook) == 41
