"""Reading and writing REFI-QDA XML with the standard library.

Reading is tolerant: elements are matched by their local name, so files that use another
version of the namespace, or none, are read the same way. A file that is not well-formed XML
becomes an ImportFileError with the line and column of the fault.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from qualcode.errors import ImportFileError

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
# Characters XML 1.0 cannot carry at all (control characters other than tab and line breaks).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def local(tag: object) -> str:
    """`{urn:QDA-XML:project:1.0}Code` -> `Code`."""
    text = str(tag)
    return text.rsplit("}", 1)[-1] if text.startswith("{") else text


def kids(element: ET.Element, name: str) -> Iterator[ET.Element]:
    """The element's children called `name`, in any namespace."""
    for child in element:
        if local(child.tag) == name:
            yield child


def kid(element: ET.Element, name: str) -> ET.Element | None:
    """The first child called `name`, or None."""
    return next(kids(element, name), None)


def kid_text(element: ET.Element, name: str) -> str:
    """The text of the first child called `name` ('' when there is none)."""
    child = kid(element, name)
    return (child.text or "") if child is not None else ""


def parse_xml(data: bytes, path: Path, root_name: str) -> ET.Element:
    """Parse an XML document whose root element must be `root_name`."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":", 1)[0]
        raise ImportFileError(
            f"The XML is not well-formed ({reason}).",
            path=path,
            line=line,
            column=column + 1,
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
