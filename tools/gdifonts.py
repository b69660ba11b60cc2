#!/usr/bin/env python3
"""gdifonts.py - turn the GDI engine's face list into a C face table.

Why: Win32 programs ask for fonts by LOGFONT and expect raster-font
behaviour: each character a cell as wide as its advance and as tall as the
font, ink never outside its cell, so GetTextExtentPoint32 is a plain sum of
advances. Daytona's faces are X11 bitmap fonts from Debian packages, whose
glyphs may overhang their advance or rise above the font's ascent (accented
capitals). This converter reads each font with tools/pcf2c.py's PCF reader
and reshapes it into Windows' cell model:

  - vertically, the cell grows to hold every glyph of 0x20-0xFF (ascent and
    descent are the maxima), and the internal leading is what the cell has
    above the em (the XLFD PIXEL_SIZE);
  - horizontally, a glyph whose ink overhangs its advance (a 'j' reaching
    left of the origin, an oblique letter leaning past its right edge) is
    moved by the overhang into its cell, so advances - the font's spacing -
    stay as designed; only ink wider than the advance is a problem, and
    then a proportional glyph's cell is widened to the ink, while a
    fixed-pitch face keeps its pitch and loses the excess columns at the
    cell's right edge (counted, and reported in the generated file);
  - a fixed-pitch face's glyphs all get its one advance, even the odd
    glyph whose own metrics disagree;
  - code points the font lacks (0x7F-0x9F in ISO 8859-1 fonts) get the
    default character's cell.

Usage: gdifonts.py --list subsys/gdi/fontlist.txt --fonts /usr/share/fonts/X11
                   -o build/gen/gdifonts.c --header build/gen/gdifonts.h
The output is deterministic: the same fonts give byte-identical files.
"""
import argparse
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pcf2c  # noqa: E402  (the one PCF reader; see pcf2c.parse_pcf)

FIRST_CHAR = 0x20
LAST_CHAR = 0xFF
BREAK_CHAR = 0x20
FALLBACK_DEFAULT_CHAR = 0x3F  # '?', when the font names no default of its own

FAMILIES = {"dontcare": 0x00, "roman": 0x10, "swiss": 0x20, "modern": 0x30, "script": 0x40, "decorative": 0x50}
CHARSETS = {"ansi": 0, "oem": 255}
STOCK = {"OEM_FIXED_FONT": 10, "ANSI_FIXED_FONT": 11, "ANSI_VAR_FONT": 12, "SYSTEM_FONT": 13,
         "DEVICE_DEFAULT_FONT": 14, "SYSTEM_FIXED_FONT": 16}
STOCK_LIMIT = 17
FIXED_PITCH, VARIABLE_PITCH = 0x01, 0x02
WEIGHTS = {"thin": 100, "extralight": 200, "light": 300, "book": 400, "regular": 400, "medium": 400,
           "normal": 400, "demibold": 600, "semibold": 600, "bold": 700, "extrabold": 800, "black": 900,
           "heavy": 900}


class FontListError(Exception):
    pass


def read_list(path):
    """The face list: (face, family, charset, [stock numbers], file) per entry."""
    entries = []
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = line.split()
            if len(fields) != 5:
                raise FontListError("%s:%d: expected 5 fields, got %d" % (path, lineno, len(fields)))
            face, family, charset, stock, fontfile = fields
            if family not in FAMILIES:
                raise FontListError("%s:%d: unknown family %r" % (path, lineno, family))
            if charset not in CHARSETS:
                raise FontListError("%s:%d: unknown charset %r" % (path, lineno, charset))
            if len(face) >= 32 or not face.isascii():
                raise FontListError("%s:%d: face name must be ASCII and under 32 characters" % (path, lineno))
            stocks = []
            if stock != "-":
                for s in stock.split(","):
                    if s not in STOCK:
                        raise FontListError("%s:%d: unknown stock font %r" % (path, lineno, s))
                    stocks.append(STOCK[s])
            entries.append((face, FAMILIES[family], CHARSETS[charset], stocks, fontfile))
    if not entries:
        raise FontListError("%s: no faces" % path)
    return entries


def glyph_pixels(m, rows):
    """The glyph's ink as (x, y) pairs: x from the pen origin, y up from the baseline
    (y = ascent - 1 is the top row)."""
    w = m["rsb"] - m["lsb"]
    pixels = []
    for r, bits in enumerate(rows):
        for x in range(w):
            if bits >> (w - 1 - x) & 1:
                pixels.append((m["lsb"] + x, m["ascent"] - 1 - r))
    return pixels


def convert(font, fixed):
    """Reshapes one parsed PCF font into cells. Returns the metrics and, per
    code point FIRST_CHAR..LAST_CHAR, (advance, [(x, row)...]) with row
    counted down from the cell top; and how many pixels were cut off."""
    present = {}
    for code in range(FIRST_CHAR, LAST_CHAR + 1):
        idx = font["encoding"].get(code)
        if idx is not None:
            present[code] = font["glyphs"][idx]
    if len(present) < 95:
        raise FontListError("only %d of the characters 0x20-0xFF are present" % len(present))
    ascent = max([font["ascent"]] + [m["ascent"] for m, _ in present.values()])
    descent = max([font["descent"]] + [m["descent"] for m, _ in present.values()])
    # A fixed-pitch face has one advance; a stray glyph that says otherwise
    # (courR08's quotes) is a font bug and gets the common one.
    widths = [m["width"] for m, _ in present.values()]
    pitch = max(set(widths), key=lambda w: (widths.count(w), -w))
    cells = {}
    cut = 0
    for code, (m, rows) in present.items():
        pixels = glyph_pixels(m, rows)
        advance = pitch if fixed else m["width"]
        shift = 0
        if pixels:
            lo = min(x for x, _ in pixels)
            hi = max(x for x, _ in pixels) + 1
            if hi - lo > advance and not fixed:
                advance = hi - lo  # ink wider than the advance: widen the cell
            if lo < 0 or hi > advance:
                # Move the ink the least distance that keeps the most of it
                # (all of it, unless a fixed-pitch glyph is wider than its cell).
                shifts = range(min(0, advance - hi), max(0, -lo) + 1)
                shift = max(shifts, key=lambda d: (sum(0 <= x + d < advance for x, _ in pixels), -abs(d)))
        kept = []
        for x, y in pixels:
            x += shift
            if 0 <= x < advance:
                kept.append((x, ascent - 1 - y))
            else:
                cut += 1
        if not 0 <= advance < 256:
            raise FontListError("advance %d of U+%04X does not fit a byte" % (advance, code))
        cells[code] = (advance, kept)
    return ascent, descent, cells, cut


def pack_cell(kept):
    """(InkLeft, InkWidth, InkTop, InkHeight, bytes) for a cell's ink."""
    if not kept:
        return 0, 0, 0, 0, b""
    left = min(x for x, _ in kept)
    top = min(y for _, y in kept)
    width = max(x for x, _ in kept) - left + 1
    height = max(y for _, y in kept) - top + 1
    stride = (width + 7) // 8
    rows = [bytearray(stride) for _ in range(height)]
    for x, y in kept:
        cx = x - left
        rows[y - top][cx // 8] |= 0x80 >> (cx % 8)
    return left, width, top, height, b"".join(bytes(r) for r in rows)


def load_face(fonts_dir, fontfile, cache):
    """Parses and converts a font file once, however many entries use it."""
    if fontfile in cache:
        return cache[fontfile]
    path = os.path.join(fonts_dir, fontfile)
    try:
        with open(path, "rb") as f:
            font = pcf2c.parse_pcf(f.read())
    except (OSError, pcf2c.PcfError, struct.error) as e:
        raise FontListError("%s: %s" % (path, e))
    props = font["properties"]
    spacing = str(props.get("SPACING", "P")).upper()
    slant = str(props.get("SLANT", "R")).upper()
    weight_name = str(props.get("WEIGHT_NAME", "Medium")).lower().replace(" ", "").replace("-", "")
    fixed = spacing in ("M", "C")
    slanted = slant in ("I", "O")
    try:
        ascent, descent, cells, cut = convert(font, fixed)
    except FontListError as e:
        raise FontListError("%s: %s" % (path, e))
    height = ascent + descent
    pixel_size = props.get("PIXEL_SIZE")
    if not isinstance(pixel_size, int) or pixel_size <= 0:
        pixel_size = height
    default = font["default"]
    if not (FIRST_CHAR <= default <= LAST_CHAR and default in cells and cells[default][1]):
        default = FALLBACK_DEFAULT_CHAR
    if default not in cells:
        raise FontListError("%s: has no default character" % path)

    bits = bytearray()
    packed = {}
    glyphs = []
    for code in range(FIRST_CHAR, LAST_CHAR + 1):
        source = code if code in cells else default
        if source not in packed:
            left, width, top, rows, data = pack_cell(cells[source][1])
            if len(bits) + len(data) > 0xFFFF:
                raise FontListError("%s: glyph bitmaps exceed 64 KB" % path)
            packed[source] = (cells[source][0], left, width, top, rows, len(bits) if data else 0)
            bits += data
        glyphs.append(packed[source])
    advances = [g[0] for g in glyphs]
    if fixed and len(set(advances)) != 1:
        raise FontListError("%s: claims fixed pitch but has advances %s" % (path, sorted(set(advances))))
    face = {
        "file": fontfile,
        "height": height,
        "ascent": ascent,
        "descent": descent,
        "internal_leading": max(0, height - pixel_size),
        "ave": cells[ord("x")][0] if ord("x") in cells else advances[ord("x") - FIRST_CHAR],
        "max": max(advances),
        "weight": WEIGHTS.get(weight_name, 400),
        "italic": 1 if slanted else 0,
        "pitch": FIXED_PITCH if fixed else VARIABLE_PITCH,
        "default": default,
        "glyphs": glyphs,
        "bits": bytes(bits),
        "cut": cut,
    }
    cache[fontfile] = face
    return face


def c_ident(fontfile):
    base = os.path.basename(fontfile).split(".")[0]
    return "".join(ch if ch.isalnum() else "_" for ch in base)


def generate(entries, fonts_dir, header_name):
    cache = {}
    faces = [load_face(fonts_dir, e[4], cache) for e in entries]
    out = [
        "/* Generated by tools/gdifonts.py from subsys/gdi/fontlist.txt and the fonts in %s:"
        " do not edit. */" % fonts_dir,
        '#include "%s"' % header_name,
        "",
    ]
    names = {}
    for fontfile, face in cache.items():
        ident = c_ident(fontfile)
        while ident in names.values():
            ident += "_"
        names[fontfile] = ident
        out.append("/* %s: %d glyph records, %d bytes of ink%s */" % (
            fontfile, len(face["glyphs"]), len(face["bits"]),
            ", %d overhanging pixels cut" % face["cut"] if face["cut"] else ""))
        data = face["bits"] or b"\0"
        out.append("static const uint8_t Bits_%s[%d] = {" % (ident, len(data)))
        for i in range(0, len(data), 16):
            out.append("    " + ", ".join("0x%02X" % b for b in data[i:i + 16]) + ",")
        out.append("};")
        out.append("static const GDI_GLYPH Glyphs_%s[%d] = {" % (ident, len(face["glyphs"])))
        for code, g in enumerate(face["glyphs"], FIRST_CHAR):
            out.append("    {%d, %d, %d, %d, %d, 0, %d}, /* 0x%02X */" % (g + (code,)))
        out.append("};")
        out.append("")

    out.append("const GDI_FONT GdiFontTable[GDI_FONT_COUNT] = {")
    for (name, family, charset, _stocks, fontfile), face in zip(entries, faces):
        ident = names[fontfile]
        out += [
            "    {",
            '        .FaceName = "%s",' % name,
            "        .Height = %d, .Ascent = %d, .Descent = %d," % (face["height"], face["ascent"], face["descent"]),
            "        .InternalLeading = %d, .ExternalLeading = 0," % face["internal_leading"],
            "        .AveCharWidth = %d, .MaxCharWidth = %d, .Weight = %d," % (face["ave"], face["max"],
                                                                               face["weight"]),
            "        .Italic = %d, .PitchAndFamily = 0x%02X, .CharSet = %d," % (face["italic"],
                                                                                face["pitch"] | family, charset),
            "        .FirstChar = 0x%02X, .LastChar = 0x%02X, .DefaultChar = 0x%02X, .BreakChar = 0x%02X," % (
                FIRST_CHAR, LAST_CHAR, face["default"], BREAK_CHAR),
            "        .Glyphs = Glyphs_%s, .Bits = Bits_%s," % (ident, ident),
            '        .Source = "%s",' % fontfile,
            "    },",
        ]
    out.append("};")
    out.append("")
    stock_index = [-1] * STOCK_LIMIT
    for i, entry in enumerate(entries):
        for s in entry[3]:
            if stock_index[s] != -1:
                raise FontListError("stock font %d is listed twice" % s)
            stock_index[s] = i
    missing = [k for k, v in STOCK.items() if stock_index[v] == -1]
    if missing:
        raise FontListError("no entry for the stock fonts %s" % ", ".join(missing))
    out.append("const int16_t GdiFontStockIndex[GDI_STOCK_FONT_LIMIT] = {%s};" %
               ", ".join(str(v) for v in stock_index))
    return "\n".join(out) + "\n", faces


def header_text(count):
    return "\n".join([
        "/* Generated by tools/gdifonts.py: do not edit. */",
        "/* The face table font.c matches against (types in subsys/gdi/font.h). */",
        "#ifndef GDI_GDIFONTS_H",
        "#define GDI_GDIFONTS_H",
        '#include "font.h"',
        "#define GDI_FONT_COUNT %du" % count,
        "extern const GDI_FONT GdiFontTable[GDI_FONT_COUNT];",
        "/* Entry of each GetStockObject font, by stock object number; -1 for none. */",
        "extern const int16_t GdiFontStockIndex[GDI_STOCK_FONT_LIMIT];",
        "#endif",
    ]) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", required=True)
    ap.add_argument("--fonts", default="/usr/share/fonts/X11")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--header", required=True)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    try:
        entries = read_list(args.list)
        source, faces = generate(entries, args.fonts, os.path.basename(args.header))
    except (OSError, FontListError) as e:
        sys.exit("gdifonts: %s" % e)
    if args.verbose:
        for (name, *_rest), face in zip(entries, faces):
            print("%-10s %-36s h=%2d a=%2d d=%2d il=%d ave=%2d max=%2d w=%d i=%d" % (
                name, face["file"], face["height"], face["ascent"], face["descent"], face["internal_leading"],
                face["ave"], face["max"], face["weight"], face["italic"]))
    with open(args.header, "w") as f:
        f.write(header_text(len(entries)))
    with open(args.output, "w") as f:
        f.write(source)


if __name__ == "__main__":
    main()
