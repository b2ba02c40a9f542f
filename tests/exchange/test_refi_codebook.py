"""Codebooks to and from REFI-QDA .qdc."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from refi_helpers import assert_valid

from qualcode.errors import CodebookError, ExportError, ImportFileError, StudyError
from qualcode.exchange.codebook_import import import_codebook
from qualcode.exchange.codebook_yaml import CodeEntry, render_codebook
from qualcode.exchange.ids import NAMESPACE
from qualcode.exchange.refi_codebook import export_codebook, split_description
from qualcode.study import Study
from qualcode.study.codebook import load_codebook
from qualcode.study.create import init_study

NS = "{urn:QDA-XML:codebook:1.0}"

FOREIGN_QDC = """<?xml version="1.0" encoding="UTF-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Another program">
<Codes>
<Code guid="{5215cc69-b628-4e02-afb9-9beeaee55808}" name="Topics" isCodable="false">
  <Code guid="{d7aa29da-519b-4946-9b90-253b6db8fd0a}" name="Økonomi" isCodable="true"
        color="#ff0">
    <Description>Anything about jobs or taxes or business</Description>
  </Code>
  <Code guid="0dcef2f5-e55c-49da-8c33-9b0803c7aeb4" name="Økonomi" isCodable="true"/>
</Code>
<Code guid="9fa9bcb7-5b59-47a9-8c3e-f65cffdc7520" name="Values" isCodable="true"
      color="#33CC33">
  <Description>Values people hold.

Inclusion: Opinions about right and wrong.
Several lines.

Exclusion: Facts.</Description>
</Code>
</Codes>
</CodeBook>
"""


def test_exported_codebook_is_valid_against_the_schema(
    demo_path: Path, tmp_path: Path, schema
) -> None:
    out = tmp_path / "book.qdc"
    export_codebook(demo_path, out)
    assert_valid(schema("Codebook"), out.read_bytes())


def test_exported_codebook_structure(demo_path: Path, tmp_path: Path) -> None:
    study = Study.open(demo_path)
    out = tmp_path / "book.qdc"
    assert export_codebook(demo_path, out) == len(study.codebook)
    root = ET.parse(out).getroot()
    assert root.tag == f"{NS}CodeBook"
    codes = list(root.iter(f"{NS}Code"))
    assert len(codes) == len(study.codebook)
    by_guid = {c.get("guid"): c for c in codes}
    geographic = by_guid[str(uuid.uuid5(NAMESPACE, "code:distance.geographic"))]
    assert geographic.get("name") == "Geografisk distanse"  # the study's language (nb)
    assert geographic.get("isCodable") == "true"
    assert geographic.get("color") == study.codebook["distance.geographic"].colour
    text = geographic.find(f"{NS}Description").text
    assert "\n\nInclusion: " in text and "\n\nExclusion: " in text
    assert text.endswith("qualcode id: distance.geographic")
    parent = next(c for c in codes if geographic in list(c))
    assert parent.get("guid") == str(uuid.uuid5(NAMESPACE, "code:distance"))


def test_codebook_round_trip_keeps_ids_labels_definitions_colours_and_tree(
    demo_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "book.qdc"
    export_codebook(demo_path, out)
    init_study(tmp_path / "new", codebooks=[])
    result = import_codebook(tmp_path / "new", out)
    assert result.kept_ids == result.codes == 41
    before, after = Study.open(demo_path).codebook, Study.open(tmp_path / "new").codebook
    assert after.ids == before.ids
    for code in before.walk():
        other = after[code.id]
        assert other.labels == code.labels and set(code.labels) == {"nb", "en"}
        assert (other.description, other.inclusion, other.exclusion) == (
            code.description, code.inclusion, code.exclusion)
        assert other.examples == code.examples
        assert other.colour == code.colour
        assert other.parent_id == code.parent_id
        assert [c.id for c in other.children] == [c.id for c in code.children]


def test_a_code_renamed_in_another_program_keeps_its_other_labels(tmp_path: Path) -> None:
    qdc = tmp_path / "tilbake.qdc"
    qdc.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="5215cc69-b628-4e02-afb9-'
        '9beeaee55808" name="Avstand mellom etater" isCodable="true"><Description>Definisjon.\n\n'
        "Label (nb): Distanse\nLabel (en): Distance\nqualcode id: distance</Description></Code>"
        "</Codes></CodeBook>", encoding="utf-8")
    init_study(tmp_path / "s", codebooks=[])
    import_codebook(tmp_path / "s", qdc)
    code = Study.open(tmp_path / "s").codebook["distance"]
    assert code.labels == {"nb": "Avstand mellom etater", "en": "Distance"}
    assert code.description == "Definisjon."


def test_a_codebook_that_breaks_the_schema_is_refused_unless_skipped(tmp_path: Path) -> None:
    init_study(tmp_path / "s", codebooks=[])
    qdc = tmp_path / "broken.qdc"
    qdc.write_text(FOREIGN_QDC.replace('name="Values" isCodable="true"', 'name="Values"'),
                   encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        import_codebook(tmp_path / "s", qdc)
    assert caught.value.line == 12
    assert "<Code> has no isCodable, which the standard requires." in caught.value.message
    assert not list((tmp_path / "s" / "codebooks").iterdir())
    result = import_codebook(tmp_path / "s", qdc, skip_problems=True)
    assert result.codes == 4
    assert result.remarks == [("broken.qdc breaks the REFI-QDA standard in 1 place (line 12: "
                              "<Code> has no isCodable, which the standard requires); qualcode "
                              "read what it could.")]


def test_foreign_codebook_gets_ids_from_names_unique_and_stable(tmp_path: Path) -> None:
    qdc = tmp_path / "Fra NVivo.qdc"
    qdc.write_text(FOREIGN_QDC, encoding="utf-8")
    results = []
    for name in ("a", "b"):
        init_study(tmp_path / name, codebooks=[])
        results.append(import_codebook(tmp_path / name, qdc))
    book = load_codebook(results[0].path)
    assert results[0].path.name == "fra-nvivo.yaml"
    assert book.ids == ["topics", "topics.oekonomi", "topics.oekonomi-2", "values"]
    assert results[1].path.read_text().split("\n", 2)[2] == results[0].path.read_text().split(
        "\n", 2)[2]
    assert book["topics.oekonomi"].colour == "#ffff00"
    assert book["topics.oekonomi"].label() == "Økonomi"
    assert book["values"].colour == "#33cc33"
    assert book["values"].description == "Values people hold."
    assert book["values"].inclusion == "Opinions about right and wrong.\nSeveral lines."
    assert book["values"].exclusion == "Facts."
    assert Study.open(tmp_path / "a").codebook.ids == book.ids


def test_import_refuses_to_overwrite_and_refuses_a_codebook_the_study_has(
    demo_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "interorganisational-distance.qdc"
    export_codebook(demo_path, out)
    before = sorted(p.name for p in (demo_path / "codebooks").iterdir())
    with pytest.raises(CodebookError, match="already has codes") as caught:
        import_codebook(demo_path, out)
    assert "interorganisational-distance.yaml" in caught.value.message
    assert "employer-cooperation.yaml" in caught.value.message
    assert "--replace" in (caught.value.hint or "")
    qdc = tmp_path / "interorganisational-distance.qdc"
    qdc.write_text(FOREIGN_QDC, encoding="utf-8")
    with pytest.raises(StudyError, match="not overwritten"):
        import_codebook(demo_path, qdc)
    assert sorted(p.name for p in (demo_path / "codebooks").iterdir()) == before


def test_import_adds_the_file_to_an_explicit_codebooks_list(
    demo_path: Path, tmp_path: Path
) -> None:
    qdc = tmp_path / "extra.qdc"
    qdc.write_text(FOREIGN_QDC, encoding="utf-8")
    result = import_codebook(demo_path, qdc)
    assert result.added_to_config
    config = (demo_path / "qualcode.yaml").read_text(encoding="utf-8")
    assert "- extra.yaml" in config and "# How a quote's source" in config
    study = Study.open(demo_path)
    assert "values" in study.codebook and "distance" in study.codebook


def test_bad_codebook_files_are_explained(tmp_path: Path) -> None:
    init_study(tmp_path / "s", codebooks=[])
    broken = tmp_path / "broken.qdc"
    broken.write_text('<?xml version="1.0"?>\n<CodeBook>\n<Codes>\n</CodeBook>\n')
    with pytest.raises(ImportFileError) as caught:
        import_codebook(tmp_path / "s", broken)
    assert caught.value.line == 4
    other = tmp_path / "other.qdc"
    other.write_text("<Project name='x'/>")
    with pytest.raises(ImportFileError, match="not a REFI-QDA codebook"):
        import_codebook(tmp_path / "s", other)
    with pytest.raises(ImportFileError, match="does not exist"):
        import_codebook(tmp_path / "s", tmp_path / "missing.qdc")
    with pytest.raises(StudyError, match="not a qualcode study"):
        import_codebook(tmp_path, broken)
    assert not list((tmp_path / "s" / "codebooks").iterdir())


def test_export_refuses_other_extensions_and_missing_folders(
    demo_path: Path, tmp_path: Path
) -> None:
    wrong = r"must end in \.qdc \(the codebook only\), not in `\.xml`"
    with pytest.raises(ExportError, match=wrong):
        export_codebook(demo_path, tmp_path / "book.xml")
    with pytest.raises(ExportError, match="does not exist"):
        export_codebook(demo_path, tmp_path / "nowhere" / "book.qdc")


def test_descriptions_split_back_into_their_parts() -> None:
    text = ("Main text.\n\nInclusion: when A.\n\nexclusion: not B.\n\nExamples:\n- «Sitat en»\n"
            "- Two lines\n  of quote\n\nLabel (nb): Avstand\nLabel (en): Distance\n"
            "qualcode id: x.y")
    parts = split_description(text)
    assert (parts.description, parts.inclusion, parts.exclusion, parts.code_id) == (
        "Main text.", "when A.", "not B.", "x.y")
    assert parts.examples == ["«Sitat en»", "Two lines\nof quote"]
    assert parts.labels == {"nb": "Avstand", "en": "Distance"}
    plain = split_description("Just text")
    assert (plain.description, plain.inclusion, plain.examples, plain.code_id) == (
        "Just text", "", [], None)


_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"),
    max_size=300,
).map(lambda s: " ".join(s.split()))


@settings(max_examples=60, deadline=None)
@given(_TEXT, _TEXT, st.text("ab \n", max_size=40).map(str.strip))
def test_rendered_yaml_reads_back_to_the_same_text(tmp_path_factory, label, long, block) -> None:
    path = tmp_path_factory.mktemp("yaml") / "book.yaml"
    entry = CodeEntry("x", label or "x", description=long, inclusion=block or "", colour="#aabbcc")
    path.write_text(render_codebook("b", "T", "", [entry], "comment"), encoding="utf-8")
    code = load_codebook(path)["x"]
    assert (code.label(), code.description, code.inclusion) == (label or "x", long, block or "")
