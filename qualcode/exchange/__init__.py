"""Exchange with other qualitative analysis programs through the REFI-QDA standard.

- `refi_codebook`: a study's codebook to and from a `.qdc` file; `codebook_import` adds such a
  codebook to a study, or replaces the study's codebooks it comes back as.
- `refi_project`: a whole study to and from a `.qdpx` file (transcripts, codes, codings per
  coder, informants as cases, memos as notes).

The other modules are their parts: `ids` (GUIDs and names), `xmltools` (reading and writing the
XML, and checking it against the standard's schemas in `schemas/`), `descriptions` (a code's
definition as one `<Description>`), `positions` (mapping selections onto qualcode's canonical
text), `archive` (the zip file), `project_reader`, `import_plan`, `project_writer` and
`study_builder`.
"""

from __future__ import annotations

from qualcode.exchange.codebook_import import import_codebook
from qualcode.exchange.refi_codebook import export_codebook
from qualcode.exchange.refi_project import export_project, import_project

__all__ = ["export_codebook", "export_project", "import_codebook", "import_project"]
