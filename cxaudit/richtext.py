"""The consultant's report text: plain text with paragraphs, lists and bold, nothing else.

The text is stored exactly as typed. ``parse`` reads it into blocks of runs; the web page
and the PDF render them with ``to_html`` (every character escaped, only ``p``, ``ul``,
``ol``, ``li`` and ``strong`` produced) and the Word export walks the same blocks, so no
markup a user types can ever reach a page, a PDF or a document as markup.

Syntax:
- a blank line separates paragraphs; single line breaks inside a paragraph are kept;
- lines starting with ``- ``, ``* `` or ``• `` make a bulleted list;
- lines starting with ``1. `` or ``1) `` (any number) make a numbered list;
- ``**bold**`` within a line; an unpaired ``**`` is shown as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Literal

MAX_LENGTH = 20_000
"""Characters one text may hold (about eight pages of a report)."""

BlockKind = Literal["p", "ul", "ol"]

_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
_NUMBER = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False


Line = tuple[Run, ...]


@dataclass(frozen=True)
class Block:
    """A paragraph (``items`` holds its lines) or a list (``items`` holds its entries)."""

    kind: BlockKind
    items: tuple[Line, ...]


def runs(line: str) -> Line:
    """One line's text split into plain and bold runs."""
    out: list[Run] = []
    position = 0
    for match in _BOLD.finditer(line):
        if match.start() > position:
            out.append(Run(line[position : match.start()]))
        out.append(Run(match.group(1), bold=True))
        position = match.end()
    if position < len(line):
        out.append(Run(line[position:]))
    return tuple(out)


def _line_kind(line: str) -> tuple[BlockKind, str]:
    for kind, pattern in (("ul", _BULLET), ("ol", _NUMBER)):
        match = pattern.match(line)
        if match:
            return kind, match.group(1)  # type: ignore[return-value]
    return "p", line.strip()


def parse(text: str) -> tuple[Block, ...]:
    """The blocks of a text; an empty or blank text has none."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[Block] = []
    kind: BlockKind | None = None
    items: list[Line] = []

    def flush() -> None:
        nonlocal kind, items
        if kind is not None and items:
            blocks.append(Block(kind, tuple(items)))
        kind, items = None, []

    for raw in text.split("\n"):
        if not raw.strip():
            flush()
            continue
        line_kind, content = _line_kind(raw)
        if line_kind != kind:
            flush()
            kind = line_kind
        items.append(runs(content))
    flush()
    return tuple(blocks)


def plain(blocks: tuple[Block, ...]) -> str:
    """The text without formatting marks, one line per line or list entry."""
    return "\n".join("".join(run.text for run in line) for block in blocks for line in block.items)


def _line_html(line: Line) -> str:
    return "".join(
        f"<strong>{escape(run.text)}</strong>" if run.bold else escape(run.text) for run in line
    )


def to_html(blocks: tuple[Block, ...]) -> str:
    """Safe HTML of the blocks: escaped text in ``p``/``ul``/``ol``/``li``/``strong``."""
    parts = []
    for block in blocks:
        if block.kind == "p":
            parts.append("<p>" + "<br>".join(_line_html(line) for line in block.items) + "</p>")
        else:
            entries = "".join(f"<li>{_line_html(line)}</li>" for line in block.items)
            parts.append(f"<{block.kind}>{entries}</{block.kind}>")
    return "".join(parts)
