/*
 * font.h - bitmap fonts, text metrics and text layout for the GDI engine
 * (font.c, with the face table generated into build/gen/gdifonts.c).
 *
 * Why: NT 3.51's screen fonts were bitmap fonts (.FON files: System,
 * Fixedsys, Terminal, MS Sans Serif, ...). Daytona has no .FON files; its
 * faces are X11 bitmap fonts from Debian packages (xfonts-base,
 * xfonts-75dpi), converted at build time by tools/gdifonts.py into the
 * same shape a Windows raster font has: every character is a cell whose
 * width is its advance and whose height is the font's height, and no ink
 * leaves its cell. That shape is what makes GetTextExtentPoint32 the plain
 * sum of advances and TextOut's advance equal to it.
 *
 * This module owns no objects and allocates nothing: a realized font is a
 * pointer to a constant table entry (GDI_FONT). The API layer (gdi32 / the
 * NtGdi* services) keeps the LOGFONT, asks FontMatch for the entry, and
 * turns the spans and layout items produced here into pixels, applying the
 * DC's clip region, text colour, background mode and ROP.
 *
 * Everything here is integer-only and freestanding (the kernel host builds
 * with -mgeneral-regs-only). Text is UTF-16 (uint16_t code units); a code
 * unit outside a face's [FirstChar, LastChar] draws the face's DefaultChar.
 * The numeric values of the GDI_TA_*, GDI_DT_*, GDI_STOCK_* and LOGFONT
 * constants below are Win32's own, so the API layer passes them through.
 */
#ifndef GDI_FONT_H
#define GDI_FONT_H

#include <stddef.h>
#include <stdint.h>

#include "gdikernel.h"

/* ---- Win32 constants this module interprets (values are Win32's) ---- */

/* SetTextAlign */
#define GDI_TA_UPDATECP 0x0001u
#define GDI_TA_LEFT 0x0000u
#define GDI_TA_RIGHT 0x0002u
#define GDI_TA_CENTER 0x0006u
#define GDI_TA_TOP 0x0000u
#define GDI_TA_BOTTOM 0x0008u
#define GDI_TA_BASELINE 0x0018u
#define GDI_TA_HORZ_MASK 0x0006u
#define GDI_TA_VERT_MASK 0x0018u

/* ExtTextOut options the API layer handles with FontTextBox's rectangle */
#define GDI_ETO_OPAQUE 0x0002u
#define GDI_ETO_CLIPPED 0x0004u

/* DrawText formats */
#define GDI_DT_LEFT 0x00000000u
#define GDI_DT_CENTER 0x00000001u
#define GDI_DT_RIGHT 0x00000002u
#define GDI_DT_TOP 0x00000000u
#define GDI_DT_VCENTER 0x00000004u
#define GDI_DT_BOTTOM 0x00000008u
#define GDI_DT_WORDBREAK 0x00000010u
#define GDI_DT_SINGLELINE 0x00000020u
#define GDI_DT_EXPANDTABS 0x00000040u
#define GDI_DT_TABSTOP 0x00000080u /* bits 8-15 then hold the tab size in characters */
#define GDI_DT_NOCLIP 0x00000100u
#define GDI_DT_EXTERNALLEADING 0x00000200u
#define GDI_DT_CALCRECT 0x00000400u
#define GDI_DT_NOPREFIX 0x00000800u
#define GDI_DT_END_ELLIPSIS 0x00008000u

/* GetStockObject numbers of the stock fonts */
#define GDI_STOCK_OEM_FIXED_FONT 10u
#define GDI_STOCK_ANSI_FIXED_FONT 11u
#define GDI_STOCK_ANSI_VAR_FONT 12u
#define GDI_STOCK_SYSTEM_FONT 13u
#define GDI_STOCK_DEVICE_DEFAULT_FONT 14u
#define GDI_STOCK_SYSTEM_FIXED_FONT 16u
#define GDI_STOCK_FONT_LIMIT 17u /* GdiFontStockIndex has this many entries */

/* LOGFONT lfPitchAndFamily: pitch in bits 0-1, family in bits 4-7 */
#define GDI_DEFAULT_PITCH 0x00u
#define GDI_FIXED_PITCH 0x01u
#define GDI_VARIABLE_PITCH 0x02u
#define GDI_PITCH_MASK 0x03u
#define GDI_FF_DONTCARE 0x00u
#define GDI_FF_ROMAN 0x10u
#define GDI_FF_SWISS 0x20u
#define GDI_FF_MODERN 0x30u
#define GDI_FF_SCRIPT 0x40u
#define GDI_FF_DECORATIVE 0x50u
#define GDI_FAMILY_MASK 0xF0u

/* TEXTMETRIC tmPitchAndFamily: note the inverted sense of the pitch bit */
#define GDI_TMPF_FIXED_PITCH 0x01u /* set: the font is VARIABLE pitch */

/* lfCharSet */
#define GDI_ANSI_CHARSET 0u
#define GDI_DEFAULT_CHARSET 1u
#define GDI_OEM_CHARSET 255u

#define GDI_FW_DONTCARE 0
#define GDI_FW_NORMAL 400
#define GDI_FW_BOLD 700

#define GDI_LF_FACESIZE 32u

/* ---- Win32 structures, with Win32's layout ---- */

/* LOGFONTW (92 bytes). */
typedef struct _GDI_LOGFONTW {
    int32_t lfHeight; /* > 0 cell height, < 0 character height, 0 default */
    int32_t lfWidth;  /* average character width wanted; 0 = any */
    int32_t lfEscapement;
    int32_t lfOrientation;
    int32_t lfWeight; /* 0 = don't care, 400 normal, 700 bold */
    uint8_t lfItalic;
    uint8_t lfUnderline;
    uint8_t lfStrikeOut;
    uint8_t lfCharSet;
    uint8_t lfOutPrecision;
    uint8_t lfClipPrecision;
    uint8_t lfQuality;
    uint8_t lfPitchAndFamily;
    uint16_t lfFaceName[GDI_LF_FACESIZE]; /* NUL-terminated unless all 32 are used */
} GDI_LOGFONTW;
_Static_assert(sizeof(GDI_LOGFONTW) == 92, "LOGFONTW is 92 bytes in Win32");
_Static_assert(offsetof(GDI_LOGFONTW, lfFaceName) == 28, "LOGFONTW.lfFaceName is at 28");

/* TEXTMETRICW: 57 bytes of fields, padded to 60 by the LONG alignment. */
typedef struct _GDI_TEXTMETRICW {
    int32_t tmHeight;
    int32_t tmAscent;
    int32_t tmDescent;
    int32_t tmInternalLeading;
    int32_t tmExternalLeading;
    int32_t tmAveCharWidth;
    int32_t tmMaxCharWidth;
    int32_t tmWeight;
    int32_t tmOverhang;
    int32_t tmDigitizedAspectX;
    int32_t tmDigitizedAspectY;
    uint16_t tmFirstChar;
    uint16_t tmLastChar;
    uint16_t tmDefaultChar;
    uint16_t tmBreakChar;
    uint8_t tmItalic;
    uint8_t tmUnderlined;
    uint8_t tmStruckOut;
    uint8_t tmPitchAndFamily; /* GDI_TMPF_FIXED_PITCH set = variable pitch; family in bits 4-7 */
    uint8_t tmCharSet;
} GDI_TEXTMETRICW;
_Static_assert(offsetof(GDI_TEXTMETRICW, tmFirstChar) == 44, "TEXTMETRICW.tmFirstChar is at 44");
_Static_assert(offsetof(GDI_TEXTMETRICW, tmCharSet) == 56, "TEXTMETRICW has 57 bytes of fields");
_Static_assert(sizeof(GDI_TEXTMETRICW) == 60, "TEXTMETRICW is 60 bytes in Win32");

/* ---- the face table (generated by tools/gdifonts.py) ---- */

/* One character cell. The cell is Advance pixels wide and the font's
 * Height tall; its ink is the InkWidth x InkHeight box at (InkLeft, InkTop)
 * inside the cell, stored row by row in the font's Bits from byte offset
 * Bits, (InkWidth + 7) / 8 bytes per row, most significant bit leftmost. */
typedef struct _GDI_GLYPH {
    uint8_t Advance;
    uint8_t InkLeft;
    uint8_t InkWidth; /* 0: no ink */
    uint8_t InkTop;
    uint8_t InkHeight;
    uint8_t Reserved;
    uint16_t Bits;
} GDI_GLYPH;
_Static_assert(sizeof(GDI_GLYPH) == 8, "the generator emits 8-byte glyph records");

/* One face in one size: what a realized font is. All metrics in pixels. */
typedef struct _GDI_FONT {
    const char *FaceName;    /* ASCII, compared case-insensitively */
    int16_t Height;          /* cell height = Ascent + Descent */
    int16_t Ascent;          /* cell top to baseline */
    int16_t Descent;         /* baseline to cell bottom */
    int16_t InternalLeading; /* Height minus the em (character) height */
    int16_t ExternalLeading; /* extra space the designer suggests between rows */
    int16_t AveCharWidth;    /* advance of 'x', as Win32 defines it */
    int16_t MaxCharWidth;    /* widest advance */
    int16_t Weight;          /* 400 normal, 700 bold */
    uint8_t Italic;          /* 1: italic or oblique */
    uint8_t PitchAndFamily;  /* LOGFONT style: GDI_FIXED_PITCH/GDI_VARIABLE_PITCH | GDI_FF_* */
    uint8_t CharSet;         /* GDI_ANSI_CHARSET or GDI_OEM_CHARSET */
    uint8_t Reserved;
    uint16_t FirstChar, LastChar, DefaultChar, BreakChar;
    const GDI_GLYPH *Glyphs; /* LastChar - FirstChar + 1 records */
    const uint8_t *Bits;     /* ink rows for Glyphs */
    const char *Source;      /* the font file it came from, for diagnostics */
} GDI_FONT;

/* ---- matching ---- */

/* Chooses the face and size that best satisfy Request, by Win32's font
 * mapper priorities: character set, then a FIXED_PITCH request, then the
 * face name (after aliases such as "Arial" -> Helvetica, "Times New Roman"
 * -> Times, "Courier New" -> Courier), then the family, then the height
 * (the nearest size not larger than asked, else the smallest larger one),
 * then a VARIABLE_PITCH request, the width, the weight and italics.
 * Heights: > 0 asks for a cell height, < 0 for a character height (cell
 * minus internal leading), 0 for the default (character height 12).
 * Returns a table entry, never NULL; NULL Request is the default request. */
const GDI_FONT *FontMatch(const GDI_LOGFONTW *Request);

/* The stock font GetStockObject(Index) returns (GDI_STOCK_SYSTEM_FONT, ...);
 * NULL when Index is not a stock font. */
const GDI_FONT *FontGetStock(uint32_t Index);

/* Number of table entries, and entry Index (NULL past the end): for
 * EnumFonts and the tests. */
uint32_t FontGetCount(void);
const GDI_FONT *FontGetByIndex(uint32_t Index);

/* ---- metrics ---- */

/* Style bits of a realized font that the face table does not carry. */
#define FONT_STYLE_UNDERLINE 0x1u
#define FONT_STYLE_STRIKEOUT 0x2u

/* Fills *Metrics for Font as GetTextMetricsW does; Style gives
 * tmUnderlined and tmStruckOut. Does nothing when an argument is NULL. */
void FontGetTextMetrics(const GDI_FONT *Font, uint32_t Style, GDI_TEXTMETRICW *Metrics);

/* The glyph Font draws for code unit Char (its default glyph when Char is
 * outside the face's range). Font must not be NULL. */
const GDI_GLYPH *FontGetGlyph(const GDI_FONT *Font, uint16_t Char);

/* Advance of one character (GetCharWidth); 0 when Font is NULL. */
int32_t FontGetCharWidth(const GDI_FONT *Font, uint16_t Char);

/* GetTextExtentPoint32: *Cx = the sum of the advances of Text[0..Count-1],
 * *Cy = the cell height. Both 0 when Font is NULL or Text is NULL with a
 * non-zero Count. Sums saturate at INT32_MAX. Either pointer may be NULL. */
void FontGetTextExtent(const GDI_FONT *Font, const uint16_t *Text, uint32_t Count, int32_t *Cx, int32_t *Cy);

/* ---- TextOut / ExtTextOut ---- */

/* The cell box of a string drawn at reference point (X, Y) with text
 * alignment Align (GDI_TA_*): the background OPAQUE mode paints, and what
 * ExtTextOut's ETO_OPAQUE rectangle is clipped against when the API layer
 * wants the text's own box. Dx is NULL (advances from the font) or
 * ExtTextOut's lpDx, Count distances from one cell origin to the next.
 * Returns the total advance (for TA_UPDATECP: the API layer moves the
 * current position to X + advance for TA_LEFT, X - advance for TA_RIGHT,
 * and leaves it for TA_CENTER). Box may be NULL; an empty string gives an
 * empty box at the aligned origin and returns 0. */
int32_t FontTextBox(const GDI_FONT *Font, const uint16_t *Text, uint32_t Count, const int32_t *Dx, int32_t X,
                    int32_t Y, uint32_t Align, GDI_RECT *Box);

/* Draws Text at (X, Y) with alignment Align: sends the foreground pixels
 * of the glyphs (and of the underline / strikeout Style asks for) to Sink
 * as spans, clipped to *Clip when Clip is not NULL (ETO_CLIPPED, or the
 * API layer's bounding box of its clip region). Spans never overlap, even
 * when lpDx makes cells overlap. Returns what FontTextBox returns. Draws
 * nothing and returns 0 when Font or Sink is NULL, or Text is NULL with a
 * non-zero Count. */
int32_t FontDrawText(const GDI_FONT *Font, const uint16_t *Text, uint32_t Count, const int32_t *Dx, int32_t X,
                     int32_t Y, uint32_t Align, uint32_t Style, const GDI_RECT *Clip, GDI_SPAN_SINK *Sink);

/* ---- DrawText ---- */

/* One thing DrawText draws. A text item is Text[0..Count-1] (a slice of the
 * caller's string, or of a constant "...") drawn with FontDrawText at
 * (X, Y) with GDI_TA_LEFT | GDI_TA_TOP and no lpDx; Width is its advance.
 * An underline item (Text NULL, Count 0) is the mnemonic underline under a
 * character that followed '&': the API layer fills the rectangle
 * (X, Y) - (X + Width, Y + 1) with the text colour. */
typedef struct _FONT_DT_ITEM {
    const uint16_t *Text;
    uint32_t Count;
    int32_t X, Y;
    int32_t Width;
} FONT_DT_ITEM;

typedef struct _FONT_DT_SINK {
    void (*Item)(struct _FONT_DT_SINK *Sink, const FONT_DT_ITEM *Item);
} FONT_DT_SINK;

/* DrawText's layout engine. Breaks Text (Count code units, or up to its
 * NUL when Count < 0) into lines inside *Rect by Format (GDI_DT_*), and
 * sends the items to draw to Sink (may be NULL; nothing is sent with
 * GDI_DT_CALCRECT). Returns what DrawText returns: the text's height, or
 * with GDI_DT_VCENTER / GDI_DT_BOTTOM (single line, not CALCRECT) the
 * offset from Rect->top to the bottom of the text. With GDI_DT_CALCRECT
 * *Rect becomes the box of the laid-out text (left and top kept). Returns
 * 0 for empty text (CALCRECT then empties *Rect) and for NULL arguments.
 * Clipping to *Rect (unless GDI_DT_NOCLIP) is the API layer's. */
int32_t FontDrawTextLayout(const GDI_FONT *Font, const uint16_t *Text, int32_t Count, GDI_RECT *Rect,
                           uint32_t Format, FONT_DT_SINK *Sink);

#endif
