/*
 * gdikernel.h - the GDI engine's shared vocabulary: surfaces, colours,
 * rectangles, spans, and the host interface (DESIGN.md section 9).
 *
 * Why: the engine is one source tree built into three hosts (csrss, the
 * kernel, and an in-process host for host tests and benchmarks), so it
 * never calls an operating system directly. Everything it needs from its
 * host is the handful of GdiHost* functions below; everything its modules
 * share (a 32 bpp surface, a span, a rectangle) is defined once here. The
 * modules each have their own header:
 *
 *   region.h  y-x banded regions and CombineRgn          (region.c)
 *   raster.h  scan conversion of Win32's shapes to spans (raster.c)
 *   blt.h     ROP2/ROP3, PatBlt/BitBlt/StretchBlt, DIBs  (blt.c)
 *   font.h    bitmap fonts, text output and metrics      (font.c, gen/)
 *
 * Conventions, all Win32's:
 *   - Coordinates here are device coordinates (pixels), after any mapping.
 *   - Rectangles include left/top and exclude right/bottom.
 *   - A COLORREF is 0x00BBGGRR; a surface pixel (GDI_PIXEL) is a 32 bpp
 *     BI_RGB DIB pixel, 0x00RRGGBB in a little-endian ULONG (B, G, R, 0 in
 *     memory). GdiColorToPixel/GdiPixelToColor convert.
 *   - Surfaces are top-down: row 0 is at Bits, row y at Bits + y * Stride.
 */
#ifndef GDI_GDIKERNEL_H
#define GDI_GDIKERNEL_H

#include <stddef.h>
#include <stdint.h>

#ifndef GDI_NO_NT_TYPES
#include <nt/ntdef.h>
#endif

typedef uint32_t GDI_PIXEL;
typedef uint32_t GDI_COLORREF; /* 0x00BBGGRR */

static inline GDI_PIXEL GdiColorToPixel(GDI_COLORREF c) {
    return ((c & 0xFFu) << 16) | (c & 0xFF00u) | ((c >> 16) & 0xFFu);
}
static inline GDI_COLORREF GdiPixelToColor(GDI_PIXEL p) {
    return ((p & 0xFFu) << 16) | (p & 0xFF00u) | ((p >> 16) & 0xFFu);
}

typedef struct _GDI_RECT {
    int32_t left, top, right, bottom;
} GDI_RECT;

typedef struct _GDI_POINT {
    int32_t x, y;
} GDI_POINT;

/* A 32 bpp surface: the screen, a memory bitmap or a DIB section. */
typedef struct _GDI_SURFACE {
    int32_t Width, Height;
    int32_t Stride; /* bytes from one row to the next (>= 4 * Width) */
    GDI_PIXEL *Bits;
} GDI_SURFACE;

static inline GDI_PIXEL *GdiPixelAddress(const GDI_SURFACE *S, int32_t X, int32_t Y) {
    return (GDI_PIXEL *)((uint8_t *)S->Bits + (ptrdiff_t)Y * S->Stride) + X;
}

/* One horizontal run of pixels: row Y, columns X0 .. X1-1. Shapes are
 * rasterized into spans; clipping, ROP2 and brushes are applied to spans. */
typedef struct _GDI_SPAN {
    int32_t Y, X0, X1;
} GDI_SPAN;

/* Where a rasterizer sends its output. Spans of one shape arrive in any
 * order and never overlap each other (a pixel is covered at most once per
 * shape, as Win32 requires for ROP2 modes such as R2_XORPEN). */
typedef struct _GDI_SPAN_SINK {
    void (*Span)(struct _GDI_SPAN_SINK *Sink, int32_t Y, int32_t X0, int32_t X1);
} GDI_SPAN_SINK;

/* ---- the host interface: each host (csrss, kernel, in-process) supplies these ---- */

/* Memory for the engine's own structures; NULL when exhausted. Zeroed. */
void *GdiHostAlloc(size_t Bytes);
void GdiHostFree(void *Block);

/* Memory shared with the calling process, for DIB sections: Bytes of
 * zeroed memory, returned where the engine runs and mapped at
 * *ClientAddress in the caller's address space (the same pages); *Cookie
 * names it for GdiHostFreeShared. NULL when it cannot be had. */
void *GdiHostAllocShared(size_t Bytes, uint32_t *ClientAddress, void **Cookie);
void GdiHostFreeShared(void *Cookie);

/* Who is calling: the process that will own the objects it creates (the
 * client's process id in csrss and in the kernel; a constant in-process).
 * Objects count against their owner's quota and die with it. */
uint32_t GdiHostCurrentOwner(void);

/* The engine's one lock, around every Gre* entry point: csrss runs one
 * server thread per client thread, the kernel runs every caller's thread. */
void GdiHostLock(void);
void GdiHostUnlock(void);

#endif
