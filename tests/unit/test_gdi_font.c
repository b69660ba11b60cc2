/*
 * test_gdi_font.c - the GDI engine's bitmap fonts: the generated face
 * table keeps Windows' raster-font shape, TextOut draws exactly the table's
 * ink where the alignment says, the mapper picks faces by Win32's rules,
 * and DrawText lays out text as hand-computed below.
 *
 * Why: every window title, menu and dialog goes through subsys/gdi/font.c,
 * and an application positions text by GetTextExtentPoint32 and
 * GetTextMetrics - if TextOut's advance or ink disagreed with them by a
 * pixel, carets and selections would drift. So every face in every size is
 * drawn whole and checked against the metrics: the advance equals the
 * extent, ink stays between ascent and descent and inside each cell, spans
 * never overlap, and the pixels are exactly the table's bits.
 *
 * font.c and the generated build/gen/gdifonts.c are #included (the Makefile
 * adds -Isubsys/gdi -Ibuild/gen for this test).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "font.c"
#include "gdifonts.c"

/* ---- a canvas that records spans ---- */

#define CANVAS_W 8192
#define CANVAS_H 160
#define CANVAS_X0 (-1024) /* canvas column 0 is device x = CANVAS_X0 */
#define CANVAS_Y0 (-32)

typedef struct _CANVAS {
    GDI_SPAN_SINK Sink; /* first: the sink pointer is the canvas pointer */
    uint8_t *Hits;      /* times each pixel was covered */
    uint32_t Spans;
    uint32_t Outside;               /* spans that fell off the canvas */
    uint32_t Empty;                 /* spans with X1 <= X0 */
    int32_t MinX, MaxX, MinY, MaxY; /* bounds of everything drawn (inclusive) */
} CANVAS;

static void canvas_span(GDI_SPAN_SINK *Sink, int32_t Y, int32_t X0, int32_t X1) {
    CANVAS *c = (CANVAS *)Sink;
    c->Spans++;
    if (X1 <= X0) {
        c->Empty++;
        return;
    }
    if (Y < c->MinY)
        c->MinY = Y;
    if (Y > c->MaxY)
        c->MaxY = Y;
    if (X0 < c->MinX)
        c->MinX = X0;
    if (X1 - 1 > c->MaxX)
        c->MaxX = X1 - 1;
    int64_t row = (int64_t)Y - CANVAS_Y0;
    if (row < 0 || row >= CANVAS_H || (int64_t)X0 - CANVAS_X0 < 0 || (int64_t)X1 - CANVAS_X0 > CANVAS_W) {
        c->Outside++;
        return;
    }
    for (int32_t x = X0; x < X1; x++)
        c->Hits[row * CANVAS_W + (x - CANVAS_X0)]++;
}

static void canvas_init(CANVAS *c) {
    memset(c, 0, sizeof *c);
    c->Sink.Span = canvas_span;
    c->Hits = calloc(CANVAS_W, CANVAS_H);
    c->MinX = c->MinY = INT32_MAX;
    c->MaxX = c->MaxY = INT32_MIN;
}

static void canvas_clear(CANVAS *c) {
    memset(c->Hits, 0, (size_t)CANVAS_W * CANVAS_H);
    c->Spans = c->Outside = c->Empty = 0;
    c->MinX = c->MinY = INT32_MAX;
    c->MaxX = c->MaxY = INT32_MIN;
}

static void canvas_free(CANVAS *c) {
    free(c->Hits);
}

static int canvas_at(const CANVAS *c, int32_t X, int32_t Y) {
    int64_t row = (int64_t)Y - CANVAS_Y0, col = (int64_t)X - CANVAS_X0;
    if (row < 0 || row >= CANVAS_H || col < 0 || col >= CANVAS_W)
        return 0;
    return c->Hits[row * CANVAS_W + col];
}

static uint32_t canvas_max_hits(const CANVAS *c) {
    uint32_t m = 0;
    for (size_t i = 0; i < (size_t)CANVAS_W * CANVAS_H; i++)
        m = c->Hits[i] > m ? c->Hits[i] : m;
    return m;
}

/* Paints glyph Char's ink from the table, independently of FontDrawText,
 * with its cell's top-left at (X, Y), into an expected-pixels canvas. */
static void expect_glyph(CANVAS *c, const GDI_FONT *f, uint16_t Char, int32_t X, int32_t Y) {
    const GDI_GLYPH *g = FontGetGlyph(f, Char);
    uint32_t stride = (g->InkWidth + 7u) / 8u;
    for (uint32_t r = 0; r < g->InkHeight; r++) {
        for (uint32_t col = 0; col < g->InkWidth; col++) {
            if (f->Bits[g->Bits + r * stride + col / 8] & (0x80u >> (col % 8))) {
                int32_t x = X + g->InkLeft + (int32_t)col, y = Y + g->InkTop + (int32_t)r;
                int64_t row = (int64_t)y - CANVAS_Y0;
                c->Hits[row * CANVAS_W + (x - CANVAS_X0)] = 1;
            }
        }
    }
}

/* Number of pixels where the two canvases disagree on ink. */
static uint32_t canvas_diff(const CANVAS *a, const CANVAS *b) {
    uint32_t d = 0;
    for (size_t i = 0; i < (size_t)CANVAS_W * CANVAS_H; i++)
        d += (a->Hits[i] != 0) != (b->Hits[i] != 0);
    return d;
}

/* ---- helpers ---- */

static uint32_t widen(const char *Ascii, uint16_t *Out, uint32_t Capacity) {
    uint32_t n = 0;
    while (Ascii[n] != '\0' && n + 1 < Capacity) {
        Out[n] = (uint8_t)Ascii[n];
        n++;
    }
    Out[n] = 0;
    return n;
}

static void set_face(GDI_LOGFONTW *lf, const char *Name) {
    widen(Name, lf->lfFaceName, GDI_LF_FACESIZE);
}

static int is_fixed(const GDI_FONT *f) {
    return (f->PitchAndFamily & GDI_PITCH_MASK) == GDI_FIXED_PITCH;
}

/* The Latin-1 range 0x20-0xFF then a pangram: the string every face draws. */
static uint32_t sample_text(uint16_t *Out) {
    uint32_t n = 0;
    for (uint16_t c = 0x20; c <= 0xFF; c++)
        Out[n++] = c;
    n += widen("The quick brown fox jumps over the lazy dog. 0123456789", Out + n, 128);
    return n;
}

static const GDI_FONT *fixed_6x13(void) {
    GDI_LOGFONTW lf = {0};
    lf.lfHeight = 13;
    lf.lfWidth = 6;
    set_face(&lf, "Fixed");
    return FontMatch(&lf);
}

/* ---- the table ---- */

TEST(table_metrics_are_consistent) {
    CHECK(FontGetCount() >= 40);
    CHECK(FontGetByIndex(FontGetCount()) == NULL);
    for (uint32_t i = 0; i < FontGetCount(); i++) {
        const GDI_FONT *f = FontGetByIndex(i);
        CHECK_EQ(f->Height, f->Ascent + f->Descent);
        CHECK(f->InternalLeading >= 0 && f->InternalLeading <= f->Height);
        CHECK(f->Ascent > 0 && f->Descent >= 0);
        CHECK_EQ(f->FirstChar, 0x20);
        CHECK_EQ(f->LastChar, 0xFF);
        CHECK(f->DefaultChar >= f->FirstChar && f->DefaultChar <= f->LastChar);
        CHECK_EQ(f->BreakChar, ' ');
        CHECK(f->Weight == GDI_FW_NORMAL || f->Weight == GDI_FW_BOLD);
        CHECK_EQ(f->AveCharWidth, FontGetCharWidth(f, 'x'));
        uint32_t pitch = f->PitchAndFamily & GDI_PITCH_MASK;
        CHECK(pitch == GDI_FIXED_PITCH || pitch == GDI_VARIABLE_PITCH);
        int32_t widest = 0;
        for (uint32_t c = f->FirstChar; c <= f->LastChar; c++) {
            const GDI_GLYPH *g = FontGetGlyph(f, (uint16_t)c);
            widest = g->Advance > widest ? g->Advance : widest;
            if (is_fixed(f) && !CHECK_EQ(g->Advance, f->AveCharWidth))
                printf("  %s %s U+%04X\n", f->FaceName, f->Source, c);
            /* the ink box lies inside the cell */
            if (!CHECK(g->InkLeft + g->InkWidth <= g->Advance && g->InkTop + g->InkHeight <= f->Height))
                printf("  %s %s U+%04X\n", f->FaceName, f->Source, c);
        }
        CHECK_EQ(f->MaxCharWidth, widest);
        /* letters have ink */
        CHECK(FontGetGlyph(f, 'A')->InkWidth > 0 && FontGetGlyph(f, 'g')->InkHeight > 0);
        CHECK_EQ(FontGetGlyph(f, ' ')->InkWidth, 0);
    }
}

TEST(table_has_the_promised_faces) {
    static const char *faces[] = {"Helvetica", "Times", "Courier", "Fixed"};
    for (uint32_t k = 0; k < ARRAYSIZE(faces); k++) {
        uint32_t sizes = 0;
        for (uint32_t i = 0; i < FontGetCount(); i++) {
            const GDI_FONT *f = FontGetByIndex(i);
            sizes += ascii_equals(f->FaceName, faces[k]) && f->Weight == GDI_FW_NORMAL && !f->Italic;
        }
        if (!CHECK(sizes >= 3))
            printf("  %s has %u regular sizes\n", faces[k], sizes);
    }
}

/* ---- TextOut ---- */

TEST(every_face_draws_its_extent_between_ascent_and_descent) {
    CANVAS got, want;
    canvas_init(&got);
    canvas_init(&want);
    uint16_t text[512];
    uint32_t n = sample_text(text);
    const int32_t x = 40, baseline = 60;
    for (uint32_t i = 0; i < FontGetCount(); i++) {
        const GDI_FONT *f = FontGetByIndex(i);
        canvas_clear(&got);
        canvas_clear(&want);
        int32_t cx = -1, cy = -1;
        FontGetTextExtent(f, text, n, &cx, &cy);
        int32_t advance =
            FontDrawText(f, text, n, NULL, x, baseline, GDI_TA_LEFT | GDI_TA_BASELINE, 0, NULL, &got.Sink);
        CHECK_EQ(advance, cx);
        CHECK_EQ(cy, f->Height);
        CHECK_EQ(got.Outside + got.Empty, 0);
        CHECK(got.MinY >= baseline - f->Ascent && got.MaxY < baseline + f->Descent);
        CHECK(got.MinX >= x && got.MaxX < x + cx);
        CHECK_EQ(canvas_max_hits(&got), 1);
        /* exactly the table's ink, cell after cell */
        int32_t pen = x;
        for (uint32_t k = 0; k < n; k++) {
            expect_glyph(&want, f, text[k], pen, baseline - f->Ascent);
            pen += FontGetCharWidth(f, text[k]);
        }
        if (!CHECK_EQ(canvas_diff(&got, &want), 0))
            printf("  %s %s\n", f->FaceName, f->Source);
    }
    canvas_free(&got);
    canvas_free(&want);
}

TEST(every_glyph_stays_in_its_cell) {
    CANVAS got;
    canvas_init(&got);
    for (uint32_t i = 0; i < FontGetCount(); i++) {
        const GDI_FONT *f = FontGetByIndex(i);
        for (uint32_t c = f->FirstChar; c <= f->LastChar; c++) {
            uint16_t ch = (uint16_t)c;
            canvas_clear(&got);
            int32_t adv = FontDrawText(f, &ch, 1, NULL, 0, 0, GDI_TA_LEFT | GDI_TA_TOP, 0, NULL, &got.Sink);
            CHECK_EQ(adv, FontGetCharWidth(f, ch));
            if (got.Spans != 0 &&
                !CHECK(got.MinX >= 0 && got.MaxX < adv && got.MinY >= 0 && got.MaxY < f->Height))
                printf("  %s %s U+%04X\n", f->FaceName, f->Source, c);
        }
    }
    canvas_free(&got);
}

TEST(alignment_moves_the_text_and_nothing_else) {
    CANVAS ref, got;
    canvas_init(&ref);
    canvas_init(&got);
    GDI_LOGFONTW lf = {0};
    lf.lfHeight = 15;
    set_face(&lf, "Times");
    const GDI_FONT *f = FontMatch(&lf);
    uint16_t text[32];
    uint32_t n = widen("Alignment, jig-saw!", text, 32);
    int32_t cx;
    FontGetTextExtent(f, text, n, &cx, NULL);
    const int32_t X = 500, Y = 60;
    FontDrawText(f, text, n, NULL, X, Y, GDI_TA_LEFT | GDI_TA_TOP, 0, NULL, &ref.Sink);
    static const struct {
        uint32_t Align;
        int32_t Dx, Dy; /* where the cell's top-left goes, from (X, Y) */
    } cases[] = {
        {GDI_TA_RIGHT | GDI_TA_TOP, -1, 0},      {GDI_TA_CENTER | GDI_TA_TOP, -2, 0},
        {GDI_TA_LEFT | GDI_TA_BASELINE, 0, -3},  {GDI_TA_LEFT | GDI_TA_BOTTOM, 0, -4},
        {GDI_TA_CENTER | GDI_TA_BOTTOM, -2, -4}, {GDI_TA_RIGHT | GDI_TA_BASELINE | GDI_TA_UPDATECP, -1, -3},
    };
    for (uint32_t k = 0; k < ARRAYSIZE(cases); k++) {
        int32_t dx = cases[k].Dx == -1 ? -cx : cases[k].Dx == -2 ? -(cx / 2) : 0;
        int32_t dy = cases[k].Dy == -3 ? -f->Ascent : cases[k].Dy == -4 ? -f->Height : 0;
        canvas_clear(&got);
        CHECK_EQ(FontDrawText(f, text, n, NULL, X - dx, Y - dy, cases[k].Align, 0, NULL, &got.Sink), cx);
        CHECK_EQ(canvas_diff(&got, &ref), 0);
        GDI_RECT box;
        FontTextBox(f, text, n, NULL, X - dx, Y - dy, cases[k].Align, &box);
        CHECK(box.left == X && box.right == X + cx && box.top == Y && box.bottom == Y + f->Height);
    }
    canvas_free(&ref);
    canvas_free(&got);
}

TEST(lpdx_places_each_cell) {
    CANVAS got, want;
    canvas_init(&got);
    canvas_init(&want);
    const GDI_FONT *f = FontGetStock(GDI_STOCK_SYSTEM_FONT);
    uint16_t text[16];
    uint32_t n = widen("Wide&jolly", text, 16);
    int32_t dx[16];
    for (uint32_t k = 0; k < n; k++)
        dx[k] = 20 + (int32_t)k;
    int32_t sum = 0;
    for (uint32_t k = 0; k < n; k++) {
        expect_glyph(&want, f, text[k], 10 + sum, 5);
        sum += dx[k];
    }
    CHECK_EQ(FontDrawText(f, text, n, dx, 10, 5, GDI_TA_TOP, 0, NULL, &got.Sink), sum);
    CHECK_EQ(canvas_diff(&got, &want), 0);
    GDI_RECT box;
    CHECK_EQ(FontTextBox(f, text, n, dx, 10, 5, GDI_TA_TOP, &box), sum);
    CHECK(box.left == 10 && box.right == 10 + sum);
    canvas_free(&got);
    canvas_free(&want);
}

/* Bug pinned: with lpDx smaller than the advances the cells overlap; a
 * pixel inked by two glyphs must still be sent once (R2_XORPEN). */
TEST(overlapping_cells_send_each_pixel_once) {
    CANVAS got, want;
    canvas_init(&got);
    canvas_init(&want);
    const GDI_FONT *f = FontGetStock(GDI_STOCK_ANSI_VAR_FONT);
    uint16_t text[8];
    uint32_t n = widen("MWOBQ", text, 8);
    int32_t dx[8] = {1, 1, 1, 1, 1};
    for (uint32_t k = 0; k < n; k++)
        expect_glyph(&want, f, text[k], 100 + (int32_t)k, 10);
    CHECK_EQ(FontDrawText(f, text, n, dx, 100, 10, GDI_TA_TOP, FONT_STYLE_UNDERLINE, NULL, &got.Sink), 5);
    CHECK_EQ(canvas_max_hits(&got), 1);
    /* underline covers the advance box [100, 105) on its row */
    for (int32_t x = 100; x < 105; x++)
        want.Hits[(10 + underline_row(f) - CANVAS_Y0) * CANVAS_W + (x - CANVAS_X0)] = 1;
    CHECK_EQ(canvas_diff(&got, &want), 0);
    canvas_free(&got);
    canvas_free(&want);
}

TEST(clip_rectangle_cuts_spans) {
    CANVAS all, clipped;
    canvas_init(&all);
    canvas_init(&clipped);
    const GDI_FONT *f = FontGetStock(GDI_STOCK_SYSTEM_FONT);
    uint16_t text[32];
    uint32_t n = widen("Clipped HELLO world", text, 32);
    FontDrawText(f, text, n, NULL, 0, 0, GDI_TA_TOP, FONT_STYLE_STRIKEOUT, NULL, &all.Sink);
    GDI_RECT clip = {13, 4, 61, 11};
    FontDrawText(f, text, n, NULL, 0, 0, GDI_TA_TOP, FONT_STYLE_STRIKEOUT, &clip, &clipped.Sink);
    CHECK(clipped.MinX >= 13 && clipped.MaxX < 61 && clipped.MinY >= 4 && clipped.MaxY < 11);
    uint32_t wrong = 0, inked = 0;
    for (int32_t y = -2; y < 20; y++) {
        for (int32_t x = -2; x < 200; x++) {
            int inside = x >= 13 && x < 61 && y >= 4 && y < 11;
            int want = inside && canvas_at(&all, x, y);
            wrong += want != (canvas_at(&clipped, x, y) != 0);
            inked += want;
        }
    }
    CHECK_EQ(wrong, 0);
    CHECK(inked > 20);
    /* a clip that misses the text sends nothing, and still returns the advance */
    GDI_RECT away = {500, 500, 600, 600};
    canvas_clear(&clipped);
    int32_t cx;
    FontGetTextExtent(f, text, n, &cx, NULL);
    CHECK_EQ(FontDrawText(f, text, n, NULL, 0, 0, GDI_TA_TOP, 0, &away, &clipped.Sink), cx);
    CHECK_EQ(clipped.Spans, 0);
    canvas_free(&all);
    canvas_free(&clipped);
}

TEST(underline_and_strikeout_run_the_whole_advance) {
    CANVAS got;
    canvas_init(&got);
    const GDI_FONT *f = FontGetStock(GDI_STOCK_ANSI_VAR_FONT);
    uint16_t text[8];
    uint32_t n = widen("a b", text, 8);
    int32_t cx;
    FontGetTextExtent(f, text, n, &cx, NULL);
    FontDrawText(f, text, n, NULL, 0, 0, GDI_TA_TOP, FONT_STYLE_UNDERLINE | FONT_STYLE_STRIKEOUT, NULL,
                 &got.Sink);
    for (int32_t x = 0; x < cx; x++) {
        CHECK(canvas_at(&got, x, underline_row(f)));
        CHECK(canvas_at(&got, x, strikeout_row(f)));
    }
    CHECK(!canvas_at(&got, cx, underline_row(f)) && !canvas_at(&got, -1, underline_row(f)));
    CHECK(underline_row(f) >= f->Ascent && underline_row(f) < f->Height);
    CHECK(strikeout_row(f) < f->Ascent);
    canvas_free(&got);
}

TEST(characters_outside_the_face_draw_the_default_char) {
    CANVAS a, b;
    canvas_init(&a);
    canvas_init(&b);
    for (uint32_t i = 0; i < FontGetCount(); i++) {
        const GDI_FONT *f = FontGetByIndex(i);
        uint16_t outside[3] = {0x4E2D, 0x0007, 0xFFFF};
        for (uint32_t k = 0; k < 3; k++) {
            CHECK(FontGetGlyph(f, outside[k]) == FontGetGlyph(f, f->DefaultChar));
            CHECK_EQ(FontGetCharWidth(f, outside[k]), FontGetCharWidth(f, f->DefaultChar));
        }
        canvas_clear(&a);
        canvas_clear(&b);
        FontDrawText(f, outside, 1, NULL, 3, 3, 0, 0, NULL, &a.Sink);
        FontDrawText(f, &f->DefaultChar, 1, NULL, 3, 3, 0, 0, NULL, &b.Sink);
        CHECK_EQ(canvas_diff(&a, &b), 0);
        CHECK(a.Spans > 0);
    }
    canvas_free(&a);
    canvas_free(&b);
}

TEST(bad_arguments_draw_nothing) {
    CANVAS got;
    canvas_init(&got);
    const GDI_FONT *f = FontGetStock(GDI_STOCK_SYSTEM_FONT);
    uint16_t a = 'A';
    CHECK_EQ(FontDrawText(NULL, &a, 1, NULL, 0, 0, 0, 0, NULL, &got.Sink), 0);
    CHECK_EQ(FontDrawText(f, NULL, 1, NULL, 0, 0, 0, 0, NULL, &got.Sink), 0);
    CHECK_EQ(FontDrawText(f, &a, 1, NULL, 0, 0, 0, 0, NULL, NULL), 0);
    CHECK_EQ(FontDrawText(f, &a, 0, NULL, 0, 0, 0, 0, NULL, &got.Sink), 0);
    CHECK_EQ(got.Spans, 0);
    int32_t cx = 7, cy = 7;
    FontGetTextExtent(f, NULL, 3, &cx, &cy);
    CHECK(cx == 0 && cy == 0);
    FontGetTextExtent(f, NULL, 0, &cx, &cy);
    CHECK(cx == 0 && cy == f->Height);
    /* text at the edge of the coordinate space is cut there, not wrapped around */
    FontDrawText(f, &a, 1, NULL, INT32_MAX - 3, 0, 0, FONT_STYLE_UNDERLINE, NULL, &got.Sink);
    CHECK(got.Spans > 0 && got.MinX == INT32_MAX - 3 && got.MaxX == INT32_MAX - 1);
    canvas_clear(&got);
    FontDrawText(f, &a, 1, NULL, INT32_MIN + 1, INT32_MIN + 2, GDI_TA_RIGHT | GDI_TA_BOTTOM, 0, NULL,
                 &got.Sink);
    CHECK_EQ(got.Spans, 0);
    canvas_clear(&got);
    FontDrawText(f, &a, 1, NULL, INT32_MAX - 40, INT32_MAX - 40, 0, 0, NULL, &got.Sink);
    CHECK(got.Spans > 0 && got.MinX >= INT32_MAX - 40 && got.MinY >= INT32_MAX - 40);
    canvas_free(&got);
}

/* ---- metrics ---- */

TEST(textmetrics_have_win32_layout_and_values) {
    CHECK_EQ(sizeof(GDI_TEXTMETRICW), 60);
    CHECK_EQ(offsetof(GDI_TEXTMETRICW, tmItalic), 52);
    CHECK_EQ(sizeof(GDI_LOGFONTW), 92);
    for (uint32_t i = 0; i < FontGetCount(); i++) {
        const GDI_FONT *f = FontGetByIndex(i);
        GDI_TEXTMETRICW tm;
        memset(&tm, 0xCC, sizeof tm);
        FontGetTextMetrics(f, FONT_STYLE_UNDERLINE, &tm);
        CHECK(tm.tmHeight == f->Height && tm.tmAscent == f->Ascent && tm.tmDescent == f->Descent);
        CHECK_EQ(tm.tmHeight, tm.tmAscent + tm.tmDescent);
        CHECK(tm.tmInternalLeading == f->InternalLeading && tm.tmAveCharWidth == f->AveCharWidth);
        CHECK(tm.tmMaxCharWidth == f->MaxCharWidth && tm.tmWeight == f->Weight && tm.tmOverhang == 0);
        CHECK(tm.tmFirstChar == 0x20 && tm.tmLastChar == 0xFF && tm.tmBreakChar == ' ');
        CHECK(tm.tmUnderlined == 0xFF && tm.tmStruckOut == 0);
        CHECK_EQ(tm.tmItalic != 0, f->Italic != 0);
        /* Win32's inverted pitch bit: set means variable pitch */
        CHECK_EQ((tm.tmPitchAndFamily & GDI_TMPF_FIXED_PITCH) != 0, !is_fixed(f));
        CHECK_EQ(tm.tmPitchAndFamily & GDI_FAMILY_MASK, f->PitchAndFamily & GDI_FAMILY_MASK);
        CHECK_EQ(tm.tmCharSet, f->CharSet);
    }
}

/* ---- matching ---- */

TEST(match_finds_every_entry_by_its_own_description) {
    for (uint32_t i = 0; i < FontGetCount(); i++) {
        const GDI_FONT *f = FontGetByIndex(i);
        GDI_LOGFONTW lf = {0};
        lf.lfWidth = f->AveCharWidth;
        lf.lfWeight = f->Weight;
        lf.lfItalic = f->Italic;
        lf.lfCharSet = f->CharSet;
        set_face(&lf, f->FaceName);
        lf.lfHeight = f->Height; /* cell height */
        if (!CHECK(FontMatch(&lf) == f))
            printf("  +%d: %s %s got %s\n", lf.lfHeight, f->FaceName, f->Source, FontMatch(&lf)->Source);
        lf.lfHeight = -(f->Height - f->InternalLeading); /* character height */
        if (!CHECK(FontMatch(&lf) == f))
            printf("  %d: %s %s got %s\n", lf.lfHeight, f->FaceName, f->Source, FontMatch(&lf)->Source);
    }
}

static const GDI_FONT *match(const char *Face, int32_t Height, int32_t Weight, uint8_t Italic,
                             uint8_t PitchFamily, uint8_t CharSet) {
    GDI_LOGFONTW lf = {0};
    lf.lfHeight = Height;
    lf.lfWeight = Weight;
    lf.lfItalic = Italic;
    lf.lfPitchAndFamily = PitchFamily;
    lf.lfCharSet = CharSet;
    if (Face != NULL)
        set_face(&lf, Face);
    return FontMatch(&lf);
}

TEST(match_heights_prefer_the_nearest_size_not_larger) {
    /* Helvetica's regular cells: 11 13 15 17 23 29 */
    CHECK_EQ(match("Helvetica", 15, 0, 0, 0, 0)->Height, 15);
    CHECK_EQ(match("Helvetica", 16, 0, 0, 0, 0)->Height, 15);
    CHECK_EQ(match("Helvetica", 22, 0, 0, 0, 0)->Height, 17);
    CHECK_EQ(match("Helvetica", 100, 0, 0, 0, 0)->Height, 29);
    CHECK_EQ(match("Helvetica", 5, 0, 0, 0, 0)->Height, 11); /* none smaller: the smallest larger */
    /* negative: character height = cell - internal leading */
    const GDI_FONT *f = match("Helvetica", -12, 0, 0, 0, 0);
    CHECK(f->Height == 15 && f->Height - f->InternalLeading == 12);
    f = match("Times", -14, 0, 0, 0, 0);
    CHECK_EQ(f->Height - f->InternalLeading, 14);
    CHECK(ascii_equals(f->FaceName, "Times"));
    /* zero: the default, character height 12 */
    CHECK_EQ(match("Times", 0, 0, 0, 0, 0)->Height - match("Times", 0, 0, 0, 0, 0)->InternalLeading, 12);
    f = FontMatch(NULL);
    CHECK(ascii_equals(f->FaceName, "Helvetica") && f->Height == 15 && f->Weight == GDI_FW_NORMAL);
    /* an absurd height is still answered */
    CHECK_EQ(match("Courier", INT32_MIN, 0, 0, 0, 0)->Height, 24);
}

TEST(match_face_names_ignore_case_and_follow_aliases) {
    CHECK(ascii_equals(match("times", 15, 0, 0, 0, 0)->FaceName, "Times"));
    CHECK(ascii_equals(match("HELVETICA", 15, 0, 0, 0, 0)->FaceName, "Helvetica"));
    CHECK(ascii_equals(match("Times New Roman", 15, 0, 0, 0, 0)->FaceName, "Times"));
    CHECK(ascii_equals(match("tms rmn", 15, 0, 0, 0, 0)->FaceName, "Times"));
    CHECK(ascii_equals(match("Arial", 15, 0, 0, 0, 0)->FaceName, "Helvetica"));
    CHECK(ascii_equals(match("MS Sans Serif", 13, 0, 0, 0, 0)->FaceName, "Helvetica"));
    CHECK(ascii_equals(match("Courier New", 14, 0, 0, 0, 0)->FaceName, "Courier"));
    CHECK(ascii_equals(match("System", 0, 0, 0, 0, 0)->FaceName, "System"));
    CHECK(ascii_equals(match("Fixedsys", 0, 0, 0, 0, 0)->FaceName, "Fixedsys"));
    /* a prefix is not the name */
    CHECK(!ascii_equals(match("Tim", 15, 0, 0, 0, 0)->FaceName, "Times"));
    /* an unknown name falls back on the family */
    CHECK(ascii_equals(match("Garamond", 15, 0, 0, GDI_FF_ROMAN, 0)->FaceName, "Times"));
    const GDI_FONT *modern = match("Garamond", 15, 0, 0, GDI_FF_MODERN, 0);
    CHECK(is_fixed(modern) && (modern->PitchAndFamily & GDI_FAMILY_MASK) == GDI_FF_MODERN);
    CHECK(ascii_equals(match("Garamond", 14, 0, 0, GDI_FF_MODERN, 0)->FaceName, "Courier"));
    CHECK(ascii_equals(match(NULL, 15, 0, 0, GDI_FF_ROMAN, 0)->FaceName, "Times"));
    CHECK(ascii_equals(match(NULL, 15, 0, 0, GDI_FF_SWISS, 0)->FaceName, "Helvetica"));
    /* a full 32-character name with no NUL is read to its end, not past it */
    GDI_LOGFONTW lf = {0};
    for (uint32_t k = 0; k < GDI_LF_FACESIZE; k++)
        lf.lfFaceName[k] = 'X';
    lf.lfHeight = 15;
    CHECK(FontMatch(&lf) != NULL);
}

TEST(match_fixed_pitch_wins_over_the_face_name) {
    const GDI_FONT *f = match("Helvetica", 15, 0, 0, GDI_FIXED_PITCH, 0);
    CHECK(is_fixed(f));
    f = match(NULL, 13, 0, 0, GDI_FIXED_PITCH, 0);
    CHECK(is_fixed(f) && f->Height <= 13);
    f = match(NULL, 15, 0, 0, GDI_FF_MODERN, 0);
    CHECK(is_fixed(f));
    f = match("Courier", 14, 0, 0, GDI_VARIABLE_PITCH, 0); /* the name outranks VARIABLE_PITCH */
    CHECK(ascii_equals(f->FaceName, "Courier"));
    f = match(NULL, 15, 0, 0, GDI_VARIABLE_PITCH | GDI_FF_MODERN, 0); /* the family outranks it too */
    CHECK(is_fixed(f));
    f = match(NULL, 15, 0, 0, GDI_VARIABLE_PITCH, 0);
    CHECK(!is_fixed(f));
}

TEST(match_weight_and_italic) {
    const GDI_FONT *f = match("Helvetica", 15, GDI_FW_BOLD, 0, 0, 0);
    CHECK(f->Weight == GDI_FW_BOLD && f->Height == 15 && !f->Italic);
    f = match("Helvetica", 15, 800, 0, 0, 0); /* nearest weight */
    CHECK_EQ(f->Weight, GDI_FW_BOLD);
    f = match("Helvetica", 15, 300, 0, 0, 0);
    CHECK_EQ(f->Weight, GDI_FW_NORMAL);
    f = match("Helvetica", 15, 0, 1, 0, 0);
    CHECK(f->Italic && f->Height == 15);
    f = match("Times", 15, 0, 1, 0, 0);
    CHECK(f->Italic && ascii_equals(f->FaceName, "Times"));
    /* the height outranks italics: no 23-pixel italic, so an upright one */
    f = match("Times", 21, 0, 1, 0, 0);
    CHECK(!f->Italic && f->Height == 21);
}

TEST(match_charset_keeps_terminal_for_oem_requests) {
    const GDI_FONT *f = match("Terminal", 16, 0, 0, 0, GDI_OEM_CHARSET);
    CHECK(ascii_equals(f->FaceName, "Terminal"));
    f = match("Terminal", 16, 0, 0, 0, GDI_ANSI_CHARSET);
    CHECK(f->CharSet == GDI_ANSI_CHARSET && !ascii_equals(f->FaceName, "Terminal"));
    f = match("Terminal", 16, 0, 0, 0, GDI_DEFAULT_CHARSET);
    CHECK(ascii_equals(f->FaceName, "Terminal"));
    f = match(NULL, 0, 0, 0, 0, GDI_OEM_CHARSET);
    CHECK(ascii_equals(f->FaceName, "Terminal"));
}

TEST(stock_fonts_stand_in_for_nt_ones) {
    const GDI_FONT *sys = FontGetStock(GDI_STOCK_SYSTEM_FONT);
    CHECK(sys != NULL && ascii_equals(sys->FaceName, "System"));
    CHECK(sys->Weight == GDI_FW_BOLD && !is_fixed(sys) && sys->Height >= 15 && sys->Height <= 17);
    CHECK((sys->PitchAndFamily & GDI_FAMILY_MASK) == GDI_FF_SWISS);
    CHECK(FontGetStock(GDI_STOCK_DEVICE_DEFAULT_FONT) == sys);
    const GDI_FONT *sysfixed = FontGetStock(GDI_STOCK_SYSTEM_FIXED_FONT);
    CHECK(sysfixed != NULL && is_fixed(sysfixed) && ascii_equals(sysfixed->FaceName, "Fixedsys"));
    const GDI_FONT *var = FontGetStock(GDI_STOCK_ANSI_VAR_FONT);
    CHECK(var != NULL && !is_fixed(var) && var->Height == 13 && var->Weight == GDI_FW_NORMAL);
    const GDI_FONT *ansifixed = FontGetStock(GDI_STOCK_ANSI_FIXED_FONT);
    CHECK(ansifixed != NULL && is_fixed(ansifixed) && ascii_equals(ansifixed->FaceName, "Courier"));
    const GDI_FONT *oem = FontGetStock(GDI_STOCK_OEM_FIXED_FONT);
    CHECK(oem != NULL && ascii_equals(oem->FaceName, "Terminal") && oem->CharSet == GDI_OEM_CHARSET);
    CHECK(oem->Height == 16 && oem->AveCharWidth == 8 && is_fixed(oem));
    CHECK(FontGetStock(0) == NULL && FontGetStock(15) == NULL && FontGetStock(GDI_STOCK_FONT_LIMIT) == NULL);
    CHECK(FontGetStock(0xFFFFFFFFu) == NULL);
    /* a stock font's own LOGFONT maps back to it */
    CHECK(match("System", sys->Height, sys->Weight, 0, 0, 0) == sys);
    CHECK(match("Terminal", oem->Height, 0, 0, 0, GDI_OEM_CHARSET) == oem);
}

/* ---- DrawText, on the 6x13 fixed face so every position is hand-computed ---- */

#define MAX_ITEMS 32

typedef struct _ITEMS {
    FONT_DT_SINK Sink; /* first */
    uint32_t Count;
    FONT_DT_ITEM Item[MAX_ITEMS];
    char Text[MAX_ITEMS][64]; /* each text item as ASCII; "_" for an underline */
} ITEMS;

static void items_add(FONT_DT_SINK *Sink, const FONT_DT_ITEM *Item) {
    ITEMS *it = (ITEMS *)Sink;
    if (it->Count >= MAX_ITEMS)
        return;
    it->Item[it->Count] = *Item;
    char *s = it->Text[it->Count];
    if (Item->Text == NULL) {
        strcpy(s, "_");
    } else {
        uint32_t k = 0;
        for (; k < Item->Count && k < 63; k++)
            s[k] = (char)Item->Text[k];
        s[k] = 0;
    }
    it->Count++;
}

static int32_t layout(const char *Text, GDI_RECT *Rect, uint32_t Format, ITEMS *Items) {
    static uint16_t wide[256];
    uint32_t n = widen(Text, wide, 256);
    memset(Items, 0, sizeof *Items);
    Items->Sink.Item = items_add;
    return FontDrawTextLayout(fixed_6x13(), wide, (int32_t)n, Rect, Format, &Items->Sink);
}

static int item_is(const ITEMS *it, uint32_t K, const char *Text, int32_t X, int32_t Y, int32_t Width) {
    if (K >= it->Count) {
        printf("  no item %u\n", K);
        return 0;
    }
    const FONT_DT_ITEM *i = &it->Item[K];
    int ok = strcmp(it->Text[K], Text) == 0 && i->X == X && i->Y == Y && i->Width == Width;
    if (!ok)
        printf("  item %u: \"%s\" at (%d,%d) w %d; expected \"%s\" at (%d,%d) w %d\n", K, it->Text[K], i->X,
               i->Y, i->Width, Text, X, Y, Width);
    return ok;
}

TEST(drawtext_fixed_face_is_6x13) {
    const GDI_FONT *f = fixed_6x13();
    CHECK(ascii_equals(f->FaceName, "Fixed") && f->Height == 13 && f->AveCharWidth == 6 && is_fixed(f));
}

TEST(drawtext_wordbreak_left_center_right) {
    ITEMS it;
    GDI_RECT r = {10, 20, 70, 200}; /* 60 wide: ten characters */
    CHECK_EQ(layout("hello world foo", &r, GDI_DT_WORDBREAK, &it), 26);
    CHECK_EQ(it.Count, 2);
    CHECK(item_is(&it, 0, "hello", 10, 20, 30));
    CHECK(item_is(&it, 1, "world foo", 10, 33, 54));
    CHECK_EQ(layout("hello world foo", &r, GDI_DT_WORDBREAK | GDI_DT_CENTER, &it), 26);
    CHECK(item_is(&it, 0, "hello", 25, 20, 30));
    CHECK(item_is(&it, 1, "world foo", 13, 33, 54));
    CHECK_EQ(layout("hello world foo", &r, GDI_DT_WORDBREAK | GDI_DT_RIGHT, &it), 26);
    CHECK(item_is(&it, 0, "hello", 40, 20, 30));
    CHECK(item_is(&it, 1, "world foo", 16, 33, 54));
    /* a line that fits exactly is not broken; blanks at a break vanish */
    CHECK_EQ(layout("abcde fghi   jk", &r, GDI_DT_WORDBREAK, &it), 26);
    CHECK(item_is(&it, 0, "abcde fghi", 10, 20, 60));
    CHECK(item_is(&it, 1, "jk", 10, 33, 12));
    /* unchanged rectangle when drawing */
    CHECK(r.left == 10 && r.top == 20 && r.right == 70 && r.bottom == 200);
}

TEST(drawtext_calcrect) {
    ITEMS it;
    GDI_RECT r = {10, 20, 70, 200};
    CHECK_EQ(layout("hello world foo", &r, GDI_DT_WORDBREAK | GDI_DT_CALCRECT, &it), 26);
    CHECK_EQ(it.Count, 0);
    CHECK(r.left == 10 && r.top == 20 && r.right == 64 && r.bottom == 46);
    /* a word wider than the rectangle widens it; it is not broken */
    GDI_RECT w = {0, 0, 30, 0};
    CHECK_EQ(layout("abcdefghijklm xy", &w, GDI_DT_WORDBREAK | GDI_DT_CALCRECT, &it), 26);
    CHECK(w.right == 78 && w.bottom == 26);
    /* one line: the right edge bounds its last character */
    GDI_RECT s = {5, 5, 500, 6};
    CHECK_EQ(layout("Cancel", &s, GDI_DT_SINGLELINE | GDI_DT_CALCRECT, &it), 13);
    CHECK(s.left == 5 && s.right == 41 && s.bottom == 18);
    /* empty text: an empty rectangle and height 0 */
    GDI_RECT e = {5, 5, 50, 50};
    CHECK_EQ(layout("", &e, GDI_DT_CALCRECT, &it), 0);
    CHECK(e.right == 5 && e.bottom == 5);
}

TEST(drawtext_line_breaks) {
    ITEMS it;
    GDI_RECT r = {0, 0, 100, 100};
    CHECK_EQ(layout("a\r\nbb\nccc\rd", &r, 0, &it), 52);
    CHECK_EQ(it.Count, 4);
    CHECK(item_is(&it, 0, "a", 0, 0, 6) && item_is(&it, 1, "bb", 0, 13, 12));
    CHECK(item_is(&it, 2, "ccc", 0, 26, 18) && item_is(&it, 3, "d", 0, 39, 6));
    GDI_RECT c = r;
    CHECK_EQ(layout("a\r\nbb\nccc\rd", &c, GDI_DT_CALCRECT, &it), 52);
    CHECK(c.right == 18 && c.bottom == 52);
    /* a blank line counts, a final line break starts no line */
    CHECK_EQ(layout("a\n\nb\n", &r, 0, &it), 39);
    CHECK_EQ(it.Count, 2);
    CHECK(item_is(&it, 1, "b", 0, 26, 6));
    /* without DT_WORDBREAK long lines are not wrapped */
    GDI_RECT narrow = {0, 0, 12, 100};
    CHECK_EQ(layout("long line here", &narrow, 0, &it), 13);
    CHECK(item_is(&it, 0, "long line here", 0, 0, 84));
    /* DT_SINGLELINE draws CR and LF as characters */
    CHECK_EQ(layout("a\nb", &r, GDI_DT_SINGLELINE, &it), 13);
    CHECK(it.Count == 1 && it.Item[0].Count == 3 && it.Item[0].Width == 18);
}

TEST(drawtext_single_line_vertical_placement) {
    ITEMS it;
    GDI_RECT r = {0, 100, 100, 133};
    CHECK_EQ(layout("hi", &r, GDI_DT_SINGLELINE | GDI_DT_VCENTER | GDI_DT_CENTER, &it), 23);
    CHECK(item_is(&it, 0, "hi", 44, 110, 12));
    CHECK_EQ(layout("hi", &r, GDI_DT_SINGLELINE | GDI_DT_BOTTOM | GDI_DT_RIGHT, &it), 33);
    CHECK(item_is(&it, 0, "hi", 88, 120, 12));
    /* without DT_SINGLELINE, DT_VCENTER is ignored */
    CHECK_EQ(layout("hi", &r, GDI_DT_VCENTER, &it), 13);
    CHECK(item_is(&it, 0, "hi", 0, 100, 12));
}

TEST(drawtext_prefix_underlines_and_nopefix) {
    ITEMS it;
    GDI_RECT r = {0, 0, 200, 100};
    const GDI_FONT *f = fixed_6x13();
    CHECK_EQ(layout("&File", &r, 0, &it), 13);
    CHECK_EQ(it.Count, 2);
    CHECK(item_is(&it, 0, "_", 0, underline_row(f), 6));
    CHECK(item_is(&it, 1, "File", 0, 0, 24));
    CHECK_EQ(layout("Save &As", &r, 0, &it), 13);
    CHECK(item_is(&it, 0, "Save ", 0, 0, 30) && item_is(&it, 1, "_", 30, underline_row(f), 6));
    CHECK(item_is(&it, 2, "As", 30, 0, 12));
    /* && is one '&', drawn from the second */
    CHECK_EQ(layout("a&&b", &r, 0, &it), 13);
    CHECK_EQ(it.Count, 2);
    CHECK(item_is(&it, 0, "a", 0, 0, 6) && item_is(&it, 1, "&b", 6, 0, 12));
    /* a trailing & draws nothing */
    CHECK_EQ(layout("ab&", &r, 0, &it), 13);
    CHECK(it.Count == 1 && item_is(&it, 0, "ab", 0, 0, 12));
    /* DT_NOPREFIX draws & like any character */
    CHECK_EQ(layout("&File", &r, GDI_DT_NOPREFIX, &it), 13);
    CHECK(it.Count == 1 && item_is(&it, 0, "&File", 0, 0, 30));
    /* the prefix is not measured */
    GDI_RECT c = r;
    layout("E&xit", &c, GDI_DT_CALCRECT | GDI_DT_SINGLELINE, &it);
    CHECK_EQ(c.right, 24);
}

TEST(drawtext_expands_tabs) {
    ITEMS it;
    GDI_RECT r = {0, 0, 300, 100};
    CHECK_EQ(layout("a\tb", &r, GDI_DT_EXPANDTABS, &it), 13);
    CHECK(it.Count == 2 && item_is(&it, 0, "a", 0, 0, 6) && item_is(&it, 1, "b", 48, 0, 6));
    CHECK_EQ(layout("abcdefgh\tb", &r, GDI_DT_EXPANDTABS, &it), 13); /* at a stop: to the next one */
    CHECK(item_is(&it, 1, "b", 96, 0, 6));
    GDI_RECT c = r;
    layout("a\tb", &c, GDI_DT_EXPANDTABS | GDI_DT_CALCRECT, &it);
    CHECK_EQ(c.right, 54);
    /* DT_TABSTOP: tab size in bits 8-15 */
    CHECK_EQ(layout("a\tb", &r, GDI_DT_EXPANDTABS | GDI_DT_TABSTOP | (4u << 8), &it), 13);
    CHECK(item_is(&it, 1, "b", 24, 0, 6));
    /* without DT_EXPANDTABS a tab is a character */
    CHECK_EQ(layout("a\tb", &r, 0, &it), 13);
    CHECK(it.Count == 1 && it.Item[0].Count == 3);
}

TEST(drawtext_end_ellipsis) {
    ITEMS it;
    GDI_RECT r = {0, 0, 40, 13};
    CHECK_EQ(layout("abcdefghij", &r, GDI_DT_SINGLELINE | GDI_DT_END_ELLIPSIS, &it), 13);
    CHECK_EQ(it.Count, 2);
    CHECK(item_is(&it, 0, "abc", 0, 0, 18) && item_is(&it, 1, "...", 18, 0, 18));
    /* text that fits is untouched */
    CHECK_EQ(layout("abcdef", &r, GDI_DT_SINGLELINE | GDI_DT_END_ELLIPSIS, &it), 13);
    CHECK(it.Count == 1 && item_is(&it, 0, "abcdef", 0, 0, 36));
    GDI_RECT c = r;
    layout("abcdefghij", &c, GDI_DT_SINGLELINE | GDI_DT_END_ELLIPSIS | GDI_DT_CALCRECT, &it);
    CHECK_EQ(c.right, 36);
}

TEST(drawtext_nul_terminated_and_bad_arguments) {
    uint16_t text[8];
    widen("ab cd", text, 8);
    GDI_RECT r = {0, 0, 100, 100};
    CHECK_EQ(FontDrawTextLayout(fixed_6x13(), text, -1, &r, GDI_DT_CALCRECT, NULL), 13);
    CHECK_EQ(r.right, 30);
    CHECK_EQ(FontDrawTextLayout(NULL, text, -1, &r, 0, NULL), 0);
    CHECK_EQ(FontDrawTextLayout(fixed_6x13(), NULL, 3, &r, 0, NULL), 0);
    CHECK_EQ(FontDrawTextLayout(fixed_6x13(), text, 3, NULL, 0, NULL), 0);
    /* drawing with no sink still returns the height */
    CHECK_EQ(FontDrawTextLayout(fixed_6x13(), text, 5, &r, 0, NULL), 13);
    /* a rectangle of negative width breaks every word */
    GDI_RECT neg = {50, 0, 10, 0};
    CHECK_EQ(FontDrawTextLayout(fixed_6x13(), text, 5, &neg, GDI_DT_WORDBREAK | GDI_DT_CALCRECT, NULL), 26);
}

/* A proportional face: DrawText's items measure what TextOut draws. */
TEST(drawtext_items_measure_like_textout) {
    ITEMS it;
    memset(&it, 0, sizeof it);
    it.Sink.Item = items_add;
    const GDI_FONT *f = FontGetStock(GDI_STOCK_SYSTEM_FONT);
    uint16_t text[64];
    uint32_t n = widen("The &quick brown fox\tjumps over the lazy dog", text, 64);
    GDI_RECT r = {0, 0, 90, 0};
    int32_t h = FontDrawTextLayout(f, text, (int32_t)n, &r, GDI_DT_WORDBREAK | GDI_DT_EXPANDTABS, &it.Sink);
    CHECK(h > f->Height && h % f->Height == 0);
    for (uint32_t k = 0; k < it.Count; k++) {
        const FONT_DT_ITEM *i = &it.Item[k];
        if (i->Text == NULL)
            continue;
        int32_t cx;
        FontGetTextExtent(f, i->Text, i->Count, &cx, NULL);
        CHECK_EQ(i->Width, cx);
        CHECK(i->Text >= text && i->Text + i->Count <= text + n);
        CHECK(i->X >= 0 && (i->X + i->Width <= 90 || i->X == 0));
    }
}

int main(void) {
    RUN(table_metrics_are_consistent);
    RUN(table_has_the_promised_faces);
    RUN(every_face_draws_its_extent_between_ascent_and_descent);
    RUN(every_glyph_stays_in_its_cell);
    RUN(alignment_moves_the_text_and_nothing_else);
    RUN(lpdx_places_each_cell);
    RUN(overlapping_cells_send_each_pixel_once);
    RUN(clip_rectangle_cuts_spans);
    RUN(underline_and_strikeout_run_the_whole_advance);
    RUN(characters_outside_the_face_draw_the_default_char);
    RUN(bad_arguments_draw_nothing);
    RUN(textmetrics_have_win32_layout_and_values);
    RUN(match_finds_every_entry_by_its_own_description);
    RUN(match_heights_prefer_the_nearest_size_not_larger);
    RUN(match_face_names_ignore_case_and_follow_aliases);
    RUN(match_fixed_pitch_wins_over_the_face_name);
    RUN(match_weight_and_italic);
    RUN(match_charset_keeps_terminal_for_oem_requests);
    RUN(stock_fonts_stand_in_for_nt_ones);
    RUN(drawtext_fixed_face_is_6x13);
    RUN(drawtext_wordbreak_left_center_right);
    RUN(drawtext_calcrect);
    RUN(drawtext_line_breaks);
    RUN(drawtext_single_line_vertical_placement);
    RUN(drawtext_prefix_underlines_and_nopefix);
    RUN(drawtext_expands_tabs);
    RUN(drawtext_end_ellipsis);
    RUN(drawtext_nul_terminated_and_bad_arguments);
    RUN(drawtext_items_measure_like_textout);
    return UtFinish();
}
