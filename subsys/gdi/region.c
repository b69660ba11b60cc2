/*
 * region.c - y-x banded regions and CombineRgn (see region.h for the API).
 *
 * Why this representation. A region is a set of pixels; Win32 stores it as
 * a list of rectangles in "y-x banded" order, and so does this file:
 *
 *   - the rectangles are grouped into bands: every rectangle of a band has
 *     the same top and bottom, and bands do not overlap vertically;
 *   - bands are sorted by top, the rectangles of a band by left;
 *   - rectangles of one band neither overlap nor touch (a.right < b.left),
 *     so each row of the band is a list of maximal runs;
 *   - two bands that touch (upper.bottom == lower.top) never hold the same
 *     list of runs - they would have been merged into one taller band;
 *   - no band is empty, no rectangle is empty.
 *
 * With those rules one pixel set has exactly one list, so RgnEqual is an
 * array comparison. Bottoms never decrease along the array, so "the band
 * that holds row Y" is a binary search for the first rectangle whose bottom
 * is below Y, and "the runs of row Y" is then a walk to the right: that is
 * RgnClipSpan, the clip every drawing operation goes through.
 *
 * The combine algorithm. RgnCombine walks both band lists from the top at
 * once, cutting the plane into horizontal slabs at every band top and
 * bottom of either operand, so that within a slab each operand is either
 * absent or one band (one sorted list of x runs). For each slab the two run
 * lists are merged left to right as a sequence of edges; after each edge
 * the pixel's membership is looked up in a four-entry truth table for the
 * mode (AND, OR, XOR, DIFF), and a change of membership opens or closes an
 * output run. A slab's output is a band; if it matches the band above it
 * and touches it, that band is stretched instead (coalescing), which keeps
 * the result in the canonical form above. Slabs with only one operand are
 * skipped when the mode keeps nothing of them (AND; DIFF with only B).
 * The cost is linear in the rectangles of both operands plus the output.
 *
 * Memory. A region of one rectangle keeps it in Bounds and owns no memory,
 * so rectangular clips - the common case - never allocate. Every operation
 * that may allocate builds its result in fresh storage and installs it only
 * when complete, so running out of memory leaves the destination as it
 * was; the operands may therefore be the destination too.
 */
#include "region.h"

/* Limits rectangle arrays to 2 GiB, so sizes fit in size_t on i686. */
#define RGN_MAX_RECTS 0x07FFFFFFu

/* ---- small helpers ---- */

static inline int32_t min32(int32_t a, int32_t b) {
    return a < b ? a : b;
}
static inline int32_t max32(int32_t a, int32_t b) {
    return a > b ? a : b;
}

static void rgn_release(GDI_RECT *Rects) {
    if (Rects != NULL)
        GdiHostFree(Rects);
}

/* The rectangles of R as one array (Bounds itself when there is one). */
static inline const GDI_RECT *rgn_rects(const GDI_REGION *R) {
    return R->Count == 1 ? &R->Bounds : R->Rects;
}

static inline int rgn_complexity(uint32_t Count) {
    return Count == 0 ? GDI_NULLREGION : Count == 1 ? GDI_SIMPLEREGION : GDI_COMPLEXREGION;
}

/* Rect with left <= right and top <= bottom. */
static GDI_RECT rect_normalise(const GDI_RECT *Rect) {
    GDI_RECT r;
    r.left = min32(Rect->left, Rect->right);
    r.right = max32(Rect->left, Rect->right);
    r.top = min32(Rect->top, Rect->bottom);
    r.bottom = max32(Rect->top, Rect->bottom);
    return r;
}

static inline bool rect_empty(const GDI_RECT *R) {
    return R->left >= R->right || R->top >= R->bottom;
}

static inline bool rect_overlap(const GDI_RECT *A, const GDI_RECT *B) {
    return A->left < B->right && B->left < A->right && A->top < B->bottom && B->top < A->bottom;
}

/* True when Outer covers every pixel of Inner (Inner not empty). */
static inline bool rect_contains(const GDI_RECT *Outer, const GDI_RECT *Inner) {
    return Outer->left <= Inner->left && Outer->top <= Inner->top && Outer->right >= Inner->right &&
           Outer->bottom >= Inner->bottom;
}

/* Index of the first of N banded rectangles whose bottom is below row Y
 * (bottom > Y), or N: the band that holds row Y starts there, if any. */
static uint32_t band_search(const GDI_RECT *R, uint32_t N, int32_t Y) {
    uint32_t lo = 0, hi = N;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (R[mid].bottom > Y)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* From Start, the first rectangle of Start's band, the index of the first
 * rectangle of that band whose right edge is beyond X, or the index of the
 * next band (or N) if there is none. "Above X's band or right of X" is
 * false then true along the array, so this is a binary search. */
static uint32_t run_search(const GDI_RECT *R, uint32_t N, uint32_t Start, int32_t X) {
    int32_t top = R[Start].top;
    uint32_t lo = Start, hi = N;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (R[mid].top != top || R[mid].right > X)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* The index just past the band that starts at Start. */
static uint32_t band_end(const GDI_RECT *R, uint32_t N, uint32_t Start) {
    int32_t top = R[Start].top;
    uint32_t i = Start + 1;
    while (i < N && R[i].top == top)
        i++;
    return i;
}

/* Sets Rgn's Bounds from its Count (>= 2) rectangles in Rects. */
static void rgn_compute_bounds(GDI_REGION *Rgn) {
    const GDI_RECT *r = Rgn->Rects;
    GDI_RECT b = {r[0].left, r[0].top, r[0].right, r[Rgn->Count - 1].bottom};
    for (uint32_t i = 1; i < Rgn->Count; i++) {
        b.left = min32(b.left, r[i].left);
        b.right = max32(b.right, r[i].right);
    }
    Rgn->Bounds = b;
}

/* ---- the band builder: appends bands in order, keeping them canonical ---- */

typedef struct _RGN_BUILDER {
    GDI_RECT *Rects;
    uint32_t Count, Capacity;
    uint32_t Band;     /* first rectangle of the band being built */
    uint32_t PrevBand; /* first rectangle of the last finished band */
    bool HavePrev;
    int32_t Top, Bottom; /* of the band being built */
} RGN_BUILDER;

/* Starts a builder on Capacity rectangles at Rects (NULL and 0 to grow on
 * demand with builder_reserve). */
static void builder_init(RGN_BUILDER *B, GDI_RECT *Rects, uint32_t Capacity) {
    B->Rects = Rects;
    B->Count = 0;
    B->Capacity = Capacity;
    B->Band = B->PrevBand = 0;
    B->HavePrev = false;
    B->Top = B->Bottom = 0;
}

/* Makes room for Extra more rectangles, moving to a larger array when
 * needed. False when out of memory; the builder is unchanged then. */
static bool builder_reserve(RGN_BUILDER *B, uint32_t Extra) {
    if (Extra <= B->Capacity - B->Count)
        return true;
    uint64_t want = (uint64_t)B->Count + Extra;
    uint64_t cap = (uint64_t)B->Capacity * 2;
    if (cap < want)
        cap = want;
    if (cap < 16)
        cap = 16;
    if (cap > RGN_MAX_RECTS) {
        if (want > RGN_MAX_RECTS)
            return false;
        cap = RGN_MAX_RECTS;
    }
    GDI_RECT *grown = GdiHostAlloc((size_t)cap * sizeof(GDI_RECT));
    if (grown == NULL)
        return false;
    for (uint32_t i = 0; i < B->Count; i++)
        grown[i] = B->Rects[i];
    rgn_release(B->Rects);
    B->Rects = grown;
    B->Capacity = (uint32_t)cap;
    return true;
}

/* Opens the band [Top, Bottom) (Top < Bottom, at or below every earlier band). */
static inline void builder_begin_band(RGN_BUILDER *B, int32_t Top, int32_t Bottom) {
    B->Band = B->Count;
    B->Top = Top;
    B->Bottom = Bottom;
}

/* Appends the run [Left, Right) (Left < Right) to the open band. Runs come
 * in order of Left; one that touches or overlaps the last run extends it.
 * Room must have been reserved. */
static inline void builder_add(RGN_BUILDER *B, int32_t Left, int32_t Right) {
    if (B->Count > B->Band && B->Rects[B->Count - 1].right >= Left) {
        if (Right > B->Rects[B->Count - 1].right)
            B->Rects[B->Count - 1].right = Right;
        return;
    }
    GDI_RECT *r = &B->Rects[B->Count++];
    r->left = Left;
    r->top = B->Top;
    r->right = Right;
    r->bottom = B->Bottom;
}

/* Closes the open band: drops it if empty, and folds it into the band above
 * when that band touches it and has the same runs. */
static void builder_end_band(RGN_BUILDER *B) {
    uint32_t n = B->Count - B->Band;
    if (n == 0)
        return;
    if (B->HavePrev && B->Band - B->PrevBand == n && B->Rects[B->PrevBand].bottom == B->Top) {
        GDI_RECT *prev = &B->Rects[B->PrevBand], *cur = &B->Rects[B->Band];
        uint32_t i = 0;
        while (i < n && prev[i].left == cur[i].left && prev[i].right == cur[i].right)
            i++;
        if (i == n) {
            for (i = 0; i < n; i++)
                prev[i].bottom = B->Bottom;
            B->Count = B->Band;
            return;
        }
    }
    B->PrevBand = B->Band;
    B->HavePrev = true;
}

/* Makes Rgn the builder's result, taking ownership of the builder's array
 * (which is not Rgn's own). A result of one rectangle goes to Bounds and the
 * array is freed; an array much larger than its result is shrunk when
 * memory allows. Never fails; returns the complexity. */
static int builder_install(GDI_REGION *Rgn, RGN_BUILDER *B) {
    if (B->Count <= 1) {
        GDI_RECT one = {0, 0, 0, 0};
        if (B->Count == 1)
            one = B->Rects[0];
        rgn_release(B->Rects);
        Rgn->Count = B->Count;
        Rgn->Bounds = one;
        return rgn_complexity(Rgn->Count);
    }
    GDI_RECT *keep = B->Rects;
    uint32_t capacity = B->Capacity;
    if (capacity - B->Count > B->Count / 2 + 8) {
        GDI_RECT *exact = GdiHostAlloc((size_t)B->Count * sizeof(GDI_RECT));
        if (exact != NULL) {
            for (uint32_t i = 0; i < B->Count; i++)
                exact[i] = keep[i];
            rgn_release(keep);
            keep = exact;
            capacity = B->Count;
        }
    }
    rgn_release(Rgn->Rects);
    Rgn->Rects = keep;
    Rgn->Capacity = capacity;
    Rgn->Count = B->Count;
    rgn_compute_bounds(Rgn);
    return GDI_COMPLEXREGION;
}

/* Finishes a result that was built in Rgn's own array (Count rectangles). */
static int rgn_finish_in_place(GDI_REGION *Rgn, uint32_t Count) {
    Rgn->Count = Count;
    if (Count == 0) {
        Rgn->Bounds = (GDI_RECT){0, 0, 0, 0};
    } else if (Count == 1) {
        Rgn->Bounds = Rgn->Rects[0];
    } else {
        rgn_compute_bounds(Rgn);
    }
    return rgn_complexity(Count);
}

/* ---- construction ---- */

/* Empty, owning no memory; never fails. */
void RgnInit(GDI_REGION *Rgn) {
    Rgn->Count = 0;
    Rgn->Capacity = 0;
    Rgn->Rects = NULL;
    Rgn->Bounds = (GDI_RECT){0, 0, 0, 0};
}

/* Gives the storage back; Rgn is left empty and reusable. */
void RgnFree(GDI_REGION *Rgn) {
    rgn_release(Rgn->Rects);
    RgnInit(Rgn);
}

/* Empty, keeping the storage for the next result. */
void RgnSetEmpty(GDI_REGION *Rgn) {
    Rgn->Count = 0;
    Rgn->Bounds = (GDI_RECT){0, 0, 0, 0};
}

/* The normalised Rect, held in Bounds (no memory); NULLREGION if it has no area. */
int RgnSetRect(GDI_REGION *Rgn, const GDI_RECT *Rect) {
    GDI_RECT r = rect_normalise(Rect);
    if (rect_empty(&r)) {
        RgnSetEmpty(Rgn);
        return GDI_NULLREGION;
    }
    Rgn->Count = 1;
    Rgn->Bounds = r;
    return GDI_SIMPLEREGION;
}

/* Dst = Src, reusing Dst's array when it is large enough; ERROR (Dst unchanged)
 * when a larger array cannot be had. */
int RgnCopy(GDI_REGION *Dst, const GDI_REGION *Src) {
    if (Dst == Src)
        return rgn_complexity(Src->Count);
    if (Src->Count <= 1) {
        Dst->Count = Src->Count;
        Dst->Bounds = Src->Bounds;
        return rgn_complexity(Src->Count);
    }
    if (Dst->Capacity < Src->Count) {
        GDI_RECT *rects = GdiHostAlloc((size_t)Src->Count * sizeof(GDI_RECT));
        if (rects == NULL)
            return GDI_RGN_ERROR;
        rgn_release(Dst->Rects);
        Dst->Rects = rects;
        Dst->Capacity = Src->Count;
    }
    for (uint32_t i = 0; i < Src->Count; i++)
        Dst->Rects[i] = Src->Rects[i];
    Dst->Count = Src->Count;
    Dst->Bounds = Src->Bounds;
    return GDI_COMPLEXREGION;
}

/* ---- RgnFromSpans ---- */

static inline bool span_valid(const GDI_SPAN *S) {
    return S->X0 < S->X1 && S->Y != INT32_MAX;
}

static inline bool span_less(const GDI_SPAN *A, const GDI_SPAN *B) {
    return A->Y < B->Y || (A->Y == B->Y && A->X0 < B->X0);
}

static void span_sift_down(GDI_SPAN *S, size_t Root, size_t N) {
    for (;;) {
        size_t child = 2 * Root + 1;
        if (child >= N)
            return;
        if (child + 1 < N && span_less(&S[child], &S[child + 1]))
            child++;
        if (!span_less(&S[Root], &S[child]))
            return;
        GDI_SPAN t = S[Root];
        S[Root] = S[child];
        S[child] = t;
        Root = child;
    }
}

/* Sorts N spans by row, then by X0 (heapsort: no extra memory, n log n). */
static void span_sort(GDI_SPAN *S, size_t N) {
    for (size_t i = N / 2; i-- > 0;)
        span_sift_down(S, i, N);
    for (size_t end = N; end-- > 1;) {
        GDI_SPAN t = S[0];
        S[0] = S[end];
        S[end] = t;
        span_sift_down(S, 0, end);
    }
}

/* The union of the valid spans. Sorted input is read in place; otherwise the
 * valid spans are copied and sorted. ERROR (Rgn unchanged) when out of memory. */
int RgnFromSpans(GDI_REGION *Rgn, const GDI_SPAN *Spans, size_t Count) {
    size_t n = 0;
    bool sorted = true;
    const GDI_SPAN *last = NULL;
    for (size_t i = 0; i < Count; i++) {
        if (!span_valid(&Spans[i])) {
            sorted = false; /* not usable as it is: invalid spans must be left out */
            continue;
        }
        if (last != NULL && span_less(&Spans[i], last))
            sorted = false;
        last = &Spans[i];
        n++;
    }
    if (n == 0) {
        RgnSetEmpty(Rgn);
        return GDI_NULLREGION;
    }
    if (n == 1) {
        GDI_RECT r = {last->X0, last->Y, last->X1, last->Y + 1};
        return RgnSetRect(Rgn, &r);
    }
    if (n > RGN_MAX_RECTS)
        return GDI_RGN_ERROR;

    /* Each span adds at most one rectangle, so n rectangles always suffice. */
    GDI_RECT *out = GdiHostAlloc(n * sizeof(GDI_RECT));
    if (out == NULL)
        return GDI_RGN_ERROR;
    GDI_SPAN *copy = NULL;
    const GDI_SPAN *s = Spans;
    if (!sorted) {
        copy = GdiHostAlloc(n * sizeof(GDI_SPAN));
        if (copy == NULL) {
            GdiHostFree(out);
            return GDI_RGN_ERROR;
        }
        size_t k = 0;
        for (size_t i = 0; i < Count; i++)
            if (span_valid(&Spans[i]))
                copy[k++] = Spans[i];
        span_sort(copy, n);
        s = copy;
    }

    /* One band per row; a run absorbs every following span it touches. */
    RGN_BUILDER b;
    builder_init(&b, out, (uint32_t)n);
    size_t k = 0;
    while (k < n) {
        int32_t y = s[k].Y;
        int32_t x0 = s[k].X0, x1 = s[k].X1;
        builder_begin_band(&b, y, y + 1);
        for (k++; k < n && s[k].Y == y; k++) {
            if (s[k].X0 <= x1) {
                x1 = max32(x1, s[k].X1);
            } else {
                builder_add(&b, x0, x1);
                x0 = s[k].X0;
                x1 = s[k].X1;
            }
        }
        builder_add(&b, x0, x1);
        builder_end_band(&b);
    }
    if (copy != NULL)
        GdiHostFree(copy);
    return builder_install(Rgn, &b);
}

/* ---- RgnCombine ---- */

/* Truth tables: bit (InA * 2 + InB) says whether such a pixel is in the result. */
#define TT_AND 0x8u  /* A and B */
#define TT_OR 0xEu   /* A, B or both */
#define TT_XOR 0x6u  /* exactly one */
#define TT_DIFF 0x4u /* A, not B */
#define TT_A_ONLY 0x4u
#define TT_B_ONLY 0x2u

/* Appends to the open band the runs of the merge of run lists A (NA runs)
 * and B (NB runs) under truth table Table. Room for NA + NB runs must have
 * been reserved: each output run starts at a distinct input edge. */
static void merge_runs(RGN_BUILDER *Out, const GDI_RECT *A, uint32_t NA, const GDI_RECT *B, uint32_t NB,
                       unsigned Table) {
    uint32_t i = 0, j = 0;
    unsigned inA = 0, inB = 0, in = 0;
    int32_t start = 0;
    while (i < NA || j < NB) {
        /* The next edge of each list (64-bit, so "none" is above any edge). */
        int64_t xa = i < NA ? (inA ? A[i].right : A[i].left) : INT64_MAX;
        int64_t xb = j < NB ? (inB ? B[j].right : B[j].left) : INT64_MAX;
        int64_t x = xa < xb ? xa : xb;
        if (xa == x) {
            inA ^= 1;
            i += !inA;
        }
        if (xb == x) {
            inB ^= 1;
            j += !inB;
        }
        unsigned now = (Table >> (inA * 2 + inB)) & 1;
        if (now != in) {
            if (now)
                start = (int32_t)x;
            else
                builder_add(Out, start, (int32_t)x);
            in = now;
        }
    }
    /* Both lists ended outside both operands, and no table keeps such a
     * pixel, so no run is left open. */
}

/* The band-sweep combine (see the file header). Builds into fresh memory;
 * Dst is touched only on success. */
static int combine_bands(GDI_REGION *Dst, const GDI_REGION *A, const GDI_REGION *B, unsigned Table) {
    const GDI_RECT *ra = rgn_rects(A), *rb = rgn_rects(B);
    uint32_t na = A->Count, nb = B->Count;
    uint32_t ia = 0, ib = 0;
    uint32_t ea = na ? band_end(ra, na, 0) : 0;
    uint32_t eb = nb ? band_end(rb, nb, 0) : 0;
    bool keepA = (Table & TT_A_ONLY) != 0, keepB = (Table & TT_B_ONLY) != 0;
    int32_t y = INT32_MIN; /* everything above y is done */
    RGN_BUILDER out;
    builder_init(&out, NULL, 0);
    /* Most results are about as large as the operands together; starting
     * there saves the copies of growing one slab at a time. */
    if (!builder_reserve(&out, na + nb))
        return GDI_RGN_ERROR;

    while (ia < na || ib < nb) {
        bool haveA = ia < na, haveB = ib < nb;
        if ((!haveA && !keepB) || (!haveB && !keepA))
            break; /* what is left is one operand's, and the mode keeps none of it */
        int32_t aTop = haveA ? max32(ra[ia].top, y) : 0, aBot = haveA ? ra[ia].bottom : 0;
        int32_t bTop = haveB ? max32(rb[ib].top, y) : 0, bBot = haveB ? rb[ib].bottom : 0;
        bool useA, useB;
        int32_t top, bottom;
        if (haveA && (!haveB || aTop < bTop)) {
            useA = true, useB = false;
            top = aTop;
            bottom = haveB ? min32(aBot, bTop) : aBot;
        } else if (haveB && (!haveA || bTop < aTop)) {
            useA = false, useB = true;
            top = bTop;
            bottom = haveA ? min32(bBot, aTop) : bBot;
        } else {
            useA = useB = true;
            top = aTop;
            bottom = min32(aBot, bBot);
        }

        if ((useA && useB) || (useA && keepA) || (useB && keepB)) {
            uint32_t ca = useA ? ea - ia : 0, cb = useB ? eb - ib : 0;
            if (!builder_reserve(&out, ca + cb)) {
                rgn_release(out.Rects);
                return GDI_RGN_ERROR;
            }
            builder_begin_band(&out, top, bottom);
            merge_runs(&out, ra + ia, ca, rb + ib, cb, Table);
            builder_end_band(&out);
        }

        y = bottom;
        if (haveA && aBot <= y) {
            ia = ea;
            ea = ia < na ? band_end(ra, na, ia) : ia;
        }
        if (haveB && bBot <= y) {
            ib = eb;
            eb = ib < nb ? band_end(rb, nb, ib) : ib;
        }
    }
    return builder_install(Dst, &out);
}

/* CombineRgn: trivial cases first, then the band sweep. ERROR (Dst unchanged)
 * for an unknown Mode or when out of memory. */
int RgnCombine(GDI_REGION *Dst, const GDI_REGION *A, const GDI_REGION *B, int Mode) {
    unsigned table;
    switch (Mode) {
    case GDI_RGN_COPY: return RgnCopy(Dst, A);
    case GDI_RGN_AND: table = TT_AND; break;
    case GDI_RGN_OR: table = TT_OR; break;
    case GDI_RGN_XOR: table = TT_XOR; break;
    case GDI_RGN_DIFF: table = TT_DIFF; break;
    default: return GDI_RGN_ERROR;
    }

    /* Cases that need no sweep. */
    bool disjoint = A->Count == 0 || B->Count == 0 || !rect_overlap(&A->Bounds, &B->Bounds);
    switch (Mode) {
    case GDI_RGN_AND:
        if (disjoint) {
            RgnSetEmpty(Dst);
            return GDI_NULLREGION;
        }
        if (A->Count == 1) {
            GDI_RECT clip = A->Bounds; /* A may be Dst */
            return RgnIntersectRect(Dst, B, &clip);
        }
        if (B->Count == 1) {
            GDI_RECT clip = B->Bounds;
            return RgnIntersectRect(Dst, A, &clip);
        }
        break;
    case GDI_RGN_OR:
    case GDI_RGN_XOR:
        if (A->Count == 0)
            return RgnCopy(Dst, B);
        if (B->Count == 0)
            return RgnCopy(Dst, A);
        if (Mode == GDI_RGN_OR && A->Count == 1 && rect_contains(&A->Bounds, &B->Bounds))
            return RgnCopy(Dst, A);
        if (Mode == GDI_RGN_OR && B->Count == 1 && rect_contains(&B->Bounds, &A->Bounds))
            return RgnCopy(Dst, B);
        break;
    case GDI_RGN_DIFF:
        if (A->Count == 0 || (B->Count == 1 && rect_contains(&B->Bounds, &A->Bounds))) {
            RgnSetEmpty(Dst);
            return GDI_NULLREGION;
        }
        if (disjoint)
            return RgnCopy(Dst, A);
        break;
    }
    return combine_bands(Dst, A, B, table);
}

/* ---- RgnIntersectRect ---- */

/* Src clipped to Rect in one pass over the bands Rect spans. In place (or into
 * a large enough Dst) it cannot fail; otherwise ERROR leaves Dst unchanged. */
int RgnIntersectRect(GDI_REGION *Dst, const GDI_REGION *Src, const GDI_RECT *Rect) {
    GDI_RECT clip = rect_normalise(Rect); /* read before Dst changes: Rect may point into it */
    if (Src->Count == 0 || rect_empty(&clip) || !rect_overlap(&clip, &Src->Bounds)) {
        RgnSetEmpty(Dst);
        return GDI_NULLREGION;
    }
    if (rect_contains(&clip, &Src->Bounds))
        return RgnCopy(Dst, Src);
    if (Src->Count == 1) {
        GDI_RECT r = {max32(clip.left, Src->Bounds.left), max32(clip.top, Src->Bounds.top),
                      min32(clip.right, Src->Bounds.right), min32(clip.bottom, Src->Bounds.bottom)};
        return RgnSetRect(Dst, &r);
    }

    /* Each source rectangle yields at most one, so the result fits in
     * Src->Count rectangles; it is written behind the reading position when
     * Dst is Src, and into Dst's own array when that is large enough. */
    const GDI_RECT *src = Src->Rects;
    uint32_t n = Src->Count;
    bool inPlace = Dst == Src || Dst->Capacity >= n;
    RGN_BUILDER out;
    if (inPlace) {
        builder_init(&out, Dst->Rects, Dst->Capacity);
    } else {
        GDI_RECT *rects = GdiHostAlloc((size_t)n * sizeof(GDI_RECT));
        if (rects == NULL)
            return GDI_RGN_ERROR;
        builder_init(&out, rects, n);
    }

    uint32_t i = band_search(src, n, clip.top);
    while (i < n && src[i].top < clip.bottom) {
        uint32_t end = band_end(src, n, i); /* before any write into this band */
        int32_t top = max32(src[i].top, clip.top), bottom = min32(src[i].bottom, clip.bottom);
        uint32_t j = run_search(src, end, i, clip.left);
        builder_begin_band(&out, top, bottom);
        for (; j < end && src[j].left < clip.right; j++) {
            int32_t left = max32(src[j].left, clip.left), right = min32(src[j].right, clip.right);
            builder_add(&out, left, right);
        }
        builder_end_band(&out);
        i = end;
    }

    if (inPlace)
        return rgn_finish_in_place(Dst, out.Count);
    return builder_install(Dst, &out);
}

/* ---- queries and moves ---- */

/* Moves every rectangle; ERROR (nothing moved) if the bounds would overflow. */
int RgnOffset(GDI_REGION *Rgn, int32_t Dx, int32_t Dy) {
    if (Rgn->Count == 0)
        return GDI_NULLREGION;
    const GDI_RECT *b = &Rgn->Bounds;
    int64_t lo = INT32_MIN, hi = INT32_MAX;
    if ((int64_t)b->left + Dx < lo || (int64_t)b->right + Dx > hi || (int64_t)b->top + Dy < lo ||
        (int64_t)b->bottom + Dy > hi)
        return GDI_RGN_ERROR;
    if (Rgn->Count > 1) {
        for (uint32_t i = 0; i < Rgn->Count; i++) {
            GDI_RECT *r = &Rgn->Rects[i];
            r->left += Dx;
            r->right += Dx;
            r->top += Dy;
            r->bottom += Dy;
        }
    }
    Rgn->Bounds.left += Dx;
    Rgn->Bounds.right += Dx;
    Rgn->Bounds.top += Dy;
    Rgn->Bounds.bottom += Dy;
    return rgn_complexity(Rgn->Count);
}

/* Bounds test, then the band holding Y, then the run holding X. */
bool RgnPtIn(const GDI_REGION *Rgn, int32_t X, int32_t Y) {
    const GDI_RECT *b = &Rgn->Bounds;
    if (Rgn->Count == 0 || X < b->left || X >= b->right || Y < b->top || Y >= b->bottom)
        return false;
    if (Rgn->Count == 1)
        return true;
    const GDI_RECT *r = Rgn->Rects;
    uint32_t n = Rgn->Count;
    uint32_t i = band_search(r, n, Y);
    if (i == n || r[i].top > Y)
        return false;
    uint32_t j = run_search(r, n, i, X);
    return j < n && r[j].top == r[i].top && r[j].left <= X;
}

/* For each band Rect's rows meet, whether any run reaches into Rect's columns. */
bool RgnRectIn(const GDI_REGION *Rgn, const GDI_RECT *Rect) {
    GDI_RECT q = rect_normalise(Rect);
    if (Rgn->Count == 0 || rect_empty(&q) || !rect_overlap(&q, &Rgn->Bounds))
        return false;
    if (Rgn->Count == 1)
        return true;
    const GDI_RECT *r = Rgn->Rects;
    uint32_t n = Rgn->Count;
    for (uint32_t i = band_search(r, n, q.top); i < n && r[i].top < q.bottom; i = band_end(r, n, i)) {
        uint32_t j = run_search(r, n, i, q.left);
        if (j < n && r[j].top == r[i].top && r[j].left < q.right)
            return true;
    }
    return false;
}

/* Same pixels exactly when the canonical arrays are equal. */
bool RgnEqual(const GDI_REGION *A, const GDI_REGION *B) {
    if (A->Count != B->Count)
        return false;
    if (A->Count == 0)
        return true;
    const GDI_RECT *ba = &A->Bounds, *bb = &B->Bounds;
    if (ba->left != bb->left || ba->top != bb->top || ba->right != bb->right || ba->bottom != bb->bottom)
        return false;
    /* The banded form is canonical: same pixels, same array. */
    for (uint32_t i = 0; A->Count > 1 && i < A->Count; i++) {
        const GDI_RECT *p = &A->Rects[i], *q = &B->Rects[i];
        if (p->left != q->left || p->top != q->top || p->right != q->right || p->bottom != q->bottom)
            return false;
    }
    return true;
}

/* GetRgnBox: the bounds (all zero when empty) and the complexity. */
int RgnBox(const GDI_REGION *Rgn, GDI_RECT *Box) {
    *Box = Rgn->Bounds;
    return rgn_complexity(Rgn->Count);
}

/* NULLREGION, SIMPLEREGION or COMPLEXREGION by rectangle count. */
int RgnComplexity(const GDI_REGION *Rgn) {
    return rgn_complexity(Rgn->Count);
}

/* Rectangles in the banded list. */
uint32_t RgnRectCount(const GDI_REGION *Rgn) {
    return Rgn->Count;
}

/* Rectangle Index of the banded list; false past the end. */
bool RgnGetRect(const GDI_REGION *Rgn, uint32_t Index, GDI_RECT *Rect) {
    if (Index >= Rgn->Count)
        return false;
    *Rect = rgn_rects(Rgn)[Index];
    return true;
}

/* The banded list as an array (Bounds for one rectangle); NULL when empty. */
const GDI_RECT *RgnRects(const GDI_REGION *Rgn) {
    return Rgn->Count == 0 ? NULL : rgn_rects(Rgn);
}

/* ---- the clip ---- */

/* Emits the parts of span (Y, X0..X1) inside Rgn, left to right: a bounds
 * test, a binary search for the band and for the first run, then a walk. */
void RgnClipSpan(const GDI_REGION *Rgn, int32_t Y, int32_t X0, int32_t X1, GDI_SPAN_SINK *Sink) {
    const GDI_RECT *b = &Rgn->Bounds;
    if (Rgn->Count == 0 || X0 >= X1 || Y < b->top || Y >= b->bottom || X1 <= b->left || X0 >= b->right)
        return;
    if (Rgn->Count == 1) {
        Sink->Span(Sink, Y, max32(X0, b->left), min32(X1, b->right));
        return;
    }
    const GDI_RECT *r = Rgn->Rects;
    uint32_t n = Rgn->Count;
    uint32_t i = band_search(r, n, Y);
    if (i == n || r[i].top > Y)
        return;
    int32_t top = r[i].top;
    for (uint32_t j = run_search(r, n, i, X0); j < n && r[j].top == top && r[j].left < X1; j++)
        Sink->Span(Sink, Y, max32(X0, r[j].left), min32(X1, r[j].right));
}
