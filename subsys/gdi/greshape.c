/*
 * greshape.c - lines and shapes: LineTo, Polyline(To), Polygon,
 * PolyPolygon, Rectangle, RoundRect, Ellipse, Arc, Chord, Pie, and the
 * regions made from shapes (CreateEllipticRgn, CreateRoundRectRgn,
 * CreatePolygonRgn).
 *
 * Why: raster.c turns a shape in device pixels into two span streams, the
 * outline (painted with the pen) and the interior (painted with the brush);
 * this file brings the DC into it: logical points mapped to device pixels
 * and bounded, the selected pen and brush resolved with the ROP2 mode, the
 * clip region applied to every span, and the current position kept.
 */
#include "gre.h"
#include "raster.h"

#define GRE_MAX_POINTS 4096
#define GRE_MAX_POLYGONS 1024

typedef struct _GRE_SHAPE {
    GDI_SURFACE *Surface;
    GDI_REGION Clip;
    GDI_RECT Bounds; /* the clip's box: raster.c makes no span outside it */
    RASTER_PEN Pen;
    GDI_BRUSH_INFO PenBrush, FillBrush;
    GRE_PAINT_SINK Outline, Interior;
    GDI_SPAN_SINK *OutlineSink, *InteriorSink; /* NULL: that part is not painted */
} GRE_SHAPE;

static int begin(GRE_DC *Dc, GRE_SHAPE *S) {
    S->Surface = GreDcSurface(Dc);
    if (!S->Surface || !GreEffectiveClip(Dc, &S->Clip)) {
        GreSetLastError(GDI_ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    RgnBox(&S->Clip, &S->Bounds);
    const GRE_PEN *pen = GdiLookupHandle(Dc->State.Pen, GDI_OBJECT_TYPE_PEN, GDI_OWNER_ANY);
    S->Pen.Style = pen ? pen->Style & GRE_PS_STYLE_MASK : GRE_PS_NULL;
    S->Pen.Width = pen && pen->Width > 1 ? XformLengthToDevice(&Dc->State.Xform, pen->Width) : 1;
    if (S->Pen.Width > RASTER_MAX_PEN_WIDTH)
        S->Pen.Width = RASTER_MAX_PEN_WIDTH;
    S->Pen.Square = 0;
    GdiMakeSolidBrush(&S->PenBrush, GdiColorToPixel(pen ? pen->Color : 0));
    GreInitPaintSink(&S->Outline, S->Surface, &S->Clip, &S->PenBrush, Dc->State.Rop2);
    S->OutlineSink = S->Pen.Style == GRE_PS_NULL ? NULL : &S->Outline.Base;
    const GRE_BRUSH *brush = GdiLookupHandle(Dc->State.Brush, GDI_OBJECT_TYPE_BRUSH, GDI_OWNER_ANY);
    S->InteriorSink = NULL;
    if (GreBrushInfo(Dc, brush, &S->FillBrush)) {
        GreInitPaintSink(&S->Interior, S->Surface, &S->Clip, &S->FillBrush, Dc->State.Rop2);
        S->InteriorSink = &S->Interior.Base;
    }
    if (Dc->IsScreen)
        GreCursorExclude(NULL);
    return 1;
}

static int end(GRE_DC *Dc, GRE_SHAPE *S, NTSTATUS Status) {
    if (Dc->IsScreen)
        GreCursorRestore();
    RgnFree(&S->Clip);
    if (!NT_SUCCESS(Status))
        GreSetLastError(GDI_ERROR_NOT_ENOUGH_MEMORY);
    return NT_SUCCESS(Status);
}

/* Logical points to device points, each coordinate bounded; 0 if any is not. */
static int map_points(GRE_DC *Dc, const GDI_POINT *In, uint32_t Count, GDI_POINT *Out) {
    for (uint32_t i = 0; i < Count; i++) {
        if (!GreCoordOk(In[i].x) || !GreCoordOk(In[i].y))
            return 0;
        Out[i] = GreToDevice(Dc, In[i].x, In[i].y);
    }
    return 1;
}

static int box_ok(int32_t L, int32_t T, int32_t R, int32_t B) {
    return GreCoordOk(L) && GreCoordOk(T) && GreCoordOk(R) && GreCoordOk(B);
}

/* ---- lines ---- */

/* Draws the path Points[0..Count) with the pen, the style continuing. */
static int stroke(GRE_DC *Dc, const GDI_POINT *Device, uint32_t Count) {
    GRE_SHAPE s;
    if (!begin(Dc, &s))
        return 0;
    ULONG style = 0;
    NTSTATUS status = STATUS_SUCCESS;
    if (s.OutlineSink)
        status = RasterPolyline(&s.Bounds, Device, Count, &s.Pen, &style, s.OutlineSink);
    return end(Dc, &s, status);
}

int GreLineTo(GDI_HANDLE Dc, int32_t X, int32_t Y) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc)
        return 0;
    if (!GreCoordOk(X) || !GreCoordOk(Y)) {
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    GDI_POINT d[2] = {GreToDevice(dc, dc->State.CurrentPos.x, dc->State.CurrentPos.y), GreToDevice(dc, X, Y)};
    int ok = stroke(dc, d, 2);
    dc->State.CurrentPos = (GDI_POINT){X, Y};
    return ok;
}

static GDI_POINT *point_buffer(uint32_t Count) {
    GDI_POINT *p = Count && Count <= GRE_MAX_POINTS + 1 ? GdiHostAlloc(sizeof(GDI_POINT) * Count) : NULL;
    if (!p)
        GreSetLastError(Count > GRE_MAX_POINTS + 1 ? GDI_ERROR_INVALID_PARAMETER
                                                   : GDI_ERROR_NOT_ENOUGH_MEMORY);
    return p;
}

int GrePolyline(GDI_HANDLE Dc, const GDI_POINT *Points, uint32_t Count) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc || Count < 2 || Count > GRE_MAX_POINTS) {
        if (dc)
            GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    GDI_POINT *d = point_buffer(Count);
    int ok = d && map_points(dc, Points, Count, d) && stroke(dc, d, Count);
    GdiHostFree(d);
    return ok;
}

int GrePolylineTo(GDI_HANDLE Dc, const GDI_POINT *Points, uint32_t Count) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc || Count < 1 || Count > GRE_MAX_POINTS)
        return 0;
    GDI_POINT *d = point_buffer(Count + 1);
    int ok = d && map_points(dc, Points, Count, d + 1);
    if (ok) {
        d[0] = GreToDevice(dc, dc->State.CurrentPos.x, dc->State.CurrentPos.y);
        ok = stroke(dc, d, Count + 1);
        dc->State.CurrentPos = Points[Count - 1];
    }
    GdiHostFree(d);
    return ok;
}

/* ---- filled shapes ---- */

int GrePolyPolygon(GDI_HANDLE Dc, const GDI_POINT *Points, const uint32_t *Counts, uint32_t Polygons) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc)
        return 0;
    uint32_t total = 0;
    for (uint32_t i = 0; i < Polygons && i < GRE_MAX_POLYGONS; i++) {
        if (Counts[i] < 2 || Counts[i] > GRE_MAX_POINTS)
            total = GRE_MAX_POINTS + 1;
        else
            total += Counts[i];
    }
    if (Polygons == 0 || Polygons > GRE_MAX_POLYGONS || total > GRE_MAX_POINTS) {
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    GDI_POINT *d = point_buffer(total);
    ULONG *counts = GdiHostAlloc(sizeof(ULONG) * Polygons);
    GRE_SHAPE s;
    int ok = d && counts && map_points(dc, Points, total, d) && begin(dc, &s);
    if (ok) {
        for (uint32_t i = 0; i < Polygons; i++)
            counts[i] = Counts[i];
        ok = end(dc, &s,
                 RasterPolyPolygon(&s.Bounds, d, counts, Polygons, dc->State.PolyFillMode, &s.Pen,
                                   s.InteriorSink, s.OutlineSink));
    }
    GdiHostFree(d);
    GdiHostFree(counts);
    return ok;
}

int GrePolygon(GDI_HANDLE Dc, const GDI_POINT *Points, uint32_t Count) {
    return GrePolyPolygon(Dc, Points, &Count, 1);
}

/* Rectangle (0), RoundRect (1), Ellipse (2). */
int GreBoxShape(GDI_HANDLE Dc, int Kind, int32_t L, int32_t T, int32_t R, int32_t B, int32_t W, int32_t H) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc)
        return 0;
    if (!box_ok(L, T, R, B) || !GreCoordOk(W) || !GreCoordOk(H)) {
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    GDI_RECT box = GreRectToDevice(dc, L, T, R, B);
    GRE_SHAPE s;
    if (!begin(dc, &s))
        return 0;
    NTSTATUS status;
    if (Kind == 0)
        status = RasterRectangle(&s.Bounds, &box, &s.Pen, s.InteriorSink, s.OutlineSink);
    else if (Kind == 1)
        status =
            RasterRoundRect(&s.Bounds, &box, XformLengthToDevice(&dc->State.Xform, W),
                            XformLengthToDevice(&dc->State.Xform, H), &s.Pen, s.InteriorSink, s.OutlineSink);
    else
        status = RasterEllipse(&s.Bounds, &box, &s.Pen, s.InteriorSink, s.OutlineSink);
    return end(dc, &s, status);
}

/* Arc (RASTER_ARC), Chord, Pie. */
int GreArcShape(GDI_HANDLE Dc, uint32_t Kind, int32_t L, int32_t T, int32_t R, int32_t B, int32_t Xs,
                int32_t Ys, int32_t Xe, int32_t Ye) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc)
        return 0;
    if (!box_ok(L, T, R, B) || !box_ok(Xs, Ys, Xe, Ye)) {
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    GDI_RECT box = GreRectToDevice(dc, L, T, R, B);
    GDI_POINT start = GreToDevice(dc, Xs, Ys), stop = GreToDevice(dc, Xe, Ye);
    GRE_SHAPE s;
    if (!begin(dc, &s))
        return 0;
    return end(dc, &s,
               RasterArc(&s.Bounds, &box, start, stop, Kind, dc->State.ArcDirection, &s.Pen,
                         Kind == RASTER_ARC ? NULL : s.InteriorSink, s.OutlineSink));
}

/* ---- regions from shapes ---- */

/* Collects spans into a growing array for RgnFromSpans. */
typedef struct _SPAN_COLLECTOR {
    GDI_SPAN_SINK Base;
    GDI_SPAN *Spans;
    uint32_t Count, Capacity;
    int Failed;
} SPAN_COLLECTOR;

static void collect(GDI_SPAN_SINK *Base, int32_t Y, int32_t X0, int32_t X1) {
    SPAN_COLLECTOR *c = (SPAN_COLLECTOR *)Base;
    if (c->Failed)
        return;
    if (c->Count == c->Capacity) {
        uint32_t grown = c->Capacity ? c->Capacity * 2 : 256;
        GDI_SPAN *n = grown <= (1u << 20) ? GdiHostAlloc(sizeof(GDI_SPAN) * grown) : NULL;
        if (!n) {
            c->Failed = 1;
            return;
        }
        for (uint32_t i = 0; i < c->Count; i++)
            n[i] = c->Spans[i];
        GdiHostFree(c->Spans);
        c->Spans = n;
        c->Capacity = grown;
    }
    c->Spans[c->Count++] = (GDI_SPAN){Y, X0, X1};
}

GDI_HANDLE GreRegionFromSpans(const GDI_SPAN *Spans, uint32_t Count); /* gredraw.c */

static GDI_HANDLE region_from(SPAN_COLLECTOR *C, NTSTATUS Status) {
    GDI_HANDLE h = 0;
    if (NT_SUCCESS(Status) && !C->Failed)
        h = GreRegionFromSpans(C->Spans, C->Count);
    else
        GreSetLastError(GDI_ERROR_NOT_ENOUGH_MEMORY);
    GdiHostFree(C->Spans);
    return h;
}

static const GDI_RECT EveryWhere = {-GRE_MAX_COORD, -GRE_MAX_COORD, GRE_MAX_COORD, GRE_MAX_COORD};

GDI_HANDLE GreCreateEllipticRgn(int32_t L, int32_t T, int32_t R, int32_t B) {
    if (!box_ok(L, T, R, B)) {
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    SPAN_COLLECTOR c = {{collect}, NULL, 0, 0, 0};
    GDI_RECT box = {L < R ? L : R, T < B ? T : B, (L < R ? R : L) - 1, (T < B ? B : T) - 1};
    return region_from(&c, RasterFillEllipse(&EveryWhere, &box, &c.Base));
}

GDI_HANDLE GreCreateRoundRectRgn(int32_t L, int32_t T, int32_t R, int32_t B, int32_t W, int32_t H) {
    if (!box_ok(L, T, R, B) || !GreCoordOk(W) || !GreCoordOk(H)) {
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    SPAN_COLLECTOR c = {{collect}, NULL, 0, 0, 0};
    GDI_RECT box = {L < R ? L : R, T < B ? T : B, (L < R ? R : L) - 1, (T < B ? B : T) - 1};
    return region_from(&c, RasterFillRoundRect(&EveryWhere, &box, W, H, &c.Base));
}

GDI_HANDLE GreCreatePolygonRgn(const GDI_POINT *Points, uint32_t Count, uint32_t Mode) {
    if (Count < 2 || Count > GRE_MAX_POINTS || (Mode != GRE_ALTERNATE && Mode != GRE_WINDING)) {
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    for (uint32_t i = 0; i < Count; i++)
        if (!GreCoordOk(Points[i].x) || !GreCoordOk(Points[i].y)) {
            GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
            return 0;
        }
    SPAN_COLLECTOR c = {{collect}, NULL, 0, 0, 0};
    ULONG counts[1] = {Count};
    return region_from(&c, RasterFillPolyPolygon(&EveryWhere, Points, counts, 1, Mode, &c.Base));
}
