"""The shipped theme: a light and a dark variant whose text and accents stay readable (WCAG AA contrast)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"


def luminance(colour: str) -> float:
    """Relative luminance of an sRGB colour (WCAG 2.x)."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("variant", ["light", "dark"])
def test_theme_variant_is_readable(variant):
    theme = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["theme"][variant]
    for background in (theme["backgroundColor"], theme["secondaryBackgroundColor"]):
        assert contrast(theme["textColor"], background) >= 7  # body text: AAA
        assert contrast(theme["primaryColor"], background) >= 4.5
        assert contrast(theme["linkColor"], background) >= 4.5


def test_contrast_formula_on_known_pairs():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
