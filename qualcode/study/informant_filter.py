"""Filtering transcripts by their informants' attributes, as a coder types it.

A filter is words separated by spaces; a transcript is kept when every word matches:

- `role=Bedriftsleder` (or `role:bedrift`): an informant whose attribute contains the value;
- `Innlandet`: any informant attribute, the transcript's id, title or form contains it.

Case is ignored. `role="Daglig leder"` quotes a value with spaces.
"""

from __future__ import annotations

import shlex

from qualcode.study.transcript import Transcript


def _terms(query: str) -> list[str]:
    try:
        return shlex.split(query)
    except ValueError:  # an unclosed quote while typing
        return query.replace('"', " ").replace("'", " ").split()


def matches(transcript: Transcript, query: str) -> bool:
    """Whether `transcript` passes the filter `query` (an empty filter passes everything)."""
    informants = list(transcript.informants.values())
    for term in _terms(query):
        name, sep, value = term.partition("=")
        if not sep:
            name, sep, value = term.partition(":")
        if sep and name:
            name, value = name.strip().lower(), value.strip().lower()
            if not any(
                key.lower() == name and value in str(found).lower()
                for informant in informants
                for key, found in {**informant.attributes, "speaker": informant.label}.items()
            ):
                return False
            continue
        needle = term.lower()
        haystack = [transcript.id, transcript.title, transcript.form]
        haystack += [str(v) for inf in informants for v in inf.attributes.values()]
        if not any(needle in text.lower() for text in haystack):
            return False
    return True
