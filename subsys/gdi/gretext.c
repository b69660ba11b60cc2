/*
 * gretext.c - text: TextOut, ExtTextOut, GetTextExtentPoint32,
 * GetTextMetrics and DrawText.
 *
 * Why: font.c knows the glyphs and the layout rules; this file applies a
 * DC's state to them: the selected font, the text colour, the background
 * mode and colour (an OPAQUE background fills the text's cell box first),
 * the text alignment and TA_UPDATECP's current position, ExtTextOut's
 * opaque and clip rectangles, and the DC's clip region, through the same
 * paint sink as every other drawing call.
 */
#include "gre.h"

#define ETO_OPAQUE_ 0x0002
#define ETO_CLIPPED_ 0x0004
#define GRE_MAX_TEXT 4096

static const GRE_FONT *dc_font(GRE_DC *Dc) {
    return GdiLookupHandle(Dc->State.Font, GDI_OBJECT_TYPE_FONT, GDI_OWNER_ANY);
}

/* Draws Count characters at logical (X, Y) (or the current position with
 * TA_UPDATECP), optionally clipped to and opaquing the device rectangle
 * Rect (ExtTextOut's). */
static int draw_text(GRE_DC *Dc, int32_t X, int32_t Y, uint32_t Options, const GDI_RECT *Rect,
                     const uint16_t *Text, uint32_t Count, const int32_t *Dx) {
    const GRE_FONT *f = dc_font(Dc);
    GDI_SURFACE *s = GreDcSurface(Dc);
    if (!f || !f->Font || !s || Count > GRE_MAX_TEXT || !GreCoordOk(X) || !GreCoordOk(Y))
        return 0;
    uint32_t align = Dc->State.TextAlign;
    GDI_POINT at = (align & GDI_TA_UPDATECP) ? GreToDevice(Dc, Dc->State.CurrentPos.x, Dc->State.CurrentPos.y)
                                             : GreToDevice(Dc, X, Y);
    GDI_REGION clip;
    if (!GreEffectiveClip(Dc, &clip)) {
        GreSetLastError(GDI_ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    if (Rect && (Options & ETO_CLIPPED_) && RgnIntersectRect(&clip, &clip, Rect) == GRE_ERROR) {
        RgnFree(&clip);
        return 0;
    }
    GDI_RECT box;
    int32_t advance = FontTextBox(f->Font, Text, Count, Dx, at.x, at.y, align & ~GDI_TA_UPDATECP, &box);
    if (Dc->IsScreen)
        GreCursorExclude(NULL);
    GDI_BRUSH_INFO back;
    GdiMakeSolidBrush(&back, GdiColorToPixel(Dc->State.BkColor));
    GRE_PAINT_SINK sink;
    if (Rect && (Options & ETO_OPAQUE_)) {
        GreInitPaintSink(&sink, s, &clip, &back, GRE_R2_COPYPEN);
        for (int32_t y = Rect->top; y < Rect->bottom; y++)
            sink.Base.Span(&sink.Base, y, Rect->left, Rect->right);
    }
    if (Dc->State.BkMode == GRE_OPAQUE) {
        GreInitPaintSink(&sink, s, &clip, &back, GRE_R2_COPYPEN);
        for (int32_t y = box.top; y < box.bottom; y++)
            sink.Base.Span(&sink.Base, y, box.left, box.right);
    }
    GDI_BRUSH_INFO fore;
    GdiMakeSolidBrush(&fore, GdiColorToPixel(Dc->State.TextColor));
    GreInitPaintSink(&sink, s, &clip, &fore, GRE_R2_COPYPEN);
    FontDrawText(f->Font, Text, Count, Dx, at.x, at.y, align & ~GDI_TA_UPDATECP, f->Style, NULL, &sink.Base);
    if (Dc->IsScreen)
        GreCursorRestore();
    RgnFree(&clip);
    if (align &
        GDI_TA_UPDATECP) { /* the current position moves by the advance (logical = device in x here) */
        uint32_t h = align & GDI_TA_HORZ_MASK;
        if (h == GDI_TA_LEFT)
            Dc->State.CurrentPos.x += advance;
        else if (h == GDI_TA_RIGHT)
            Dc->State.CurrentPos.x -= advance;
    }
    return 1;
}

int GreTextOut(GDI_HANDLE Dc, int32_t X, int32_t Y, const uint16_t *Text, uint32_t Count) {
    GRE_DC *dc = GreDc(Dc);
    return dc && draw_text(dc, X, Y, 0, NULL, Text, Count, NULL);
}

int GreExtTextOut(GDI_HANDLE Dc, int32_t X, int32_t Y, uint32_t Options, const GDI_RECT *Rect,
                  const uint16_t *Text, uint32_t Count, const int32_t *Dx) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc)
        return 0;
    GDI_RECT device;
    if (Rect)
        device = GreRectToDevice(dc, Rect->left, Rect->top, Rect->right, Rect->bottom);
    return draw_text(dc, X, Y, Options, Rect ? &device : NULL, Text, Count, Dx);
}

int GreGetTextExtentPoint32(GDI_HANDLE Dc, const uint16_t *Text, uint32_t Count, int32_t *Cx, int32_t *Cy) {
    GRE_DC *dc = GreDc(Dc);
    const GRE_FONT *f = dc ? dc_font(dc) : NULL;
    if (!f || !f->Font || Count > GRE_MAX_TEXT)
        return 0;
    FontGetTextExtent(f->Font, Text, Count, Cx, Cy);
    return 1;
}

int GreGetTextMetrics(GDI_HANDLE Dc, GDI_TEXTMETRICW *Metrics) {
    GRE_DC *dc = GreDc(Dc);
    const GRE_FONT *f = dc ? dc_font(dc) : NULL;
    if (!f || !f->Font)
        return 0;
    FontGetTextMetrics(f->Font, f->Style, Metrics);
    return 1;
}

/* DrawText: font.c lays the text out; each item is drawn here. */
typedef struct _DT_DRAW {
    FONT_DT_SINK Base;
    GRE_DC *Dc;
    uint32_t Options;
    GDI_RECT Clip;
} DT_DRAW;

static void dt_item(FONT_DT_SINK *Base, const FONT_DT_ITEM *Item) {
    DT_DRAW *d = (DT_DRAW *)Base;
    uint32_t saved = d->Dc->State.TextAlign;
    d->Dc->State.TextAlign = GDI_TA_LEFT | GDI_TA_TOP;
    if (Item->Text) {
        draw_text(d->Dc, Item->X, Item->Y, d->Options, &d->Clip, Item->Text, Item->Count, NULL);
    } else { /* the mnemonic underline */
        GDI_BRUSH_INFO fore;
        GdiMakeSolidBrush(&fore, GdiColorToPixel(d->Dc->State.TextColor));
        GDI_RECT r = GreRectToDevice(d->Dc, Item->X, Item->Y, Item->X + Item->Width, Item->Y + 1);
        GrePaintRect(d->Dc, &r, &fore, GRE_R2_COPYPEN);
    }
    d->Dc->State.TextAlign = saved;
}

int32_t GreDrawText(GDI_HANDLE Dc, const uint16_t *Text, int32_t Count, GDI_RECT *Rect, uint32_t Format) {
    GRE_DC *dc = GreDc(Dc);
    const GRE_FONT *f = dc ? dc_font(dc) : NULL;
    if (!f || !f->Font || Count > GRE_MAX_TEXT || !Rect)
        return 0;
    DT_DRAW sink = {{dt_item},
                    dc,
                    (Format & GDI_DT_NOCLIP) ? 0u : ETO_CLIPPED_,
                    GreRectToDevice(dc, Rect->left, Rect->top, Rect->right, Rect->bottom)};
    return FontDrawTextLayout(f->Font, Text, Count, Rect, Format,
                              (Format & GDI_DT_CALCRECT) ? NULL : &sink.Base);
}
