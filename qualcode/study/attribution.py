"""Attributions: the short anonymous source line after a quote, e.g. `(Bedriftsleder A)`."""

from __future__ import annotations

import re
import string

from qualcode.study.transcript import Informant

_SPACES = re.compile(r"[ \t]{2,}")
_SPACE_BEFORE_CLOSE = re.compile(r"\s+([)\].,;:])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[])\s+")
_EMPTY_SEPARATORS = re.compile(r"(?:,\s*){2,}|^\s*,\s*|\s*,\s*(?=[)\]])")


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return ""


def format_attribution(template: str, informant: Informant | None) -> str:
    """Fill the study's attribution template for one informant.

    Attributes the informant lacks are left out, and the spaces and commas around them are
    tidied, so `({role} i {municipality_type})` never prints `( i )`: words joining two missing
    fields may remain, which is why templates are best built from fields every informant has.
    """
    if informant is None:
        values = _Missing(informant="", role="", speaker="", transcript="")
    else:
        values = _Missing(informant.attributes)
        values.setdefault("informant", informant.id)
        values["speaker"] = informant.label
        values["transcript"] = informant.transcript
    text = string.Formatter().vformat(template, (), values)
    text = _SPACES.sub(" ", text)
    text = _EMPTY_SEPARATORS.sub(lambda m: ", " if m.group(0).count(",") >= 2 else "", text)
    text = _SPACE_BEFORE_CLOSE.sub(r"\1", text)
    text = _SPACE_AFTER_OPEN.sub(r"\1", text)
    text = text.replace("()", "").replace("[]", "")
    return text.strip()
