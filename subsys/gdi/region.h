/*
 * region.h - y-x banded regions: the engine's clip regions and the storage
 * behind Win32's HRGN (CreateRectRgn, CombineRgn, OffsetRgn, PtInRegion,
 * RectInRegion, EqualRgn, GetRgnBox, GetRegionData).
 *
 * Why: every drawing operation is clipped by a region, one span at a time,
 * so a region is kept in the one form that makes "which parts of row Y,
 * columns X0..X1 are inside?" a binary search and a short walk: Win32's y-x
 * banded rectangle list (see region.c's header for the representation and
 * the combine algorithm). That form is also canonical - one pixel set has
 * exactly one banded list - so equality is a comparison of two arrays and
 * GetRegionData hands out the array as it is.
 *
 * The codes are Win32's, so the API layer passes them through unchanged.
 * Coordinates are device pixels; rectangles exclude right and bottom.
 */
#ifndef GDI_REGION_H
#define GDI_REGION_H

#include <stdbool.h>
#include <stdint.h>

#include "gdikernel.h"

/* CombineRgn's modes (Win32's RGN_* values). */
#define GDI_RGN_AND 1
#define GDI_RGN_OR 2
#define GDI_RGN_XOR 3
#define GDI_RGN_DIFF 4
#define GDI_RGN_COPY 5

/* Region complexity, as returned by CombineRgn/GetRgnBox/OffsetRgn (Win32's
 * ERROR, NULLREGION, SIMPLEREGION, COMPLEXREGION values). */
#define GDI_RGN_ERROR 0
#define GDI_NULLREGION 1
#define GDI_SIMPLEREGION 2
#define GDI_COMPLEXREGION 3

/*
 * A region: Count rectangles in y-x banded order (see region.c).
 *   Count == 0  empty; Bounds is {0, 0, 0, 0}.
 *   Count == 1  the region is the rectangle Bounds; Rects is not read (a
 *               rectangular region - the common clip - needs no memory).
 *   Count >= 2  Rects[0 .. Count-1]; Bounds is their bounding box.
 * Rects/Capacity is storage the region owns and may keep while Count <= 1,
 * to be reused. Treat the fields as read-only outside region.c; read the
 * rectangles through RgnRects/RgnGetRect, which handle Count == 1.
 * A zeroed GDI_REGION is a valid empty region. Do not copy the structure
 * (two copies would share Rects and free it twice): use RgnCopy. Moving it
 * is fine when the old copy is then forgotten rather than freed.
 */
typedef struct _GDI_REGION {
    uint32_t Count;
    uint32_t Capacity; /* rectangles Rects can hold */
    GDI_RECT *Rects;
    GDI_RECT Bounds;
} GDI_REGION;

/* Makes Rgn an empty region that owns no memory. Never fails. */
void RgnInit(GDI_REGION *Rgn);

/* Releases Rgn's storage and leaves it empty (and reusable). Never fails. */
void RgnFree(GDI_REGION *Rgn);

/* Makes Rgn empty, keeping its storage for reuse. Never fails. */
void RgnSetEmpty(GDI_REGION *Rgn);

/* Makes Rgn the rectangle Rect, normalised first (left/right and top/bottom
 * swapped when reversed, as CreateRectRgn does); a rectangle with no area
 * makes Rgn empty. Needs no memory, never fails. Returns GDI_NULLREGION or
 * GDI_SIMPLEREGION. */
int RgnSetRect(GDI_REGION *Rgn, const GDI_RECT *Rect);

/* Makes Dst a copy of Src (Dst == Src is allowed). Returns the complexity,
 * or GDI_RGN_ERROR when out of memory, with Dst unchanged. */
int RgnCopy(GDI_REGION *Dst, const GDI_REGION *Src);

/* Makes Rgn the union of Count spans (row Y, columns X0 .. X1-1) given in
 * any order, overlapping or not. Spans with X1 <= X0, and spans on row
 * INT32_MAX (whose bottom edge cannot be represented), are ignored. Returns
 * the complexity, or GDI_RGN_ERROR when out of memory, with Rgn unchanged. */
int RgnFromSpans(GDI_REGION *Rgn, const GDI_SPAN *Spans, size_t Count);

/* Dst = A <Mode> B, CombineRgn's operation: GDI_RGN_AND (intersection),
 * GDI_RGN_OR (union), GDI_RGN_XOR, GDI_RGN_DIFF (A minus B) or GDI_RGN_COPY
 * (Dst = A; B is not read and may be NULL). Dst may be A or B. Returns the
 * complexity of the result, or GDI_RGN_ERROR for an unknown Mode or when out
 * of memory, with Dst unchanged in both cases. */
int RgnCombine(GDI_REGION *Dst, const GDI_REGION *A, const GDI_REGION *B, int Mode);

/* Dst = Src clipped to the rectangle Rect (normalised first); the fast form
 * of RgnCombine(Dst, Src, <Rect as a region>, GDI_RGN_AND). Dst may be Src,
 * in which case it needs no memory and cannot fail. Returns the complexity,
 * or GDI_RGN_ERROR when out of memory, with Dst unchanged. */
int RgnIntersectRect(GDI_REGION *Dst, const GDI_REGION *Src, const GDI_RECT *Rect);

/* Moves Rgn by (Dx, Dy). Returns the complexity, or GDI_RGN_ERROR when a
 * coordinate would leave the int32_t range, with Rgn unchanged. */
int RgnOffset(GDI_REGION *Rgn, int32_t Dx, int32_t Dy);

/* True when pixel (X, Y) is inside Rgn (PtInRegion: a rectangle's right
 * column and bottom row are outside it). */
bool RgnPtIn(const GDI_REGION *Rgn, int32_t X, int32_t Y);

/* True when any pixel of Rect (normalised first) is inside Rgn
 * (RectInRegion). A rectangle with no area is in no region. */
bool RgnRectIn(const GDI_REGION *Rgn, const GDI_RECT *Rect);

/* True when A and B cover the same pixels (EqualRgn); two empty regions
 * are equal. */
bool RgnEqual(const GDI_REGION *A, const GDI_REGION *B);

/* Stores Rgn's bounding box in *Box ({0, 0, 0, 0} when empty) and returns
 * its complexity (GetRgnBox). */
int RgnBox(const GDI_REGION *Rgn, GDI_RECT *Box);

/* GDI_NULLREGION (no rectangles), GDI_SIMPLEREGION (one) or
 * GDI_COMPLEXREGION (more). */
int RgnComplexity(const GDI_REGION *Rgn);

/* The number of rectangles in Rgn's banded list (GetRegionData's nCount). */
uint32_t RgnRectCount(const GDI_REGION *Rgn);

/* Stores rectangle Index of the banded list in *Rect and returns true, or
 * returns false when Index >= RgnRectCount(Rgn). */
bool RgnGetRect(const GDI_REGION *Rgn, uint32_t Index, GDI_RECT *Rect);

/* The banded list as one array of RgnRectCount(Rgn) rectangles (for
 * GetRegionData), valid until Rgn is next changed; NULL when Rgn is empty. */
const GDI_RECT *RgnRects(const GDI_REGION *Rgn);

/* Calls Sink->Span once for each run of row Y, columns X0 .. X1-1, that is
 * inside Rgn, left to right; the runs do not overlap or touch. Nothing is
 * emitted when X1 <= X0. This is the clip every drawing operation uses:
 * O(log bands + rectangles the span meets). */
void RgnClipSpan(const GDI_REGION *Rgn, int32_t Y, int32_t X0, int32_t X1, GDI_SPAN_SINK *Sink);

#endif
