"""Build the invoice fonts: DejaVu Sans subsets for the scripts the PDF renderer supports."""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

SOURCE_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian package fonts-dejavu-core
TARGET_DIR = Path(__file__).resolve().parent.parent / "leadcartel_desktop/resources/fonts"
FONTS = {  # source file -> shipped subset
    "DejaVuSans.ttf": "DejaVuSans-Subset.ttf",
    "DejaVuSans-Bold.ttf": "DejaVuSans-Bold-Subset.ttf",
}

RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x0100, 0x017F),  # Latin Extended-A
    (0x0180, 0x024F),  # Latin Extended-B
    (0x02B0, 0x02FF),  # Spacing modifier letters (ˆ ˇ ˘ ˙ ˚ ˛ ˜ ˝)
    (0x0300, 0x036F),  # Combining diacritical marks
    (0x0370, 0x03FF),  # Greek and Coptic
    (0x0400, 0x052F),  # Cyrillic and Cyrillic Supplement
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese, Welsh)
    (0x2000, 0x206F),  # General punctuation: dashes, quotes, bullets, U+202F, ‰
    (0x20A0, 0x20CF),  # Currency symbols: € ₺ ₹ ₩ ₽ ₴ ₪ ₫ ₱ ...
    (0x2100, 0x214F),  # Letterlike symbols: ℃ № ™ ℮
    (0x2150, 0x218F),  # Number forms: ⅓ ⅔ ⅛
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical operators: − × ÷ ≤ ≥ ≈ ≠ ∞
    (0x2300, 0x23FF),  # Miscellaneous technical: ⌀ ⌘
    (0x25A0, 0x25FF),  # Geometric shapes: ■ □ ▪ ● ○ ◆
    (0x2600, 0x26FF),  # Miscellaneous symbols: ☎ ☐ ☑ ☒ ★
    (0x2700, 0x27BF),  # Dingbats: ✓ ✔ ✗ ✘
    (0xFB00, 0xFB06),  # Latin ligatures ﬁ ﬂ (pasted from PDFs)
    (0xFFFC, 0xFFFD),  # Replacement characters
)
# Characters locales produce that DejaVu has no glyph of its own for: drawn with a look-alike.
ALIASES: dict[int, int] = {0xFFE5: 0x00A5}  # FULLWIDTH YEN SIGN (ja_JP money) -> YEN SIGN
REQUIRED = (0x00A0, 0x202F, 0x2014, 0x20AC, 0x00A3, 0x00A5, 0x20BA, 0x20B9, 0x0130, 0x011F)


def wanted_codepoints(font: TTFont) -> list[int]:
    cmap = font.getBestCmap()
    return sorted(cp for low, high in RANGES for cp in range(low, high + 1) if cp in cmap)


def make_subset(source: Path, target: Path) -> TTFont:
    font = TTFont(source, recalcTimestamp=False)
    options = subset.Options()
    options.hinting = False  # PDF viewers do their own hinting; smaller and faster to embed
    options.layout_features = []  # the renderer does no shaping, so GSUB/GPOS are dead weight
    options.drop_tables += ["FFTM", "GDEF", "GPOS", "GSUB", "MATH", "kern"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep the copyright and licence records
    options.notdef_outline = True
    options.glyph_names = True  # post table names: loading needs no cmap walk to name glyphs
    options.recommended_glyphs = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted_codepoints(font))
    subsetter.subset(font)
    for table in font["cmap"].tables:
        if table.isUnicode():
            for alias, original in ALIASES.items():
                if alias not in table.cmap and original in table.cmap:
                    table.cmap[alias] = table.cmap[original]
    missing = [f"U+{cp:04X}" for cp in REQUIRED if cp not in font.getBestCmap()]
    if missing:
        raise SystemExit(f"{source.name}: the subset lacks {', '.join(missing)}")
    font.save(target)
    return font


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source-dir", type=Path, default=SOURCE_DIR)
    parser.add_argument("--target-dir", type=Path, default=TARGET_DIR)
    args = parser.parse_args(argv)
    args.target_dir.mkdir(parents=True, exist_ok=True)
    for source_name, target_name in FONTS.items():
        source = args.source_dir / source_name
        target = args.target_dir / target_name
        font = make_subset(source, target)
        digest = hashlib.sha256(target.read_bytes()).hexdigest()[:16]
        sys.stdout.write(
            f"{target.name}: {len(font.getGlyphOrder())} glyphs, "
            f"{target.stat().st_size // 1024} KiB, sha256 {digest}\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
