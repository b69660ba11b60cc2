/*
 * test_gdi_region.c - regions hold exactly the pixels a brute-force bitmap
 * model says they should, always in canonical y-x banded form, and running
 * out of memory never changes a region.
 *
 * Why: every drawing operation is clipped through RgnClipSpan, and CombineRgn
 * results are handed to applications (GetRegionData) and compared with
 * EqualRgn, so a region that is one pixel off or not canonical is a visible
 * bug far from its cause. Each operation is therefore checked against a
 * plain pixel array: the model computes the expected pixel set, and from it
 * the one canonical banded rectangle list, which the region must match
 * rectangle for rectangle (that checks banding, sorting, merging and the
 * bounding box at once). rgn_valid checks the same invariants without a
 * model, for coordinates the model cannot hold. The random cases use a
 * fixed seed, so a failure reproduces. region.c is compiled into this test
 * directly, with GdiHostAlloc/GdiHostFree on calloc/free, counting blocks
 * and able to fail the Nth allocation.
 */
#include <stdint.h>

#include "unit.h"

#include "../../subsys/gdi/region.c"

/* ---- the host interface, on calloc/free ---- */

static long AllocOutstanding;    /* blocks handed out and not yet freed */
static long AllocFailAfter = -1; /* >= 0: that many more allocations succeed, then all fail */

void *GdiHostAlloc(size_t Bytes) {
    if (AllocFailAfter == 0)
        return NULL;
    if (AllocFailAfter > 0)
        AllocFailAfter--;
    void *p = calloc(1, Bytes ? Bytes : 1);
    if (p != NULL)
        AllocOutstanding++;
    return p;
}

void GdiHostFree(void *Block) {
    if (Block != NULL) {
        AllocOutstanding--;
        free(Block);
    }
}

/* ---- a deterministic random source ---- */

static uint32_t RandomState = 0x2545F491u;

static uint32_t rnd(void) {
    uint32_t x = RandomState;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return RandomState = x;
}

/* A number in [Lo, Hi]. */
static int32_t rnd_range(int32_t Lo, int32_t Hi) {
    return Lo + (int32_t)(rnd() % (uint32_t)(Hi - Lo + 1));
}

/* ---- the pixel model: coordinates MODEL_MIN .. MODEL_MIN + MODEL_SIZE - 1 ---- */

#define MODEL_SIZE 80
#define MODEL_MIN (-8)
#define AREA 64 /* random shapes live in [0, AREA) */

typedef struct _MODEL {
    uint8_t Px[MODEL_SIZE][MODEL_SIZE]; /* [y][x] */
} MODEL;

static bool model_get(const MODEL *M, int32_t X, int32_t Y) {
    int64_t x = (int64_t)X - MODEL_MIN, y = (int64_t)Y - MODEL_MIN;
    return x >= 0 && x < MODEL_SIZE && y >= 0 && y < MODEL_SIZE && M->Px[y][x];
}

static void model_clear(MODEL *M) {
    memset(M, 0, sizeof *M);
}

/* Sets the pixels of Rect (normalised); false if any falls outside the model. */
static bool model_add_rect(MODEL *M, GDI_RECT Rect) {
    GDI_RECT r = rect_normalise(&Rect);
    if (rect_empty(&r))
        return true;
    if (r.left < MODEL_MIN || r.top < MODEL_MIN || r.right > MODEL_MIN + MODEL_SIZE ||
        r.bottom > MODEL_MIN + MODEL_SIZE)
        return false;
    for (int32_t y = r.top; y < r.bottom; y++)
        for (int32_t x = r.left; x < r.right; x++)
            M->Px[y - MODEL_MIN][x - MODEL_MIN] = 1;
    return true;
}

static void model_combine(MODEL *D, const MODEL *A, const MODEL *B, int Mode) {
    for (int y = 0; y < MODEL_SIZE; y++)
        for (int x = 0; x < MODEL_SIZE; x++) {
            int a = A->Px[y][x], b = B ? B->Px[y][x] : 0;
            int v = Mode == GDI_RGN_AND    ? a && b
                    : Mode == GDI_RGN_OR   ? a || b
                    : Mode == GDI_RGN_XOR  ? a != b
                    : Mode == GDI_RGN_DIFF ? a && !b
                                           : a;
            D->Px[y][x] = (uint8_t)v;
        }
}

static bool model_equal(const MODEL *A, const MODEL *B) {
    return memcmp(A, B, sizeof *A) == 0;
}

/* The canonical banded list of a model's pixels. */
typedef struct _RECT_LIST {
    uint32_t Count;
    GDI_RECT Rects[MODEL_SIZE * MODEL_SIZE / 2];
} RECT_LIST;

static void canonical_of(RECT_LIST *L, const MODEL *M) {
    L->Count = 0;
    uint32_t prevBand = 0, prevCount = 0; /* the band ending at the previous row */
    for (int y = 0; y < MODEL_SIZE; y++) {
        uint32_t band = L->Count;
        int32_t row = y + MODEL_MIN;
        for (int x = 0; x < MODEL_SIZE;) {
            if (!M->Px[y][x]) {
                x++;
                continue;
            }
            int x0 = x;
            while (x < MODEL_SIZE && M->Px[y][x])
                x++;
            L->Rects[L->Count++] = (GDI_RECT){x0 + MODEL_MIN, row, x + MODEL_MIN, row + 1};
        }
        uint32_t n = L->Count - band;
        bool same = n > 0 && n == prevCount && L->Rects[prevBand].bottom == row;
        for (uint32_t i = 0; same && i < n; i++)
            same = L->Rects[prevBand + i].left == L->Rects[band + i].left &&
                   L->Rects[prevBand + i].right == L->Rects[band + i].right;
        if (same) {
            for (uint32_t i = 0; i < n; i++)
                L->Rects[prevBand + i].bottom = row + 1;
            L->Count = band;
        } else if (n > 0) {
            prevBand = band;
            prevCount = n;
        } else {
            prevCount = 0;
        }
    }
}

static bool rect_eq(const GDI_RECT *A, const GDI_RECT *B) {
    return A->left == B->left && A->top == B->top && A->right == B->right && A->bottom == B->bottom;
}

static int Reports; /* diagnostics printed so far; a broken build prints a few, not thousands */

static void report(const char *What, const GDI_REGION *R) {
    if (Reports++ >= 8)
        return;
    printf("  %s: region of %u rects, bounds (%d,%d)-(%d,%d):", What, R->Count, R->Bounds.left, R->Bounds.top,
           R->Bounds.right, R->Bounds.bottom);
    for (uint32_t i = 0; i < R->Count && i < 12; i++) {
        GDI_RECT r;
        RgnGetRect(R, i, &r);
        printf(" (%d,%d)-(%d,%d)", r.left, r.top, r.right, r.bottom);
    }
    printf("\n");
}

/* The representation invariants, checked without a model. */
static bool rgn_valid(const GDI_REGION *R) {
    uint32_t n = RgnRectCount(R);
    int expect = n == 0 ? GDI_NULLREGION : n == 1 ? GDI_SIMPLEREGION : GDI_COMPLEXREGION;
    GDI_RECT box;
    if (RgnComplexity(R) != expect || RgnBox(R, &box) != expect)
        return false;
    if (n == 0) {
        GDI_RECT zero = {0, 0, 0, 0};
        return rect_eq(&box, &zero) && RgnRects(R) == NULL;
    }
    const GDI_RECT *r = RgnRects(R);
    if (r == NULL)
        return false;
    GDI_RECT b = r[0];
    uint32_t prevBand = 0, band = 0;
    bool havePrev = false;
    for (uint32_t i = 0; i < n; i++) {
        GDI_RECT g;
        if (!RgnGetRect(R, i, &g) || !rect_eq(&g, &r[i]))
            return false;
        if (r[i].left >= r[i].right || r[i].top >= r[i].bottom)
            return false; /* empty rectangle */
        if (i > 0 && r[i].top == r[i - 1].top) {
            if (r[i].bottom != r[i - 1].bottom || r[i - 1].right >= r[i].left)
                return false; /* band rows differ, or runs unsorted, overlapping or touching */
        } else if (i > 0) {
            if (r[i].top < r[i - 1].bottom)
                return false; /* bands unsorted or overlapping */
            /* the band [band, i) just ended: it must differ from a touching band above */
            if (havePrev && r[prevBand].bottom == r[band].top && i - band == band - prevBand) {
                bool same = true;
                for (uint32_t k = 0; same && k < i - band; k++)
                    same = r[prevBand + k].left == r[band + k].left &&
                           r[prevBand + k].right == r[band + k].right;
                if (same)
                    return false;
            }
            prevBand = band;
            havePrev = true;
            band = i;
        }
        b.left = b.left < r[i].left ? b.left : r[i].left;
        b.right = b.right > r[i].right ? b.right : r[i].right;
    }
    if (havePrev && r[prevBand].bottom == r[band].top && n - band == band - prevBand) {
        bool same = true;
        for (uint32_t k = 0; same && k < n - band; k++)
            same = r[prevBand + k].left == r[band + k].left && r[prevBand + k].right == r[band + k].right;
        if (same)
            return false;
    }
    b.bottom = r[n - 1].bottom;
    GDI_RECT extra;
    return rect_eq(&b, &box) && !RgnGetRect(R, n, &extra);
}

/* True when R is valid and is exactly the canonical list of M's pixels. */
static bool rgn_matches(const GDI_REGION *R, const MODEL *M, const char *What) {
    static RECT_LIST expect;
    canonical_of(&expect, M);
    bool ok = rgn_valid(R) && RgnRectCount(R) == expect.Count;
    for (uint32_t i = 0; ok && i < expect.Count; i++) {
        GDI_RECT r;
        ok = RgnGetRect(R, i, &r) && rect_eq(&r, &expect.Rects[i]);
    }
    if (!ok) {
        report(What, R);
        GDI_REGION e = {expect.Count, 0, expect.Rects, {0, 0, 0, 0}};
        if (expect.Count == 1)
            e.Bounds = expect.Rects[0];
        report("  expected", &e);
    }
    return ok;
}

static int complexity_of(const MODEL *M) {
    static RECT_LIST l;
    canonical_of(&l, M);
    return l.Count == 0 ? GDI_NULLREGION : l.Count == 1 ? GDI_SIMPLEREGION : GDI_COMPLEXREGION;
}

/* ---- building test regions ---- */

static GDI_RECT random_rect(void) {
    int32_t x0 = rnd_range(0, AREA), x1 = rnd_range(0, AREA), y0 = rnd_range(0, AREA),
            y1 = rnd_range(0, AREA);
    if (rnd() % 4 == 0) { /* small rectangles make more bands and touching edges */
        x1 = x0 + rnd_range(0, 6) * (x0 + 6 <= AREA ? 1 : -1);
        y1 = y0 + rnd_range(0, 6) * (y0 + 6 <= AREA ? 1 : -1);
    }
    return (GDI_RECT){x0, y0, x1, y1};
}

/* A region of N random rectangles, built by OR-ing them in, and its model. */
static void random_region_or(GDI_REGION *R, MODEL *M, int N) {
    RgnSetEmpty(R);
    model_clear(M);
    for (int i = 0; i < N; i++) {
        GDI_RECT r = random_rect();
        GDI_REGION one;
        RgnInit(&one);
        RgnSetRect(&one, &r);
        RgnCombine(R, R, &one, GDI_RGN_OR);
        RgnFree(&one);
        model_add_rect(M, r);
    }
}

/* The spans of a model's rows, in row order or shuffled. */
static size_t spans_of(GDI_SPAN *S, const MODEL *M, bool Shuffle) {
    size_t n = 0;
    for (int y = 0; y < MODEL_SIZE; y++)
        for (int x = 0; x < MODEL_SIZE;) {
            if (!M->Px[y][x]) {
                x++;
                continue;
            }
            int x0 = x;
            while (x < MODEL_SIZE && M->Px[y][x])
                x++;
            S[n++] = (GDI_SPAN){y + MODEL_MIN, x0 + MODEL_MIN, x + MODEL_MIN};
        }
    for (size_t i = n; Shuffle && i > 1; i--) {
        size_t j = rnd() % i;
        GDI_SPAN t = S[i - 1];
        S[i - 1] = S[j];
        S[j] = t;
    }
    return n;
}

static GDI_SPAN SpanBuffer[MODEL_SIZE * MODEL_SIZE];

/* A region of N random rectangles, built from its model's spans. */
static void random_region_spans(GDI_REGION *R, MODEL *M, int N) {
    model_clear(M);
    for (int i = 0; i < N; i++)
        model_add_rect(M, random_rect());
    size_t n = spans_of(SpanBuffer, M, rnd() % 2 == 0);
    RgnFromSpans(R, SpanBuffer, n);
}

/* ---- combine checks ---- */

/* Combines A and B in Mode three ways - into a fresh region, into a copy of
 * A passed as A, into a copy of B passed as B - and into a destination that
 * already holds a complex region, checking each against the model. */
static bool check_combine(const GDI_REGION *A, const MODEL *MA, const GDI_REGION *B, const MODEL *MB,
                          int Mode) {
    MODEL expect;
    model_combine(&expect, MA, MB, Mode);
    int complexity = complexity_of(&expect);
    bool ok = true;

    GDI_REGION d;
    RgnInit(&d);
    ok &= RgnCombine(&d, A, B, Mode) == complexity && rgn_matches(&d, &expect, "fresh destination");

    GDI_RECT junk[] = {{0, 0, 5, 5}, {10, 0, 15, 5}, {0, 7, 3, 9}};
    GDI_REGION part;
    RgnInit(&part);
    for (size_t i = 0; i < ARRAYSIZE(junk); i++) {
        RgnSetRect(&part, &junk[i]);
        RgnCombine(&d, &d, &part, GDI_RGN_OR);
    }
    RgnFree(&part);
    ok &= RgnCombine(&d, A, B, Mode) == complexity && rgn_matches(&d, &expect, "reused destination");

    RgnCopy(&d, A);
    ok &= RgnCombine(&d, &d, B, Mode) == complexity && rgn_matches(&d, &expect, "destination is A");
    if (Mode != GDI_RGN_COPY) {
        RgnCopy(&d, B);
        ok &= RgnCombine(&d, A, &d, Mode) == complexity && rgn_matches(&d, &expect, "destination is B");
    }
    RgnFree(&d);
    return ok;
}

static const int Modes[] = {GDI_RGN_AND, GDI_RGN_OR, GDI_RGN_XOR, GDI_RGN_DIFF, GDI_RGN_COPY};

typedef struct _RECT_PAIR {
    const char *Name;
    GDI_RECT A, B;
} RECT_PAIR;

static const RECT_PAIR Pairs[] = {
    {"both empty", {10, 10, 10, 20}, {5, 30, 20, 30}},
    {"A empty", {10, 10, 10, 20}, {5, 5, 20, 20}},
    {"B empty", {5, 5, 20, 20}, {7, 7, 30, 7}},
    {"identical", {10, 10, 30, 30}, {10, 10, 30, 30}},
    {"B touches A's right", {10, 10, 20, 30}, {20, 10, 30, 30}},
    {"B touches A's left", {20, 10, 30, 30}, {10, 10, 20, 30}},
    {"B touches A's bottom", {10, 10, 30, 20}, {10, 20, 30, 30}},
    {"B touches A's top", {10, 20, 30, 30}, {10, 10, 30, 20}},
    {"B touches A's bottom, narrower", {10, 10, 30, 20}, {15, 20, 25, 30}},
    {"B touches A's right, shorter", {10, 10, 20, 30}, {20, 15, 30, 25}},
    {"corners touch", {0, 0, 10, 10}, {10, 10, 20, 20}},
    {"B nested in A", {5, 5, 40, 40}, {10, 10, 20, 20}},
    {"A nested in B", {10, 10, 20, 20}, {5, 5, 40, 40}},
    {"B nested touching A's left edge", {5, 5, 40, 40}, {5, 10, 20, 20}},
    {"overlapping corners", {5, 5, 25, 25}, {15, 15, 35, 35}},
    {"cross", {5, 15, 40, 25}, {15, 5, 25, 40}},
    {"same rows, overlapping", {0, 10, 20, 20}, {10, 10, 30, 20}},
    {"same columns, overlapping", {10, 0, 20, 20}, {10, 10, 20, 30}},
    {"disjoint", {0, 0, 10, 10}, {20, 20, 30, 30}},
    {"disjoint in one band", {0, 0, 10, 10}, {20, 0, 30, 10}},
    {"disjoint, stacked", {0, 0, 10, 10}, {0, 20, 10, 30}},
    {"reversed coordinates", {30, 30, 10, 10}, {40, 5, 20, 15}},
    {"one pixel each, adjacent", {7, 7, 8, 8}, {8, 7, 9, 8}},
};

TEST(combine_rectangle_table_matches_model) {
    for (size_t p = 0; p < ARRAYSIZE(Pairs); p++) {
        GDI_REGION a, b;
        MODEL ma, mb;
        RgnInit(&a);
        RgnInit(&b);
        RgnSetRect(&a, &Pairs[p].A);
        RgnSetRect(&b, &Pairs[p].B);
        model_clear(&ma);
        model_clear(&mb);
        model_add_rect(&ma, Pairs[p].A);
        model_add_rect(&mb, Pairs[p].B);
        for (size_t m = 0; m < ARRAYSIZE(Modes); m++)
            if (!CHECK(check_combine(&a, &ma, &b, &mb, Modes[m])))
                printf("  pair \"%s\", mode %d\n", Pairs[p].Name, Modes[m]);
        RgnFree(&a);
        RgnFree(&b);
    }
    CHECK_EQ(AllocOutstanding, 0);
}

/* The complexities a Win32 programmer would predict for the table's cases. */
TEST(combine_returns_win32_complexity) {
    struct {
        GDI_RECT A, B;
        int Mode, Expect;
        uint32_t Rects;
    } cases[] = {
        {{10, 10, 30, 30}, {10, 10, 30, 30}, GDI_RGN_AND, GDI_SIMPLEREGION, 1},
        {{10, 10, 30, 30}, {10, 10, 30, 30}, GDI_RGN_XOR, GDI_NULLREGION, 0},
        {{10, 10, 30, 30}, {10, 10, 30, 30}, GDI_RGN_DIFF, GDI_NULLREGION, 0},
        {{10, 10, 20, 30}, {20, 10, 30, 30}, GDI_RGN_OR, GDI_SIMPLEREGION, 1},
        {{10, 10, 20, 30}, {20, 10, 30, 30}, GDI_RGN_XOR, GDI_SIMPLEREGION, 1},
        {{10, 10, 20, 30}, {20, 10, 30, 30}, GDI_RGN_AND, GDI_NULLREGION, 0},
        {{10, 10, 30, 20}, {10, 20, 30, 30}, GDI_RGN_OR, GDI_SIMPLEREGION, 1},
        {{10, 10, 30, 20}, {15, 20, 25, 30}, GDI_RGN_OR, GDI_COMPLEXREGION, 2},
        {{5, 5, 40, 40}, {10, 10, 20, 20}, GDI_RGN_DIFF, GDI_COMPLEXREGION, 4},
        {{5, 5, 40, 40}, {10, 10, 20, 20}, GDI_RGN_OR, GDI_SIMPLEREGION, 1},
        {{5, 15, 40, 25}, {15, 5, 25, 40}, GDI_RGN_OR, GDI_COMPLEXREGION, 3},
        {{5, 15, 40, 25}, {15, 5, 25, 40}, GDI_RGN_XOR, GDI_COMPLEXREGION, 4},
        {{0, 0, 10, 10}, {20, 20, 30, 30}, GDI_RGN_DIFF, GDI_SIMPLEREGION, 1},
        {{0, 0, 10, 10}, {0, 0, 0, 0}, GDI_RGN_COPY, GDI_SIMPLEREGION, 1},
    };
    for (size_t i = 0; i < ARRAYSIZE(cases); i++) {
        GDI_REGION a, b, d;
        RgnInit(&a);
        RgnInit(&b);
        RgnInit(&d);
        RgnSetRect(&a, &cases[i].A);
        RgnSetRect(&b, &cases[i].B);
        CHECK_EQ(RgnCombine(&d, &a, &b, cases[i].Mode), cases[i].Expect);
        CHECK_EQ(RgnRectCount(&d), cases[i].Rects);
        RgnFree(&a);
        RgnFree(&b);
        RgnFree(&d);
    }
}

TEST(combine_random_regions_matches_model) {
    RandomState = 0x1234567u;
    GDI_REGION a, b;
    MODEL ma, mb;
    RgnInit(&a);
    RgnInit(&b);
    int failures = 0;
    for (int c = 0; c < 3000; c++) {
        random_region_or(&a, &ma, rnd_range(0, 6));
        random_region_spans(&b, &mb, rnd_range(0, 6));
        bool ok = rgn_matches(&a, &ma, "OR-built operand") && rgn_matches(&b, &mb, "span-built operand");
        for (size_t m = 0; m < ARRAYSIZE(Modes); m++)
            ok &= check_combine(&a, &ma, &b, &mb, Modes[m]);
        /* A region combined with itself (both operands the same object). */
        ok &= check_combine(&a, &ma, &a, &ma, Modes[c % ARRAYSIZE(Modes)]);
        if (!ok && failures++ < 3)
            printf("  random case %d failed\n", c);
    }
    CHECK_EQ(failures, 0);
    RgnFree(&a);
    RgnFree(&b);
    CHECK_EQ(AllocOutstanding, 0);
}

/* Many rectangles: wide bands and long band lists, through the grown builder. */
TEST(combine_dense_random_regions_matches_model) {
    RandomState = 0xBADC0DEu;
    GDI_REGION a, b;
    MODEL ma, mb;
    RgnInit(&a);
    RgnInit(&b);
    int failures = 0;
    for (int c = 0; c < 200; c++) {
        random_region_or(&a, &ma, rnd_range(10, 40));
        random_region_spans(&b, &mb, rnd_range(10, 40));
        bool ok = true;
        for (size_t m = 0; m < ARRAYSIZE(Modes); m++)
            ok &= check_combine(&a, &ma, &b, &mb, Modes[m]);
        if (!ok && failures++ < 3)
            printf("  dense case %d failed\n", c);
    }
    CHECK_EQ(failures, 0);
    RgnFree(&a);
    RgnFree(&b);
    CHECK_EQ(AllocOutstanding, 0);
}

TEST(combine_rejects_unknown_mode_and_leaves_destination) {
    GDI_REGION a, d;
    RgnInit(&a);
    RgnInit(&d);
    GDI_RECT ra = {0, 0, 10, 10}, rd = {3, 4, 5, 6};
    RgnSetRect(&a, &ra);
    RgnSetRect(&d, &rd);
    CHECK_EQ(RgnCombine(&d, &a, &a, 0), GDI_RGN_ERROR);
    CHECK_EQ(RgnCombine(&d, &a, &a, 6), GDI_RGN_ERROR);
    GDI_RECT box;
    CHECK_EQ(RgnBox(&d, &box), GDI_SIMPLEREGION);
    CHECK(rect_eq(&box, &rd));
    /* RGN_COPY reads only A; B may be NULL. */
    CHECK_EQ(RgnCombine(&d, &a, NULL, GDI_RGN_COPY), GDI_SIMPLEREGION);
    CHECK(RgnEqual(&d, &a));
    RgnFree(&a);
    RgnFree(&d);
}

/* Coordinates at the ends of the int32_t range combine without overflow. */
TEST(combine_at_coordinate_limits) {
    GDI_REGION a, b, d;
    RgnInit(&a);
    RgnInit(&b);
    RgnInit(&d);
    GDI_RECT ra = {INT32_MIN, INT32_MIN, 0, 0}, rb = {-5, -5, INT32_MAX, INT32_MAX};
    RgnSetRect(&a, &ra);
    RgnSetRect(&b, &rb);

    GDI_RECT box;
    CHECK_EQ(RgnCombine(&d, &a, &b, GDI_RGN_AND), GDI_SIMPLEREGION);
    RgnBox(&d, &box);
    CHECK(rect_eq(&box, &((GDI_RECT){-5, -5, 0, 0})));

    CHECK_EQ(RgnCombine(&d, &a, &b, GDI_RGN_OR), GDI_COMPLEXREGION);
    CHECK(rgn_valid(&d));
    CHECK_EQ(RgnRectCount(&d), 3);
    GDI_RECT expect_or[] = {
        {INT32_MIN, INT32_MIN, 0, -5}, {INT32_MIN, -5, INT32_MAX, 0}, {-5, 0, INT32_MAX, INT32_MAX}};
    for (uint32_t i = 0; i < 3; i++)
        CHECK(RgnGetRect(&d, i, &box) && rect_eq(&box, &expect_or[i]));
    RgnBox(&d, &box);
    CHECK(rect_eq(&box, &((GDI_RECT){INT32_MIN, INT32_MIN, INT32_MAX, INT32_MAX})));

    CHECK_EQ(RgnCombine(&d, &a, &b, GDI_RGN_XOR), GDI_COMPLEXREGION);
    CHECK(rgn_valid(&d));
    CHECK_EQ(RgnRectCount(&d), 4);
    CHECK(!RgnPtIn(&d, -1, -1));
    CHECK(RgnPtIn(&d, INT32_MAX - 1, INT32_MAX - 1));
    CHECK(RgnPtIn(&d, INT32_MIN, INT32_MIN));

    CHECK_EQ(RgnCombine(&d, &a, &b, GDI_RGN_DIFF), GDI_COMPLEXREGION);
    CHECK(rgn_valid(&d));
    CHECK_EQ(RgnRectCount(&d), 2);

    /* The whole plane minus a pixel, and back. */
    GDI_RECT all = {INT32_MIN, INT32_MIN, INT32_MAX, INT32_MAX}, pixel = {0, 0, 1, 1};
    RgnSetRect(&a, &all);
    RgnSetRect(&b, &pixel);
    CHECK_EQ(RgnCombine(&d, &a, &b, GDI_RGN_XOR), GDI_COMPLEXREGION);
    CHECK_EQ(RgnRectCount(&d), 4);
    CHECK(rgn_valid(&d));
    CHECK_EQ(RgnCombine(&d, &d, &b, GDI_RGN_OR), GDI_SIMPLEREGION);
    CHECK(RgnEqual(&d, &a));
    RgnFree(&a);
    RgnFree(&b);
    RgnFree(&d);
    CHECK_EQ(AllocOutstanding, 0);
}

/* ---- out of memory ---- */

static bool same_representation(const GDI_REGION *A, const GDI_REGION *B) {
    if (RgnRectCount(A) != RgnRectCount(B) || !rect_eq(&A->Bounds, &B->Bounds))
        return false;
    for (uint32_t i = 0; i < RgnRectCount(A); i++) {
        GDI_RECT p, q;
        if (!RgnGetRect(A, i, &p) || !RgnGetRect(B, i, &q) || !rect_eq(&p, &q))
            return false;
    }
    return true;
}

TEST(out_of_memory_leaves_region_unchanged) {
    RandomState = 0xFEEDu;
    GDI_REGION a, b, d, before;
    MODEL ma, mb, expect;
    RgnInit(&a);
    RgnInit(&b);
    RgnInit(&d);
    RgnInit(&before);
    int bad = 0, errors = 0;
    for (int c = 0; c < 300; c++) {
        random_region_or(&a, &ma, rnd_range(2, 12));
        random_region_spans(&b, &mb, rnd_range(2, 12));
        int mode = Modes[c % 4];
        model_combine(&expect, &ma, &mb, mode);
        int op = c % 5; /* which operation to starve */
        for (long k = 0;; k++) {
            /* d starts as a complex region, sometimes as A itself */
            RgnCopy(&d, c % 3 == 0 ? &a : &b);
            RgnCopy(&before, &d);
            AllocFailAfter = k;
            int r;
            MODEL m = expect;
            GDI_RECT clip = {10, 5, 50, 40};
            if (op == 0 && c % 3 == 0) {
                r = RgnCombine(&d, &d, &b, mode);
            } else if (op <= 1) {
                r = RgnCombine(&d, &a, &b, mode);
            } else if (op == 2) {
                GDI_REGION fresh;
                RgnInit(&fresh);
                r = RgnCopy(&fresh, &a);
                if (r != GDI_RGN_ERROR)
                    r = RgnCopy(&d, &fresh);
                RgnFree(&fresh);
                m = ma;
            } else if (op == 3) {
                size_t n = spans_of(SpanBuffer, &ma, true);
                r = RgnFromSpans(&d, SpanBuffer, n);
                m = ma;
            } else {
                GDI_REGION fresh;
                RgnInit(&fresh);
                r = RgnIntersectRect(&fresh, &a, &clip);
                if (r != GDI_RGN_ERROR)
                    r = RgnCopy(&d, &fresh);
                RgnFree(&fresh);
                MODEL mc;
                model_clear(&mc);
                model_add_rect(&mc, clip);
                model_combine(&m, &ma, &mc, GDI_RGN_AND);
            }
            AllocFailAfter = -1;
            if (r == GDI_RGN_ERROR) {
                errors++;
                bad += !same_representation(&d, &before) || !rgn_valid(&d);
                if (k > 100) {
                    bad++;
                    break;
                }
                continue;
            }
            bad += !rgn_matches(&d, &m, "after starved allocations");
            break;
        }
    }
    CHECK_EQ(bad, 0);
    CHECK(errors > 100); /* the starving did reach the allocations */
    RgnFree(&a);
    RgnFree(&b);
    RgnFree(&d);
    RgnFree(&before);
    CHECK_EQ(AllocOutstanding, 0);
}

/* ---- construction ---- */

TEST(set_rect_normalises_and_empty_rect_is_empty_region) {
    GDI_REGION r;
    RgnInit(&r);
    GDI_RECT box, rev = {30, 40, 10, 20}, norm = {10, 20, 30, 40};
    CHECK_EQ(RgnSetRect(&r, &rev), GDI_SIMPLEREGION);
    CHECK_EQ(RgnBox(&r, &box), GDI_SIMPLEREGION);
    CHECK(rect_eq(&box, &norm));
    CHECK_EQ(RgnRectCount(&r), 1);
    CHECK(RgnGetRect(&r, 0, &box) && rect_eq(&box, &norm));
    CHECK(RgnRects(&r) != NULL && rect_eq(RgnRects(&r), &norm));
    CHECK_EQ(AllocOutstanding, 0); /* a rectangular region owns no memory */

    GDI_RECT flat = {10, 20, 30, 20}, thin = {10, 20, 10, 40};
    CHECK_EQ(RgnSetRect(&r, &flat), GDI_NULLREGION);
    CHECK(rgn_valid(&r));
    CHECK_EQ(RgnSetRect(&r, &thin), GDI_NULLREGION);
    CHECK_EQ(RgnBox(&r, &box), GDI_NULLREGION);
    CHECK(rect_eq(&box, &((GDI_RECT){0, 0, 0, 0})));
    CHECK(!RgnGetRect(&r, 0, &box));

    GDI_REGION zeroed;
    memset(&zeroed, 0, sizeof zeroed);
    CHECK(rgn_valid(&zeroed));
    CHECK(RgnEqual(&zeroed, &r));
    RgnFree(&r);
}

TEST(copy_set_empty_and_free_keep_regions_valid) {
    RandomState = 0xC0FFEEu;
    GDI_REGION a, b;
    MODEL ma, empty;
    RgnInit(&a);
    RgnInit(&b);
    model_clear(&empty);
    for (int c = 0; c < 200; c++) {
        random_region_or(&a, &ma, rnd_range(0, 10));
        int expect = complexity_of(&ma);
        CHECK_EQ(RgnCopy(&b, &a), expect);
        CHECK(rgn_matches(&b, &ma, "copy"));
        CHECK_EQ(RgnCopy(&b, &b), expect);
        CHECK(rgn_matches(&b, &ma, "self copy"));
        if (c % 7 == 0) {
            RgnSetEmpty(&b);
            CHECK(rgn_matches(&b, &empty, "set empty"));
        }
        if (c % 11 == 0) {
            RgnFree(&b);
            CHECK(rgn_matches(&b, &empty, "freed"));
        }
    }
    RgnFree(&a);
    RgnFree(&b);
    CHECK_EQ(AllocOutstanding, 0);
}

TEST(from_spans_unions_overlapping_unsorted_spans) {
    RandomState = 0x5EEDu;
    static GDI_SPAN spans[600], saved[600];
    GDI_REGION r;
    RgnInit(&r);
    int failures = 0;
    for (int c = 0; c < 1000; c++) {
        MODEL m;
        model_clear(&m);
        size_t n = (size_t)rnd_range(0, 600);
        int32_t rows = rnd_range(1, AREA); /* few rows: heavy overlap; many: more bands */
        for (size_t i = 0; i < n; i++) {
            int32_t y = rnd_range(0, rows - 1), x0 = rnd_range(0, AREA), x1 = x0 + rnd_range(-3, 12);
            if (x1 > AREA)
                x1 = AREA;
            if (rnd() % 50 == 0)
                y = INT32_MAX; /* cannot be represented: ignored */
            spans[i] = (GDI_SPAN){y, x0, x1};
            if (y != INT32_MAX && x0 < x1)
                model_add_rect(&m, (GDI_RECT){x0, y, x1, y + 1});
        }
        /* Some cases sorted (the no-copy path), the rest as generated. */
        if (c % 4 == 0) {
            for (size_t i = 0; i < n; i++) {
                if (spans[i].X1 <= spans[i].X0 || spans[i].Y == INT32_MAX) {
                    spans[i] = (GDI_SPAN){0, 0, 1};
                    model_add_rect(&m, (GDI_RECT){0, 0, 1, 1});
                }
            }
            span_sort(spans, n);
        }
        memcpy(saved, spans, n * sizeof spans[0]);
        int got = RgnFromSpans(&r, spans, n);
        bool ok = got == complexity_of(&m) && rgn_matches(&r, &m, "from spans") &&
                  memcmp(saved, spans, n * sizeof spans[0]) == 0;
        if (!ok && failures++ < 3)
            printf("  span case %d failed (%zu spans)\n", c, n);
    }
    CHECK_EQ(failures, 0);

    /* Rows that repeat merge into one band; a gap row splits them. */
    GDI_SPAN tall[] = {{3, 10, 20}, {1, 10, 15}, {2, 15, 20}, {1, 15, 20}, {2, 10, 16}, {5, 10, 20}};
    CHECK_EQ(RgnFromSpans(&r, tall, ARRAYSIZE(tall)), GDI_COMPLEXREGION);
    CHECK_EQ(RgnRectCount(&r), 2);
    GDI_RECT g;
    CHECK(RgnGetRect(&r, 0, &g) && rect_eq(&g, &((GDI_RECT){10, 1, 20, 4})));
    CHECK(RgnGetRect(&r, 1, &g) && rect_eq(&g, &((GDI_RECT){10, 5, 20, 6})));
    CHECK_EQ(RgnFromSpans(&r, tall, 0), GDI_NULLREGION);
    CHECK_EQ(RgnFromSpans(&r, tall, 1), GDI_SIMPLEREGION);
    RgnFree(&r);
    CHECK_EQ(AllocOutstanding, 0);
}

/* ---- queries ---- */

TEST(offset_moves_pixels_and_refuses_overflow) {
    RandomState = 0x0FF5E7u;
    GDI_REGION r, orig;
    MODEL m, moved;
    RgnInit(&r);
    RgnInit(&orig);
    for (int c = 0; c < 500; c++) {
        random_region_or(&r, &m, rnd_range(0, 8));
        RgnCopy(&orig, &r);
        int32_t dx = rnd_range(-8, 8), dy = rnd_range(-8, 8);
        model_clear(&moved);
        for (int y = 0; y < MODEL_SIZE; y++)
            for (int x = 0; x < MODEL_SIZE; x++)
                if (m.Px[y][x])
                    moved.Px[y + dy][x + dx] = 1;
        CHECK_EQ(RgnOffset(&r, dx, dy), complexity_of(&m));
        CHECK(rgn_matches(&r, &moved, "offset"));
        CHECK_EQ(RgnOffset(&r, -dx, -dy), complexity_of(&m));
        CHECK(RgnEqual(&r, &orig));
    }

    /* A move past either end of int32_t is refused and changes nothing. */
    GDI_RECT near_max = {INT32_MAX - 10, 0, INT32_MAX - 5, 5}, hole = {INT32_MAX - 8, 1, INT32_MAX - 7, 2};
    GDI_REGION h;
    RgnInit(&h);
    RgnSetRect(&r, &near_max);
    RgnSetRect(&h, &hole);
    RgnCombine(&r, &r, &h, GDI_RGN_DIFF);
    RgnCopy(&orig, &r);
    CHECK_EQ(RgnOffset(&r, 6, 0), GDI_RGN_ERROR);
    CHECK(same_representation(&r, &orig));
    CHECK_EQ(RgnOffset(&r, 5, 0), GDI_COMPLEXREGION);
    CHECK_EQ(r.Bounds.right, INT32_MAX);
    CHECK_EQ(RgnOffset(&r, 0, INT32_MIN), GDI_COMPLEXREGION);
    CHECK_EQ(RgnOffset(&r, 0, -1), GDI_RGN_ERROR);
    CHECK_EQ(RgnOffset(&r, INT32_MIN, 0), GDI_COMPLEXREGION);
    CHECK(rgn_valid(&r));
    RgnSetEmpty(&r);
    CHECK_EQ(RgnOffset(&r, INT32_MAX, INT32_MAX), GDI_NULLREGION);
    RgnFree(&r);
    RgnFree(&h);
    RgnFree(&orig);
    CHECK_EQ(AllocOutstanding, 0);
}

TEST(pt_in_excludes_right_and_bottom_edges) {
    GDI_REGION r, hole;
    RgnInit(&r);
    RgnInit(&hole);
    GDI_RECT rc = {10, 20, 30, 40};
    RgnSetRect(&r, &rc);
    CHECK(RgnPtIn(&r, 10, 20));
    CHECK(RgnPtIn(&r, 29, 39));
    CHECK(!RgnPtIn(&r, 30, 20));
    CHECK(!RgnPtIn(&r, 10, 40));
    CHECK(!RgnPtIn(&r, 9, 20));
    CHECK(!RgnPtIn(&r, 10, 19));
    /* The same edges of a hole punched in a complex region. */
    GDI_RECT hc = {15, 25, 20, 30};
    RgnSetRect(&hole, &hc);
    RgnCombine(&r, &r, &hole, GDI_RGN_DIFF);
    CHECK(!RgnPtIn(&r, 15, 25));
    CHECK(!RgnPtIn(&r, 19, 29));
    CHECK(RgnPtIn(&r, 20, 25));
    CHECK(RgnPtIn(&r, 15, 30));
    CHECK(RgnPtIn(&r, 14, 25));
    CHECK(RgnPtIn(&r, 15, 24));
    CHECK(!RgnPtIn(&r, 30, 30));
    CHECK(!RgnPtIn(&r, 20, 40));

    RandomState = 0x9017u;
    MODEL m;
    int wrong = 0;
    for (int c = 0; c < 200; c++) {
        random_region_or(&r, &m, rnd_range(0, 10));
        for (int32_t y = -2; y <= AREA + 1; y++)
            for (int32_t x = -2; x <= AREA + 1; x++)
                wrong += RgnPtIn(&r, x, y) != model_get(&m, x, y);
    }
    CHECK_EQ(wrong, 0);
    RgnSetEmpty(&r);
    CHECK(!RgnPtIn(&r, 0, 0));
    RgnFree(&r);
    RgnFree(&hole);
}

static bool model_rect_in(const MODEL *M, GDI_RECT Rect) {
    GDI_RECT q = rect_normalise(&Rect);
    for (int32_t y = q.top; y < q.bottom; y++)
        for (int32_t x = q.left; x < q.right; x++)
            if (model_get(M, x, y))
                return true;
    return false;
}

TEST(rect_in_finds_any_overlap) {
    RandomState = 0x2EC7u;
    GDI_REGION r;
    MODEL m;
    RgnInit(&r);
    int wrong = 0;
    for (int c = 0; c < 300; c++) {
        random_region_or(&r, &m, rnd_range(0, 10));
        for (int k = 0; k < 100; k++) {
            GDI_RECT q = random_rect();
            if (k % 3 == 0) /* small probes find the holes */
                q = (GDI_RECT){q.left, q.top, q.left + rnd_range(-2, 2), q.top + rnd_range(-2, 2)};
            wrong += RgnRectIn(&r, &q) != model_rect_in(&m, q);
        }
    }
    CHECK_EQ(wrong, 0);
    /* Touching from outside is not overlapping. */
    GDI_RECT rc = {10, 10, 20, 20};
    RgnSetRect(&r, &rc);
    CHECK(!RgnRectIn(&r, &((GDI_RECT){20, 10, 30, 20})));
    CHECK(!RgnRectIn(&r, &((GDI_RECT){10, 0, 20, 10})));
    CHECK(RgnRectIn(&r, &((GDI_RECT){19, 19, 30, 30})));
    CHECK(RgnRectIn(&r, &((GDI_RECT){30, 30, 19, 19})));
    CHECK(!RgnRectIn(&r, &((GDI_RECT){15, 15, 15, 18})));
    RgnFree(&r);
}

TEST(equal_iff_same_pixels) {
    RandomState = 0xE0A1u;
    GDI_REGION a, b, c;
    MODEL ma, mb;
    RgnInit(&a);
    RgnInit(&b);
    RgnInit(&c);
    int wrong = 0, equal = 0;
    for (int k = 0; k < 2000; k++) {
        /* Tiny rectangles on a small grid, so equal pairs do happen. */
        RgnSetEmpty(&a);
        RgnSetEmpty(&b);
        model_clear(&ma);
        model_clear(&mb);
        for (int side = 0; side < 2; side++) {
            int n = rnd_range(0, 3);
            for (int i = 0; i < n; i++) {
                int32_t x = rnd_range(0, 3), y = rnd_range(0, 3);
                GDI_RECT rc = {x, y, x + rnd_range(1, 2), y + rnd_range(1, 2)};
                RgnSetRect(&c, &rc);
                RgnCombine(side ? &b : &a, side ? &b : &a, &c, GDI_RGN_OR);
                model_add_rect(side ? &mb : &ma, rc);
            }
        }
        bool same = model_equal(&ma, &mb);
        equal += same;
        wrong += RgnEqual(&a, &b) != same || RgnEqual(&b, &a) != same || !RgnEqual(&a, &a);
        /* The same pixels built from spans are the same region. */
        size_t n = spans_of(SpanBuffer, &ma, true);
        RgnFromSpans(&c, SpanBuffer, n);
        wrong += !RgnEqual(&a, &c);
    }
    CHECK_EQ(wrong, 0);
    CHECK(equal > 50);
    /* (A xor B) xor B is A again. */
    random_region_or(&a, &ma, 8);
    random_region_or(&b, &mb, 8);
    RgnCombine(&c, &a, &b, GDI_RGN_XOR);
    RgnCombine(&c, &c, &b, GDI_RGN_XOR);
    CHECK(RgnEqual(&c, &a));
    RgnFree(&a);
    RgnFree(&b);
    RgnFree(&c);
    CHECK_EQ(AllocOutstanding, 0);
}

TEST(intersect_rect_matches_combine_and) {
    RandomState = 0x1A7Eu;
    GDI_REGION src, d, big;
    MODEL ms, mc, expect;
    RgnInit(&src);
    RgnInit(&d);
    RgnInit(&big);
    int failures = 0;
    for (int c = 0; c < 2000; c++) {
        random_region_or(&src, &ms, rnd_range(0, 10));
        GDI_RECT clip = random_rect();
        if (c % 10 == 0)
            clip = (GDI_RECT){-5, -5, AREA + 5, AREA + 5}; /* contains everything */
        model_clear(&mc);
        model_add_rect(&mc, clip);
        model_combine(&expect, &ms, &mc, GDI_RGN_AND);
        int cx = complexity_of(&expect);
        bool ok = true;
        /* into a fresh region, into one with room, and in place */
        RgnFree(&d);
        ok &= RgnIntersectRect(&d, &src, &clip) == cx && rgn_matches(&d, &expect, "clip fresh");
        random_region_or(&big, &mc, 30);
        ok &= RgnIntersectRect(&big, &src, &clip) == cx && rgn_matches(&big, &expect, "clip reused");
        RgnCopy(&d, &src);
        ok &= RgnIntersectRect(&d, &d, &clip) == cx && rgn_matches(&d, &expect, "clip in place");
        /* the rectangle may be the destination's own bounds */
        RgnCopy(&d, &src);
        GDI_RECT box;
        RgnBox(&d, &box);
        ok &= RgnIntersectRect(&d, &d, &d.Bounds) == RgnComplexity(&src) && RgnEqual(&d, &src);
        if (!ok && failures++ < 3)
            printf("  clip case %d failed: clip (%d,%d)-(%d,%d)\n", c, clip.left, clip.top, clip.right,
                   clip.bottom);
    }
    CHECK_EQ(failures, 0);
    RgnFree(&src);
    RgnFree(&d);
    RgnFree(&big);
    CHECK_EQ(AllocOutstanding, 0);
}

/* ---- the span clip ---- */

typedef struct _ROW_SINK {
    GDI_SPAN_SINK Sink;
    int32_t Y;
    int32_t LastX1;
    int Calls;
    bool Bad; /* a span out of order, touching, empty or on the wrong row */
    uint8_t Row[MODEL_SIZE + 64];
} ROW_SINK;

#define ROW_MIN (MODEL_MIN - 32)

static void row_span(GDI_SPAN_SINK *Sink, int32_t Y, int32_t X0, int32_t X1) {
    ROW_SINK *s = (ROW_SINK *)Sink;
    if (Y != s->Y || X0 >= X1 || (s->Calls > 0 && X0 <= s->LastX1))
        s->Bad = true;
    s->LastX1 = X1;
    s->Calls++;
    for (int32_t x = X0; x < X1; x++) {
        if (x < ROW_MIN || x >= ROW_MIN + (int32_t)sizeof s->Row)
            s->Bad = true;
        else
            s->Row[x - ROW_MIN]++;
    }
}

TEST(clip_span_emits_exactly_the_inside_runs) {
    RandomState = 0xC11Bu;
    GDI_REGION r;
    MODEL m;
    RgnInit(&r);
    int wrong = 0;
    for (int c = 0; c < 500; c++) {
        if (c % 2)
            random_region_or(&r, &m, rnd_range(0, 12));
        else
            random_region_spans(&r, &m, rnd_range(0, 12));
        for (int k = 0; k < 200; k++) {
            ROW_SINK s;
            memset(&s, 0, sizeof s);
            s.Sink.Span = row_span;
            s.Y = rnd_range(-4, AREA + 4);
            int32_t x0 = rnd_range(-20, AREA + 20), x1 = rnd_range(-20, AREA + 20);
            if (k % 4 == 0) {
                x0 = -20;
                x1 = AREA + 20;
            }
            RgnClipSpan(&r, s.Y, x0, x1, &s.Sink);
            wrong += s.Bad;
            for (int32_t x = ROW_MIN; x < ROW_MIN + (int32_t)sizeof s.Row; x++)
                wrong += s.Row[x - ROW_MIN] != (x >= x0 && x < x1 && model_get(&m, x, s.Y));
        }
    }
    CHECK_EQ(wrong, 0);

    /* A span over the whole plane, on a region at the limits. */
    GDI_RECT all = {INT32_MIN, INT32_MIN, INT32_MAX, INT32_MAX}, hole = {0, 0, 10, 10};
    GDI_REGION h;
    RgnInit(&h);
    RgnSetRect(&r, &all);
    RgnSetRect(&h, &hole);
    RgnCombine(&r, &r, &h, GDI_RGN_DIFF);
    ROW_SINK s;
    memset(&s, 0, sizeof s);
    s.Sink.Span = row_span;
    s.Y = 5;
    RgnClipSpan(&r, 5, -3, 13, &s.Sink);
    CHECK_EQ(s.Calls, 2);
    CHECK(!s.Bad);
    CHECK_EQ(s.Row[-3 - ROW_MIN] + s.Row[-1 - ROW_MIN] + s.Row[10 - ROW_MIN] + s.Row[12 - ROW_MIN], 4);
    CHECK_EQ(s.Row[0 - ROW_MIN] + s.Row[9 - ROW_MIN], 0);
    RgnFree(&r);
    RgnFree(&h);
}

int main(void) {
    RUN(combine_rectangle_table_matches_model);
    RUN(combine_returns_win32_complexity);
    RUN(combine_random_regions_matches_model);
    RUN(combine_dense_random_regions_matches_model);
    RUN(combine_rejects_unknown_mode_and_leaves_destination);
    RUN(combine_at_coordinate_limits);
    RUN(out_of_memory_leaves_region_unchanged);
    RUN(set_rect_normalises_and_empty_rect_is_empty_region);
    RUN(copy_set_empty_and_free_keep_regions_valid);
    RUN(from_spans_unions_overlapping_unsorted_spans);
    RUN(offset_moves_pixels_and_refuses_overflow);
    RUN(pt_in_excludes_right_and_bottom_edges);
    RUN(rect_in_finds_any_overlap);
    RUN(equal_iff_same_pixels);
    RUN(intersect_rect_matches_combine_and);
    RUN(clip_span_emits_exactly_the_inside_runs);
    return UtFinish();
}
