"""Exports for authors: quote sheets (Word, CSV, Excel) and code-by-attribute tables.

    from qualcode.export import QuoteOptions, export_quotes
    result = export_quotes(study, QuoteOptions(codes=["distance"]), "quotes.docx", progress)

`progress(stage, done, total)` is called with stage `select` and then `write`.
"""

from qualcode.export.matrix import Matrix, build_matrix
from qualcode.export.output import ExportResult, export_quotes
from qualcode.export.quotes import (
    Progress,
    Quote,
    QuoteOptions,
    QuoteSelection,
    select_quotes,
)

__all__ = [
    "ExportResult",
    "Matrix",
    "Progress",
    "Quote",
    "QuoteOptions",
    "QuoteSelection",
    "build_matrix",
    "export_quotes",
    "select_quotes",
]
