/*
 * gredraw.c - painting through a DC: pixels, rectangles, blits, regions.
 *
 * Why: every drawing call ends the same way: device coordinates, the DC's
 * effective clip (its clip region within its surface), and a brush or pen
 * with a raster operation. This file holds that path (the paint sink that
 * clips spans to the region and hands them to blt.c) and the calls built on
 * it that need no scan conversion: SetPixel/GetPixel, PatBlt, BitBlt,
 * StretchBlt, FillRect/FrameRect/InvertRect, and the region calls. Shapes
 * are in greshape.c, text in gretext.c. The software cursor is taken off
 * the screen around every paint of the screen (GreCursorExclude).
 */
#include "gre.h"

#define BS_SOLID_ 0
#define BS_NULL_ 1
#define BS_HATCHED_ 2
#define BS_PATTERN_ 3
#define R2_NOT_ 6
#define ROP_PATCOPY 0xF0
#define ROP_DSTINVERT 0x55

int GreBrushInfo(GRE_DC *Dc, const GRE_BRUSH *Brush, GDI_BRUSH_INFO *Info) {
    if (!Brush || Brush->Style == BS_NULL_)
        return 0;
    GdiMakeSolidBrush(Info, GdiColorToPixel(Brush->Color));
    Info->Origin = Dc->State.BrushOrg;
    if (Brush->Style == BS_HATCHED_) {
        Info->Style = BS_HATCHED_;
        Info->Hatch = Brush->Hatch;
        Info->BackPixel = GdiColorToPixel(Dc->State.BkColor);
        Info->Transparent = Dc->State.BkMode == GRE_TRANSPARENT;
    } else if (Brush->Style == BS_PATTERN_) {
        Info->Style = BS_PATTERN_;
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++)
                Info->Pattern[y][x] = Brush->Pattern[y][x];
    }
    return 1;
}

static void paint_span(GDI_SPAN_SINK *Base, int32_t Y, int32_t X0, int32_t X1) {
    GRE_PAINT_SINK *s = (GRE_PAINT_SINK *)Base;
    if (s->Single)
        s->Paint.Sink.Span(&s->Paint.Sink, Y, X0, X1);
    else
        RgnClipSpan(s->Clip, Y, X0, X1, &s->Paint.Sink);
}

void GreInitPaintSink(GRE_PAINT_SINK *Sink, GDI_SURFACE *Surface, const GDI_REGION *Clip,
                      const GDI_BRUSH_INFO *Brush, uint32_t Rop2) {
    GDI_RECT box;
    Sink->Base.Span = paint_span;
    Sink->Clip = Clip;
    Sink->Single = RgnRectCount(Clip) == 1 && RgnBox(Clip, &box);
    GdiInitBrushSink(&Sink->Paint, Surface, Brush, Rop2, Sink->Single ? &box : NULL);
}

/* Runs Paint with Dc's surface and effective clip, hiding the cursor when
 * the surface is the screen and Area (device, may be NULL: anywhere) could
 * touch it. Returns 0 when the DC has no surface or memory is short. */
static int with_clip(GRE_DC *Dc, const GDI_RECT *Area, GDI_SURFACE **Surface, GDI_REGION *Clip) {
    *Surface = GreDcSurface(Dc);
    if (!*Surface || !GreEffectiveClip(Dc, Clip)) {
        GreSetLastError(GDI_ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    if (Dc->IsScreen)
        GreCursorExclude(Area);
    return 1;
}

static void done_clip(GRE_DC *Dc, GDI_REGION *Clip) {
    RgnFree(Clip);
    if (Dc->IsScreen)
        GreCursorRestore();
}

void GrePaintRect(GRE_DC *Dc, const GDI_RECT *Rect, const GDI_BRUSH_INFO *Brush, uint32_t Rop2) {
    GDI_SURFACE *s;
    GDI_REGION clip;
    if (Rect->left >= Rect->right || Rect->top >= Rect->bottom || !with_clip(Dc, Rect, &s, &clip))
        return;
    GRE_PAINT_SINK sink;
    GreInitPaintSink(&sink, s, &clip, Brush, Rop2);
    GDI_RECT box;
    RgnBox(&clip, &box);
    int32_t top = Rect->top > box.top ? Rect->top : box.top;
    int32_t bottom = Rect->bottom < box.bottom ? Rect->bottom : box.bottom;
    for (int32_t y = top; y < bottom; y++)
        sink.Base.Span(&sink.Base, y, Rect->left, Rect->right);
    done_clip(Dc, &clip);
}

/* ---- pixels ---- */

/* SetPixel (Set) and GetPixel: one pixel at logical (X, Y) through the
 * clip. CLR_INVALID for a bad DC or coordinate, or a pixel outside the clip
 * (Win32 answers -1 there too). */
static uint32_t one_pixel(GDI_HANDLE Dc, int32_t X, int32_t Y, int Set, GDI_COLORREF Color) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc || !GreCoordOk(X) || !GreCoordOk(Y) || Color > 0xFFFFFF)
        return GRE_CLR_INVALID;
    GDI_POINT p = GreToDevice(dc, X, Y);
    GDI_SURFACE *s;
    GDI_REGION clip;
    GDI_RECT one = {p.x, p.y, p.x + 1, p.y + 1};
    if (!with_clip(dc, &one, &s, &clip))
        return GRE_CLR_INVALID;
    uint32_t result = GRE_CLR_INVALID;
    if (RgnPtIn(&clip, p.x, p.y)) {
        GDI_PIXEL *at = GdiPixelAddress(s, p.x, p.y);
        if (Set)
            *at = GdiColorToPixel(Color);
        result = Set ? Color : GdiPixelToColor(*at);
    }
    done_clip(dc, &clip);
    return result;
}

uint32_t GreSetPixel(GDI_HANDLE Dc, int32_t X, int32_t Y, GDI_COLORREF Color) {
    return one_pixel(Dc, X, Y, 1, Color);
}

uint32_t GreGetPixel(GDI_HANDLE Dc, int32_t X, int32_t Y) {
    return one_pixel(Dc, X, Y, 0, 0);
}

/* ---- blits ---- */

/* Runs GdiBitBlt once per clip rectangle meeting Dest. */
static int blt_through_clip(GRE_DC *Dc, const GDI_RECT *Dest, const GDI_SURFACE *Src, int32_t SrcX,
                            int32_t SrcY, const GDI_BRUSH_INFO *Brush, uint8_t Rop3) {
    GDI_SURFACE *s;
    GDI_REGION clip;
    if (!with_clip(Dc, Dest, &s, &clip))
        return 0;
    int ok = 1;
    for (uint32_t i = 0; i < RgnRectCount(&clip); i++) {
        GDI_RECT c;
        RgnGetRect(&clip, i, &c);
        GDI_RECT r = {Dest->left > c.left ? Dest->left : c.left, Dest->top > c.top ? Dest->top : c.top,
                      Dest->right < c.right ? Dest->right : c.right,
                      Dest->bottom < c.bottom ? Dest->bottom : c.bottom};
        if (r.left >= r.right || r.top >= r.bottom)
            continue;
        if (!NT_SUCCESS(
                GdiBitBlt(s, &r, Src, SrcX + (r.left - Dest->left), SrcY + (r.top - Dest->top), Brush, Rop3)))
            ok = 0;
    }
    done_clip(Dc, &clip);
    return ok;
}

static int extent_ok(int32_t X, int32_t Y, int32_t W, int32_t H) {
    return GreCoordOk(X) && GreCoordOk(Y) && GreCoordOk(W) && GreCoordOk(H);
}

int GrePatBlt(GDI_HANDLE Dc, int32_t X, int32_t Y, int32_t W, int32_t H, uint32_t Rop) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc)
        return 0;
    uint8_t rop = GDI_ROP3_INDEX(Rop);
    if (!extent_ok(X, Y, W, H) || GdiRop3UsesSource(rop)) {
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    GDI_BRUSH_INFO brush;
    if (!GreBrushInfo(dc, GdiLookupHandle(dc->State.Brush, GDI_OBJECT_TYPE_BRUSH, GDI_OWNER_ANY), &brush)) {
        if (GdiRop3UsesPattern(rop))
            return 1; /* a null brush paints nothing */
        GdiMakeSolidBrush(&brush, 0);
    }
    GDI_RECT r = GreRectToDevice(dc, X, Y, X + W, Y + H);
    return blt_through_clip(dc, &r, NULL, 0, 0, &brush, rop);
}

int GreBitBlt(GDI_HANDLE Dc, int32_t X, int32_t Y, int32_t W, int32_t H, GDI_HANDLE SrcDc, int32_t Xs,
              int32_t Ys, uint32_t Rop) {
    uint8_t rop = GDI_ROP3_INDEX(Rop);
    if (!GdiRop3UsesSource(rop))
        return GrePatBlt(Dc, X, Y, W, H, Rop);
    GRE_DC *dc = GreDc(Dc), *src = GreDc(SrcDc);
    if (!dc || !src)
        return 0;
    if (!extent_ok(X, Y, W, H) || !extent_ok(Xs, Ys, 0, 0)) {
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    GDI_SURFACE *s = GreDcSurface(src);
    if (!s)
        return 0;
    GDI_BRUSH_INFO brush;
    if (!GreBrushInfo(dc, GdiLookupHandle(dc->State.Brush, GDI_OBJECT_TYPE_BRUSH, GDI_OWNER_ANY), &brush))
        GdiMakeSolidBrush(&brush, 0);
    GDI_RECT r = GreRectToDevice(dc, X, Y, X + W, Y + H);
    GDI_POINT sp = GreToDevice(src, Xs, Ys);
    if (src->IsScreen)
        GreCursorExclude(NULL); /* reading the screen: the cursor must not be in the copy */
    int ok = blt_through_clip(dc, &r, s, sp.x, sp.y, &brush, rop);
    if (src->IsScreen)
        GreCursorRestore();
    return ok;
}

int GreStretchBlt(GDI_HANDLE Dc, int32_t X, int32_t Y, int32_t W, int32_t H, GDI_HANDLE SrcDc, int32_t Xs,
                  int32_t Ys, int32_t Ws, int32_t Hs, uint32_t Rop) {
    GRE_DC *dc = GreDc(Dc), *src = GreDc(SrcDc);
    if (!dc || !src)
        return 0;
    if (!extent_ok(X, Y, W, H) || !extent_ok(Xs, Ys, Ws, Hs)) {
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    GDI_SURFACE *s = GreDcSurface(src), *d;
    GDI_REGION clip;
    if (!s)
        return 0;
    GDI_BRUSH_INFO brush;
    if (!GreBrushInfo(dc, GdiLookupHandle(dc->State.Brush, GDI_OBJECT_TYPE_BRUSH, GDI_OWNER_ANY), &brush))
        GdiMakeSolidBrush(&brush, 0);
    GDI_POINT d0 = GreToDevice(dc, X, Y), d1 = GreToDevice(dc, X + W, Y + H);
    GDI_POINT s0 = GreToDevice(src, Xs, Ys), s1 = GreToDevice(src, Xs + Ws, Ys + Hs);
    GDI_BLT_AREA da = {d0.x, d0.y, d1.x - d0.x, d1.y - d0.y}, sa = {s0.x, s0.y, s1.x - s0.x, s1.y - s0.y};
    if (!with_clip(dc, NULL, &d, &clip))
        return 0;
    int ok = 1;
    for (uint32_t i = 0; i < RgnRectCount(&clip); i++) {
        GDI_RECT c;
        RgnGetRect(&clip, i, &c);
        if (!NT_SUCCESS(
                GdiStretchBlt(d, &da, &c, s, &sa, &brush, GDI_ROP3_INDEX(Rop), dc->State.StretchMode)))
            ok = 0;
    }
    done_clip(dc, &clip);
    return ok;
}

/* ---- USER's rectangle helpers (FillRect, FrameRect, InvertRect) ---- */

int GreFillRect(GDI_HANDLE Dc, int32_t L, int32_t T, int32_t R, int32_t B, GDI_HANDLE Brush) {
    GRE_DC *dc = GreDc(Dc);
    GRE_BRUSH *b = Brush ? GreObject(Brush, GDI_OBJECT_TYPE_BRUSH) : NULL;
    if (!dc || !b || !extent_ok(L, T, R, B))
        return 0;
    GDI_BRUSH_INFO info;
    if (!GreBrushInfo(dc, b, &info) || R <= L || B <= T)
        return 1; /* USER's rectangles are not normalised: an inverted one is empty */
    GDI_RECT r = GreRectToDevice(dc, L, T, R, B);
    GrePaintRect(dc, &r, &info, GRE_R2_COPYPEN); /* FillRect ignores the ROP2 mode, as Win32's */
    return 1;
}

int GreFrameRect(GDI_HANDLE Dc, int32_t L, int32_t T, int32_t R, int32_t B, GDI_HANDLE Brush) {
    GRE_DC *dc = GreDc(Dc);
    GRE_BRUSH *b = GreObject(Brush, GDI_OBJECT_TYPE_BRUSH);
    if (!dc || !b || !extent_ok(L, T, R, B))
        return 0;
    GDI_BRUSH_INFO info;
    GDI_RECT r = GreRectToDevice(dc, L, T, R, B);
    if (!GreBrushInfo(dc, b, &info) || R <= L || B <= T)
        return 1;
    GDI_RECT sides[4] = {{r.left, r.top, r.right, r.top + 1},
                         {r.left, r.bottom - 1, r.right, r.bottom},
                         {r.left, r.top + 1, r.left + 1, r.bottom - 1},
                         {r.right - 1, r.top + 1, r.right, r.bottom - 1}};
    for (int i = 0; i < 4; i++)
        if (i < 2 || r.right - r.left > 1 || i == 2)
            GrePaintRect(dc, &sides[i], &info, GRE_R2_COPYPEN);
    return 1;
}

int GreInvertRect(GDI_HANDLE Dc, int32_t L, int32_t T, int32_t R, int32_t B) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc || !extent_ok(L, T, R, B))
        return 0;
    if (R <= L || B <= T)
        return 1;
    GDI_BRUSH_INFO info;
    GdiMakeSolidBrush(&info, 0);
    GDI_RECT r = GreRectToDevice(dc, L, T, R, B);
    GrePaintRect(dc, &r, &info, R2_NOT_);
    return 1;
}

/* ---- regions ---- */

static GDI_HANDLE new_region(GRE_REGION **Out) {
    GRE_REGION *r = GdiHostAlloc(sizeof *r);
    if (!r) {
        GreSetLastError(GDI_ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    RgnInit(&r->Region);
    *Out = r;
    return 1;
}

static void free_region_object(void *Object) {
    RgnFree(&((GRE_REGION *)Object)->Region);
    GdiHostFree(Object);
}

GDI_HANDLE GreCreateRectRgn(int32_t L, int32_t T, int32_t R, int32_t B) {
    GRE_REGION *r;
    if (!extent_ok(L, T, R, B)) {
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (!new_region(&r))
        return 0;
    GDI_RECT rect = {L < R ? L : R, T < B ? T : B, L < R ? R : L, T < B ? B : T};
    if (RgnSetRect(&r->Region, &rect) == GRE_ERROR) {
        free_region_object(r);
        GreSetLastError(GDI_ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    return GreInsert(r, GDI_OBJECT_TYPE_REGION, free_region_object);
}

/* A region from the spans of a shape (greshape.c's scan converters). */
GDI_HANDLE GreRegionFromSpans(const GDI_SPAN *Spans, uint32_t Count) {
    GRE_REGION *r;
    if (!new_region(&r))
        return 0;
    if (RgnFromSpans(&r->Region, Spans, Count) == GRE_ERROR) {
        free_region_object(r);
        GreSetLastError(GDI_ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    return GreInsert(r, GDI_OBJECT_TYPE_REGION, free_region_object);
}

uint32_t GreCombineRgn(GDI_HANDLE Dst, GDI_HANDLE A, GDI_HANDLE B, uint32_t Mode) {
    GRE_REGION *d = GreObject(Dst, GDI_OBJECT_TYPE_REGION), *a = GreObject(A, GDI_OBJECT_TYPE_REGION);
    GRE_REGION *b = Mode == 5 ? a : GreObject(B, GDI_OBJECT_TYPE_REGION); /* RGN_COPY needs no B */
    if (!d || !a || !b || Mode < 1 || Mode > 5)
        return GRE_ERROR;
    return (uint32_t)RgnCombine(&d->Region, &a->Region, &b->Region, (int)Mode);
}

uint32_t GreOffsetRgn(GDI_HANDLE Region, int32_t Dx, int32_t Dy) {
    GRE_REGION *r = GreObject(Region, GDI_OBJECT_TYPE_REGION);
    if (!r || !GreCoordOk(Dx) || !GreCoordOk(Dy))
        return GRE_ERROR;
    return (uint32_t)RgnOffset(&r->Region, Dx, Dy);
}

int GrePtInRegion(GDI_HANDLE Region, int32_t X, int32_t Y) {
    GRE_REGION *r = GreObject(Region, GDI_OBJECT_TYPE_REGION);
    return r && RgnPtIn(&r->Region, X, Y);
}

int GreRectInRegion(GDI_HANDLE Region, int32_t L, int32_t T, int32_t R, int32_t B) {
    GRE_REGION *r = GreObject(Region, GDI_OBJECT_TYPE_REGION);
    GDI_RECT rect = {L < R ? L : R, T < B ? T : B, L < R ? R : L, T < B ? B : T};
    return r && RgnRectIn(&r->Region, &rect);
}

int GreEqualRgn(GDI_HANDLE A, GDI_HANDLE B) {
    GRE_REGION *a = GreObject(A, GDI_OBJECT_TYPE_REGION), *b = GreObject(B, GDI_OBJECT_TYPE_REGION);
    return a && b && RgnEqual(&a->Region, &b->Region);
}

uint32_t GreGetRgnBox(GDI_HANDLE Region, GDI_RECT *Box) {
    GRE_REGION *r = GreObject(Region, GDI_OBJECT_TYPE_REGION);
    return r ? (uint32_t)RgnBox(&r->Region, Box) : GRE_ERROR;
}

int GreSetRectRgn(GDI_HANDLE Region, int32_t L, int32_t T, int32_t R, int32_t B) {
    GRE_REGION *r = GreObject(Region, GDI_OBJECT_TYPE_REGION);
    GDI_RECT rect = {L < R ? L : R, T < B ? T : B, L < R ? R : L, T < B ? B : T};
    return r && extent_ok(L, T, R, B) && RgnSetRect(&r->Region, &rect) != GRE_ERROR;
}

/* Paints Region, whose coordinates are logical (as FillRgn's are in
 * Win32), with Brush and Rop2: each of its rectangles is mapped to device
 * pixels (a rectangle stays a rectangle under every mapping mode). */
static int paint_region(GRE_DC *Dc, const GDI_REGION *Region, const GDI_BRUSH_INFO *Brush, uint32_t Rop2) {
    for (uint32_t i = 0; i < RgnRectCount(Region); i++) {
        GDI_RECT r;
        RgnGetRect(Region, i, &r);
        GDI_RECT d = GreRectToDevice(Dc, r.left, r.top, r.right, r.bottom);
        GrePaintRect(Dc, &d, Brush, Rop2);
    }
    return 1;
}

int GreFillRgn(GDI_HANDLE Dc, GDI_HANDLE Region, GDI_HANDLE Brush) {
    GRE_DC *dc = GreDc(Dc);
    GRE_REGION *r = GreObject(Region, GDI_OBJECT_TYPE_REGION);
    GRE_BRUSH *b = GreObject(Brush, GDI_OBJECT_TYPE_BRUSH);
    GDI_BRUSH_INFO info;
    if (!dc || !r || !b)
        return 0;
    return !GreBrushInfo(dc, b, &info) || paint_region(dc, &r->Region, &info, dc->State.Rop2);
}

int GrePaintRgn(GDI_HANDLE Dc, GDI_HANDLE Region) {
    GRE_DC *dc = GreDc(Dc);
    return dc && GreFillRgn(Dc, Region, dc->State.Brush);
}

int GreInvertRgn(GDI_HANDLE Dc, GDI_HANDLE Region) {
    GRE_DC *dc = GreDc(Dc);
    GRE_REGION *r = GreObject(Region, GDI_OBJECT_TYPE_REGION);
    if (!dc || !r)
        return 0;
    GDI_BRUSH_INFO info;
    GdiMakeSolidBrush(&info, 0);
    return paint_region(dc, &r->Region, &info, R2_NOT_);
}

/* FrameRgn: the region minus itself shrunk by W and H on every side. */
int GreFrameRgn(GDI_HANDLE Dc, GDI_HANDLE Region, GDI_HANDLE Brush, int32_t W, int32_t H) {
    GRE_DC *dc = GreDc(Dc);
    GRE_REGION *r = GreObject(Region, GDI_OBJECT_TYPE_REGION);
    GRE_BRUSH *b = GreObject(Brush, GDI_OBJECT_TYPE_BRUSH);
    if (!dc || !r || !b || W < 0 || H < 0 || W > 4096 || H > 4096)
        return 0;
    GDI_REGION inner, moved, frame;
    RgnInit(&inner);
    RgnInit(&moved);
    RgnInit(&frame);
    int ok = RgnCopy(&inner, &r->Region) != GRE_ERROR;
    int32_t shifts[4][2] = {{W, 0}, {-W, 0}, {0, H}, {0, -H}};
    for (int i = 0; ok && i < 4; i++) {
        ok = RgnCopy(&moved, &r->Region) != GRE_ERROR &&
             RgnOffset(&moved, shifts[i][0], shifts[i][1]) != GRE_ERROR &&
             RgnCombine(&inner, &inner, &moved, 1 /* AND */) != GRE_ERROR;
    }
    ok = ok && RgnCombine(&frame, &r->Region, &inner, 4 /* DIFF */) != GRE_ERROR;
    GDI_BRUSH_INFO info;
    if (ok && GreBrushInfo(dc, b, &info))
        paint_region(dc, &frame, &info, dc->State.Rop2);
    RgnFree(&inner);
    RgnFree(&moved);
    RgnFree(&frame);
    if (!ok)
        GreSetLastError(GDI_ERROR_NOT_ENOUGH_MEMORY);
    return ok;
}
