"""The audit report as a Word document (python-docx), rendered by workers like the PDF.

``audit_docx`` takes the very context the PDF template gets (``audit_report_context`` plus
``document_context``) and writes the same chapters in the same order with the same texts
and numbers; charts are the PDF's SVGs as pictures, every text is an editable run, and
every paragraph, run and table uses a named "CX …" style (``styles.STYLES``) so a
consultant restyles the whole report by editing styles. The chapters are the PDF's
contents list (``toc``: the chosen sections with something to show), after the cover when
``sections`` has it; ``draft`` puts a DRAFT mark in the header, ``branding`` (a ``Brand``)
its name, logo and colour on the cover and in the headers, and ``texts`` (with each domain's
and survey's ``conclusion``) are the consultant's words.
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext

from . import audit, data
from .styles import brand_colour, styles_create
from .writer import Writer, clean, svg_to_png

logger = logging.getLogger(__name__)

Progress = Callable[[str, int], None]

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def brand_of(context: dict[str, Any]) -> tuple[str, bytes | None, str | None]:
    """(name, logo as PNG/JPEG bytes or ``None``, heading colour rrggbb or ``None``) of the
    consultancy's ``Brand`` in ``context["branding"]``; nothing without one."""
    from cxaudit.accounts.selectors import branding_logo_bytes

    branding = context.get("branding")
    if branding is None:
        return "", None, None
    logo = None
    try:
        raw = branding_logo_bytes(branding)
    except OSError as error:
        logger.warning("Branding logo could not be read: %s", error)
        raw = None
    if raw:
        logo = _picture(raw)
    return clean(branding.name), logo, brand_colour(branding.primary)


def _picture(raw: bytes) -> bytes | None:
    """A logo Word can hold: PNG, JPEG and GIF as they are, SVG turned into PNG."""
    if raw[:8] == b"\x89PNG\r\n\x1a\n" or raw[:3] == b"\xff\xd8\xff" or raw[:4] == b"GIF8":
        return raw
    head = raw[:512].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")):
        try:
            return svg_to_png(raw.decode("utf-8"))[0]
        except (ValueError, UnicodeDecodeError) as error:
            logger.warning("Branding logo SVG could not be drawn: %s", error)
    return None


def _headers(w: Writer, context: dict[str, Any], *, brand: str, draft: bool) -> None:
    section = w.document.sections[0]
    section.different_first_page_header_footer = True
    company = clean(context["company"].name)
    running = f"{brand} · {company}" if brand else company
    title = f"{gettext('Customer service audit')} · {clean(context['audit'].title)}"
    header = section.header
    header.paragraphs[0].style = w.document.styles["CX Header"]
    w.text(header.paragraphs[0], running)
    footer = section.footer.paragraphs[0]
    footer.style = w.document.styles["CX Footer"]
    w.text(footer, f"{title} · ")
    w.page_number(footer)
    if draft:
        for part in (section.header, section.first_page_header):
            mark = part.add_paragraph(style=w.document.styles["CX Draft"])
            w.text(mark, gettext("DRAFT"))


def audit_docx(context: dict[str, Any], *, on_progress: Progress | None = None) -> bytes:
    """The audit report as .docx bytes, in the active language."""
    from docx import Document

    report = on_progress or (lambda stage, percent: None)
    brand, logo, colour = brand_of(context)
    document = Document()
    styles_create(document, accent=colour)
    properties = document.core_properties
    properties.title = f"{gettext('Customer service audit')} · {clean(context['company'].name)}"
    properties.author = clean(context.get("consultant")) or "CX Audit"
    properties.language = clean(context.get("LANGUAGE_CODE"))
    w = Writer(document)
    # The PDF's own contents list: the chosen sections that have something to show.
    toc = list(context["toc"])
    cover = "cover" in context["sections"]
    _headers(w, context, brand=brand, draft=bool(context["draft"]))
    steps: list[tuple[str, Callable[[], None]]] = []
    if cover:
        steps.append(("cover", lambda: audit.cover(w, context, logo=logo, brand=brand)))
    steps.append(("contents", lambda: audit.contents(w, toc, page_break=cover)))
    writers: dict[str, Callable[[Writer, dict[str, Any]], None]] = {
        "introduction": audit.introduction,
        "summary": audit.summary,
        "maturity": audit.maturity,
        "findings": audit.findings,
        "gap": audit.gap,
        "surveys": data.surveys,
        "metrics": data.metrics,
        "canvas": audit.canvas,
        "journey": audit.journey,
        "recommendations": audit.recommendations,
        "actions": audit.actions,
        "appendix": audit.appendix,
    }
    for entry in toc:
        steps.append((entry["id"], functools.partial(writers[entry["id"]], w, context)))
    for index, (_key, step) in enumerate(steps):
        report("document", 35 + 55 * index // len(steps))
        step()
    report("document", 90)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


__all__ = ["CONTENT_TYPE", "audit_docx"]
