/*
 * blt.h - pixels from brushes, surfaces and DIBs: ROP2 spans, ROP3 block
 * transfers (PatBlt/BitBlt), StretchBlt, and DIB conversion (blt.c).
 *
 * Why: every Win32 drawing call ends in one of a few pixel loops. A filled
 * shape is a list of spans painted with a brush through a ROP2; PatBlt,
 * BitBlt and StretchBlt combine Pattern, Source and Destination through a
 * ROP3; SetDIBits, GetDIBits, SetDIBitsToDevice and StretchDIBits move
 * pixels between the engine's one surface format (32 bpp, top-down) and the
 * caller's BITMAPINFO formats. This module owns those loops, and nothing
 * else: the API layer has already turned logical coordinates into device
 * coordinates, resolved the DC's brush into a GDI_BRUSH_INFO and cut the
 * clip region into rectangles. Each entry point takes one clip rectangle;
 * the API layer calls it once per rectangle of the clip region.
 *
 * Every pixel this module writes has its top byte clear (GDI_PIXEL_MASK):
 * ROPs are evaluated on all 32 bits and the reserved byte of the result is
 * dropped, so DSTINVERT on black gives 0x00FFFFFF, never 0xFFFFFFFF.
 *
 * The Win32 names below carry Win32's numbers and are guarded, so a file that
 * also includes a Win32 header still compiles.
 */
#ifndef GDI_BLT_H
#define GDI_BLT_H

#include <nt/ntstatus.h>

#include "gdikernel.h"

#define GDI_PIXEL_MASK 0x00FFFFFFu

/* Largest extent (and coordinate magnitude) the engine accepts: NT's 28-bit
 * device coordinate space. Larger values are refused, which keeps every
 * product of two extents inside 64 bits and every sum inside 32. */
#define GDI_MAX_EXTENT (1 << 27)

/* ---- Win32's numbers ---- */

#ifndef R2_BLACK
#define R2_BLACK 1        /*  0            */
#define R2_NOTMERGEPEN 2  /* ~(P | D)      */
#define R2_MASKNOTPEN 3   /* ~P & D        */
#define R2_NOTCOPYPEN 4   /* ~P            */
#define R2_MASKPENNOT 5   /* P & ~D        */
#define R2_NOT 6          /* ~D            */
#define R2_XORPEN 7       /* P ^ D         */
#define R2_NOTMASKPEN 8   /* ~(P & D)      */
#define R2_MASKPEN 9      /* P & D         */
#define R2_NOTXORPEN 10   /* ~(P ^ D)      */
#define R2_NOP 11         /* D             */
#define R2_MERGENOTPEN 12 /* ~P | D        */
#define R2_COPYPEN 13     /* P             */
#define R2_MERGEPENNOT 14 /* P | ~D        */
#define R2_MERGEPEN 15    /* P | D         */
#define R2_WHITE 16       /* 1             */
#endif

#ifndef BS_SOLID
#define BS_SOLID 0
#define BS_NULL 1
#define BS_HOLLOW BS_NULL
#define BS_HATCHED 2
#define BS_PATTERN 3
#endif

#ifndef HS_HORIZONTAL
#define HS_HORIZONTAL 0 /* ----- */
#define HS_VERTICAL 1   /* ||||| */
#define HS_FDIAGONAL 2  /* \\\\\ */
#define HS_BDIAGONAL 3  /* ///// */
#define HS_CROSS 4      /* +++++ */
#define HS_DIAGCROSS 5  /* xxxxx */
#endif

#ifndef SRCCOPY
#define SRCCOPY 0x00CC0020u     /* S          */
#define SRCPAINT 0x00EE0086u    /* S | D      */
#define SRCAND 0x008800C6u      /* S & D      */
#define SRCINVERT 0x00660046u   /* S ^ D      */
#define SRCERASE 0x00440328u    /* S & ~D     */
#define NOTSRCCOPY 0x00330008u  /* ~S         */
#define NOTSRCERASE 0x001100A6u /* ~(S | D)   */
#define MERGECOPY 0x00C000CAu   /* P & S      */
#define MERGEPAINT 0x00BB0226u  /* ~S | D     */
#define PATCOPY 0x00F00021u     /* P          */
#define PATPAINT 0x00FB0A09u    /* P | ~S | D */
#define PATINVERT 0x005A0049u   /* P ^ D      */
#define DSTINVERT 0x00550009u   /* ~D         */
#define BLACKNESS 0x00000042u   /* 0          */
#define WHITENESS 0x00FF0062u   /* 1          */
#endif

#ifndef BLACKONWHITE
#define BLACKONWHITE 1
#define WHITEONBLACK 2
#define COLORONCOLOR 3
#define HALFTONE 4
#endif
#ifndef STRETCH_ANDSCANS
#define STRETCH_ANDSCANS BLACKONWHITE
#define STRETCH_ORSCANS WHITEONBLACK
#define STRETCH_DELETESCANS COLORONCOLOR
#define STRETCH_HALFTONE HALFTONE
#endif

#ifndef BI_RGB
#define BI_RGB 0
#define BI_RLE8 1
#define BI_RLE4 2
#define BI_BITFIELDS 3
#endif

#ifndef DIB_RGB_COLORS
#define DIB_RGB_COLORS 0
#define DIB_PAL_COLORS 1
#endif

/* ---- brushes ---- */

/* A brush as the engine sees it: the API layer resolves the DC's brush, its
 * background colour and mode and its brush origin into one of these. The
 * brush pixel at device (x, y) is entry ((y - Origin.y) mod 8, (x - Origin.x)
 * mod 8) of the brush's 8x8 pattern. A hatched brush paints Pixel where its
 * hatch bit is set and BackPixel elsewhere, or leaves those pixels alone when
 * Transparent (background mode TRANSPARENT), for ROP2 spans and ROP3 blts
 * alike. BS_NULL paints nothing. */
typedef struct _GDI_BRUSH_INFO {
    uint32_t Style;          /* BS_SOLID, BS_HATCHED, BS_PATTERN or BS_NULL */
    uint32_t Hatch;          /* BS_HATCHED: HS_HORIZONTAL .. HS_DIAGCROSS */
    GDI_PIXEL Pixel;         /* BS_SOLID: the colour; BS_HATCHED: the lines' colour */
    GDI_PIXEL BackPixel;     /* BS_HATCHED: the DC's background colour */
    uint32_t Transparent;    /* BS_HATCHED: nonzero when the background mode is TRANSPARENT */
    GDI_POINT Origin;        /* the DC's brush origin, device coordinates */
    GDI_PIXEL Pattern[8][8]; /* BS_PATTERN: [row][column] */
} GDI_BRUSH_INFO;

/* Fills Brush in as a BS_SOLID brush of Pixel (a pen, a solid brush). */
void GdiMakeSolidBrush(GDI_BRUSH_INFO *Brush, GDI_PIXEL Pixel);

/* 1 when hatch style Hatch (HS_*) has its line at pattern row Row, column
 * Col (0..7); 0 otherwise, and for an unknown style. Windows' 8x8 bitmaps. */
int GdiHatchBit(uint32_t Hatch, int Row, int Col);

/* ---- ROP2: spans ---- */

/* The binary raster operation Rop2 (R2_BLACK..R2_WHITE) on pen or brush P and
 * destination D, on all 32 bits; D unchanged for an unknown code. */
GDI_PIXEL GdiRop2(uint32_t Rop2, GDI_PIXEL P, GDI_PIXEL D);

/* Paints row Y, columns X0..X1-1 of Surface with Brush through Rop2. The span
 * is clipped to the surface; an unknown ROP2, a BS_NULL or malformed brush
 * paints nothing. */
void GdiFillSpan(GDI_SURFACE *Surface, int32_t Y, int32_t X0, int32_t X1, const GDI_BRUSH_INFO *Brush,
                 uint32_t Rop2);

/* The same with a solid pen pixel. */
void GdiFillSpanSolid(GDI_SURFACE *Surface, int32_t Y, int32_t X0, int32_t X1, GDI_PIXEL Pen, uint32_t Rop2);

/* A GDI_SPAN_SINK that paints every span it receives with Brush through Rop2,
 * clipped to Clip and to the surface. Give the rasterizer &Sink.Sink. The
 * brush must outlive the sink's use; the sink holds no memory. */
typedef struct _GDI_BRUSH_SINK {
    GDI_SPAN_SINK Sink; /* first, so the rasterizer's pointer is the sink's */
    GDI_SURFACE *Surface;
    const GDI_BRUSH_INFO *Brush;
    uint32_t Rop2;
    GDI_RECT Clip;
} GDI_BRUSH_SINK;

/* Prepares Sink; Clip NULL means the whole surface. */
void GdiInitBrushSink(GDI_BRUSH_SINK *Sink, GDI_SURFACE *Surface, const GDI_BRUSH_INFO *Brush, uint32_t Rop2,
                      const GDI_RECT *Clip);

/* ---- ROP3: PatBlt, BitBlt ---- */

/* The index of a Win32 ROP3 DWORD: its truth table (SRCCOPY 0x00CC0020 gives
 * 0xCC). Bit (P << 2 | S << 1 | D) of the index is the result for those
 * operand bits. The top bits (CAPTUREBLT, NOMIRRORBITMAP) are dropped. */
#define GDI_ROP3_INDEX(Rop) ((uint8_t)(((uint32_t)(Rop) >> 16) & 0xFFu))

/* Whether a ROP3 index reads Source, Pattern, Destination. */
static inline int GdiRop3UsesSource(uint8_t Rop3) {
    return ((Rop3 >> 2) ^ Rop3) & 0x33;
}
static inline int GdiRop3UsesPattern(uint8_t Rop3) {
    return ((Rop3 >> 4) ^ Rop3) & 0x0F;
}
static inline int GdiRop3UsesDest(uint8_t Rop3) {
    return ((Rop3 >> 1) ^ Rop3) & 0x55;
}

/* The general ternary raster operation: Rop3 (an index, 0..255) applied
 * bitwise to P, S and D, on all 32 bits. */
GDI_PIXEL GdiRop3(uint8_t Rop3, GDI_PIXEL P, GDI_PIXEL S, GDI_PIXEL D);

/* PatBlt and BitBlt. Combines, for every pixel of DstRect (already clipped by
 * the caller to one clip rectangle; also clipped here to Dst), the brush
 * pixel, the source pixel at (SrcX, SrcY) + (pixel - DstRect's top-left) and
 * the destination pixel through Rop3 (an index, GDI_ROP3_INDEX). Pixels whose
 * source lies outside Src are left alone. Src may be NULL when the ROP does
 * not read a source, and may share memory with Dst, overlapping rectangles
 * included: the copy runs in the direction that reads each source pixel
 * before it is overwritten. A ROP that reads the pattern with a BS_NULL brush
 * draws nothing. STATUS_INVALID_PARAMETER for a missing or malformed
 * surface, rectangle, source or brush; STATUS_NO_MEMORY when an overlapping
 * copy needs a scratch buffer that cannot be had. */
NT_CHECK_RESULT NTSTATUS GdiBitBlt(GDI_SURFACE *Dst, const GDI_RECT *DstRect, const GDI_SURFACE *Src,
                                   int32_t SrcX, int32_t SrcY, const GDI_BRUSH_INFO *Brush, uint8_t Rop3);

/* ---- StretchBlt ---- */

/* A rectangle in Win32's origin-and-extent form. A negative extent runs the
 * other way from X (or Y): extent -N covers X-N+1 .. X, as Win32's does. */
typedef struct _GDI_BLT_AREA {
    int32_t X, Y, Width, Height;
} GDI_BLT_AREA;

/* StretchBlt: maps SrcArea of Src onto DstArea of Dst, nearest neighbour,
 * mirrored along an axis whose two extents differ in sign, and combines
 * through Rop3 as GdiBitBlt does. Only pixels inside Clip (NULL: the whole
 * surface) are written; the mapping depends on DstArea and SrcArea alone, so
 * a clipped call writes exactly what the unclipped call writes there.
 * Destination pixel i (0-based along an axis of N destination and M source
 * pixels) takes source pixel floor((2i+1)M / 2N), the one under its centre.
 * When shrinking, STRETCH_ANDSCANS (BLACKONWHITE) and STRETCH_ORSCANS
 * (WHITEONBLACK) AND or OR together every source pixel from floor(iM/N) to
 * floor((i+1)M/N)-1 instead; STRETCH_DELETESCANS (COLORONCOLOR) and HALFTONE
 * take the centre pixel (this engine does no halftoning). Source pixels
 * outside Src are skipped. A zero extent draws nothing. Src may overlap Dst
 * (the source is copied aside first). STATUS_INVALID_PARAMETER for a
 * malformed argument or extents beyond GDI_MAX_EXTENT; STATUS_NO_MEMORY. */
NT_CHECK_RESULT NTSTATUS GdiStretchBlt(GDI_SURFACE *Dst, const GDI_BLT_AREA *DstArea, const GDI_RECT *Clip,
                                       const GDI_SURFACE *Src, const GDI_BLT_AREA *SrcArea,
                                       const GDI_BRUSH_INFO *Brush, uint8_t Rop3, uint32_t StretchMode);

/* ---- DIBs ---- */

/* Win32's BITMAPINFOHEADER, RGBQUAD, BITMAPCOREHEADER and RGBTRIPLE, for
 * reference and for the API layer's use; blt.c reads caller data byte by
 * byte, so it never depends on their alignment. */
typedef struct _GDI_BITMAPINFOHEADER {
    uint32_t biSize;
    int32_t biWidth;
    int32_t biHeight; /* negative: top-down */
    uint16_t biPlanes;
    uint16_t biBitCount;
    uint32_t biCompression;
    uint32_t biSizeImage;
    int32_t biXPelsPerMeter;
    int32_t biYPelsPerMeter;
    uint32_t biClrUsed;
    uint32_t biClrImportant;
} GDI_BITMAPINFOHEADER;
_Static_assert(sizeof(GDI_BITMAPINFOHEADER) == 40, "BITMAPINFOHEADER is 40 bytes in Win32");

typedef struct _GDI_RGBQUAD {
    uint8_t rgbBlue, rgbGreen, rgbRed, rgbReserved;
} GDI_RGBQUAD;
_Static_assert(sizeof(GDI_RGBQUAD) == 4, "RGBQUAD is 4 bytes in Win32");

typedef struct _GDI_BITMAPCOREHEADER {
    uint32_t bcSize;
    uint16_t bcWidth, bcHeight, bcPlanes, bcBitCount;
} GDI_BITMAPCOREHEADER;
_Static_assert(sizeof(GDI_BITMAPCOREHEADER) == 12, "BITMAPCOREHEADER is 12 bytes in Win32");

typedef struct _GDI_RGBTRIPLE {
    uint8_t rgbtBlue, rgbtGreen, rgbtRed;
} GDI_RGBTRIPLE;
_Static_assert(sizeof(GDI_RGBTRIPLE) == 3, "RGBTRIPLE is 3 bytes in Win32");

/* Header sizes accepted: BITMAPCOREHEADER, BITMAPINFOHEADER, its V2 and V3
 * extensions (masks in the header), BITMAPV4HEADER and BITMAPV5HEADER. */
#define GDI_DIB_CORE_HEADER 12u
#define GDI_DIB_INFO_HEADER 40u
#define GDI_DIB_V2_HEADER 52u
#define GDI_DIB_V3_HEADER 56u
#define GDI_DIB_V4_HEADER 108u
#define GDI_DIB_V5_HEADER 124u

/* A caller's BITMAPINFO, validated and decoded (GdiDibParseInfo). Scan line s
 * is the s-th row in memory; picture row y (0 at the top, as on the screen)
 * is scan y of a top-down DIB and scan Height-1-y of a bottom-up one. */
typedef struct _GDI_DIB_FORMAT {
    int32_t Width, Height; /* pixels, both > 0 and <= GDI_MAX_EXTENT */
    uint32_t TopDown;      /* biHeight was negative */
    uint32_t BitCount;     /* 1, 4, 8, 16, 24 or 32 */
    uint32_t Compression;  /* BI_RGB or BI_BITFIELDS */
    uint32_t Stride;       /* bytes per scan line, a multiple of 4 */
    uint32_t HeaderBytes;  /* biSize */
    uint32_t InfoBytes;    /* header + masks + colour table: the BITMAPINFO's size */
    uint32_t ColorCount;   /* 1/4/8 bpp: colour table entries (1 .. 2^BitCount) */
    uint32_t Mask[3];      /* 16/32 bpp: red, green, blue masks (BI_RGB's when not BI_BITFIELDS) */
    uint8_t Shift[3];      /* lowest bit of each mask */
    uint8_t MaskBits[3];   /* width of each mask */
    GDI_PIXEL Colors[256]; /* the colour table as pixels; entries past ColorCount are black */
} GDI_DIB_FORMAT;

/* The size of the whole BITMAPINFO whose header starts at Info (Available
 * bytes readable there): header, BI_BITFIELDS masks and colour table. For the
 * API layer copying a BITMAPINFO in from a caller: copy 4 bytes, ask, copy
 * *Bytes, ask again. STATUS_BUFFER_TOO_SMALL with *Bytes = the bytes needed
 * to answer when Available is short; STATUS_INVALID_PARAMETER or
 * STATUS_NOT_SUPPORTED for a header GdiDibParseInfo would refuse. */
NT_CHECK_RESULT NTSTATUS GdiDibInfoSize(const void *Info, size_t Available, size_t *Bytes);

/* Validates the BITMAPINFO at Info (InfoBytes long, caller data: hostile) and
 * decodes it into *Format. ColorUse must be DIB_RGB_COLORS (the API layer
 * turns DIB_PAL_COLORS tables into RGB first). STATUS_NOT_SUPPORTED for
 * DIB_PAL_COLORS and compressed formats (RLE, JPEG, PNG);
 * STATUS_INVALID_PARAMETER for any other nonsense; STATUS_BUFFER_TOO_SMALL
 * when InfoBytes does not hold the header, masks and colour table. */
NT_CHECK_RESULT NTSTATUS GdiDibParseInfo(const void *Info, size_t InfoBytes, uint32_t ColorUse,
                                         GDI_DIB_FORMAT *Format);

/* Bytes of pixel data Rows scan lines of Format take (Rows * Stride), for
 * biSizeImage and for checking a caller's buffer. STATUS_INTEGER_OVERFLOW
 * when that does not fit a size_t. */
NT_CHECK_RESULT NTSTATUS GdiDibImageBytes(const GDI_DIB_FORMAT *Format, uint32_t Rows, size_t *Bytes);

/* SetDIBits / SetDIBitsToDevice: the buffer Bits (BitsBytes long) holds scan
 * lines FirstScan .. FirstScan+ScanCount-1 of a DIB of Format. Writes each
 * pixel of DstRect (the caller's clip; also clipped to Dst) from picture
 * pixel (DibX, DibY) + (pixel - DstRect's top-left); pixels whose picture
 * pixel is outside the DIB or the buffer's scans are left alone.
 * STATUS_INVALID_PARAMETER for malformed arguments or scans past the DIB;
 * STATUS_BUFFER_TOO_SMALL when BitsBytes is less than ScanCount * Stride. */
NT_CHECK_RESULT NTSTATUS GdiDibToSurface(GDI_SURFACE *Dst, const GDI_RECT *DstRect,
                                         const GDI_DIB_FORMAT *Format, const void *Bits, size_t BitsBytes,
                                         uint32_t FirstScan, uint32_t ScanCount, int32_t DibX, int32_t DibY);

/* GetDIBits: the reverse. Writes picture pixel (DibX, DibY) + (pixel -
 * SrcRect's top-left) of the buffer for every pixel of SrcRect (clipped to
 * Src). 1/4/8 bpp pixels become the index of the nearest colour of Format's
 * table (an exact match when there is one); 16/32 bpp take the top bits of
 * each channel. A scan line written across its whole width has its padding
 * zeroed. Errors as GdiDibToSurface's. */
NT_CHECK_RESULT NTSTATUS GdiSurfaceToDib(const GDI_SURFACE *Src, const GDI_RECT *SrcRect,
                                         const GDI_DIB_FORMAT *Format, void *Bits, size_t BitsBytes,
                                         uint32_t FirstScan, uint32_t ScanCount, int32_t DibX, int32_t DibY);

/* StretchDIBits: GdiStretchBlt with a whole DIB (Height scan lines in Bits)
 * as the source. SrcArea is in picture coordinates (row 0 at the top): the
 * API layer turns Win32's bottom-up source origin into that. */
NT_CHECK_RESULT NTSTATUS GdiStretchDib(GDI_SURFACE *Dst, const GDI_BLT_AREA *DstArea, const GDI_RECT *Clip,
                                       const GDI_DIB_FORMAT *Format, const void *Bits, size_t BitsBytes,
                                       const GDI_BLT_AREA *SrcArea, const GDI_BRUSH_INFO *Brush, uint8_t Rop3,
                                       uint32_t StretchMode);

#endif
