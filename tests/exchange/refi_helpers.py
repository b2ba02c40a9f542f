"""Functions the exchange tests share (the fixtures are in conftest.py).

SCHEMAS is the folder of the REFI-QDA schemas that qualcode ships and checks imports against
(`Project.xsd`, `Codebook.xsd`), so that exports are checked against them on any checkout.
Projects exported by other programs are used when the folder SAMPLES is present.
"""

from __future__ import annotations

from pathlib import Path

import qualcode.exchange

SCHEMAS = Path(qualcode.exchange.__file__).resolve().parent / "schemas"
SAMPLES = Path("/work/shared/refi/samples")
KARI = "00000000-0000-0000-0000-0000000000aa"


def assert_valid(schema: object, data: bytes) -> None:
    from lxml import etree

    document = etree.fromstring(data)
    if not schema.validate(document):  # type: ignore[attr-defined]
        errors = "\n".join(str(e) for e in schema.error_log)  # type: ignore[attr-defined]
        raise AssertionError(f"not valid against the schema:\n{errors}")


def project_xml(codes: str = "", sources: str = "", users: str = "", before: str = "",
                after: str = "") -> str:
    """A project document around the given pieces of XML (`before` goes between the codebook
    and the sources: variables and cases; `after` after the sources: notes)."""
    users = users or f'<User guid="{KARI}" name="Kari"/>'
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="Test project" origin="Hand made">\n'
        f"<Users>{users}</Users>\n"
        f"<CodeBook><Codes>{codes}</Codes></CodeBook>\n"
        f"{before}<Sources>{sources}</Sources>{after}\n</Project>\n"
    )
