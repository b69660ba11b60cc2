#!/usr/bin/env python3
"""pcf2c.py - convert an X11 PCF bitmap font into a C glyph table.

Why: the boot and STOP screens draw text with a real bitmap font taken from a
Debian font package (xfonts-base), converted at build time, so no glyph
table is ever typed by hand. The PCF reader follows the format as the X.Org
libXfont sources document it: a table of contents, then METRICS, BITMAPS,
BDF_ENCODINGS and ACCELERATORS tables, each with its own byte order, bit
order and row padding.

Usage: pcf2c.py FONT.pcf[.gz] --cell 8x16 --symbol VidFontGlyphs -o out.c
Writes `const unsigned char SYMBOL[256][H]`: one byte per row (the cell is at
most 8 pixels wide), most significant bit leftmost, glyphs placed on the
font's baseline. Code points 0-255 are Latin-1 (= Unicode); a code point the
font lacks gets the font's default glyph, or a blank cell.
"""
import argparse
import gzip
import struct
import sys

PCF_PROPERTIES = 1 << 0
PCF_ACCELERATORS = 1 << 1
PCF_METRICS = 1 << 2
PCF_BITMAPS = 1 << 3
PCF_BDF_ENCODINGS = 1 << 5
PCF_BDF_ACCELERATORS = 1 << 8

PCF_GLYPH_PAD_MASK = 3
PCF_BYTE_MASK = 1 << 2          # set: most significant byte first
PCF_BIT_MASK = 1 << 3           # set: most significant bit first
PCF_SCAN_UNIT_MASK = 3 << 4
PCF_COMPRESSED_METRICS = 0x100
NO_GLYPH = 0xFFFF


class PcfError(Exception):
    pass


class Table:
    """One PCF table: its format word and a cursor over its bytes."""

    def __init__(self, data, offset, size):
        if offset + 4 > len(data):
            raise PcfError("table starts past the end of the file")
        self.data = data
        self.pos = offset
        # Writers round a table's size up in the table of contents; the last
        # table may then claim bytes past the end of the file.
        self.end = min(offset + size, len(data))
        self.format = struct.unpack_from("<I", data, offset)[0]
        self.pos += 4
        self.endian = ">" if self.format & PCF_BYTE_MASK else "<"

    def read(self, fmt):
        fmt = self.endian + fmt
        n = struct.calcsize(fmt)
        if self.pos + n > self.end:
            raise PcfError("read past the end of a table")
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += n
        return values if len(values) > 1 else values[0]


def read_metrics(t, compressed):
    if compressed:
        lsb, rsb, width, asc, desc = (v - 0x80 for v in t.read("5B"))
    else:
        lsb, rsb, width, asc, desc, _attr = t.read("6h")
    return {"lsb": lsb, "rsb": rsb, "width": width, "ascent": asc, "descent": desc}


def read_properties(raw, where):
    """The PROPERTIES table as a dict: XLFD fields (FAMILY_NAME, WEIGHT_NAME,
    SLANT, SPACING, PIXEL_SIZE, ...) as strings or integers."""
    t = Table(raw, *where)
    count = t.read("i")
    if not 0 <= count <= 4096:
        raise PcfError("implausible property count %d" % count)
    entries = [t.read("iBi") for _ in range(count)]
    if count & 3:
        t.pos += 4 - (count & 3)
    string_size = t.read("i")
    strings = raw[t.pos:t.pos + string_size]
    if len(strings) != string_size:
        raise PcfError("property strings run past the end of the table")

    def string_at(offset):
        if not 0 <= offset < len(strings):
            raise PcfError("property string offset out of range")
        end = strings.find(b"\0", offset)
        return strings[offset:end if end >= 0 else len(strings)].decode("latin-1")

    props = {}
    for name_offset, is_string, value in entries:
        props[string_at(name_offset)] = string_at(value) if is_string else value
    return props


def parse_pcf(raw):
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if raw[:4] != b"\x01fcp":
        raise PcfError("not a PCF file (bad magic)")
    (count,) = struct.unpack_from("<I", raw, 4)
    toc = {}
    for i in range(count):
        ttype, _fmt, size, offset = struct.unpack_from("<4I", raw, 8 + 16 * i)
        toc[ttype] = (offset, size)
    for needed in (PCF_METRICS, PCF_BITMAPS, PCF_BDF_ENCODINGS):
        if needed not in toc:
            raise PcfError("font lacks table 0x%x" % needed)

    t = Table(raw, *toc[PCF_METRICS])
    compressed = bool(t.format & PCF_COMPRESSED_METRICS)
    n = t.read("H" if compressed else "I")
    metrics = [read_metrics(t, compressed) for _ in range(n)]

    t = Table(raw, *toc[PCF_BITMAPS])
    nglyphs = t.read("I")
    offsets = [t.read("I") for _ in range(nglyphs)]
    sizes = [t.read("I") for _ in range(4)]
    pad_index = t.format & PCF_GLYPH_PAD_MASK
    data = raw[t.pos:t.pos + sizes[pad_index]]
    pad = 1 << pad_index
    unit = 1 << ((t.format & PCF_SCAN_UNIT_MASK) >> 4)
    msb_bit = bool(t.format & PCF_BIT_MASK)
    msb_byte = bool(t.format & PCF_BYTE_MASK)

    glyphs = []
    for i, m in enumerate(metrics[:nglyphs]):
        w = m["rsb"] - m["lsb"]
        h = m["ascent"] + m["descent"]
        stride = ((w + 7) // 8 + pad - 1) // pad * pad
        start = offsets[i]
        rows = []
        for r in range(h):
            row = bytearray(data[start + r * stride:start + (r + 1) * stride])
            if len(row) != stride:
                raise PcfError("glyph %d bitmap runs past the bitmap table" % i)
            if unit > 1 and msb_byte != msb_bit:
                for u in range(0, stride, unit):
                    row[u:u + unit] = row[u:u + unit][::-1]
            if not msb_bit:
                row = bytearray(int("{:08b}".format(b)[::-1], 2) for b in row)
            bits = int.from_bytes(row, "big") >> (stride * 8 - w) if w > 0 else 0
            rows.append(bits)  # bit (w-1-x) is pixel x
        glyphs.append((m, rows))

    t = Table(raw, *toc[PCF_BDF_ENCODINGS])
    min2, max2, min1, max1, default = t.read("5H")
    encoding = {}
    for b1 in range(min1, max1 + 1):
        for b2 in range(min2, max2 + 1):
            idx = t.read("H")
            if idx != NO_GLYPH and idx < len(glyphs):
                encoding[(b1 << 8) | b2] = idx

    properties = read_properties(raw, toc[PCF_PROPERTIES]) if PCF_PROPERTIES in toc else {}

    accel = toc.get(PCF_BDF_ACCELERATORS) or toc.get(PCF_ACCELERATORS)
    if accel is None:
        raise PcfError("font lacks accelerators (ascent/descent)")
    t = Table(raw, *accel)
    t.read("8B")
    ascent, descent = t.read("ii")
    return {"glyphs": glyphs, "encoding": encoding, "default": default, "ascent": ascent, "descent": descent,
            "properties": properties}


def render_cell(font, code, cw, ch):
    """The glyph for code as ch rows of cw-bit integers, placed on the baseline."""
    idx = font["encoding"].get(code, font["encoding"].get(font["default"]))
    cell = [0] * ch
    if idx is None:
        return cell
    m, rows = font["glyphs"][idx]
    w = m["rsb"] - m["lsb"]
    top = font["ascent"] - m["ascent"]
    for r, bits in enumerate(rows):
        y = top + r
        if not 0 <= y < ch:
            continue
        for x in range(w):
            if bits >> (w - 1 - x) & 1:
                px = m["lsb"] + x
                if 0 <= px < cw:
                    cell[y] |= 1 << (cw - 1 - px)
    return cell


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("font")
    ap.add_argument("--cell", default="8x16")
    ap.add_argument("--symbol", default="VidFontGlyphs")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    cw, ch = (int(v) for v in args.cell.split("x"))
    if not 1 <= cw <= 8:
        sys.exit("pcf2c: cells wider than 8 pixels are not supported by this table format")
    try:
        with open(args.font, "rb") as f:
            font = parse_pcf(f.read())
    except (OSError, PcfError, struct.error) as e:
        sys.exit("pcf2c: %s: %s" % (args.font, e))
    if font["ascent"] + font["descent"] > ch:
        sys.exit("pcf2c: font is %d pixels tall, the cell only %d" % (font["ascent"] + font["descent"], ch))
    lines = [
        "/* Generated by tools/pcf2c.py from %s: do not edit. */" % args.font,
        "/* %dx%d cells, one byte per row, most significant bit leftmost. */" % (cw, ch),
        "const unsigned char %s[256][%d] = {" % (args.symbol, ch),
    ]
    drawn = 0
    for code in range(256):
        cell = render_cell(font, code, cw, ch)
        drawn += any(cell)
        row_bytes = ", ".join("0x%02X" % (v << (8 - cw)) for v in cell)
        lines.append("    /* 0x%02X */ {%s}," % (code, row_bytes))
    lines.append("};")
    if drawn < 95:
        sys.exit("pcf2c: only %d of 256 glyphs have ink: wrong font or a reader bug" % drawn)
    with open(args.output, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
