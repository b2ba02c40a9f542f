"""Reading and writing REFI-QDA XML.

Reading (lxml) is tolerant in what it takes from a file: elements are matched by their local
name, so files that use another version of the namespace, or none, are read the same way. It is
strict in what it reports: a file that is not well-formed XML becomes an ImportFileError with
the line and column of the fault, and `schema_faults` lists, with their lines, the places where a
file breaks the standard's schema (`schemas/Project.xsd`, `schemas/Codebook.xsd`), in words a
researcher can follow. Entities are never expanded and nothing is fetched from the network.

Writing uses the standard library's ElementTree.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from lxml import etree

from qualcode.errors import ImportFileError
from qualcode.wording import plural

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
Node = etree._Element
"""An element of a document read from another program."""

_SCHEMAS = Path(__file__).resolve().parent / "schemas"
_SCHEMA_FILES = {PROJECT_NS: "Project.xsd", CODEBOOK_NS: "Codebook.xsd"}
# Characters XML 1.0 cannot carry at all (control characters other than tab and line breaks).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_WHERE = re.compile(r",? line \d+, column \d+\s*$")


def local(tag: object) -> str:
    """`{urn:QDA-XML:project:1.0}Code` -> `Code`."""
    text = str(tag)
    return text.rsplit("}", 1)[-1] if text.startswith("{") else text


def namespace(tag: object) -> str:
    """`{urn:QDA-XML:project:1.0}Code` -> `urn:QDA-XML:project:1.0` ('' when there is none)."""
    text = str(tag)
    return text[1:].split("}", 1)[0] if text.startswith("{") else ""


def kids(element: Node, name: str) -> Iterator[Node]:
    """The element's children called `name`, in any namespace."""
    for child in element:
        if local(child.tag) == name:
            yield child


def kid(element: Node, name: str) -> Node | None:
    """The first child called `name`, or None."""
    return next(kids(element, name), None)


def kid_text(element: Node, name: str) -> str:
    """The text of the first child called `name` ('' when there is none)."""
    child = kid(element, name)
    return (child.text or "") if child is not None else ""


def parse_xml(data: bytes, path: Path, root_name: str) -> Node:
    """Parse an XML document whose root element must be `root_name`."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True,
                             remove_pis=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        raise ImportFileError(
            f"The file is damaged: its XML is not well-formed here "
            f"({_WHERE.sub('', exc.msg or str(exc))}).",
            path=path,
            line=line,
            column=column,
            hint="The file is damaged or was not written completely. Export it again from the "
            "program it came from.",
        ) from None
    if local(root.tag) != root_name:
        raise ImportFileError(
            f"This is not a REFI-QDA {'project' if root_name == 'Project' else 'codebook'}: "
            f"its XML starts with <{local(root.tag)}>, not <{root_name}>.",
            path=path,
            hint="Export the project (.qdpx) or the codebook (.qdc) again from the other "
            "program.",
        )
    return root


# ---------------------------------------------------------------------------------------------
# The schema


@dataclass(frozen=True)
class SchemaFault:
    """One place where a document breaks the REFI-QDA schema."""

    line: int | None
    text: str


def schema_faults(root: Node) -> list[SchemaFault] | None:
    """Where `root`'s document breaks its schema ([] when nowhere), or None when the document
    does not use a REFI-QDA namespace and so cannot be checked."""
    name = _SCHEMA_FILES.get(namespace(root.tag))
    if name is None:
        return None
    schema = _schema(name)
    if schema.validate(root):
        return []
    return [SchemaFault(e.line or None, explain_schema_error(e.message)) for e in schema.error_log]


SKIP_PROBLEMS_HINT = (
    "To import everything qualcode can read, and list what was left out, run the import again "
    "with --skip-problems."
)


def check_schema(root: Node, path: Path, skip_problems: bool = False) -> str | None:
    """Refuse a document that breaks the REFI-QDA schema, naming the first place; with
    `skip_problems`, return a remark for the import report instead (None when it is valid).
    """
    faults = schema_faults(root)
    if faults is None:
        return (f"{path.name} does not use the REFI-QDA namespace, so it was not checked "
                "against the standard.")
    if not faults:
        return None
    first = faults[0]
    more = len(faults) - 1
    elsewhere = f" It breaks the standard in {plural(more, 'more place')}." if more else ""
    if skip_problems:
        where = f"line {first.line}: " if first.line else ""
        return (f"{path.name} breaks the REFI-QDA standard in {plural(len(faults), 'place')} "
                f"({where}{first.text.rstrip('.')}); qualcode read what it could.")
    raise ImportFileError(
        f"The file does not follow the REFI-QDA standard here: {first.text}{elsewhere}",
        path=path,
        line=first.line,
        hint="Export it again from the program it came from. " + SKIP_PROBLEMS_HINT,
    )


@cache
def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(_SCHEMAS / name)))


_TYPE_WORDS = {
    "xs:integer": "a whole number",
    "xs:boolean": "true or false",
    "xs:dateTime": "a date and time such as 2024-05-31T14:30:00Z",
    "xs:date": "a date such as 2024-05-31",
    "xs:decimal": "a number",
    "GUIDType": "a GUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301",
    "RGBType": "a colour such as #1f77b4",
}
_NAMESPACED = re.compile(r"\{[^}]*\}")
_ATTRIBUTE_VALUE = re.compile(
    r"^Element '(?P<el>[^']+)', attribute '(?P<att>[^']+)': (?:\[facet '\w+'\] The value )?"
    r"'(?P<value>[^']*)' is not (?:a valid value of the (?:local )?atomic type '(?P<type>[^']+)'"
    r"|accepted by the pattern)"
)
_REQUIRED = re.compile(r"^Element '(?P<el>[^']+)': The attribute '(?P<att>[^']+)' is required")
_UNKNOWN_ATTRIBUTE = re.compile(r"^Element '(?P<el>[^']+)', attribute '(?P<att>[^']+)': The "
                                r"attribute '[^']+' is not allowed")
_MISPLACED = re.compile(r"^Element '(?P<el>[^']+)': This element is not expected\."
                        r"(?: Expected is (?:one of )?\( (?P<expected>[^)]*) \))?")
_MISSING_CHILD = re.compile(r"^Element '(?P<el>[^']+)': Missing child element\(s\)\."
                            r"(?: Expected is (?:one of )?\( (?P<expected>[^)]*) \))?")


def explain_schema_error(message: str) -> str:
    """A schema validator's message in words a researcher can follow."""
    text = _NAMESPACED.sub("", message).strip()
    if found := _ATTRIBUTE_VALUE.match(text):
        kind = found["type"] or _pattern_type(found["att"])
        wanted = _TYPE_WORDS.get(kind, "in the form the standard asks for")
        return (f"<{found['el']}> has {found['att']}=\"{found['value']}\", which is not "
                f"{wanted}.")
    if found := _REQUIRED.match(text):
        return f"<{found['el']}> has no {found['att']}, which the standard requires."
    if found := _UNKNOWN_ATTRIBUTE.match(text):
        return f"<{found['el']}> has an attribute {found['att']} that the standard does not know."
    if found := _MISPLACED.match(text):
        expected = _names(found["expected"])
        return (f"<{found['el']}> is not allowed at this place"
                + (f" (the standard expects {expected} here)." if expected else "."))
    if found := _MISSING_CHILD.match(text):
        expected = _names(found["expected"])
        return (f"<{found['el']}> is empty, but the standard asks for "
                + (f"{expected} in it." if expected else "something in it."))
    return text


def _pattern_type(attribute: str) -> str:
    if attribute == "color":
        return "RGBType"
    if "guid" in attribute.lower() or attribute in ("creatingUser", "modifyingUser"):
        return "GUIDType"
    return ""


def _names(expected: str | None) -> str:
    names = [f"<{name.strip()}>" for name in (expected or "").split(",") if name.strip()]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]


# ---------------------------------------------------------------------------------------------
# Writing


def xml_text(text: str) -> str:
    """Text with the characters XML cannot hold removed."""
    return _NOT_XML.sub("", text)


def sub(parent: ET.Element, ns: str, tag: str, /, **attributes: str | None) -> ET.Element:
    """Add a child element; attributes that are None are left out."""
    attrs = {k: xml_text(v) for k, v in attributes.items() if v is not None}
    return ET.SubElement(parent, f"{{{ns}}}{tag}", attrs)


def text_child(parent: ET.Element, ns: str, tag: str, text: str) -> ET.Element:
    """Add a child element that holds text."""
    child = sub(parent, ns, tag)
    child.text = xml_text(text)
    return child


def to_bytes(root: ET.Element, ns: str) -> bytes:
    """The document as indented UTF-8 with an XML declaration."""
    ET.register_namespace("", ns)
    tree = ET.ElementTree(root)
    ET.indent(tree, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def xml_datetime(value: str) -> str | None:
    """An ISO timestamp as xsd:dateTime (None when it cannot be read)."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return moment.isoformat(timespec="seconds")
