"""What is compared: the coders, the transcripts they all coded, the codes, and their spans.

`load_material(study, coders, ...)` reads each coder's codings once and prepares them for every
level of agreement:

* **Transcripts.** Only transcripts that every compared coder has coded (at least one coding)
  take part. A transcript that a coder has not coded is missing data for that coder, not a
  transcript they read and found nothing in; it is left out and named in a note.
* **Codes.** With `depth`, codes below that level of the codebook tree count as their ancestor
  at that level (`distance.geographic` → `distance` at depth 1). `codes` limits the comparison to
  some codes (after rolling up); by default every code any compared coder used is compared.
* **Edited transcripts.** Codings are read where they are in the current text (see
  :func:`qualcode.store.anchoring.place_codings`): moved ones at their new place, and those whose
  text is gone are left out and counted in a note, never silently.
* **Merging.** A coder's own codings of one code that overlap are merged into one stretch
  before anything is counted, so double coding never counts twice.

Spans are kept as flat numpy arrays per coder (transcript index, code index, start, end), sorted
by code, transcript and start, so the levels can work on all transcripts at once.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from qualcode.errors import AgreementError
from qualcode.store.anchoring import Placement, place_in_transcripts, placement_notes
from qualcode.study.study import CONSENSUS, Study
from qualcode.study.transcript import Transcript
from qualcode.wording import joined

__all__ = [
    "CoderSpans",
    "Material",
    "check_coders",
    "load_material",
    "merge_spans",
    "place_coders",
]


@dataclass(frozen=True)
class CoderSpans:
    """One coder's merged codings of the compared codes, in the compared transcripts."""

    transcript: np.ndarray
    """Index into `Material.transcripts` (int64)."""
    code: np.ndarray
    """Index into `Material.codes` (int64)."""
    start: np.ndarray
    end: np.ndarray

    def __len__(self) -> int:
        return int(self.start.size)

    def of_code(self, code: int) -> CoderSpans:
        """The spans of one code (still sorted by transcript and start)."""
        low, high = np.searchsorted(self.code, [code, code + 1])
        return CoderSpans(
            self.transcript[low:high], self.code[low:high], self.start[low:high], self.end[low:high]
        )


@dataclass
class Material:
    """Coders, transcripts and codes to compare, with every coder's merged spans."""

    study: Study
    coders: tuple[str, ...]
    transcripts: list[Transcript]
    codes: list[str]
    spans: dict[str, CoderSpans]
    """Coder -> their merged spans."""
    depth: int | None = None
    raw: dict[str, list] = field(default_factory=dict)
    """Coder -> their codings of the compared transcripts at their current positions (see
    `place_coders`), not rolled up; codings that cannot be placed are not among them."""
    left_out: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Transcripts left out because not every coder coded them -> the coders who did."""
    notes: list[str] = field(default_factory=list)

    @cached_property
    def lengths(self) -> np.ndarray:
        """Characters per compared transcript."""
        return np.array([len(t.text) for t in self.transcripts], dtype=np.int64)

    @cached_property
    def offsets(self) -> np.ndarray:
        """Where each transcript starts when the transcripts are laid end to end."""
        lengths = self.lengths
        return np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)

    def label(self, code: str) -> str:
        found = self.study.codebook.get(code)
        return found.label(self.study.config.language) if found else code


def merge_spans(
    groups: np.ndarray, start: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Merge overlapping spans within each group; spans that merely touch stay apart.

    `groups`, `start` and `end` are parallel int64 arrays. Returns (groups, start, end) sorted by
    group and start.
    """
    if start.size == 0:
        return groups, start, end
    order = np.lexsort((end, start, groups))
    groups, start, end = groups[order], start[order], end[order]
    # Lay the groups out one after another so a running maximum never crosses a group.
    width = int(end.max()) + 1
    base = groups * width
    reach = np.maximum.accumulate(base + end)
    new = np.ones(start.size, dtype=bool)
    new[1:] = (base[1:] + start[1:]) >= reach[:-1]
    firsts = np.flatnonzero(new)
    merged_end = np.maximum.reduceat(end, firsts)
    return groups[firsts], start[firsts], merged_end


def check_coders(
    study: Study, coders: list[str] | None, *, allow_consensus: bool = True
) -> tuple[str, ...]:
    """The coders to compare: as named (each must exist), or every coder when none is named."""
    known = study.coders(include_consensus=True)
    if not coders:
        chosen = [c for c in known if c != CONSENSUS]
        if len(chosen) < 2:
            raise AgreementError(
                "Agreement needs at least two coders, and this study has "
                + (f"only one ({chosen[0]})." if chosen else "none yet."),
                path=study.codings_dir,
                hint="Let a second coder code the same transcripts, then compare with "
                "`--coders A,B`.",
            )
        return tuple(chosen)
    names = [c.strip() for c in coders if c.strip()]
    for name in names:
        if name == CONSENSUS and not allow_consensus:
            raise AgreementError(
                "The consensus layer cannot be one of the coders it is made from.",
                hint="Name the coders whose codings the consensus settles, e.g. `--coders A,B`.",
            )
        if name not in known:
            allowed = [c for c in known if allow_consensus or c != CONSENSUS]
            raise AgreementError(
                f"There is no coder `{name}` in this study.",
                path=study.codings_dir,
                hint=("Known coders: " + ", ".join(allowed) + ".")
                if allowed
                else "Nobody has coded yet.",
            )
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise AgreementError(
            f"`{duplicates[0]}` is named twice in --coders.",
            hint="Name each coder once, e.g. `--coders ingrid,jonas`.",
        )
    if len(names) < 2:
        raise AgreementError(
            "Agreement needs at least two coders; only one was named.",
            hint="Name two or more, separated by commas: `--coders ingrid,jonas`.",
        )
    return tuple(names)


def select_transcripts(study: Study, patterns: list[str] | None) -> list[str] | None:
    """Transcript ids matching ids or patterns such as `nb-*` (None: no selection)."""
    if not patterns:
        return None
    ids = study.transcript_ids
    chosen: list[str] = []
    for pattern in patterns:
        if pattern in ids:
            found = [pattern]
        else:
            found = [tid for tid in ids if fnmatch.fnmatchcase(tid, pattern)]
        if not found:
            from qualcode.study.yamlfile import nearest_name

            near = nearest_name(pattern, ids)
            raise AgreementError(
                f"No transcript matches `{pattern}`.",
                path=study.transcripts_dir,
                hint=f"Did you mean `{near}`?"
                if near
                else "Give transcript ids (file names "
                "without extension) or patterns such as `nb-*`.",
            )
        chosen.extend(t for t in found if t not in chosen)
    return chosen


def _roll_up(study: Study, depth: int | None):
    """A cached function mapping a code to the code it counts as at `depth`."""
    cache: dict[str, str] = {}
    codebook = study.codebook

    def rolled(code: str) -> str:
        if code not in cache:
            cache[code] = codebook.at_depth(code, depth) if code in codebook else code
        return cache[code]

    return rolled


def read_codings(
    study: Study, coders: tuple[str, ...], transcripts: list[str] | None = None
) -> dict[str, list]:
    """Each coder's codings (of some transcripts only, if given): one read per coder's file."""
    out: dict[str, list] = {}
    for coder in coders:
        with study.store(coder) as store:
            if transcripts is None:
                out[coder] = store.codings()
            else:
                out[coder] = [c for t in transcripts for c in store.codings(transcript=t)]
                continue
        if not out[coder]:
            raise AgreementError(
                f"Coder `{coder}` has no codings yet, so there is nothing to compare.",
                path=study.coder_path(coder),
                hint="Compare coders who have coded the same transcripts.",
            )
    return out


def place_coders(
    codings: dict[str, list], transcripts: dict[str, Transcript]
) -> dict[str, Placement]:
    """Each coder's codings of `transcripts` where they are in the current texts.

    Codings of a transcript edited since they were made are found again as `qualcode check`
    finds them; those that cannot be found are left out (see `placement_notes`).
    """
    return {coder: place_in_transcripts(items, transcripts) for coder, items in codings.items()}


def common_transcripts(
    study: Study, coders: tuple[str, ...], codings: dict[str, list], wanted: list[str] | None
) -> tuple[list[str], dict[str, tuple[str, ...]], list[str]]:
    """Transcripts every coder coded, those left out (with who coded them), and notes."""
    coded_by: dict[str, list[str]] = {}
    for coder in coders:
        for tid in dict.fromkeys(c.transcript for c in codings[coder]):
            coded_by.setdefault(tid, []).append(coder)
    order = study.transcript_ids
    candidates = wanted if wanted is not None else [t for t in order if t in coded_by]
    common = [t for t in candidates if len(coded_by.get(t, ())) == len(coders)]
    left_out = {t: tuple(coded_by.get(t, ())) for t in candidates if t not in common}
    notes = []
    for tid, by in left_out.items():
        missing = [c for c in coders if c not in by]
        if by:
            notes.append(
                f"Transcript `{tid}` was coded by {joined(by)} but not by {joined(missing)}; "
                "it is left out (missing data, not 'no code')."
            )
        else:
            notes.append(f"Transcript `{tid}` was coded by none of the coders; it is left out.")
    unknown = [t for t in coded_by if t not in order]
    if unknown:
        notes.append(
            "Codings of transcripts that are no longer in the study were ignored: "
            + ", ".join(f"`{t}`" for t in unknown)
            + "."
        )
    if not common:
        raise AgreementError(
            f"No transcript was coded by all of {joined(coders)}"
            + (" among those chosen." if wanted is not None else "."),
            path=study.codings_dir,
            hint="Agreement compares transcripts every coder has coded. "
            + "; ".join(
                f"{c}: {len({x.transcript for x in codings[c]})} transcripts" for c in coders
            )
            + ".",
        )
    return common, left_out, notes


def load_material(
    study: Study,
    coders: list[str] | tuple[str, ...] | None,
    *,
    codes: list[str] | None = None,
    depth: int | None = None,
    transcripts: list[str] | None = None,
) -> Material:
    """Read and prepare the coders' codings for comparison (see the module's description)."""
    chosen = check_coders(study, list(coders) if coders else None)
    if depth is not None and depth < 1:
        raise AgreementError(
            f"--depth must be 1 or more (1 is the top level of the codebook); got {depth}."
        )
    if codes:
        for code in codes:
            if code not in study.codebook:
                raise AgreementError(
                    f"There is no code `{code}` in the codebook.",
                    hint=study.codebook.suggest_hint(code),
                )
    codings = read_codings(study, chosen)
    wanted = select_transcripts(study, transcripts)
    common, left_out, notes = common_transcripts(study, chosen, codings, wanted)
    index = {tid: i for i, tid in enumerate(common)}
    texts = [study.transcript(tid) for tid in common]
    placed = place_coders(codings, dict(zip(common, texts, strict=True)))
    notes += placement_notes(placed)
    rolled = _roll_up(study, depth)

    used: dict[str, None] = {}
    rows: dict[str, list[tuple[int, str, int, int]]] = {}
    for coder in chosen:
        rows[coder] = []
        for c in placed[coder].placed:
            code = rolled(c.code)
            used.setdefault(code, None)
            rows[coder].append((index[c.transcript], code, c.start, c.end))

    if codes:
        compared = [rolled(code) for code in codes]
        compared = list(dict.fromkeys(compared))
        for given, now in zip(codes, [rolled(c) for c in codes], strict=True):
            if given != now:
                notes.append(f"`{given}` is below --depth {depth}; it is compared as `{now}`.")
        for code in compared:
            node = study.codebook.get(code)
            if node is not None and node.children and depth is None:
                notes.append(
                    f"`{code}` counts only codings made with `{code}` itself; add "
                    f"--depth {study.codebook.depth(code)} to count the codes below it too."
                )
    else:
        in_book = [c.id for c in study.codebook.walk() if c.id in used]
        compared = in_book + sorted(c for c in used if c not in study.codebook)
    strays = sorted(c for c in used if c not in study.codebook)
    if strays:
        notes.append(
            "Codes not in the codebook (compared under their own id): "
            + ", ".join(f"`{c}`" for c in strays)
            + "."
        )
    code_index = {code: i for i, code in enumerate(compared)}

    spans: dict[str, CoderSpans] = {}
    for coder in chosen:
        kept = [r for r in rows[coder] if r[1] in code_index]
        t = np.array([r[0] for r in kept], dtype=np.int64)
        c = np.array([code_index[r[1]] for r in kept], dtype=np.int64)
        s = np.array([r[2] for r in kept], dtype=np.int64)
        e = np.array([r[3] for r in kept], dtype=np.int64)
        n_transcripts = max(len(common), 1)
        groups, s, e = merge_spans(c * n_transcripts + t, s, e)
        spans[coder] = CoderSpans(groups % n_transcripts, groups // n_transcripts, s, e)

    return Material(
        study=study,
        coders=chosen,
        transcripts=texts,
        codes=compared,
        spans=spans,
        depth=depth,
        raw={coder: placed[coder].placed for coder in chosen},
        left_out=left_out,
        notes=notes,
    )
