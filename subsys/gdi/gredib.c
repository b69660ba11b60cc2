/*
 * gredib.c - device-independent bitmaps: SetDIBits, GetDIBits,
 * StretchDIBits.
 *
 * Why: a DIB is how a program hands GDI pixels it made itself (or reads
 * them back). The caller's BITMAPINFO and bits arrive as one block of
 * record data; blt.c validates the header (every size in it is the
 * caller's to choose) and converts between its format and the engine's
 * 32 bpp surfaces. This file splits the block, maps Win32's bottom-up
 * source origin, and applies the DC's clip.
 */
#include "gre.h"

/* Splits Data into a parsed BITMAPINFO and its bits; 0 on any nonsense. */
static int parse(const uint8_t *Data, uint32_t DataBytes, uint32_t Usage, GDI_DIB_FORMAT *Format,
                 const uint8_t **Bits, uint32_t *BitsBytes) {
    size_t info = 0;
    if (!NT_SUCCESS(GdiDibInfoSize(Data, DataBytes, &info)) || info > DataBytes ||
        !NT_SUCCESS(GdiDibParseInfo(Data, info, Usage, Format))) {
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    *Bits = Data + info;
    *BitsBytes = DataBytes - (uint32_t)info;
    return 1;
}

int GreSetDIBits(GDI_HANDLE Dc, GDI_HANDLE Bitmap, uint32_t Start, uint32_t Lines, const uint8_t *Data,
                 uint32_t DataBytes, uint32_t Usage) {
    GRE_BITMAP *bm = GreObject(Bitmap, GDI_OBJECT_TYPE_BITMAP);
    GDI_DIB_FORMAT f;
    const uint8_t *bits;
    uint32_t bitsBytes;
    if ((Dc && !GreDc(Dc)) || !bm || !parse(Data, DataBytes, Usage, &f, &bits, &bitsBytes))
        return 0;
    GDI_RECT all = {0, 0, bm->Surface.Width < f.Width ? bm->Surface.Width : f.Width,
                    bm->Surface.Height < f.Height ? bm->Surface.Height : f.Height};
    if (!NT_SUCCESS(GdiDibToSurface(&bm->Surface, &all, &f, bits, bitsBytes, Start, Lines, 0, 0))) {
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    return (int)Lines;
}

/* *Produced is how many bytes of Out the scan lines fill: all of them are
 * written, the parts the bitmap does not cover with zeros (the host copies
 * exactly that many to the caller, so none of them may be left over from
 * earlier use of its reply buffer). */
int GreGetDIBits(GDI_HANDLE Dc, GDI_HANDLE Bitmap, uint32_t Start, uint32_t Lines, const uint8_t *Info,
                 uint32_t InfoBytes, uint8_t *Out, uint32_t OutBytes, uint32_t Usage, uint32_t *Produced) {
    GRE_BITMAP *bm = GreObject(Bitmap, GDI_OBJECT_TYPE_BITMAP);
    GDI_DIB_FORMAT f;
    *Produced = 0;
    if (!GreDc(Dc) || !bm || !NT_SUCCESS(GdiDibParseInfo(Info, InfoBytes, Usage, &f))) {
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    uint64_t bytes = (uint64_t)Lines * f.Stride;
    uint32_t filled = bytes < OutBytes ? (uint32_t)bytes : OutBytes;
    for (uint32_t i = 0; i < filled; i++)
        Out[i] = 0;
    GDI_RECT all = {0, 0, bm->Surface.Width < f.Width ? bm->Surface.Width : f.Width,
                    bm->Surface.Height < f.Height ? bm->Surface.Height : f.Height};
    if (!NT_SUCCESS(GdiSurfaceToDib(&bm->Surface, &all, &f, Out, OutBytes, Start, Lines, 0, 0))) {
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    *Produced = filled;
    return (int)Lines;
}

int GreStretchDIBits(GDI_HANDLE Dc, int32_t Xd, int32_t Yd, int32_t Wd, int32_t Hd, int32_t Xs, int32_t Ys,
                     int32_t Ws, int32_t Hs, const uint8_t *Data, uint32_t DataBytes, uint32_t Usage,
                     uint32_t Rop) {
    GRE_DC *dc = GreDc(Dc);
    GDI_DIB_FORMAT f;
    const uint8_t *bits;
    uint32_t bitsBytes;
    if (!dc || !parse(Data, DataBytes, Usage, &f, &bits, &bitsBytes))
        return 0;
    if (!GreCoordOk(Xd) || !GreCoordOk(Yd) || !GreCoordOk(Wd) || !GreCoordOk(Hd) || !GreCoordOk(Xs) ||
        !GreCoordOk(Ys) || !GreCoordOk(Ws) || !GreCoordOk(Hs)) {
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    GDI_SURFACE *s = GreDcSurface(dc);
    GDI_REGION clip;
    if (!s || !GreEffectiveClip(dc, &clip))
        return 0;
    GDI_POINT d0 = GreToDevice(dc, Xd, Yd), d1 = GreToDevice(dc, Xd + Wd, Yd + Hd);
    GDI_BLT_AREA da = {d0.x, d0.y, d1.x - d0.x, d1.y - d0.y};
    /* Win32 counts a bottom-up DIB's source y from its bottom row. */
    GDI_BLT_AREA sa = {Xs, f.TopDown ? Ys : f.Height - Ys - Hs, Ws, Hs};
    GDI_BRUSH_INFO brush;
    if (!GreBrushInfo(dc, GdiLookupHandle(dc->State.Brush, GDI_OBJECT_TYPE_BRUSH, GDI_OWNER_ANY), &brush))
        GdiMakeSolidBrush(&brush, 0);
    if (dc->IsScreen)
        GreCursorExclude(NULL);
    int ok = 1;
    for (uint32_t i = 0; i < RgnRectCount(&clip); i++) {
        GDI_RECT c;
        RgnGetRect(&clip, i, &c);
        if (!NT_SUCCESS(GdiStretchDib(s, &da, &c, &f, bits, bitsBytes, &sa, &brush, GDI_ROP3_INDEX(Rop),
                                      dc->State.StretchMode)))
            ok = 0;
    }
    if (dc->IsScreen)
        GreCursorRestore();
    RgnFree(&clip);
    if (!ok)
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
    return ok ? (Hs < 0 ? -Hs : Hs) : 0;
}

/* CreateDIBSection: a bitmap whose bits the program reads and writes
 * directly (GdiFlush first, as on Win32), because they are the same pages
 * the engine draws on: the host maps them into both processes. 32 bpp
 * BI_RGB only, top-down or bottom-up (a negative stride). Returns the
 * bitmap and, in *ClientBits, where the bits are for the program. */
GDI_HANDLE GreCreateDIBSection(GDI_HANDLE Dc, const uint8_t *Info, uint32_t InfoBytes, uint32_t Usage,
                               uint32_t *ClientBits) {
    GDI_DIB_FORMAT f;
    if ((Dc && !GreDc(Dc)) || !NT_SUCCESS(GdiDibParseInfo(Info, InfoBytes, Usage, &f)) || f.BitCount != 32 ||
        f.Compression != 0 /* BI_RGB */ || f.Width > 4096 || f.Height > 4096) {
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    uint32_t stride = 4u * (uint32_t)f.Width, bytes = stride * (uint32_t)f.Height; /* at most 64 MiB */
    uint32_t owner = GdiHostCurrentOwner();
    if (bytes > GDI_PROCESS_SHARED_QUOTA - GdiOwnerSharedBytes(owner)) { /* this process has its share */
        GreSetLastError(GDI_ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    GRE_BITMAP *b = GdiHostAlloc(sizeof *b);
    void *cookie = NULL;
    uint8_t *bits = b ? GdiHostAllocShared(bytes, ClientBits, &cookie) : NULL;
    if (!bits) {
        GdiHostFree(b);
        GreSetLastError(GDI_ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    b->SharedCookie = cookie;
    b->BitsPerPixel = 32;
    b->Surface.Width = f.Width;
    b->Surface.Height = f.Height;
    if (f.TopDown) {
        b->Surface.Bits = (GDI_PIXEL *)bits;
        b->Surface.Stride = (int32_t)stride;
    } else { /* row 0 of the picture is the last in memory */
        b->Surface.Bits = (GDI_PIXEL *)(bits + (size_t)stride * (uint32_t)(f.Height - 1));
        b->Surface.Stride = -(int32_t)stride;
    }
    GDI_HANDLE h = GreInsert(b, GDI_OBJECT_TYPE_BITMAP, GreFreeBitmapObject);
    if (h) { /* now the owner holds a handle to charge it to */
        GdiChargeShared(owner, bytes);
        b->SharedOwner = owner;
        b->SharedBytes = bytes;
    }
    return h;
}
