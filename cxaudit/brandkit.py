"""A consultancy's brand, the parts that need no Django: is a colour a ``#rrggbb`` value,
which text colour reads on it (WCAG contrast), and is an uploaded logo a real PNG or JPEG
of a sane size.

The logo's type is decided from its bytes, never its name: only PNG and JPEG pass (SVG can
carry script, GIF and anything else is refused), and the image is decoded in full, so a
file that merely starts like a PNG is refused too.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from dataclasses import dataclass
from typing import Literal

from PIL import Image

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
DEFAULT_PRIMARY = "#1f4e79"
DEFAULT_ACCENT = "#cfe0f1"
LIGHT_TEXT = "#ffffff"
DARK_TEXT = "#1f2933"

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MIN_SIDE = 16
LOGO_MAX_SIDE = 4000
LOGO_MAX_RATIO = 10  # a logo wider than ten times its height (or the reverse) is a banner

# Signature -> (content type, file extension, Pillow format name).
LOGO_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png", "PNG"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg", "JPEG"),
}

LogoProblem = Literal["empty", "too_large", "type", "broken", "too_small", "too_big", "shape"]


class LogoRefused(ValueError):
    """The upload is not an acceptable logo; ``problem`` says why (the caller words it)."""

    def __init__(self, problem: LogoProblem) -> None:
        super().__init__(problem)
        self.problem: LogoProblem = problem


@dataclass(frozen=True)
class LogoInfo:
    content_type: str
    extension: str
    width: int
    height: int


def colour_valid(value: str) -> bool:
    """Whether ``value`` is exactly ``#rrggbb`` (hex digits, either case)."""
    return HEX_COLOUR.fullmatch(value) is not None


def colour_normalise(value: str) -> str:
    """``#RRGGBB`` as ``#rrggbb``; anything else raises ``ValueError``."""
    if not colour_valid(value):
        raise ValueError(value)
    return value.lower()


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.x) of a ``#rrggbb`` colour, 0 (black) to 1 (white)."""
    value = colour_normalise(colour)
    r, g, b = (int(value[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_on(background: str) -> str:
    """The text colour (white or near-black) that reads better on ``background``."""
    light = contrast_ratio(background, LIGHT_TEXT)
    dark = contrast_ratio(background, DARK_TEXT)
    return LIGHT_TEXT if light >= dark else DARK_TEXT


def png_complete(data: bytes) -> bool:
    """Whether a PNG's chunks are all there with correct checksums, up to IEND, and its
    compressed pixel stream is whole. Checked here rather than left to the decoder, which
    fills a cut image with grey when a library (WeasyPrint does) sets Pillow's
    ``LOAD_TRUNCATED_IMAGES``."""
    position, pixels = 8, zlib.decompressobj()
    while position + 12 <= len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        end = position + 8 + length
        if end + 4 > len(data):
            return False
        body = data[position + 8 : end]
        (crc,) = struct.unpack(">I", data[end : end + 4])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            return False
        if kind == b"IDAT":
            try:
                while body and not pixels.eof:  # output is bounded and thrown away
                    pixels.decompress(body, 1 << 20)
                    body = pixels.unconsumed_tail
            except zlib.error:
                return False
        if kind == b"IEND":
            return pixels.eof
        position = end + 4
    return False


def jpeg_complete(data: bytes) -> bool:
    """Whether a JPEG ends with its end-of-image marker (some writers pad after it)."""
    return data.rstrip(b"\x00\r\n ").endswith(b"\xff\xd9")


def logo_check(data: bytes) -> LogoInfo:
    """The logo's type and size when ``data`` is a whole PNG or JPEG of sane dimensions;
    otherwise ``LogoRefused``. Dimensions are read from the header before anything is
    decoded, so a huge image is refused without its pixels ever being unpacked."""
    if not data:
        raise LogoRefused("empty")
    if len(data) > LOGO_MAX_BYTES:
        raise LogoRefused("too_large")
    kind = next((k for sig, k in LOGO_SIGNATURES.items() if data.startswith(sig)), None)
    if kind is None:
        raise LogoRefused("type")
    content_type, extension, pillow_format = kind
    try:
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
            width, height = image.size
            if width > LOGO_MAX_SIDE or height > LOGO_MAX_SIDE:
                raise LogoRefused("too_big")
            if width < LOGO_MIN_SIDE or height < LOGO_MIN_SIDE:
                raise LogoRefused("too_small")
            if max(width, height) > LOGO_MAX_RATIO * min(width, height):
                raise LogoRefused("shape")
            complete = png_complete if pillow_format == "PNG" else jpeg_complete
            if not complete(data):
                raise LogoRefused("broken")
            image.load()  # decodes every pixel: a corrupt file fails here
    except LogoRefused:
        raise
    except Image.DecompressionBombError as error:  # Pillow's own limit, far above ours
        raise LogoRefused("too_big") from error
    except (OSError, SyntaxError, ValueError) as error:
        raise LogoRefused("broken") from error
    return LogoInfo(content_type=content_type, extension=extension, width=width, height=height)
