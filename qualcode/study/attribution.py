"""Attributions: the short anonymous source line after a quote, e.g. `(Bedriftsleder A)`.

A template such as `({role} i {municipality_type})` is read as an opening (`(`), fields with the
words that join each to the one before (` i `), and a closing (`)`). A field the informant has no
value for is left out together with the words that join it, so an informant without a
municipality type is `(Leder)`, never `(Leder i)`. A passage spoken by two informants names
both inside one opening and closing: `(Leder i utkantkommune; Deltaker i utkantkommune)`.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from qualcode.study.transcript import Informant

PEOPLE_SEPARATOR = "; "


class _Field(NamedTuple):
    joiner: str
    """The template text between the previous field and this one."""
    name: str
    conversion: str | None
    spec: str


class _Template(NamedTuple):
    opening: str
    fields: list[_Field]
    closing: str


def _read(template: str) -> _Template:
    opening, closing = "", ""
    fields: list[_Field] = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        if name is None:
            closing = literal
        elif not fields and not opening and literal:
            opening = literal
            fields.append(_Field("", name, conversion, spec or ""))
        else:
            fields.append(_Field(literal, name, conversion, spec or ""))
    if not fields:
        return _Template(opening + closing, [], "")
    return _Template(opening, fields, closing)


def _values(informant: Informant, extra: Mapping[str, str]) -> dict[str, str]:
    values = {k: str(v) for k, v in extra.items()}
    values.update(informant.attributes)
    values.setdefault("informant", informant.id)
    values["speaker"] = informant.label
    values["transcript"] = informant.transcript
    return values


def _fill(field: _Field, values: Mapping[str, str]) -> str:
    value = values.get(field.name, "").strip()
    if not value:
        return ""
    formatter = string.Formatter()
    if field.conversion:
        value = str(formatter.convert_field(value, field.conversion))
    try:
        return formatter.format_field(value, field.spec).strip()
    except ValueError:
        return value


def _person(template: _Template, values: Mapping[str, str]) -> str:
    """The fields one informant has, each after its joining words (none before the first)."""
    text = ""
    for field in template.fields:
        value = _fill(field, values)
        if value:
            text += (field.joiner if text else "") + value
    return text


def format_attribution(
    template: str,
    informant: Informant | Sequence[Informant] | None,
    extra: Mapping[str, str] | None = None,
) -> str:
    """Fill the study's attribution template for one informant, or for several together.

    Attributes an informant lacks are left out with the words that join them, so
    `({role} i {municipality_type})` never prints `( i )` or `(Leder i)`. Several informants
    (a passage spanning two speakers) share one opening and closing, separated by `; `. An
    informant with none of the template's attributes is named by their pseudonym, `(D)`.
    `extra` holds values the transcript gives every informant, such as its interview `form`.
    Returns '' when there is no informant (the interviewer's words): the caller says so.
    """
    if informant is None:
        people: Sequence[Informant] = ()
    elif isinstance(informant, Informant):
        people = (informant,)
    else:
        people = informant
    shape = _read(template)
    if not people:
        return "" if shape.fields else shape.opening.strip()
    if not shape.fields:
        return shape.opening.strip()
    parts: list[str] = []
    for person in people:
        text = _person(shape, _values(person, extra or {})) or person.id
        if text not in parts:
            parts.append(text)
    return (shape.opening + PEOPLE_SEPARATOR.join(parts) + shape.closing).strip()
