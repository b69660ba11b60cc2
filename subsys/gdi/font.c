/*
 * font.c - face matching, text metrics, TextOut rendering and DrawText
 * layout over the generated bitmap face table (build/gen/gdifonts.c).
 *
 * Why: text is the one GDI operation every window does, so it is kept as
 * simple as Windows' raster fonts allow. The face table (tools/gdifonts.py)
 * already has Windows' cell shape - ink inside an advance-wide, font-tall
 * cell - so the metrics here are table look-ups and sums, and rendering
 * is a copy of ink bits. Three design choices:
 *
 *   - Matching scores every entry on a fixed list of criteria compared in
 *     order (lexicographically) rather than with Windows' weighted
 *     penalty sums: the order is the mapper's documented priority order,
 *     and a reader can see at once why one entry beat another.
 *   - Rendering goes row by row over the whole string into a small bit
 *     window, so spans come out merged across glyphs and never overlap,
 *     whatever lpDx does to the cells (R2_XORPEN needs each pixel once).
 *   - DrawText does not copy or rewrite the caller's string: a line is cut
 *     into items that are slices of it (a '&' prefix or an expanded tab
 *     ends a slice), plus underline and "..." items. The API layer draws
 *     items; it never has to know about prefixes or tab stops.
 *
 * Integer only, no allocation, no library calls; 64-bit sums are added
 * and compared, never divided, so no libgcc helper is needed.
 */
#include "font.h"

#include "gdifonts.h"

#define FONT_DEFAULT_CHAR_HEIGHT 12 /* what lfHeight == 0 asks for */
#define FONT_DEFAULT_TAB_CHARS 8
#define FONT_DIGITIZED_ASPECT 96 /* the logical resolution the faces are used at */
#define FONT_WINDOW_WORDS 32     /* the row window: 32 x 32 = 1024 pixels */
#define FONT_WINDOW_PIXELS (FONT_WINDOW_WORDS * 32)
#define FONT_NONE 0xFFFFFFFFu

/* ---- small helpers ---- */

static int32_t clamp32(int64_t Value) {
    if (Value > INT32_MAX)
        return INT32_MAX;
    if (Value < INT32_MIN)
        return INT32_MIN;
    return (int32_t)Value;
}

static int32_t add_sat(int32_t A, int32_t B) {
    return clamp32((int64_t)A + B);
}

/* A non-negative distance as a match score, saturating below bit 31. */
static uint32_t score_distance(int64_t Distance) {
    if (Distance < 0)
        Distance = -Distance;
    return Distance > 0x7FFFFFFF ? 0x7FFFFFFFu : (uint32_t)Distance;
}

static uint16_t ascii_upper(uint16_t Char) {
    return (Char >= 'a' && Char <= 'z') ? (uint16_t)(Char - 32) : Char;
}

/* TRUE when the Length code units at Wide equal the ASCII string Ascii,
 * ignoring ASCII case. */
static int name_equals(const uint16_t *Wide, uint32_t Length, const char *Ascii) {
    uint32_t i = 0;
    for (; i < Length; i++) {
        if (Ascii[i] == '\0' || ascii_upper(Wide[i]) != ascii_upper((uint8_t)Ascii[i]))
            return 0;
    }
    return Ascii[i] == '\0';
}

static int ascii_equals(const char *A, const char *B) {
    for (; *A != '\0' && *B != '\0'; A++, B++) {
        if (ascii_upper((uint8_t)*A) != ascii_upper((uint8_t)*B))
            return 0;
    }
    return *A == *B;
}

/* ---- the table ---- */

uint32_t FontGetCount(void) {
    return GDI_FONT_COUNT;
}

const GDI_FONT *FontGetByIndex(uint32_t Index) {
    return Index < GDI_FONT_COUNT ? &GdiFontTable[Index] : NULL;
}

const GDI_FONT *FontGetStock(uint32_t Index) {
    if (Index >= GDI_STOCK_FONT_LIMIT || GdiFontStockIndex[Index] < 0)
        return NULL;
    return &GdiFontTable[GdiFontStockIndex[Index]];
}

/* ---- matching ---- */

/* Windows face names with no face of their own, and the face standing in
 * for each (what the FontSubstitutes registry key does on NT). */
static const struct {
    const char *Alias;
    const char *Face;
} FontAliases[] = {
    {"MS Sans Serif", "Helvetica"}, {"MS Shell Dlg", "Helvetica"}, {"Helv", "Helvetica"},
    {"Arial", "Helvetica"},         {"Small Fonts", "Helvetica"},  {"MS Serif", "Times"},
    {"Tms Rmn", "Times"},           {"Times New Roman", "Times"},  {"Roman", "Times"},
    {"Courier New", "Courier"},
};

/* The criteria FontMatch compares, most important first; lower is better. */
enum {
    MATCH_CHARSET,        /* a specific character set asked for and not had */
    MATCH_FIXED_PITCH,    /* FIXED_PITCH asked for, the face is variable */
    MATCH_FACE_NAME,      /* a face name asked for and not had */
    MATCH_FAMILY,         /* a family asked for and not had */
    MATCH_HEIGHT,         /* pixels smaller, or bit 31 + pixels larger */
    MATCH_VARIABLE_PITCH, /* VARIABLE_PITCH asked for, the face is fixed */
    MATCH_WIDTH,          /* distance from lfWidth, when given */
    MATCH_WEIGHT,         /* distance from lfWeight (400 when 0) */
    MATCH_ITALIC,         /* italics differ */
    MATCH_CRITERIA
};

const GDI_FONT *FontMatch(const GDI_LOGFONTW *Request) {
    static const GDI_LOGFONTW DefaultRequest; /* all zero: default everything */
    if (Request == NULL)
        Request = &DefaultRequest;

    uint32_t name_length = 0;
    while (name_length < GDI_LF_FACESIZE && Request->lfFaceName[name_length] != 0)
        name_length++;
    const char *alias_face = NULL;
    for (uint32_t i = 0; i < ARRAYSIZE(FontAliases) && name_length != 0; i++) {
        if (name_equals(Request->lfFaceName, name_length, FontAliases[i].Alias)) {
            alias_face = FontAliases[i].Face;
            break;
        }
    }

    int64_t want_height = Request->lfHeight;
    int character_height = want_height <= 0;
    if (want_height == 0)
        want_height = FONT_DEFAULT_CHAR_HEIGHT;
    else if (want_height < 0)
        want_height = -want_height;
    int64_t want_weight = Request->lfWeight <= 0 ? GDI_FW_NORMAL : Request->lfWeight;
    int64_t want_width = Request->lfWidth < 0 ? -(int64_t)Request->lfWidth : Request->lfWidth;
    if (want_weight > 1000)
        want_weight = 1000;
    uint32_t pitch = Request->lfPitchAndFamily & GDI_PITCH_MASK;
    uint32_t family = Request->lfPitchAndFamily & GDI_FAMILY_MASK;

    const GDI_FONT *best = &GdiFontTable[0];
    uint32_t best_score[MATCH_CRITERIA] = {0};
    for (uint32_t i = 0; i < GDI_FONT_COUNT; i++) {
        const GDI_FONT *f = &GdiFontTable[i];
        uint32_t score[MATCH_CRITERIA];
        int fixed = (f->PitchAndFamily & GDI_PITCH_MASK) == GDI_FIXED_PITCH;

        score[MATCH_CHARSET] = Request->lfCharSet != GDI_DEFAULT_CHARSET && Request->lfCharSet != f->CharSet;
        score[MATCH_FIXED_PITCH] = pitch == GDI_FIXED_PITCH && !fixed;
        if (name_length == 0)
            score[MATCH_FACE_NAME] = 0;
        else if (alias_face != NULL)
            score[MATCH_FACE_NAME] = !ascii_equals(alias_face, f->FaceName);
        else
            score[MATCH_FACE_NAME] = !name_equals(Request->lfFaceName, name_length, f->FaceName);
        score[MATCH_FAMILY] = family != GDI_FF_DONTCARE && family != (f->PitchAndFamily & GDI_FAMILY_MASK);
        int64_t have_height = character_height ? f->Height - f->InternalLeading : f->Height;
        int64_t delta = want_height - have_height;
        score[MATCH_HEIGHT] = delta >= 0 ? score_distance(delta) : 0x80000000u + score_distance(delta);
        score[MATCH_VARIABLE_PITCH] = pitch == GDI_VARIABLE_PITCH && fixed;
        score[MATCH_WIDTH] = want_width == 0 ? 0 : score_distance(want_width - f->AveCharWidth);
        score[MATCH_WEIGHT] = score_distance(want_weight - f->Weight);
        score[MATCH_ITALIC] = (Request->lfItalic != 0) != (f->Italic != 0);

        int better = i == 0;
        for (uint32_t c = 0; c < MATCH_CRITERIA && !better; c++) {
            if (score[c] != best_score[c]) {
                better = score[c] < best_score[c];
                break;
            }
        }
        if (better) {
            best = f;
            for (uint32_t c = 0; c < MATCH_CRITERIA; c++)
                best_score[c] = score[c];
        }
    }
    return best;
}

/* ---- metrics ---- */

void FontGetTextMetrics(const GDI_FONT *Font, uint32_t Style, GDI_TEXTMETRICW *Metrics) {
    if (Font == NULL || Metrics == NULL)
        return;
    Metrics->tmHeight = Font->Height;
    Metrics->tmAscent = Font->Ascent;
    Metrics->tmDescent = Font->Descent;
    Metrics->tmInternalLeading = Font->InternalLeading;
    Metrics->tmExternalLeading = Font->ExternalLeading;
    Metrics->tmAveCharWidth = Font->AveCharWidth;
    Metrics->tmMaxCharWidth = Font->MaxCharWidth;
    Metrics->tmWeight = Font->Weight;
    Metrics->tmOverhang = 0; /* nothing is synthesized */
    Metrics->tmDigitizedAspectX = FONT_DIGITIZED_ASPECT;
    Metrics->tmDigitizedAspectY = FONT_DIGITIZED_ASPECT;
    Metrics->tmFirstChar = Font->FirstChar;
    Metrics->tmLastChar = Font->LastChar;
    Metrics->tmDefaultChar = Font->DefaultChar;
    Metrics->tmBreakChar = Font->BreakChar;
    Metrics->tmItalic = Font->Italic ? 0xFF : 0;
    Metrics->tmUnderlined = (Style & FONT_STYLE_UNDERLINE) ? 0xFF : 0;
    Metrics->tmStruckOut = (Style & FONT_STYLE_STRIKEOUT) ? 0xFF : 0;
    /* A raster font: no TMPF_VECTOR or TMPF_TRUETYPE; the pitch bit is set
     * for a variable-pitch font (Win32's inverted sense). */
    Metrics->tmPitchAndFamily =
        (uint8_t)((Font->PitchAndFamily & GDI_FAMILY_MASK) |
                  ((Font->PitchAndFamily & GDI_PITCH_MASK) == GDI_FIXED_PITCH ? 0 : GDI_TMPF_FIXED_PITCH));
    Metrics->tmCharSet = Font->CharSet;
}

const GDI_GLYPH *FontGetGlyph(const GDI_FONT *Font, uint16_t Char) {
    if (Char < Font->FirstChar || Char > Font->LastChar)
        Char = Font->DefaultChar;
    return &Font->Glyphs[Char - Font->FirstChar];
}

int32_t FontGetCharWidth(const GDI_FONT *Font, uint16_t Char) {
    return Font == NULL ? 0 : FontGetGlyph(Font, Char)->Advance;
}

void FontGetTextExtent(const GDI_FONT *Font, const uint16_t *Text, uint32_t Count, int32_t *Cx, int32_t *Cy) {
    int64_t width = 0;
    int32_t height = 0;
    if (Font != NULL && (Text != NULL || Count == 0)) {
        for (uint32_t i = 0; i < Count && width <= INT32_MAX; i++)
            width += FontGetGlyph(Font, Text[i])->Advance;
        height = Font->Height;
    }
    if (Cx != NULL)
        *Cx = clamp32(width);
    if (Cy != NULL)
        *Cy = height;
}

/* ---- TextOut / ExtTextOut ---- */

/* The string's total advance: the sum of lpDx, or of the glyph advances. */
static int64_t text_advance(const GDI_FONT *Font, const uint16_t *Text, uint32_t Count, const int32_t *Dx) {
    int64_t width = 0;
    for (uint32_t i = 0; i < Count; i++)
        width += Dx != NULL ? Dx[i] : FontGetGlyph(Font, Text[i])->Advance;
    return width;
}

/* The top-left of the first cell for reference point (X, Y), alignment
 * Align and total advance Width. */
static void text_origin(const GDI_FONT *Font, int64_t Width, int32_t X, int32_t Y, uint32_t Align,
                        int64_t *Left, int64_t *Top) {
    uint32_t horizontal = Align & GDI_TA_HORZ_MASK;
    if (horizontal == GDI_TA_CENTER)
        *Left = X - Width / 2;
    else if (horizontal == GDI_TA_RIGHT)
        *Left = X - Width;
    else
        *Left = X;
    uint32_t vertical = Align & GDI_TA_VERT_MASK;
    if (vertical == GDI_TA_BASELINE)
        *Top = (int64_t)Y - Font->Ascent;
    else if (vertical == GDI_TA_BOTTOM)
        *Top = (int64_t)Y - Font->Height;
    else
        *Top = Y;
}

int32_t FontTextBox(const GDI_FONT *Font, const uint16_t *Text, uint32_t Count, const int32_t *Dx, int32_t X,
                    int32_t Y, uint32_t Align, GDI_RECT *Box) {
    if (Font == NULL || (Text == NULL && Count != 0)) {
        if (Box != NULL)
            Box->left = Box->top = Box->right = Box->bottom = 0;
        return 0;
    }
    int64_t width = text_advance(Font, Text, Count, Dx);
    int64_t left, top;
    text_origin(Font, width, X, Y, Align, &left, &top);
    if (Box != NULL) {
        Box->left = clamp32(width >= 0 ? left : left + width);
        Box->right = clamp32(width >= 0 ? left + width : left);
        Box->top = clamp32(top);
        Box->bottom = clamp32(top + Font->Height);
    }
    return clamp32(width);
}

/* The cell row the underline of a font goes on, and the strikeout's. */
static int32_t underline_row(const GDI_FONT *Font) {
    return Font->Ascent + 1 < Font->Height ? Font->Ascent + 1 : Font->Height - 1;
}

static int32_t strikeout_row(const GDI_FONT *Font) {
    int32_t row = Font->Ascent - (Font->Height - Font->InternalLeading) / 3;
    return row < 0 ? 0 : row;
}

/* Sets pixels [X0, X1) of a row window that starts at Base. */
static void window_fill(uint32_t *Window, int64_t Base, int64_t X0, int64_t X1) {
    if (X0 < Base)
        X0 = Base;
    if (X1 > Base + FONT_WINDOW_PIXELS)
        X1 = Base + FONT_WINDOW_PIXELS;
    for (int64_t x = X0; x < X1; x++) {
        uint32_t bit = (uint32_t)(x - Base);
        Window[bit >> 5] |= 1u << (bit & 31);
    }
}

/* A span under construction: kept open across windows so a run that
 * crosses a window boundary is sent as one span. */
typedef struct _OPEN_SPAN {
    int32_t Open;
    int32_t Y;
    int64_t X0, X1;
} OPEN_SPAN;

static void span_flush(OPEN_SPAN *Run, GDI_SPAN_SINK *Sink) {
    if (Run->Open)
        Sink->Span(Sink, Run->Y, clamp32(Run->X0), clamp32(Run->X1));
    Run->Open = 0;
}

static void span_add(OPEN_SPAN *Run, int32_t Y, int64_t X0, int64_t X1, GDI_SPAN_SINK *Sink) {
    if (Run->Open && Run->X1 == X0) {
        Run->X1 = X1;
        return;
    }
    span_flush(Run, Sink);
    Run->Open = 1;
    Run->Y = Y;
    Run->X0 = X0;
    Run->X1 = X1;
}

/* Sends the set runs of Window (pixels [0, Pixels) from Base) to Run. */
static void window_emit(const uint32_t *Window, int64_t Base, uint32_t Pixels, int32_t Y, OPEN_SPAN *Run,
                        GDI_SPAN_SINK *Sink) {
    uint32_t x = 0;
    while (x < Pixels) {
        if (Window[x >> 5] == 0 && (x & 31) == 0) {
            x += 32;
            continue;
        }
        if (!(Window[x >> 5] >> (x & 31) & 1)) {
            x++;
            continue;
        }
        uint32_t start = x;
        while (x < Pixels && (Window[x >> 5] >> (x & 31) & 1))
            x++;
        span_add(Run, Y, Base + start, Base + x, Sink);
    }
}

int32_t FontDrawText(const GDI_FONT *Font, const uint16_t *Text, uint32_t Count, const int32_t *Dx, int32_t X,
                     int32_t Y, uint32_t Align, uint32_t Style, const GDI_RECT *Clip, GDI_SPAN_SINK *Sink) {
    if (Font == NULL || Sink == NULL || Sink->Span == NULL || (Text == NULL && Count != 0))
        return 0;
    int64_t width = text_advance(Font, Text, Count, Dx);
    int64_t left, top;
    text_origin(Font, width, X, Y, Align, &left, &top);

    /* What can have ink: the union of the cells, and the advance box when
     * a line runs along it. */
    int64_t box_left = width >= 0 ? left : left + width;
    int64_t box_right = width >= 0 ? left + width : left;
    int64_t x0 = INT64_MAX, x1 = INT64_MIN, pen = left;
    for (uint32_t i = 0; i < Count; i++) {
        const GDI_GLYPH *g = FontGetGlyph(Font, Text[i]);
        if (g->InkWidth != 0) {
            x0 = pen + g->InkLeft < x0 ? pen + g->InkLeft : x0;
            x1 = pen + g->InkLeft + g->InkWidth > x1 ? pen + g->InkLeft + g->InkWidth : x1;
        }
        pen += Dx != NULL ? Dx[i] : g->Advance;
    }
    int32_t underline = (Style & FONT_STYLE_UNDERLINE) ? underline_row(Font) : -1;
    int32_t strikeout = (Style & FONT_STYLE_STRIKEOUT) ? strikeout_row(Font) : -1;
    if ((underline >= 0 || strikeout >= 0) && box_left < box_right) {
        x0 = box_left < x0 ? box_left : x0;
        x1 = box_right > x1 ? box_right : x1;
    }
    int64_t y0 = top, y1 = top + Font->Height;
    if (Clip != NULL) {
        x0 = x0 < Clip->left ? Clip->left : x0;
        x1 = x1 > Clip->right ? Clip->right : x1;
        y0 = y0 < Clip->top ? Clip->top : y0;
        y1 = y1 > Clip->bottom ? Clip->bottom : y1;
    }
    x0 = x0 < INT32_MIN ? INT32_MIN : x0;
    x1 = x1 > INT32_MAX ? INT32_MAX : x1;
    y0 = y0 < INT32_MIN ? INT32_MIN : y0;
    y1 = y1 > INT32_MAX ? INT32_MAX : y1;

    uint32_t window[FONT_WINDOW_WORDS];
    for (int64_t y = y0; y < y1; y++) {
        int32_t row = (int32_t)(y - top);
        OPEN_SPAN run = {0, 0, 0, 0};
        for (int64_t base = x0; base < x1; base += FONT_WINDOW_PIXELS) {
            int64_t end = x1 - base < FONT_WINDOW_PIXELS ? x1 : base + FONT_WINDOW_PIXELS;
            for (uint32_t w = 0; w < FONT_WINDOW_WORDS; w++)
                window[w] = 0;
            pen = left;
            for (uint32_t i = 0; i < Count; i++) {
                const GDI_GLYPH *g = FontGetGlyph(Font, Text[i]);
                int64_t gx = pen + g->InkLeft;
                pen += Dx != NULL ? Dx[i] : g->Advance;
                if (g->InkWidth == 0 || row < g->InkTop || row >= g->InkTop + g->InkHeight || gx >= end ||
                    gx + g->InkWidth <= base)
                    continue;
                const uint8_t *bits =
                    Font->Bits + g->Bits + (uint32_t)(row - g->InkTop) * ((g->InkWidth + 7u) / 8u);
                for (uint32_t c = 0; c < g->InkWidth; c++) {
                    if (bits[c >> 3] & (0x80u >> (c & 7)))
                        window_fill(window, base, gx + c, gx + c + 1);
                }
            }
            if (row == underline || row == strikeout)
                window_fill(window, base, box_left, box_right);
            /* Only [base, end) is sent: ink past end lies outside the clip. */
            window_emit(window, base, (uint32_t)(end - base), (int32_t)y, &run, Sink);
        }
        span_flush(&run, Sink);
    }
    return clamp32(width);
}

/* ---- DrawText ---- */

typedef struct _DT_LAYOUT {
    const GDI_FONT *Font;
    const uint16_t *Text;
    uint32_t Length;
    uint32_t Format;
    int32_t TabWidth; /* pixels from one tab stop to the next */
    int32_t MaxWidth; /* the rectangle's width */
} DT_LAYOUT;

/* One thing a line is made of: a character, a '&'-prefixed character (the
 * '&' consumed), an expanded tab, or a lone trailing '&' (draws nothing). */
typedef struct _DT_ELEMENT {
    uint32_t Next;  /* source index after the element */
    uint32_t Drawn; /* source index of the character drawn, FONT_NONE for none */
    int32_t X0, X1; /* pen before and after, from the line's start */
    int32_t Underline;
    int32_t Space; /* a blank: a space or a tab, where words break */
} DT_ELEMENT;

static int32_t dt_tab_stop(const DT_LAYOUT *L, int32_t X) {
    if (L->TabWidth <= 0 || X < 0)
        return X;
    return add_sat((X / L->TabWidth) * L->TabWidth, L->TabWidth);
}

/* Reads the element at Pos (< End) of a line whose pen is at X. */
static void dt_element(const DT_LAYOUT *L, uint32_t Pos, uint32_t End, int32_t X, DT_ELEMENT *E) {
    uint16_t ch = L->Text[Pos];
    E->X0 = X;
    E->Underline = 0;
    E->Next = Pos + 1;
    E->Drawn = Pos;
    if (ch == '&' && !(L->Format & GDI_DT_NOPREFIX)) {
        if (Pos + 1 >= End) {
            E->Drawn = FONT_NONE;
            E->X1 = X;
            E->Space = 0;
            return;
        }
        E->Next = Pos + 2;
        E->Drawn = Pos + 1;
        ch = L->Text[Pos + 1];
        E->Underline = ch != '&';
    }
    if (ch == '\t' && (L->Format & GDI_DT_EXPANDTABS)) {
        E->Drawn = FONT_NONE;
        E->Underline = 0;
        E->X1 = dt_tab_stop(L, X);
        E->Space = 1;
        return;
    }
    E->X1 = add_sat(X, FontGetGlyph(L->Font, ch)->Advance);
    E->Space = ch == ' ' || ch == '\t';
}

/* The pen after the elements of [Start, End). */
static int32_t dt_measure(const DT_LAYOUT *L, uint32_t Start, uint32_t End) {
    int32_t x = 0;
    DT_ELEMENT e;
    for (uint32_t pos = Start; pos < End; pos = e.Next) {
        dt_element(L, pos, End, x, &e);
        x = e.X1;
    }
    return x;
}

/* The line starting at Start: its text [Start, *End) and where the next
 * line starts (*Next, == L->Length after the last line). A line ends at
 * CR, LF or CR LF (not with DT_SINGLELINE); with DT_WORDBREAK also before
 * the blanks preceding a word that would cross the right edge - unless
 * that word is the line's first, which then overflows rather than break. */
static void dt_line_extent(const DT_LAYOUT *L, uint32_t Start, uint32_t *End, uint32_t *Next) {
    uint32_t hard = Start;
    if (L->Format & GDI_DT_SINGLELINE) {
        hard = L->Length;
    } else {
        while (hard < L->Length && L->Text[hard] != '\r' && L->Text[hard] != '\n')
            hard++;
    }
    uint32_t after = hard;
    if (hard < L->Length)
        after = (L->Text[hard] == '\r' && hard + 1 < L->Length && L->Text[hard + 1] == '\n') ? hard + 2
                                                                                             : hard + 1;

    if ((L->Format & GDI_DT_WORDBREAK) && !(L->Format & GDI_DT_SINGLELINE)) {
        int32_t x = 0;
        uint32_t pos = Start, break_end = FONT_NONE, break_next = 0;
        DT_ELEMENT e;
        while (pos < hard) {
            dt_element(L, pos, hard, x, &e);
            if (e.Space) {
                uint32_t blanks = pos;
                while (pos < hard) {
                    dt_element(L, pos, hard, x, &e);
                    if (!e.Space)
                        break;
                    x = e.X1;
                    pos = e.Next;
                }
                if (blanks > Start) {
                    break_end = blanks;
                    break_next = pos;
                }
                continue;
            }
            int32_t word_x = x;
            uint32_t word_end = pos;
            while (word_end < hard) {
                dt_element(L, word_end, hard, word_x, &e);
                if (e.Space)
                    break;
                word_x = e.X1;
                word_end = e.Next;
            }
            if (word_x > L->MaxWidth && break_end != FONT_NONE) {
                *End = break_end;
                *Next = break_next;
                return;
            }
            x = word_x;
            pos = word_end;
        }
    }
    *End = hard;
    *Next = after;
}

/* How a line is drawn: its text [Start, Cut) then, when Ellipsis, "..."
 * at the pen CutX; Width is the whole line's advance. */
typedef struct _DT_LINE {
    uint32_t Start, End, Next, Cut;
    int32_t CutX, Width;
    int32_t Ellipsis;
} DT_LINE;

static const uint16_t DtEllipsis[3] = {'.', '.', '.'};

static void dt_line(const DT_LAYOUT *L, uint32_t Start, DT_LINE *Line) {
    Line->Start = Start;
    dt_line_extent(L, Start, &Line->End, &Line->Next);
    Line->Width = dt_measure(L, Start, Line->End);
    Line->Cut = Line->End;
    Line->CutX = Line->Width;
    Line->Ellipsis = 0;
    if ((L->Format & GDI_DT_END_ELLIPSIS) && Line->Width > L->MaxWidth) {
        int32_t dots = 3 * FontGetGlyph(L->Font, '.')->Advance;
        int32_t limit = L->MaxWidth - dots;
        int32_t x = 0;
        uint32_t pos = Start;
        DT_ELEMENT e;
        while (pos < Line->End) {
            dt_element(L, pos, Line->End, x, &e);
            if (e.X1 > limit)
                break;
            x = e.X1;
            pos = e.Next;
        }
        Line->Cut = pos;
        Line->CutX = x;
        Line->Ellipsis = 1;
        Line->Width = add_sat(x, dots);
    }
}

static void dt_send(FONT_DT_SINK *Sink, const uint16_t *Text, uint32_t Count, int32_t X, int32_t Y,
                    int32_t Width) {
    FONT_DT_ITEM item = {Text, Count, X, Y, Width};
    Sink->Item(Sink, &item);
}

/* Sends the items of Line with its first cell's top-left at (X, Y). */
static void dt_emit_line(const DT_LAYOUT *L, const DT_LINE *Line, int32_t X, int32_t Y, FONT_DT_SINK *Sink) {
    uint32_t run_start = FONT_NONE, run_count = 0;
    int32_t run_x = 0, run_width = 0, x = 0;
    int32_t underline_y = add_sat(Y, underline_row(L->Font));
    DT_ELEMENT e;
    for (uint32_t pos = Line->Start; pos < Line->Cut; pos = e.Next) {
        dt_element(L, pos, Line->Cut, x, &e);
        x = e.X1;
        if (e.Drawn != FONT_NONE && run_start != FONT_NONE && e.Drawn == run_start + run_count) {
            run_count++;
            run_width = add_sat(run_width, e.X1 - e.X0);
        } else {
            if (run_start != FONT_NONE)
                dt_send(Sink, L->Text + run_start, run_count, add_sat(X, run_x), Y, run_width);
            run_start = e.Drawn;
            run_count = e.Drawn != FONT_NONE;
            run_x = e.X0;
            run_width = e.X1 - e.X0;
        }
        if (e.Underline)
            dt_send(Sink, NULL, 0, add_sat(X, e.X0), underline_y, e.X1 - e.X0);
    }
    if (run_start != FONT_NONE)
        dt_send(Sink, L->Text + run_start, run_count, add_sat(X, run_x), Y, run_width);
    if (Line->Ellipsis)
        dt_send(Sink, DtEllipsis, 3, add_sat(X, Line->CutX), Y, Line->Width - Line->CutX);
}

int32_t FontDrawTextLayout(const GDI_FONT *Font, const uint16_t *Text, int32_t Count, GDI_RECT *Rect,
                           uint32_t Format, FONT_DT_SINK *Sink) {
    if (Font == NULL || Text == NULL || Rect == NULL)
        return 0;
    uint32_t length = 0;
    if (Count < 0) {
        while (length < INT32_MAX && Text[length] != 0)
            length++;
    } else {
        length = (uint32_t)Count;
    }
    if (length == 0) {
        if (Format & GDI_DT_CALCRECT) {
            Rect->right = Rect->left;
            Rect->bottom = Rect->top;
        }
        return 0;
    }

    /* With DT_TABSTOP, bits 8-15 are the tab size, not flags. */
    int32_t tab_chars = FONT_DEFAULT_TAB_CHARS;
    if (Format & GDI_DT_TABSTOP) {
        tab_chars = (int32_t)((Format >> 8) & 0xFFu);
        Format &= ~0xFF00u;
        if (tab_chars == 0)
            tab_chars = FONT_DEFAULT_TAB_CHARS;
    }
    int64_t rect_width = (int64_t)Rect->right - Rect->left;
    DT_LAYOUT layout = {
        .Font = Font,
        .Text = Text,
        .Length = length,
        .Format = Format,
        .TabWidth = tab_chars * Font->AveCharWidth,
        .MaxWidth = rect_width < 0 ? 0 : clamp32(rect_width),
    };
    int32_t line_height = Font->Height;
    if (Format & GDI_DT_EXTERNALLEADING)
        line_height += Font->ExternalLeading;

    /* Pass 1: the size of the laid-out text. */
    int32_t height = 0, widest = 0;
    DT_LINE line;
    for (uint32_t pos = 0; pos < length; pos = line.Next) {
        dt_line(&layout, pos, &line);
        height = add_sat(height, line_height);
        widest = line.Width > widest ? line.Width : widest;
    }
    if (Format & GDI_DT_CALCRECT) {
        Rect->right = add_sat(Rect->left, widest);
        Rect->bottom = add_sat(Rect->top, height);
        return height;
    }

    /* Pass 2: place the lines. DT_VCENTER and DT_BOTTOM apply to a single
     * line only, as in Win32. */
    int32_t y = Rect->top;
    int32_t placed_vertically = 0;
    if (Format & GDI_DT_SINGLELINE) {
        if (Format & GDI_DT_VCENTER) {
            y = clamp32(Rect->top + ((int64_t)Rect->bottom - Rect->top - line_height) / 2);
            placed_vertically = 1;
        } else if (Format & GDI_DT_BOTTOM) {
            y = add_sat(Rect->bottom, -line_height);
            placed_vertically = 1;
        }
    }
    int32_t first_y = y;
    if (Sink != NULL && Sink->Item != NULL) {
        for (uint32_t pos = 0; pos < length; pos = line.Next) {
            dt_line(&layout, pos, &line);
            int64_t x = Rect->left;
            if (Format & GDI_DT_CENTER)
                x = Rect->left + (rect_width - line.Width) / 2;
            else if (Format & GDI_DT_RIGHT)
                x = (int64_t)Rect->right - line.Width;
            dt_emit_line(&layout, &line, clamp32(x), y, Sink);
            y = add_sat(y, line_height);
        }
    }
    if (placed_vertically)
        return clamp32((int64_t)first_y + line_height - Rect->top);
    return height;
}
