"""Which codings of the consensus layer a refresh wrote, and whether the lead has changed them.

A refresh of the consensus layer (`qualcode consensus`) may replace only codings it wrote itself
and the lead has not touched since. So it keeps, in the layer's `meta` table, each coding it
wrote as it wrote it. A coding of the layer is then one of three things:

* **written by a refresh and untouched**: it has its code and is where the coding as written
  is in the current text (found as any coding is, so a transcript edited since, or a coding
  re-anchored by `qualcode check --fix`, changes nothing). A refresh may remove it when the
  coders no longer call for it;
* **the lead's**: added by hand, or written by a refresh and then resized or recoded by hand, or
  in a passage the lead settled by coding it by hand. A refresh never removes or changes it;
* and a coding a refresh wrote that the lead **removed by hand** is not written again.

For a refresh-written coding the lead changed or removed, the record keeps where it was written,
so that the refresh does not write it again beside (or instead of) what the lead made of it;
the record goes once the coders no longer call for that coding there.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from qualcode.store.coder_store import CoderStore, Coding

__all__ = ["META_BUILT", "Built", "read_built", "write_built"]

META_BUILT = "consensus_built"
"""Meta key: id of each coding a refresh wrote -> that coding as written. Older layers keep a
list of ids only; those codings are taken as written as they are now."""


@dataclass(frozen=True)
class Built:
    """A coding a refresh wrote into the consensus layer, as it wrote it."""

    written: Coding
    lead: bool = False
    """The lead took it over: its passage was settled by coding it by hand."""

    @property
    def id(self) -> str:
        return self.written.id

    @property
    def transcript(self) -> str:
        return self.written.transcript

    @property
    def code(self) -> str:
        return self.written.code

    def to_value(self) -> list:
        w = self.written
        return [w.transcript, w.start, w.end, w.code, w.quote, w.text_hash, int(self.lead)]


def read_built(store: CoderStore, codings: Iterable[Coding]) -> dict[str, Built]:
    """The codings a refresh wrote into the layer, by id (`codings`: the layer's codings now)."""
    try:
        found = json.loads(store.meta(META_BUILT) or "{}")
    except ValueError:  # changed by hand and broken: every coding counts as the lead's
        return {}
    if isinstance(found, list):  # an older layer: ids only
        ids = {str(i) for i in found}
        return {c.id: Built(c) for c in codings if c.id in ids}
    out: dict[str, Built] = {}
    if not isinstance(found, dict):
        return out
    for coding_id, value in found.items():
        try:
            transcript, start, end, code, quote, text_hash, lead = value
            written = Coding(str(coding_id), str(transcript), int(start), int(end), str(code),
                             str(quote), str(text_hash), "", "")
            out[written.id] = Built(written, bool(lead))
        except (TypeError, ValueError):
            continue
    return out


def write_built(store: CoderStore, built: dict[str, Built]) -> None:
    value = {i: b.to_value() for i, b in sorted(built.items())}
    store.set_meta(META_BUILT, json.dumps(value, ensure_ascii=False))
