/*
 * blt.c - ROP2 spans, ROP3 blts, StretchBlt and DIB conversion (blt.h).
 *
 * Why it is built this way:
 *
 *   - A ROP is a truth table, not a list of cases. A ROP2 code minus one and
 *     a ROP3 index are the result bits for each combination of operand bits,
 *     so one evaluator (a Shannon expansion on P, then S, then D) computes
 *     all of them bitwise on whole pixels. The codes programs really use get
 *     a loop of their own with the formula written out; everything else goes
 *     through the evaluator, and the tests hold the two to the same answers.
 *
 *   - A brush is reduced, per row, to eight pixels and an eight-bit mask of
 *     which of them are painted (a transparent hatch paints only its lines),
 *     so every pixel loop handles solid, hatched and pattern brushes alike.
 *
 *   - Overlap is resolved by direction, not by copying: when source and
 *     destination are the same pixels at the same stride, walking the pixels
 *     in descending address order when the source lies below the
 *     destination in memory (ascending otherwise) reads every source pixel
 *     before it is overwritten. Only the odd cases (StretchBlt onto itself,
 *     aliasing at a different stride) copy the source aside.
 *
 *   - StretchBlt's mapping is a function of the unclipped geometry alone,
 *     evaluated by an integer DDA started at the first visible pixel, so
 *     clipping never shifts a pixel. The DDA's start needs a 64-by-32-bit
 *     division, done here by shift and subtract: the kernel build links no
 *     64-bit divide helper, and the engine uses no floating point.
 *
 *   - DIB data is the caller's and hostile. Headers are read byte by byte
 *     (no alignment assumed), every field is checked before use, every size
 *     is computed in 64 bits and compared with the buffer the caller said it
 *     has, and pixel loops run only over rectangles clipped to the DIB, the
 *     buffer's scan lines and the surface.
 */
#include "blt.h"

/* ---- small helpers ---- */

static inline int32_t min32(int32_t a, int32_t b) {
    return a < b ? a : b;
}
static inline int32_t max32(int32_t a, int32_t b) {
    return a > b ? a : b;
}
static inline int64_t min64(int64_t a, int64_t b) {
    return a < b ? a : b;
}
static inline int64_t max64(int64_t a, int64_t b) {
    return a > b ? a : b;
}

/* 1 when S describes pixels that can be addressed: non-negative size, a
 * 4-byte aligned stride that holds a row, and bits unless it is empty. A
 * negative stride is a bottom-up DIB section: Bits is its top row, the last
 * in memory. */
static int surface_valid(const GDI_SURFACE *S) {
    if (S == NULL || S->Width < 0 || S->Height < 0 || S->Width > GDI_MAX_EXTENT || S->Height > GDI_MAX_EXTENT)
        return 0;
    int64_t stride = S->Stride < 0 ? -(int64_t)S->Stride : S->Stride;
    if ((stride & 3) != 0 || stride < 4 * (int64_t)S->Width)
        return 0;
    return S->Bits != NULL || S->Width == 0 || S->Height == 0;
}

/* *Out = A intersected with the surface's bounds; 1 when not empty. */
static int clip_to_surface(GDI_RECT *Out, const GDI_RECT *A, const GDI_SURFACE *S) {
    Out->left = max32(A->left, 0);
    Out->top = max32(A->top, 0);
    Out->right = min32(A->right, S->Width);
    Out->bottom = min32(A->bottom, S->Height);
    return Out->left < Out->right && Out->top < Out->bottom;
}

/* Narrows R to the pixels (x, y) whose mapped position (x + Ox, y + Oy)
 * lies in [XLo, XHi) x [YLo, YHi); 1 when something is left. The result
 * lies inside the old R, so it fits 32 bits whatever the offsets. */
static int clip_mapped(GDI_RECT *R, int64_t Ox, int64_t Oy, int64_t XLo, int64_t XHi, int64_t YLo,
                       int64_t YHi) {
    int64_t l = max64(R->left, XLo - Ox), r = min64(R->right, XHi - Ox);
    int64_t t = max64(R->top, YLo - Oy), b = min64(R->bottom, YHi - Oy);
    if (l >= r || t >= b)
        return 0;
    R->left = (int32_t)l;
    R->right = (int32_t)r;
    R->top = (int32_t)t;
    R->bottom = (int32_t)b;
    return 1;
}

/* The address range [*Lo, *Hi) a surface's pixels occupy. */
static void surface_span(const GDI_SURFACE *S, uintptr_t *Lo, uintptr_t *Hi) {
    *Lo = (uintptr_t)S->Bits;
    *Hi = *Lo;
    if (S->Width > 0 && S->Height > 0) {
        if (S->Stride < 0) /* bottom-up: the last row is the lowest address */
            *Lo = (uintptr_t)S->Bits - (uintptr_t)(S->Height - 1) * (uintptr_t)(-(int64_t)S->Stride);
        *Hi = (S->Stride < 0 ? (uintptr_t)S->Bits : *Lo + (uintptr_t)(S->Height - 1) * (uintptr_t)S->Stride) +
              4u * (uintptr_t)S->Width;
    }
}

static int ranges_overlap(uintptr_t ALo, uintptr_t AHi, uintptr_t BLo, uintptr_t BHi) {
    return ALo < BHi && BLo < AHi;
}

/* N / D for a 64-bit N whose quotient fits 32 bits, with the remainder in
 * *Rem: binary long division, because the kernel links no __udivdi3. */
static uint32_t div64_32(uint64_t N, uint32_t D, uint32_t *Rem) {
    uint64_t r = 0;
    uint32_t q = 0;
    for (int bit = 63; bit >= 0; bit--) {
        r = (r << 1) | ((N >> bit) & 1u);
        q <<= 1;
        if (r >= D) {
            r -= D;
            q |= 1;
        }
    }
    *Rem = (uint32_t)r;
    return q;
}

/* ---- brushes ---- */

void GdiMakeSolidBrush(GDI_BRUSH_INFO *Brush, GDI_PIXEL Pixel) {
    GDI_BRUSH_INFO b = {0};
    b.Style = BS_SOLID;
    b.Pixel = Pixel;
    *Brush = b;
}

/* Windows' hatches: the horizontal line is on row 3, the vertical one on
 * column 4; HS_FDIAGONAL runs down from the top-left corner (\), and
 * HS_BDIAGONAL up from the bottom-left (/). The crosses are the unions. */
int GdiHatchBit(uint32_t Hatch, int Row, int Col) {
    if (Row < 0 || Row > 7 || Col < 0 || Col > 7)
        return 0;
    switch (Hatch) {
    case HS_HORIZONTAL: return Row == 3;
    case HS_VERTICAL: return Col == 4;
    case HS_FDIAGONAL: return Col == Row;
    case HS_BDIAGONAL: return Col == 7 - Row;
    case HS_CROSS: return Row == 3 || Col == 4;
    case HS_DIAGCROSS: return Col == Row || Col == 7 - Row;
    default: return 0;
    }
}

/* One row of a brush: device column x uses Pixel[(x - OriginX) & 7], and is
 * painted only when that bit of Opaque is set. */
typedef struct _BRUSH_ROW {
    GDI_PIXEL Pixel[8];
    uint32_t Opaque;
    uint32_t OriginX;
    uint32_t Solid; /* one colour, every pixel opaque: spans need no pattern phase */
} BRUSH_ROW;

/* 1 when Brush is one of the four styles with sane fields. */
static int brush_valid(const GDI_BRUSH_INFO *Brush) {
    if (Brush == NULL)
        return 0;
    switch (Brush->Style) {
    case BS_SOLID:
    case BS_NULL:
    case BS_PATTERN: return 1;
    case BS_HATCHED: return Brush->Hatch <= HS_DIAGCROSS;
    default: return 0;
    }
}

/* Fills *Row with Brush's pixels for device row Y. 0 when the row paints
 * nothing: a BS_NULL or malformed brush, or a transparent hatch row that is
 * all background. */
static int brush_row(const GDI_BRUSH_INFO *Brush, int32_t Y, BRUSH_ROW *Row) {
    if (!brush_valid(Brush))
        return 0;
    uint32_t py = ((uint32_t)Y - (uint32_t)Brush->Origin.y) & 7u;
    Row->OriginX = (uint32_t)Brush->Origin.x;
    Row->Opaque = 0xFFu;
    Row->Solid = Brush->Style == BS_SOLID;
    switch (Brush->Style) {
    case BS_SOLID:
        for (int k = 0; k < 8; k++)
            Row->Pixel[k] = Brush->Pixel;
        return 1;
    case BS_PATTERN:
        for (int k = 0; k < 8; k++)
            Row->Pixel[k] = Brush->Pattern[py][k];
        return 1;
    case BS_HATCHED:
        for (int k = 0; k < 8; k++) {
            int line = GdiHatchBit(Brush->Hatch, (int)py, k);
            Row->Pixel[k] = line ? Brush->Pixel : Brush->BackPixel;
            if (!line && Brush->Transparent)
                Row->Opaque &= ~(1u << k);
        }
        return Row->Opaque != 0;
    default: return 0;
    }
}

/* ---- the evaluators ---- */

/* A function of D alone, given as two result bits (bit 0: for D = 0, bit 1:
 * for D = 1), on all 32 bits of D. */
static inline GDI_PIXEL fn_d(uint32_t Table, GDI_PIXEL D) {
    switch (Table & 3u) {
    case 0: return 0;
    case 1: return ~D;
    case 2: return D;
    default: return 0xFFFFFFFFu;
    }
}

/* A function of S and D given as four result bits indexed by S << 1 | D. */
static inline GDI_PIXEL fn_sd(uint32_t Table, GDI_PIXEL S, GDI_PIXEL D) {
    return (S & fn_d(Table >> 2, D)) | (~S & fn_d(Table, D));
}

GDI_PIXEL GdiRop2(uint32_t Rop2, GDI_PIXEL P, GDI_PIXEL D) {
    if (Rop2 < R2_BLACK || Rop2 > R2_WHITE)
        return D;
    uint32_t table = Rop2 - 1; /* bit (P << 1 | D) is the result */
    return (P & fn_d(table >> 2, D)) | (~P & fn_d(table, D));
}

GDI_PIXEL GdiRop3(uint8_t Rop3, GDI_PIXEL P, GDI_PIXEL S, GDI_PIXEL D) {
    return (P & fn_sd((uint32_t)Rop3 >> 4, S, D)) | (~P & fn_sd(Rop3, S, D));
}

/* ---- ROP2 spans ---- */

/* Applies Rop2 to the N pixels at Dst, whose first is device column X0,
 * with the brush row Row. */
static void span_rop2(GDI_PIXEL *Dst, int32_t X0, int32_t N, const BRUSH_ROW *Row, uint32_t Rop2) {
    BRUSH_ROW full;
    if (Row->Solid) { /* the common case: one colour, no pattern to follow */
        GDI_PIXEL P = Row->Pixel[0] & GDI_PIXEL_MASK;
        if (Rop2 == R2_COPYPEN) {
            for (int32_t i = 0; i < N; i++)
                Dst[i] = P;
            return;
        }
        if (Rop2 == R2_XORPEN) {
            for (int32_t i = 0; i < N; i++)
                Dst[i] = (Dst[i] ^ P) & GDI_PIXEL_MASK;
            return;
        }
        if (Rop2 == R2_NOT) {
            for (int32_t i = 0; i < N; i++)
                Dst[i] = ~Dst[i] & GDI_PIXEL_MASK;
            return;
        }
        /* other modes: the general loop with the colour in every slot */
        for (int k = 0; k < 8; k++)
            full.Pixel[k] = Row->Pixel[0];
        full.Opaque = 0xFFu;
        full.OriginX = 0;
        full.Solid = 1;
        Row = &full;
    }
    uint32_t phase = (uint32_t)X0 - Row->OriginX;
    uint32_t opaque = Row->Opaque;
#define SPAN2(EXPR)                                                                                          \
    for (int32_t i = 0; i < N; i++) {                                                                        \
        uint32_t k = (phase + (uint32_t)i) & 7u;                                                             \
        if (opaque & (1u << k)) {                                                                            \
            GDI_PIXEL P = Row->Pixel[k], D = Dst[i];                                                         \
            (void)P;                                                                                         \
            (void)D;                                                                                         \
            Dst[i] = GDI_PIXEL_MASK & (EXPR);                                                                \
        }                                                                                                    \
    }
    switch (Rop2) {
    case R2_BLACK: SPAN2(0u) break;
    case R2_NOTMERGEPEN: SPAN2(~(P | D)) break;
    case R2_MASKNOTPEN: SPAN2(~P & D) break;
    case R2_NOTCOPYPEN: SPAN2(~P) break;
    case R2_MASKPENNOT: SPAN2(P & ~D) break;
    case R2_NOT: SPAN2(~D) break;
    case R2_XORPEN: SPAN2(P ^ D) break;
    case R2_NOTMASKPEN: SPAN2(~(P & D)) break;
    case R2_MASKPEN: SPAN2(P & D) break;
    case R2_NOTXORPEN: SPAN2(~(P ^ D)) break;
    case R2_NOP: break;
    case R2_MERGENOTPEN: SPAN2(~P | D) break;
    case R2_COPYPEN: SPAN2(P) break;
    case R2_MERGEPENNOT: SPAN2(P | ~D) break;
    case R2_MERGEPEN: SPAN2(P | D) break;
    case R2_WHITE: SPAN2(0xFFFFFFFFu) break;
    default: break;
    }
#undef SPAN2
}

/* Paints the span clipped to Clip (already inside the surface). */
static void fill_span_clipped(GDI_SURFACE *Surface, const GDI_RECT *Clip, int32_t Y, int32_t X0, int32_t X1,
                              const GDI_BRUSH_INFO *Brush, uint32_t Rop2) {
    if (Y < Clip->top || Y >= Clip->bottom)
        return;
    X0 = max32(X0, Clip->left);
    X1 = min32(X1, Clip->right);
    if (X0 >= X1)
        return;
    BRUSH_ROW row;
    if (Brush != NULL && Brush->Style == BS_SOLID) { /* no pattern row to build */
        row.Pixel[0] = Brush->Pixel;
        row.Solid = 1;
    } else if (!brush_row(Brush, Y, &row)) {
        return;
    }
    span_rop2(GdiPixelAddress(Surface, X0, Y), X0, X1 - X0, &row, Rop2);
}

void GdiFillSpan(GDI_SURFACE *Surface, int32_t Y, int32_t X0, int32_t X1, const GDI_BRUSH_INFO *Brush,
                 uint32_t Rop2) {
    if (!surface_valid(Surface))
        return;
    GDI_RECT all = {0, 0, Surface->Width, Surface->Height};
    fill_span_clipped(Surface, &all, Y, X0, X1, Brush, Rop2);
}

void GdiFillSpanSolid(GDI_SURFACE *Surface, int32_t Y, int32_t X0, int32_t X1, GDI_PIXEL Pen, uint32_t Rop2) {
    GDI_BRUSH_INFO pen;
    GdiMakeSolidBrush(&pen, Pen);
    GdiFillSpan(Surface, Y, X0, X1, &pen, Rop2);
}

static void brush_sink_span(GDI_SPAN_SINK *Sink, int32_t Y, int32_t X0, int32_t X1) {
    GDI_BRUSH_SINK *s = (GDI_BRUSH_SINK *)Sink;
    fill_span_clipped(s->Surface, &s->Clip, Y, X0, X1, s->Brush, s->Rop2);
}

void GdiInitBrushSink(GDI_BRUSH_SINK *Sink, GDI_SURFACE *Surface, const GDI_BRUSH_INFO *Brush, uint32_t Rop2,
                      const GDI_RECT *Clip) {
    Sink->Sink.Span = brush_sink_span;
    Sink->Surface = Surface;
    Sink->Brush = Brush;
    Sink->Rop2 = Rop2;
    /* An invalid surface or a clip outside it leaves an empty clip: the sink
     * then paints nothing. */
    GDI_RECT empty = {0, 0, 0, 0};
    Sink->Clip = empty;
    if (!surface_valid(Surface))
        return;
    GDI_RECT whole = {0, 0, Surface->Width, Surface->Height};
    if (!clip_to_surface(&Sink->Clip, Clip != NULL ? Clip : &whole, Surface))
        Sink->Clip = empty;
}

/* ---- ROP3 rows ---- */

/* Applies Rop3 to N destination pixels at Dst (first at device column X0)
 * with source pixels at Src (NULL when the ROP reads none) and brush row
 * Row, last pixel first when Backward. */
static void row_rop3(uint8_t Rop3, GDI_PIXEL *Dst, const GDI_PIXEL *Src, int32_t X0, int32_t N,
                     const BRUSH_ROW *Row, int Backward) {
    uint32_t phase = (uint32_t)X0 - Row->OriginX;
    uint32_t opaque = Row->Opaque;
#define PAT (Row->Pixel[k])
#define SRC (Src[i])
#define DST (Dst[i])
#define ROW3_BODY(EXPR)                                                                                      \
    {                                                                                                        \
        uint32_t k = (phase + (uint32_t)i) & 7u;                                                             \
        (void)k;                                                                                             \
        if (opaque & (1u << k))                                                                              \
            Dst[i] = GDI_PIXEL_MASK & (EXPR);                                                                \
    }
#define ROW3(EXPR)                                                                                           \
    do {                                                                                                     \
        if (!Backward) {                                                                                     \
            for (int32_t i = 0; i < N; i++)                                                                  \
                ROW3_BODY(EXPR)                                                                              \
        } else {                                                                                             \
            for (int32_t i = N - 1; i >= 0; i--)                                                             \
                ROW3_BODY(EXPR)                                                                              \
        }                                                                                                    \
    } while (0)
    switch (Rop3) {
    case 0x00: ROW3(0u); break;               /* BLACKNESS */
    case 0xFF: ROW3(0xFFFFFFFFu); break;      /* WHITENESS */
    case 0xAA: break;                         /* D: nothing to do */
    case 0xCC: ROW3(SRC); break;              /* SRCCOPY */
    case 0xF0: ROW3(PAT); break;              /* PATCOPY */
    case 0x55: ROW3(~DST); break;             /* DSTINVERT */
    case 0x5A: ROW3(PAT ^ DST); break;        /* PATINVERT */
    case 0x66: ROW3(SRC ^ DST); break;        /* SRCINVERT */
    case 0x88: ROW3(SRC & DST); break;        /* SRCAND */
    case 0xEE: ROW3(SRC | DST); break;        /* SRCPAINT */
    case 0x33: ROW3(~SRC); break;             /* NOTSRCCOPY */
    case 0xC0: ROW3(PAT & SRC); break;        /* MERGECOPY */
    case 0xBB: ROW3(~SRC | DST); break;       /* MERGEPAINT */
    case 0xFB: ROW3(PAT | ~SRC | DST); break; /* PATPAINT */
    case 0x44: ROW3(SRC & ~DST); break;       /* SRCERASE */
    case 0x11: ROW3(~(SRC | DST)); break;     /* NOTSRCERASE */
    default:
        if (Src != NULL)
            ROW3(GdiRop3(Rop3, PAT, SRC, DST));
        else
            ROW3(GdiRop3(Rop3, PAT, 0, DST));
        break;
    }
#undef ROW3
#undef ROW3_BODY
#undef PAT
#undef SRC
#undef DST
}

/* Copies rectangle R of S into a new surface *Copy (bits from GdiHostAlloc;
 * the caller frees them). */
static NTSTATUS copy_aside(const GDI_SURFACE *S, const GDI_RECT *R, GDI_SURFACE *Copy) {
    int32_t w = R->right - R->left, h = R->bottom - R->top;
    Copy->Width = w;
    Copy->Height = h;
    Copy->Stride = 4 * w;
    Copy->Bits = GdiHostAlloc((size_t)w * (size_t)h * 4u);
    if (Copy->Bits == NULL)
        return STATUS_NO_MEMORY;
    for (int32_t y = 0; y < h; y++) {
        const GDI_PIXEL *from = GdiPixelAddress(S, R->left, R->top + y);
        GDI_PIXEL *to = GdiPixelAddress(Copy, 0, y);
        for (int32_t x = 0; x < w; x++)
            to[x] = from[x];
    }
    return STATUS_SUCCESS;
}

NTSTATUS GdiBitBlt(GDI_SURFACE *Dst, const GDI_RECT *DstRect, const GDI_SURFACE *Src, int32_t SrcX,
                   int32_t SrcY, const GDI_BRUSH_INFO *Brush, uint8_t Rop3) {
    if (!surface_valid(Dst) || DstRect == NULL)
        return STATUS_INVALID_PARAMETER;
    int uses_source = GdiRop3UsesSource(Rop3), uses_pattern = GdiRop3UsesPattern(Rop3);
    if (uses_pattern && !brush_valid(Brush))
        return STATUS_INVALID_PARAMETER;
    if (uses_source && !surface_valid(Src))
        return STATUS_INVALID_PARAMETER;
    if ((uses_pattern && Brush->Style == BS_NULL) || Rop3 == 0xAA)
        return STATUS_SUCCESS;

    GDI_RECT r;
    if (!clip_to_surface(&r, DstRect, Dst))
        return STATUS_SUCCESS;
    BRUSH_ROW plain = {{0}, 0xFFu, 0, 0};

    if (!uses_source) {
        for (int32_t y = r.top; y < r.bottom; y++) {
            BRUSH_ROW row;
            const BRUSH_ROW *use = &plain;
            if (uses_pattern) {
                if (!brush_row(Brush, y, &row))
                    continue;
                use = &row;
            }
            row_rop3(Rop3, GdiPixelAddress(Dst, r.left, y), NULL, r.left, r.right - r.left, use, 0);
        }
        return STATUS_SUCCESS;
    }

    int64_t ox = (int64_t)SrcX - DstRect->left, oy = (int64_t)SrcY - DstRect->top;
    if (!clip_mapped(&r, ox, oy, 0, Src->Width, 0, Src->Height))
        return STATUS_SUCCESS;
    int32_t sx = (int32_t)(r.left + ox), sy = (int32_t)(r.top + oy);

    /* Aliasing: same stride walks by direction, anything else copies aside. */
    uintptr_t dlo, dhi, slo, shi;
    surface_span(Dst, &dlo, &dhi);
    surface_span(Src, &slo, &shi);
    int backward = 0;
    GDI_SURFACE aside = {0, 0, 0, NULL};
    const GDI_SURFACE *from = Src;
    if (ranges_overlap(dlo, dhi, slo, shi)) {
        if (Src->Stride == Dst->Stride &&
            Src->Stride > 0) { /* walking by direction assumes rows go up in memory */
            backward =
                (uintptr_t)GdiPixelAddress(Src, sx, sy) < (uintptr_t)GdiPixelAddress(Dst, r.left, r.top);
        } else {
            GDI_RECT sr = {sx, sy, sx + (r.right - r.left), sy + (r.bottom - r.top)};
            NTSTATUS status = copy_aside(Src, &sr, &aside);
            if (!NT_SUCCESS(status))
                return status;
            from = &aside;
            sx = 0;
            sy = 0;
        }
    }

    int32_t h = r.bottom - r.top, w = r.right - r.left;
    for (int32_t j = 0; j < h; j++) {
        int32_t row_index = backward ? h - 1 - j : j;
        int32_t y = r.top + row_index;
        BRUSH_ROW row;
        const BRUSH_ROW *use = &plain;
        if (uses_pattern) {
            if (!brush_row(Brush, y, &row))
                continue;
            use = &row;
        }
        row_rop3(Rop3, GdiPixelAddress(Dst, r.left, y), GdiPixelAddress(from, sx, sy + row_index), r.left, w,
                 use, backward);
    }
    if (aside.Bits != NULL)
        GdiHostFree(aside.Bits);
    return STATUS_SUCCESS;
}

/* ---- DIB pixel formats ---- */

static inline uint32_t rd16(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}
static inline uint32_t rd32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* An N-bit channel value widened to 8 bits by repeating its bits (5-bit 31
 * becomes 255), or its top 8 bits when N >= 8. */
static inline uint32_t channel_to8(uint32_t V, uint32_t N) {
    if (N >= 8)
        return (V >> (N - 8)) & 0xFFu;
    uint32_t r = 0, have = 0;
    while (have < 8) {
        r = (r << N) | V;
        have += N;
    }
    return (r >> (have - 8)) & 0xFFu;
}

/* An 8-bit channel value narrowed to N bits (its top bits), or widened by
 * repetition when N > 8. The inverse of channel_to8 on its results. */
static inline uint32_t channel_from8(uint32_t C, uint32_t N) {
    if (N <= 8)
        return C >> (8 - N);
    uint64_t r = 0;
    uint32_t have = 0;
    while (have < N) {
        r = (r << 8) | C;
        have += 8;
    }
    return (uint32_t)(r >> (have - N));
}

static inline GDI_PIXEL masked_to_pixel(const GDI_DIB_FORMAT *F, uint32_t V) {
    uint32_t r = channel_to8((V & F->Mask[0]) >> F->Shift[0], F->MaskBits[0]);
    uint32_t g = channel_to8((V & F->Mask[1]) >> F->Shift[1], F->MaskBits[1]);
    uint32_t b = channel_to8((V & F->Mask[2]) >> F->Shift[2], F->MaskBits[2]);
    return r << 16 | g << 8 | b;
}

static inline uint32_t pixel_to_masked(const GDI_DIB_FORMAT *F, GDI_PIXEL P) {
    return (channel_from8((P >> 16) & 0xFFu, F->MaskBits[0]) << F->Shift[0]) |
           (channel_from8((P >> 8) & 0xFFu, F->MaskBits[1]) << F->Shift[1]) |
           (channel_from8(P & 0xFFu, F->MaskBits[2]) << F->Shift[2]);
}

/* Decodes N pixels of scan line Row starting at column X (0 <= X, X + N <=
 * Width) into Out. */
static void dib_decode(const GDI_DIB_FORMAT *F, const uint8_t *Row, int32_t X, int32_t N, GDI_PIXEL *Out) {
    switch (F->BitCount) {
    case 1:
        for (int32_t i = 0; i < N; i++) {
            uint32_t x = (uint32_t)(X + i);
            Out[i] = F->Colors[(Row[x >> 3] >> (7u - (x & 7u))) & 1u];
        }
        break;
    case 4:
        for (int32_t i = 0; i < N; i++) {
            uint32_t x = (uint32_t)(X + i);
            Out[i] = F->Colors[(Row[x >> 1] >> ((x & 1u) ? 0 : 4)) & 0xFu];
        }
        break;
    case 8:
        for (int32_t i = 0; i < N; i++)
            Out[i] = F->Colors[Row[X + i]];
        break;
    case 16:
        for (int32_t i = 0; i < N; i++)
            Out[i] = masked_to_pixel(F, rd16(Row + 2 * (X + i)));
        break;
    case 24:
        for (int32_t i = 0; i < N; i++) {
            const uint8_t *p = Row + 3 * (X + i);
            Out[i] = (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
        }
        break;
    case 32:
        if (F->Compression == BI_RGB) {
            for (int32_t i = 0; i < N; i++)
                Out[i] = rd32(Row + 4 * (X + i)) & GDI_PIXEL_MASK;
        } else {
            for (int32_t i = 0; i < N; i++)
                Out[i] = masked_to_pixel(F, rd32(Row + 4 * (X + i)));
        }
        break;
    default: break;
    }
}

/* The last colour looked up in a colour table, so runs of one colour cost
 * one search. */
typedef struct _NEAREST_CACHE {
    GDI_PIXEL Pixel;
    uint32_t Index;
    int Valid;
} NEAREST_CACHE;

/* The index of the colour-table entry nearest P (squared distance in RGB;
 * the lowest index among equals, so an exact match always wins). */
static uint32_t nearest_index(const GDI_DIB_FORMAT *F, GDI_PIXEL P, NEAREST_CACHE *Cache) {
    P &= GDI_PIXEL_MASK;
    if (Cache->Valid && Cache->Pixel == P)
        return Cache->Index;
    uint32_t best = 0, best_distance = 0xFFFFFFFFu;
    int32_t r = (int32_t)(P >> 16), g = (int32_t)((P >> 8) & 0xFFu), b = (int32_t)(P & 0xFFu);
    for (uint32_t i = 0; i < F->ColorCount; i++) {
        GDI_PIXEL c = F->Colors[i];
        int32_t dr = r - (int32_t)(c >> 16), dg = g - (int32_t)((c >> 8) & 0xFFu),
                db = b - (int32_t)(c & 0xFFu);
        uint32_t distance = (uint32_t)(dr * dr + dg * dg + db * db);
        if (distance < best_distance) {
            best = i;
            best_distance = distance;
            if (distance == 0)
                break;
        }
    }
    Cache->Pixel = P;
    Cache->Index = best;
    Cache->Valid = 1;
    return best;
}

/* Encodes the N pixels at In into scan line Row from column X. */
static void dib_encode(const GDI_DIB_FORMAT *F, uint8_t *Row, int32_t X, int32_t N, const GDI_PIXEL *In) {
    NEAREST_CACHE cache = {0, 0, 0};
    switch (F->BitCount) {
    case 1:
        for (int32_t i = 0; i < N; i++) {
            uint32_t x = (uint32_t)(X + i), bit = 7u - (x & 7u);
            uint32_t v = nearest_index(F, In[i], &cache) & 1u;
            Row[x >> 3] = (uint8_t)((Row[x >> 3] & ~(1u << bit)) | v << bit);
        }
        break;
    case 4:
        for (int32_t i = 0; i < N; i++) {
            uint32_t x = (uint32_t)(X + i), shift = (x & 1u) ? 0 : 4;
            uint32_t v = nearest_index(F, In[i], &cache) & 0xFu;
            Row[x >> 1] = (uint8_t)((Row[x >> 1] & ~(0xFu << shift)) | v << shift);
        }
        break;
    case 8:
        for (int32_t i = 0; i < N; i++)
            Row[X + i] = (uint8_t)nearest_index(F, In[i], &cache);
        break;
    case 16:
        for (int32_t i = 0; i < N; i++) {
            uint32_t v = pixel_to_masked(F, In[i]);
            Row[2 * (X + i)] = (uint8_t)v;
            Row[2 * (X + i) + 1] = (uint8_t)(v >> 8);
        }
        break;
    case 24:
        for (int32_t i = 0; i < N; i++) {
            uint8_t *p = Row + 3 * (X + i);
            p[0] = (uint8_t)In[i];
            p[1] = (uint8_t)(In[i] >> 8);
            p[2] = (uint8_t)(In[i] >> 16);
        }
        break;
    case 32:
        for (int32_t i = 0; i < N; i++) {
            uint32_t v = F->Compression == BI_RGB ? (In[i] & GDI_PIXEL_MASK) : pixel_to_masked(F, In[i]);
            uint8_t *p = Row + 4 * (X + i);
            p[0] = (uint8_t)v;
            p[1] = (uint8_t)(v >> 8);
            p[2] = (uint8_t)(v >> 16);
            p[3] = (uint8_t)(v >> 24);
        }
        break;
    default: break;
    }
}

/* ---- BITMAPINFO validation ---- */

/* Field offsets in BITMAPINFOHEADER (and its later versions). */
#define BIH_WIDTH 4
#define BIH_HEIGHT 8
#define BIH_PLANES 12
#define BIH_BITCOUNT 14
#define BIH_COMPRESSION 16
#define BIH_CLRUSED 32
#define BIH_MASKS 40 /* BI_BITFIELDS masks: after a 40-byte header, inside a larger one */
/* ... and in BITMAPCOREHEADER. */
#define BCH_WIDTH 4
#define BCH_HEIGHT 6
#define BCH_PLANES 8
#define BCH_BITCOUNT 10

#define BI_JPEG_ 4
#define BI_PNG_ 5

/* Validates the header at P (Available bytes) and fills in everything in *F
 * but the masks and colour table, including InfoBytes. */
static NTSTATUS parse_header(const uint8_t *P, size_t Available, GDI_DIB_FORMAT *F, size_t *Needed) {
    *Needed = 4;
    if (Available < 4)
        return STATUS_BUFFER_TOO_SMALL;
    uint32_t size = rd32(P);
    int64_t width, height;
    uint32_t planes, bit_count, compression = BI_RGB, colors_used = 0;
    int core = size == GDI_DIB_CORE_HEADER;
    if (!core && size != GDI_DIB_INFO_HEADER && size != GDI_DIB_V2_HEADER && size != GDI_DIB_V3_HEADER &&
        size != GDI_DIB_V4_HEADER && size != GDI_DIB_V5_HEADER)
        return STATUS_INVALID_PARAMETER;
    *Needed = size;
    if (Available < size)
        return STATUS_BUFFER_TOO_SMALL;
    if (core) {
        width = rd16(P + BCH_WIDTH);
        height = rd16(P + BCH_HEIGHT);
        planes = rd16(P + BCH_PLANES);
        bit_count = rd16(P + BCH_BITCOUNT);
        if (bit_count == 16 || bit_count == 32) /* the core format has no 16/32 bpp */
            return STATUS_INVALID_PARAMETER;
    } else {
        width = (int32_t)rd32(P + BIH_WIDTH);
        height = (int32_t)rd32(P + BIH_HEIGHT);
        planes = rd16(P + BIH_PLANES);
        bit_count = rd16(P + BIH_BITCOUNT);
        compression = rd32(P + BIH_COMPRESSION);
        colors_used = rd32(P + BIH_CLRUSED);
    }
    if (compression == BI_RLE8 || compression == BI_RLE4 || compression == BI_JPEG_ || compression == BI_PNG_)
        return STATUS_NOT_SUPPORTED;
    if (compression != BI_RGB && compression != BI_BITFIELDS)
        return STATUS_INVALID_PARAMETER;
    if (planes != 1)
        return STATUS_INVALID_PARAMETER;
    switch (bit_count) {
    case 1:
    case 4:
    case 8:
    case 24:
        if (compression != BI_RGB)
            return STATUS_INVALID_PARAMETER;
        break;
    case 16:
    case 32: break;
    default: return STATUS_INVALID_PARAMETER;
    }
    if (width <= 0 || width > GDI_MAX_EXTENT || height == 0 || height > GDI_MAX_EXTENT ||
        height < -(int64_t)GDI_MAX_EXTENT)
        return STATUS_INVALID_PARAMETER;

    F->Width = (int32_t)width;
    F->TopDown = height < 0;
    F->Height = (int32_t)(height < 0 ? -height : height);
    F->BitCount = bit_count;
    F->Compression = compression;
    /* Width * BitCount <= 2^32 bits, so the stride (<= 2^29) fits 32 bits. */
    F->Stride = (uint32_t)((((uint64_t)width * bit_count + 31u) >> 5) << 2);
    F->HeaderBytes = size;
    F->ColorCount = 0;
    if (bit_count <= 8) {
        uint32_t most = 1u << bit_count;
        if (colors_used > most)
            return STATUS_INVALID_PARAMETER;
        F->ColorCount = colors_used != 0 ? colors_used : most;
    }
    uint32_t masks = compression == BI_BITFIELDS && size == GDI_DIB_INFO_HEADER ? 12u : 0u;
    F->InfoBytes = size + masks + F->ColorCount * (core ? 3u : 4u);
    *Needed = F->InfoBytes;
    return STATUS_SUCCESS;
}

NTSTATUS GdiDibInfoSize(const void *Info, size_t Available, size_t *Bytes) {
    if (Info == NULL || Bytes == NULL)
        return STATUS_INVALID_PARAMETER;
    GDI_DIB_FORMAT f;
    size_t needed = 4;
    NTSTATUS status = parse_header(Info, Available, &f, &needed);
    *Bytes = needed;
    return status;
}

/* Checks one BI_BITFIELDS mask (nonzero, one run of bits, inside the pixel)
 * and finds its position. */
static int mask_shape(uint32_t Mask, uint32_t BitCount, uint8_t *Shift, uint8_t *Width) {
    if (Mask == 0 || (BitCount == 16 && (Mask >> 16) != 0))
        return 0;
    uint32_t shift = 0, width = 0;
    while (((Mask >> shift) & 1u) == 0)
        shift++;
    uint32_t rest = Mask >> shift;
    while (rest & 1u) {
        rest >>= 1;
        width++;
    }
    if (rest != 0)
        return 0;
    *Shift = (uint8_t)shift;
    *Width = (uint8_t)width;
    return 1;
}

NTSTATUS GdiDibParseInfo(const void *Info, size_t InfoBytes, uint32_t ColorUse, GDI_DIB_FORMAT *Format) {
    if (Info == NULL || Format == NULL)
        return STATUS_INVALID_PARAMETER;
    if (ColorUse == DIB_PAL_COLORS)
        return STATUS_NOT_SUPPORTED;
    if (ColorUse != DIB_RGB_COLORS)
        return STATUS_INVALID_PARAMETER;
    const uint8_t *p = Info;
    GDI_DIB_FORMAT *f = Format;
    size_t needed;
    NTSTATUS status = parse_header(p, InfoBytes, f, &needed);
    if (!NT_SUCCESS(status))
        return status;
    if (InfoBytes < f->InfoBytes)
        return STATUS_BUFFER_TOO_SMALL;

    for (int i = 0; i < 3; i++) {
        f->Mask[i] = 0;
        f->Shift[i] = 0;
        f->MaskBits[i] = 0;
    }
    if (f->Compression == BI_BITFIELDS) {
        for (int i = 0; i < 3; i++) {
            f->Mask[i] = rd32(p + BIH_MASKS + 4 * i);
            if (!mask_shape(f->Mask[i], f->BitCount, &f->Shift[i], &f->MaskBits[i]))
                return STATUS_INVALID_PARAMETER;
        }
        if ((f->Mask[0] & f->Mask[1]) | (f->Mask[0] & f->Mask[2]) | (f->Mask[1] & f->Mask[2]))
            return STATUS_INVALID_PARAMETER;
    } else if (f->BitCount == 16 || f->BitCount == 32) {
        static const uint32_t rgb555[3] = {0x7C00u, 0x03E0u, 0x001Fu};
        static const uint32_t rgb888[3] = {0xFF0000u, 0x00FF00u, 0x0000FFu};
        for (int i = 0; i < 3; i++) {
            f->Mask[i] = f->BitCount == 16 ? rgb555[i] : rgb888[i];
            (void)mask_shape(f->Mask[i], f->BitCount, &f->Shift[i], &f->MaskBits[i]);
        }
    }

    for (uint32_t i = 0; i < 256; i++)
        f->Colors[i] = 0;
    uint32_t entry = f->HeaderBytes == GDI_DIB_CORE_HEADER ? 3u : 4u;
    const uint8_t *table = p + f->HeaderBytes; /* 1/4/8 bpp are never BI_BITFIELDS */
    for (uint32_t i = 0; i < f->ColorCount; i++) {
        const uint8_t *q = table + i * entry; /* blue, green, red[, reserved] */
        f->Colors[i] = (uint32_t)q[2] << 16 | (uint32_t)q[1] << 8 | q[0];
    }
    return STATUS_SUCCESS;
}

NTSTATUS GdiDibImageBytes(const GDI_DIB_FORMAT *Format, uint32_t Rows, size_t *Bytes) {
    if (Format == NULL || Bytes == NULL)
        return STATUS_INVALID_PARAMETER;
    uint64_t bytes = (uint64_t)Format->Stride * Rows;
    if (bytes > (uint64_t)SIZE_MAX)
        return STATUS_INTEGER_OVERFLOW;
    *Bytes = (size_t)bytes;
    return STATUS_SUCCESS;
}

/* 1 when F looks like something GdiDibParseInfo produced. */
static int format_valid(const GDI_DIB_FORMAT *F) {
    if (F == NULL || F->Width <= 0 || F->Height <= 0 || F->Width > GDI_MAX_EXTENT ||
        F->Height > GDI_MAX_EXTENT)
        return 0;
    switch (F->BitCount) {
    case 1:
    case 4:
    case 8:
    case 16:
    case 24:
    case 32: break;
    default: return 0;
    }
    uint64_t stride = (((uint64_t)F->Width * F->BitCount + 31u) >> 5) << 2;
    if (F->Stride < stride || (F->Stride & 3u) != 0 || F->ColorCount > 256)
        return 0;
    if (F->BitCount == 16 || F->BitCount == 32) {
        for (int i = 0; i < 3; i++)
            if (F->Shift[i] > 31 || F->MaskBits[i] == 0 || F->MaskBits[i] > 32)
                return 0;
    }
    return 1;
}

/* Checks a DIB buffer holding scan lines First .. First+Count-1 and gives
 * the picture rows [*Top, *Bottom) those scans hold. */
static NTSTATUS band_rows(const GDI_DIB_FORMAT *F, const void *Bits, size_t BitsBytes, uint32_t First,
                          uint32_t Count, int32_t *Top, int32_t *Bottom) {
    if (!format_valid(F))
        return STATUS_INVALID_PARAMETER;
    if (First > (uint32_t)F->Height || Count > (uint32_t)F->Height - First)
        return STATUS_INVALID_PARAMETER;
    if (Count != 0 && Bits == NULL)
        return STATUS_INVALID_PARAMETER;
    if ((uint64_t)F->Stride * Count > (uint64_t)BitsBytes)
        return STATUS_BUFFER_TOO_SMALL;
    if (F->TopDown) {
        *Top = (int32_t)First;
        *Bottom = (int32_t)(First + Count);
    } else {
        *Top = F->Height - (int32_t)(First + Count);
        *Bottom = F->Height - (int32_t)First;
    }
    return STATUS_SUCCESS;
}

/* The buffer address of picture row Y in a buffer starting at scan First. */
static inline const uint8_t *dib_row(const GDI_DIB_FORMAT *F, const void *Bits, uint32_t First, int32_t Y) {
    uint32_t scan = F->TopDown ? (uint32_t)Y : (uint32_t)(F->Height - 1 - Y);
    return (const uint8_t *)Bits + (size_t)(scan - First) * F->Stride;
}

/* What both directions share: the scans the buffer holds (band_rows), and
 * the part of Rect on the surface that meets them, *Area, with the offsets
 * from surface to DIB coordinates. *Area is empty when nothing meets. */
static NTSTATUS dib_area(const GDI_SURFACE *Surface, const GDI_RECT *Rect, const GDI_DIB_FORMAT *Format,
                         const void *Bits, size_t BitsBytes, uint32_t FirstScan, uint32_t ScanCount,
                         int32_t DibX, int32_t DibY, GDI_RECT *Area, int64_t *Ox, int64_t *Oy) {
    *Area = (GDI_RECT){0};
    if (!surface_valid(Surface) || Rect == NULL)
        return STATUS_INVALID_PARAMETER;
    int32_t top, bottom;
    NTSTATUS status = band_rows(Format, Bits, BitsBytes, FirstScan, ScanCount, &top, &bottom);
    if (!NT_SUCCESS(status))
        return status;
    *Ox = (int64_t)DibX - Rect->left;
    *Oy = (int64_t)DibY - Rect->top;
    if (!clip_to_surface(Area, Rect, Surface) || !clip_mapped(Area, *Ox, *Oy, 0, Format->Width, top, bottom))
        *Area = (GDI_RECT){0};
    return STATUS_SUCCESS;
}

NTSTATUS GdiDibToSurface(GDI_SURFACE *Dst, const GDI_RECT *DstRect, const GDI_DIB_FORMAT *Format,
                         const void *Bits, size_t BitsBytes, uint32_t FirstScan, uint32_t ScanCount,
                         int32_t DibX, int32_t DibY) {
    GDI_RECT r;
    int64_t ox = 0, oy = 0;
    NTSTATUS status =
        dib_area(Dst, DstRect, Format, Bits, BitsBytes, FirstScan, ScanCount, DibX, DibY, &r, &ox, &oy);
    for (int32_t y = r.top; y < r.bottom; y++) {
        const uint8_t *row = dib_row(Format, Bits, FirstScan, (int32_t)(y + oy));
        dib_decode(Format, row, (int32_t)(r.left + ox), r.right - r.left, GdiPixelAddress(Dst, r.left, y));
    }
    return status;
}

NTSTATUS GdiSurfaceToDib(const GDI_SURFACE *Src, const GDI_RECT *SrcRect, const GDI_DIB_FORMAT *Format,
                         void *Bits, size_t BitsBytes, uint32_t FirstScan, uint32_t ScanCount, int32_t DibX,
                         int32_t DibY) {
    GDI_RECT r;
    int64_t ox = 0, oy = 0;
    NTSTATUS status =
        dib_area(Src, SrcRect, Format, Bits, BitsBytes, FirstScan, ScanCount, DibX, DibY, &r, &ox, &oy);
    int32_t x = (int32_t)(r.left + ox), n = r.right - r.left;
    for (int32_t y = r.top; y < r.bottom; y++) {
        uint8_t *row = (uint8_t *)dib_row(Format, Bits, FirstScan, (int32_t)(y + oy));
        if (x == 0 && n == Format->Width) {
            for (uint32_t i = 0; i < Format->Stride; i++)
                row[i] = 0;
        }
        dib_encode(Format, row, x, n, GdiPixelAddress(Src, r.left, y));
    }
    return status;
}

/* ---- StretchBlt ---- */

/* Where stretched pixels come from: a surface, or a whole DIB. */
typedef struct _BLT_SOURCE {
    const GDI_SURFACE *Surface;
    const GDI_DIB_FORMAT *Dib;
    const void *DibBits;
    int32_t Width, Height;
} BLT_SOURCE;

static inline GDI_PIXEL source_pixel(const BLT_SOURCE *S, int32_t X, int32_t Y) {
    if (S->Surface != NULL)
        return *GdiPixelAddress(S->Surface, X, Y);
    GDI_PIXEL p;
    dib_decode(S->Dib, dib_row(S->Dib, S->DibBits, 0, Y), X, 1, &p);
    return p;
}

/* One axis of a stretch, walked one destination pixel at a time. Sample i
 * (counted from the destination's low edge) is floor(Num_i / Den) with
 * Num_i = (2i+1)M and Den = 2N (centre sampling), or, when Ranged, the range
 * floor(iM/N) .. floor((i+1)M/N)-1 (Num_i = iM, Den = N). */
typedef struct _BLT_AXIS {
    int32_t DstFirst, DstStep, Count; /* destination coordinates, in visiting order */
    int32_t SrcLow;                   /* source coordinate of sample 0 */
    int Ranged;
    uint32_t Q, R, IncQ, IncR, Den; /* floor(Num_i / Den), its remainder, and the step */
} BLT_AXIS;

/* Sets up an axis of N destination pixels from DstLow and M source pixels
 * from SrcLow, visiting destination C0 .. C1-1 (inside the destination). */
static void axis_init(BLT_AXIS *A, int32_t DstLow, uint32_t N, int32_t C0, int32_t C1, int32_t SrcLow,
                      uint32_t M, int Mirror, int Ranged) {
    uint32_t first;
    if (!Mirror) {
        first = (uint32_t)(C0 - DstLow);
        A->DstFirst = C0;
        A->DstStep = 1;
    } else {
        /* Mirrored, destination pixel x is sample (DstLow + N - 1) - x. */
        first = (uint32_t)((int64_t)DstLow + N - C1);
        A->DstFirst = C1 - 1;
        A->DstStep = -1;
    }
    A->Count = C1 - C0;
    A->SrcLow = SrcLow;
    A->Ranged = Ranged;
    uint64_t num;
    uint32_t inc;
    if (Ranged) {
        num = (uint64_t)first * M;
        A->Den = N;
        inc = M;
    } else {
        num = (2u * (uint64_t)first + 1u) * M;
        A->Den = 2u * N;
        inc = 2u * M;
    }
    A->Q = div64_32(num, A->Den, &A->R);
    A->IncQ = inc / A->Den;
    A->IncR = inc % A->Den;
}

/* The source range [*Lo, *Hi) of the next destination pixel. */
static inline void axis_next(BLT_AXIS *A, int32_t *Lo, int32_t *Hi) {
    uint32_t q = A->Q;
    A->Q += A->IncQ;
    A->R += A->IncR;
    if (A->R >= A->Den) {
        A->R -= A->Den;
        A->Q++;
    }
    *Lo = A->SrcLow + (int32_t)q;
    *Hi = A->Ranged ? A->SrcLow + (int32_t)A->Q : *Lo + 1;
}

/* Win32's origin-and-extent to [*Low, *Low + *Count); 0 when out of range. */
static int normalize_area(int32_t Origin, int32_t Extent, int32_t *Low, uint32_t *Count) {
    if (Origin < -GDI_MAX_EXTENT || Origin > GDI_MAX_EXTENT || Extent < -GDI_MAX_EXTENT ||
        Extent > GDI_MAX_EXTENT)
        return 0;
    *Low = Extent >= 0 ? Origin : Origin + Extent + 1;
    *Count = (uint32_t)(Extent >= 0 ? Extent : -Extent);
    return 1;
}

static NTSTATUS stretch(GDI_SURFACE *Dst, const GDI_BLT_AREA *DstArea, const GDI_RECT *Clip,
                        const BLT_SOURCE *Src, const GDI_BLT_AREA *SrcArea, const GDI_BRUSH_INFO *Brush,
                        uint8_t Rop3, uint32_t Mode) {
    int32_t dx, dy, sx, sy;
    uint32_t dw, dh, sw, sh;
    if (!normalize_area(DstArea->X, DstArea->Width, &dx, &dw) ||
        !normalize_area(DstArea->Y, DstArea->Height, &dy, &dh) ||
        !normalize_area(SrcArea->X, SrcArea->Width, &sx, &sw) ||
        !normalize_area(SrcArea->Y, SrcArea->Height, &sy, &sh))
        return STATUS_INVALID_PARAMETER;
    if (dw == 0 || dh == 0 || sw == 0 || sh == 0)
        return STATUS_SUCCESS;
    int uses_pattern = GdiRop3UsesPattern(Rop3);

    GDI_RECT dst = {dx, dy, dx + (int32_t)dw, dy + (int32_t)dh}, c;
    if (Clip != NULL) {
        dst.left = max32(dst.left, Clip->left);
        dst.top = max32(dst.top, Clip->top);
        dst.right = min32(dst.right, Clip->right);
        dst.bottom = min32(dst.bottom, Clip->bottom);
    }
    if (!clip_to_surface(&c, &dst, Dst))
        return STATUS_SUCCESS;

    int ranged = Mode == STRETCH_ANDSCANS || Mode == STRETCH_ORSCANS;
    BLT_AXIS ay, ax0;
    axis_init(&ay, dy, dh, c.top, c.bottom, sy, sh, (DstArea->Height < 0) != (SrcArea->Height < 0),
              ranged && sh > dh);
    axis_init(&ax0, dx, dw, c.left, c.right, sx, sw, (DstArea->Width < 0) != (SrcArea->Width < 0),
              ranged && sw > dw);
    BRUSH_ROW plain = {{0}, 0xFFu, 0, 0};

    int32_t y = ay.DstFirst;
    for (int32_t j = 0; j < ay.Count; j++, y += ay.DstStep) {
        int32_t ylo, yhi;
        axis_next(&ay, &ylo, &yhi);
        ylo = max32(ylo, 0);
        yhi = min32(yhi, Src->Height);
        if (ylo >= yhi)
            continue;
        BRUSH_ROW row;
        const BRUSH_ROW *use = &plain;
        if (uses_pattern) {
            if (!brush_row(Brush, y, &row))
                continue;
            use = &row;
        }
        BLT_AXIS ax = ax0;
        GDI_PIXEL *line = GdiPixelAddress(Dst, 0, y);
        int32_t x = ax.DstFirst;
        for (int32_t i = 0; i < ax.Count; i++, x += ax.DstStep) {
            int32_t xlo, xhi;
            axis_next(&ax, &xlo, &xhi);
            xlo = max32(xlo, 0);
            xhi = min32(xhi, Src->Width);
            uint32_t k = ((uint32_t)x - use->OriginX) & 7u;
            if (xlo >= xhi || !(use->Opaque & (1u << k)))
                continue;
            GDI_PIXEL s;
            if (xhi - xlo == 1 && yhi - ylo == 1) {
                s = source_pixel(Src, xlo, ylo);
            } else {
                /* STRETCH_ANDSCANS / STRETCH_ORSCANS over the eliminated pixels. */
                s = Mode == STRETCH_ANDSCANS ? 0xFFFFFFFFu : 0u;
                for (int32_t v = ylo; v < yhi; v++)
                    for (int32_t u = xlo; u < xhi; u++)
                        s = Mode == STRETCH_ANDSCANS ? s & source_pixel(Src, u, v)
                                                     : s | source_pixel(Src, u, v);
            }
            line[x] = (Rop3 == 0xCC ? s : GdiRop3(Rop3, use->Pixel[k], s, line[x])) & GDI_PIXEL_MASK;
        }
    }
    return STATUS_SUCCESS;
}

/* Checks what StretchBlt and StretchDIBits share; *Done when there is
 * nothing to stretch (the ROP reads no source, and has been done as a
 * PatBlt over the clipped destination). */
static NTSTATUS stretch_prologue(GDI_SURFACE *Dst, const GDI_BLT_AREA *DstArea, const GDI_RECT *Clip,
                                 const GDI_BLT_AREA *SrcArea, const GDI_BRUSH_INFO *Brush, uint8_t Rop3,
                                 uint32_t Mode, int *Done) {
    *Done = 1;
    if (!surface_valid(Dst) || DstArea == NULL)
        return STATUS_INVALID_PARAMETER;
    if (Mode < BLACKONWHITE || Mode > HALFTONE)
        return STATUS_INVALID_PARAMETER;
    if (GdiRop3UsesPattern(Rop3) && !brush_valid(Brush))
        return STATUS_INVALID_PARAMETER;
    if (!GdiRop3UsesSource(Rop3)) {
        int32_t dx, dy;
        uint32_t dw, dh;
        if (!normalize_area(DstArea->X, DstArea->Width, &dx, &dw) ||
            !normalize_area(DstArea->Y, DstArea->Height, &dy, &dh))
            return STATUS_INVALID_PARAMETER;
        GDI_RECT r = {dx, dy, dx + (int32_t)dw, dy + (int32_t)dh};
        if (Clip != NULL) {
            r.left = max32(r.left, Clip->left);
            r.top = max32(r.top, Clip->top);
            r.right = min32(r.right, Clip->right);
            r.bottom = min32(r.bottom, Clip->bottom);
        }
        if (r.left >= r.right || r.top >= r.bottom)
            return STATUS_SUCCESS;
        return GdiBitBlt(Dst, &r, NULL, 0, 0, Brush, Rop3);
    }
    if (SrcArea == NULL)
        return STATUS_INVALID_PARAMETER;
    if (GdiRop3UsesPattern(Rop3) && Brush->Style == BS_NULL)
        return STATUS_SUCCESS;
    *Done = 0;
    return STATUS_SUCCESS;
}

/* The part of SrcArea inside a Width x Height source, in *R; 0 if none. */
static int source_part(const GDI_BLT_AREA *SrcArea, int32_t Width, int32_t Height, GDI_RECT *R) {
    int32_t sx, sy;
    uint32_t sw, sh;
    if (!normalize_area(SrcArea->X, SrcArea->Width, &sx, &sw) ||
        !normalize_area(SrcArea->Y, SrcArea->Height, &sy, &sh))
        return 0;
    R->left = max32(sx, 0);
    R->top = max32(sy, 0);
    R->right = min32(sx + (int32_t)sw, Width);
    R->bottom = min32(sy + (int32_t)sh, Height);
    return R->left < R->right && R->top < R->bottom;
}

NTSTATUS GdiStretchBlt(GDI_SURFACE *Dst, const GDI_BLT_AREA *DstArea, const GDI_RECT *Clip,
                       const GDI_SURFACE *Src, const GDI_BLT_AREA *SrcArea, const GDI_BRUSH_INFO *Brush,
                       uint8_t Rop3, uint32_t StretchMode) {
    int done;
    NTSTATUS status = stretch_prologue(Dst, DstArea, Clip, SrcArea, Brush, Rop3, StretchMode, &done);
    if (done || !NT_SUCCESS(status))
        return status;
    if (!surface_valid(Src))
        return STATUS_INVALID_PARAMETER;

    BLT_SOURCE source = {Src, NULL, NULL, Src->Width, Src->Height};
    uintptr_t dlo, dhi, slo, shi;
    surface_span(Dst, &dlo, &dhi);
    surface_span(Src, &slo, &shi);
    GDI_RECT part;
    if (!ranges_overlap(dlo, dhi, slo, shi) || !source_part(SrcArea, Src->Width, Src->Height, &part))
        return stretch(Dst, DstArea, Clip, &source, SrcArea, Brush, Rop3, StretchMode);

    /* Stretching onto itself: read from a copy of the source's visible part. */
    GDI_SURFACE aside;
    status = copy_aside(Src, &part, &aside);
    if (!NT_SUCCESS(status))
        return status;
    BLT_SOURCE copy = {&aside, NULL, NULL, aside.Width, aside.Height};
    GDI_BLT_AREA moved = {SrcArea->X - part.left, SrcArea->Y - part.top, SrcArea->Width, SrcArea->Height};
    status = stretch(Dst, DstArea, Clip, &copy, &moved, Brush, Rop3, StretchMode);
    GdiHostFree(aside.Bits);
    return status;
}

NTSTATUS GdiStretchDib(GDI_SURFACE *Dst, const GDI_BLT_AREA *DstArea, const GDI_RECT *Clip,
                       const GDI_DIB_FORMAT *Format, const void *Bits, size_t BitsBytes,
                       const GDI_BLT_AREA *SrcArea, const GDI_BRUSH_INFO *Brush, uint8_t Rop3,
                       uint32_t StretchMode) {
    int done;
    NTSTATUS status = stretch_prologue(Dst, DstArea, Clip, SrcArea, Brush, Rop3, StretchMode, &done);
    if (done || !NT_SUCCESS(status))
        return status;
    int32_t top, bottom;
    status = band_rows(Format, Bits, BitsBytes, 0, format_valid(Format) ? (uint32_t)Format->Height : 0, &top,
                       &bottom);
    if (!NT_SUCCESS(status))
        return status;

    BLT_SOURCE source = {NULL, Format, Bits, Format->Width, Format->Height};
    uintptr_t dlo, dhi, blo = (uintptr_t)Bits,
                        bhi = blo + (uintptr_t)Format->Stride * (uint32_t)Format->Height;
    surface_span(Dst, &dlo, &dhi);
    GDI_RECT part;
    if (!ranges_overlap(dlo, dhi, blo, bhi) || !source_part(SrcArea, Format->Width, Format->Height, &part))
        return stretch(Dst, DstArea, Clip, &source, SrcArea, Brush, Rop3, StretchMode);

    /* The DIB's bits are the destination's own (a DIB section drawn onto
     * itself): decode the visible part aside first. */
    GDI_SURFACE aside;
    aside.Width = part.right - part.left;
    aside.Height = part.bottom - part.top;
    aside.Stride = 4 * aside.Width;
    aside.Bits = GdiHostAlloc((size_t)aside.Width * (size_t)aside.Height * 4u);
    if (aside.Bits == NULL)
        return STATUS_NO_MEMORY;
    for (int32_t y = 0; y < aside.Height; y++)
        dib_decode(Format, dib_row(Format, Bits, 0, part.top + y), part.left, aside.Width,
                   GdiPixelAddress(&aside, 0, y));
    BLT_SOURCE copy = {&aside, NULL, NULL, aside.Width, aside.Height};
    GDI_BLT_AREA moved = {SrcArea->X - part.left, SrcArea->Y - part.top, SrcArea->Width, SrcArea->Height};
    status = stretch(Dst, DstArea, Clip, &copy, &moved, Brush, Rop3, StretchMode);
    GdiHostFree(aside.Bits);
    return status;
}
