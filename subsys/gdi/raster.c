/*
 * raster.c - scan conversion of Win32's shapes into spans.
 *
 * Why: one place decides which pixels LineTo, Polyline, Rectangle,
 * RoundRect, Ellipse, Arc, Chord, Pie, Polygon and PolyPolygon touch, and
 * the region module asks the same code for its shaped regions. Everything is
 * integer arithmetic (the kernel host has no FPU state to spare), every
 * coordinate is clipped before any loop runs over it (a line from -2^27 to
 * 2^27 walks only the pixels inside the clip rectangle), and a pixel is sent
 * at most once per call, because ROP2 modes such as R2_XORPEN are applied
 * once per span pixel.
 *
 * The pixel rules. Pixel (x,y) is the unit square whose centre is the
 * integer point (x,y); "doubled" coordinates below are twice the real ones,
 * so that box centres at half pixels stay integral.
 *
 * Cosmetic lines (pen width 0 or 1) follow NT's GIQ diamond convention for
 * integer end points: the line from P0 to P1 lights max(|dx|,|dy|) pixels,
 * one per column (x-major, |dx| >= |dy|) or per row (y-major), P0 included
 * and P1 excluded. Pixel i of an x-major line is (x0 + i*sx, y0 + m) where
 * m = dy*i/|dx| rounded to the nearest integer with a half rounded towards
 * smaller y; a y-major line likewise rounds its x with halves towards smaller
 * x. (Ties in the DDK's words: the pixel at the diamond's top vertex for
 * vertical neighbours, at its left vertex for horizontal ones.) So a line is
 * not always its reverse: that is NT's behaviour too.
 *
 * Cosmetic styles advance one step per pixel drawn along the major axis and
 * repeat with RASTER_STYLE_PERIOD. The patterns are NT's display-driver
 * defaults: style arrays PS_DASH {6,2}, PS_DOT {1,1}, PS_DASHDOT {3,2,1,2}
 * and PS_DASHDOTDOT {3,1,1,1,1,1} in style units of three pixels
 * (denStyleStep 3), i.e. in pixels DASH 18 on 6 off, DOT 3 on 3 off,
 * DASHDOT 9 on 6 off 3 on 6 off, DASHDOTDOT 9 on 3 off 3 on 3 off 3 on
 * 3 off. The style position carries from one line to the next through the
 * caller's StyleState.
 *
 * Wide pens (Width > 1) are solid geometric pens. The footprint of a pen of
 * width w placed on pixel p is the pixels p + (dx,dy) with
 * (2dx+e)^2 + (2dy+e)^2 <= w^2 for the round pen, or |2dx+e|, |2dy+e| <= w-1
 * for the square pen, where e = 1 for even w (the even pen's centre sits half
 * a pixel up and left of p) and 0 for odd w. A wide line is the union of the
 * footprints placed on every pixel of the cosmetic line between the end
 * points, both included: round caps and joins for the round pen, axis-aligned
 * square ones for the square pen. A polyline is the union of its segments.
 *
 * Box figures. The box (l,t,r,b) is normalized, then its pixels are
 * [l,r) x [t,b), W = r-l, H = b-t. The filled ellipse F(box) is symmetric
 * about both axes of the box and is built from the curve through the centres
 * of the box's extreme pixels: doubled semi-axes A = W-1, B = H-1 about the
 * doubled centre (l+r-1, t+b-1). In doubled offsets (X,Y) a pixel is in F
 * when either
 *   column rule: |Y| <= 1 or X^2 B^2 <= A^2 (B^2 - (|Y|-1)^2)   or
 *   row rule:    |X| <= 1 or (|X|-1)^2 B^2 <= A^2 (B^2 - Y^2),
 * i.e. when the curve, rounded to the nearest pixel in its column or in its
 * row (halves outward), reaches the pixel: the midpoint algorithm's filled
 * ellipse. Every row and column of F is one run, F touches all four sides of
 * the box and never leaves it, and a W x W ellipse is symmetric about its
 * diagonals. F(RoundRect) is the rectangle with its corners replaced by the
 * four quadrants of F(EllipseWidth x EllipseHeight) (the corner ellipse
 * clipped to the box size); F(Rectangle) is the box.
 *   With a one-pixel pen the outline is the pixels of F with a 4-neighbour
 * outside F (a closed 8-connected curve) and the interior is the rest of F.
 * With a null pen there is no outline and the interior is
 * F(l, t, r-1, b-1): NT's figures are a pixel smaller without a pen. With a
 * wide pen of width w the pen is centred on the one-pixel outline's path: the
 * outline is F(l - w/2, t - w/2, r + (w-1)/2, b + (w-1)/2) minus the
 * interior F(l + (w+1)/2, t + (w+1)/2, r - 1 - w/2, b - 1 - w/2) (the
 * round rectangle's corner ellipse grows and shrinks with its box); rectangle
 * corners are square. Styled cosmetic pens style the rectangle's frame (the
 * closed path through the corner pixels); curves are drawn solid.
 *
 * Arc, Chord and Pie take the outline pixels of the Ellipse with the same box
 * and pen whose doubled offset from the centre (l+r-1, t+b-1) lies in the
 * angular range from the start radius counterclockwise on the screen to the
 * end radius, both radii included (clockwise: the radii are swapped; equal
 * directions: the whole ellipse). Arc uses the exact radii through the
 * caller's points. The radii meet the curve at the end points, computed to
 * 1/256 of a pixel and rounded (the direction is rescaled to 15 bits and,
 * for boxes over 2^14 pixels, the axes too, so giant arcs are within a few
 * pixels). Chord adds the line between the end points, Pie the lines from the
 * end point to the centre pixel ((l+r)/2, (t+b)/2) and back to the start
 * point, these lines including both their end points; and so that pen and
 * brush meet, their angular range runs through the rounded end points (Chord:
 * seen from the centre; Pie: from the centre pixel) unless rounding would
 * change the sweep's direction. The brush takes Ellipse's interior pixels
 * (same pen) that are, for Pie, in the range and, for Chord, on the arc's side
 * of the drawn line or on it, intersected with the range for sweeps under
 * half a turn and united with it for larger ones (a short line's direction
 * is unreliable); a one-pixel chord leaves no brush (sliver) or all of it.
 * Pen and brush never overlap; in under 1% of small chords a brush pixel at
 * the junction of arc and line touches an unpainted pixel.
 *
 * Polygons are sampled at pixel centres with the top-left rule: an edge
 * from (xa,ya) to (xb,yb) spans rows ya <= y < yb (top inclusive, bottom
 * exclusive, horizontal edges none) and crosses row y at the exact rational
 * x; a row's pixels x with x_left <= x < x_right between consecutive
 * crossings are inside when, to their left, the number of crossings is odd
 * (ALTERNATE) or the sum of the edges' directions (+1 down, -1 up) is not
 * zero (WINDING). A rectangle polygon (l,t)..(r,b) thus fills [l,r) x [t,b),
 * the same pixels as FillRect. The outline is each polygon's closed path
 * drawn with the pen (cosmetic: each vertex lit once, as the first pixel of
 * the edge leaving it), and the interior is the fill minus the outline.
 */
#include "raster.h"

#include <nt/ntstatus.h>

/* ---- integer helpers ---- */

static inline int64_t min64(int64_t a, int64_t b) {
    return a < b ? a : b;
}
static inline int64_t max64(int64_t a, int64_t b) {
    return a > b ? a : b;
}
static inline int64_t abs64(int64_t a) {
    return a < 0 ? -a : a;
}

/* floor(n / d) and ceil(n / d) for d > 0. */
static int64_t floor_div(int64_t n, int64_t d) {
    int64_t q = n / d;
    if (n % d != 0 && n < 0)
        q--;
    return q;
}
static int64_t ceil_div(int64_t n, int64_t d) {
    return -floor_div(-n, d);
}

/* a*b <= c*d for 64-bit unsigned factors, compared as 128-bit products
 * (the i686 compiler has no __int128). */
static void mul_64x64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo) {
    uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
    *lo = (mid << 32) | (uint32_t)p00;
    *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}
static BOOLEAN product_le(uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
    uint64_t h1, l1, h2, l2;
    mul_64x64(a, b, &h1, &l1);
    mul_64x64(c, d, &h2, &l2);
    return h1 < h2 || (h1 == h2 && l1 <= l2);
}

static uint64_t isqrt64(uint64_t v) {
    uint64_t root = 0, bit = (uint64_t)1 << 62;
    while (bit > v)
        bit >>= 2;
    while (bit != 0) {
        if (v >= root + bit) {
            v -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
        bit >>= 2;
    }
    return root;
}

static BOOLEAN coord_ok(int64_t v) {
    return v >= -RASTER_COORD_LIMIT && v <= RASTER_COORD_LIMIT;
}
static BOOLEAN point_ok(LONG x, LONG y) {
    return coord_ok(x) && coord_ok(y);
}
static BOOLEAN rect_ok(const GDI_RECT *r) {
    return r != NULL && point_ok(r->left, r->top) && point_ok(r->right, r->bottom);
}

/* ---- span buffers ---- */

/* A growable list of spans: outlines are gathered here, sorted and merged,
 * so that a path crossing itself still sends each pixel once and the
 * interior can be cut around the outline. */
typedef struct _SPAN_SET {
    GDI_SPAN *Spans;
    ULONG Count, Capacity;
    BOOLEAN Failed;
} SPAN_SET;

#define SPAN_SET_MAX_CAPACITY 0x04000000u

static void set_add(SPAN_SET *s, int64_t y, int64_t x0, int64_t x1) {
    if (s->Failed)
        return;
    if (s->Count == s->Capacity) {
        ULONG capacity = s->Capacity ? s->Capacity * 2 : 64;
        GDI_SPAN *spans =
            capacity <= SPAN_SET_MAX_CAPACITY ? GdiHostAlloc(capacity * sizeof(GDI_SPAN)) : NULL;
        if (spans == NULL) {
            s->Failed = TRUE;
            return;
        }
        for (ULONG i = 0; i < s->Count; i++)
            spans[i] = s->Spans[i];
        if (s->Spans != NULL)
            GdiHostFree(s->Spans);
        s->Spans = spans;
        s->Capacity = capacity;
    }
    s->Spans[s->Count].Y = (int32_t)y;
    s->Spans[s->Count].X0 = (int32_t)x0;
    s->Spans[s->Count].X1 = (int32_t)x1;
    s->Count++;
}

static void set_free(SPAN_SET *s) {
    if (s->Spans != NULL)
        GdiHostFree(s->Spans);
    s->Spans = NULL;
    s->Count = s->Capacity = 0;
}

static BOOLEAN span_before(const GDI_SPAN *a, const GDI_SPAN *b) {
    return a->Y < b->Y || (a->Y == b->Y && a->X0 < b->X0);
}

static void span_sift_down(GDI_SPAN *s, ULONG root, ULONG n) {
    for (;;) {
        ULONG child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && span_before(&s[child], &s[child + 1]))
            child++;
        if (!span_before(&s[root], &s[child]))
            return;
        GDI_SPAN t = s[root];
        s[root] = s[child];
        s[child] = t;
        root = child;
    }
}

/* Sorts by (Y, X0) and merges overlapping or touching spans of a row. */
static void set_normalize(SPAN_SET *s) {
    ULONG n = s->Count;
    if (n < 2)
        return;
    for (ULONG i = n / 2; i-- > 0;)
        span_sift_down(s->Spans, i, n);
    for (ULONG end = n - 1; end > 0; end--) {
        GDI_SPAN t = s->Spans[0];
        s->Spans[0] = s->Spans[end];
        s->Spans[end] = t;
        span_sift_down(s->Spans, 0, end);
    }
    ULONG out = 0;
    for (ULONG i = 1; i < n; i++) {
        GDI_SPAN *last = &s->Spans[out];
        if (s->Spans[i].Y == last->Y && s->Spans[i].X0 <= last->X1) {
            if (s->Spans[i].X1 > last->X1)
                last->X1 = s->Spans[i].X1;
        } else {
            s->Spans[++out] = s->Spans[i];
        }
    }
    s->Count = out + 1;
}

static void set_emit(const SPAN_SET *s, GDI_SPAN_SINK *sink) {
    if (sink == NULL)
        return;
    for (ULONG i = 0; i < s->Count; i++)
        sink->Span(sink, s->Spans[i].Y, s->Spans[i].X0, s->Spans[i].X1);
}

/* ---- output ---- */

/* Where a rasterizer's spans go: clipped, then to a sink (optionally with a
 * normalized set's spans cut out of them) or gathered into a set. Spans cut
 * by Minus must arrive in increasing rows. */
typedef struct _RASTER_OUT {
    GDI_RECT Clip;
    GDI_SPAN_SINK *Sink;
    SPAN_SET *Set;
    const SPAN_SET *Minus;
    ULONG Cursor; /* first span of Minus in the current row or later */
} RASTER_OUT;

static void out_init(RASTER_OUT *o, const GDI_RECT *clip, GDI_SPAN_SINK *sink, SPAN_SET *set,
                     const SPAN_SET *minus) {
    o->Clip = *clip;
    o->Sink = sink;
    o->Set = set;
    o->Minus = minus;
    o->Cursor = 0;
}

static void out_span(RASTER_OUT *o, int64_t y, int64_t x0, int64_t x1) {
    if (y < o->Clip.top || y >= o->Clip.bottom)
        return;
    x0 = max64(x0, o->Clip.left);
    x1 = min64(x1, o->Clip.right);
    if (x0 >= x1)
        return;
    if (o->Set != NULL) {
        set_add(o->Set, y, x0, x1);
        return;
    }
    if (o->Sink == NULL)
        return;
    if (o->Minus == NULL) {
        o->Sink->Span(o->Sink, (int32_t)y, (int32_t)x0, (int32_t)x1);
        return;
    }
    const SPAN_SET *m = o->Minus;
    while (o->Cursor < m->Count && m->Spans[o->Cursor].Y < y)
        o->Cursor++;
    for (ULONG i = o->Cursor; i < m->Count && m->Spans[i].Y == y && x0 < x1; i++) {
        if (m->Spans[i].X1 <= x0)
            continue;
        if (m->Spans[i].X0 >= x1)
            break;
        if (m->Spans[i].X0 > x0)
            o->Sink->Span(o->Sink, (int32_t)y, (int32_t)x0, m->Spans[i].X0);
        x0 = m->Spans[i].X1;
    }
    if (x0 < x1)
        o->Sink->Span(o->Sink, (int32_t)y, (int32_t)x0, (int32_t)x1);
}

/* Gathers single pixels into horizontal runs before they become spans. */
typedef struct _RUN {
    int64_t Y, X0, X1;
    BOOLEAN Active;
} RUN;

static void run_flush(RASTER_OUT *o, RUN *r) {
    if (r->Active)
        out_span(o, r->Y, r->X0, r->X1);
    r->Active = FALSE;
}

static void run_pixel(RASTER_OUT *o, RUN *r, int64_t x, int64_t y) {
    if (r->Active && y == r->Y) {
        if (x == r->X1) {
            r->X1++;
            return;
        }
        if (x == r->X0 - 1) {
            r->X0--;
            return;
        }
    }
    run_flush(o, r);
    r->Active = TRUE;
    r->Y = y;
    r->X0 = x;
    r->X1 = x + 1;
}

/* ---- the GIQ line walk ---- */

/* Pixel i of the line from (X0,Y0) to (X1,Y1): the major coordinate moves
 * one step per pixel, the minor one is ceil((Inc*i - Den/2) / Den) (see the
 * header comment), kept incrementally as Minor and Rem. */
typedef struct _LINE_WALK {
    BOOLEAN XMajor;
    int64_t Count;          /* max(|dx|,|dy|) */
    int64_t Major0, Minor0; /* the start point along the axes */
    int64_t Step;           /* +1 or -1 along the major axis */
    int64_t Inc, Den;       /* 2 * signed minor delta, 2 * major length */
    int64_t Major, Minor, Rem;
} LINE_WALK;

static void walk_init(LINE_WALK *w, int64_t x0, int64_t y0, int64_t x1, int64_t y1) {
    int64_t dx = x1 - x0, dy = y1 - y0;
    w->XMajor = abs64(dx) >= abs64(dy);
    int64_t dmajor = w->XMajor ? dx : dy, dminor = w->XMajor ? dy : dx;
    w->Count = abs64(dmajor);
    w->Major0 = w->XMajor ? x0 : y0;
    w->Minor0 = w->XMajor ? y0 : x0;
    w->Step = dmajor < 0 ? -1 : 1;
    w->Inc = 2 * dminor;
    w->Den = 2 * w->Count;
}

static void walk_seek(LINE_WALK *w, int64_t i) {
    w->Major = w->Major0 + w->Step * i;
    if (w->Den == 0) {
        w->Minor = w->Minor0;
        w->Rem = 0;
        return;
    }
    int64_t num = w->Inc * i - w->Count;
    int64_t m = ceil_div(num, w->Den);
    w->Minor = w->Minor0 + m;
    w->Rem = m * w->Den - num;
}

static void walk_step(LINE_WALK *w) {
    w->Major += w->Step;
    w->Rem -= w->Inc;
    if (w->Rem < 0) {
        w->Rem += w->Den;
        w->Minor++;
    } else if (w->Rem >= w->Den) {
        w->Rem -= w->Den;
        w->Minor--;
    }
}

static int64_t walk_x(const LINE_WALK *w) {
    return w->XMajor ? w->Major : w->Minor;
}
static int64_t walk_y(const LINE_WALK *w) {
    return w->XMajor ? w->Minor : w->Major;
}

/* Narrows the pixel range [*First, *Last) to the pixels whose major
 * coordinate is in [Lo, Hi). */
static void walk_clip(const LINE_WALK *w, int64_t lo, int64_t hi, int64_t *first, int64_t *last) {
    int64_t a, b;
    if (w->Step > 0) {
        a = lo - w->Major0;
        b = hi - w->Major0;
    } else {
        a = w->Major0 - hi + 1;
        b = w->Major0 - lo + 1;
    }
    *first = max64(*first, a);
    *last = min64(*last, b);
}

/* ---- cosmetic lines and styles ---- */

static const UCHAR StyleDash[] = {18, 6, 0};
static const UCHAR StyleDot[] = {3, 3, 0};
static const UCHAR StyleDashDot[] = {9, 6, 3, 6, 0};
static const UCHAR StyleDashDotDot[] = {9, 3, 3, 3, 3, 3, 0};

/* Bit p set: pixel p of the RASTER_STYLE_PERIOD-pixel pattern is drawn. */
static ULONG style_mask(ULONG style) {
    const UCHAR *lengths;
    switch (style) {
    case RASTER_PS_DASH: lengths = StyleDash; break;
    case RASTER_PS_DOT: lengths = StyleDot; break;
    case RASTER_PS_DASHDOT: lengths = StyleDashDot; break;
    case RASTER_PS_DASHDOTDOT: lengths = StyleDashDotDot; break;
    case RASTER_PS_NULL: return 0;
    default: return (1u << RASTER_STYLE_PERIOD) - 1;
    }
    ULONG mask = 0, p = 0;
    while (p < RASTER_STYLE_PERIOD) {
        for (ULONG k = 0; lengths[k] != 0; k++)
            for (ULONG n = 0; n < lengths[k] && p < RASTER_STYLE_PERIOD; n++, p++)
                if ((k & 1) == 0)
                    mask |= 1u << p;
    }
    return mask;
}

/* Draws the cosmetic line; IncludeLast also lights the end point (used for
 * the closing lines of Chord and Pie). Advances *State by the line's length. */
static void line_cosmetic(RASTER_OUT *o, int64_t x0, int64_t y0, int64_t x1, int64_t y1, ULONG mask,
                          ULONG *state, BOOLEAN includeLast) {
    LINE_WALK w;
    walk_init(&w, x0, y0, x1, y1);
    int64_t first = 0, last = w.Count + (includeLast ? 1 : 0);
    ULONG phase = *state % RASTER_STYLE_PERIOD;
    if (w.XMajor)
        walk_clip(&w, o->Clip.left, o->Clip.right, &first, &last);
    else
        walk_clip(&w, o->Clip.top, o->Clip.bottom, &first, &last);
    if (first < last) {
        RUN run = {0, 0, 0, FALSE};
        walk_seek(&w, first);
        for (int64_t i = first; i < last; i++) {
            if (mask & (1u << ((phase + (uint64_t)i) % RASTER_STYLE_PERIOD)))
                run_pixel(o, &run, walk_x(&w), walk_y(&w));
            walk_step(&w);
        }
        run_flush(o, &run);
    }
    *state = (ULONG)((phase + (uint64_t)w.Count) % RASTER_STYLE_PERIOD);
}

void RasterLine(const GDI_RECT *Clip, LONG X0, LONG Y0, LONG X1, LONG Y1, ULONG Style, ULONG *StyleState,
                GDI_SPAN_SINK *Sink) {
    ULONG localState = 0;
    if (!rect_ok(Clip) || !point_ok(X0, Y0) || !point_ok(X1, Y1) || Sink == NULL)
        return;
    if (StyleState == NULL)
        StyleState = &localState;
    RASTER_OUT o;
    out_init(&o, Clip, Sink, NULL, NULL);
    line_cosmetic(&o, X0, Y0, X1, Y1, style_mask(Style), StyleState, FALSE);
}

/* ---- wide pens ---- */

/* The footprint of a wide pen, row by row: row dy (DMin..DMax) covers
 * columns Left[dy-DMin] .. Right[dy-DMin] (inclusive) around the pixel. The
 * scratch rows hold a segment's per-row extremes. */
typedef struct _PEN_SHAPE {
    LONG Width, DMin, DMax;
    LONG *Left, *Right;
    int64_t *RowMin, *RowMax;
    int64_t RowCapacity;
} PEN_SHAPE;

static void pen_shape_free(PEN_SHAPE *p) {
    if (p->Left != NULL)
        GdiHostFree(p->Left);
    if (p->RowMin != NULL)
        GdiHostFree(p->RowMin);
    p->Left = NULL;
    p->RowMin = NULL;
}

static NTSTATUS pen_shape_init(PEN_SHAPE *p, LONG width, BOOLEAN square, const GDI_RECT *clip) {
    LONG e = (width & 1) ? 0 : 1;
    p->Width = width;
    p->DMin = -(width / 2);
    p->DMax = (width - 1) / 2;
    p->RowCapacity =
        max64((int64_t)clip->right - clip->left, (int64_t)clip->bottom - clip->top) + 2 * width + 2;
    p->Left = GdiHostAlloc(2 * (size_t)width * sizeof(LONG));
    p->RowMin = GdiHostAlloc(2 * (size_t)p->RowCapacity * sizeof(int64_t));
    if (p->Left == NULL || p->RowMin == NULL) {
        pen_shape_free(p);
        return STATUS_NO_MEMORY;
    }
    p->Right = p->Left + width;
    p->RowMax = p->RowMin + p->RowCapacity;
    for (LONG dy = p->DMin; dy <= p->DMax; dy++) {
        LONG k;
        if (square) {
            k = width - 1;
        } else {
            int64_t ky = 2 * dy + e;
            k = (LONG)isqrt64((uint64_t)((int64_t)width * width - ky * ky));
            if (((k - e) & 1) != 0)
                k--;
        }
        p->Left[dy - p->DMin] = (-k - e) / 2;
        p->Right[dy - p->DMin] = (k - e) / 2;
    }
    return STATUS_SUCCESS;
}

/* Strokes the segment with the pen: the footprint on every pixel of the
 * cosmetic line, both ends included. Each output row of the union is one run
 * (the line is 8-connected and every footprint row contains its centre
 * column), so one span per row suffices. */
static void line_wide(RASTER_OUT *o, PEN_SHAPE *p, int64_t x0, int64_t y0, int64_t x1, int64_t y1) {
    LINE_WALK w;
    walk_init(&w, x0, y0, x1, y1);
    int64_t first = 0, last = w.Count + 1, margin = p->Width;
    if (w.XMajor)
        walk_clip(&w, (int64_t)o->Clip.left - margin, (int64_t)o->Clip.right + margin, &first, &last);
    else
        walk_clip(&w, (int64_t)o->Clip.top - margin, (int64_t)o->Clip.bottom + margin, &first, &last);
    if (first >= last)
        return;
    int64_t ydir = y1 < y0 ? -1 : 1, ya = 0, rows = 0;
    walk_seek(&w, first);
    for (int64_t i = first; i < last; i++) {
        int64_t x = walk_x(&w), y = walk_y(&w);
        if (rows == 0)
            ya = y;
        int64_t k = (y - ya) * ydir;
        if (k == rows && rows < p->RowCapacity) {
            p->RowMin[k] = p->RowMax[k] = x;
            rows++;
        } else if (k < rows) {
            p->RowMin[k] = min64(p->RowMin[k], x);
            p->RowMax[k] = max64(p->RowMax[k], x);
        }
        walk_step(&w);
    }
    int64_t ylo = ydir > 0 ? ya : ya - (rows - 1), yhi = ydir > 0 ? ya + (rows - 1) : ya;
    int64_t top = max64(ylo + p->DMin, o->Clip.top),
            bottom = min64(yhi + p->DMax, (int64_t)o->Clip.bottom - 1);
    for (int64_t y = top; y <= bottom; y++) {
        int64_t lo = INT64_MAX, hi = INT64_MIN;
        for (LONG dy = p->DMin; dy <= p->DMax; dy++) {
            int64_t k = (y - dy - ya) * ydir;
            if (k < 0 || k >= rows)
                continue;
            lo = min64(lo, p->RowMin[k] + p->Left[dy - p->DMin]);
            hi = max64(hi, p->RowMax[k] + p->Right[dy - p->DMin]);
        }
        if (lo <= hi)
            out_span(o, y, lo, hi + 1);
    }
}

/* ---- pens and paths ---- */

typedef enum { PEN_NONE, PEN_COSMETIC, PEN_WIDE } PEN_KIND;

static PEN_KIND pen_kind(const RASTER_PEN *pen) {
    if (pen == NULL || pen->Style == RASTER_PS_NULL || pen->Width < 0)
        return PEN_NONE;
    return pen->Width > 1 ? PEN_WIDE : PEN_COSMETIC;
}

static BOOLEAN pen_ok(const RASTER_PEN *pen) {
    return pen == NULL || pen->Width <= RASTER_MAX_PEN_WIDTH;
}

/* Strokes a path of Count points (closed: back to the first) into o, which
 * gathers into a set. Wide pens need *Shape initialised. */
static void stroke_path(RASTER_OUT *o, const GDI_POINT *pts, ULONG count, BOOLEAN closed,
                        const RASTER_PEN *pen, PEN_SHAPE *shape, ULONG *state) {
    ULONG segments = closed ? count : count - 1;
    if (count < 2)
        return;
    ULONG mask = style_mask(pen->Style);
    for (ULONG i = 0; i < segments; i++) {
        const GDI_POINT *a = &pts[i], *b = &pts[(i + 1) % count];
        if (shape == NULL)
            line_cosmetic(o, a->x, a->y, b->x, b->y, mask, state, FALSE);
        else if (a->x != b->x || a->y != b->y)
            line_wide(o, shape, a->x, a->y, b->x, b->y);
    }
}

static BOOLEAN points_ok(const GDI_POINT *pts, ULONG count) {
    if (count != 0 && pts == NULL)
        return FALSE;
    for (ULONG i = 0; i < count; i++)
        if (!point_ok(pts[i].x, pts[i].y))
            return FALSE;
    return TRUE;
}

NTSTATUS RasterPolyline(const GDI_RECT *Clip, const GDI_POINT *Points, ULONG Count, const RASTER_PEN *Pen,
                        ULONG *StyleState, GDI_SPAN_SINK *Sink) {
    ULONG localState = 0;
    if (!rect_ok(Clip) || !points_ok(Points, Count) || !pen_ok(Pen))
        return STATUS_INVALID_PARAMETER;
    PEN_KIND kind = pen_kind(Pen);
    if (kind == PEN_NONE || Count < 2 || Sink == NULL || Clip->left >= Clip->right ||
        Clip->top >= Clip->bottom)
        return STATUS_SUCCESS;
    if (StyleState == NULL)
        StyleState = &localState;
    PEN_SHAPE shape = {0};
    if (kind == PEN_WIDE && pen_shape_init(&shape, Pen->Width, Pen->Square, Clip) != STATUS_SUCCESS)
        return STATUS_NO_MEMORY;
    SPAN_SET set = {0};
    RASTER_OUT o;
    out_init(&o, Clip, NULL, &set, NULL);
    stroke_path(&o, Points, Count, FALSE, Pen, kind == PEN_WIDE ? &shape : NULL, StyleState);
    pen_shape_free(&shape);
    if (set.Failed) {
        set_free(&set);
        return STATUS_NO_MEMORY;
    }
    set_normalize(&set);
    set_emit(&set, Sink);
    set_free(&set);
    return STATUS_SUCCESS;
}

void RasterFillRect(const GDI_RECT *Clip, const GDI_RECT *Rect, GDI_SPAN_SINK *Sink) {
    if (Clip == NULL || Rect == NULL || Sink == NULL)
        return;
    RASTER_OUT o;
    out_init(&o, Clip, Sink, NULL, NULL);
    for (int64_t y = max64(Rect->top, Clip->top); y < min64(Rect->bottom, Clip->bottom); y++)
        out_span(&o, y, Rect->left, Rect->right);
}

/* ---- box figures: rectangle, ellipse, round rectangle ---- */

typedef enum { SHAPE_RECT, SHAPE_ELLIPSE, SHAPE_ROUNDRECT } SHAPE_KIND;

typedef struct _SHAPE {
    SHAPE_KIND Kind;
    int64_t L, T, R, B; /* pixels [L,R) x [T,B) */
    int64_t EW, EH;     /* round rectangle: the corner ellipse */
} SHAPE;

/* The largest doubled offset X (of A's parity, 0 <= X <= A) of a pixel of
 * F in the row at doubled offset Y from the centre (|Y| <= B, of B's
 * parity), for doubled semi-axes A and B. */
static int64_t ellipse_half_width(int64_t a, int64_t b, int64_t y) {
    uint64_t a2 = (uint64_t)(a * a), b2 = (uint64_t)(b * b);
    y = abs64(y);
    uint64_t colRoom = y <= 1 ? 0 : b2 - (uint64_t)((y - 1) * (y - 1));
    uint64_t rowRoom = b2 - (uint64_t)(y * y);
    int64_t lo = 0, hi = a / 2; /* X = a - 2j; the smallest X is always in F */
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2, x = a - 2 * mid;
        BOOLEAN in = y <= 1 || product_le((uint64_t)(x * x), b2, a2, colRoom);
        if (!in)
            in = x <= 1 || product_le((uint64_t)((x - 1) * (x - 1)), b2, a2, rowRoom);
        if (in)
            hi = mid;
        else
            lo = mid + 1;
    }
    return a - 2 * lo;
}

/* Row y of the ellipse with box [l,r) x [t,b): its run [*X0, *X1). */
static BOOLEAN ellipse_row(int64_t l, int64_t t, int64_t r, int64_t b, int64_t y, int64_t *x0, int64_t *x1) {
    if (y < t || y >= b || l >= r)
        return FALSE;
    int64_t cx2 = l + r - 1;
    int64_t m = ellipse_half_width(r - l - 1, b - t - 1, 2 * y - (t + b - 1));
    *x0 = (cx2 - m) / 2;
    *x1 = (cx2 + m) / 2 + 1;
    return TRUE;
}

static BOOLEAN shape_row(const SHAPE *s, int64_t y, int64_t *x0, int64_t *x1) {
    if (y < s->T || y >= s->B || s->L >= s->R)
        return FALSE;
    if (s->Kind == SHAPE_ELLIPSE)
        return ellipse_row(s->L, s->T, s->R, s->B, y, x0, x1);
    *x0 = s->L;
    *x1 = s->R;
    if (s->Kind == SHAPE_ROUNDRECT) {
        int64_t ew = min64(s->EW, s->R - s->L), eh = min64(s->EH, s->B - s->T), h = s->B - s->T;
        int64_t ry = y - s->T, er = -1, e0, e1;
        if (ew <= 0 || eh <= 0)
            return TRUE;
        if (ry < eh / 2)
            er = ry;
        else if (ry >= h - eh / 2)
            er = eh - (h - ry);
        if (er >= 0 && ellipse_row(0, 0, ew, eh, er, &e0, &e1)) {
            *x0 = s->L + e0;
            *x1 = s->R - e0;
        }
    }
    return TRUE;
}

/* The shape grown by Lo on the left/top and Hi on the right/bottom (shrunk
 * when negative); the round rectangle's corner ellipse changes by Lo + Hi. */
static SHAPE shape_adjust(const SHAPE *s, int64_t lo, int64_t hi) {
    SHAPE a = *s;
    a.L -= lo;
    a.T -= lo;
    a.R += hi;
    a.B += hi;
    a.EW = max64(0, s->EW + lo + hi);
    a.EH = max64(0, s->EH + lo + hi);
    if (a.R < a.L)
        a.R = a.L;
    if (a.B < a.T)
        a.B = a.T;
    return a;
}

typedef enum { RING_NOPEN, RING_ERODE, RING_WIDE } RING_MODE;

/* Walks the figure's rows inside the clip, splitting each into the outline
 * [O0,I0) + [I1,O1) and the interior [I0,I1). */
typedef struct _RING {
    RING_MODE Mode;
    SHAPE Outer, Inner;
    /* the erosion needs rows y-1, y, y+1 of Outer */
    int64_t CacheY[3], CacheX0[3], CacheX1[3];
    BOOLEAN CacheHas[3];
} RING;

static void ring_init(RING *g, const SHAPE *s, PEN_KIND kind, LONG width) {
    g->Mode = kind == PEN_NONE ? RING_NOPEN : kind == PEN_COSMETIC ? RING_ERODE : RING_WIDE;
    if (g->Mode == RING_NOPEN) {
        g->Outer = shape_adjust(s, 0, -1);
    } else if (g->Mode == RING_ERODE) {
        g->Outer = *s;
    } else {
        g->Outer = shape_adjust(s, width / 2, (width - 1) / 2);
        g->Inner = shape_adjust(s, -((width + 1) / 2), -(width / 2) - 1);
    }
    for (int i = 0; i < 3; i++)
        g->CacheY[i] = INT64_MIN;
}

static BOOLEAN ring_outer_row(RING *g, int64_t y, int64_t *x0, int64_t *x1) {
    int slot = (int)(((y % 3) + 3) % 3);
    if (g->CacheY[slot] != y) {
        g->CacheY[slot] = y;
        g->CacheHas[slot] = shape_row(&g->Outer, y, &g->CacheX0[slot], &g->CacheX1[slot]);
    }
    *x0 = g->CacheX0[slot];
    *x1 = g->CacheX1[slot];
    return g->CacheHas[slot];
}

static BOOLEAN ring_row(RING *g, int64_t y, int64_t *o0, int64_t *o1, int64_t *i0, int64_t *i1) {
    int64_t a0, a1, b0, b1;
    if (!ring_outer_row(g, y, o0, o1))
        return FALSE;
    *i0 = *o0;
    *i1 = *o1;
    if (g->Mode == RING_ERODE) {
        if (ring_outer_row(g, y - 1, &a0, &a1) && ring_outer_row(g, y + 1, &b0, &b1)) {
            *i0 = max64(*o0 + 1, max64(a0, b0));
            *i1 = min64(*o1 - 1, min64(a1, b1));
        } else {
            *i0 = *i1;
        }
    } else if (g->Mode == RING_WIDE) {
        if (shape_row(&g->Inner, y, &a0, &a1)) {
            *i0 = max64(*o0, a0);
            *i1 = min64(*o1, a1);
        } else {
            *i0 = *i1;
        }
    }
    if (*i0 >= *i1)
        *i0 = *i1 = *o1;
    return TRUE;
}

static BOOLEAN box_ok(const GDI_RECT *clip, const GDI_RECT *box, const RASTER_PEN *pen) {
    return rect_ok(clip) && rect_ok(box) && pen_ok(pen);
}

static SHAPE shape_from_box(SHAPE_KIND kind, const GDI_RECT *box, LONG ew, LONG eh) {
    SHAPE s;
    s.Kind = kind;
    s.L = min64(box->left, box->right);
    s.R = max64(box->left, box->right);
    s.T = min64(box->top, box->bottom);
    s.B = max64(box->top, box->bottom);
    s.EW = abs64(ew);
    s.EH = abs64(eh);
    return s;
}

/* Rectangle, RoundRect and Ellipse: two passes of the ring need no memory,
 * except the styled rectangle frame, which is a closed cosmetic path. */
static NTSTATUS box_figure(const GDI_RECT *clip, const SHAPE *s, const RASTER_PEN *pen,
                           GDI_SPAN_SINK *interior, GDI_SPAN_SINK *outline) {
    PEN_KIND kind = pen_kind(pen);
    RASTER_OUT in, out;
    RING g;
    int64_t o0, o1, i0, i1;
    if (clip->left >= clip->right || clip->top >= clip->bottom)
        return STATUS_SUCCESS;
    if (s->Kind == SHAPE_RECT && kind == PEN_COSMETIC && pen->Style != RASTER_PS_SOLID &&
        pen->Style != RASTER_PS_INSIDEFRAME && s->L < s->R && s->T < s->B) {
        GDI_POINT frame[4] = {{(int32_t)s->L, (int32_t)s->T},
                              {(int32_t)s->R - 1, (int32_t)s->T},
                              {(int32_t)s->R - 1, (int32_t)s->B - 1},
                              {(int32_t)s->L, (int32_t)s->B - 1}};
        SPAN_SET set = {0};
        ULONG state = 0;
        out_init(&out, clip, NULL, &set, NULL);
        stroke_path(&out, frame, 4, TRUE, pen, NULL, &state);
        if (set.Failed) {
            set_free(&set);
            return STATUS_NO_MEMORY;
        }
        set_normalize(&set);
        set_emit(&set, outline);
        set_free(&set);
        out_init(&in, clip, interior, NULL, NULL);
        for (int64_t y = max64(s->T + 1, clip->top); y < min64(s->B - 1, clip->bottom); y++)
            out_span(&in, y, s->L + 1, s->R - 1);
        return STATUS_SUCCESS;
    }
    if (s->Kind == SHAPE_RECT && kind == PEN_COSMETIC &&
        (pen->Style == RASTER_PS_SOLID || pen->Style == RASTER_PS_INSIDEFRAME) && s->R - s->L > 2 &&
        s->B - s->T > 2) {
        /* The common Rectangle, directly: the ring below gives the same
         * pixels (the border of the box) at several times the cost. */
        out_init(&in, clip, interior, NULL, NULL);
        out_init(&out, clip, outline, NULL, NULL);
        for (int64_t y = max64(s->T, clip->top); y < min64(s->B, clip->bottom); y++) {
            if (y == s->T || y == s->B - 1) {
                out_span(&out, y, s->L, s->R);
                continue;
            }
            out_span(&out, y, s->L, s->L + 1);
            out_span(&in, y, s->L + 1, s->R - 1);
            out_span(&out, y, s->R - 1, s->R);
        }
        return STATUS_SUCCESS;
    }
    ring_init(&g, s, kind, kind == PEN_WIDE ? pen->Width : 1);
    out_init(&in, clip, interior, NULL, NULL);
    out_init(&out, clip, outline, NULL, NULL);
    for (int64_t y = max64(g.Outer.T, clip->top); y < min64(g.Outer.B, clip->bottom); y++) {
        if (!ring_row(&g, y, &o0, &o1, &i0, &i1))
            continue;
        out_span(&out, y, o0, i0);
        out_span(&in, y, i0, i1);
        out_span(&out, y, i1, o1);
    }
    return STATUS_SUCCESS;
}

NTSTATUS RasterRectangle(const GDI_RECT *Clip, const GDI_RECT *Box, const RASTER_PEN *Pen,
                         GDI_SPAN_SINK *Interior, GDI_SPAN_SINK *Outline) {
    if (!box_ok(Clip, Box, Pen))
        return STATUS_INVALID_PARAMETER;
    SHAPE s = shape_from_box(SHAPE_RECT, Box, 0, 0);
    return box_figure(Clip, &s, Pen, Interior, Outline);
}

NTSTATUS RasterRoundRect(const GDI_RECT *Clip, const GDI_RECT *Box, LONG EllipseWidth, LONG EllipseHeight,
                         const RASTER_PEN *Pen, GDI_SPAN_SINK *Interior, GDI_SPAN_SINK *Outline) {
    if (!box_ok(Clip, Box, Pen) || !coord_ok(EllipseWidth) || !coord_ok(EllipseHeight))
        return STATUS_INVALID_PARAMETER;
    SHAPE s = shape_from_box(SHAPE_ROUNDRECT, Box, EllipseWidth, EllipseHeight);
    return box_figure(Clip, &s, Pen, Interior, Outline);
}

NTSTATUS RasterEllipse(const GDI_RECT *Clip, const GDI_RECT *Box, const RASTER_PEN *Pen,
                       GDI_SPAN_SINK *Interior, GDI_SPAN_SINK *Outline) {
    if (!box_ok(Clip, Box, Pen))
        return STATUS_INVALID_PARAMETER;
    SHAPE s = shape_from_box(SHAPE_ELLIPSE, Box, 0, 0);
    return box_figure(Clip, &s, Pen, Interior, Outline);
}

static NTSTATUS fill_shape(const GDI_RECT *clip, const SHAPE *s, GDI_SPAN_SINK *sink) {
    RASTER_PEN pen = {RASTER_PS_SOLID, 1, FALSE};
    if (!rect_ok(clip))
        return STATUS_INVALID_PARAMETER;
    return box_figure(clip, s, &pen, sink, sink);
}

NTSTATUS RasterFillEllipse(const GDI_RECT *Clip, const GDI_RECT *Box, GDI_SPAN_SINK *Sink) {
    if (!rect_ok(Box))
        return STATUS_INVALID_PARAMETER;
    SHAPE s = shape_from_box(SHAPE_ELLIPSE, Box, 0, 0);
    return fill_shape(Clip, &s, Sink);
}

NTSTATUS RasterFillRoundRect(const GDI_RECT *Clip, const GDI_RECT *Box, LONG EllipseWidth, LONG EllipseHeight,
                             GDI_SPAN_SINK *Sink) {
    if (!rect_ok(Box) || !coord_ok(EllipseWidth) || !coord_ok(EllipseHeight))
        return STATUS_INVALID_PARAMETER;
    SHAPE s = shape_from_box(SHAPE_ROUNDRECT, Box, EllipseWidth, EllipseHeight);
    return fill_shape(Clip, &s, Sink);
}

/* ---- Arc, Chord, Pie ---- */

typedef struct _ARC_RANGE {
    int64_t Cx2, Cy2; /* doubled centre of the angular range */
    int64_t Sx, Sy;   /* start direction, math orientation (y up) */
    int64_t Ex, Ey;   /* end direction */
    /* Chord: its drawn line, from the start pixel A to the end pixel B, as
     * doubled offsets from the ellipse's centre (Ox2, Oy2), screen
     * orientation. */
    int64_t Ox2, Oy2, Ax, Ay, Bx, By;
} ARC_RANGE;

static int64_t cross64(int64_t ax, int64_t ay, int64_t bx, int64_t by) {
    return ax * by - ay * bx;
}

/* Is the doubled offset (px, py) (math orientation) inside the angular range
 * swept counterclockwise from S to E, both radii included? */
static BOOLEAN arc_in_range(const ARC_RANGE *a, int64_t px, int64_t py) {
    int64_t cse = cross64(a->Sx, a->Sy, a->Ex, a->Ey);
    int64_t csp = cross64(a->Sx, a->Sy, px, py), cpe = cross64(px, py, a->Ex, a->Ey);
    if (px == 0 && py == 0)
        return TRUE;
    if (cse > 0)
        return csp >= 0 && cpe >= 0;
    if (cse < 0)
        return csp >= 0 || cpe >= 0;
    if (a->Sx * a->Ex + a->Sy * a->Ey > 0)
        return TRUE; /* the same direction: the whole ellipse */
    return csp >= 0;
}

static BOOLEAN arc_pixel_in(const ARC_RANGE *a, int64_t x, int64_t y) {
    return arc_in_range(a, 2 * x - a->Cx2, a->Cy2 - 2 * y);
}

/* Chord: is the pixel (inside the ellipse) in the segment? The segment is
 * bounded by the drawn line, so the test is the side of that line (the
 * arc's side, or on it); since rounding can turn a short line's direction
 * anywhere, it is combined with the exact angular range: a segment of under
 * half a turn lies inside its sector, one of over half a turn contains it. */
static BOOLEAN chord_pixel_in(const ARC_RANGE *a, int64_t x, int64_t y) {
    int64_t px = 2 * x - a->Ox2, py = 2 * y - a->Oy2;
    BOOLEAN side = cross64(a->Bx - a->Ax, a->By - a->Ay, px - a->Ax, py - a->Ay) >= 0;
    int64_t cse = cross64(a->Sx, a->Sy, a->Ex, a->Ey);
    if (a->Ax == a->Bx && a->Ay == a->By)
        return cse <= 0; /* a one-pixel line: a sliver (empty) or all but one */
    if (cse > 0)
        return side && arc_pixel_in(a, x, y);
    if (cse < 0)
        return side || arc_pixel_in(a, x, y);
    return side || (a->Sx * a->Ex + a->Sy * a->Ey > 0);
}

#define ARC_FRAC 8

/* Where the radius in the doubled direction (dx, dy) (screen orientation)
 * meets the curve of the ellipse with doubled semi-axes A, B: the doubled
 * offset from the centre in units of 2^-Frac. The direction is rescaled to
 * 15 bits and the axes, above 2^14, are scaled down and the result back up,
 * so the arithmetic stays in 64 bits. */
static void arc_end_offset(int64_t a, int64_t b, int64_t dx, int64_t dy, int frac, int64_t *ox, int64_t *oy) {
    int64_t X, Y;
    if (dx == 0 && dy == 0)
        dx = 1;
    while (max64(abs64(dx), abs64(dy)) > (1 << 15)) {
        dx /= 2;
        dy /= 2;
    }
    while (max64(abs64(dx), abs64(dy)) < (1 << 14)) {
        dx *= 2;
        dy *= 2;
    }
    if (a == 0 || b == 0) {
        X = a == 0 || dx == 0 ? 0 : dx < 0 ? -a : a;
        Y = b == 0 || dy == 0 ? 0 : dy < 0 ? -b : b;
        if (a != 0 && b != 0)
            X = Y = 0;
        *ox = X * ((int64_t)1 << frac);
        *oy = Y * ((int64_t)1 << frac);
        return;
    }
    int shift = 0;
    int64_t sa = a, sb = b;
    while (max64(sa, sb) > (1 << 14)) {
        sa >>= 1;
        sb >>= 1;
        shift++;
    }
    sa = max64(sa, 1);
    sb = max64(sb, 1);
    int64_t q = (int64_t)isqrt64((uint64_t)(dx * dx) * (uint64_t)(sb * sb) +
                                 (uint64_t)(dy * dy) * (uint64_t)(sa * sa));
    int64_t nx = dx * sa * sb * ((int64_t)1 << frac), ny = dy * sa * sb * ((int64_t)1 << frac);
    q = max64(q, 1);
    X = (2 * nx + (nx < 0 ? -q : q)) / (2 * q) * ((int64_t)1 << shift);
    Y = (2 * ny + (ny < 0 ? -q : q)) / (2 * q) * ((int64_t)1 << shift);
    *ox = max64(-a * ((int64_t)1 << frac), min64(a * ((int64_t)1 << frac), X));
    *oy = max64(-b * ((int64_t)1 << frac), min64(b * ((int64_t)1 << frac), Y));
}

/* The pixel nearest to the doubled centre plus a 2^-Frac offset. */
static int64_t arc_round(int64_t c2, int64_t offset, int frac) {
    return floor_div(c2 * ((int64_t)1 << frac) + offset + ((int64_t)1 << frac), (int64_t)1 << (frac + 1));
}

/* Sends the pixels of [x0,x1) in row y that pass the arc's test (Pie: the
 * angular range; Chord: the line's side), as runs. */
static void arc_filtered_span(RASTER_OUT *o, const ARC_RANGE *a, BOOLEAN chord, int64_t y, int64_t x0,
                              int64_t x1) {
    RUN run = {0, 0, 0, FALSE};
    x0 = max64(x0, o->Clip.left);
    x1 = min64(x1, o->Clip.right);
    for (int64_t x = x0; x < x1; x++)
        if (chord ? chord_pixel_in(a, x, y) : arc_pixel_in(a, x, y))
            run_pixel(o, &run, x, y);
    run_flush(o, &run);
}

NTSTATUS RasterArc(const GDI_RECT *Clip, const GDI_RECT *Box, GDI_POINT Start, GDI_POINT End, ULONG Kind,
                   ULONG Direction, const RASTER_PEN *Pen, GDI_SPAN_SINK *Interior, GDI_SPAN_SINK *Outline) {
    if (!box_ok(Clip, Box, Pen) || !point_ok(Start.x, Start.y) || !point_ok(End.x, End.y) ||
        Kind > RASTER_PIE)
        return STATUS_INVALID_PARAMETER;
    if (Clip->left >= Clip->right || Clip->top >= Clip->bottom)
        return STATUS_SUCCESS;
    PEN_KIND kind = pen_kind(Pen);
    SHAPE s = shape_from_box(SHAPE_ELLIPSE, Box, 0, 0);
    if (s.L >= s.R || s.T >= s.B || (Kind == RASTER_ARC && kind == PEN_NONE))
        return STATUS_SUCCESS;
    if (Direction == RASTER_AD_CLOCKWISE) {
        GDI_POINT t = Start;
        Start = End;
        End = t;
    }
    ARC_RANGE a;
    int64_t ea = s.R - s.L - 1, eb = s.B - s.T - 1, sox, soy, eox, eoy;
    a.Cx2 = a.Ox2 = s.L + s.R - 1;
    a.Cy2 = a.Oy2 = s.T + s.B - 1;
    a.Sx = 2 * (int64_t)Start.x - a.Cx2;
    a.Sy = a.Cy2 - 2 * (int64_t)Start.y;
    a.Ex = 2 * (int64_t)End.x - a.Cx2;
    a.Ey = a.Cy2 - 2 * (int64_t)End.y;
    if (a.Sx == 0 && a.Sy == 0)
        a.Sx = 1;
    if (a.Ex == 0 && a.Ey == 0)
        a.Ex = 1;
    /* the end points, computed to 1/256 of a doubled pixel and rounded */
    arc_end_offset(ea, eb, a.Sx, -a.Sy, ARC_FRAC, &sox, &soy);
    arc_end_offset(ea, eb, a.Ex, -a.Ey, ARC_FRAC, &eox, &eoy);
    int64_t spx = arc_round(a.Cx2, sox, ARC_FRAC), spy = arc_round(a.Cy2, soy, ARC_FRAC);
    int64_t epx = arc_round(a.Cx2, eox, ARC_FRAC), epy = arc_round(a.Cy2, eoy, ARC_FRAC);
    int64_t cpx = floor_div(s.L + s.R, 2), cpy = floor_div(s.T + s.B, 2);
    a.Ax = 2 * spx - a.Ox2;
    a.Ay = 2 * spy - a.Oy2;
    a.Bx = 2 * epx - a.Ox2;
    a.By = 2 * epy - a.Oy2;
    int64_t cse = cross64(a.Sx, a.Sy, a.Ex, a.Ey);
    BOOLEAN whole = cse == 0 && a.Sx * a.Ex + a.Sy * a.Ey > 0; /* equal radii: the whole ellipse */
    if (Kind == RASTER_CHORD && (spx != epx || spy != epy)) {
        /* Likewise the Chord's range runs through its rounded end points, so
         * the arc ends where the drawn line does. */
        int64_t sx = a.Ax, sy = -a.Ay, ex = a.Bx, ey = -a.By;
        int64_t c = cross64(sx, sy, ex, ey);
        if (!whole && (sx != 0 || sy != 0) && (ex != 0 || ey != 0) && (c > 0) == (cse > 0) &&
            (c < 0) == (cse < 0)) {
            a.Sx = sx;
            a.Sy = sy;
            a.Ex = ex;
            a.Ey = ey;
        }
    }
    if (Kind == RASTER_PIE && (spx != cpx || spy != cpy) && (epx != cpx || epy != cpy)) {
        /* The Pie's sector is the one its drawn radii bound, from the centre
         * pixel through the rounded end points, so brush and pen agree;
         * unless rounding changed which way (or whether) it sweeps. */
        int64_t sx = 2 * (spx - cpx), sy = 2 * (cpy - spy), ex = 2 * (epx - cpx), ey = 2 * (cpy - epy);
        int64_t c = cross64(sx, sy, ex, ey);
        BOOLEAN same = c == 0 && sx * ex + sy * ey > 0;
        if (!whole && !same && (c > 0) == (cse > 0) && (c < 0) == (cse < 0)) {
            a.Cx2 = 2 * cpx;
            a.Cy2 = 2 * cpy;
            a.Sx = sx;
            a.Sy = sy;
            a.Ex = ex;
            a.Ey = ey;
        }
    }

    /* The outline: the curve in range, then the closing lines. */
    SPAN_SET set = {0};
    PEN_SHAPE shape = {0};
    RASTER_OUT o;
    RING g;
    int64_t o0, o1, i0, i1;
    if (kind == PEN_WIDE && pen_shape_init(&shape, Pen->Width, Pen->Square, Clip) != STATUS_SUCCESS)
        return STATUS_NO_MEMORY;
    out_init(&o, Clip, NULL, &set, NULL);
    ring_init(&g, &s, kind, kind == PEN_WIDE ? Pen->Width : 1);
    if (kind != PEN_NONE) {
        for (int64_t y = max64(g.Outer.T, Clip->top); y < min64(g.Outer.B, Clip->bottom); y++) {
            if (!ring_row(&g, y, &o0, &o1, &i0, &i1))
                continue;
            arc_filtered_span(&o, &a, FALSE, y, o0, i0);
            arc_filtered_span(&o, &a, FALSE, y, i1, o1);
        }
        GDI_POINT path[3] = {
            {(int32_t)epx, (int32_t)epy}, {(int32_t)cpx, (int32_t)cpy}, {(int32_t)spx, (int32_t)spy}};
        ULONG state = 0;
        if (Kind == RASTER_CHORD)
            path[1] = path[2];
        for (ULONG i = 0; Kind != RASTER_ARC && i < (Kind == RASTER_PIE ? 2u : 1u); i++) {
            if (kind == PEN_WIDE)
                line_wide(&o, &shape, path[i].x, path[i].y, path[i + 1].x, path[i + 1].y);
            else
                line_cosmetic(&o, path[i].x, path[i].y, path[i + 1].x, path[i + 1].y,
                              style_mask(RASTER_PS_SOLID), &state, TRUE);
        }
    }
    pen_shape_free(&shape);
    if (set.Failed) {
        set_free(&set);
        return STATUS_NO_MEMORY;
    }
    set_normalize(&set);
    set_emit(&set, Outline);

    /* The interior: Ellipse's interior passing the Chord's or Pie's test,
     * minus the outline. */
    if (Kind != RASTER_ARC && Interior != NULL) {
        out_init(&o, Clip, Interior, NULL, &set);
        ring_init(&g, &s, kind, kind == PEN_WIDE ? Pen->Width : 1);
        for (int64_t y = max64(g.Outer.T, Clip->top); y < min64(g.Outer.B, Clip->bottom); y++) {
            if (!ring_row(&g, y, &o0, &o1, &i0, &i1))
                continue;
            arc_filtered_span(&o, &a, Kind == RASTER_CHORD, y, i0, i1);
        }
    }
    set_free(&set);
    return STATUS_SUCCESS;
}

/* ---- polygons ---- */

typedef struct _EDGE {
    int64_t YTop, YBottom; /* rows YTop <= y < YBottom */
    int64_t XTop, DX, DY;  /* from (XTop, YTop), DY > 0 */
    LONG Dir;              /* +1 drawn downwards, -1 upwards */
} EDGE;

typedef struct _CROSSING {
    int64_t X;
    LONG Dir;
} CROSSING;

typedef struct _EDGE_TABLE {
    EDGE *Edges;
    ULONG Count;
    ULONG *Active;
    CROSSING *Crossings;
} EDGE_TABLE;

static void edge_table_free(EDGE_TABLE *t) {
    if (t->Edges != NULL)
        GdiHostFree(t->Edges);
    if (t->Active != NULL)
        GdiHostFree(t->Active);
    if (t->Crossings != NULL)
        GdiHostFree(t->Crossings);
    t->Edges = NULL;
    t->Active = NULL;
    t->Crossings = NULL;
}

static void edge_sift_down(EDGE *e, ULONG root, ULONG n) {
    for (;;) {
        ULONG child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && e[child].YTop < e[child + 1].YTop)
            child++;
        if (e[root].YTop >= e[child].YTop)
            return;
        EDGE t = e[root];
        e[root] = e[child];
        e[child] = t;
        root = child;
    }
}

/* Builds the edges of all polygons, sorted by their top row. */
static NTSTATUS edge_table_build(EDGE_TABLE *t, const GDI_POINT *pts, const ULONG *counts, ULONG polys,
                                 ULONG total) {
    t->Edges = GdiHostAlloc((total ? total : 1) * sizeof(EDGE));
    t->Active = GdiHostAlloc((total ? total : 1) * sizeof(ULONG));
    t->Crossings = GdiHostAlloc((total ? total : 1) * sizeof(CROSSING));
    t->Count = 0;
    if (t->Edges == NULL || t->Active == NULL || t->Crossings == NULL) {
        edge_table_free(t);
        return STATUS_NO_MEMORY;
    }
    for (ULONG p = 0; p < polys; pts += counts[p], p++) {
        for (ULONG i = 0; counts[p] >= 2 && i < counts[p]; i++) {
            const GDI_POINT *a = &pts[i], *b = &pts[(i + 1) % counts[p]];
            if (a->y == b->y)
                continue;
            const GDI_POINT *top = a->y < b->y ? a : b, *bottom = a->y < b->y ? b : a;
            EDGE *e = &t->Edges[t->Count++];
            e->YTop = top->y;
            e->YBottom = bottom->y;
            e->XTop = top->x;
            e->DX = (int64_t)bottom->x - top->x;
            e->DY = (int64_t)bottom->y - top->y;
            e->Dir = a->y < b->y ? 1 : -1;
        }
    }
    for (ULONG i = t->Count / 2; i-- > 0;)
        edge_sift_down(t->Edges, i, t->Count);
    for (ULONG end = t->Count; end-- > 1;) {
        EDGE e = t->Edges[0];
        t->Edges[0] = t->Edges[end];
        t->Edges[end] = e;
        edge_sift_down(t->Edges, 0, end);
    }
    return STATUS_SUCCESS;
}

/* Scans the rows of the clip that the edges cover and sends the inside runs. */
static void edge_table_fill(EDGE_TABLE *t, ULONG fillMode, RASTER_OUT *o) {
    ULONG next = 0, active = 0;
    if (t->Count == 0)
        return;
    int64_t bottom = INT64_MIN;
    for (ULONG i = 0; i < t->Count; i++)
        bottom = max64(bottom, t->Edges[i].YBottom);
    int64_t y = max64(t->Edges[0].YTop, o->Clip.top);
    bottom = min64(bottom, o->Clip.bottom);
    for (; y < bottom; y++) {
        while (next < t->Count && t->Edges[next].YTop <= y) {
            if (t->Edges[next].YBottom > y)
                t->Active[active++] = next;
            next++;
        }
        ULONG kept = 0, n = 0;
        for (ULONG i = 0; i < active; i++) {
            const EDGE *e = &t->Edges[t->Active[i]];
            if (e->YBottom <= y)
                continue;
            t->Active[kept++] = t->Active[i];
            CROSSING c = {e->XTop + ceil_div((y - e->YTop) * e->DX, e->DY), e->Dir};
            ULONG j = n++;
            while (j > 0 && t->Crossings[j - 1].X > c.X) {
                t->Crossings[j] = t->Crossings[j - 1];
                j--;
            }
            t->Crossings[j] = c;
        }
        active = kept;
        LONG winding = 0;
        int64_t start = 0;
        for (ULONG i = 0; i < n; i++) {
            BOOLEAN before = fillMode == RASTER_WINDING ? winding != 0 : (winding & 1) != 0;
            winding += fillMode == RASTER_WINDING ? t->Crossings[i].Dir : 1;
            BOOLEAN after = fillMode == RASTER_WINDING ? winding != 0 : (winding & 1) != 0;
            if (!before && after)
                start = t->Crossings[i].X;
            else if (before && !after)
                out_span(o, y, start, t->Crossings[i].X);
        }
    }
}

/* Checks the polygon arguments and counts the points. */
static BOOLEAN polys_ok(const GDI_RECT *clip, const GDI_POINT *pts, const ULONG *counts, ULONG polys,
                        ULONG fillMode, ULONG *total) {
    uint64_t sum = 0;
    if (!rect_ok(clip) || (polys != 0 && counts == NULL) || polys > 0x01000000u)
        return FALSE;
    if (fillMode != RASTER_ALTERNATE && fillMode != RASTER_WINDING)
        return FALSE;
    for (ULONG p = 0; p < polys; p++)
        sum += counts[p];
    if (sum > 0x01000000u)
        return FALSE;
    *total = (ULONG)sum;
    return points_ok(pts, *total);
}

NTSTATUS RasterPolyPolygon(const GDI_RECT *Clip, const GDI_POINT *Points, const ULONG *Counts,
                           ULONG PolyCount, ULONG FillMode, const RASTER_PEN *Pen, GDI_SPAN_SINK *Interior,
                           GDI_SPAN_SINK *Outline) {
    ULONG total;
    if (!polys_ok(Clip, Points, Counts, PolyCount, FillMode, &total) || !pen_ok(Pen))
        return STATUS_INVALID_PARAMETER;
    if (Clip->left >= Clip->right || Clip->top >= Clip->bottom || total == 0)
        return STATUS_SUCCESS;
    PEN_KIND kind = pen_kind(Pen);
    SPAN_SET set = {0};
    PEN_SHAPE shape = {0};
    EDGE_TABLE table = {0};
    RASTER_OUT o;
    if (kind == PEN_WIDE && pen_shape_init(&shape, Pen->Width, Pen->Square, Clip) != STATUS_SUCCESS)
        return STATUS_NO_MEMORY;
    if (kind != PEN_NONE) {
        const GDI_POINT *pts = Points;
        out_init(&o, Clip, NULL, &set, NULL);
        for (ULONG p = 0; p < PolyCount; pts += Counts[p], p++) {
            ULONG state = 0;
            stroke_path(&o, pts, Counts[p], TRUE, Pen, kind == PEN_WIDE ? &shape : NULL, &state);
        }
    }
    pen_shape_free(&shape);
    if (set.Failed ||
        (Interior != NULL && edge_table_build(&table, Points, Counts, PolyCount, total) != STATUS_SUCCESS)) {
        set_free(&set);
        return STATUS_NO_MEMORY;
    }
    set_normalize(&set);
    set_emit(&set, Outline);
    if (Interior != NULL) {
        out_init(&o, Clip, Interior, NULL, &set);
        edge_table_fill(&table, FillMode, &o);
        edge_table_free(&table);
    }
    set_free(&set);
    return STATUS_SUCCESS;
}

NTSTATUS RasterPolygon(const GDI_RECT *Clip, const GDI_POINT *Points, ULONG Count, ULONG FillMode,
                       const RASTER_PEN *Pen, GDI_SPAN_SINK *Interior, GDI_SPAN_SINK *Outline) {
    return RasterPolyPolygon(Clip, Points, &Count, 1, FillMode, Pen, Interior, Outline);
}

NTSTATUS RasterFillPolyPolygon(const GDI_RECT *Clip, const GDI_POINT *Points, const ULONG *Counts,
                               ULONG PolyCount, ULONG FillMode, GDI_SPAN_SINK *Sink) {
    return RasterPolyPolygon(Clip, Points, Counts, PolyCount, FillMode, NULL, Sink, NULL);
}
