/*
 * greobj.c - GDI objects: the stock objects, creating pens, brushes,
 * bitmaps, fonts and DCs, selecting them into DCs, deleting them.
 *
 * Why: these are the calls every program makes first, and the ones where a
 * client's numbers name things; every handle goes through GreObject (type
 * and owner checked), every size is bounded before memory is asked for,
 * and an object selected into a DC cannot be deleted from under it. Stock
 * objects are made once, owned by nobody, usable by all, deleted by none.
 */
#include "gre.h"

#define GRE_MAX_BITMAP_SIDE 4096
#define GRE_MAX_BITMAP_PIXELS (4096u * 1024u) /* 16 MiB of 32 bpp pixels */
#define BS_SOLID_ 0
#define BS_NULL_ 1
#define BS_HATCHED_ 2
#define BS_PATTERN_ 3
#define STOCK_COUNT 20

GDI_HANDLE GreStockObjects[STOCK_COUNT];
GDI_HANDLE GreScreenBitmap;
static GDI_HANDLE GreDefaultBitmap; /* the 1x1 monochrome bitmap a new memory DC holds */
static uint32_t GreLastError;

void GreSetLastError(uint32_t Error) {
    GreLastError = Error;
}

uint32_t GreTakeLastError(void) {
    uint32_t e = GreLastError;
    GreLastError = 0;
    return e;
}

void *GreObject(GDI_HANDLE Handle, uint32_t Type) {
    void *o = GdiLookupHandle(Handle, Type, GdiHostCurrentOwner());
    if (!o)
        GreSetLastError(GDI_ERROR_INVALID_HANDLE);
    return o;
}

GRE_DC *GreDc(GDI_HANDLE Dc) {
    return GreObject(Dc, GDI_OBJECT_TYPE_DC);
}

GDI_HANDLE GreInsert(void *Object, uint32_t Type, void (*Destroy)(void *)) {
    GDI_HANDLE h = GdiCreateHandle(Object, Type, GdiHostCurrentOwner(), Destroy);
    if (!h) {
        GreSetLastError(GDI_ERROR_NO_SYSTEM_RESOURCES);
        Destroy(Object);
    }
    return h;
}

GDI_SURFACE *GreDcSurface(GRE_DC *Dc) {
    GRE_BITMAP *b = GdiLookupHandle(Dc->State.Bitmap, GDI_OBJECT_TYPE_BITMAP, GDI_OWNER_ANY);
    return b ? &b->Surface : NULL;
}

/* ---- destroy procedures ---- */

static void free_plain(void *Object) {
    GdiHostFree(Object);
}

static void free_bitmap(void *Object) {
    GRE_BITMAP *b = Object;
    if (b->SharedCookie) {
        GdiReturnShared(b->SharedOwner, b->SharedBytes);
        GdiHostFreeShared(b->SharedCookie);
    } else if (!b->IsScreen)
        GdiHostFree(b->Surface.Bits);
    GdiHostFree(b);
}

void GreFreeBitmapObject(void *Object) {
    free_bitmap(Object);
}

/* Forgets one selection of Handle (it may already be gone). */
static void unselect_one(GDI_HANDLE Handle) {
    void *o = GdiLookupHandle(Handle, 0, GDI_OWNER_ANY);
    if (!o || (Handle & GDI_HANDLE_STOCK))
        return;
    switch (GDI_HANDLE_TYPE(Handle)) {
    case GDI_OBJECT_TYPE_PEN: ((GRE_PEN *)o)->Selected--; break;
    case GDI_OBJECT_TYPE_BRUSH: ((GRE_BRUSH *)o)->Selected--; break;
    case GDI_OBJECT_TYPE_FONT: ((GRE_FONT *)o)->Selected--; break;
    case GDI_OBJECT_TYPE_BITMAP: ((GRE_BITMAP *)o)->SelectedInto--; break;
    default: break;
    }
}

static void select_one(GDI_HANDLE Handle) {
    void *o = GdiLookupHandle(Handle, 0, GDI_OWNER_ANY);
    if (!o || (Handle & GDI_HANDLE_STOCK))
        return;
    switch (GDI_HANDLE_TYPE(Handle)) {
    case GDI_OBJECT_TYPE_PEN: ((GRE_PEN *)o)->Selected++; break;
    case GDI_OBJECT_TYPE_BRUSH: ((GRE_BRUSH *)o)->Selected++; break;
    case GDI_OBJECT_TYPE_FONT: ((GRE_FONT *)o)->Selected++; break;
    case GDI_OBJECT_TYPE_BITMAP: ((GRE_BITMAP *)o)->SelectedInto++; break;
    default: break;
    }
}

static void unselect_state(GRE_DC_STATE *S) {
    unselect_one(S->Pen);
    unselect_one(S->Brush);
    unselect_one(S->Font);
    unselect_one(S->Bitmap);
}

static void select_state(GRE_DC_STATE *S) {
    select_one(S->Pen);
    select_one(S->Brush);
    select_one(S->Font);
    select_one(S->Bitmap);
}

static void free_dc(void *Object) {
    GRE_DC *dc = Object;
    unselect_state(&dc->State);
    GreFreeDcState(&dc->State);
    for (int32_t i = 0; i < dc->SavedCount; i++) {
        unselect_state(&dc->Saved[i]);
        GreFreeDcState(&dc->Saved[i]);
    }
    GdiHostFree(dc);
}

/* ---- stock objects ---- */

static GDI_HANDLE stock(void *Object, uint32_t Type, void (*Destroy)(void *)) {
    return Object ? GdiCreateHandle(Object, Type, GDI_OWNER_STOCK, Destroy) : 0;
}

static GDI_HANDLE stock_brush(uint32_t Style, GDI_COLORREF Color) {
    GRE_BRUSH *b = GdiHostAlloc(sizeof *b);
    if (b) {
        b->Style = Style;
        b->Color = Color;
    }
    return stock(b, GDI_OBJECT_TYPE_BRUSH, free_plain);
}

static GDI_HANDLE stock_pen(uint32_t Style, GDI_COLORREF Color) {
    GRE_PEN *p = GdiHostAlloc(sizeof *p);
    if (p) {
        p->Style = Style;
        p->Width = 1;
        p->Color = Color;
    }
    return stock(p, GDI_OBJECT_TYPE_PEN, free_plain);
}

static GDI_HANDLE stock_font(uint32_t Index) {
    const GDI_FONT *f = FontGetStock(Index);
    if (!f)
        return 0;
    GRE_FONT *o = GdiHostAlloc(sizeof *o);
    if (o)
        o->Font = f;
    return stock(o, GDI_OBJECT_TYPE_FONT, free_plain);
}

/* A new bitmap object of Width x Height 32 bpp pixels, all black (Win32
 * leaves a new bitmap's contents undefined); NULL when the size is out of
 * bounds or memory is short. Bpp is what the program asked for. */
static GRE_BITMAP *new_bitmap(int32_t Width, int32_t Height, uint32_t Bpp) {
    if (Width <= 0 || Height <= 0 || Width > GRE_MAX_BITMAP_SIDE || Height > GRE_MAX_BITMAP_SIDE ||
        (uint32_t)Width * (uint32_t)Height > GRE_MAX_BITMAP_PIXELS)
        return NULL;
    GRE_BITMAP *b = GdiHostAlloc(sizeof *b);
    if (!b)
        return NULL;
    b->Surface.Bits = GdiHostAlloc((size_t)Width * (size_t)Height * 4);
    if (!b->Surface.Bits) {
        GdiHostFree(b);
        return NULL;
    }
    b->Surface.Width = Width;
    b->Surface.Height = Height;
    b->Surface.Stride = Width * 4;
    b->BitsPerPixel = Bpp;
    return b;
}

int GreCreateStockObjects(const GDI_DISPLAY *Display) {
    GreStockObjects[0] = stock_brush(BS_SOLID_, 0xFFFFFF);  /* WHITE_BRUSH */
    GreStockObjects[1] = stock_brush(BS_SOLID_, 0xC0C0C0);  /* LTGRAY_BRUSH */
    GreStockObjects[2] = stock_brush(BS_SOLID_, 0x808080);  /* GRAY_BRUSH */
    GreStockObjects[3] = stock_brush(BS_SOLID_, 0x404040);  /* DKGRAY_BRUSH */
    GreStockObjects[4] = stock_brush(BS_SOLID_, 0x000000);  /* BLACK_BRUSH */
    GreStockObjects[5] = stock_brush(BS_NULL_, 0);          /* NULL_BRUSH */
    GreStockObjects[6] = stock_pen(GRE_PS_SOLID, 0xFFFFFF); /* WHITE_PEN */
    GreStockObjects[7] = stock_pen(GRE_PS_SOLID, 0x000000); /* BLACK_PEN */
    GreStockObjects[8] = stock_pen(GRE_PS_NULL, 0);         /* NULL_PEN */
    for (uint32_t i = 10; i <= 17; i++)
        if (i != 15) /* 15 is DEFAULT_PALETTE: no palettes */
            GreStockObjects[i] = stock_font(i);
    GRE_BITMAP *one = new_bitmap(1, 1, 1);
    GreDefaultBitmap = stock(one, GDI_OBJECT_TYPE_BITMAP, free_bitmap);
    for (uint32_t i = 0; i <= 8; i++)
        if (!GreStockObjects[i])
            return 0;
    if (!GreStockObjects[13] || !GreDefaultBitmap)
        return 0;
    if (Display) {
        GRE_BITMAP *screen = GdiHostAlloc(sizeof *screen);
        if (!screen)
            return 0;
        screen->Surface.Width = Display->Width;
        screen->Surface.Height = Display->Height;
        screen->Surface.Stride = Display->Stride;
        screen->Surface.Bits = Display->Bits;
        screen->BitsPerPixel = 32;
        screen->IsScreen = 1;
        GreScreenBitmap = stock(screen, GDI_OBJECT_TYPE_BITMAP, free_bitmap);
        if (!GreScreenBitmap)
            return 0;
    }
    return 1;
}

GDI_HANDLE GreGetStockObject(uint32_t Index) {
    GDI_HANDLE h = Index < STOCK_COUNT ? GreStockObjects[Index] : 0;
    if (!h)
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
    return h;
}

/* ---- creating ---- */

GDI_HANDLE GreCreatePen(uint32_t Style, int32_t Width, GDI_COLORREF Color) {
    if ((Style & GRE_PS_STYLE_MASK) > 6 || (Style & ~GRE_PS_STYLE_MASK)) { /* PS_SOLID .. PS_INSIDEFRAME */
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    GRE_PEN *p = GdiHostAlloc(sizeof *p);
    if (!p) {
        GreSetLastError(GDI_ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    p->Style = Style;
    p->Width = Width < 0 ? -Width : Width;
    if (p->Width > 1 && (Style == 1 || Style == 2 || Style == 3 || Style == 4))
        p->Style = GRE_PS_SOLID; /* Win32: styled pens wider than 1 draw solid */
    p->Color = Color & 0xFFFFFF;
    return GreInsert(p, GDI_OBJECT_TYPE_PEN, free_plain);
}

static GDI_HANDLE new_brush(uint32_t Style, uint32_t Hatch, GDI_COLORREF Color) {
    GRE_BRUSH *b = GdiHostAlloc(sizeof *b);
    if (!b) {
        GreSetLastError(GDI_ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    b->Style = Style;
    b->Hatch = Hatch;
    b->Color = Color & 0xFFFFFF;
    return GreInsert(b, GDI_OBJECT_TYPE_BRUSH, free_plain);
}

GDI_HANDLE GreCreateSolidBrush(GDI_COLORREF Color) {
    return new_brush(BS_SOLID_, 0, Color);
}

GDI_HANDLE GreCreateHatchBrush(uint32_t Hatch, GDI_COLORREF Color) {
    if (Hatch > 5) { /* HS_HORIZONTAL .. HS_DIAGCROSS */
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    return new_brush(BS_HATCHED_, Hatch, Color);
}

GDI_HANDLE GreCreatePatternBrush(GDI_HANDLE Bitmap) {
    GRE_BITMAP *bm = GreObject(Bitmap, GDI_OBJECT_TYPE_BITMAP);
    if (!bm)
        return 0;
    GDI_HANDLE h = new_brush(BS_PATTERN_, 0, 0);
    GRE_BRUSH *b = h ? GdiLookupHandle(h, GDI_OBJECT_TYPE_BRUSH, GDI_OWNER_ANY) : NULL;
    if (b) /* the bitmap's top-left 8x8, tiled when smaller, as Win32 uses it */
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++)
                b->Pattern[y][x] =
                    *GdiPixelAddress(&bm->Surface, x % bm->Surface.Width, y % bm->Surface.Height);
    return h;
}

/* CreateBitmap: Bits (may be NULL) are rows of Width pixels at Bpp bits,
 * each row padded to 2 bytes, top row first, as Win32 defines them. 1, 24
 * and 32 bpp are accepted; planes must be 1. */
GDI_HANDLE GreCreateBitmap(int32_t Width, int32_t Height, uint32_t Planes, uint32_t Bpp, const uint8_t *Bits,
                           uint32_t BitsBytes) {
    if (Planes != 1 || (Bpp != 1 && Bpp != 24 && Bpp != 32)) {
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    GRE_BITMAP *b = new_bitmap(Width, Height, Bpp);
    if (!b) {
        GreSetLastError(Width <= 0 || Height <= 0 ? GDI_ERROR_INVALID_PARAMETER
                                                  : GDI_ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    uint32_t row = (((uint32_t)Width * Bpp + 15) / 16) * 2;
    if (Bits && BitsBytes >= row * (uint32_t)Height) {
        for (int32_t y = 0; y < Height; y++) {
            const uint8_t *src = Bits + (size_t)y * row;
            GDI_PIXEL *dst = GdiPixelAddress(&b->Surface, 0, y);
            for (int32_t x = 0; x < Width; x++) {
                if (Bpp == 1)
                    dst[x] = (src[x / 8] >> (7 - x % 8)) & 1 ? 0xFFFFFF : 0;
                else if (Bpp == 24)
                    dst[x] = (GDI_PIXEL)src[3 * x] | ((GDI_PIXEL)src[3 * x + 1] << 8) |
                             ((GDI_PIXEL)src[3 * x + 2] << 16);
                else
                    dst[x] = ((const GDI_PIXEL *)src)[x] & 0xFFFFFF;
            }
        }
    } else if (Bits) {
        free_bitmap(b);
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER); /* fewer bits than the bitmap needs */
        return 0;
    }
    return GreInsert(b, GDI_OBJECT_TYPE_BITMAP, free_bitmap);
}

GDI_HANDLE GreCreateCompatibleBitmap(GDI_HANDLE Dc, int32_t Width, int32_t Height) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc)
        return 0;
    GRE_BITMAP *current = GdiLookupHandle(dc->State.Bitmap, GDI_OBJECT_TYPE_BITMAP, GDI_OWNER_ANY);
    /* Compatible with the bitmap in the DC: a new memory DC's is 1x1 monochrome. */
    return GreCreateBitmap(Width, Height, 1, current && current->BitsPerPixel == 1 ? 1 : 32, NULL, 0);
}

static GDI_HANDLE new_dc(GDI_HANDLE Bitmap, int IsScreen) {
    GRE_DC *dc = GdiHostAlloc(sizeof *dc);
    if (!dc) {
        GreSetLastError(GDI_ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    GreInitDcState(&dc->State);
    dc->State.Pen = GreStockObjects[7];
    dc->State.Brush = GreStockObjects[0];
    dc->State.Font = GreStockObjects[13];
    dc->State.Bitmap = Bitmap;
    dc->IsScreen = IsScreen;
    dc->IsMemory = !IsScreen;
    select_state(&dc->State);
    GDI_HANDLE h = GreInsert(dc, GDI_OBJECT_TYPE_DC, free_dc);
    if (h)
        dc->Self = h;
    return h;
}

GDI_HANDLE GreCreateCompatibleDC(GDI_HANDLE Dc) {
    if (Dc && !GreDc(Dc))
        return 0;
    return new_dc(GreDefaultBitmap, 0);
}

GDI_HANDLE GreGetDC(uint32_t Window) {
    if (Window != 0 || !GreScreenBitmap) { /* no windows yet: only the screen */
        GreSetLastError(GDI_ERROR_INVALID_HANDLE);
        return 0;
    }
    return new_dc(GreScreenBitmap, 1);
}

int GreDeleteDC(GDI_HANDLE Dc) {
    if (!GreDc(Dc))
        return 0;
    return GdiDeleteHandle(Dc, GdiHostCurrentOwner());
}

int GreReleaseDC(uint32_t Window, GDI_HANDLE Dc) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc || Window != 0 || !dc->IsScreen)
        return 0;
    return GdiDeleteHandle(Dc, GdiHostCurrentOwner());
}

GDI_HANDLE GreCreateFontIndirect(const GDI_LOGFONTW *Request) {
    GRE_FONT *f = GdiHostAlloc(sizeof *f);
    if (!f) {
        GreSetLastError(GDI_ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    f->Request = *Request;
    f->Request.lfFaceName[31] = 0;
    f->Font = FontMatch(&f->Request);
    f->Style =
        (Request->lfUnderline ? FONT_STYLE_UNDERLINE : 0) | (Request->lfStrikeOut ? FONT_STYLE_STRIKEOUT : 0);
    return GreInsert(f, GDI_OBJECT_TYPE_FONT, free_plain);
}

/* ---- selecting and deleting ---- */

/* Puts New in *Slot (both handles of Type), keeping selection counts. */
static GDI_HANDLE swap(GDI_HANDLE *Slot, GDI_HANDLE New) {
    GDI_HANDLE old = *Slot;
    select_one(New);
    unselect_one(old);
    *Slot = New;
    return old;
}

uint32_t GreSelectClipRgn(GDI_HANDLE Dc, GDI_HANDLE Region); /* gredc.c */

GDI_HANDLE GreSelectObject(GDI_HANDLE Dc, GDI_HANDLE Object) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc)
        return 0;
    void *o = GreObject(Object, 0);
    if (!o)
        return 0;
    switch (GDI_HANDLE_TYPE(Object)) {
    case GDI_OBJECT_TYPE_PEN: return swap(&dc->State.Pen, Object);
    case GDI_OBJECT_TYPE_BRUSH: return swap(&dc->State.Brush, Object);
    case GDI_OBJECT_TYPE_FONT: return swap(&dc->State.Font, Object);
    case GDI_OBJECT_TYPE_BITMAP: {
        GRE_BITMAP *b = o;
        if (!dc->IsMemory || b->IsScreen || (b->SelectedInto && Object != dc->State.Bitmap)) {
            GreSetLastError(GDI_ERROR_INVALID_PARAMETER); /* a bitmap is in one memory DC at a time */
            return 0;
        }
        return swap(&dc->State.Bitmap, Object);
    }
    case GDI_OBJECT_TYPE_REGION: return GreSelectClipRgn(Dc, Object);
    default: GreSetLastError(GDI_ERROR_INVALID_HANDLE); return 0;
    }
}

int GreDeleteObject(GDI_HANDLE Object) {
    void *o = GreObject(Object, 0);
    if (!o)
        return 0;
    if (Object & GDI_HANDLE_STOCK)
        return 1; /* Win32: deleting a stock object does nothing and succeeds */
    int selected = 0;
    switch (GDI_HANDLE_TYPE(Object)) {
    case GDI_OBJECT_TYPE_PEN: selected = ((GRE_PEN *)o)->Selected; break;
    case GDI_OBJECT_TYPE_BRUSH: selected = ((GRE_BRUSH *)o)->Selected; break;
    case GDI_OBJECT_TYPE_FONT: selected = ((GRE_FONT *)o)->Selected; break;
    case GDI_OBJECT_TYPE_BITMAP: selected = ((GRE_BITMAP *)o)->SelectedInto; break;
    case GDI_OBJECT_TYPE_REGION: break;
    default: GreSetLastError(GDI_ERROR_INVALID_HANDLE); return 0; /* DCs go with DeleteDC */
    }
    if (selected)
        return 0; /* still selected into a DC */
    return GdiDeleteHandle(Object, GdiHostCurrentOwner());
}

/* GetObject: fills Out (OutBytes of it) with the object's LOGPEN, LOGBRUSH,
 * BITMAP or LOGFONTW; returns the bytes written, or the size needed when
 * Out is NULL; 0 on failure. */
uint32_t GreGetObject(GDI_HANDLE Object, uint32_t OutBytes, uint8_t *Out) {
    void *o = GreObject(Object, 0);
    if (!o)
        return 0;
    uint32_t w[6] = {0};
    const void *src = w;
    uint32_t size = 0;
    switch (GDI_HANDLE_TYPE(Object)) {
    case GDI_OBJECT_TYPE_PEN: { /* LOGPEN: style, POINT width, colour */
        GRE_PEN *p = o;
        w[0] = p->Style;
        w[1] = (uint32_t)p->Width;
        w[3] = p->Color;
        size = 16;
        break;
    }
    case GDI_OBJECT_TYPE_BRUSH: { /* LOGBRUSH: style, colour, hatch */
        GRE_BRUSH *b = o;
        w[0] = b->Style;
        w[1] = b->Color;
        w[2] = b->Hatch;
        size = 12;
        break;
    }
    case GDI_OBJECT_TYPE_BITMAP: { /* BITMAP: type, width, height, width bytes, planes|bpp, bits */
        GRE_BITMAP *b = o;
        w[1] = (uint32_t)b->Surface.Width;
        w[2] = (uint32_t)b->Surface.Height;
        w[3] = (((uint32_t)b->Surface.Width * b->BitsPerPixel + 15) / 16) * 2;
        w[4] = 1 | (b->BitsPerPixel << 16);
        size = 24;
        break;
    }
    case GDI_OBJECT_TYPE_FONT:
        src = &((GRE_FONT *)o)->Request;
        size = sizeof(GDI_LOGFONTW);
        break;
    default: GreSetLastError(GDI_ERROR_INVALID_HANDLE); return 0;
    }
    if (!Out)
        return size;
    if (OutBytes < size)
        size = OutBytes;
    for (uint32_t i = 0; i < size; i++)
        Out[i] = ((const uint8_t *)src)[i];
    return size;
}

void GreSelectState(GRE_DC_STATE *S, int Select) {
    if (Select)
        select_state(S);
    else
        unselect_state(S);
}
