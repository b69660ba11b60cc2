/*
 * raster.h - scan conversion of Win32's shapes into spans (raster.c).
 *
 * Why: every drawing call of the API layer (LineTo, Polyline, Rectangle,
 * RoundRect, Ellipse, Arc, Chord, Pie, Polygon, PolyPolygon) and the shaped
 * region constructors (CreateEllipticRgn, CreateRoundRectRgn,
 * CreatePolygonRgn) come down to "which pixels": this module answers that
 * question once, in device coordinates, as spans sent to a GDI_SPAN_SINK.
 * Brushes, ROP2 and region clipping are applied by the caller to the spans.
 *
 * Every function takes a clip rectangle (normally the surface bounds, or the
 * bounding box of the clip region) and never produces a span outside it, so
 * shapes with coordinates far off the surface cost only what is visible.
 * Within one call a pixel is sent at most once, to at most one sink: shapes
 * with a pen send the pen's pixels to Outline and the brush's to Interior.
 *
 * Coordinates (points, boxes, clip) must lie within +-RASTER_COORD_LIMIT
 * (2^27, as NT's 28.4 device space); outside that, and for a pen wider than
 * RASTER_MAX_PEN_WIDTH, the NTSTATUS functions return
 * STATUS_INVALID_PARAMETER. A function that needs memory (edge tables, span
 * buffers) takes it from GdiHostAlloc and, if that fails, returns
 * STATUS_NO_MEMORY having sent no span at all.
 *
 * The pixel rules are written out in raster.c's header comment.
 */
#ifndef GDI_RASTER_H
#define GDI_RASTER_H

#include "gdikernel.h"

#define RASTER_COORD_LIMIT (1 << 27)
#define RASTER_MAX_PEN_WIDTH 4096

/* Pen styles: Win32's PS_* values. PS_INSIDEFRAME draws as PS_SOLID here;
 * shrinking the figure for it is the API layer's job. */
#define RASTER_PS_SOLID 0
#define RASTER_PS_DASH 1
#define RASTER_PS_DOT 2
#define RASTER_PS_DASHDOT 3
#define RASTER_PS_DASHDOTDOT 4
#define RASTER_PS_NULL 5
#define RASTER_PS_INSIDEFRAME 6

/* Fill modes: Win32's SetPolyFillMode values. */
#define RASTER_ALTERNATE 1
#define RASTER_WINDING 2

/* Arc directions: Win32's SetArcDirection values. */
#define RASTER_AD_COUNTERCLOCKWISE 1
#define RASTER_AD_CLOCKWISE 2

/* The pen as this module sees it. Width 0 or 1 is the cosmetic pen (one
 * pixel, styled); Width > 1 is a solid geometric pen whose footprint is a
 * disc of diameter Width (or a Width x Width square if Square), and Style
 * is then only tested for PS_NULL. PS_NULL means no pen at all. */
typedef struct _RASTER_PEN {
    ULONG Style;
    LONG Width;
    BOOLEAN Square;
} RASTER_PEN;

/* The cosmetic style patterns, in pixels, alternately on and off. */
#define RASTER_STYLE_PERIOD 24 /* a multiple of every pattern's period */

/* ---- lines ---- */

/* One cosmetic line from (X0,Y0) to (X1,Y1), the end point not drawn: the
 * max(|dx|,|dy|) pixels of the GIQ diamond rule. Style is a PS_* style;
 * *StyleState is the position in the style pattern (in pixels) and is
 * advanced by the line's length, so successive calls continue the pattern
 * (reset it to 0 at a MoveTo). Needs no memory. */
void RasterLine(const GDI_RECT *Clip, LONG X0, LONG Y0, LONG X1, LONG Y1, ULONG Style, ULONG *StyleState,
                GDI_SPAN_SINK *Sink);

/* Polyline: Count points joined by lines. A cosmetic pen draws each segment
 * with LineTo's rule (the last point is not drawn) continuing the style
 * through *StyleState; a wide pen strokes the whole path with its footprint
 * (round joins and caps for the round pen). Pixels where the path meets or
 * crosses itself are sent once. */
NT_CHECK_RESULT NTSTATUS RasterPolyline(const GDI_RECT *Clip, const GDI_POINT *Points, ULONG Count,
                                        const RASTER_PEN *Pen, ULONG *StyleState, GDI_SPAN_SINK *Sink);

/* ---- shapes with an outline and an interior ---- */

/* FillRect / PatBlt: the pixels [left,right) x [top,bottom) (no pen). */
void RasterFillRect(const GDI_RECT *Clip, const GDI_RECT *Rect, GDI_SPAN_SINK *Sink);

/* Rectangle(l,t,r,b); Box is normalized (swapped) first. Interior or
 * Outline may be NULL to discard that part. */
NT_CHECK_RESULT NTSTATUS RasterRectangle(const GDI_RECT *Clip, const GDI_RECT *Box, const RASTER_PEN *Pen,
                                         GDI_SPAN_SINK *Interior, GDI_SPAN_SINK *Outline);

/* RoundRect(l,t,r,b, EllipseWidth, EllipseHeight). */
NT_CHECK_RESULT NTSTATUS RasterRoundRect(const GDI_RECT *Clip, const GDI_RECT *Box, LONG EllipseWidth,
                                         LONG EllipseHeight, const RASTER_PEN *Pen, GDI_SPAN_SINK *Interior,
                                         GDI_SPAN_SINK *Outline);

/* Ellipse(l,t,r,b). */
NT_CHECK_RESULT NTSTATUS RasterEllipse(const GDI_RECT *Clip, const GDI_RECT *Box, const RASTER_PEN *Pen,
                                       GDI_SPAN_SINK *Interior, GDI_SPAN_SINK *Outline);

#define RASTER_ARC 0   /* Arc: the curve only (Interior unused) */
#define RASTER_CHORD 1 /* Chord: the curve closed by a line, the segment filled */
#define RASTER_PIE 2   /* Pie: the curve closed by two radii, the sector filled */

/* Arc/Chord/Pie(l,t,r,b, xs,ys, xe,ye): the part of Ellipse's curve from
 * the radius through Start to the radius through End, counterclockwise on
 * the screen, or clockwise when Direction is RASTER_AD_CLOCKWISE. */
NT_CHECK_RESULT NTSTATUS RasterArc(const GDI_RECT *Clip, const GDI_RECT *Box, GDI_POINT Start, GDI_POINT End,
                                   ULONG Kind, ULONG Direction, const RASTER_PEN *Pen,
                                   GDI_SPAN_SINK *Interior, GDI_SPAN_SINK *Outline);

/* PolyPolygon: PolyCount closed polygons, polygon i having Counts[i] points,
 * taken one after another from Points. FillMode is RASTER_ALTERNATE or
 * RASTER_WINDING. Polygon is PolyPolygon with one polygon. The outline is
 * each polygon's closed path drawn with the pen, its style running on from
 * one edge to the next (and starting at 0 for each polygon). */
NT_CHECK_RESULT NTSTATUS RasterPolyPolygon(const GDI_RECT *Clip, const GDI_POINT *Points, const ULONG *Counts,
                                           ULONG PolyCount, ULONG FillMode, const RASTER_PEN *Pen,
                                           GDI_SPAN_SINK *Interior, GDI_SPAN_SINK *Outline);
NT_CHECK_RESULT NTSTATUS RasterPolygon(const GDI_RECT *Clip, const GDI_POINT *Points, ULONG Count,
                                       ULONG FillMode, const RASTER_PEN *Pen, GDI_SPAN_SINK *Interior,
                                       GDI_SPAN_SINK *Outline);

/* ---- pure area scan converters (for the region module) ---- */

/* The filled ellipse F(Box): the union of what Ellipse(Box) sends to its
 * two sinks with a one-pixel pen. CreateEllipticRgn(l,t,r,b) is
 * F(l, t, r-1, b-1) (Win32 leaves the right and bottom pixel of the
 * bounding box out of elliptic regions, KB Q83807). */
NT_CHECK_RESULT NTSTATUS RasterFillEllipse(const GDI_RECT *Clip, const GDI_RECT *Box, GDI_SPAN_SINK *Sink);

/* The filled round rectangle, likewise (CreateRoundRectRgn passes r-1, b-1). */
NT_CHECK_RESULT NTSTATUS RasterFillRoundRect(const GDI_RECT *Clip, const GDI_RECT *Box, LONG EllipseWidth,
                                             LONG EllipseHeight, GDI_SPAN_SINK *Sink);

/* The polygon area with the fill rule of raster.c's header (the pixels
 * Polygon's brush would paint with a null pen); CreatePolygonRgn and
 * CreatePolyPolygonRgn use it directly. */
NT_CHECK_RESULT NTSTATUS RasterFillPolyPolygon(const GDI_RECT *Clip, const GDI_POINT *Points,
                                               const ULONG *Counts, ULONG PolyCount, ULONG FillMode,
                                               GDI_SPAN_SINK *Sink);

#endif
