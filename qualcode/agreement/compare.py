"""One call for a lead: compare coders at the levels asked for, with everything a report needs.

    result = compare(study, ["ingrid", "jonas"], unit="paragraph", groups=["distance"])
    result.levels["segment"].ordered()      # codes, lowest agreement first
    result.to_dict()                        # for --json
    result.csv_rows()                       # for --csv

The figures are computed by :mod:`qualcode.agreement.levels` on the material prepared by
:mod:`qualcode.agreement.material`; this module only chooses, collects and serialises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qualcode.agreement.levels import (
    Figures,
    LevelResult,
    character_level,
    group_level,
    segment_level,
    span_level,
)
from qualcode.agreement.material import Material, load_material
from qualcode.agreement.reading import CONVENTIONS, reading
from qualcode.agreement.statistics import Statistic
from qualcode.errors import AgreementError
from qualcode.study.study import Study
from qualcode.study.transcript import SEGMENT_UNITS

__all__ = ["LEVELS", "AgreementResult", "compare"]

LEVELS = ("character", "segment", "span")
CSV_NAMES = {
    "percent": "percent_agreement",
    "cohen": "cohen_kappa",
    "scott": "scotts_pi",
    "fleiss": "fleiss_kappa",
    "alpha": "krippendorff_alpha",
    "ac1": "gwet_ac1",
    "bp": "brennan_prediger",
    "ualpha": "unitizing_alpha",
}
"""CSV column of each statistic key (see `levels.STATISTIC_KEYS`)."""
KAPPA_BASE_COLUMNS = ("kappa_characters", "kappa_transcripts_defined", "kappa_transcripts_compared")
"""At the character level: what the mean kappa rests on (see `levels.KappaBase`)."""


@dataclass
class AgreementResult:
    """Agreement between coders at one or more levels, with its base and notes."""

    study: str
    coders: tuple[str, ...]
    transcripts: list[dict[str, Any]]
    """Each compared transcript: id, characters and segments (of the chosen unit)."""
    left_out: dict[str, tuple[str, ...]]
    unit: str
    depth: int | None
    levels: dict[str, LevelResult]
    """`character`, `segment`, `span` (as asked) and `group` when groups were given."""
    notes: list[str] = field(default_factory=list)
    material: Material | None = field(default=None, repr=False)

    @property
    def characters(self) -> int:
        return sum(t["characters"] for t in self.transcripts)

    @property
    def segments(self) -> int:
        return sum(t["segments"] for t in self.transcripts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "study": self.study,
            "coders": list(self.coders),
            "transcripts": self.transcripts,
            "left_out": [
                {"transcript": t, "coded_by": list(by)} for t, by in self.left_out.items()
            ],
            "unit": self.unit,
            "depth": self.depth,
            "levels": {name: level_dict(level) for name, level in self.levels.items()},
            "notes": self.notes,
            "conventions": CONVENTIONS,
        }

    def csv_rows(self) -> list[dict[str, Any]]:
        """One row per level and code (and per transcript at the character level)."""
        rows = []
        for level in self.levels.values():
            figures = [*level.ordered(), *([level.overall] if level.overall else [])]
            for f in figures:
                rows.append(_csv_row(self.coders, level, f))
                for part in f.transcripts:
                    stats = {"percent": part.percent, level_kappa_key(self.coders): part.kappa}
                    rows.append(
                        _csv_row(
                            self.coders,
                            level,
                            Figures(f.code, f.label, part.characters, part.coded, stats),
                            transcript=part.transcript,
                        )
                    )
        return rows


def level_kappa_key(coders: tuple[str, ...]) -> str:
    return "cohen" if len(coders) == 2 else "fleiss"


def csv_columns(coders: tuple[str, ...]) -> list[str]:
    return [
        "level",
        "unit",
        "code",
        "label",
        "transcript",
        "units",
        *[f"coded_{c}" for c in coders],
        *CSV_NAMES.values(),
        *KAPPA_BASE_COLUMNS,
        "reading",
        "notes",
    ]


def _csv_row(
    coders: tuple[str, ...], level: LevelResult, f: Figures, transcript: str = ""
) -> dict[str, Any]:
    columns = csv_columns(coders)
    row: dict[str, Any] = dict.fromkeys(columns, "")
    row.update(level=level.level, unit=level.unit, code=f.code, label=f.label)
    row.update(transcript=transcript, units=f.units)
    for coder in coders:
        row[f"coded_{coder}"] = f.coded.get(coder, "")
    notes = list(f.notes)
    for key, column in CSV_NAMES.items():
        stat = f.statistics.get(key)
        if stat is None:
            continue
        row[column] = "" if stat.value is None else round(stat.value, 6)
        if stat.value is None and stat.note and stat.note not in notes:
            notes.append(stat.note)
    if f.kappa_base is not None:
        base = f.kappa_base
        row.update(zip(KAPPA_BASE_COLUMNS, (base.characters, base.defined, base.compared)))
    if not transcript:
        row["reading"] = reading(level.main, f.value(level.main))
    row["notes"] = "; ".join(notes)
    return row


def statistic_dict(stat: Statistic) -> dict[str, Any]:
    return {"name": stat.name, "value": stat.value, "units": stat.units, "note": stat.note}


def figures_dict(f: Figures, main: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": f.code,
        "label": f.label,
        "units": f.units,
        "coded": f.coded,
        "statistics": {k: statistic_dict(s) for k, s in f.statistics.items()},
        "reading": reading(main, f.value(main)),
        "notes": f.notes,
    }
    if f.kappa_base is not None:
        out["kappa_base"] = f.kappa_base.to_dict()
    if f.transcripts:
        out["transcripts"] = [
            {
                "transcript": p.transcript,
                "characters": p.characters,
                "coded": p.coded,
                "percent": statistic_dict(p.percent),
                "kappa": statistic_dict(p.kappa),
            }
            for p in f.transcripts
        ]
    if f.extra:
        out.update(f.extra)
    return out


def level_dict(level: LevelResult) -> dict[str, Any]:
    return {
        "level": level.level,
        "unit": level.unit,
        "ordered_by": level.main,
        "codes": [figures_dict(f, level.main) for f in level.ordered()],
        "overall": figures_dict(level.overall, level.main) if level.overall else None,
        "notes": level.notes,
    }


def compare(
    study: Study,
    coders: list[str] | tuple[str, ...] | None = None,
    *,
    levels: tuple[str, ...] | list[str] = LEVELS,
    unit: str = "paragraph",
    codes: list[str] | None = None,
    depth: int | None = None,
    transcripts: list[str] | None = None,
    groups: list[str] | None = None,
) -> AgreementResult:
    """Agreement between `coders` (all coders when None) at the given levels.

    `unit` is the segment unit (turn, paragraph or sentence) for the segment level and for
    `groups`: parent codes whose children are compared as one nominal variable per segment.
    See :func:`qualcode.agreement.material.load_material` for `codes`, `depth` and `transcripts`.
    """
    unknown = [level for level in levels if level not in LEVELS]
    if unknown:
        raise AgreementError(
            f"Unknown agreement level `{unknown[0]}`.",
            hint="Use character, segment or span (or leave --level out for all three).",
        )
    if unit not in SEGMENT_UNITS:
        raise AgreementError(f"Unknown unit `{unit}`.", hint="Use turn, paragraph or sentence.")
    for group in groups or []:
        if group not in study.codebook:
            raise AgreementError(
                f"There is no code `{group}` in the codebook.",
                hint=study.codebook.suggest_hint(group),
            )
    material = load_material(study, coders, codes=codes, depth=depth, transcripts=transcripts)
    results: dict[str, LevelResult] = {}
    for level in LEVELS:
        if level not in levels:
            continue
        if level == "character":
            results[level] = character_level(material)
        elif level == "segment":
            results[level] = segment_level(material, unit)
        else:
            results[level] = span_level(material)
    if groups:
        results["group"] = group_level(material, list(groups), material.raw, unit)
    described = [
        {
            "id": t.id,
            "characters": len(t.text),
            "segments": len(t.segments(unit)),
        }
        for t in material.transcripts
    ]
    return AgreementResult(
        study=study.config.name,
        coders=material.coders,
        transcripts=described,
        left_out=material.left_out,
        unit=unit,
        depth=depth,
        levels=results,
        notes=list(material.notes),
        material=material,
    )
