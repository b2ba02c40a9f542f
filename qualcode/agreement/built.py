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

    id: str
    transcript: str
    start: int
    end: int
    code: str
    quote: str
    text_hash: str
    lead: bool = False
    """The lead took it over: its passage was settled by coding it by hand."""

    @classmethod
    def of(cls, coding: Coding, lead: bool = False) -> Built:
        return cls(coding.id, coding.transcript, coding.start, coding.end, coding.code,
                   coding.quote, coding.text_hash, lead)

    def as_written(self) -> Coding:
        """The coding as the refresh wrote it (to find where that is in the current text)."""
        return Coding(self.id, self.transcript, self.start, self.end, self.code, self.quote,
                      self.text_hash, "", "")

    def to_value(self) -> list:
        return [self.transcript, self.start, self.end, self.code, self.quote, self.text_hash,
                int(self.lead)]


def read_built(store: CoderStore, codings: Iterable[Coding]) -> dict[str, Built]:
    """The codings a refresh wrote into the layer, by id (`codings`: the layer's codings now)."""
    try:
        found = json.loads(store.meta(META_BUILT) or "{}")
    except ValueError:  # changed by hand and broken: every coding counts as the lead's
        return {}
    if isinstance(found, list):  # an older layer: ids only
        ids = {str(i) for i in found}
        return {c.id: Built.of(c) for c in codings if c.id in ids}
    out: dict[str, Built] = {}
    if not isinstance(found, dict):
        return out
    for coding_id, value in found.items():
        try:
            transcript, start, end, code, quote, text_hash, lead = value
            out[str(coding_id)] = Built(str(coding_id), str(transcript), int(start), int(end),
                                        str(code), str(quote), str(text_hash), bool(lead))
        except (TypeError, ValueError):
            continue
    return out


def write_built(store: CoderStore, built: dict[str, Built]) -> None:
    value = {i: b.to_value() for i, b in sorted(built.items())}
    store.set_meta(META_BUILT, json.dumps(value, ensure_ascii=False))
