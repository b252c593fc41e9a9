"""The brand kit: colour checks, readable text on a colour, and the logo's bytes checked."""

import io
import struct
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from cxaudit import brandkit

colours = st.integers(min_value=0, max_value=0xFFFFFF).map(lambda n: f"#{n:06x}")


def image(fmt="PNG", size=(120, 40), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "#336699" if mode == "RGB" else 0).save(buffer, format=fmt)
    return buffer.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    return struct.pack(">I", len(body)) + kind + body + crc


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims these dimensions, with an empty pixel stream: decoding it
    would fail, so a refusal for its size shows that nothing was decoded."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", b"") + _chunk(b"IEND", b"")
    )


# --------------------------------------------------------------------------- colours


@pytest.mark.parametrize("value", ["#1f4e79", "#FFFFFF", "#000000", "#aBc123"])
def test_six_hex_digits_after_a_hash_are_a_colour(value):
    assert brandkit.colour_valid(value)
    assert brandkit.colour_normalise(value) == value.lower()


@pytest.mark.parametrize(
    "value",
    ["", "1f4e79", "#1f4e7", "#1f4e799", "#ggg000", "red", "#1f4e79\n", " #1f4e79", "#1f4e79;"],
)
def test_anything_else_is_not_a_colour(value):
    assert not brandkit.colour_valid(value)
    with pytest.raises(ValueError):
        brandkit.colour_normalise(value)


def test_known_contrast_ratios():
    assert brandkit.contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert brandkit.contrast_ratio("#777777", "#777777") == pytest.approx(1)
    assert brandkit.luminance("#ffffff") == pytest.approx(1)
    assert brandkit.luminance("#000000") == 0


@given(colours, colours)
def test_contrast_lies_between_1_and_21_and_is_symmetric(first, second):
    ratio = brandkit.contrast_ratio(first, second)
    assert 1 <= ratio <= 21 + 1e-9
    assert ratio == pytest.approx(brandkit.contrast_ratio(second, first))


@given(colours)
def test_the_text_colour_is_the_one_that_reads_better(background):
    chosen = brandkit.text_on(background)
    other = brandkit.DARK_TEXT if chosen == brandkit.LIGHT_TEXT else brandkit.LIGHT_TEXT
    assert chosen in (brandkit.LIGHT_TEXT, brandkit.DARK_TEXT)
    assert brandkit.contrast_ratio(background, chosen) >= brandkit.contrast_ratio(background, other)


def test_dark_and_light_backgrounds_get_white_and_dark_text():
    assert brandkit.text_on(brandkit.DEFAULT_PRIMARY) == brandkit.LIGHT_TEXT
    assert brandkit.text_on("#ffee88") == brandkit.DARK_TEXT


# --------------------------------------------------------------------------- logos


def test_a_png_passes_with_its_type_and_size():
    info = brandkit.logo_check(image("PNG", (300, 100)))
    assert info == brandkit.LogoInfo("image/png", ".png", 300, 100)


def test_a_jpeg_passes_with_its_type_and_size():
    info = brandkit.logo_check(image("JPEG", (64, 64)))
    assert info == brandkit.LogoInfo("image/jpeg", ".jpg", 64, 64)


def test_a_png_with_transparency_passes():
    assert brandkit.logo_check(image("PNG", (50, 50), mode="RGBA")).content_type == "image/png"


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (SVG, "type"),
        (b'<?xml version="1.0"?>' + SVG, "type"),
        (HTML, "type"),
        (image("GIF"), "type"),
        (image("BMP"), "type"),
        (image("WEBP"), "type"),
        (b"%PDF-1.7 not a logo", "type"),
        (b"\x89PNG\r\n\x1a\n" + HTML, "broken"),  # a PNG signature in front of markup
        (b"\xff\xd8\xff" + b"\x00" * 100, "broken"),
        (image("PNG", (300, 100))[:200], "broken"),  # cut short
        (png_header_only(4001, 1000), "too_big"),
        (png_header_only(1000, 4001), "too_big"),
        (png_header_only(300, 100), "broken"),  # sane header, no pixels
        (png_header_only(100_000, 100_000), "too_big"),  # refused before any decoding
        (image("PNG", (15, 40)), "too_small"),
        (image("PNG", (1100, 100)), "shape"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (brandkit.LOGO_MAX_BYTES), "too_large"),
    ],
)
def test_anything_but_a_whole_sane_png_or_jpeg_is_refused(data, problem):
    with pytest.raises(brandkit.LogoRefused) as refused:
        brandkit.logo_check(data)
    assert refused.value.problem == problem


def test_the_biggest_accepted_sides_pass():
    side = brandkit.LOGO_MAX_SIDE
    info = brandkit.logo_check(image("PNG", (side, side // 10)))
    assert (info.width, info.height) == (side, side // 10)


def test_cut_or_empty_images_are_refused_even_when_pillow_would_fill_them(monkeypatch):
    """WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES, so decoding alone would pass these."""
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    whole_png, whole_jpeg = image("PNG", (300, 100)), image("JPEG", (300, 100))
    for data in (
        whole_png[:-30],
        whole_png[:200],
        png_header_only(300, 100),
        whole_jpeg[:-40],
        whole_jpeg[: len(whole_jpeg) // 2],
    ):
        with pytest.raises(brandkit.LogoRefused) as refused:
            brandkit.logo_check(data)
        assert refused.value.problem == "broken"
    assert brandkit.logo_check(whole_png).width == 300
    assert brandkit.logo_check(whole_jpeg + b"\x00\x00").width == 300


def test_a_png_with_a_wrong_checksum_is_refused():
    data = bytearray(image("PNG", (40, 40)))
    data[-20] ^= 0xFF  # inside the last IDAT chunk
    with pytest.raises(brandkit.LogoRefused):
        brandkit.logo_check(bytes(data))


def test_png_completeness_of_odd_chunk_streams():
    assert not brandkit.png_complete(b"\x89PNG\r\n\x1a\n")
    assert not brandkit.png_complete(png_header_only(10, 10)[:-12])  # no IEND
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    bad_stream = _chunk(b"IDAT", b"not zlib at all")
    assert not brandkit.png_complete(
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + bad_stream + _chunk(b"IEND", b"")
    )
    good = _chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    assert brandkit.png_complete(
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + good + _chunk(b"IEND", b"")
    )
