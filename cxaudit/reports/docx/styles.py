"""The named styles of the Word report: a consultant restyles the document by editing them.

Every paragraph, run and table of the report uses one of ``STYLES`` (no direct formatting
besides bold from the consultant's own ``**bold**``, which uses the "CX Strong" character
style too), so changing "CX Heading 1" in Word changes every chapter heading at once. The
look follows the PDF's print CSS; a consultancy's brand colour, when given, colours the
title and headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

FONT = "DejaVu Sans"
TEXT = "1f2933"
MUTED = "52606d"
HEADING = "1f4e79"
GRID = "cbd2d9"
SHADE = "eef2f6"
DRAFT = "c2410c"
COLOUR = re.compile(r"^#?([0-9a-fA-F]{6})$")


@dataclass(frozen=True)
class Spec:
    name: str
    kind: str = "paragraph"  # paragraph | character | table
    base: str | None = "CX Body"
    size: float | None = None
    bold: bool = False
    italic: bool = False
    colour: str | None = None
    before: float | None = None
    after: float | None = None
    outline: int | None = None  # 0 for chapter headings: the contents field and the navigator
    centre: bool = False
    keep_next: bool = False


STYLES: tuple[Spec, ...] = (
    Spec("CX Body", base="Normal", size=9.5, colour=TEXT, after=4),
    Spec("CX Title", size=26, bold=True, colour=HEADING, before=24, after=6),
    Spec("CX Subtitle", size=14, colour=TEXT, after=18),
    Spec("CX Kicker", size=10, bold=True, colour=MUTED, before=72, after=4),
    Spec(
        "CX Heading 1",
        base="Heading 1",
        size=17,
        bold=True,
        colour=HEADING,
        before=0,
        after=10,
        outline=0,
        keep_next=True,
    ),
    Spec(
        "CX Heading 2",
        base="Heading 2",
        size=12,
        bold=True,
        colour=HEADING,
        before=14,
        after=5,
        outline=1,
        keep_next=True,
    ),
    Spec(
        "CX Heading 3",
        base="Heading 3",
        size=10,
        bold=True,
        colour=TEXT,
        before=10,
        after=4,
        outline=2,
        keep_next=True,
    ),
    Spec("CX Note", size=8, colour=MUTED, after=4),
    Spec("CX Quote", size=9.5, colour=TEXT, before=4, after=6),
    Spec("CX Callout", size=9.5, colour=TEXT, before=4, after=6),
    Spec("CX List Bullet", base="List Bullet", size=9.5, colour=TEXT, after=2),
    Spec("CX List Number", base="List Number", size=9.5, colour=TEXT, after=2),
    Spec("CX Table Text", size=8.5, colour=TEXT, before=1, after=1),
    Spec("CX Table Heading", base="CX Table Text", size=8.5, bold=True, colour=TEXT),
    Spec("CX Caption", size=9, bold=True, colour=TEXT, before=8, after=3, keep_next=True),
    Spec("CX Figure", centre=True, before=4, after=6, keep_next=False),
    Spec("CX Contents", size=10, colour=TEXT, after=3),
    Spec("CX Header", base="Header", size=7.5, colour=MUTED),
    Spec("CX Footer", base="Footer", size=7.5, colour=MUTED, centre=True),
    Spec("CX Draft", base="Header", size=20, bold=True, colour=DRAFT, centre=True),
    Spec("CX Strong", kind="character", base=None, bold=True),
    Spec("CX Table", kind="table", base="Table Grid"),
)
"""Every style the report uses, in the order they are created (bases first)."""


def brand_colour(value) -> str | None:
    """``rrggbb`` of a "#rrggbb" brand colour; ``None`` for anything else."""
    match = COLOUR.match(str(value or "").strip())
    return match.group(1).lower() if match else None


def _paragraph_format(style, spec: Spec) -> None:
    fmt = style.paragraph_format
    if spec.before is not None:
        fmt.space_before = Pt(spec.before)
    if spec.after is not None:
        fmt.space_after = Pt(spec.after)
    if spec.centre:
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if spec.keep_next:
        fmt.keep_with_next = True
    if spec.outline is not None:
        p_pr = style.element.get_or_add_pPr()
        for old in p_pr.findall(qn("w:outlineLvl")):
            p_pr.remove(old)
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(spec.outline))
        p_pr.append(level)


def _table_style(style) -> None:
    """Grid lines in the PDF's grey, a shaded, bold and repeated header row."""
    element = style.element
    tbl_pr = element.find(qn("w:tblPr"))
    if tbl_pr is None:
        tbl_pr = OxmlElement("w:tblPr")
        element.append(tbl_pr)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), GRID)
        borders.append(line)
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    tbl_pr.append(borders)
    first = OxmlElement("w:tblStylePr")
    first.set(qn("w:type"), "firstRow")
    r_pr = OxmlElement("w:rPr")
    r_pr.append(OxmlElement("w:b"))
    first.append(r_pr)
    tc_pr = OxmlElement("w:tcPr")
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), SHADE)
    tc_pr.append(shading)
    first.append(tc_pr)
    element.append(first)


def styles_create(document: Document, *, accent: str | None = None) -> None:
    """Add the CX styles to ``document``; ``accent`` (rrggbb) colours title and headings."""
    styles = document.styles
    for spec in STYLES:
        kind = {
            "paragraph": WD_STYLE_TYPE.PARAGRAPH,
            "character": WD_STYLE_TYPE.CHARACTER,
            "table": WD_STYLE_TYPE.TABLE,
        }[spec.kind]
        style = styles.add_style(spec.name, kind)
        style.quick_style = spec.kind != "table"
        if spec.base:
            style.base_style = styles[spec.base]
        if spec.kind == "table":
            _table_style(style)
            continue
        font = style.font
        if spec.kind == "paragraph" or spec.bold:
            font.name = FONT
        if spec.size:
            font.size = Pt(spec.size)
        font.bold = spec.bold or (None if spec.kind == "character" else False)
        font.italic = spec.italic
        colour = spec.colour
        if accent and spec.colour == HEADING:
            colour = accent
        if colour:
            font.color.rgb = RGBColor.from_string(colour.upper())
        if spec.kind == "paragraph":
            _paragraph_format(style, spec)
    styles["CX Body"].next_paragraph_style = styles["CX Body"]
    for name in ("CX Heading 1", "CX Heading 2", "CX Heading 3"):
        styles[name].next_paragraph_style = styles["CX Body"]
