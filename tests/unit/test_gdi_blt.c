/*
 * test_gdi_blt.c - the blt module paints what Win32 paints: every ROP2 and
 * ROP3 by its truth table, Windows' hatches bit for bit, overlapping BitBlt
 * in every direction, StretchBlt's mapping unchanged by clipping, DIBs of
 * every format round-tripped, and hostile BITMAPINFOs refused.
 *
 * Why: the ROP evaluators are checked against references written another
 * way: a bit-at-a-time truth-table lookup, the named formulas of the Win32
 * documentation, and Microsoft's reverse-Polish spellings of the ROP3s, so a
 * wrong convention (which operand is which bit of the index) cannot pass by
 * agreeing with itself. Surfaces are malloc'd to exactly their size with a
 * stride wider than a row, so ASan traps any write past a clip and the
 * padding between rows is checked to stay untouched. Random data comes from
 * a fixed-seed generator, so a failure reproduces.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../subsys/gdi/blt.c"
#include "unit.h"

/* ---- the host interface ---- */

static int FailAllocations;

void *GdiHostAlloc(size_t Bytes) {
    if (FailAllocations)
        return NULL;
    return calloc(1, Bytes ? Bytes : 1);
}

void GdiHostFree(void *Block) {
    free(Block);
}

/* ---- helpers ---- */

static uint32_t RandomState = 0x2545F491u;

static uint32_t rnd(void) {
    uint32_t x = RandomState;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return RandomState = x;
}

static GDI_PIXEL rnd_pixel(void) {
    return rnd() & GDI_PIXEL_MASK;
}

/* A W x H surface whose stride leaves three spare pixels per row, filled
 * with random pixels; the spare pixels hold a marker that must survive. */
#define SPARE 3
#define MARKER 0xDEADBEEFu

static GDI_SURFACE *new_surface(int32_t W, int32_t H) {
    GDI_SURFACE *s = malloc(sizeof *s);
    s->Width = W;
    s->Height = H;
    s->Stride = 4 * (W + SPARE);
    s->Bits = malloc((size_t)s->Stride * (size_t)(H ? H : 1));
    for (int32_t y = 0; y < H; y++)
        for (int32_t x = 0; x < W + SPARE; x++)
            GdiPixelAddress(s, 0, y)[x] = x < W ? rnd_pixel() : MARKER;
    return s;
}

static void free_surface(GDI_SURFACE *S) {
    free(S->Bits);
    free(S);
}

static GDI_SURFACE *clone_surface(const GDI_SURFACE *S) {
    GDI_SURFACE *c = new_surface(S->Width, S->Height);
    memcpy(c->Bits, S->Bits, (size_t)S->Stride * (size_t)S->Height);
    return c;
}

static void fill_surface(GDI_SURFACE *S, GDI_PIXEL P) {
    for (int32_t y = 0; y < S->Height; y++)
        for (int32_t x = 0; x < S->Width; x++)
            *GdiPixelAddress(S, x, y) = P;
}

static GDI_PIXEL px(const GDI_SURFACE *S, int32_t X, int32_t Y) {
    return *GdiPixelAddress(S, X, Y);
}

static int spare_intact(const GDI_SURFACE *S) {
    for (int32_t y = 0; y < S->Height; y++)
        for (int32_t x = S->Width; x < S->Width + SPARE; x++)
            if (GdiPixelAddress(S, 0, y)[x] != MARKER)
                return 0;
    return 1;
}

static int surfaces_equal(const GDI_SURFACE *A, const GDI_SURFACE *B) {
    for (int32_t y = 0; y < A->Height; y++)
        for (int32_t x = 0; x < A->Width; x++)
            if (px(A, x, y) != px(B, x, y))
                return 0;
    return 1;
}

static GDI_BRUSH_INFO random_pattern_brush(void) {
    GDI_BRUSH_INFO b;
    memset(&b, 0, sizeof b);
    b.Style = BS_PATTERN;
    for (int r = 0; r < 8; r++)
        for (int c = 0; c < 8; c++)
            b.Pattern[r][c] = rnd_pixel();
    b.Origin.x = (int32_t)(rnd() % 17) - 8;
    b.Origin.y = (int32_t)(rnd() % 17) - 8;
    return b;
}

static GDI_PIXEL pattern_at(const GDI_BRUSH_INFO *B, int32_t X, int32_t Y) {
    int r = (int)(((Y - B->Origin.y) % 8 + 8) % 8), c = (int)(((X - B->Origin.x) % 8 + 8) % 8);
    return B->Pattern[r][c];
}

/* ---- reference evaluators ---- */

/* ROP3 one bit at a time: bit (P << 2 | S << 1 | D) of the index. */
static uint32_t ref_rop3(uint8_t Rop, uint32_t P, uint32_t S, uint32_t D) {
    uint32_t r = 0;
    for (int bit = 0; bit < 32; bit++) {
        unsigned index = ((P >> bit) & 1u) << 2 | ((S >> bit) & 1u) << 1 | ((D >> bit) & 1u);
        r |= (uint32_t)((Rop >> index) & 1u) << bit;
    }
    return r;
}

/* ROP2 by the formulas in Win32's SetROP2 documentation. */
static uint32_t ref_rop2_formula(uint32_t Rop2, uint32_t P, uint32_t D) {
    switch (Rop2) {
    case R2_BLACK: return 0;
    case R2_NOTMERGEPEN: return ~(P | D);
    case R2_MASKNOTPEN: return ~P & D;
    case R2_NOTCOPYPEN: return ~P;
    case R2_MASKPENNOT: return P & ~D;
    case R2_NOT: return ~D;
    case R2_XORPEN: return P ^ D;
    case R2_NOTMASKPEN: return ~(P & D);
    case R2_MASKPEN: return P & D;
    case R2_NOTXORPEN: return ~(P ^ D);
    case R2_NOP: return D;
    case R2_MERGENOTPEN: return ~P | D;
    case R2_COPYPEN: return P;
    case R2_MERGEPENNOT: return P | ~D;
    case R2_MERGEPEN: return P | D;
    case R2_WHITE: return 0xFFFFFFFFu;
    default: abort();
    }
}

/* Evaluates a reverse-Polish ROP formula (Microsoft's spelling: operands P,
 * S, D, constants 0 and 1, operators a, o, x, n) for one-bit operands. */
static int rpn_eval(const char *Formula, int P, int S, int D) {
    int stack[16], depth = 0;
    for (const char *c = Formula; *c; c++) {
        switch (*c) {
        case 'P': stack[depth++] = P; break;
        case 'S': stack[depth++] = S; break;
        case 'D': stack[depth++] = D; break;
        case '0': stack[depth++] = 0; break;
        case '1': stack[depth++] = 1; break;
        case 'n': stack[depth - 1] = !stack[depth - 1]; break;
        case 'a':
            depth--;
            stack[depth - 1] &= stack[depth];
            break;
        case 'o':
            depth--;
            stack[depth - 1] |= stack[depth];
            break;
        case 'x':
            depth--;
            stack[depth - 1] ^= stack[depth];
            break;
        default: abort();
        }
    }
    if (depth != 1)
        abort();
    return stack[0];
}

/* ---- ROP2 ---- */

TEST(rop2_all_sixteen_modes_follow_their_truth_tables) {
    for (uint32_t rop = R2_BLACK; rop <= R2_WHITE; rop++) {
        /* The code minus one is the truth table, bit (P << 1 | D). */
        for (unsigned p = 0; p < 2; p++)
            for (unsigned d = 0; d < 2; d++) {
                uint32_t expected = ((rop - 1) >> (p << 1 | d)) & 1u ? 0xFFFFFFFFu : 0;
                CHECK_EQ(GdiRop2(rop, p ? 0xFFFFFFFFu : 0, d ? 0xFFFFFFFFu : 0), expected);
                CHECK_EQ(ref_rop2_formula(rop, p ? 0xFFFFFFFFu : 0, d ? 0xFFFFFFFFu : 0), expected);
            }
        for (int i = 0; i < 200; i++) {
            uint32_t p = rnd(), d = rnd();
            CHECK_EQ(GdiRop2(rop, p, d), ref_rop2_formula(rop, p, d));
        }
    }
    CHECK_EQ(GdiRop2(0, 1, 0x1234), 0x1234);
    CHECK_EQ(GdiRop2(17, 1, 0x1234), 0x1234);
}

TEST(rop2_spans_paint_every_mode_with_solid_and_pattern_brushes) {
    for (uint32_t rop = R2_BLACK; rop <= R2_WHITE; rop++) {
        GDI_SURFACE *s = new_surface(20, 4);
        GDI_SURFACE *before = clone_surface(s);
        GDI_PIXEL pen = rnd_pixel();
        GdiFillSpanSolid(s, 1, 2, 17, pen, rop);
        GDI_BRUSH_INFO pattern = random_pattern_brush();
        GdiFillSpan(s, 2, 0, 20, &pattern, rop);
        for (int32_t y = 0; y < 4; y++)
            for (int32_t x = 0; x < 20; x++) {
                GDI_PIXEL d = px(before, x, y), expected = d;
                if (y == 1 && x >= 2 && x < 17)
                    expected = ref_rop2_formula(rop, pen, d) & GDI_PIXEL_MASK;
                if (y == 2)
                    expected = ref_rop2_formula(rop, pattern_at(&pattern, x, y), d) & GDI_PIXEL_MASK;
                if (!CHECK_EQ(px(s, x, y), expected))
                    printf("    rop2 %u at (%d, %d)\n", rop, x, y);
            }
        CHECK(spare_intact(s));
        free_surface(s);
        free_surface(before);
    }
}

TEST(spans_are_clipped_to_the_surface) {
    GDI_SURFACE *s = new_surface(8, 3);
    GDI_SURFACE *before = clone_surface(s);
    GdiFillSpanSolid(s, -1, 0, 8, 0x123456, R2_COPYPEN);
    GdiFillSpanSolid(s, 3, 0, 8, 0x123456, R2_COPYPEN);
    GdiFillSpanSolid(s, 1, 5, 3, 0x123456, R2_COPYPEN); /* reversed: empty */
    CHECK(surfaces_equal(s, before));
    GdiFillSpanSolid(s, 0, -100, 1000, 0x00FF00, R2_COPYPEN);
    for (int32_t x = 0; x < 8; x++)
        CHECK_EQ(px(s, x, 0), 0x00FF00);
    GdiFillSpanSolid(s, 1, INT32_MIN, INT32_MAX, 0x0000FF, R2_COPYPEN);
    for (int32_t x = 0; x < 8; x++)
        CHECK_EQ(px(s, x, 1), 0x0000FF);
    GDI_BRUSH_INFO null_brush;
    memset(&null_brush, 0, sizeof null_brush);
    null_brush.Style = BS_NULL;
    GdiFillSpan(s, 2, 0, 8, &null_brush, R2_WHITE);
    GdiFillSpanSolid(s, 2, 0, 8, 0xFFFFFF, 0);  /* unknown ROP2 */
    GdiFillSpanSolid(s, 2, 0, 8, 0xFFFFFF, 17); /* unknown ROP2 */
    for (int32_t x = 0; x < 8; x++)
        CHECK_EQ(px(s, x, 2), px(before, x, 2));
    CHECK(spare_intact(s));
    free_surface(s);
    free_surface(before);
}

TEST(brush_sink_paints_the_rasterizers_spans_inside_its_clip) {
    GDI_SURFACE *s = new_surface(16, 8);
    fill_surface(s, 0x000000);
    GDI_BRUSH_INFO brush;
    GdiMakeSolidBrush(&brush, 0x0000FF);
    GDI_BRUSH_SINK sink;
    GDI_RECT clip = {2, 1, 12, 6};
    GdiInitBrushSink(&sink, s, &brush, R2_XORPEN, &clip);
    GDI_SPAN_SINK *out = &sink.Sink;
    out->Span(out, 0, 0, 16); /* above the clip */
    out->Span(out, 1, 0, 16);
    out->Span(out, 2, 4, 6);
    out->Span(out, 5, 10, 20);
    out->Span(out, 6, 0, 16); /* below the clip */
    for (int32_t y = 0; y < 8; y++)
        for (int32_t x = 0; x < 16; x++) {
            int painted =
                (y == 1 && x >= 2 && x < 12) || (y == 2 && x >= 4 && x < 6) || (y == 5 && x >= 10 && x < 12);
            CHECK_EQ(px(s, x, y), painted ? 0x0000FFu : 0u);
        }
    /* XOR twice restores. */
    out->Span(out, 1, 0, 16);
    for (int32_t x = 0; x < 16; x++)
        CHECK_EQ(px(s, x, 1), 0);

    /* No clip: the whole surface; a clip off the surface: nothing. */
    GdiInitBrushSink(&sink, s, &brush, R2_COPYPEN, NULL);
    out->Span(out, 7, -5, 50);
    for (int32_t x = 0; x < 16; x++)
        CHECK_EQ(px(s, x, 7), 0x0000FF);
    GDI_RECT away = {100, 100, 200, 200};
    GdiInitBrushSink(&sink, s, &brush, R2_WHITE, &away);
    out->Span(out, 0, 0, 16);
    CHECK_EQ(px(s, 0, 0), 0);
    CHECK(spare_intact(s));
    free_surface(s);
}

/* ---- hatches ---- */

/* Windows' hatch bitmaps, row 0 at the brush origin; '#' is a line pixel. */
static const char *const HatchArt[6][8] = {
    /* HS_HORIZONTAL */
    {"........", "........", "........", "########", "........", "........", "........", "........"},
    /* HS_VERTICAL */
    {"....#...", "....#...", "....#...", "....#...", "....#...", "....#...", "....#...", "....#..."},
    /* HS_FDIAGONAL */
    {"#.......", ".#......", "..#.....", "...#....", "....#...", ".....#..", "......#.", ".......#"},
    /* HS_BDIAGONAL */
    {".......#", "......#.", ".....#..", "....#...", "...#....", "..#.....", ".#......", "#......."},
    /* HS_CROSS */
    {"....#...", "....#...", "....#...", "########", "....#...", "....#...", "....#...", "....#..."},
    /* HS_DIAGCROSS */
    {"#......#", ".#....#.", "..#..#..", "...##...", "...##...", "..#..#..", ".#....#.", "#......#"},
};

TEST(hatch_patterns_have_windows_bits) {
    for (uint32_t h = HS_HORIZONTAL; h <= HS_DIAGCROSS; h++)
        for (int r = 0; r < 8; r++)
            for (int c = 0; c < 8; c++)
                if (!CHECK_EQ(GdiHatchBit(h, r, c), HatchArt[h][r][c] == '#'))
                    printf("    hatch %u row %d column %d\n", h, r, c);
    CHECK_EQ(GdiHatchBit(6, 3, 3), 0);
    CHECK_EQ(GdiHatchBit(HS_CROSS, 8, 4), 0);
}

TEST(hatched_brushes_paint_lines_and_background_from_the_origin) {
    for (uint32_t h = HS_HORIZONTAL; h <= HS_DIAGCROSS; h++) {
        GDI_SURFACE *s = new_surface(19, 13);
        GDI_BRUSH_INFO b;
        memset(&b, 0, sizeof b);
        b.Style = BS_HATCHED;
        b.Hatch = h;
        b.Pixel = 0xFF0000;
        b.BackPixel = 0x00FF00;
        b.Origin.x = 3;
        b.Origin.y = -2;
        for (int32_t y = 0; y < 13; y++)
            GdiFillSpan(s, y, 0, 19, &b, R2_COPYPEN);
        for (int32_t y = 0; y < 13; y++)
            for (int32_t x = 0; x < 19; x++) {
                int line = HatchArt[h][((y - b.Origin.y) % 8 + 8) % 8][((x - b.Origin.x) % 8 + 8) % 8] == '#';
                CHECK_EQ(px(s, x, y), line ? 0xFF0000u : 0x00FF00u);
            }

        /* Transparent: the background keeps what was there. */
        GDI_SURFACE *t = new_surface(19, 13);
        GDI_SURFACE *before = clone_surface(t);
        b.Transparent = 1;
        for (int32_t y = 0; y < 13; y++)
            GdiFillSpan(t, y, 0, 19, &b, R2_XORPEN);
        GDI_RECT all = {0, 0, 19, 13};
        GDI_SURFACE *u = clone_surface(before);
        CHECK_STATUS(GdiBitBlt(u, &all, NULL, 0, 0, &b, GDI_ROP3_INDEX(PATINVERT)), STATUS_SUCCESS);
        for (int32_t y = 0; y < 13; y++)
            for (int32_t x = 0; x < 19; x++) {
                int line = HatchArt[h][((y - b.Origin.y) % 8 + 8) % 8][((x - b.Origin.x) % 8 + 8) % 8] == '#';
                GDI_PIXEL expected = line ? px(before, x, y) ^ 0xFF0000u : px(before, x, y);
                CHECK_EQ(px(t, x, y), expected);
                CHECK_EQ(px(u, x, y), expected);
            }
        free_surface(s);
        free_surface(t);
        free_surface(u);
        free_surface(before);
    }
}

/* ---- ROP3 ---- */

TEST(rop3_general_evaluator_matches_the_truth_table_for_all_256) {
    for (unsigned rop = 0; rop < 256; rop++)
        for (int i = 0; i < 64; i++) {
            uint32_t p = rnd(), s = rnd(), d = rnd();
            if (!CHECK_EQ(GdiRop3((uint8_t)rop, p, s, d), ref_rop3((uint8_t)rop, p, s, d)))
                printf("    rop3 0x%02X\n", rop);
        }
}

TEST(rop3_index_convention_matches_microsofts_formulas) {
    static const struct {
        uint8_t Index;
        const char *Formula;
    } table[] = {
        {0x00, "0"},       {0x01, "DPSoon"},  {0x02, "DPSona"}, {0x03, "PSon"},    {0x04, "SDPona"},
        {0x05, "DPon"},    {0x06, "PDSxnon"}, {0x07, "PDSaon"}, {0x08, "SDPnaa"},  {0x09, "PDSxon"},
        {0x0A, "DPna"},    {0x0B, "PSDnaon"}, {0x0C, "SPna"},   {0x0D, "PDSnaon"}, {0x0E, "PDSonon"},
        {0x0F, "Pn"},      {0x10, "PDSona"},  {0x11, "DSon"},   {0x33, "Sn"},      {0x44, "SDna"},
        {0x55, "Dn"},      {0x5A, "DPx"},     {0x66, "DSx"},    {0x88, "DSa"},     {0xAA, "D"},
        {0xB8, "PSDPxax"}, {0xBB, "DSno"},    {0xC0, "PSa"},    {0xCC, "S"},       {0xE2, "DSPDxax"},
        {0xEE, "DSo"},     {0xF0, "P"},       {0xFB, "DPSnoo"}, {0xFF, "1"},
    };
    for (size_t t = 0; t < sizeof table / sizeof table[0]; t++)
        for (int p = 0; p < 2; p++)
            for (int s = 0; s < 2; s++)
                for (int d = 0; d < 2; d++) {
                    uint32_t got = GdiRop3(table[t].Index, p ? ~0u : 0, s ? ~0u : 0, d ? ~0u : 0);
                    uint32_t want = rpn_eval(table[t].Formula, p, s, d) ? ~0u : 0;
                    if (!CHECK_EQ(got, want))
                        printf("    0x%02X %s P%d S%d D%d\n", table[t].Index, table[t].Formula, p, s, d);
                }
    CHECK_EQ(GDI_ROP3_INDEX(SRCCOPY), 0xCC);
    CHECK_EQ(GDI_ROP3_INDEX(BLACKNESS), 0x00);
    CHECK_EQ(GDI_ROP3_INDEX(WHITENESS), 0xFF);
    CHECK_EQ(GDI_ROP3_INDEX(0x40CC0020u), 0xCC); /* CAPTUREBLT dropped */
}

TEST(rop3_operand_use_is_read_off_the_truth_table) {
    for (unsigned rop = 0; rop < 256; rop++) {
        int uses_p = 0, uses_s = 0, uses_d = 0;
        for (unsigned i = 0; i < 8; i++) {
            uses_p |= ((rop >> i) & 1u) != ((rop >> (i ^ 4u)) & 1u);
            uses_s |= ((rop >> i) & 1u) != ((rop >> (i ^ 2u)) & 1u);
            uses_d |= ((rop >> i) & 1u) != ((rop >> (i ^ 1u)) & 1u);
        }
        CHECK_EQ(GdiRop3UsesPattern((uint8_t)rop) != 0, uses_p);
        CHECK_EQ(GdiRop3UsesSource((uint8_t)rop) != 0, uses_s);
        CHECK_EQ(GdiRop3UsesDest((uint8_t)rop) != 0, uses_d);
    }
}

TEST(bitblt_applies_all_256_rop3s_pixel_for_pixel) {
    GDI_SURFACE *src = new_surface(23, 9);
    for (unsigned rop = 0; rop < 256; rop++) {
        GDI_SURFACE *dst = new_surface(21, 11);
        GDI_SURFACE *before = clone_surface(dst);
        GDI_BRUSH_INFO brush = random_pattern_brush();
        GDI_RECT r = {2, 1, 19, 10};
        CHECK_STATUS(GdiBitBlt(dst, &r, src, 5, 0, &brush, (uint8_t)rop), STATUS_SUCCESS);
        int bad = 0;
        for (int32_t y = 0; y < 11; y++)
            for (int32_t x = 0; x < 21; x++) {
                GDI_PIXEL expected = px(before, x, y);
                if (x >= r.left && x < r.right && y >= r.top && y < r.bottom)
                    expected = ref_rop3((uint8_t)rop, pattern_at(&brush, x, y), px(src, x - 2 + 5, y - 1),
                                        expected) &
                               GDI_PIXEL_MASK;
                bad += px(dst, x, y) != expected;
            }
        if (!CHECK_EQ(bad, 0))
            printf("    rop3 0x%02X\n", rop);
        CHECK(spare_intact(dst));
        free_surface(dst);
        free_surface(before);
    }
    free_surface(src);
}

TEST(bitblt_fast_paths_agree_with_the_general_evaluator) {
    static const uint32_t named[] = {SRCCOPY,   PATCOPY,    BLACKNESS, WHITENESS, DSTINVERT,
                                     PATINVERT, SRCINVERT,  SRCAND,    SRCPAINT,  NOTSRCCOPY,
                                     MERGECOPY, MERGEPAINT, PATPAINT,  SRCERASE,  NOTSRCERASE};
    GDI_SURFACE *src = new_surface(40, 6);
    for (size_t n = 0; n < sizeof named / sizeof named[0]; n++) {
        uint8_t rop = GDI_ROP3_INDEX(named[n]);
        GDI_SURFACE *dst = new_surface(40, 6);
        GDI_SURFACE *before = clone_surface(dst);
        GDI_BRUSH_INFO brush = random_pattern_brush();
        GDI_RECT r = {0, 0, 40, 6};
        CHECK_STATUS(GdiBitBlt(dst, &r, GdiRop3UsesSource(rop) ? src : NULL, 0, 0, &brush, rop),
                     STATUS_SUCCESS);
        int bad = 0;
        for (int32_t y = 0; y < 6; y++)
            for (int32_t x = 0; x < 40; x++)
                bad += px(dst, x, y) !=
                       (GdiRop3(rop, pattern_at(&brush, x, y), px(src, x, y), px(before, x, y)) &
                        GDI_PIXEL_MASK);
        if (!CHECK_EQ(bad, 0))
            printf("    rop 0x%08X\n", named[n]);
        free_surface(dst);
        free_surface(before);
    }
    free_surface(src);
}

/* Checks an overlapping SRCINVERT/SRCCOPY blt within one surface against the
 * same blt from an untouched copy. */
static void check_overlap(int32_t Dx, int32_t Dy, int32_t W, int32_t H, int32_t Sx, int32_t Sy, uint8_t Rop) {
    GDI_SURFACE *s = new_surface(24, 20);
    GDI_SURFACE *copy = clone_surface(s);
    GDI_SURFACE *expected = clone_surface(s);
    GDI_RECT r = {Dx, Dy, Dx + W, Dy + H};
    GDI_BRUSH_INFO brush;
    GdiMakeSolidBrush(&brush, 0x00F0F0);
    CHECK_STATUS(GdiBitBlt(expected, &r, copy, Sx, Sy, &brush, Rop), STATUS_SUCCESS);
    CHECK_STATUS(GdiBitBlt(s, &r, s, Sx, Sy, &brush, Rop), STATUS_SUCCESS);
    if (!CHECK(surfaces_equal(s, expected)))
        printf("    overlap dst (%d,%d) src (%d,%d) rop 0x%02X\n", Dx, Dy, Sx, Sy, Rop);
    CHECK(spare_intact(s));
    free_surface(s);
    free_surface(copy);
    free_surface(expected);
}

TEST(overlapping_bitblt_copies_in_every_direction) {
    static const uint8_t rops[] = {0xCC, 0x66, 0xB8};
    for (size_t i = 0; i < sizeof rops; i++) {
        check_overlap(4, 5, 12, 10, 2, 3, rops[i]); /* down and right */
        check_overlap(2, 3, 12, 10, 4, 5, rops[i]); /* up and left */
        check_overlap(5, 4, 12, 10, 2, 4, rops[i]); /* right along the same rows */
        check_overlap(2, 4, 12, 10, 5, 4, rops[i]); /* left along the same rows */
        check_overlap(3, 6, 12, 10, 6, 2, rops[i]); /* down and left */
        check_overlap(6, 2, 12, 10, 3, 6, rops[i]); /* up and right */
        check_overlap(3, 3, 12, 10, 3, 3, rops[i]); /* onto itself */
    }
}

TEST(overlapping_bitblt_through_a_differently_strided_alias) {
    /* Two views of one buffer, one with twice the stride (every other row). */
    GDI_SURFACE *s = new_surface(16, 16);
    GDI_SURFACE *copy = clone_surface(s);
    GDI_SURFACE alias = {16, 8, s->Stride * 2, s->Bits};
    GDI_SURFACE copy_alias = {16, 8, copy->Stride * 2, copy->Bits};
    GDI_SURFACE *snapshot = clone_surface(copy);
    GDI_SURFACE snapshot_alias = {16, 8, snapshot->Stride * 2, snapshot->Bits};
    GDI_RECT r = {0, 0, 12, 12};
    CHECK_STATUS(GdiBitBlt(s, &r, &alias, 2, 1, NULL, 0xCC), STATUS_SUCCESS);
    CHECK_STATUS(GdiBitBlt(copy, &r, &snapshot_alias, 2, 1, NULL, 0xCC), STATUS_SUCCESS);
    (void)copy_alias;
    CHECK(surfaces_equal(s, copy));
    FailAllocations = 1;
    CHECK_STATUS(GdiBitBlt(s, &r, &alias, 2, 1, NULL, 0xCC), STATUS_NO_MEMORY);
    FailAllocations = 0;
    free_surface(s);
    free_surface(copy);
    free_surface(snapshot);
}

TEST(bitblt_clips_to_source_and_destination_and_checks_arguments) {
    GDI_SURFACE *src = new_surface(6, 6);
    GDI_SURFACE *dst = new_surface(10, 10);
    GDI_SURFACE *before = clone_surface(dst);
    GDI_RECT r = {-3, -3, 20, 20};
    CHECK_STATUS(GdiBitBlt(dst, &r, src, -1, 2, NULL, 0xCC), STATUS_SUCCESS);
    for (int32_t y = 0; y < 10; y++)
        for (int32_t x = 0; x < 10; x++) {
            int32_t sx = x + 3 - 1, sy = y + 3 + 2;
            int inside = sx >= 0 && sx < 6 && sy >= 0 && sy < 6;
            CHECK_EQ(px(dst, x, y), inside ? px(src, sx, sy) : px(before, x, y));
        }
    CHECK(spare_intact(dst));
    CHECK_STATUS(GdiBitBlt(dst, &r, src, INT32_MAX, INT32_MIN, NULL, 0xCC), STATUS_SUCCESS);

    GDI_BRUSH_INFO bad;
    memset(&bad, 0, sizeof bad);
    bad.Style = 9;
    CHECK_STATUS(GdiBitBlt(dst, &r, NULL, 0, 0, NULL, 0xCC), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(GdiBitBlt(dst, &r, NULL, 0, 0, NULL, 0xF0), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(GdiBitBlt(dst, &r, NULL, 0, 0, &bad, 0xF0), STATUS_INVALID_PARAMETER);
    bad.Style = BS_HATCHED;
    bad.Hatch = 6;
    CHECK_STATUS(GdiBitBlt(dst, &r, NULL, 0, 0, &bad, 0xF0), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(GdiBitBlt(dst, NULL, NULL, 0, 0, NULL, 0x00), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(GdiBitBlt(NULL, &r, NULL, 0, 0, NULL, 0x00), STATUS_INVALID_PARAMETER);
    GDI_SURFACE broken = {10, 10, 8, dst->Bits}; /* stride shorter than a row */
    CHECK_STATUS(GdiBitBlt(&broken, &r, NULL, 0, 0, NULL, 0x00), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(GdiBitBlt(dst, &r, &broken, 0, 0, NULL, 0xCC), STATUS_INVALID_PARAMETER);

    /* PatBlt with a hollow brush draws nothing; BLACKNESS needs no brush. */
    GDI_SURFACE *c = clone_surface(dst);
    bad.Style = BS_NULL;
    CHECK_STATUS(GdiBitBlt(dst, &r, NULL, 0, 0, &bad, GDI_ROP3_INDEX(PATINVERT)), STATUS_SUCCESS);
    CHECK(surfaces_equal(dst, c));
    CHECK_STATUS(GdiBitBlt(dst, &r, NULL, 0, 0, NULL, GDI_ROP3_INDEX(BLACKNESS)), STATUS_SUCCESS);
    CHECK_EQ(px(dst, 9, 9), 0);
    CHECK_STATUS(GdiBitBlt(dst, &r, NULL, 0, 0, NULL, GDI_ROP3_INDEX(DSTINVERT)), STATUS_SUCCESS);
    CHECK_EQ(px(dst, 9, 9), 0x00FFFFFF); /* the reserved byte stays clear */
    CHECK(spare_intact(dst));
    free_surface(c);
    free_surface(src);
    free_surface(dst);
    free_surface(before);
}

/* ---- StretchBlt ---- */

TEST(stretchblt_doubles_each_pixel_when_stretching_2x) {
    GDI_SURFACE *src = new_surface(5, 4);
    GDI_SURFACE *dst = new_surface(12, 10);
    GDI_SURFACE *before = clone_surface(dst);
    GDI_BLT_AREA d = {1, 1, 10, 8}, s = {0, 0, 5, 4};
    CHECK_STATUS(GdiStretchBlt(dst, &d, NULL, src, &s, NULL, 0xCC, COLORONCOLOR), STATUS_SUCCESS);
    for (int32_t y = 0; y < 10; y++)
        for (int32_t x = 0; x < 12; x++) {
            int inside = x >= 1 && x < 11 && y >= 1 && y < 9;
            CHECK_EQ(px(dst, x, y), inside ? px(src, (x - 1) / 2, (y - 1) / 2) : px(before, x, y));
        }
    CHECK(spare_intact(dst));
    /* Every mode replicates the same way when stretching. */
    for (uint32_t mode = BLACKONWHITE; mode <= HALFTONE; mode++) {
        GDI_SURFACE *other = clone_surface(before);
        CHECK_STATUS(GdiStretchBlt(other, &d, NULL, src, &s, NULL, 0xCC, mode), STATUS_SUCCESS);
        CHECK(surfaces_equal(other, dst));
        free_surface(other);
    }
    free_surface(src);
    free_surface(dst);
    free_surface(before);
}

TEST(stretchblt_skips_destination_pixels_whose_source_is_outside_the_source) {
    /* Source area 2..7 x 1..6 of a 5x4 source, stretched 2x: only sources
     * 2..4 x 1..3 exist; the rest of the destination keeps its pixels. */
    for (uint32_t mode = BLACKONWHITE; mode <= HALFTONE; mode++) {
        GDI_SURFACE *src = new_surface(5, 4);
        GDI_SURFACE *dst = new_surface(14, 14);
        GDI_SURFACE *before = clone_surface(dst);
        GDI_BLT_AREA d = {1, 1, 12, 12}, s = {2, 1, 6, 6};
        CHECK_STATUS(GdiStretchBlt(dst, &d, NULL, src, &s, NULL, 0xCC, mode), STATUS_SUCCESS);
        for (int32_t y = 0; y < 14; y++)
            for (int32_t x = 0; x < 14; x++) {
                int32_t sx = 2 + (x - 1) / 2, sy = 1 + (y - 1) / 2;
                int inside = x >= 1 && x < 13 && y >= 1 && y < 13 && sx < 5 && sy < 4;
                CHECK_EQ(px(dst, x, y), inside ? px(src, sx, sy) : px(before, x, y));
            }
        /* Shrinking by AND/OR: 10x8 source area over a 5x4 source, halved. */
        GDI_SURFACE *half = clone_surface(before);
        GDI_BLT_AREA hd = {0, 0, 5, 4}, hs = {0, 0, 10, 8};
        CHECK_STATUS(GdiStretchBlt(half, &hd, NULL, src, &hs, NULL, 0xCC, mode), STATUS_SUCCESS);
        for (int32_t y = 0; y < 4; y++)
            for (int32_t x = 0; x < 5; x++) {
                GDI_PIXEL expected = px(before, x, y);
                if (x < 3 && y < 2) {
                    if (mode == STRETCH_ANDSCANS || mode == STRETCH_ORSCANS) {
                        GDI_PIXEL a = 0xFFFFFFFFu, o = 0;
                        for (int32_t v = 2 * y; v < 2 * y + 2; v++)
                            for (int32_t u = 2 * x; u < 2 * x + 2 && u < 5; u++) {
                                a &= px(src, u, v);
                                o |= px(src, u, v);
                            }
                        expected = (mode == STRETCH_ANDSCANS ? a : o) & GDI_PIXEL_MASK;
                    } else if (2 * x + 1 < 5) {
                        expected = px(src, 2 * x + 1, 2 * y + 1);
                    } else {
                        expected = px(before, x, y); /* the centre's pixel is outside */
                    }
                }
                CHECK_EQ(px(half, x, y), expected);
            }
        free_surface(src);
        free_surface(dst);
        free_surface(before);
        free_surface(half);
    }
}

TEST(stretchblt_shrinks_3x_by_centre_and_by_and_or_scans) {
    GDI_SURFACE *src = new_surface(9, 6);
    GDI_BLT_AREA d = {0, 0, 3, 2}, s = {0, 0, 9, 6};
    GDI_SURFACE *dst = new_surface(3, 2);
    CHECK_STATUS(GdiStretchBlt(dst, &d, NULL, src, &s, NULL, 0xCC, COLORONCOLOR), STATUS_SUCCESS);
    for (int32_t y = 0; y < 2; y++)
        for (int32_t x = 0; x < 3; x++)
            CHECK_EQ(px(dst, x, y), px(src, 3 * x + 1, 3 * y + 1)); /* the centre of each 3x3 block */
    GDI_SURFACE *half = new_surface(3, 2);
    CHECK_STATUS(GdiStretchBlt(half, &d, NULL, src, &s, NULL, 0xCC, HALFTONE), STATUS_SUCCESS);
    CHECK(surfaces_equal(half, dst));

    GDI_SURFACE *and_dst = new_surface(3, 2), *or_dst = new_surface(3, 2);
    CHECK_STATUS(GdiStretchBlt(and_dst, &d, NULL, src, &s, NULL, 0xCC, STRETCH_ANDSCANS), STATUS_SUCCESS);
    CHECK_STATUS(GdiStretchBlt(or_dst, &d, NULL, src, &s, NULL, 0xCC, STRETCH_ORSCANS), STATUS_SUCCESS);
    for (int32_t y = 0; y < 2; y++)
        for (int32_t x = 0; x < 3; x++) {
            GDI_PIXEL all = 0xFFFFFFFFu, any = 0;
            for (int32_t v = 3 * y; v < 3 * y + 3; v++)
                for (int32_t u = 3 * x; u < 3 * x + 3; u++) {
                    all &= px(src, u, v);
                    any |= px(src, u, v);
                }
            CHECK_EQ(px(and_dst, x, y), all & GDI_PIXEL_MASK);
            CHECK_EQ(px(or_dst, x, y), any);
        }

    /* Shrinking one way and stretching the other: 9x2 -> 3x4. */
    GDI_SURFACE *mixed = new_surface(3, 4);
    GDI_BLT_AREA md = {0, 0, 3, 4}, ms = {0, 0, 9, 2};
    CHECK_STATUS(GdiStretchBlt(mixed, &md, NULL, src, &ms, NULL, 0xCC, STRETCH_ANDSCANS), STATUS_SUCCESS);
    for (int32_t y = 0; y < 4; y++)
        for (int32_t x = 0; x < 3; x++)
            CHECK_EQ(px(mixed, x, y),
                     px(src, 3 * x, y / 2) & px(src, 3 * x + 1, y / 2) & px(src, 3 * x + 2, y / 2));
    free_surface(src);
    free_surface(dst);
    free_surface(half);
    free_surface(and_dst);
    free_surface(or_dst);
    free_surface(mixed);
}

TEST(stretchblt_mirrors_when_extents_differ_in_sign) {
    GDI_SURFACE *src = new_surface(7, 5);
    GDI_BLT_AREA plain_d = {0, 0, 11, 8}, s = {0, 0, 7, 5};
    GDI_SURFACE *plain = new_surface(11, 8);
    CHECK_STATUS(GdiStretchBlt(plain, &plain_d, NULL, src, &s, NULL, 0xCC, COLORONCOLOR), STATUS_SUCCESS);

    /* Extent -11 from x = 10 covers 0..10: the horizontal mirror image. */
    GDI_BLT_AREA hd = {10, 0, -11, 8};
    GDI_SURFACE *h = new_surface(11, 8);
    CHECK_STATUS(GdiStretchBlt(h, &hd, NULL, src, &s, NULL, 0xCC, COLORONCOLOR), STATUS_SUCCESS);
    GDI_BLT_AREA vd = {0, 7, 11, -8};
    GDI_SURFACE *v = new_surface(11, 8);
    CHECK_STATUS(GdiStretchBlt(v, &vd, NULL, src, &s, NULL, 0xCC, COLORONCOLOR), STATUS_SUCCESS);
    /* A negative source extent mirrors too: source -7 from 6 covers 0..6. */
    GDI_BLT_AREA ms = {6, 0, -7, 5};
    GDI_SURFACE *hs = new_surface(11, 8);
    CHECK_STATUS(GdiStretchBlt(hs, &plain_d, NULL, src, &ms, NULL, 0xCC, COLORONCOLOR), STATUS_SUCCESS);
    /* Both negative: no mirror. */
    GDI_SURFACE *both = new_surface(11, 8);
    CHECK_STATUS(GdiStretchBlt(both, &hd, NULL, src, &ms, NULL, 0xCC, COLORONCOLOR), STATUS_SUCCESS);
    for (int32_t y = 0; y < 8; y++)
        for (int32_t x = 0; x < 11; x++) {
            CHECK_EQ(px(h, x, y), px(plain, 10 - x, y));
            CHECK_EQ(px(v, x, y), px(plain, x, 7 - y));
            CHECK_EQ(px(hs, x, y), px(plain, 10 - x, y));
            CHECK_EQ(px(both, x, y), px(plain, x, y));
        }
    /* A 1:1 mirror is an exact flip of the source. */
    GDI_SURFACE *flip = new_surface(7, 5);
    GDI_BLT_AREA fd = {6, 4, -7, -5};
    CHECK_STATUS(GdiStretchBlt(flip, &fd, NULL, src, &s, NULL, 0xCC, COLORONCOLOR), STATUS_SUCCESS);
    for (int32_t y = 0; y < 5; y++)
        for (int32_t x = 0; x < 7; x++)
            CHECK_EQ(px(flip, x, y), px(src, 6 - x, 4 - y));
    free_surface(src);
    free_surface(plain);
    free_surface(h);
    free_surface(v);
    free_surface(hs);
    free_surface(both);
    free_surface(flip);
}

TEST(clipped_stretchblt_writes_exactly_the_unclipped_pixels_inside_the_clip) {
    for (int round = 0; round < 300; round++) {
        GDI_SURFACE *src = new_surface(1 + (int32_t)(rnd() % 20), 1 + (int32_t)(rnd() % 20));
        GDI_BLT_AREA s = {(int32_t)(rnd() % 5) - 2, (int32_t)(rnd() % 5) - 2, (int32_t)(rnd() % 41) - 20,
                          (int32_t)(rnd() % 41) - 20};
        GDI_BLT_AREA d = {(int32_t)(rnd() % 30) - 5, (int32_t)(rnd() % 30) - 5, (int32_t)(rnd() % 61) - 30,
                          (int32_t)(rnd() % 61) - 30};
        uint32_t mode = BLACKONWHITE + rnd() % 4;
        uint8_t rop = (rnd() & 1) ? 0xCC : (uint8_t)rnd();
        GDI_BRUSH_INFO brush = random_pattern_brush();
        GDI_SURFACE *whole = new_surface(32, 28);
        GDI_SURFACE *before = clone_surface(whole);
        GDI_SURFACE *clipped = clone_surface(whole);
        CHECK_STATUS(GdiStretchBlt(whole, &d, NULL, src, &s, &brush, rop, mode), STATUS_SUCCESS);
        int32_t l = (int32_t)(rnd() % 34) - 1, t = (int32_t)(rnd() % 30) - 1;
        GDI_RECT clip = {l, t, l + (int32_t)(rnd() % 20), t + (int32_t)(rnd() % 20)};
        CHECK_STATUS(GdiStretchBlt(clipped, &d, &clip, src, &s, &brush, rop, mode), STATUS_SUCCESS);
        int bad = 0;
        for (int32_t y = 0; y < 28; y++)
            for (int32_t x = 0; x < 32; x++) {
                int inside = x >= clip.left && x < clip.right && y >= clip.top && y < clip.bottom;
                bad += px(clipped, x, y) != (inside ? px(whole, x, y) : px(before, x, y));
            }
        if (!CHECK_EQ(bad, 0))
            printf("    round %d: dst %d,%d %dx%d src %d,%d %dx%d mode %u rop 0x%02X\n", round, d.X, d.Y,
                   d.Width, d.Height, s.X, s.Y, s.Width, s.Height, mode, rop);
        CHECK(spare_intact(whole) && spare_intact(clipped));
        free_surface(src);
        free_surface(whole);
        free_surface(before);
        free_surface(clipped);
    }
}

TEST(stretchblt_at_one_to_one_equals_bitblt) {
    GDI_SURFACE *src = new_surface(12, 9);
    for (int i = 0; i < 20; i++) {
        uint8_t rop = (uint8_t)rnd();
        GDI_BRUSH_INFO brush = random_pattern_brush();
        GDI_SURFACE *a = new_surface(14, 10);
        GDI_SURFACE *b = clone_surface(a);
        GDI_RECT r = {1, 2, 11, 9};
        GDI_BLT_AREA d = {1, 2, 10, 7}, s = {2, 1, 10, 7};
        CHECK_STATUS(GdiBitBlt(a, &r, src, 2, 1, &brush, rop), STATUS_SUCCESS);
        CHECK_STATUS(GdiStretchBlt(b, &d, NULL, src, &s, &brush, rop, COLORONCOLOR), STATUS_SUCCESS);
        CHECK(surfaces_equal(a, b));
        free_surface(a);
        free_surface(b);
    }
    free_surface(src);
}

TEST(stretchblt_onto_its_own_surface_reads_the_original_pixels) {
    GDI_SURFACE *s = new_surface(30, 20);
    GDI_SURFACE *copy = clone_surface(s);
    GDI_SURFACE *expected = clone_surface(s);
    GDI_BLT_AREA d = {3, 2, 20, 15}, a = {0, 0, 10, 7};
    CHECK_STATUS(GdiStretchBlt(expected, &d, NULL, copy, &a, NULL, 0xCC, COLORONCOLOR), STATUS_SUCCESS);
    CHECK_STATUS(GdiStretchBlt(s, &d, NULL, s, &a, NULL, 0xCC, COLORONCOLOR), STATUS_SUCCESS);
    CHECK(surfaces_equal(s, expected));
    FailAllocations = 1;
    CHECK_STATUS(GdiStretchBlt(s, &d, NULL, s, &a, NULL, 0xCC, COLORONCOLOR), STATUS_NO_MEMORY);
    FailAllocations = 0;
    free_surface(s);
    free_surface(copy);
    free_surface(expected);
}

TEST(stretchblt_refuses_bad_arguments_and_ignores_empty_extents) {
    GDI_SURFACE *src = new_surface(4, 4), *dst = new_surface(4, 4);
    GDI_SURFACE *before = clone_surface(dst);
    GDI_BLT_AREA d = {0, 0, 4, 4}, s = {0, 0, 4, 4};
    CHECK_STATUS(GdiStretchBlt(dst, &d, NULL, src, &s, NULL, 0xCC, 0), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(GdiStretchBlt(dst, &d, NULL, src, &s, NULL, 0xCC, 5), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(GdiStretchBlt(dst, &d, NULL, NULL, &s, NULL, 0xCC, COLORONCOLOR), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(GdiStretchBlt(dst, &d, NULL, src, NULL, NULL, 0xCC, COLORONCOLOR), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(GdiStretchBlt(dst, NULL, NULL, src, &s, NULL, 0xCC, COLORONCOLOR), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(GdiStretchBlt(dst, &d, NULL, src, &s, NULL, 0xF0, COLORONCOLOR), STATUS_INVALID_PARAMETER);
    GDI_BLT_AREA huge = {0, 0, INT32_MAX, 4}, far = {INT32_MIN, 0, 4, 4};
    CHECK_STATUS(GdiStretchBlt(dst, &huge, NULL, src, &s, NULL, 0xCC, COLORONCOLOR),
                 STATUS_INVALID_PARAMETER);
    CHECK_STATUS(GdiStretchBlt(dst, &d, NULL, src, &far, NULL, 0xCC, COLORONCOLOR), STATUS_INVALID_PARAMETER);
    GDI_BLT_AREA biggest = {-GDI_MAX_EXTENT, -GDI_MAX_EXTENT, GDI_MAX_EXTENT, -GDI_MAX_EXTENT};
    CHECK_STATUS(GdiStretchBlt(dst, &biggest, NULL, src, &s, NULL, 0xCC, COLORONCOLOR), STATUS_SUCCESS);
    CHECK_STATUS(GdiStretchBlt(dst, &d, NULL, src, &biggest, NULL, 0xCC, STRETCH_ORSCANS), STATUS_SUCCESS);
    GDI_SURFACE *after_big = clone_surface(dst);
    GDI_BLT_AREA empty_w = {0, 0, 0, 4}, empty_s = {0, 0, 4, 0};
    CHECK_STATUS(GdiStretchBlt(dst, &empty_w, NULL, src, &s, NULL, 0xCC, COLORONCOLOR), STATUS_SUCCESS);
    CHECK_STATUS(GdiStretchBlt(dst, &d, NULL, src, &empty_s, NULL, 0xCC, COLORONCOLOR), STATUS_SUCCESS);
    CHECK(surfaces_equal(dst, after_big));
    /* A ROP without a source is a PatBlt over the destination area. */
    CHECK_STATUS(GdiStretchBlt(dst, &d, NULL, NULL, NULL, NULL, GDI_ROP3_INDEX(WHITENESS), COLORONCOLOR),
                 STATUS_SUCCESS);
    CHECK_EQ(px(dst, 3, 3), 0x00FFFFFF);
    CHECK(spare_intact(dst));
    (void)before;
    free_surface(src);
    free_surface(dst);
    free_surface(before);
    free_surface(after_big);
}

/* ---- DIBs ---- */

static void put16(uint8_t *P, uint32_t V) {
    P[0] = (uint8_t)V;
    P[1] = (uint8_t)(V >> 8);
}

static void put32(uint8_t *P, uint32_t V) {
    put16(P, V);
    put16(P + 2, V >> 16);
}

/* Builds a BITMAPINFO in Info: a header of HeaderSize bytes, then (for a
 * 40-byte header and BI_BITFIELDS) the masks, then Count colour-table
 * entries. Returns its length. */
static size_t make_info(uint8_t *Info, uint32_t HeaderSize, int32_t Width, int32_t Height, uint32_t BitCount,
                        uint32_t Compression, uint32_t ClrUsed, const uint32_t *Masks,
                        const GDI_PIXEL *Colors, uint32_t Count) {
    memset(Info, 0, 2048);
    put32(Info, HeaderSize);
    size_t at;
    if (HeaderSize == 12) {
        put16(Info + 4, (uint32_t)Width);
        put16(Info + 6, (uint32_t)Height);
        put16(Info + 8, 1);
        put16(Info + 10, BitCount);
        at = 12;
    } else {
        put32(Info + 4, (uint32_t)Width);
        put32(Info + 8, (uint32_t)Height);
        put16(Info + 12, 1);
        put16(Info + 14, BitCount);
        put32(Info + 16, Compression);
        put32(Info + 32, ClrUsed);
        at = HeaderSize;
        if (Compression == BI_BITFIELDS) {
            for (int i = 0; i < 3; i++)
                put32(Info + 40 + 4 * i, Masks[i]);
            if (HeaderSize == 40)
                at += 12;
        }
    }
    for (uint32_t i = 0; i < Count; i++) {
        Info[at++] = (uint8_t)Colors[i];
        Info[at++] = (uint8_t)(Colors[i] >> 8);
        Info[at++] = (uint8_t)(Colors[i] >> 16);
        if (HeaderSize != 12)
            Info[at++] = 0;
    }
    return at;
}

/* Distinct random colours, so the nearest colour of each is itself. */
static void random_palette(GDI_PIXEL *Colors, uint32_t Count) {
    for (uint32_t i = 0; i < Count; i++) {
        int again;
        do {
            Colors[i] = rnd_pixel();
            again = 0;
            for (uint32_t j = 0; j < i; j++)
                again |= Colors[j] == Colors[i];
        } while (again);
    }
}

/* The reference decoder: pixel (X, Y) of the picture, read the plain way. */
static GDI_PIXEL ref_dib_pixel(const uint8_t *Bits, uint32_t Stride, int32_t Height, int TopDown,
                               uint32_t BitCount, const uint32_t *Masks, const GDI_PIXEL *Colors, int32_t X,
                               int32_t Y) {
    const uint8_t *row = Bits + (size_t)Stride * (size_t)(TopDown ? Y : Height - 1 - Y);
    uint32_t v = 0;
    switch (BitCount) {
    case 1: return Colors[(row[X / 8] & (0x80 >> (X % 8))) ? 1 : 0];
    case 4: return Colors[X % 2 ? row[X / 2] & 15 : row[X / 2] >> 4];
    case 8: return Colors[row[X]];
    case 24: return (GDI_PIXEL)row[3 * X + 2] << 16 | (GDI_PIXEL)row[3 * X + 1] << 8 | row[3 * X];
    case 16: v = (uint32_t)row[2 * X] | (uint32_t)row[2 * X + 1] << 8; break;
    case 32: memcpy(&v, row + 4 * X, 4); break;
    }
    GDI_PIXEL p = 0;
    for (int c = 0; c < 3; c++) {
        uint32_t m = Masks[c], shift = 0, width = 0;
        while (!((m >> shift) & 1))
            shift++;
        while (shift + width < 32 && ((m >> (shift + width)) & 1))
            width++;
        uint32_t value = (v & m) >> shift, eight;
        if (width >= 8)
            eight = value >> (width - 8);
        else if (width == 5)
            eight = value << 3 | value >> 2;
        else if (width == 6)
            eight = value << 2 | value >> 4;
        else
            abort();
        p |= eight << (16 - 8 * c);
    }
    return p;
}

typedef struct _DIB_CASE {
    const char *Name;
    uint32_t HeaderSize, BitCount, Compression, ClrUsed;
    int TopDown;
    uint32_t Masks[3];
} DIB_CASE;

static const DIB_CASE DibCases[] = {
    {"1 bpp bottom-up", 40, 1, BI_RGB, 0, 0, {0}},
    {"1 bpp top-down", 40, 1, BI_RGB, 0, 1, {0}},
    {"4 bpp bottom-up", 40, 4, BI_RGB, 0, 0, {0}},
    {"4 bpp top-down, 11 colours", 40, 4, BI_RGB, 11, 1, {0}},
    {"8 bpp bottom-up", 40, 8, BI_RGB, 0, 0, {0}},
    {"8 bpp top-down, 200 colours", 40, 8, BI_RGB, 200, 1, {0}},
    {"16 bpp 555", 40, 16, BI_RGB, 0, 0, {0x7C00, 0x03E0, 0x001F}},
    {"16 bpp 555 top-down", 40, 16, BI_RGB, 0, 1, {0x7C00, 0x03E0, 0x001F}},
    {"16 bpp 565 bitfields", 40, 16, BI_BITFIELDS, 0, 0, {0xF800, 0x07E0, 0x001F}},
    {"16 bpp 565 V4 header", 108, 16, BI_BITFIELDS, 0, 1, {0xF800, 0x07E0, 0x001F}},
    {"24 bpp bottom-up", 40, 24, BI_RGB, 0, 0, {0}},
    {"24 bpp top-down", 40, 24, BI_RGB, 0, 1, {0}},
    {"32 bpp BI_RGB", 40, 32, BI_RGB, 0, 0, {0xFF0000, 0x00FF00, 0x0000FF}},
    {"32 bpp BI_RGB top-down", 40, 32, BI_RGB, 0, 1, {0xFF0000, 0x00FF00, 0x0000FF}},
    {"32 bpp bitfields BGR", 40, 32, BI_BITFIELDS, 0, 0, {0x0000FF, 0x00FF00, 0xFF0000}},
    {"32 bpp bitfields V5", 124, 32, BI_BITFIELDS, 0, 1, {0xFF000000u, 0x00FF0000, 0x0000FF00}},
    {"core 8 bpp", 12, 8, BI_RGB, 0, 0, {0}},
    {"core 24 bpp", 12, 24, BI_RGB, 0, 0, {0}},
};

TEST(dibs_round_trip_through_a_surface_in_every_format) {
    for (size_t c = 0; c < sizeof DibCases / sizeof DibCases[0]; c++) {
        const DIB_CASE *k = &DibCases[c];
        int32_t w = 13, h = 5;
        uint8_t info[2048];
        GDI_PIXEL colors[256] = {0};
        uint32_t count = k->BitCount <= 8 ? (k->ClrUsed ? k->ClrUsed : 1u << k->BitCount) : 0;
        random_palette(colors, count);
        size_t info_bytes = make_info(info, k->HeaderSize, w, k->TopDown ? -h : h, k->BitCount,
                                      k->Compression, k->ClrUsed, k->Masks, colors, count);
        GDI_DIB_FORMAT f;
        if (!CHECK_STATUS(GdiDibParseInfo(info, info_bytes, DIB_RGB_COLORS, &f), STATUS_SUCCESS)) {
            printf("    %s\n", k->Name);
            continue;
        }
        size_t size;
        CHECK_STATUS(GdiDibInfoSize(info, info_bytes, &size), STATUS_SUCCESS);
        CHECK_EQ(size, info_bytes);
        uint32_t stride = ((uint32_t)w * k->BitCount + 31) / 32 * 4;
        CHECK_EQ(f.Stride, stride);
        size_t image;
        CHECK_STATUS(GdiDibImageBytes(&f, (uint32_t)h, &image), STATUS_SUCCESS);
        CHECK_EQ(image, (size_t)stride * (size_t)h);

        /* Random pixels that the format can hold exactly; padding zero. */
        uint8_t *bits = calloc(1, image);
        uint32_t used_bits = (uint32_t)w * k->BitCount;
        for (int32_t y = 0; y < h; y++)
            for (int32_t x = 0; x < w; x++) {
                uint8_t *row = bits + (size_t)y * stride;
                if (k->BitCount <= 8) {
                    uint32_t index = rnd() % count, bit = (uint32_t)x * k->BitCount;
                    row[bit / 8] |= (uint8_t)(index << (8 - k->BitCount - bit % 8));
                } else if (k->BitCount == 24) {
                    for (int i = 0; i < 3; i++)
                        row[3 * x + i] = (uint8_t)rnd();
                } else {
                    uint32_t v = rnd() & (k->Masks[0] | k->Masks[1] | k->Masks[2]);
                    for (uint32_t i = 0; i < k->BitCount / 8; i++)
                        row[(size_t)x * (k->BitCount / 8) + i] = (uint8_t)(v >> (8 * i));
                }
            }
        (void)used_bits;

        GDI_SURFACE *s = new_surface(w + 4, h + 2);
        GDI_RECT where = {2, 1, 2 + w, 1 + h};
        CHECK_STATUS(GdiDibToSurface(s, &where, &f, bits, image, 0, (uint32_t)h, 0, 0), STATUS_SUCCESS);
        int bad = 0;
        for (int32_t y = 0; y < h; y++)
            for (int32_t x = 0; x < w; x++)
                bad += px(s, 2 + x, 1 + y) !=
                       ref_dib_pixel(bits, stride, h, k->TopDown, k->BitCount, k->Masks, colors, x, y);
        if (!CHECK_EQ(bad, 0))
            printf("    %s: decode\n", k->Name);

        uint8_t *back = malloc(image);
        memset(back, 0xA5, image); /* padding must come back zero */
        CHECK_STATUS(GdiSurfaceToDib(s, &where, &f, back, image, 0, (uint32_t)h, 0, 0), STATUS_SUCCESS);
        if (!CHECK(memcmp(back, bits, image) == 0))
            printf("    %s: encode\n", k->Name);

        /* StretchDIBits 1:1 is SetDIBitsToDevice. */
        GDI_SURFACE *t = new_surface(w + 4, h + 2);
        GDI_SURFACE *t_before = clone_surface(t);
        GDI_BLT_AREA d = {2, 1, w, h}, sa = {0, 0, w, h};
        CHECK_STATUS(GdiStretchDib(t, &d, NULL, &f, bits, image, &sa, NULL, 0xCC, COLORONCOLOR),
                     STATUS_SUCCESS);
        for (int32_t y = 0; y < h + 2; y++)
            for (int32_t x = 0; x < w + 4; x++) {
                int inside = x >= 2 && x < 2 + w && y >= 1 && y < 1 + h;
                CHECK_EQ(px(t, x, y), inside ? px(s, x, y) : px(t_before, x, y));
            }
        CHECK(spare_intact(s) && spare_intact(t));
        free_surface(s);
        free_surface(t);
        free_surface(t_before);
        free(bits);
        free(back);
    }
}

TEST(dib_bands_and_partial_rectangles_touch_only_their_pixels) {
    /* A 24 bpp bottom-up 6x8 DIB; the buffer holds scans 2..4 (picture rows 3..5). */
    uint8_t info[2048];
    size_t n = make_info(info, 40, 6, 8, 24, BI_RGB, 0, NULL, NULL, 0);
    GDI_DIB_FORMAT f;
    CHECK_STATUS(GdiDibParseInfo(info, n, DIB_RGB_COLORS, &f), STATUS_SUCCESS);
    uint8_t band[3 * 20];
    for (size_t i = 0; i < sizeof band; i++)
        band[i] = (uint8_t)rnd();
    GDI_SURFACE *s = new_surface(6, 8);
    GDI_SURFACE *before = clone_surface(s);
    GDI_RECT all = {0, 0, 6, 8};
    CHECK_STATUS(GdiDibToSurface(s, &all, &f, band, sizeof band, 2, 3, 0, 0), STATUS_SUCCESS);
    for (int32_t y = 0; y < 8; y++)
        for (int32_t x = 0; x < 6; x++) {
            GDI_PIXEL expected = px(before, x, y);
            if (y >= 3 && y <= 5) {
                const uint8_t *p = band + 20 * (7 - y - 2) + 3 * x; /* scan 7-y, buffer row scan-2 */
                expected = (GDI_PIXEL)p[2] << 16 | (GDI_PIXEL)p[1] << 8 | p[0];
            }
            CHECK_EQ(px(s, x, y), expected);
        }
    CHECK_STATUS(GdiDibToSurface(s, &all, &f, band, sizeof band - 1, 2, 3, 0, 0), STATUS_BUFFER_TOO_SMALL);
    CHECK_STATUS(GdiDibToSurface(s, &all, &f, band, sizeof band, 6, 3, 0, 0), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(GdiDibToSurface(s, &all, &f, band, sizeof band, 9, 0, 0, 0), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(GdiDibToSurface(s, &all, &f, band, sizeof band, 0xFFFFFFFFu, 3, 0, 0),
                 STATUS_INVALID_PARAMETER);
    CHECK_STATUS(GdiDibToSurface(s, &all, &f, NULL, 0, 2, 3, 0, 0), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(GdiDibToSurface(s, &all, &f, band, sizeof band, 2, 3, INT32_MIN, INT32_MAX), STATUS_SUCCESS);

    /* GetDIBits of a 2x2 corner into a 1 bpp DIB leaves the other bits. */
    GDI_PIXEL bw[2] = {0x000000, 0xFFFFFF};
    n = make_info(info, 40, 10, -2, 1, BI_RGB, 0, NULL, bw, 2);
    CHECK_STATUS(GdiDibParseInfo(info, n, DIB_RGB_COLORS, &f), STATUS_SUCCESS);
    uint8_t mono[8] = {0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00};
    GDI_SURFACE *g = new_surface(2, 2);
    *GdiPixelAddress(g, 0, 0) = 0x101010; /* near black */
    *GdiPixelAddress(g, 1, 0) = 0xE0F0E0; /* near white */
    *GdiPixelAddress(g, 0, 1) = 0xC0C0C0; /* near white */
    *GdiPixelAddress(g, 1, 1) = 0x000000;
    GDI_RECT corner = {0, 0, 2, 2};
    CHECK_STATUS(GdiSurfaceToDib(g, &corner, &f, mono, sizeof mono, 0, 2, 3, 0), STATUS_SUCCESS);
    CHECK_EQ(mono[0], 0xEF); /* columns 3, 4 of row 0: black, white */
    CHECK_EQ(mono[1], 0xFF);
    CHECK_EQ(mono[4], 0x10); /* row 1: white, black */
    CHECK_EQ(mono[5], 0x00);
    free_surface(s);
    free_surface(before);
    free_surface(g);
}

TEST(dib_channels_widen_by_repeating_their_bits) {
    uint8_t info[2048];
    uint32_t masks[3] = {0x3FF00000, 0x000FFC00, 0x000003FF}; /* 10 bits per channel */
    size_t n = make_info(info, 40, 2, 1, 32, BI_BITFIELDS, 0, masks, NULL, 0);
    GDI_DIB_FORMAT f;
    CHECK_STATUS(GdiDibParseInfo(info, n, DIB_RGB_COLORS, &f), STATUS_SUCCESS);
    uint8_t bits[8];
    put32(bits, 0x3FFFFFFF);
    put32(bits + 4, (0x200u << 20) | (0x0FFu << 10) | 0x003u);
    GDI_SURFACE *s = new_surface(2, 1);
    GDI_RECT r = {0, 0, 2, 1};
    CHECK_STATUS(GdiDibToSurface(s, &r, &f, bits, sizeof bits, 0, 1, 0, 0), STATUS_SUCCESS);
    CHECK_EQ(px(s, 0, 0), 0xFFFFFF);
    CHECK_EQ(px(s, 1, 0), 0x803F00);
    /* 555: 31 is 255, 16 is 132. */
    n = make_info(info, 40, 2, 1, 16, BI_RGB, 0, NULL, NULL, 0);
    CHECK_STATUS(GdiDibParseInfo(info, n, DIB_RGB_COLORS, &f), STATUS_SUCCESS);
    uint8_t bits16[4];
    put16(bits16, 0x7FFF);
    put16(bits16 + 2, 16u << 10 | 1u << 5);
    CHECK_STATUS(GdiDibToSurface(s, &r, &f, bits16, sizeof bits16, 0, 1, 0, 0), STATUS_SUCCESS);
    CHECK_EQ(px(s, 0, 0), 0xFFFFFF);
    CHECK_EQ(px(s, 1, 0), 0x840800);
    free_surface(s);
}

TEST(stretchdibits_flips_a_bottom_up_dib_like_stretchblt) {
    uint8_t info[2048];
    GDI_PIXEL colors[16];
    random_palette(colors, 16);
    size_t n = make_info(info, 40, 7, 6, 4, BI_RGB, 0, NULL, colors, 16);
    GDI_DIB_FORMAT f;
    CHECK_STATUS(GdiDibParseInfo(info, n, DIB_RGB_COLORS, &f), STATUS_SUCCESS);
    uint8_t bits[4 * 6];
    for (size_t i = 0; i < sizeof bits; i++)
        bits[i] = (uint8_t)rnd();
    GDI_SURFACE *decoded = new_surface(7, 6);
    GDI_RECT all = {0, 0, 7, 6};
    CHECK_STATUS(GdiDibToSurface(decoded, &all, &f, bits, sizeof bits, 0, 6, 0, 0), STATUS_SUCCESS);
    GDI_BLT_AREA d = {16, 0, -17, 13}, s = {1, 1, 5, 4};
    GDI_RECT clip = {3, 2, 14, 11};
    for (uint32_t mode = BLACKONWHITE; mode <= HALFTONE; mode++) {
        GDI_SURFACE *a = new_surface(17, 13);
        GDI_SURFACE *b = clone_surface(a);
        CHECK_STATUS(GdiStretchBlt(a, &d, &clip, decoded, &s, NULL, 0x66, mode), STATUS_SUCCESS);
        CHECK_STATUS(GdiStretchDib(b, &d, &clip, &f, bits, sizeof bits, &s, NULL, 0x66, mode),
                     STATUS_SUCCESS);
        CHECK(surfaces_equal(a, b));
        free_surface(a);
        free_surface(b);
    }
    GDI_SURFACE *c = new_surface(17, 13);
    CHECK_STATUS(GdiStretchDib(c, &d, &clip, &f, bits, sizeof bits - 1, &s, NULL, 0xCC, COLORONCOLOR),
                 STATUS_BUFFER_TOO_SMALL);
    /* A DIB section drawn onto itself. */
    GDI_SURFACE self = {7, 6, 28, NULL};
    uint32_t *own = calloc(7 * 6, 4);
    for (int i = 0; i < 42; i++)
        own[i] = rnd_pixel();
    self.Bits = own;
    n = make_info(info, 40, 7, -6, 32, BI_RGB, 0, NULL, NULL, 0);
    CHECK_STATUS(GdiDibParseInfo(info, n, DIB_RGB_COLORS, &f), STATUS_SUCCESS);
    GDI_SURFACE *same = malloc(sizeof *same);
    *same = self;
    same->Bits = malloc(7 * 6 * 4);
    memcpy(same->Bits, own, 7 * 6 * 4);
    GDI_BLT_AREA sd = {0, 0, 7, 6}, ss = {6, 0, -7, 6};
    CHECK_STATUS(GdiStretchDib(&self, &sd, NULL, &f, own, 7 * 6 * 4, &ss, NULL, 0xCC, COLORONCOLOR),
                 STATUS_SUCCESS);
    for (int32_t y = 0; y < 6; y++)
        for (int32_t x = 0; x < 7; x++)
            CHECK_EQ(px(&self, x, y), px(same, 6 - x, y));
    free(own);
    free(same->Bits);
    free(same);
    free_surface(c);
    free_surface(decoded);
}

TEST(malformed_bitmapinfos_are_refused) {
    uint8_t info[2048];
    GDI_DIB_FORMAT f;
    GDI_PIXEL colors[256] = {0};
    uint32_t m565[3] = {0xF800, 0x07E0, 0x001F};
    size_t good = make_info(info, 40, 8, 8, 8, BI_RGB, 0, NULL, colors, 256);
    CHECK_STATUS(GdiDibParseInfo(info, good, DIB_RGB_COLORS, &f), STATUS_SUCCESS);
    CHECK_STATUS(GdiDibParseInfo(info, good - 1, DIB_RGB_COLORS, &f), STATUS_BUFFER_TOO_SMALL);
    CHECK_STATUS(GdiDibParseInfo(info, 39, DIB_RGB_COLORS, &f), STATUS_BUFFER_TOO_SMALL);
    CHECK_STATUS(GdiDibParseInfo(info, 3, DIB_RGB_COLORS, &f), STATUS_BUFFER_TOO_SMALL);
    CHECK_STATUS(GdiDibParseInfo(info, good, DIB_PAL_COLORS, &f), STATUS_NOT_SUPPORTED);
    CHECK_STATUS(GdiDibParseInfo(info, good, 2, &f), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(GdiDibParseInfo(NULL, good, DIB_RGB_COLORS, &f), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(GdiDibParseInfo(info, good, DIB_RGB_COLORS, NULL), STATUS_INVALID_PARAMETER);

    static const uint32_t bad_sizes[] = {0, 4, 11, 13, 39, 41, 64, 100, 125, 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof bad_sizes / sizeof bad_sizes[0]; i++) {
        make_info(info, 40, 8, 8, 24, BI_RGB, 0, NULL, NULL, 0);
        put32(info, bad_sizes[i]);
        CHECK_STATUS(GdiDibParseInfo(info, sizeof info, DIB_RGB_COLORS, &f), STATUS_INVALID_PARAMETER);
    }

    struct {
        int32_t Width, Height;
        uint32_t BitCount, Compression, ClrUsed, Planes;
        NTSTATUS Expected;
    } bad[] = {
        {0, 8, 24, BI_RGB, 0, 1, STATUS_INVALID_PARAMETER},
        {-1, 8, 24, BI_RGB, 0, 1, STATUS_INVALID_PARAMETER},
        {GDI_MAX_EXTENT + 1, 8, 24, BI_RGB, 0, 1, STATUS_INVALID_PARAMETER},
        {INT32_MIN, 8, 24, BI_RGB, 0, 1, STATUS_INVALID_PARAMETER},
        {8, 0, 24, BI_RGB, 0, 1, STATUS_INVALID_PARAMETER},
        {8, INT32_MIN, 24, BI_RGB, 0, 1, STATUS_INVALID_PARAMETER},
        {8, INT32_MAX, 24, BI_RGB, 0, 1, STATUS_INVALID_PARAMETER},
        {8, -GDI_MAX_EXTENT - 1, 24, BI_RGB, 0, 1, STATUS_INVALID_PARAMETER},
        {8, 8, 0, BI_RGB, 0, 1, STATUS_INVALID_PARAMETER},
        {8, 8, 2, BI_RGB, 0, 1, STATUS_INVALID_PARAMETER},
        {8, 8, 7, BI_RGB, 0, 1, STATUS_INVALID_PARAMETER},
        {8, 8, 48, BI_RGB, 0, 1, STATUS_INVALID_PARAMETER},
        {8, 8, 0xFFFF, BI_RGB, 0, 1, STATUS_INVALID_PARAMETER},
        {8, 8, 24, BI_RGB, 0, 0, STATUS_INVALID_PARAMETER},
        {8, 8, 24, BI_RGB, 0, 2, STATUS_INVALID_PARAMETER},
        {8, 8, 8, BI_RLE8, 0, 1, STATUS_NOT_SUPPORTED},
        {8, 8, 4, BI_RLE4, 0, 1, STATUS_NOT_SUPPORTED},
        {8, 8, 0, 4 /* BI_JPEG */, 0, 1, STATUS_NOT_SUPPORTED},
        {8, 8, 24, 6, 0, 1, STATUS_INVALID_PARAMETER},
        {8, 8, 24, 0x80000000u, 0, 1, STATUS_INVALID_PARAMETER},
        {8, 8, 8, BI_BITFIELDS, 0, 1, STATUS_INVALID_PARAMETER},
        {8, 8, 24, BI_BITFIELDS, 0, 1, STATUS_INVALID_PARAMETER},
        {8, 8, 8, BI_RGB, 257, 1, STATUS_INVALID_PARAMETER},
        {8, 8, 1, BI_RGB, 3, 1, STATUS_INVALID_PARAMETER},
        {8, 8, 4, BI_RGB, 0xFFFFFFFFu, 1, STATUS_INVALID_PARAMETER},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t n = make_info(info, 40, bad[i].Width, bad[i].Height, bad[i].BitCount, bad[i].Compression,
                             bad[i].ClrUsed, m565, colors, 256);
        put16(info + 12, bad[i].Planes);
        if (!CHECK_STATUS(GdiDibParseInfo(info, n + 64, DIB_RGB_COLORS, &f), bad[i].Expected))
            printf("    case %zu\n", i);
        size_t size;
        CHECK_STATUS(GdiDibInfoSize(info, n + 64, &size), bad[i].Expected);
    }

    /* BI_BITFIELDS masks: zero, overlapping, split, outside 16 bits. */
    uint32_t bad_masks[][3] = {
        {0, 0x07E0, 0x001F},
        {0xF800, 0x0FE0, 0x001F},
        {0xF801, 0x07E0, 0x001E},
        {0x1F0000, 0x07E0, 0x001F},
    };
    for (size_t i = 0; i < sizeof bad_masks / sizeof bad_masks[0]; i++) {
        size_t n = make_info(info, 40, 8, 8, 16, BI_BITFIELDS, 0, bad_masks[i], NULL, 0);
        CHECK_STATUS(GdiDibParseInfo(info, n, DIB_RGB_COLORS, &f), STATUS_INVALID_PARAMETER);
    }
    size_t n = make_info(info, 40, 8, 8, 16, BI_BITFIELDS, 0, m565, NULL, 0);
    CHECK_STATUS(GdiDibParseInfo(info, n, DIB_RGB_COLORS, &f), STATUS_SUCCESS);
    CHECK_STATUS(GdiDibParseInfo(info, n - 1, DIB_RGB_COLORS, &f), STATUS_BUFFER_TOO_SMALL); /* masks cut */

    /* Core headers have no 16 or 32 bpp. */
    n = make_info(info, 12, 8, 8, 32, BI_RGB, 0, NULL, NULL, 0);
    CHECK_STATUS(GdiDibParseInfo(info, n, DIB_RGB_COLORS, &f), STATUS_INVALID_PARAMETER);
    n = make_info(info, 12, 8, 8, 8, BI_RGB, 0, NULL, colors, 256);
    CHECK_STATUS(GdiDibParseInfo(info, n, DIB_RGB_COLORS, &f), STATUS_SUCCESS);
    CHECK_EQ(f.InfoBytes, 12 + 3 * 256);
}

TEST(dib_info_size_is_found_a_step_at_a_time) {
    uint8_t info[2048];
    GDI_PIXEL colors[16] = {0};
    size_t total = make_info(info, 40, 8, 8, 4, BI_RGB, 0, NULL, colors, 16);
    size_t need = 0;
    CHECK_STATUS(GdiDibInfoSize(info, 2, &need), STATUS_BUFFER_TOO_SMALL);
    CHECK_EQ(need, 4);
    CHECK_STATUS(GdiDibInfoSize(info, 4, &need), STATUS_BUFFER_TOO_SMALL);
    CHECK_EQ(need, 40);
    CHECK_STATUS(GdiDibInfoSize(info, 40, &need), STATUS_SUCCESS);
    CHECK_EQ(need, total);
    CHECK_EQ(total, 40 + 64);
    uint32_t m[3] = {0xF800, 0x07E0, 0x001F};
    total = make_info(info, 40, 8, 8, 16, BI_BITFIELDS, 0, m, NULL, 0);
    CHECK_STATUS(GdiDibInfoSize(info, 40, &need), STATUS_SUCCESS);
    CHECK_EQ(need, 52);
    total = make_info(info, 108, 8, 8, 16, BI_BITFIELDS, 0, m, NULL, 0);
    CHECK_STATUS(GdiDibInfoSize(info, 108, &need), STATUS_SUCCESS);
    CHECK_EQ(need, 108);
    CHECK_STATUS(GdiDibInfoSize(NULL, 108, &need), STATUS_INVALID_PARAMETER);
}

TEST(random_bitmapinfos_never_crash_the_parser) {
    /* Random headers of random lengths, each in a buffer of exactly that
     * length so ASan catches any read past it; whatever parses is used. */
    static const uint32_t sizes[] = {12, 40, 52, 56, 108, 124};
    int parsed = 0;
    for (int i = 0; i < 20000; i++) {
        size_t length = rnd() % 1200;
        uint8_t *info = malloc(length ? length : 1);
        for (size_t j = 0; j < length; j++)
            info[j] = (uint8_t)rnd();
        if (length >= 36) {
            put32(info, sizes[rnd() % 6]);
            put16(info + 12, 1);
            static const uint16_t counts[] = {1, 4, 8, 16, 24, 32};
            put16(info + 14, counts[rnd() % 6]);
            put32(info + 16, rnd() % 4);
            put32(info + 4, rnd() % 40);
            put32(info + 8, (rnd() % 40) - 20);
            if (rnd() & 1)
                put32(info + 32, rnd() % 300);
        }
        GDI_DIB_FORMAT f;
        if (GdiDibParseInfo(info, length, DIB_RGB_COLORS, &f) == STATUS_SUCCESS) {
            parsed++;
            size_t image;
            CHECK_STATUS(GdiDibImageBytes(&f, (uint32_t)f.Height, &image), STATUS_SUCCESS);
            CHECK(f.InfoBytes <= length);
            uint8_t *bits = malloc(image);
            for (size_t j = 0; j < image; j++)
                bits[j] = (uint8_t)rnd();
            GDI_SURFACE *s = new_surface(16, 16);
            GDI_RECT r = {-3, -3, 20, 20};
            CHECK_STATUS(GdiDibToSurface(s, &r, &f, bits, image, 0, (uint32_t)f.Height, 1, 2),
                         STATUS_SUCCESS);
            CHECK_STATUS(GdiSurfaceToDib(s, &r, &f, bits, image, 0, (uint32_t)f.Height, 2, 1),
                         STATUS_SUCCESS);
            CHECK(spare_intact(s));
            free_surface(s);
            free(bits);
        }
        free(info);
    }
    CHECK(parsed > 100);
}

int main(void) {
    RUN(rop2_all_sixteen_modes_follow_their_truth_tables);
    RUN(rop2_spans_paint_every_mode_with_solid_and_pattern_brushes);
    RUN(spans_are_clipped_to_the_surface);
    RUN(brush_sink_paints_the_rasterizers_spans_inside_its_clip);
    RUN(hatch_patterns_have_windows_bits);
    RUN(hatched_brushes_paint_lines_and_background_from_the_origin);
    RUN(rop3_general_evaluator_matches_the_truth_table_for_all_256);
    RUN(rop3_index_convention_matches_microsofts_formulas);
    RUN(rop3_operand_use_is_read_off_the_truth_table);
    RUN(bitblt_applies_all_256_rop3s_pixel_for_pixel);
    RUN(bitblt_fast_paths_agree_with_the_general_evaluator);
    RUN(overlapping_bitblt_copies_in_every_direction);
    RUN(overlapping_bitblt_through_a_differently_strided_alias);
    RUN(bitblt_clips_to_source_and_destination_and_checks_arguments);
    RUN(stretchblt_doubles_each_pixel_when_stretching_2x);
    RUN(stretchblt_skips_destination_pixels_whose_source_is_outside_the_source);
    RUN(stretchblt_shrinks_3x_by_centre_and_by_and_or_scans);
    RUN(stretchblt_mirrors_when_extents_differ_in_sign);
    RUN(clipped_stretchblt_writes_exactly_the_unclipped_pixels_inside_the_clip);
    RUN(stretchblt_at_one_to_one_equals_bitblt);
    RUN(stretchblt_onto_its_own_surface_reads_the_original_pixels);
    RUN(stretchblt_refuses_bad_arguments_and_ignores_empty_extents);
    RUN(dibs_round_trip_through_a_surface_in_every_format);
    RUN(dib_bands_and_partial_rectangles_touch_only_their_pixels);
    RUN(dib_channels_widen_by_repeating_their_bits);
    RUN(stretchdibits_flips_a_bottom_up_dib_like_stretchblt);
    RUN(malformed_bitmapinfos_are_refused);
    RUN(dib_info_size_is_found_a_step_at_a_time);
    RUN(random_bitmapinfos_never_crash_the_parser);
    return UtFinish();
}
