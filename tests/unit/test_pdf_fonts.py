"""The shipped invoice fonts: coverage, licence, and a reproducible build."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from leadcartel_desktop.pdf.fonts import FONT_DIR, FONT_FILES, can_draw_core, drawable_codepoints

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = (
    "AZaz09 .,;:!?%&@#()[]/-–—‘’“”«»…•·°×÷±"
    "\u00a0\u202f\u2009"
    "€£¥₺₹$¢₽₩₪₫"
    "éèçàüöäßñøåæœ"
    "ĞğİıŞşÇçÖöÜü"
    "ąćęłńśźżčďěňřšťůž"
    "ΑΒΓαβγΩω"
    "АБВабвЖжЯяЁёЇїЄє"
    "№™©®"
)


@pytest.mark.parametrize("name", FONT_FILES.values())
def test_each_shipped_font_covers_the_supported_scripts(name: str) -> None:
    with TTFont(FONT_DIR / name) as font:
        cmap = font.getBestCmap()
        missing = [f"U+{ord(char):04X}" for char in REQUIRED if ord(char) not in cmap]
        assert not missing
        assert cmap[0xFFE5] == cmap[0xA5]  # ja_JP money: fullwidth yen drawn as yen
        assert font["hmtx"][cmap[0x202F]][0] > 0  # a narrow space that takes room


def test_the_glyph_check_uses_both_styles() -> None:
    drawable = drawable_codepoints()
    assert {ord("İ"), 0x202F, ord("₺")} <= drawable
    assert 0x1F600 not in drawable
    assert can_draw_core("é") and can_draw_core("—") and not can_draw_core("ğ")


def test_licence_ships_next_to_the_fonts() -> None:
    text = (FONT_DIR / "LICENSE").read_text(encoding="utf-8")
    assert "Bitstream Vera" in text and "DejaVu" in text


def load_script() -> object:
    spec = importlib.util.spec_from_file_location(
        "make_font_subset", ROOT / "scripts/make_font_subset.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_font_subset", module)
    spec.loader.exec_module(module)
    return module


def test_the_subset_script_reproduces_the_shipped_fonts(tmp_path: Path) -> None:
    script = load_script()
    source = script.SOURCE_DIR  # type: ignore[attr-defined]
    if not (source / "DejaVuSans.ttf").exists():
        pytest.skip("DejaVu fonts (fonts-dejavu-core) are not installed")
    assert script.main(["--target-dir", str(tmp_path)]) == 0  # type: ignore[attr-defined]
    for name in FONT_FILES.values():
        assert (tmp_path / name).read_bytes() == (FONT_DIR / name).read_bytes(), name
