"""Finding codes by typing, filtering transcripts by informants, remembering the coder."""

from __future__ import annotations

from pathlib import Path

from qualcode.study import Study
from qualcode.study.code_search import rank_codes
from qualcode.study.informant_filter import matches
from qualcode.tui.settings import Settings, config_dir


def test_codes_are_found_by_parts_of_ids_and_labels_despite_typos(study_path: Path) -> None:
    codebook = Study.open(study_path).codebook

    def best(query: str) -> str:
        return rank_codes(codebook, query, "nb")[0].code.id

    assert best("geo") == "distance.geographic"
    assert best("kogn dist") == "distance.cognitive"
    assert best("geografsk") == "distance.geographic"
    assert best("recruit") == "motivation.recruitment"
    assert best("samfunsansvar") == "motivation.social-responsibility"
    assert rank_codes(codebook, "zzzz") == []
    recent = [m.code.id for m in rank_codes(codebook, "", first=["motivation"])]
    assert recent[0] == "motivation" and len(recent) == len(codebook)


def test_filters_match_informant_attributes(study_path: Path) -> None:
    study = Study.open(study_path)
    one, group = study.transcript("t01-bedrift"), study.transcript("t02-fokusgruppe")
    assert matches(one, "") and matches(group, "")
    assert matches(one, "role=bedrift") and not matches(group, "role=bedrift")
    assert matches(group, "region:trøndelag") and not matches(one, "region:trøndelag")
    assert matches(group, "Jobbspesialist småby") and not matches(group, "Jobbspesialist Innlandet")
    assert matches(one, 'role="Bedriftsleder"') and matches(one, 'role="Bedrifts')


def test_the_coder_name_is_remembered_per_study(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    assert settings.coder_for(tmp_path / "a") is None
    assert settings.remember_coder(tmp_path / "a", "ingrid")
    again = Settings(tmp_path / "settings.json")
    assert again.coder_for(tmp_path / "a") == "ingrid"
    assert again.coder_for(tmp_path / "b") is None
    assert str(config_dir()).endswith("config")  # the tests' own folder, never the user's


def test_the_library_parts_of_the_workbench_import_no_textual() -> None:
    import subprocess
    import sys

    modules = ["qualcode.study.navigation", "qualcode.study.code_search",
               "qualcode.study.informant_filter", "qualcode.store.progress",
               "qualcode.store.lock", "qualcode.tui.widgets.layout"]
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules)
    code += "print(any(name == 'textual' or name.startswith('textual.') for name in sys.modules))"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"
