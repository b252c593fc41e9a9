"""The audit report as a Word document (python-docx), rendered by workers like the PDF.

``audit_docx`` takes the very context the PDF template gets (``audit_report_context`` plus
``document_context``) and writes the same chapters in the same order with the same texts
and numbers; charts are the PDF's SVGs as pictures, every text is an editable run, and
every paragraph, run and table uses a named "CX …" style (``styles.STYLES``) so a
consultant restyles the whole report by editing styles. Optional context keys, read
defensively: ``sections`` (the chosen section keys, all when absent), ``draft`` (a DRAFT
mark in the header), ``branding`` (name, logo, colours) and ``texts`` (the consultant's
rich texts; domain and survey conclusions sit on their dictionaries).
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

SECTION_KEYS = (
    "cover",
    "summary",
    "maturity",
    "findings",
    "gap",
    "surveys",
    "metrics",
    "canvas",
    "journey",
    "recommendations",
    "actions",
    "appendix",
)
"""The audit report's sections in document order (the contents page always follows the
cover, and the consultant's introduction, when written, the contents)."""

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _present(key: str, context: dict[str, Any]) -> bool:
    """Whether the PDF template would draw this chapter at all."""
    if key == "surveys":
        return bool(context.get("survey_figures") or context.get("surveys"))
    if key == "metrics":
        return bool(context.get("business"))
    if key == "canvas":
        return bool(context["results"].canvas)
    if key == "journey":
        return bool(context.get("journey"))
    return True


def chosen_sections(context: dict[str, Any]) -> list[str]:
    """The sections this document has, in order: the chosen ones that have content."""
    chosen = context.get("sections")
    wanted = set(chosen) if chosen else set(SECTION_KEYS)
    return [key for key in SECTION_KEYS if key in wanted and _present(key, context)]


def _get(value, name: str):
    if isinstance(value, dict):
        return value.get(name)
    return getattr(value, name, None)


def brand_of(context: dict[str, Any]) -> tuple[str, bytes | None, str | None]:
    """(name, logo as PNG/JPEG bytes or ``None``, heading colour rrggbb or ``None``)."""
    branding = context.get("branding")
    if not branding:
        return "", None, None
    name = clean(_get(branding, "name") or "")
    colour = brand_colour(_get(branding, "primary"))
    logo = None
    from cxaudit.accounts import selectors as account_selectors

    reader = getattr(account_selectors, "branding_logo_bytes", None)  # the logo file's bytes
    candidates = [(lambda: reader(branding)) if callable(reader) else None]
    candidates += [_get(branding, attribute) for attribute in ("logo_bytes", "logo_data")]
    for value in candidates:
        if callable(value):
            try:
                value = value()
            except (OSError, ValueError) as error:
                logger.warning("Branding logo could not be read: %s", error)
                value = None
        if isinstance(value, bytes | bytearray) and value:
            logo = _picture(bytes(value))
            break
    return name, logo, colour


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
    sections = chosen_sections(context)
    _headers(w, context, brand=brand, draft=bool(context.get("draft")))
    introduction = bool((context.get("texts") or {}).get("introduction"))
    chapters = {*sections, "introduction"} if introduction else set(sections)
    toc = [entry for entry in context.get("toc") or () if entry["id"] in chapters]
    if introduction and "introduction" not in [entry["id"] for entry in toc]:
        toc.insert(0, {"id": "introduction", "title": gettext("Introduction")})
    steps: list[tuple[str, Callable[[], None]]] = []
    if "cover" in sections:
        steps.append(("cover", lambda: audit.cover(w, context, logo=logo, brand=brand)))
    steps.append(("contents", lambda: audit.contents(w, toc, page_break="cover" in sections)))
    if introduction:
        steps.append(("introduction", lambda: audit.introduction(w, context)))
    writers: dict[str, Callable[[Writer, dict[str, Any]], None]] = {
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
    for key in sections:
        if key in writers:
            steps.append((key, functools.partial(writers[key], w, context)))
    for index, (_key, step) in enumerate(steps):
        report("document", 35 + 55 * index // len(steps))
        step()
    report("document", 90)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


__all__ = ["CONTENT_TYPE", "SECTION_KEYS", "audit_docx", "chosen_sections"]
