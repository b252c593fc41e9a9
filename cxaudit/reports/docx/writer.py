"""Building blocks of the Word report: styled paragraphs, editable runs, lists, tables,
chart images, bookmarks, the contents field, headers and footers.

Text always goes into runs (``w:t``), escaped by python-docx; characters XML cannot hold
are dropped first, so user text can neither inject markup nor break the file. Charts are
the SVGs of ``cxaudit.charts`` that the PDF draws, turned into PNG by CairoSVG.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence

from django.utils import formats
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm
from docx.text.paragraph import Paragraph

from cxaudit import richtext

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_VIEW_BOX = re.compile(r'viewBox="([\d.\s-]+)"')
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.S)
CONTENT_WIDTH_CM = 17.4
"""A4 less the PDF's 18 mm side margins."""


def clean(value) -> str:
    """``value`` as a template shows it (numbers localised), minus XML-invalid characters."""
    if value is None:
        return ""
    return _NOT_XML.sub("", str(formats.localize(value)))


_EMPTY_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'


def _fetch_nothing(url: str, resource_type: str) -> bytes:
    """CairoSVG's fetcher for images and style sheets an SVG refers to: none is read (our
    charts refer to nothing; a logo must not make the worker read a file or a URL)."""
    return _EMPTY_SVG


def svg_to_png(svg: str, *, scale: float = 2.0) -> tuple[bytes, float]:
    """The PNG of a chart (or an SVG logo) and its width in CSS pixels (from the viewBox)."""
    from cairosvg.surface import PNGSurface

    match = _VIEW_BOX.search(svg)
    width, height = 480.0, 320.0
    if match:
        parts = [float(x) for x in match.group(1).split()]
        if len(parts) == 4 and parts[2] > 0 and parts[3] > 0:
            width, height = parts[2], parts[3]
    png = PNGSurface.convert(
        bytestring=svg.encode("utf-8"),
        output_width=round(width * scale),
        output_height=round(height * scale),
        background_color="white",
        unsafe=False,
        url_fetcher=_fetch_nothing,
    )
    return png, width


class Writer:
    """One report being written; every method appends to the end of the document."""

    def __init__(self, document) -> None:
        self.document = document
        self._bookmark = 0
        self._ids = {style.name: style.style_id for style in document.styles}
        section = document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(22), Mm(20)
        section.left_margin = section.right_margin = Mm(18)

    # ------------------------------------------------------------------------- text

    def style(self, paragraph: Paragraph, style: str) -> Paragraph:
        """Set a paragraph style by its id (python-docx looks names up by scanning every
        style of the document, which costs more than the rest of the report)."""
        paragraph._p.get_or_add_pPr().style = self._ids[style]
        return paragraph

    def paragraph(self, text="", style: str = "CX Body", *, parent=None) -> Paragraph:
        paragraph = (parent or self.document).add_paragraph()
        self.style(paragraph, style)
        if text != "":
            self.text(paragraph, text)
        return paragraph

    def text(self, paragraph: Paragraph, value, *, strong: bool = False):
        """One run; line breaks in ``value`` become Word line breaks (as ``linebreaksbr``)."""
        run = paragraph.add_run(clean(value).replace("\r\n", "\n").replace("\r", "\n"))
        if strong:
            run._r.get_or_add_rPr().style = self._ids["CX Strong"]
        return run

    def heading(self, text, level: int = 1, *, anchor: str = "", page_break: bool = False):
        paragraph = self.paragraph(style=f"CX Heading {level}")
        if page_break:
            paragraph.paragraph_format.page_break_before = True
        if anchor:
            self._add_bookmark(paragraph, anchor)
        self.text(paragraph, text)
        return paragraph

    def note(self, text) -> Paragraph:
        return self.paragraph(text, "CX Note")

    def items(self, entries: Iterable, *, numbered: bool = False) -> list[Paragraph]:
        """A bulleted or numbered list of plain texts (numbering restarts for each list)."""
        style = "CX List Number" if numbered else "CX List Bullet"
        paragraphs = [self.paragraph(entry, style) for entry in entries]
        if numbered and paragraphs:
            self._restart_numbering(paragraphs)
        return paragraphs

    def rich(self, blocks: Sequence[richtext.Block] | None, *, style: str = "CX Quote"):
        """The consultant's text: paragraphs (lines kept), bulleted and numbered lists, and
        bold runs in the "CX Strong" style; every character stays text."""
        for block in blocks or ():
            if block.kind == "p":
                paragraph = self.paragraph(style=style)
                for index, line in enumerate(block.items):
                    if index:
                        paragraph.add_run().add_break(WD_BREAK.LINE)
                    self._runs(paragraph, line)
                continue
            numbered = block.kind == "ol"
            list_style = "CX List Number" if numbered else "CX List Bullet"
            paragraphs = []
            for line in block.items:
                paragraph = self.paragraph(style=list_style)
                self._runs(paragraph, line)
                paragraphs.append(paragraph)
            if numbered:
                self._restart_numbering(paragraphs)

    def _restart_numbering(self, paragraphs: Sequence[Paragraph]) -> None:
        """Numbers of this list from 1: a new numbering instance of the "List Number"
        definition, so a second numbered list does not carry on from the first."""
        numbering = self.document.part.numbering_part.element
        style_num = self.document.styles["List Number"].element.pPr.numPr.numId.val
        abstract = next(
            num.abstractNumId.val for num in numbering.num_lst if num.numId == style_num
        )
        num = numbering.add_num(abstract)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start = OxmlElement("w:startOverride")
        start.set(qn("w:val"), "1")
        override.append(start)
        num.append(override)
        for paragraph in paragraphs:
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = num.numId

    def _runs(self, paragraph: Paragraph, line: richtext.Line) -> None:
        for run in line:
            self.text(paragraph, run.text, strong=run.bold)

    # ------------------------------------------------------------------------- tables

    def table(self, header: Sequence[str] | None, rows: Iterable[Sequence], *, widths=None):
        """A "CX Table" with an optional repeated header row; a cell is a text, a list of
        texts (one paragraph each) or ``(text, "strong"|"note")``."""
        rows = list(rows)
        columns = len(header) if header else max((len(r) for r in rows), default=1)
        table = self.document.add_table(rows=0, cols=columns)
        table._tbl.tblPr.style = self._ids["CX Table"]
        look = table._tbl.tblPr.find(qn("w:tblLook"))
        if look is not None:  # the style's header look only on a header row; no first column
            look.set(qn("w:firstRow"), "1" if header else "0")
            look.set(qn("w:firstColumn"), "0")
            look.set(qn("w:val"), "0420" if header else "0400")
        if widths:
            for column, width in zip(table.columns, widths, strict=False):
                column.width = Cm(width)

        def add(values, style: str):
            row = table.add_row()
            cells = row.cells
            for index, cell in enumerate(cells):
                if widths and index < len(widths):
                    cell.width = Cm(widths[index])
            if len(values) == 1 and columns > 1:  # one cell across the table
                merged = cells[0].merge(cells[-1])
                group = not isinstance(values[0], list)  # a domain's or instrument's title
                self._cell(merged, values[0], "CX Table Heading" if group else style)
            else:
                for cell, value in zip(cells, values, strict=False):
                    self._cell(cell, value, style)
            for paragraph in row._tr.iter(qn("w:p")):  # empty and merged cells too
                p_pr = paragraph.get_or_add_pPr()
                if p_pr.style is None:
                    p_pr.style = self._ids[style]
            return row

        if header:
            add(header, "CX Table Heading")._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for values in rows:
            add(values, "CX Table Text")
        self.paragraph(style="CX Note")  # space after, as the PDF's margin
        return table

    def _cell(self, cell, value, style: str) -> None:
        paragraph = cell.paragraphs[0]
        values = value if isinstance(value, list) else [value]
        for index, entry in enumerate(values):
            kind = ""
            if isinstance(entry, tuple):
                entry, kind = entry
            target = paragraph if index == 0 else cell.add_paragraph()
            self.style(target, "CX Note" if kind == "note" else style)
            self.text(target, entry, strong=kind == "strong")

    # ------------------------------------------------------------------------- charts

    def chart(self, svg, *, max_width_cm: float = CONTENT_WIDTH_CM) -> None:
        """One chart of ``cxaudit.charts`` as a picture, its SVG title as alternative text."""
        svg = str(svg or "")
        if not svg.strip():
            return
        png, width_px = svg_to_png(svg)
        width = min(max_width_cm, width_px * 2.54 / 96)
        paragraph = self.paragraph(style="CX Figure")
        run = paragraph.add_run()
        shape = run.add_picture(io.BytesIO(png), width=Cm(width))
        title = _TITLE.search(svg)
        if title:
            from html import unescape

            shape._inline.docPr.set("descr", clean(unescape(title.group(1))))

    def picture(self, data: bytes, *, width_cm: float, style: str = "CX Figure") -> None:
        paragraph = self.paragraph(style=style)
        paragraph.add_run().add_picture(io.BytesIO(data), width=Cm(width_cm))

    # ------------------------------------------------------------------------- fields

    def _add_bookmark(self, paragraph: Paragraph, name: str) -> None:
        self._bookmark += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self._bookmark))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self._bookmark))
        paragraph._p.append(start)
        paragraph._p.append(end)

    @staticmethod
    def _field_char(run, kind: str) -> None:
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)

    def _instruction(self, paragraph: Paragraph, code: str) -> None:
        begin = paragraph.add_run()
        self._field_char(begin, "begin")
        instruction = OxmlElement("w:instrText")
        instruction.set(qn("xml:space"), "preserve")
        instruction.text = code
        paragraph.add_run()._r.append(instruction)
        self._field_char(paragraph.add_run(), "separate")

    def contents(self, entries: Sequence[tuple[str, str]]) -> None:
        """A Word contents field over the chapter headings; until Word updates it (F9, or
        on opening: the document asks to), it shows the chapters, each linked to its
        heading."""
        for index, (anchor, title) in enumerate(entries):
            paragraph = self.paragraph(style="CX Contents")
            if index == 0:
                self._instruction(paragraph, 'TOC \\o "1-1" \\h \\z \\u')
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), anchor)
            run = OxmlElement("w:r")
            text = OxmlElement("w:t")
            text.set(qn("xml:space"), "preserve")
            text.text = clean(title)
            run.append(text)
            link.append(run)
            paragraph._p.append(link)
            if index == len(entries) - 1:
                self._field_char(paragraph.add_run(), "end")
        settings = self.document.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)

    def page_number(self, paragraph: Paragraph) -> None:
        self._instruction(paragraph, "PAGE")
        paragraph.add_run("1")
        self._field_char(paragraph.add_run(), "end")
