"""Colours, maturity bands, number formatting and scales shared by every chart."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from cxaudit.rounding import round_half_up

FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"

PALETTE: Mapping[str, str] = {
    # Maturity levels (METHODOLOGY §7.3) and CSAT stars: L* 84, 70, 58, 48, 31.
    "level1": "#fcc5bb",
    "level2": "#ec9648",
    "level3": "#a8892a",
    "level4": "#3f7f3c",
    "level5": "#1d5230",
    # NPS classes (§2): L* 52, 71, 33.
    "detractor": "#cc5a1e",
    "passive": "#a8aeb6",
    "promoter": "#1d4f8c",
    # Series: consultant (circles, solid) and staff (squares, dashed); both >= 4.5:1 on white.
    "series1": "#1f5fa8",
    "series2": "#c2410c",
    "neutral": "#7b8794",
    "text": "#1f2933",
    "muted": "#52606d",
    "grid": "#cbd2d9",
    "axis": "#7b8794",
    "missing": "#9aa5b1",
}

Band = tuple[float, str] | tuple[float, str, str]
"""(upper limit, colour key) or (upper limit, colour key, name) for a chart background."""

MATURITY_BANDS: tuple[Band, ...] = (
    (20, "level1"),
    (40, "level2"),
    (60, "level3"),
    (80, "level4"),
    (100, "level5"),
)
"""The five maturity levels of METHODOLOGY §7.3 (levels include their lower limit)."""

NPS_COLOURS: Mapping[int, str] = {
    score: "detractor" if score <= 6 else "passive" if score <= 8 else "promoter"
    for score in range(11)
}
CSAT_COLOURS: Mapping[int, str] = {stars: f"level{stars}" for stars in range(1, 6)}

BLIND_SPOT = "blind_spot"
HIDDEN_STRENGTH = "hidden_strength"

ValueFormat = Callable[[float], str] | Sequence[str] | None

_TEXT = PALETTE["text"]
_MUTED = PALETTE["muted"]
_CID = "<cid/>"  # replaced by the chart id; escaped caller text can never contain "<"
_PAD = 8.0
_FONT = 12.0
_SMALL = 10.5
_LINE = 1.25  # line height in em


def maturity_bands(names: Sequence[str]) -> tuple[Band, ...]:
    """``MATURITY_BANDS`` with the five (translated) level names, shown with the bands."""
    if len(names) != len(MATURITY_BANDS):
        raise ValueError(f"Expected {len(MATURITY_BANDS)} level names, got {len(names)}")
    return tuple((band[0], band[1], name) for band, name in zip(MATURITY_BANDS, names, strict=True))


# --- numbers and colours ----------------------------------------------------------------


def _clean(value: float | None) -> float | None:
    """A finite float, or None for missing, NaN and infinite values."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _n(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros, never "-0"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _one_decimal(value: float, decimal: str = ".") -> str:
    """One decimal, half away from zero, with a true minus sign and never "-0.0"."""
    text = f"{value:.3g}" if abs(value) >= 1e15 else str(round_half_up(value, 1))
    text = "0.0" if text == "-0.0" else text.replace("-", "\u2212")
    return text.replace(".", decimal)


def _signed(value: float, decimal: str = ".") -> str:
    text = _one_decimal(value, decimal)
    zero = _one_decimal(0.0, decimal)
    return text if text.startswith("\u2212") or text == zero else "+" + text


def _percent(value: float, decimal: str = ".") -> str:
    return _one_decimal(value, decimal) + "%"


def _tick_text(value: float, decimal: str = ".") -> str:
    text = str(int(value)) if float(value).is_integer() else _one_decimal(value, decimal)
    return text.replace("-", "\u2212")


def _formatter(
    value_format: ValueFormat, count: int, decimal: str = "."
) -> Callable[[int, float], str]:
    """Turn ``value_format`` into a function of (index, value)."""
    if value_format is None:
        return lambda _index, value: _one_decimal(value, decimal)
    if callable(value_format):
        format_value = value_format
        return lambda _index, value: str(format_value(value))
    strings = [str(text) for text in value_format]
    if len(strings) != count:
        raise ValueError(f"value_format has {len(strings)} strings for {count} values")
    return lambda index, _value: strings[index]


def _colour(key: str) -> str:
    if key in PALETTE:
        return PALETTE[key]
    if re.fullmatch(r"#[0-9a-fA-F]{6}", key):
        return key.lower()
    raise ValueError(f"Unknown colour {key!r}: use a PALETTE key or #rrggbb")


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _hex(red: float, green: float, blue: float) -> str:
    return "#" + "".join(f"{round(_clamp(c, 0, 255)):02x}" for c in (red, green, blue))


def _tint(colour: str, amount: float = 0.2) -> str:
    """Mix with white; keeps the lightness order of the levels."""
    return _hex(*(255 - (255 - c) * amount for c in _rgb(colour)))


def _shade(colour: str, factor: float = 0.7) -> str:
    return _hex(*(c * factor for c in _rgb(colour)))


def _luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in _rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _text_on(colour: str) -> str:
    """White or dark text, whichever contrasts more with ``colour``."""
    luminance = _luminance(colour)
    on_white = 1.05 / (luminance + 0.05)
    on_dark = (luminance + 0.05) / (_luminance(_TEXT) + 0.05)
    return "#ffffff" if on_white >= on_dark else _TEXT


# --- scales ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scale:
    """Linear map from [low, high] to [start, end], clamping outside values."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        share = (_clamp(value, self.low, self.high) - self.low) / (self.high - self.low)
        return self.start + share * (self.end - self.start)


def _check_range(low: float, high: float) -> tuple[float, float]:
    low, high = float(low), float(high)
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"Invalid scale range {low}..{high}")
    return low, high


def _nice_ticks(low: float, high: float, most: int = 6) -> list[float]:
    raw = (high - low) / most
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if (high - low) / (m * magnitude) <= most)
    first = math.ceil(low / step - 1e-9)
    count = math.floor(high / step + 1e-9) - first
    return [round((first + i) * step, 10) for i in range(count + 1)]


def _band_edges(
    bands: Sequence[Band], low: float, high: float
) -> list[tuple[float, float, str, str]]:
    """(start, end, colour key, label) per band, clipped to [low, high]."""
    edges = []
    start = low
    for band in bands:
        limit, key = float(band[0]), band[1]
        label = band[2] if len(band) > 2 else ""
        end = _clamp(limit, low, high)
        if end > start:
            edges.append((start, end, key, label))
        start = max(start, end)
    return edges
