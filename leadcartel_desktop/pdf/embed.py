"""Per-document TrueType fonts holding only the glyphs used, cut by copying bytes."""

# Why: fpdf2 subsets each embedded font with fontTools at output time; on the shipped
# 2,600-glyph font that pass costs tens of milliseconds per style, mostly decoding tables of
# glyphs the invoice never uses. A font already cut to the used glyphs (plus the parts of
# composite glyphs such as accented letters) is written by fpdf2 exactly as before, at a
# fraction of the cost (see page.py for how fpdf2 is told to skip its own pass).

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import BinaryIO

_ARG_WORDS = 0x0001
_HAVE_SCALE = 0x0008
_MORE_COMPONENTS = 0x0020
_HAVE_XY_SCALE = 0x0040
_HAVE_2X2 = 0x0080
_COPIED_TABLES = (b"OS/2", b"gasp", b"name")


def _tables(data: bytes) -> dict[bytes, bytes]:
    count = struct.unpack_from(">H", data, 4)[0]
    tables = {}
    for index in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        tables[tag] = data[offset : offset + length]
    return tables


def _short_names(table: bytes) -> bytes:
    """The naming table without the long licence texts (ids 0-6 kept, as fontTools would)."""
    version, count, strings_at = struct.unpack_from(">HHH", table, 0)
    if version != 0:
        return table
    records, strings = bytearray(), bytearray()
    kept = 0
    for index in range(count):
        platform, encoding, language, name_id, length, offset = struct.unpack_from(
            ">HHHHHH", table, 6 + 12 * index
        )
        if name_id > 6:
            continue
        text = table[strings_at + offset : strings_at + offset + length]
        records += struct.pack(
            ">HHHHHH", platform, encoding, language, name_id, length, len(strings)
        )
        strings += text
        kept += 1
    return struct.pack(">HHH", 0, kept, 6 + 12 * kept) + records + strings


def _checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def _components(glyph: bytes) -> list[tuple[int, int]]:
    """(byte offset of the glyph index, component glyph id) for each part of a composite."""
    if len(glyph) < 10 or struct.unpack_from(">h", glyph, 0)[0] >= 0:
        return []
    parts, position, flags = [], 10, _MORE_COMPONENTS
    while flags & _MORE_COMPONENTS:
        flags, component = struct.unpack_from(">HH", glyph, position)
        parts.append((position + 2, component))
        position += 4 + (4 if flags & _ARG_WORDS else 2)
        if flags & _HAVE_SCALE:
            position += 2
        elif flags & _HAVE_XY_SCALE:
            position += 4
        elif flags & _HAVE_2X2:
            position += 8
    return parts


@dataclass(frozen=True, slots=True)
class FontProgram:
    """A TrueType font parsed once; `cut` makes per-document fonts from it."""

    tables: Mapping[bytes, bytes]
    glyph_order: tuple[str, ...]
    glyph_ids: Mapping[str, int]
    glyphs: tuple[bytes, ...]
    metrics: tuple[tuple[int, int], ...]
    components: Mapping[int, tuple[tuple[int, int], ...]]
    codes: Mapping[int, tuple[int, ...]]  # glyph id -> the characters that map to it

    @classmethod
    def parse(cls, data: bytes, glyph_order: Iterable[str], cmap: Mapping[int, str]) -> FontProgram:
        tables = _tables(data)
        if b"name" in tables:
            tables[b"name"] = _short_names(tables[b"name"])
        order = tuple(glyph_order)
        count = len(order)
        long_offsets = struct.unpack_from(">h", tables[b"head"], 50)[0] == 1
        if long_offsets:
            loca = struct.unpack_from(f">{count + 1}I", tables[b"loca"])
        else:
            loca = tuple(2 * v for v in struct.unpack_from(f">{count + 1}H", tables[b"loca"]))
        glyf = tables[b"glyf"]
        glyphs = tuple(glyf[loca[gid] : loca[gid + 1]] for gid in range(count))
        long_metrics = struct.unpack_from(">H", tables[b"hhea"], 34)[0]
        hmtx = tables[b"hmtx"]
        metrics = [struct.unpack_from(">Hh", hmtx, 4 * gid) for gid in range(long_metrics)]
        last_advance = metrics[-1][0]
        for gid in range(long_metrics, count):
            lsb = struct.unpack_from(">h", hmtx, 4 * long_metrics + 2 * (gid - long_metrics))[0]
            metrics.append((last_advance, lsb))
        components = {
            gid: tuple(parts) for gid, glyph in enumerate(glyphs) if (parts := _components(glyph))
        }
        ids = {name: gid for gid, name in enumerate(order)}
        codes: dict[int, list[int]] = {}
        for code, name in sorted(cmap.items()):
            if code <= 0xFFFF and name in ids:
                codes.setdefault(ids[name], []).append(code)
        return cls(
            tables=tables,
            glyph_order=order,
            glyph_ids=ids,
            glyphs=glyphs,
            metrics=tuple((int(a), int(b)) for a, b in metrics),
            components=components,
            codes={gid: tuple(found) for gid, found in codes.items()},
        )

    def closure(self, names: Iterable[str]) -> list[int]:
        """Glyph ids to keep: the first four (as fpdf2 asks), the named ones, their parts."""
        wanted = {gid for gid in range(min(4, len(self.glyph_order)))}
        wanted.update(self.glyph_ids[name] for name in names if name in self.glyph_ids)
        pending = list(wanted)
        while pending:
            for _, part in self.components.get(pending.pop(), ()):
                if part not in wanted:
                    wanted.add(part)
                    pending.append(part)
        return sorted(wanted)

    def cut(self, names: Iterable[str]) -> CutFont:
        """A complete TrueType font with only these glyphs (and what they are built from)."""
        kept = self.closure(names)
        new_id = {old: new for new, old in enumerate(kept)}
        glyf, loca = bytearray(), [0]
        for old in kept:
            glyph = bytearray(self.glyphs[old])
            for position, part in self.components.get(old, ()):
                struct.pack_into(">H", glyph, position, new_id[part])
            glyf += glyph + b"\0" * (-len(glyph) % 4)
            loca.append(len(glyf))
        count = len(kept)
        tables = {tag: self.tables[tag] for tag in _COPIED_TABLES if tag in self.tables}
        tables[b"glyf"] = bytes(glyf)
        tables[b"loca"] = struct.pack(f">{count + 1}I", *loca)
        tables[b"hmtx"] = b"".join(struct.pack(">Hh", *self.metrics[old]) for old in kept)
        tables[b"hhea"] = _patch(self.tables[b"hhea"], 34, ">H", count)
        tables[b"maxp"] = _patch(self.tables[b"maxp"], 4, ">H", count)
        head = _patch(self.tables[b"head"], 50, ">h", 1)  # long loca offsets
        tables[b"head"] = _patch(head, 8, ">I", 0)  # checkSumAdjustment, set below
        tables[b"post"] = self._post([self.glyph_order[old] for old in kept])
        tables[b"cmap"] = self._cmap(kept)
        ids = {self.glyph_order[old]: new for old, new in new_id.items()}
        return CutFont(_assemble(tables), ids)

    def _post(self, names: list[str]) -> bytes:
        """Version 2.0: every glyph keeps its name, which is how fpdf2 finds it again."""
        indices, strings, custom = [], bytearray(), 0
        for name in names:
            if name == ".notdef":
                indices.append(0)  # the standard Macintosh name at index 0
                continue
            encoded = name.encode("ascii", "replace")[:255]
            indices.append(258 + custom)
            custom += 1
            strings += bytes([len(encoded)]) + encoded
        header = b"\x00\x02\x00\x00" + self.tables[b"post"][4:32]
        return header + struct.pack(f">H{len(indices)}H", len(indices), *indices) + strings

    def _cmap(self, kept: list[int]) -> bytes:
        """Format 4 (Windows, BMP), one segment per kept character.

        PDF readers find glyphs through the CIDToGIDMap; this only keeps the font well formed.
        """
        pairs = sorted(
            (code, new) for new, old in enumerate(kept) for code in self.codes.get(old, ())
        )
        pairs.append((0xFFFF, 0))
        count = len(pairs)
        power = 1 << (count.bit_length() - 1)
        ends = [code for code, _ in pairs]
        deltas = [(glyph - code) % 0x10000 if code != 0xFFFF else 1 for code, glyph in pairs]
        subtable = struct.pack(
            f">HHHHHHH{count}HH{count}H{count}H{count}H",
            4, 16 + 8 * count, 0, 2 * count, 2 * power, power.bit_length() - 1,
            2 * count - 2 * power, *ends, 0, *ends, *deltas, *([0] * count),
        )  # fmt: skip
        return struct.pack(">HHHHI", 0, 1, 3, 1, 12) + subtable


class CutFont:
    """A cut font as fpdf2's writer uses it: glyph ids by name, and bytes to embed."""

    def __init__(self, data: bytes, glyph_ids: Mapping[str, int]) -> None:
        self.data = data
        self.glyph_ids = dict(glyph_ids)

    def getGlyphID(self, name: str) -> int:  # noqa: N802 - the fontTools name fpdf2 calls
        return self.glyph_ids[name]

    def save(self, stream: BinaryIO) -> None:
        stream.write(self.data)

    def close(self) -> None:
        """Nothing to release; fpdf2 closes every font once it is written."""

    def __contains__(self, tag: object) -> bool:
        return False  # fpdf2 only asks about CFF tables, which a TrueType font has none of


def _patch(table: bytes, offset: int, layout: str, value: int) -> bytes:
    patched = bytearray(table)
    struct.pack_into(layout, patched, offset, value)
    return bytes(patched)


def _assemble(tables: dict[bytes, bytes]) -> bytes:
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(
        ">IHHHH", 0x00010000, count, power * 16, power.bit_length() - 1, count * 16 - power * 16
    )
    directory, body = bytearray(), bytearray()
    offset = 12 + 16 * count
    head_offset = 0
    for tag in tags:
        data = tables[tag]
        if tag == b"head":
            head_offset = offset + len(body)
        directory += struct.pack(">4sIII", tag, _checksum(data), offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    font = bytearray(header + directory + body)
    adjustment = (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF
    struct.pack_into(">I", font, head_offset + 8, adjustment)
    return bytes(font)
