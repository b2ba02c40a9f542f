"""The quote sheet as a Word document, built from real Word styles.

Layout: a title page (study, codebook, coders, date, the choices made), a table of contents
field, one heading per code following the codebook tree (Heading 1 for top codes, Heading 2 for
their children ...), the code's definition in a muted style, then its quotes grouped by the
requested attribute, each in the `Quote` style followed by its attribution. A closing table
counts quotes and informants per code and attribute value.

Every look is a named style (`Quote`, `Quote Attribution`, `Quote Context`, `Code Definition`,
`Quote Group`, ...), so an author can restyle the whole sheet from Word's style pane.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from qualcode.export.checks import CODE, sort_key
from qualcode.export.docxml import BodyWriter, clean, run
from qualcode.export.matrix import build_matrix
from qualcode.export.quotes import Progress, Quote, QuoteSelection
from qualcode.export.tablefit import plan_columns
from qualcode.export.texts import counted, key_name, texts

GREY = RGBColor(0x80, 0x80, 0x80)
MUTED = RGBColor(0x59, 0x59, 0x59)
ACCENT = RGBColor(0x1F, 0x4E, 0x79)
INDENT = Cm(1.0)
MARGIN = Cm(2.5)
LANDSCAPE_MARGIN = Cm(2.0)
PORTRAIT_TEXT = Cm(21.0) - 2 * MARGIN
LANDSCAPE_TEXT = Cm(29.7) - 2 * LANDSCAPE_MARGIN
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


def write_docx(selection: QuoteSelection, path: Path, progress: Progress | None = None) -> None:
    """Write the quote sheet of `selection` to `path` (a .docx file)."""
    _Sheet(selection, progress).build().save(str(path))


class _Sheet:
    """Builds one document; a new instance per export."""

    def __init__(self, selection: QuoteSelection, progress: Progress | None) -> None:
        self.selection = selection
        self.study = selection.study
        self.t = texts(selection.language)
        self.progress = progress
        self.doc = Document()
        self.done = 0
        keys = selection.group_by
        # Keys before the code are headings above the codes, keys after it groups of quotes
        # under each code; without the code every key is a heading.
        self.by_code = CODE in keys
        self.outer = keys[: keys.index(CODE)] if self.by_code else list(keys)
        self.inner = keys[keys.index(CODE) + 1 :] if self.by_code else []
        self.max_level = 1

    # -- building ------------------------------------------------------------------------------

    def build(self):
        self._page_setup()
        self._styles()
        self._title_page()
        self._contents()
        self.body = BodyWriter(self.doc)
        self._groups(self.selection.quotes, self.outer, 1)
        self.body.flush()
        if self.progress:
            total = len(self.selection.quotes)
            self.progress("write", total, total)
        self._matrix()
        self._finish_contents()
        return self.doc

    def _page_setup(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, MARGIN)
        footer = section.footer.paragraphs[0]
        footer.style = self.doc.styles["Footer"]
        footer.add_run(clean(self.study.config.name) + f" – {self.t['page']} ")
        _field(footer, "PAGE", "1")
        props = self.doc.core_properties
        props.title = clean(f"{self.study.config.name} – {self.t['quotes'].lower()}")
        props.author = props.last_modified_by = props.comments = ""
        props.created = props.modified = datetime.now(UTC).replace(microsecond=0)
        props.revision = 1

    def _styles(self) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(11)
        normal.paragraph_format.space_after = Pt(6)
        quote = styles["Quote"]
        fmt = quote.paragraph_format
        fmt.left_indent = fmt.right_indent = INDENT
        fmt.space_before, fmt.space_after = Pt(6), Pt(2)
        fmt.keep_with_next = True
        self.s_quote = quote

        def para(name: str, size: float, colour=None, italic=False, bold=False, indent=True):
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            style.quick_style = True
            style.font.size = Pt(size)
            style.font.italic = italic
            style.font.bold = bold
            if colour is not None:
                style.font.color.rgb = colour
            if indent:
                style.paragraph_format.left_indent = INDENT
                style.paragraph_format.right_indent = INDENT
            return style

        self.s_attribution = para("Quote Attribution", 10)
        self.s_attribution.paragraph_format.space_after = Pt(10)
        self.s_context = para("Quote Context", 9.5, GREY)
        self.s_context.paragraph_format.space_after = Pt(0)
        self.s_context.paragraph_format.keep_with_next = True
        self.s_memo = para("Quote Memo", 9, MUTED, italic=True)
        self.s_memo.paragraph_format.space_after = Pt(10)
        self.s_definition = para("Code Definition", 9.5, MUTED, indent=False)
        self.s_definition.paragraph_format.space_after = Pt(3)
        self.s_definition.paragraph_format.keep_with_next = True  # never alone at a page end
        self.s_group = para("Quote Group", 11, ACCENT, bold=True, indent=False)
        self.s_group.paragraph_format.space_before = Pt(12)
        self.s_group.paragraph_format.keep_with_next = True
        self.s_detail = para("Sheet Detail", 11, indent=False)
        self.s_detail.paragraph_format.space_after = Pt(2)
        self.s_table = para("Table Text", 8, indent=False)
        self.s_table.paragraph_format.space_after = Pt(0)
        source = styles.add_style("Quote Source", WD_STYLE_TYPE.CHARACTER)
        source.font.size = Pt(8.5)
        source.font.color.rgb = GREY
        source.quick_style = True
        self.s_source = source
        self.s_toc = styles["TOC Heading"]
        self.ids = {
            "quote": quote.style_id,
            "context": self.s_context.style_id,
            "attribution": self.s_attribution.style_id,
            "memo": self.s_memo.style_id,
            "source": source.style_id,
        }

    def _title_page(self) -> None:
        doc, t, sel = self.doc, self.t, self.selection
        doc.add_paragraph(clean(self.study.config.name), style="Title")
        doc.add_paragraph(self._subtitle(), style="Subtitle")
        details = [
            (t["codebook"], self.study.codebook.title),
            (t["coders"], ", ".join(sel.coders)),
            (t["date"], date.today().isoformat()),
            (
                t["count"],
                t["count_text"].format(
                    quotes=counted(sel.language, len(sel.quotes), "quote"),
                    informants=counted(sel.language, sel.informant_count, "informant"),
                    codes=counted(sel.language, len({q.code for q in sel.quotes}), "code"),
                ),
            ),
        ]
        for name, value in details:
            self._detail(name, value)
        doc.add_paragraph(t["choices"], style=self.s_group)
        for name, value in self._choices():
            self._detail(name, value)
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _subtitle(self) -> str:
        keys = [self._key_name(k) for k in self.selection.group_by]
        if not keys:
            return self.t["subtitle_none"]
        joined = (
            keys[0] if len(keys) == 1 else ", ".join(keys[:-1]) + f" {self.t['and']} {keys[-1]}"
        )
        return self.t["subtitle"].format(keys=joined)

    def _key_name(self, key: str) -> str:
        return key_name(key, self.selection.language)

    def _choices(self) -> list[tuple[str, str]]:
        """The selection made, for the title page, in the document's language."""
        o, t = self.selection.options, self.t
        out = [(t["codes"], ", ".join(o.codes) if o.codes else t["all"])]
        for key, values in o.where.items():
            out.append((self._key_name(key).capitalize(), f" {t['or']} ".join(values)))
        if o.transcripts:
            out.append((t["transcripts"], ", ".join(o.transcripts)))
        if o.min_words:
            out.append((t["min words"], str(o.min_words)))
        if o.context:
            out.append((t["context"], str(o.context)))
        out.append((t["memos"], t["memos_in"] if o.memos else t["memos_out"]))
        keys = [self._key_name(k) for k in self.selection.group_by]
        out.append((t["group by"], ", ".join(keys) or "–"))
        return out

    def _detail(self, name: str, value: str) -> None:
        p = self.doc.add_paragraph(style=self.s_detail)
        p.add_run(f"{name}: ").bold = True
        p.add_run(clean(value))

    def _contents(self) -> None:
        self.doc.add_paragraph(self.t["contents"], style=self.s_toc)
        self.toc = self.doc.add_paragraph()
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _finish_contents(self) -> None:
        """The TOC field, covering every heading level used, and Word asked to update it."""
        levels = max(3, min(self.max_level, 9))
        _field(self.toc, f'TOC \\o "1-{levels}" \\h \\z \\u', self.t["toc_placeholder"], dirty=True)
        settings = self.doc.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        later = (
            "w:hdrShapeDefaults",
            "w:footnotePr",
            "w:endnotePr",
            "w:compat",
            "w:docVars",
            "w:rsids",
            "m:mathPr",
            "w:themeFontLang",
            "w:clrSchemeMapping",
            "w:doNotIncludeSubdocsInStats",
            "w:shapeDefaults",
            "w:decimalSymbol",
            "w:listSeparator",
        )
        for child in settings:
            if child.tag in {qn(tag) for tag in later}:
                child.addprevious(update)
                break
        else:
            settings.append(update)

    # -- the body ------------------------------------------------------------------------------

    def _heading(self, text: str, level: int) -> None:
        level = max(1, min(level, 9))
        self.max_level = max(self.max_level, level)
        self.body.add(f"Heading{level}", run(text))

    def _groups(self, quotes: list[Quote], keys: list[str], level: int) -> None:
        """Headings for the attribute keys that come before the code, then the codes."""
        if keys:
            for value, members in self._split(quotes, keys[0]):
                self._heading(value or self.t["missing"], level)
                self._groups(members, keys[1:], level + 1)
        elif self.by_code:
            self._codes(quotes, level)
        else:
            self._quote_groups(quotes)

    def _codes(self, quotes: list[Quote], base: int) -> None:
        codebook = self.study.codebook
        own: dict[str, list[Quote]] = {}
        for quote in quotes:
            own.setdefault(quote.code, []).append(quote)
        shown = set(own)
        scope = set(self.selection.codes)
        for code_id in list(own):
            shown.update(a.id for a in codebook.ancestors(code_id) if a.id in scope)
        for code in codebook.walk():
            if code.id not in shown:
                continue
            level = base + sum(1 for a in codebook.ancestors(code.id) if a.id in shown)
            self._heading(code.label(self.selection.language), level)
            self._definition(code, own.get(code.id, []))
            self._quote_groups(own.get(code.id, []))

    def _definition(self, code, quotes: list[Quote]) -> None:
        style = self.s_definition.style_id
        if code.description:
            self.body.add(style, run(code.description))
        for label, text in (
            (self.t["include"], code.inclusion),
            (self.t["exclude"], code.exclusion),
        ):
            if text:
                self.body.add(style, run(label, bold=True), run(text))
        if quotes:
            language = self.selection.language
            informants = len({key for q in quotes for key in q.informant_keys})
            count = self.t["code_count"].format(
                quotes=counted(language, len(quotes), "quote"),
                informants=counted(language, informants, "informant"),
            )
            self.body.add(style, run(f"{code.id} · {count}", italic=True))

    def _quote_groups(self, quotes: list[Quote]) -> None:
        if not self.inner:
            for quote in quotes:
                self._quote(quote)
            return
        for value, members in self._split(quotes, *self.inner):
            label = value or self.t["missing"]
            self.body.add(self.s_group.style_id, run(f"{label} ({len(members)})"))
            for quote in members:
                self._quote(quote)

    def _split(self, quotes: list[Quote], *keys: str) -> list[tuple[str, list[Quote]]]:
        """Quotes grouped by their value(s) of `keys`, in the order the author asked for.

        A passage spoken by two informants with different values is in the group of each.
        """
        groups: dict[str, list[Quote]] = {}
        for quote in quotes:
            for label in quote.labels(keys):
                groups.setdefault(label, []).append(quote)
        where = self.selection.options.where.get(keys[0], [])
        asked = {v.casefold(): i for i, v in enumerate(where)}

        def order(label: str):
            first = label.split(" · ")[0].casefold()
            return (label == "", asked.get(first, len(asked)), sort_key(label))

        return sorted(groups.items(), key=lambda item: order(item[0]))

    def _quote(self, quote: Quote) -> None:
        add, ids = self.body.add, self.ids
        if quote.before:
            add(ids["context"], run(_BLANK_LINES.sub("\n", quote.before)))
        add(ids["quote"], run(quote.text.strip()))
        if quote.after:
            add(ids["context"], run(_BLANK_LINES.sub("\n", quote.after)))
        source = [f"{quote.transcript}, {self.t['line']} {quote.line}"]
        if not self.by_code:
            source.insert(0, quote.code_label)
        if len(self.selection.coders) > 1:
            source.append(quote.coder)
        if quote.stale:
            source.append(self.t["stale"])
        add(
            ids["attribution"],
            run(quote.attribution or self.t["no_informant"]),
            run("  " + " · ".join(source), ids["source"]),
        )
        if quote.memo:
            add(ids["memo"], run(self.t["memo"], bold=True), run(quote.memo))
        self.done += 1
        if self.progress and self.done % 250 == 0:
            self.progress("write", self.done, len(self.selection.quotes))

    # -- the closing table ---------------------------------------------------------------------

    def _matrix_key(self) -> str:
        for key in self.selection.group_by:
            if key != CODE:
                return key
        return "role" if "role" in self.selection.attributes else "transcript"

    def _matrix(self) -> None:
        sel, t = self.selection, self.t
        key = self._matrix_key()

        def count(what: str):
            return build_matrix(
                self.study.codebook,
                sel.quotes,
                key,
                what,
                codes=sel.codes,
                language=sel.language,
                only_used=True,
            )

        quotes, people = count("quotes"), count("informants")
        rows = _matrix_rows(quotes, people, t["total"])
        names = [c or t["missing"] for c in quotes.columns]
        headers = [*names, t["total"]]
        columns = [[row[i] for row in rows] for i in range(1, len(headers) + 1)]
        plan = plan_columns(headers, columns, PORTRAIT_TEXT, LANDSCAPE_TEXT)
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        if plan.landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(29.7), Cm(21.0)
            section.left_margin = section.right_margin = LANDSCAPE_MARGIN
        self._heading(t["matrix_title"].format(key=self._key_name(key)), 1)
        self.body.add(self.s_definition.style_id, run(t["matrix_note"]))
        self.body.flush()
        table = self.doc.add_table(rows=0, cols=len(headers) + 1)
        table.style = self.doc.styles["Light Grid Accent 1"]
        table.autofit = False
        for column, column_width in zip(table.columns, plan.widths, strict=True):
            column.width = column_width
        head = [t["code"].capitalize(), *plan.headers]
        self._table_row(table, plan.widths, head, bold=True, header=True, size=plan.header_size)
        for row in rows[:-1]:
            self._table_row(table, plan.widths, row)
        self._table_row(table, plan.widths, rows[-1], bold=True)
        if plan.numbered:
            key_lines = "; ".join(f"{i} = {name}" for i, name in enumerate(names, 1))
            paragraph = self.doc.add_paragraph(style=self.s_definition)
            paragraph.paragraph_format.space_before = Pt(6)
            paragraph.add_run(t["columns_key"].format(key=self._key_name(key)))
            paragraph.add_run(clean(key_lines) + ".")

    def _table_row(
        self, table, widths, texts: list[str], bold=False, header=False, size: float | None = None
    ) -> None:
        row = table.add_row()
        if header:
            _repeat_header(row)
        for cell, width, text in zip(row.cells, widths, texts, strict=True):
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.style = self.s_table
            piece = paragraph.add_run(clean(text))
            piece.bold = bold
            if size is not None:
                piece.font.size = Pt(size)


def _matrix_rows(quotes, people, total: str) -> list[list[str]]:
    """The table's text: one row per code, `quotes (informants)` in each cell, then totals."""

    def both(q: int, p: int) -> str:
        return f"{q} ({p})" if q else ""

    rows = []
    for row in quotes.rows:
        label = "\u2003" * (quotes.row_levels[row] - 1) + quotes.row_labels[row]
        cells = [both(quotes.cell(row, c), people.cell(row, c)) for c in quotes.columns]
        rows.append([label, *cells, both(quotes.row_total(row), people.row_total(row))])
    totals = [f"{quotes.column_total(c)} ({people.column_total(c)})" for c in quotes.columns]
    rows.append([total, *totals, f"{quotes.total} ({people.total})"])
    return rows


def _field(paragraph, instruction: str, placeholder: str, dirty: bool = False) -> None:
    """A complex field (TOC, PAGE) whose shown text is `placeholder` until Word updates it."""

    def run_with(tag: str, **attrs: str):
        run = OxmlElement("w:r")
        element = OxmlElement(tag)
        for name, value in attrs.items():
            element.set(qn(name), value)
        run.append(element)
        paragraph._p.append(run)
        return element

    begin = run_with("w:fldChar", **{"w:fldCharType": "begin"})
    if dirty:
        begin.set(qn("w:dirty"), "true")
    instr = run_with("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = f" {instruction} "
    run_with("w:fldChar", **{"w:fldCharType": "separate"})
    paragraph.add_run(placeholder)
    run_with("w:fldChar", **{"w:fldCharType": "end"})


def _repeat_header(row) -> None:
    """Repeat the table's header row on every page it runs over."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
