/*
 * test_gdi_raster.c - the rasterizer lights exactly Win32's pixels, each at
 * most once per call, and survives coordinates far off the surface.
 *
 * Why: ROP2 modes such as R2_XORPEN make a pixel sent twice visible, and
 * off-by-one extents (the excluded right/bottom edge, LineTo's end point,
 * the null-pen figure a pixel smaller) are what applications notice first.
 * Every test renders through a sink that paints a byte canvas and counts the
 * pixels painted twice, so every check below also proves non-overlap. The
 * rasterizer is #included so its static helpers build with the sanitizers.
 */
#include <math.h> /* fabs only: a builtin */
#include <stdlib.h>
#include <string.h>

#include "../../subsys/gdi/raster.c"
#include "unit.h"

/* ---- host interface: calloc, optionally failing ---- */

static int AllocFailAfter = -1; /* allocations left before failing; -1: never */
static long AllocOutstanding;

void *GdiHostAlloc(size_t Bytes) {
    if (AllocFailAfter == 0)
        return NULL;
    if (AllocFailAfter > 0)
        AllocFailAfter--;
    AllocOutstanding++;
    return calloc(1, Bytes ? Bytes : 1);
}

void GdiHostFree(void *Block) {
    AllocOutstanding--;
    free(Block);
}

/* ---- the canvas sink ---- */

#define CW 256
#define CH 256
enum { TAG_NONE = 0, TAG_INTERIOR = 1, TAG_OUTLINE = 2 };

typedef struct _TEST_SINK {
    GDI_SPAN_SINK Base;
    UCHAR Tag;
} TEST_SINK;

static UCHAR Canvas[CH][CW];
static ULONG Overlaps, OutOfCanvas, EmptySpans, Spans;
static const GDI_RECT FullClip = {0, 0, CW, CH};

static void test_span(GDI_SPAN_SINK *Sink, int32_t Y, int32_t X0, int32_t X1) {
    TEST_SINK *t = (TEST_SINK *)Sink;
    Spans++;
    if (X0 >= X1)
        EmptySpans++;
    if (Y < 0 || Y >= CH || X0 < 0 || X1 > CW) {
        OutOfCanvas++;
        return;
    }
    for (int32_t x = X0; x < X1; x++) {
        if (Canvas[Y][x] != TAG_NONE)
            Overlaps++;
        Canvas[Y][x] = t->Tag;
    }
}

static TEST_SINK Interior = {{test_span}, TAG_INTERIOR};
static TEST_SINK Outline = {{test_span}, TAG_OUTLINE};
#define IN (&Interior.Base)
#define OUT (&Outline.Base)

static void reset(void) {
    memset(Canvas, 0, sizeof Canvas);
    Overlaps = OutOfCanvas = EmptySpans = Spans = 0;
}

static BOOLEAN clean(void) {
    return Overlaps == 0 && OutOfCanvas == 0 && EmptySpans == 0;
}

static ULONG count_tag(int tag) {
    ULONG n = 0;
    for (int y = 0; y < CH; y++)
        for (int x = 0; x < CW; x++)
            n += tag < 0 ? Canvas[y][x] != 0 : Canvas[y][x] == tag;
    return n;
}

static BOOLEAN lit(int x, int y) {
    return x >= 0 && y >= 0 && x < CW && y < CH && Canvas[y][x] != 0;
}

static GDI_RECT rect(int l, int t, int r, int b) {
    GDI_RECT rc = {l, t, r, b};
    return rc;
}

static const RASTER_PEN PenNull = {RASTER_PS_NULL, 1, FALSE};
static const RASTER_PEN PenSolid = {RASTER_PS_SOLID, 1, FALSE};

/* ---- rectangles ---- */

TEST(fill_rect_excludes_right_and_bottom) {
    GDI_RECT r = rect(2, 3, 7, 9);
    reset();
    RasterFillRect(&FullClip, &r, IN);
    CHECK(clean());
    CHECK_EQ(count_tag(-1), 5 * 6);
    CHECK(lit(2, 3) && lit(6, 8) && !lit(7, 8) && !lit(6, 9) && !lit(1, 3) && !lit(2, 2));
    GDI_RECT empty = rect(5, 5, 5, 9);
    reset();
    RasterFillRect(&FullClip, &empty, IN);
    CHECK_EQ(Spans, 0);
}

TEST(rectangle_pen_frames_the_box_and_brush_fills_inside) {
    GDI_RECT r = rect(10, 20, 16, 24);
    reset();
    CHECK_STATUS(RasterRectangle(&FullClip, &r, &PenSolid, IN, OUT), STATUS_SUCCESS);
    CHECK(clean());
    for (int y = 18; y < 27; y++)
        for (int x = 8; x < 19; x++) {
            BOOLEAN inBox = x >= 10 && x < 16 && y >= 20 && y < 24;
            BOOLEAN edge = inBox && (x == 10 || x == 15 || y == 20 || y == 23);
            CHECK_EQ(Canvas[y][x], !inBox ? TAG_NONE : edge ? TAG_OUTLINE : TAG_INTERIOR);
        }
    /* Swapped corners are normalized. */
    GDI_RECT swapped = rect(16, 24, 10, 20);
    reset();
    CHECK_STATUS(RasterRectangle(&FullClip, &swapped, &PenSolid, IN, OUT), STATUS_SUCCESS);
    CHECK_EQ(count_tag(TAG_OUTLINE), 2 * 6 + 2 * 2);
    CHECK_EQ(count_tag(TAG_INTERIOR), 4 * 2);
}

TEST(rectangle_with_null_pen_is_a_pixel_smaller) {
    GDI_RECT r = rect(10, 20, 16, 24);
    reset();
    CHECK_STATUS(RasterRectangle(&FullClip, &r, &PenNull, IN, OUT), STATUS_SUCCESS);
    CHECK(clean());
    CHECK_EQ(count_tag(TAG_INTERIOR), 5 * 3);
    CHECK(lit(10, 20) && lit(14, 22) && !lit(15, 22) && !lit(14, 23));
}

TEST(rectangle_wide_pen_is_a_ring_of_pen_width) {
    for (LONG w = 2; w <= 7; w++) {
        RASTER_PEN pen = {RASTER_PS_SOLID, w, FALSE};
        GDI_RECT r = rect(50, 50, 90, 80);
        reset();
        CHECK_STATUS(RasterRectangle(&FullClip, &r, &pen, IN, OUT), STATUS_SUCCESS);
        CHECK(clean());
        /* left edge: columns 50 - w/2 .. 50 + (w-1)/2 are pen, then brush */
        int x = 50 - w / 2;
        CHECK(!lit(x - 1, 65));
        for (int k = 0; k < w; k++)
            CHECK_EQ(Canvas[65][x + k], TAG_OUTLINE);
        CHECK_EQ(Canvas[65][x + w], TAG_INTERIOR);
        /* right edge: the pen is centred on column 89 */
        CHECK_EQ(Canvas[65][89 + (w - 1) / 2], TAG_OUTLINE);
        CHECK(!lit(89 + (w - 1) / 2 + 1, 65));
        CHECK_EQ(Canvas[65][89 - w / 2 - 1], TAG_INTERIOR);
    }
}

TEST(rectangle_styled_pen_dashes_the_frame) {
    RASTER_PEN pen = {RASTER_PS_DOT, 1, FALSE};
    GDI_RECT r = rect(10, 10, 40, 30);
    reset();
    CHECK_STATUS(RasterRectangle(&FullClip, &r, &pen, IN, OUT), STATUS_SUCCESS);
    CHECK(clean());
    /* top edge from (10,10): 3 on, 3 off */
    for (int x = 10; x < 39; x++)
        CHECK_EQ(Canvas[10][x] == TAG_OUTLINE, ((x - 10) % 6) < 3);
    CHECK_EQ(count_tag(TAG_INTERIOR), 28 * 18);
}

/* ---- lines ---- */

/* Checks one line against the GIQ contract: max(|dx|,|dy|) pixels, one per
 * major step, start lit, end not, within half a pixel of the ideal line,
 * 8-connected. */
static void check_line(int x0, int y0, int x1, int y1) {
    int dx = x1 - x0, dy = y1 - y0, adx = abs(dx), ady = abs(dy);
    int n = adx > ady ? adx : ady;
    ULONG state = 0;
    reset();
    RasterLine(&FullClip, x0, y0, x1, y1, RASTER_PS_SOLID, &state, OUT);
    if (!CHECK(clean()) || !CHECK_EQ(count_tag(-1), n))
        printf("    line (%d,%d)-(%d,%d)\n", x0, y0, x1, y1);
    if (n == 0)
        return;
    CHECK(lit(x0, y0));
    CHECK(!lit(x1, y1));
    int prevMinor = 0;
    for (int i = 0; i < n; i++) {
        int found = 0, minor = 0;
        if (adx >= ady) {
            int x = x0 + (dx > 0 ? i : -i);
            for (int y = 0; y < CH; y++)
                if (lit(x, y))
                    found++, minor = y;
            /* |y - ideal| <= 1/2  <=>  |2 (y - y0) dx - 2 (x - x0) dy| <= |dx| */
            CHECK(found == 1 && abs(2 * (minor - y0) * dx - 2 * (x - x0) * dy) <= adx);
        } else {
            int y = y0 + (dy > 0 ? i : -i);
            for (int x = 0; x < CW; x++)
                if (lit(x, y))
                    found++, minor = x;
            CHECK(found == 1 && abs(2 * (minor - x0) * dy - 2 * (y - y0) * dx) <= ady);
        }
        if (i > 0)
            CHECK(abs(minor - prevMinor) <= 1);
        prevMinor = minor;
    }
}

TEST(line_draws_max_dx_dy_pixels_without_its_end_point) {
    static const int starts[][2] = {{100, 100}, {3, 250}, {200, 7}};
    for (unsigned s = 0; s < ARRAYSIZE(starts); s++)
        for (int dy = -13; dy <= 13; dy++)
            for (int dx = -13; dx <= 13; dx++) {
                int x1 = starts[s][0] + dx, y1 = starts[s][1] + dy;
                if (x1 < 0 || y1 < 0 || x1 >= CW || y1 >= CH)
                    continue;
                check_line(starts[s][0], starts[s][1], x1, y1);
            }
    check_line(0, 0, 255, 97);
    check_line(255, 0, 0, 254);
}

TEST(line_ties_round_towards_top_and_left) {
    ULONG state = 0;
    reset();
    RasterLine(&FullClip, 10, 10, 14, 12, RASTER_PS_SOLID, &state, OUT);
    CHECK(lit(10, 10) && lit(11, 10) && lit(12, 11) && lit(13, 11));
    reset();
    RasterLine(&FullClip, 10, 10, 14, 8, RASTER_PS_SOLID, &state, OUT);
    CHECK(lit(10, 10) && lit(11, 9) && lit(12, 9) && lit(13, 8));
    reset();
    RasterLine(&FullClip, 10, 10, 12, 14, RASTER_PS_SOLID, &state, OUT);
    CHECK(lit(10, 10) && lit(10, 11) && lit(11, 12) && lit(11, 13));
    CHECK_EQ(count_tag(-1), 4);
}

/* Is pixel p of a cosmetic style pattern on? Lengths as documented. */
static BOOLEAN style_on(ULONG style, ULONG p) {
    static const int dash[] = {18, 6, 0}, dot[] = {3, 3, 0}, dashdot[] = {9, 6, 3, 6, 0},
                     dashdotdot[] = {9, 3, 3, 3, 3, 3, 0};
    const int *l = style == RASTER_PS_DASH      ? dash
                   : style == RASTER_PS_DOT     ? dot
                   : style == RASTER_PS_DASHDOT ? dashdot
                                                : dashdotdot;
    int period = 0;
    for (int k = 0; l[k]; k++)
        period += l[k];
    int q = (int)(p % (ULONG)period);
    for (int k = 0;; k++) {
        if (q < l[k])
            return (k & 1) == 0;
        q -= l[k];
    }
}

TEST(styled_lines_repeat_nt_dash_lengths) {
    static const ULONG styles[] = {RASTER_PS_DASH, RASTER_PS_DOT, RASTER_PS_DASHDOT, RASTER_PS_DASHDOTDOT};
    for (unsigned s = 0; s < ARRAYSIZE(styles); s++) {
        ULONG state = 0;
        reset();
        RasterLine(&FullClip, 5, 10, 205, 10, styles[s], &state, OUT);
        RasterLine(&FullClip, 20, 250, 20, 30, styles[s], &state, OUT); /* continues the phase */
        CHECK(clean());
        for (int i = 0; i < 200; i++)
            CHECK_EQ(lit(5 + i, 10), style_on(styles[s], (ULONG)i));
        for (int i = 0; i < 220; i++)
            CHECK_EQ(lit(20, 250 - i), style_on(styles[s], (ULONG)(200 + i)));
        CHECK_EQ(state, (200 + 220) % RASTER_STYLE_PERIOD);
    }
    /* Spelled out: a dash is 18 on, 6 off. */
    ULONG state = 0;
    reset();
    RasterLine(&FullClip, 0, 0, 48, 0, RASTER_PS_DASH, &state, OUT);
    CHECK(lit(17, 0) && !lit(18, 0) && !lit(23, 0) && lit(24, 0) && lit(41, 0) && !lit(42, 0));
}

TEST(style_phase_carries_across_polyline_segments) {
    GDI_POINT pts[] = {{0, 20}, {7, 20}, {30, 20}, {61, 20}, {100, 20}};
    RASTER_PEN pen = {RASTER_PS_DASHDOT, 1, FALSE};
    ULONG state = 0;
    reset();
    CHECK_STATUS(RasterPolyline(&FullClip, pts, ARRAYSIZE(pts), &pen, &state, OUT), STATUS_SUCCESS);
    CHECK(clean());
    for (int x = 0; x < 110; x++)
        CHECK_EQ(lit(x, 20), x < 100 && style_on(RASTER_PS_DASHDOT, (ULONG)x));
    CHECK_EQ(state, 100 % RASTER_STYLE_PERIOD);
}

TEST(null_pen_draws_nothing) {
    GDI_POINT pts[] = {{0, 20}, {70, 20}, {70, 90}};
    ULONG state = 0;
    reset();
    RasterLine(&FullClip, 0, 0, 100, 50, RASTER_PS_NULL, &state, OUT);
    CHECK_STATUS(RasterPolyline(&FullClip, pts, 3, &PenNull, &state, OUT), STATUS_SUCCESS);
    GDI_RECT r = rect(10, 10, 50, 50);
    GDI_POINT s = {0, 0}, e = {60, 60};
    CHECK_STATUS(RasterArc(&FullClip, &r, s, e, RASTER_ARC, RASTER_AD_COUNTERCLOCKWISE, &PenNull, IN, OUT),
                 STATUS_SUCCESS);
    CHECK_EQ(Spans, 0);
}

TEST(polyline_draws_shared_vertices_once) {
    GDI_POINT zig[] = {{10, 10}, {40, 25}, {60, 10}, {60, 60}, {20, 61}, {5, 30}};
    ULONG expected = 0, state = 0;
    for (unsigned i = 0; i + 1 < ARRAYSIZE(zig); i++) {
        int dx = abs(zig[i + 1].x - zig[i].x), dy = abs(zig[i + 1].y - zig[i].y);
        expected += (ULONG)(dx > dy ? dx : dy);
    }
    reset();
    CHECK_STATUS(RasterPolyline(&FullClip, zig, ARRAYSIZE(zig), &PenSolid, &state, OUT), STATUS_SUCCESS);
    CHECK(clean());
    CHECK_EQ(count_tag(-1), expected);
    CHECK(lit(40, 25) && lit(60, 10) && lit(20, 61) && !lit(5, 30));
    /* A path that crosses and retraces itself still sends each pixel once. */
    GDI_POINT star[] = {{100, 10}, {130, 100}, {55, 45}, {145, 45}, {70, 100}, {100, 10}, {130, 100}};
    reset();
    CHECK_STATUS(RasterPolyline(&FullClip, star, ARRAYSIZE(star), &PenSolid, &state, OUT), STATUS_SUCCESS);
    CHECK(clean());
    CHECK(lit(100, 10) && lit(55, 45));
}

TEST(wide_lines_are_round_capped_and_gapless) {
    RASTER_PEN pen5 = {RASTER_PS_SOLID, 5, FALSE};
    GDI_POINT h[] = {{50, 50}, {150, 50}};
    reset();
    CHECK_STATUS(RasterPolyline(&FullClip, h, 2, &pen5, NULL, OUT), STATUS_SUCCESS);
    CHECK(clean());
    for (int y = 45; y <= 55; y++)
        CHECK_EQ(lit(100, y), y >= 48 && y <= 52);
    /* Round caps: the end pixel's footprint, a disc of diameter 5. */
    CHECK(lit(152, 50) && lit(151, 51) && !lit(152, 52) && !lit(153, 50) && lit(48, 50) && !lit(47, 50));
    /* Even widths: a 2-pixel pen covers the line and the row above it. */
    RASTER_PEN pen2 = {RASTER_PS_SOLID, 2, FALSE};
    reset();
    CHECK_STATUS(RasterPolyline(&FullClip, h, 2, &pen2, NULL, OUT), STATUS_SUCCESS);
    for (int y = 47; y <= 53; y++)
        CHECK_EQ(lit(100, y), y == 49 || y == 50);
    /* Any direction, with joins: no overlaps and no hole along the centre line. */
    GDI_POINT path[] = {{30, 30}, {200, 70}, {90, 200}, {100, 40}, {20, 180}};
    for (LONG w = 2; w <= 9; w++) {
        RASTER_PEN pen = {RASTER_PS_SOLID, w, (BOOLEAN)(w & 1)};
        ULONG holes = 0, state = 0;
        UCHAR wide[CH][CW];
        reset();
        CHECK_STATUS(RasterPolyline(&FullClip, path, ARRAYSIZE(path), &pen, NULL, OUT), STATUS_SUCCESS);
        CHECK(clean());
        memcpy(wide, Canvas, sizeof wide);
        reset();
        CHECK_STATUS(RasterPolyline(&FullClip, path, ARRAYSIZE(path), &PenSolid, &state, OUT),
                     STATUS_SUCCESS);
        for (int y = 0; y < CH; y++)
            for (int x = 0; x < CW; x++)
                holes += Canvas[y][x] && !wide[y][x];
        CHECK_EQ(holes, 0);
    }
}

/* ---- ellipses ---- */

/* Checks the shape now on the canvas against box [l,r) x [t,b): inside,
 * touching all four sides, 4-fold symmetric, rows and columns single runs. */
static void check_box_shape(int l, int t, int r, int b, BOOLEAN diagonal) {
    int rowsTouched = 0;
    for (int y = 0; y < CH; y++)
        for (int x = 0; x < CW; x++)
            if (Canvas[y][x] && (x < l || x >= r || y < t || y >= b))
                rowsTouched = -1000000;
    CHECK(rowsTouched == 0);
    BOOLEAN top = FALSE, bottom = FALSE, left = FALSE, right = FALSE;
    for (int x = l; x < r; x++)
        top |= lit(x, t), bottom |= lit(x, b - 1);
    for (int y = t; y < b; y++)
        left |= lit(l, y), right |= lit(r - 1, y);
    CHECK(top && bottom && left && right);
    ULONG asym = 0, gaps = 0;
    for (int y = t; y < b; y++)
        for (int x = l; x < r; x++) {
            int mx = l + r - 1 - x, my = t + b - 1 - y;
            asym += Canvas[y][x] != Canvas[y][mx] || Canvas[y][x] != Canvas[my][x];
            if (diagonal)
                asym += lit(x, y) != lit(l + (y - t), t + (x - l));
        }
    for (int y = t; y < b; y++) {
        int runs = 0;
        for (int x = l; x < r; x++)
            runs += lit(x, y) && !lit(x - 1, y);
        gaps += runs != 1;
    }
    for (int x = l; x < r; x++) {
        int runs = 0;
        for (int y = t; y < b; y++)
            runs += lit(x, y) && !lit(x, y - 1);
        gaps += runs != 1;
    }
    CHECK_EQ(asym, 0);
    CHECK_EQ(gaps, 0);
}

TEST(ellipse_all_sizes_fit_touch_and_are_symmetric_and_solid) {
    for (int w = 1; w <= 40; w++)
        for (int h = 1; h <= 40; h++) {
            int l = 7, t = 9, r = l + w, b = t + h;
            GDI_RECT box = rect(l, t, r, b);
            ULONG before = ut_state()->Failures;
            reset();
            CHECK_STATUS(RasterEllipse(&FullClip, &box, &PenSolid, IN, OUT), STATUS_SUCCESS);
            CHECK(clean());
            check_box_shape(l, t, r, b, w == h);
            /* The brush is enclosed by the pen: every interior pixel's
             * 4-neighbours are painted. */
            ULONG leaks = 0;
            for (int y = t; y < b; y++)
                for (int x = l; x < r; x++)
                    if (Canvas[y][x] == TAG_INTERIOR)
                        leaks += !lit(x - 1, y) || !lit(x + 1, y) || !lit(x, y - 1) || !lit(x, y + 1);
            CHECK_EQ(leaks, 0);
            /* The filled ellipse is the union of the two. */
            UCHAR both[CH][CW];
            memcpy(both, Canvas, sizeof both);
            reset();
            CHECK_STATUS(RasterFillEllipse(&FullClip, &box, IN), STATUS_SUCCESS);
            ULONG diff = 0;
            for (int y = 0; y < CH; y++)
                for (int x = 0; x < CW; x++)
                    diff += (both[y][x] != 0) != (Canvas[y][x] != 0);
            CHECK_EQ(diff, 0);
            CHECK(clean());
            /* A null pen fills the ellipse of the box a pixel smaller. */
            reset();
            CHECK_STATUS(RasterEllipse(&FullClip, &box, &PenNull, IN, OUT), STATUS_SUCCESS);
            CHECK(clean());
            if (w > 1 && h > 1)
                check_box_shape(l, t, r - 1, b - 1, w == h);
            else
                CHECK_EQ(count_tag(-1), 0);
            if (ut_state()->Failures != before) {
                printf("    ellipse %d x %d\n", w, h);
                return;
            }
        }
}

TEST(ellipse_small_circles_look_round) {
    /* A 10 x 10 circle: rows 4, 6, 8, 10, 10 wide from the top. */
    GDI_RECT box = rect(0, 0, 10, 10);
    static const int widths[] = {4, 6, 8, 10, 10, 10, 10, 8, 6, 4};
    reset();
    CHECK_STATUS(RasterFillEllipse(&FullClip, &box, IN), STATUS_SUCCESS);
    for (int y = 0; y < 10; y++) {
        int n = 0;
        for (int x = 0; x < 10; x++)
            n += lit(x, y);
        CHECK_EQ(n, widths[y]);
    }
    /* A flat 30 x 2 ellipse is two full rows. */
    box = rect(0, 0, 30, 2);
    reset();
    CHECK_STATUS(RasterFillEllipse(&FullClip, &box, IN), STATUS_SUCCESS);
    CHECK_EQ(count_tag(-1), 60);
}

TEST(ellipse_wide_pen_ring_is_gapless) {
    for (LONG w = 2; w <= 8; w++) {
        RASTER_PEN pen = {RASTER_PS_SOLID, w, FALSE};
        GDI_RECT box = rect(40, 50, 140, 120);
        reset();
        CHECK_STATUS(RasterEllipse(&FullClip, &box, &pen, IN, OUT), STATUS_SUCCESS);
        CHECK(clean());
        check_box_shape(40 - w / 2, 50 - w / 2, 140 + (w - 1) / 2, 120 + (w - 1) / 2, FALSE);
        /* Across the middle row: w pen pixels, brush, w pen pixels. */
        int y = 85, x = 40 - w / 2, n = 0;
        while (Canvas[y][x + n] == TAG_OUTLINE)
            n++;
        CHECK_EQ(n, w);
        CHECK_EQ(Canvas[y][x + n], TAG_INTERIOR);
    }
}

TEST(roundrect_fits_and_degenerates_to_rectangle) {
    for (int ew = 0; ew <= 24; ew += 3)
        for (int eh = 0; eh <= 24; eh += 4) {
            GDI_RECT box = rect(20, 20, 60, 45);
            reset();
            CHECK_STATUS(RasterRoundRect(&FullClip, &box, ew, eh, &PenSolid, IN, OUT), STATUS_SUCCESS);
            CHECK(clean());
            check_box_shape(20, 20, 60, 45, FALSE);
            CHECK_EQ(Canvas[32][20], TAG_OUTLINE);
            CHECK_EQ(Canvas[32][21], TAG_INTERIOR);
        }
    GDI_RECT box = rect(20, 20, 60, 45);
    reset();
    CHECK_STATUS(RasterRoundRect(&FullClip, &box, 0, 0, &PenSolid, IN, OUT), STATUS_SUCCESS);
    CHECK_EQ(count_tag(TAG_OUTLINE), 2 * 40 + 2 * 23);
    CHECK_EQ(count_tag(TAG_INTERIOR), 38 * 23);
    /* Corners: a 10 x 10 corner ellipse leaves (20,20) empty. */
    reset();
    CHECK_STATUS(RasterRoundRect(&FullClip, &box, 10, 10, &PenSolid, IN, OUT), STATUS_SUCCESS);
    CHECK(!lit(20, 20) && !lit(59, 44) && lit(23, 20) && lit(20, 23));
}

/* ---- Arc, Chord, Pie ---- */

/* A monotone stand-in for the angle of (x, y), in [0, 4) for [0, 360)
 * degrees (no libm in the host tests). */
static double pseudo_angle(double x, double y) {
    double t = y / (fabs(x) + fabs(y));
    double a = x >= 0 ? t : 2 - t;
    return a < 0 ? a + 4 : a;
}

/* Is the doubled offset (math orientation) within the counterclockwise sweep
 * from S to E, with a tolerance? */
static BOOLEAN angle_in(double px, double py, double sx, double sy, double ex, double ey, double tol) {
    if (px == 0 && py == 0)
        return TRUE;
    double as = pseudo_angle(sx, sy), sweep = pseudo_angle(ex, ey) - as, at = pseudo_angle(px, py) - as;
    if (sweep < 0)
        sweep += 4;
    if (at < 0)
        at += 4;
    if (sweep < 1e-12)
        return TRUE;
    return at <= sweep + tol || at >= 4 - tol;
}

TEST(arc_chord_pie_stay_on_the_ellipse_and_in_their_angles) {
    static const int ends[][4] = {{200, 60, 60, 0}, {60, 0, 200, 60}, {0, 100, 0, 30},   {131, 200, 130, 200},
                                  {70, 10, 70, 10}, {100, 65, 5, 65}, {10, 10, 200, 200}};
    GDI_RECT box = rect(20, 30, 120, 100);
    double cx2 = 20 + 120 - 1, cy2 = 30 + 100 - 1;
    /* the ellipse's outline, for reference */
    UCHAR ring[CH][CW];
    reset();
    CHECK_STATUS(RasterEllipse(&FullClip, &box, &PenSolid, NULL, OUT), STATUS_SUCCESS);
    memcpy(ring, Canvas, sizeof ring);
    for (unsigned k = 0; k < ARRAYSIZE(ends); k++) {
        GDI_POINT s = {ends[k][0], ends[k][1]}, e = {ends[k][2], ends[k][3]};
        double sx = 2 * s.x - cx2, sy = cy2 - 2 * s.y, ex = 2 * e.x - cx2, ey = cy2 - 2 * e.y;
        for (ULONG kind = RASTER_ARC; kind <= RASTER_PIE; kind++) {
            reset();
            CHECK_STATUS(
                RasterArc(&FullClip, &box, s, e, kind, RASTER_AD_COUNTERCLOCKWISE, &PenSolid, IN, OUT),
                STATUS_SUCCESS);
            CHECK(clean());
            ULONG arcPixels = 0, stray = 0, outOfAngle = 0, fillOutside = 0;
            for (int y = 0; y < CH; y++)
                for (int x = 0; x < CW; x++) {
                    double px = 2 * x - cx2, py = cy2 - 2 * y;
                    if (Canvas[y][x] == TAG_OUTLINE && ring[y][x]) {
                        arcPixels++;
                        if (!angle_in(px, py, sx, sy, ex, ey, 1e-9)) {
                            /* Chord and Pie: only a closing line's end point,
                             * next to the arc proper, may lie just outside. */
                            BOOLEAN nearArc = FALSE;
                            for (int ny = y - 1; ny <= y + 1; ny++)
                                for (int nx = x - 1; nx <= x + 1; nx++)
                                    nearArc |= lit(nx, ny) && ring[ny][nx] &&
                                               angle_in(2 * nx - cx2, cy2 - 2 * ny, sx, sy, ex, ey, 1e-9);
                            if (kind == RASTER_ARC || !nearArc) {
                                outOfAngle++;
                                printf("    case %u kind %u: arc pixel (%d,%d) out of angle\n", k, kind, x,
                                       y);
                            }
                        }
                    } else if (Canvas[y][x] == TAG_OUTLINE) {
                        stray++; /* must be on a closing line */
                    } else if (Canvas[y][x] == TAG_INTERIOR) {
                        fillOutside += x < 20 || x >= 120 || y < 30 || y >= 100;
                        BOOLEAN byPen = FALSE; /* the brush may follow the drawn radius */
                        for (int ny = y - 1; ny <= y + 1; ny++)
                            for (int nx = x - 1; nx <= x + 1; nx++)
                                byPen |= Canvas[ny][nx] == TAG_OUTLINE;
                        if (kind == RASTER_PIE && !byPen && !angle_in(px, py, sx, sy, ex, ey, 1e-9)) {
                            outOfAngle++;
                            printf("    case %u: pie pixel (%d,%d) out of angle\n", k, x, y);
                        }
                    }
                }
            CHECK(arcPixels > 0);
            CHECK_EQ(outOfAngle, 0);
            CHECK_EQ(fillOutside, 0);
            if (kind == RASTER_ARC) {
                CHECK_EQ(stray + count_tag(TAG_INTERIOR), 0);
            } else {
                /* The brush is enclosed by the pen. */
                ULONG leaks = 0;
                for (int y = 0; y < CH; y++)
                    for (int x = 0; x < CW; x++)
                        if (Canvas[y][x] == TAG_INTERIOR)
                            leaks += !lit(x - 1, y) || !lit(x + 1, y) || !lit(x, y - 1) || !lit(x, y + 1);
                CHECK(count_tag(TAG_INTERIOR) > 0);
                if (!CHECK_EQ(leaks, 0))
                    printf("    case %u kind %u\n", k, kind);
            }
        }
        /* Clockwise from S to E is counterclockwise from E to S. */
        UCHAR ccw[CH][CW];
        reset();
        CHECK_STATUS(
            RasterArc(&FullClip, &box, e, s, RASTER_PIE, RASTER_AD_COUNTERCLOCKWISE, &PenSolid, IN, OUT),
            STATUS_SUCCESS);
        memcpy(ccw, Canvas, sizeof ccw);
        reset();
        CHECK_STATUS(RasterArc(&FullClip, &box, s, e, RASTER_PIE, RASTER_AD_CLOCKWISE, &PenSolid, IN, OUT),
                     STATUS_SUCCESS);
        CHECK(memcmp(ccw, Canvas, sizeof ccw) == 0);
    }
}

TEST(arc_with_equal_radii_is_the_whole_ellipse) {
    GDI_RECT box = rect(20, 30, 120, 100);
    GDI_POINT p = {200, 31};
    UCHAR ring[CH][CW];
    reset();
    CHECK_STATUS(RasterEllipse(&FullClip, &box, &PenSolid, NULL, OUT), STATUS_SUCCESS);
    memcpy(ring, Canvas, sizeof ring);
    reset();
    CHECK_STATUS(RasterArc(&FullClip, &box, p, p, RASTER_ARC, RASTER_AD_COUNTERCLOCKWISE, &PenSolid, IN, OUT),
                 STATUS_SUCCESS);
    CHECK(memcmp(ring, Canvas, sizeof ring) == 0);
}

TEST(pie_quadrant_is_bounded_by_its_radii) {
    /* Upper-right quadrant of a circle centred on (60,60). */
    GDI_RECT box = rect(20, 20, 101, 101);
    GDI_POINT s = {200, 60}, e = {60, 0};
    reset();
    CHECK_STATUS(RasterArc(&FullClip, &box, s, e, RASTER_PIE, RASTER_AD_COUNTERCLOCKWISE, &PenSolid, IN, OUT),
                 STATUS_SUCCESS);
    CHECK(clean());
    for (int x = 60; x <= 100; x++)
        CHECK_EQ(Canvas[60][x], TAG_OUTLINE); /* the radius to the right */
    for (int y = 20; y <= 60; y++)
        CHECK_EQ(Canvas[y][60], TAG_OUTLINE); /* the radius upwards */
    CHECK_EQ(Canvas[40][80], TAG_INTERIOR);
    CHECK(!lit(59, 59) && !lit(61, 61) && !lit(40, 80));
    /* The chord of the same quadrant fills only beyond the diagonal. */
    reset();
    CHECK_STATUS(
        RasterArc(&FullClip, &box, s, e, RASTER_CHORD, RASTER_AD_COUNTERCLOCKWISE, &PenSolid, IN, OUT),
        STATUS_SUCCESS);
    CHECK(clean());
    CHECK_EQ(Canvas[35][85], TAG_INTERIOR);
    CHECK(!lit(70, 50));
    CHECK_EQ(Canvas[40][80], TAG_OUTLINE); /* on the chord line x + y = 120 */
}

/* Many boxes and radii, wide and thin pens: pen and brush never overlap and
 * stay inside the pen's reach of the box; the brush touches an unpainted
 * pixel only at a rare arc/chord junction (a one-pixel disagreement between
 * the exact radius and the drawn line, documented in raster.c). */
TEST(chord_and_pie_sweep_never_overlap) {
    ULONG figures = 0, leaky = 0, escaped = 0;
    for (int w = 1; w <= 61; w += 6)
        for (int h = 1; h <= 61; h += 5)
            for (int a = 0; a < 16; a++)
                for (int b = 0; b < 16; b += 3)
                    for (ULONG kind = RASTER_CHORD; kind <= RASTER_PIE; kind++)
                        for (LONG pw = 1; pw <= 4; pw += 3) {
                            /* radii towards points on a square around the box */
                            static const int ring[16][2] = {
                                {1, 0},  {1, -1}, {1, -2}, {0, -2}, {-1, -2}, {-2, -2}, {-2, -1}, {-2, 0},
                                {-2, 1}, {-1, 1}, {0, 1},  {1, 1},  {2, 1},   {2, 0},   {2, -1},  {0, -1}};
                            GDI_RECT box = rect(90, 90, 90 + w, 90 + h);
                            GDI_POINT s = {120 + 40 * ring[a][0] + a, 120 + 40 * ring[a][1] - a};
                            GDI_POINT e = {120 + 37 * ring[b][0] - b, 120 + 43 * ring[b][1] + b};
                            RASTER_PEN pen = {RASTER_PS_SOLID, pw, FALSE};
                            reset();
                            CHECK_STATUS(RasterArc(&FullClip, &box, s, e, kind, RASTER_AD_COUNTERCLOCKWISE,
                                                   &pen, IN, OUT),
                                         STATUS_SUCCESS);
                            CHECK(clean());
                            ULONG leaks = 0;
                            for (int y = 80; y < 160; y++)
                                for (int x = 80; x < 160; x++) {
                                    if (Canvas[y][x] == TAG_INTERIOR)
                                        leaks += !lit(x - 1, y) || !lit(x + 1, y) || !lit(x, y - 1) ||
                                                 !lit(x, y + 1);
                                    escaped += Canvas[y][x] && (x < 88 || y < 88 || x > 92 + w || y > 92 + h);
                                }
                            figures++;
                            leaky += leaks != 0;
                        }
    CHECK_EQ(escaped, 0);
    printf("  %lu of %lu chords and pies with a junction pixel\n", (unsigned long)leaky,
           (unsigned long)figures);
    CHECK(leaky * 100 < figures); /* under 1% */
}

/* ---- polygons ---- */

TEST(polygon_rectangle_fills_like_fillrect) {
    GDI_POINT sq[] = {{10, 10}, {20, 10}, {20, 15}, {10, 15}};
    reset();
    CHECK_STATUS(RasterPolygon(&FullClip, sq, 4, RASTER_ALTERNATE, NULL, IN, OUT), STATUS_SUCCESS);
    CHECK(clean());
    CHECK_EQ(count_tag(TAG_INTERIOR), 50);
    CHECK(lit(10, 10) && lit(19, 14) && !lit(20, 14) && !lit(19, 15));
    /* With a pen the outline runs through the corner pixels, right and bottom included. */
    reset();
    CHECK_STATUS(RasterPolygon(&FullClip, sq, 4, RASTER_ALTERNATE, &PenSolid, IN, OUT), STATUS_SUCCESS);
    CHECK(clean());
    CHECK_EQ(count_tag(TAG_OUTLINE), 2 * 11 + 2 * 4);
    CHECK_EQ(count_tag(TAG_INTERIOR), 9 * 4);
    CHECK_EQ(Canvas[15][20], TAG_OUTLINE);
}

TEST(polygon_edges_follow_the_top_left_rule) {
    /* Triangle (0,0) (8,0) (0,8): row y holds x with 0 <= x < 8 - y. */
    GDI_POINT tri[] = {{30, 30}, {38, 30}, {30, 38}};
    reset();
    CHECK_STATUS(RasterPolygon(&FullClip, tri, 3, RASTER_WINDING, NULL, IN, OUT), STATUS_SUCCESS);
    for (int y = 28; y < 40; y++)
        for (int x = 28; x < 40; x++)
            CHECK_EQ(lit(x, y), y >= 30 && y < 38 && x >= 30 && x < 38 - (y - 30));
    /* Two triangles sharing a diagonal tile the square exactly once. */
    GDI_POINT pts[] = {{50, 50}, {70, 50}, {70, 63}, {50, 50}, {70, 63}, {50, 63}};
    ULONG counts[] = {3, 3};
    reset();
    CHECK_STATUS(RasterPolygon(&FullClip, pts, 3, RASTER_ALTERNATE, NULL, IN, OUT), STATUS_SUCCESS);
    CHECK_STATUS(RasterPolygon(&FullClip, pts + 3, 3, RASTER_ALTERNATE, NULL, IN, OUT), STATUS_SUCCESS);
    CHECK(clean());
    CHECK_EQ(count_tag(-1), 20 * 13);
    reset();
    CHECK_STATUS(RasterFillPolyPolygon(&FullClip, pts, counts, 2, RASTER_WINDING, IN), STATUS_SUCCESS);
    CHECK_EQ(count_tag(-1), 20 * 13);
}

TEST(pentagram_centre_filled_only_with_winding) {
    GDI_POINT star[] = {{100, 20}, {147, 165}, {24, 75}, {176, 75}, {53, 165}};
    reset();
    CHECK_STATUS(RasterPolygon(&FullClip, star, 5, RASTER_ALTERNATE, NULL, IN, OUT), STATUS_SUCCESS);
    CHECK(clean());
    CHECK(!lit(100, 100) && lit(100, 40) && lit(40, 80) && lit(140, 150));
    reset();
    CHECK_STATUS(RasterPolygon(&FullClip, star, 5, RASTER_WINDING, NULL, IN, OUT), STATUS_SUCCESS);
    CHECK(clean());
    CHECK(lit(100, 100) && lit(100, 40) && lit(40, 80) && lit(140, 150));
    /* With a pen: the crossings of the outline are sent once, and the
     * interior never under the outline. */
    reset();
    CHECK_STATUS(RasterPolygon(&FullClip, star, 5, RASTER_WINDING, &PenSolid, IN, OUT), STATUS_SUCCESS);
    CHECK(clean());
    CHECK_EQ(Canvas[100][100], TAG_INTERIOR);
    CHECK_EQ(Canvas[20][100], TAG_OUTLINE);
}

TEST(overlapping_squares_alternate_vs_winding) {
    /* Two squares, same orientation, overlapping in [30,40) x [30,40). */
    GDI_POINT pts[] = {{20, 20}, {40, 20}, {40, 40}, {20, 40}, {30, 30}, {50, 30}, {50, 50}, {30, 50}};
    ULONG counts[] = {4, 4};
    reset();
    CHECK_STATUS(RasterFillPolyPolygon(&FullClip, pts, counts, 2, RASTER_ALTERNATE, IN), STATUS_SUCCESS);
    CHECK(clean());
    CHECK(!lit(35, 35) && lit(25, 25) && lit(45, 45));
    CHECK_EQ(count_tag(-1), 400 + 400 - 2 * 100);
    reset();
    CHECK_STATUS(RasterFillPolyPolygon(&FullClip, pts, counts, 2, RASTER_WINDING, IN), STATUS_SUCCESS);
    CHECK(clean());
    CHECK(lit(35, 35));
    CHECK_EQ(count_tag(-1), 400 + 400 - 100);
    /* The second square reversed: winding numbers cancel in the overlap. */
    GDI_POINT rev[] = {{20, 20}, {40, 20}, {40, 40}, {20, 40}, {30, 30}, {30, 50}, {50, 50}, {50, 30}};
    reset();
    CHECK_STATUS(RasterFillPolyPolygon(&FullClip, rev, counts, 2, RASTER_WINDING, IN), STATUS_SUCCESS);
    CHECK(!lit(35, 35) && lit(25, 25));
    /* One figure that loops over itself: a square traced twice winds 2. */
    GDI_POINT twice[] = {{60, 60}, {80, 60}, {80, 80}, {60, 80}, {60, 60}, {80, 60}, {80, 80}, {60, 80}};
    reset();
    CHECK_STATUS(RasterPolygon(&FullClip, twice, 8, RASTER_ALTERNATE, NULL, IN, OUT), STATUS_SUCCESS);
    CHECK_EQ(count_tag(-1), 0);
    reset();
    CHECK_STATUS(RasterPolygon(&FullClip, twice, 8, RASTER_WINDING, NULL, IN, OUT), STATUS_SUCCESS);
    CHECK_EQ(count_tag(-1), 400);
}

TEST(degenerate_polygons_fill_nothing_but_keep_their_outline) {
    GDI_POINT line[] = {{10, 10}, {30, 20}, {50, 30}, {20, 15}};
    reset();
    CHECK_STATUS(RasterPolygon(&FullClip, line, 4, RASTER_WINDING, NULL, IN, OUT), STATUS_SUCCESS);
    CHECK_EQ(Spans, 0);
    reset();
    CHECK_STATUS(RasterPolygon(&FullClip, line, 4, RASTER_ALTERNATE, &PenSolid, IN, OUT), STATUS_SUCCESS);
    CHECK(clean());
    CHECK_EQ(count_tag(TAG_INTERIOR), 0);
    CHECK_EQ(count_tag(TAG_OUTLINE), 41); /* (10,10)..(50,30) both ends, once */
    GDI_POINT one[] = {{5, 5}}, same[] = {{7, 7}, {7, 7}, {7, 7}};
    reset();
    CHECK_STATUS(RasterPolygon(&FullClip, one, 1, RASTER_WINDING, &PenSolid, IN, OUT), STATUS_SUCCESS);
    CHECK_STATUS(RasterPolygon(&FullClip, same, 3, RASTER_WINDING, &PenSolid, IN, OUT), STATUS_SUCCESS);
    CHECK_STATUS(RasterPolygon(&FullClip, NULL, 0, RASTER_WINDING, &PenSolid, IN, OUT), STATUS_SUCCESS);
    CHECK_EQ(Spans, 0);
    CHECK_STATUS(RasterPolygon(&FullClip, same, 3, 7, &PenSolid, IN, OUT), STATUS_INVALID_PARAMETER);
}

/* ---- far-away coordinates ---- */

TEST(huge_coordinates_are_clipped_not_walked) {
    const LONG big = RASTER_COORD_LIMIT;
    GDI_RECT clip = rect(40, 50, 200, 180);
    ULONG state = 0;
    reset();
    RasterLine(&clip, -big, -big, big, big - 7, RASTER_PS_DASH, &state, OUT);
    RasterLine(&clip, big, -big + 100, -big, big, RASTER_PS_SOLID, &state, OUT);
    CHECK(Spans > 0);
    GDI_POINT path[] = {{-big, 100}, {big, 120}, {big, -big}, {60, 60}};
    RASTER_PEN wide = {RASTER_PS_SOLID, 9, FALSE};
    CHECK_STATUS(RasterPolyline(&clip, path, 4, &wide, NULL, OUT), STATUS_SUCCESS);
    GDI_POINT poly[] = {{-big, -big}, {big, -big + 3}, {big, big}, {-big + 5, big}};
    CHECK_STATUS(RasterPolygon(&clip, poly, 4, RASTER_WINDING, &wide, IN, OUT), STATUS_SUCCESS);
    GDI_RECT huge = rect(-big, -big, big, big);
    CHECK_STATUS(RasterEllipse(&clip, &huge, &PenSolid, IN, OUT), STATUS_SUCCESS);
    CHECK_STATUS(RasterEllipse(&clip, &huge, &wide, IN, OUT), STATUS_SUCCESS);
    GDI_RECT edge = rect(-big, 100, big, big);
    CHECK_STATUS(RasterEllipse(&clip, &edge, &PenSolid, IN, OUT), STATUS_SUCCESS);
    CHECK_STATUS(RasterRoundRect(&clip, &huge, big, big / 3, &PenSolid, IN, OUT), STATUS_SUCCESS);
    GDI_POINT s = {big, 0}, e = {-big, -big};
    CHECK_STATUS(RasterArc(&clip, &huge, s, e, RASTER_PIE, RASTER_AD_CLOCKWISE, &wide, IN, OUT),
                 STATUS_SUCCESS);
    CHECK_STATUS(RasterArc(&clip, &edge, s, e, RASTER_CHORD, RASTER_AD_COUNTERCLOCKWISE, &PenSolid, IN, OUT),
                 STATUS_SUCCESS);
    CHECK_STATUS(RasterRectangle(&clip, &huge, &wide, IN, OUT), STATUS_SUCCESS);
    CHECK_EQ(OutOfCanvas + EmptySpans, 0);
    ULONG outside = 0;
    for (int y = 0; y < CH; y++)
        for (int x = 0; x < CW; x++)
            outside += Canvas[y][x] && (x < 40 || x >= 200 || y < 50 || y >= 180);
    CHECK_EQ(outside, 0);
    /* The giant circle's edge still passes through the clip where it should:
     * the ellipse (-big,100)-(big,big) touches row 100 near x = 0 only. */
    reset();
    GDI_RECT clip2 = rect(0, 90, 100, 110);
    CHECK_STATUS(RasterEllipse(&clip2, &edge, &PenSolid, NULL, OUT), STATUS_SUCCESS);
    CHECK(lit(0, 100) && lit(99, 100) && !lit(0, 99) && !lit(0, 101));
    /* Beyond the limit: refused. */
    GDI_RECT tooBig = rect(-big - 1, 0, 10, 10);
    CHECK_STATUS(RasterEllipse(&clip, &tooBig, &PenSolid, IN, OUT), STATUS_INVALID_PARAMETER);
    RASTER_PEN tooWide = {RASTER_PS_SOLID, RASTER_MAX_PEN_WIDTH + 1, FALSE};
    CHECK_STATUS(RasterPolyline(&clip, path, 2, &tooWide, NULL, OUT), STATUS_INVALID_PARAMETER);
}

/* ---- memory ---- */

TEST(out_of_memory_fails_cleanly_before_any_span) {
    GDI_POINT star[] = {{100, 20}, {147, 165}, {24, 75}, {176, 75}, {53, 165}};
    RASTER_PEN wide = {RASTER_PS_SOLID, 4, FALSE};
    GDI_RECT box = rect(20, 30, 120, 100);
    GDI_POINT s = {0, 0}, e = {200, 40};
    for (int failAfter = 0; failAfter < 8; failAfter++) {
        NTSTATUS st[4];
        reset();
        AllocFailAfter = failAfter;
        st[0] = RasterPolygon(&FullClip, star, 5, RASTER_WINDING, &PenSolid, IN, OUT);
        ULONG spans0 = Spans;
        AllocFailAfter = failAfter;
        reset();
        st[1] = RasterPolyline(&FullClip, star, 5, &wide, NULL, OUT);
        ULONG spans1 = Spans;
        AllocFailAfter = failAfter;
        reset();
        st[2] = RasterArc(&FullClip, &box, s, e, RASTER_PIE, RASTER_AD_COUNTERCLOCKWISE, &wide, IN, OUT);
        ULONG spans2 = Spans;
        AllocFailAfter = failAfter;
        reset();
        st[3] = RasterPolygon(&FullClip, star, 5, RASTER_ALTERNATE, &wide, IN, OUT);
        ULONG spans3 = Spans;
        AllocFailAfter = -1;
        CHECK(st[0] == STATUS_SUCCESS || (st[0] == STATUS_NO_MEMORY && spans0 == 0));
        CHECK(st[1] == STATUS_SUCCESS || (st[1] == STATUS_NO_MEMORY && spans1 == 0));
        CHECK(st[2] == STATUS_SUCCESS || (st[2] == STATUS_NO_MEMORY && spans2 == 0));
        CHECK(st[3] == STATUS_SUCCESS || (st[3] == STATUS_NO_MEMORY && spans3 == 0));
        if (failAfter == 0)
            CHECK(st[0] == STATUS_NO_MEMORY && st[1] == STATUS_NO_MEMORY && st[2] == STATUS_NO_MEMORY);
        CHECK_EQ(AllocOutstanding, 0);
    }
}

int main(void) {
    RUN(fill_rect_excludes_right_and_bottom);
    RUN(rectangle_pen_frames_the_box_and_brush_fills_inside);
    RUN(rectangle_with_null_pen_is_a_pixel_smaller);
    RUN(rectangle_wide_pen_is_a_ring_of_pen_width);
    RUN(rectangle_styled_pen_dashes_the_frame);
    RUN(line_draws_max_dx_dy_pixels_without_its_end_point);
    RUN(line_ties_round_towards_top_and_left);
    RUN(styled_lines_repeat_nt_dash_lengths);
    RUN(style_phase_carries_across_polyline_segments);
    RUN(null_pen_draws_nothing);
    RUN(polyline_draws_shared_vertices_once);
    RUN(wide_lines_are_round_capped_and_gapless);
    RUN(ellipse_all_sizes_fit_touch_and_are_symmetric_and_solid);
    RUN(ellipse_small_circles_look_round);
    RUN(ellipse_wide_pen_ring_is_gapless);
    RUN(roundrect_fits_and_degenerates_to_rectangle);
    RUN(arc_chord_pie_stay_on_the_ellipse_and_in_their_angles);
    RUN(arc_with_equal_radii_is_the_whole_ellipse);
    RUN(pie_quadrant_is_bounded_by_its_radii);
    RUN(chord_and_pie_sweep_never_overlap);
    RUN(polygon_rectangle_fills_like_fillrect);
    RUN(polygon_edges_follow_the_top_left_rule);
    RUN(pentagram_centre_filled_only_with_winding);
    RUN(overlapping_squares_alternate_vs_winding);
    RUN(degenerate_polygons_fill_nothing_but_keep_their_outline);
    RUN(huge_coordinates_are_clipped_not_walked);
    RUN(out_of_memory_fails_cleanly_before_any_span);
    return UtFinish();
}
