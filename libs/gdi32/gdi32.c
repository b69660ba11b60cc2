/*
 * gdi32.c - the Win32 GDI functions: each becomes one record for the
 * engine (subsys/gdi/gdi.h's call list), batched when it returns only
 * TRUE/FALSE.
 *
 * Why: gdi32 does no drawing itself (NT 3.51's did very little either);
 * its job is to check what only the client can check (pointers it must
 * read, counts against the data), copy the data the engine needs into the
 * record, turn ANSI strings into Unicode, and give Win32's answers. Every
 * handle and number is checked again by the engine, which trusts nothing.
 */
#include "gdi32p.h"

#define MAX_POINTS 4096
#define MAX_CHARS 4096

/* ---- ANSI to Unicode (code page 1252 is Latin-1 here) ---- */

static uint16_t *widen(LPCSTR Text, int Count, uint16_t *Buffer, int Capacity) {
    if (Count < 0 || Count > Capacity)
        return NULL;
    for (int i = 0; i < Count; i++)
        Buffer[i] = (uint8_t)Text[i];
    return Buffer;
}

/* ---- lines and shapes (batched) ---- */

WINBOOL WINAPI MoveToEx(HDC hdc, int x, int y, LPPOINT old) {
    if (!old)
        return GdipBatch(GdiCallMoveTo, ARGS(H(hdc), (uint32_t)x, (uint32_t)y), NULL, 0);
    return GdipCall(GdiCallMoveToEx, ARGS(H(hdc), (uint32_t)x, (uint32_t)y), NULL, 0, old, sizeof *old);
}

WINBOOL WINAPI LineTo(HDC hdc, int x, int y) {
    return GdipBatch(GdiCallLineTo, ARGS(H(hdc), (uint32_t)x, (uint32_t)y), NULL, 0);
}

static WINBOOL points_call(uint16_t Call, HDC hdc, CONST POINT *pts, DWORD count) {
    if (!pts || count == 0 || count > MAX_POINTS) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return GdipBatch(Call, ARGS(H(hdc), count), pts, count * sizeof(POINT));
}

WINBOOL WINAPI Polyline(HDC hdc, CONST POINT *apt, int cpt) {
    return cpt < 0 ? FALSE : points_call(GdiCallPolyline, hdc, apt, (DWORD)cpt);
}
WINBOOL WINAPI PolylineTo(HDC hdc, CONST POINT *apt, DWORD cpt) {
    return points_call(GdiCallPolylineTo, hdc, apt, cpt);
}
WINBOOL WINAPI Polygon(HDC hdc, CONST POINT *apt, int cpt) {
    return cpt < 0 ? FALSE : points_call(GdiCallPolygon, hdc, apt, (DWORD)cpt);
}

WINBOOL WINAPI PolyPolygon(HDC hdc, CONST POINT *apt, CONST INT *asz, int csz) {
    static uint8_t data[4 * 1024 + MAX_POINTS * sizeof(POINT)];
    if (!apt || !asz || csz <= 0 || csz > 1024) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    uint32_t total = 0;
    for (int i = 0; i < csz; i++) {
        if (asz[i] < 2 || total + (uint32_t)asz[i] > MAX_POINTS) {
            SetLastError(ERROR_INVALID_PARAMETER);
            return FALSE;
        }
        total += (uint32_t)asz[i];
    }
    CopyMemory(data, asz, 4 * (size_t)csz);
    CopyMemory(data + 4 * csz, apt, total * sizeof(POINT));
    return GdipBatch(GdiCallPolyPolygon, ARGS(H(hdc), (uint32_t)csz, total), data,
                     4 * (uint32_t)csz + total * 8);
}

WINBOOL WINAPI Rectangle(HDC hdc, int l, int t, int r, int b) {
    return GdipBatch(GdiCallRectangle, ARGS(H(hdc), (uint32_t)l, (uint32_t)t, (uint32_t)r, (uint32_t)b), NULL,
                     0);
}
WINBOOL WINAPI RoundRect(HDC hdc, int l, int t, int r, int b, int w, int h) {
    return GdipBatch(
        GdiCallRoundRect,
        ARGS(H(hdc), (uint32_t)l, (uint32_t)t, (uint32_t)r, (uint32_t)b, (uint32_t)w, (uint32_t)h), NULL, 0);
}
WINBOOL WINAPI Ellipse(HDC hdc, int l, int t, int r, int b) {
    return GdipBatch(GdiCallEllipse, ARGS(H(hdc), (uint32_t)l, (uint32_t)t, (uint32_t)r, (uint32_t)b), NULL,
                     0);
}

#define ARC_LIKE(Name)                                                                                       \
    WINBOOL WINAPI Name(HDC hdc, int l, int t, int r, int b, int x1, int y1, int x2, int y2) {               \
        return GdipBatch(GdiCall##Name,                                                                      \
                         ARGS(H(hdc), (uint32_t)l, (uint32_t)t, (uint32_t)r, (uint32_t)b, (uint32_t)x1,      \
                              (uint32_t)y1, (uint32_t)x2, (uint32_t)y2),                                     \
                         NULL, 0);                                                                           \
    }
ARC_LIKE(Arc)
ARC_LIKE(Chord)
ARC_LIKE(Pie)

WINBOOL WINAPI PatBlt(HDC hdc, int x, int y, int w, int h, DWORD rop) {
    return GdipBatch(GdiCallPatBlt, ARGS(H(hdc), (uint32_t)x, (uint32_t)y, (uint32_t)w, (uint32_t)h, rop),
                     NULL, 0);
}

WINBOOL WINAPI BitBlt(HDC hdc, int x, int y, int cx, int cy, HDC src, int x1, int y1, DWORD rop) {
    return GdipBatch(GdiCallBitBlt,
                     ARGS(H(hdc), (uint32_t)x, (uint32_t)y, (uint32_t)cx, (uint32_t)cy, H(src), (uint32_t)x1,
                          (uint32_t)y1, rop),
                     NULL, 0);
}

WINBOOL WINAPI StretchBlt(HDC hdc, int x, int y, int w, int h, HDC src, int xs, int ys, int ws, int hs,
                          DWORD rop) {
    return GdipBatch(GdiCallStretchBlt,
                     ARGS(H(hdc), (uint32_t)x, (uint32_t)y, (uint32_t)w, (uint32_t)h, H(src), (uint32_t)xs,
                          (uint32_t)ys, (uint32_t)ws, (uint32_t)hs, rop),
                     NULL, 0);
}

WINBOOL WINAPI SetPixelV(HDC hdc, int x, int y, COLORREF c) {
    return GdipBatch(GdiCallSetPixelV, ARGS(H(hdc), (uint32_t)x, (uint32_t)y, c), NULL, 0);
}
COLORREF WINAPI SetPixel(HDC hdc, int x, int y, COLORREF c) {
    return GdipCall(GdiCallSetPixel, ARGS(H(hdc), (uint32_t)x, (uint32_t)y, c), NULL, 0, NULL, 0);
}
COLORREF WINAPI GetPixel(HDC hdc, int x, int y) {
    return GdipCall(GdiCallGetPixel, ARGS(H(hdc), (uint32_t)x, (uint32_t)y), NULL, 0, NULL, 0);
}

WINBOOL WINAPI FillRgn(HDC hdc, HRGN rgn, HBRUSH br) {
    return GdipBatch(GdiCallFillRgn, ARGS(H(hdc), H(rgn), H(br)), NULL, 0);
}
WINBOOL WINAPI PaintRgn(HDC hdc, HRGN rgn) {
    return GdipBatch(GdiCallPaintRgn, ARGS(H(hdc), H(rgn)), NULL, 0);
}
WINBOOL WINAPI FrameRgn(HDC hdc, HRGN rgn, HBRUSH br, int w, int h) {
    return GdipBatch(GdiCallFrameRgn, ARGS(H(hdc), H(rgn), H(br), (uint32_t)w, (uint32_t)h), NULL, 0);
}
WINBOOL WINAPI InvertRgn(HDC hdc, HRGN rgn) {
    return GdipBatch(GdiCallInvertRgn, ARGS(H(hdc), H(rgn)), NULL, 0);
}

/* ---- text ---- */

WINBOOL WINAPI TextOutW(HDC hdc, int x, int y, LPCWSTR s, int c) {
    if (c < 0 || c > MAX_CHARS || (c && !s)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return GdipBatch(GdiCallTextOut, ARGS(H(hdc), (uint32_t)x, (uint32_t)y, (uint32_t)c), s, 2 * (uint32_t)c);
}

WINBOOL WINAPI TextOutA(HDC hdc, int x, int y, LPCSTR s, int c) {
    static uint16_t w[MAX_CHARS];
    if (c && !s)
        return FALSE;
    uint16_t *text = widen(s, c, w, MAX_CHARS);
    return text ? TextOutW(hdc, x, y, text, c) : FALSE;
}

WINBOOL WINAPI ExtTextOutW(HDC hdc, int x, int y, UINT options, CONST RECT *rect, LPCWSTR s, UINT c,
                           CONST INT *dx) {
    static uint8_t data[MAX_CHARS * 6 + 4];
    if (c > MAX_CHARS || (c && !s)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    RECT r = rect ? *rect : (RECT){0, 0, 0, 0};
    uint32_t chars = (2 * c + 3) & ~3u;
    ZeroMemory(data, chars);
    if (c)
        CopyMemory(data, s, 2 * c);
    if (dx && c)
        CopyMemory(data + chars, dx, 4 * c);
    if (!rect)
        options &= ~(UINT)(ETO_OPAQUE | ETO_CLIPPED);
    return GdipBatch(GdiCallExtTextOut,
                     ARGS(H(hdc), (uint32_t)x, (uint32_t)y, options, (uint32_t)r.left, (uint32_t)r.top,
                          (uint32_t)r.right, (uint32_t)r.bottom, c, dx ? 1u : 0u),
                     data, chars + (dx ? 4 * c : 0));
}

WINBOOL WINAPI ExtTextOutA(HDC hdc, int x, int y, UINT options, CONST RECT *rect, LPCSTR s, UINT c,
                           CONST INT *dx) {
    static uint16_t w[MAX_CHARS];
    if (c && !s)
        return FALSE;
    uint16_t *text = widen(s, (int)c, w, MAX_CHARS);
    return text ? ExtTextOutW(hdc, x, y, options, rect, text, c, dx) : FALSE;
}

WINBOOL WINAPI GetTextExtentPoint32W(HDC hdc, LPCWSTR s, int c, LPSIZE size) {
    if (c < 0 || c > MAX_CHARS || !size || (c && !s)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return GdipCall(GdiCallGetTextExtentPoint32, ARGS(H(hdc), (uint32_t)c), s, 2 * (uint32_t)c, size,
                    sizeof *size);
}

WINBOOL WINAPI GetTextExtentPoint32A(HDC hdc, LPCSTR s, int c, LPSIZE size) {
    static uint16_t w[MAX_CHARS];
    if (c && !s)
        return FALSE;
    uint16_t *text = widen(s, c, w, MAX_CHARS);
    return text ? GetTextExtentPoint32W(hdc, text, c, size) : FALSE;
}

WINBOOL WINAPI GetTextExtentPointW(HDC hdc, LPCWSTR s, int c, LPSIZE size) {
    return GetTextExtentPoint32W(hdc, s, c, size);
}
WINBOOL WINAPI GetTextExtentPointA(HDC hdc, LPCSTR s, int c, LPSIZE size) {
    return GetTextExtentPoint32A(hdc, s, c, size);
}

WINBOOL WINAPI GetTextMetricsW(HDC hdc, LPTEXTMETRICW tm) {
    if (!tm) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return GdipCall(GdiCallGetTextMetrics, ARGS(H(hdc)), NULL, 0, tm, sizeof *tm);
}

WINBOOL WINAPI GetTextMetricsA(HDC hdc, LPTEXTMETRICA tm) {
    TEXTMETRICW w;
    if (!tm || !GetTextMetricsW(hdc, &w))
        return FALSE;
    tm->tmHeight = w.tmHeight;
    tm->tmAscent = w.tmAscent;
    tm->tmDescent = w.tmDescent;
    tm->tmInternalLeading = w.tmInternalLeading;
    tm->tmExternalLeading = w.tmExternalLeading;
    tm->tmAveCharWidth = w.tmAveCharWidth;
    tm->tmMaxCharWidth = w.tmMaxCharWidth;
    tm->tmWeight = w.tmWeight;
    tm->tmOverhang = w.tmOverhang;
    tm->tmDigitizedAspectX = w.tmDigitizedAspectX;
    tm->tmDigitizedAspectY = w.tmDigitizedAspectY;
    tm->tmFirstChar = (BYTE)(w.tmFirstChar > 255 ? 255 : w.tmFirstChar);
    tm->tmLastChar = (BYTE)(w.tmLastChar > 255 ? 255 : w.tmLastChar);
    tm->tmDefaultChar = (BYTE)(w.tmDefaultChar > 255 ? '?' : w.tmDefaultChar);
    tm->tmBreakChar = (BYTE)(w.tmBreakChar > 255 ? ' ' : w.tmBreakChar);
    tm->tmItalic = w.tmItalic;
    tm->tmUnderlined = w.tmUnderlined;
    tm->tmStruckOut = w.tmStruckOut;
    tm->tmPitchAndFamily = w.tmPitchAndFamily;
    tm->tmCharSet = w.tmCharSet;
    return TRUE;
}

/* ---- objects ---- */

HPEN WINAPI CreatePen(int style, int width, COLORREF c) {
    return (HPEN)(ULONG_PTR)GdipCall(GdiCallCreatePen, ARGS((uint32_t)style, (uint32_t)width, c), NULL, 0,
                                     NULL, 0);
}
HPEN WINAPI CreatePenIndirect(CONST LOGPEN *lp) {
    if (!lp) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return CreatePen((int)lp->lopnStyle, lp->lopnWidth.x, lp->lopnColor);
}
HBRUSH WINAPI CreateSolidBrush(COLORREF c) {
    return (HBRUSH)(ULONG_PTR)GdipCall(GdiCallCreateSolidBrush, ARGS(c), NULL, 0, NULL, 0);
}
HBRUSH WINAPI CreateHatchBrush(int style, COLORREF c) {
    return (HBRUSH)(ULONG_PTR)GdipCall(GdiCallCreateHatchBrush, ARGS((uint32_t)style, c), NULL, 0, NULL, 0);
}
HBRUSH WINAPI CreatePatternBrush(HBITMAP bm) {
    return (HBRUSH)(ULONG_PTR)GdipCall(GdiCallCreatePatternBrush, ARGS(H(bm)), NULL, 0, NULL, 0);
}
HBRUSH WINAPI CreateBrushIndirect(CONST LOGBRUSH *lb) {
    if (!lb) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    switch (lb->lbStyle) {
    case BS_SOLID: return CreateSolidBrush(lb->lbColor);
    case BS_HATCHED: return CreateHatchBrush((int)lb->lbHatch, lb->lbColor);
    case BS_NULL: return (HBRUSH)GetStockObject(NULL_BRUSH);
    case BS_PATTERN: return CreatePatternBrush((HBITMAP)lb->lbHatch);
    default: SetLastError(ERROR_INVALID_PARAMETER); return NULL;
    }
}

HBITMAP WINAPI CreateBitmap(int w, int h, UINT planes, UINT bpp, CONST VOID *bits) {
    uint32_t row = (((uint32_t)(w > 0 ? w : 0) * bpp + 15) / 16) * 2;
    uint64_t bytes = bits && h > 0 ? (uint64_t)row * (uint32_t)h : 0;
    if (bytes > 65536 - 2048) { /* one record: bigger bitmaps are filled with SetDIBits */
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    return (HBITMAP)(ULONG_PTR)GdipCall(GdiCallCreateBitmap, ARGS((uint32_t)w, (uint32_t)h, planes, bpp),
                                        bits, (uint32_t)bytes, NULL, 0);
}
HBITMAP WINAPI CreateBitmapIndirect(CONST BITMAP *bm) {
    if (!bm) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return CreateBitmap(bm->bmWidth, bm->bmHeight, bm->bmPlanes, bm->bmBitsPixel, bm->bmBits);
}
HBITMAP WINAPI CreateCompatibleBitmap(HDC hdc, int w, int h) {
    return (HBITMAP)(ULONG_PTR)GdipCall(GdiCallCreateCompatibleBitmap, ARGS(H(hdc), (uint32_t)w, (uint32_t)h),
                                        NULL, 0, NULL, 0);
}
HDC WINAPI CreateCompatibleDC(HDC hdc) {
    return (HDC)(ULONG_PTR)GdipCall(GdiCallCreateCompatibleDC, ARGS(H(hdc)), NULL, 0, NULL, 0);
}

HFONT WINAPI CreateFontIndirectW(CONST LOGFONTW *lf) {
    if (!lf) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return (HFONT)(ULONG_PTR)GdipCall(GdiCallCreateFontIndirect, NULL, 0, lf, sizeof *lf, NULL, 0);
}

HFONT WINAPI CreateFontIndirectA(CONST LOGFONTA *lf) {
    if (!lf) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    LOGFONTW w;
    CopyMemory(&w, lf, offsetof(LOGFONTA, lfFaceName));
    for (int i = 0; i < LF_FACESIZE; i++)
        w.lfFaceName[i] = (uint8_t)lf->lfFaceName[i];
    w.lfFaceName[LF_FACESIZE - 1] = 0;
    return CreateFontIndirectW(&w);
}

HFONT WINAPI CreateFontW(int h, int w, int esc, int orient, int weight, DWORD italic, DWORD underline,
                         DWORD strike, DWORD charset, DWORD outp, DWORD clipp, DWORD quality, DWORD pitch,
                         LPCWSTR face) {
    LOGFONTW lf;
    ZeroMemory(&lf, sizeof lf);
    lf.lfHeight = h;
    lf.lfWidth = w;
    lf.lfEscapement = esc;
    lf.lfOrientation = orient;
    lf.lfWeight = weight;
    lf.lfItalic = (BYTE)italic;
    lf.lfUnderline = (BYTE)underline;
    lf.lfStrikeOut = (BYTE)strike;
    lf.lfCharSet = (BYTE)charset;
    lf.lfOutPrecision = (BYTE)outp;
    lf.lfClipPrecision = (BYTE)clipp;
    lf.lfQuality = (BYTE)quality;
    lf.lfPitchAndFamily = (BYTE)pitch;
    for (int i = 0; face && face[i] && i < LF_FACESIZE - 1; i++)
        lf.lfFaceName[i] = face[i];
    return CreateFontIndirectW(&lf);
}

HFONT WINAPI CreateFontA(int h, int w, int esc, int orient, int weight, DWORD italic, DWORD underline,
                         DWORD strike, DWORD charset, DWORD outp, DWORD clipp, DWORD quality, DWORD pitch,
                         LPCSTR face) {
    WCHAR wface[LF_FACESIZE] = {0};
    for (int i = 0; face && face[i] && i < LF_FACESIZE - 1; i++)
        wface[i] = (uint8_t)face[i];
    return CreateFontW(h, w, esc, orient, weight, italic, underline, strike, charset, outp, clipp, quality,
                       pitch, wface);
}

HGDIOBJ WINAPI GetStockObject(int i) {
    return (HGDIOBJ)(ULONG_PTR)GdipCall(GdiCallGetStockObject, ARGS((uint32_t)i), NULL, 0, NULL, 0);
}
HGDIOBJ WINAPI SelectObject(HDC hdc, HGDIOBJ h) {
    return (HGDIOBJ)(ULONG_PTR)GdipCall(GdiCallSelectObject, ARGS(H(hdc), H(h)), NULL, 0, NULL, 0);
}
WINBOOL WINAPI DeleteObject(HGDIOBJ h) {
    return GdipCall(GdiCallDeleteObject, ARGS(H(h)), NULL, 0, NULL, 0);
}
WINBOOL WINAPI DeleteDC(HDC hdc) {
    return GdipCall(GdiCallDeleteDC, ARGS(H(hdc)), NULL, 0, NULL, 0);
}
int WINAPI SaveDC(HDC hdc) {
    return (int)GdipCall(GdiCallSaveDC, ARGS(H(hdc)), NULL, 0, NULL, 0);
}
WINBOOL WINAPI RestoreDC(HDC hdc, int n) {
    return GdipCall(GdiCallRestoreDC, ARGS(H(hdc), (uint32_t)n), NULL, 0, NULL, 0);
}

int WINAPI GetObjectW(HANDLE h, int c, LPVOID pv) {
    if (c < 0 || (c && !pv)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    return (int)GdipCall(GdiCallGetObject, ARGS(H(h), pv ? (uint32_t)c : 0u), NULL, 0, pv, (uint32_t)c);
}

int WINAPI GetObjectA(HANDLE h, int c, LPVOID pv) {
    if (((ULONG_PTR)h >> 16 & 0x7F) != 0x0A) /* not a font: the same structures */
        return GetObjectW(h, c, pv);
    LOGFONTW w;
    if (!pv)
        return sizeof(LOGFONTA);
    if (!GetObjectW(h, sizeof w, &w))
        return 0;
    LOGFONTA a;
    CopyMemory(&a, &w, offsetof(LOGFONTA, lfFaceName));
    for (int i = 0; i < LF_FACESIZE; i++)
        a.lfFaceName[i] = (CHAR)(w.lfFaceName[i] < 256 ? w.lfFaceName[i] : '?');
    int n = c < (int)sizeof a ? c : (int)sizeof a;
    CopyMemory(pv, &a, (size_t)n);
    return n;
}

/* ---- DC attributes ---- */

#define ATTRIBUTE(Type, Name, Call)                                                                          \
    Type WINAPI Name(HDC hdc, Type v) {                                                                      \
        return (Type)GdipCall(Call, ARGS(H(hdc), (uint32_t)v), NULL, 0, NULL, 0);                            \
    }
ATTRIBUTE(COLORREF, SetTextColor, GdiCallSetTextColor)
ATTRIBUTE(COLORREF, SetBkColor, GdiCallSetBkColor)

int WINAPI SetBkMode(HDC hdc, int m) {
    return (int)GdipCall(GdiCallSetBkMode, ARGS(H(hdc), (uint32_t)m), NULL, 0, NULL, 0);
}
int WINAPI SetROP2(HDC hdc, int m) {
    return (int)GdipCall(GdiCallSetROP2, ARGS(H(hdc), (uint32_t)m), NULL, 0, NULL, 0);
}
UINT WINAPI SetTextAlign(HDC hdc, UINT a) {
    return GdipCall(GdiCallSetTextAlign, ARGS(H(hdc), a), NULL, 0, NULL, 0);
}
int WINAPI SetPolyFillMode(HDC hdc, int m) {
    return (int)GdipCall(GdiCallSetPolyFillMode, ARGS(H(hdc), (uint32_t)m), NULL, 0, NULL, 0);
}
int WINAPI SetStretchBltMode(HDC hdc, int m) {
    return (int)GdipCall(GdiCallSetStretchBltMode, ARGS(H(hdc), (uint32_t)m), NULL, 0, NULL, 0);
}
int WINAPI SetArcDirection(HDC hdc, int d) {
    return (int)GdipCall(GdiCallSetArcDirection, ARGS(H(hdc), (uint32_t)d), NULL, 0, NULL, 0);
}
WINBOOL WINAPI SetBrushOrgEx(HDC hdc, int x, int y, LPPOINT old) {
    POINT p;
    BOOL ok = GdipCall(GdiCallSetBrushOrgEx, ARGS(H(hdc), (uint32_t)x, (uint32_t)y), NULL, 0, &p, sizeof p);
    if (ok && old)
        *old = p;
    return ok;
}
int WINAPI GetDeviceCaps(HDC hdc, int index) {
    return (int)GdipCall(GdiCallGetDeviceCaps, ARGS(H(hdc), (uint32_t)index), NULL, 0, NULL, 0);
}

/* ---- mapping ---- */

int WINAPI SetMapMode(HDC hdc, int m) {
    return (int)GdipCall(GdiCallSetMapMode, ARGS(H(hdc), (uint32_t)m), NULL, 0, NULL, 0);
}
int WINAPI GetMapMode(HDC hdc) {
    return (int)GdipCall(GdiCallGetMapMode, ARGS(H(hdc)), NULL, 0, NULL, 0);
}

static WINBOOL set_point(uint16_t Call, HDC hdc, int x, int y, void *old) {
    POINT p;
    BOOL ok = GdipCall(Call, ARGS(H(hdc), (uint32_t)x, (uint32_t)y), NULL, 0, &p, sizeof p);
    if (ok && old)
        CopyMemory(old, &p, sizeof p);
    return ok;
}
static WINBOOL get_point(uint16_t Call, HDC hdc, void *out) {
    POINT p;
    if (!out) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    BOOL ok = GdipCall(Call, ARGS(H(hdc)), NULL, 0, &p, sizeof p);
    if (ok)
        CopyMemory(out, &p, sizeof p);
    return ok;
}
WINBOOL WINAPI SetWindowOrgEx(HDC hdc, int x, int y, LPPOINT o) {
    return set_point(GdiCallSetWindowOrgEx, hdc, x, y, o);
}
WINBOOL WINAPI SetViewportOrgEx(HDC hdc, int x, int y, LPPOINT o) {
    return set_point(GdiCallSetViewportOrgEx, hdc, x, y, o);
}
WINBOOL WINAPI SetWindowExtEx(HDC hdc, int x, int y, LPSIZE o) {
    return set_point(GdiCallSetWindowExtEx, hdc, x, y, o);
}
WINBOOL WINAPI SetViewportExtEx(HDC hdc, int x, int y, LPSIZE o) {
    return set_point(GdiCallSetViewportExtEx, hdc, x, y, o);
}
WINBOOL WINAPI GetWindowOrgEx(HDC hdc, LPPOINT p) {
    return get_point(GdiCallGetWindowOrgEx, hdc, p);
}
WINBOOL WINAPI GetViewportOrgEx(HDC hdc, LPPOINT p) {
    return get_point(GdiCallGetViewportOrgEx, hdc, p);
}
WINBOOL WINAPI GetWindowExtEx(HDC hdc, LPSIZE p) {
    return get_point(GdiCallGetWindowExtEx, hdc, p);
}
WINBOOL WINAPI GetViewportExtEx(HDC hdc, LPSIZE p) {
    return get_point(GdiCallGetViewportExtEx, hdc, p);
}
WINBOOL WINAPI OffsetViewportOrgEx(HDC hdc, int x, int y, LPPOINT o) {
    POINT p;
    return GetViewportOrgEx(hdc, &p) && SetViewportOrgEx(hdc, p.x + x, p.y + y, o);
}
WINBOOL WINAPI OffsetWindowOrgEx(HDC hdc, int x, int y, LPPOINT o) {
    POINT p;
    return GetWindowOrgEx(hdc, &p) && SetWindowOrgEx(hdc, p.x + x, p.y + y, o);
}

static WINBOOL convert(uint16_t Call, HDC hdc, LPPOINT pts, int c) {
    if (c < 0 || c > MAX_POINTS || (c && !pts)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return GdipCall(Call, ARGS(H(hdc), (uint32_t)c), pts, 8 * (uint32_t)c, pts, 8 * (uint32_t)c);
}
WINBOOL WINAPI DPtoLP(HDC hdc, LPPOINT pts, int c) {
    return convert(GdiCallDPtoLP, hdc, pts, c);
}
WINBOOL WINAPI LPtoDP(HDC hdc, LPPOINT pts, int c) {
    return convert(GdiCallLPtoDP, hdc, pts, c);
}

/* ---- regions and clipping ---- */

HRGN WINAPI CreateRectRgn(int l, int t, int r, int b) {
    return (HRGN)(ULONG_PTR)GdipCall(
        GdiCallCreateRectRgn, ARGS((uint32_t)l, (uint32_t)t, (uint32_t)r, (uint32_t)b), NULL, 0, NULL, 0);
}
HRGN WINAPI CreateRectRgnIndirect(CONST RECT *r) {
    return r ? CreateRectRgn(r->left, r->top, r->right, r->bottom) : NULL;
}
HRGN WINAPI CreateEllipticRgn(int l, int t, int r, int b) {
    return (HRGN)(ULONG_PTR)GdipCall(
        GdiCallCreateEllipticRgn, ARGS((uint32_t)l, (uint32_t)t, (uint32_t)r, (uint32_t)b), NULL, 0, NULL, 0);
}
HRGN WINAPI CreateEllipticRgnIndirect(CONST RECT *r) {
    return r ? CreateEllipticRgn(r->left, r->top, r->right, r->bottom) : NULL;
}
HRGN WINAPI CreateRoundRectRgn(int l, int t, int r, int b, int w, int h) {
    return (HRGN)(ULONG_PTR)GdipCall(
        GdiCallCreateRoundRectRgn,
        ARGS((uint32_t)l, (uint32_t)t, (uint32_t)r, (uint32_t)b, (uint32_t)w, (uint32_t)h), NULL, 0, NULL, 0);
}
HRGN WINAPI CreatePolygonRgn(CONST POINT *pts, int c, int mode) {
    if (!pts || c < 0 || c > MAX_POINTS) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return (HRGN)(ULONG_PTR)GdipCall(GdiCallCreatePolygonRgn, ARGS((uint32_t)c, (uint32_t)mode), pts,
                                     8 * (uint32_t)c, NULL, 0);
}
int WINAPI CombineRgn(HRGN d, HRGN a, HRGN b, int mode) {
    return (int)GdipCall(GdiCallCombineRgn, ARGS(H(d), H(a), H(b), (uint32_t)mode), NULL, 0, NULL, 0);
}
int WINAPI OffsetRgn(HRGN r, int x, int y) {
    return (int)GdipCall(GdiCallOffsetRgn, ARGS(H(r), (uint32_t)x, (uint32_t)y), NULL, 0, NULL, 0);
}
WINBOOL WINAPI PtInRegion(HRGN r, int x, int y) {
    return GdipCall(GdiCallPtInRegion, ARGS(H(r), (uint32_t)x, (uint32_t)y), NULL, 0, NULL, 0);
}
WINBOOL WINAPI RectInRegion(HRGN r, CONST RECT *rc) {
    if (!rc)
        return FALSE;
    return GdipCall(
        GdiCallRectInRegion,
        ARGS(H(r), (uint32_t)rc->left, (uint32_t)rc->top, (uint32_t)rc->right, (uint32_t)rc->bottom), NULL, 0,
        NULL, 0);
}
WINBOOL WINAPI EqualRgn(HRGN a, HRGN b) {
    return GdipCall(GdiCallEqualRgn, ARGS(H(a), H(b)), NULL, 0, NULL, 0);
}
int WINAPI GetRgnBox(HRGN r, LPRECT box) {
    RECT b;
    int c = (int)GdipCall(GdiCallGetRgnBox, ARGS(H(r)), NULL, 0, &b, sizeof b);
    if (c && box)
        *box = b;
    return c;
}
WINBOOL WINAPI SetRectRgn(HRGN r, int l, int t, int rr, int b) {
    return GdipCall(GdiCallSetRectRgn, ARGS(H(r), (uint32_t)l, (uint32_t)t, (uint32_t)rr, (uint32_t)b), NULL,
                    0, NULL, 0);
}
int WINAPI SelectClipRgn(HDC hdc, HRGN r) {
    return (int)GdipCall(GdiCallSelectClipRgn, ARGS(H(hdc), H(r)), NULL, 0, NULL, 0);
}
int WINAPI ExtSelectClipRgn(HDC hdc, HRGN r, int mode) {
    return (int)GdipCall(GdiCallExtSelectClipRgn, ARGS(H(hdc), H(r), (uint32_t)mode), NULL, 0, NULL, 0);
}
int WINAPI IntersectClipRect(HDC hdc, int l, int t, int r, int b) {
    return (int)GdipCall(GdiCallIntersectClipRect,
                         ARGS(H(hdc), (uint32_t)l, (uint32_t)t, (uint32_t)r, (uint32_t)b), NULL, 0, NULL, 0);
}
int WINAPI ExcludeClipRect(HDC hdc, int l, int t, int r, int b) {
    return (int)GdipCall(GdiCallExcludeClipRect,
                         ARGS(H(hdc), (uint32_t)l, (uint32_t)t, (uint32_t)r, (uint32_t)b), NULL, 0, NULL, 0);
}
int WINAPI GetClipBox(HDC hdc, LPRECT box) {
    RECT b;
    int c = (int)GdipCall(GdiCallGetClipBox, ARGS(H(hdc)), NULL, 0, &b, sizeof b);
    if (c && box)
        *box = b;
    return c;
}

/* ---- DIBs ---- */

/* The BITMAPINFO's size: header, masks, colour table (as Win32 sizes it). */
static uint32_t info_size(CONST BITMAPINFO *bmi) {
    if (!bmi || bmi->bmiHeader.biSize < sizeof(BITMAPINFOHEADER) || bmi->bmiHeader.biSize > 124)
        return 0;
    uint32_t colors = bmi->bmiHeader.biClrUsed;
    if (bmi->bmiHeader.biBitCount <= 8 && colors == 0)
        colors = 1u << bmi->bmiHeader.biBitCount;
    if (colors > 256)
        return 0;
    uint32_t masks = bmi->bmiHeader.biCompression == BI_BITFIELDS && bmi->bmiHeader.biSize == 40 ? 12 : 0;
    return bmi->bmiHeader.biSize + masks + 4 * (bmi->bmiHeader.biBitCount <= 8 ? colors : 0);
}

static uint32_t image_bytes(CONST BITMAPINFO *bmi, UINT lines) {
    uint64_t stride =
        (((uint64_t)(bmi->bmiHeader.biWidth > 0 ? bmi->bmiHeader.biWidth : 0) * bmi->bmiHeader.biBitCount +
          31) /
         32) *
        4;
    uint64_t bytes = stride * lines;
    return bytes > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)bytes;
}

/* Info and bits as one record's data; NULL when they do not fit one record. */
static uint8_t *pack_dib(CONST BITMAPINFO *bmi, CONST VOID *bits, UINT lines, uint32_t *Bytes) {
    static uint8_t data[65536 - 1024];
    uint32_t info = info_size(bmi), image = bmi ? image_bytes(bmi, lines) : 0;
    if (!info || !bits || image > sizeof data - info) {
        SetLastError(info && bits ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER);
        return NULL;
    }
    CopyMemory(data, bmi, info);
    CopyMemory(data + info, bits, image);
    *Bytes = info + image;
    return data;
}

int WINAPI SetDIBits(HDC hdc, HBITMAP hbm, UINT start, UINT lines, CONST VOID *bits, CONST BITMAPINFO *bmi,
                     UINT use) {
    uint32_t bytes;
    uint8_t *data = pack_dib(bmi, bits, lines, &bytes);
    return data ? (int)GdipCall(GdiCallSetDIBits, ARGS(H(hdc), H(hbm), start, lines, use), data, bytes, NULL,
                                0)
                : 0;
}

int WINAPI GetDIBits(HDC hdc, HBITMAP hbm, UINT start, UINT lines, LPVOID bits, LPBITMAPINFO bmi, UINT use) {
    uint32_t info = info_size(bmi);
    if (!info || !bits) { /* asking for the format only is not supported */
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    uint32_t image = image_bytes(bmi, lines);
    return (int)GdipCall(GdiCallGetDIBits, ARGS(H(hdc), H(hbm), start, lines, use, image), bmi, info, bits,
                         image);
}

int WINAPI StretchDIBits(HDC hdc, int xd, int yd, int wd, int hd, int xs, int ys, int ws, int hs,
                         CONST VOID *bits, CONST BITMAPINFO *bmi, UINT use, DWORD rop) {
    uint32_t bytes;
    LONG h = bmi ? bmi->bmiHeader.biHeight : 0;
    uint8_t *data = pack_dib(bmi, bits, (UINT)(h < 0 ? -h : h), &bytes);
    return data ? (int)GdipCall(GdiCallStretchDIBits,
                                ARGS(H(hdc), (uint32_t)xd, (uint32_t)yd, (uint32_t)wd, (uint32_t)hd,
                                     (uint32_t)xs, (uint32_t)ys, (uint32_t)ws, (uint32_t)hs, use, rop),
                                data, bytes, NULL, 0)
                : 0;
}

int WINAPI SetDIBitsToDevice(HDC hdc, int xd, int yd, DWORD w, DWORD h, int xs, int ys, UINT start,
                             UINT lines, CONST VOID *bits, CONST BITMAPINFO *bmi, UINT use) {
    (void)start; /* the whole DIB is sent: lines are its first scans */
    (void)lines;
    return StretchDIBits(hdc, xd, yd, (int)w, (int)h, xs, ys, (int)w, (int)h, bits, bmi, use, SRCCOPY)
               ? (int)h
               : 0;
}

/* ---- for user32 (GetDC, FillRect, DrawText...): the same transport ---- */

DWORD WINAPI GdiDaytonaCall(DWORD Call, CONST DWORD *Args, DWORD Count, CONST VOID *Data, DWORD DataBytes,
                            PVOID Out, DWORD OutBytes) {
    return GdipCall((uint16_t)Call, (const uint32_t *)Args, Count, Data, DataBytes, Out, OutBytes);
}

WINBOOL WINAPI GdiDaytonaBatch(DWORD Call, CONST DWORD *Args, DWORD Count, CONST VOID *Data,
                               DWORD DataBytes) {
    return GdipBatch((uint16_t)Call, (const uint32_t *)Args, Count, Data, DataBytes);
}

/* CreateDIBSection: csrss maps the bits into this process; *bits is where.
 * 32 bpp BI_RGB only, and no caller-supplied section (the engine owns the
 * memory). */
HBITMAP WINAPI CreateDIBSection(HDC hdc, CONST BITMAPINFO *bmi, UINT use, VOID **bits, HANDLE section,
                                DWORD offset) {
    uint32_t info = info_size(bmi);
    if (bits)
        *bits = NULL;
    if (!info || section || offset) {
        SetLastError(section ? ERROR_NOT_SUPPORTED : ERROR_INVALID_PARAMETER);
        return NULL;
    }
    uint32_t client = 0;
    HBITMAP h = (HBITMAP)(ULONG_PTR)GdipCall(GdiCallCreateDIBSection, ARGS(H(hdc), use), bmi, info, &client,
                                             sizeof client);
    if (h && bits)
        *bits = (VOID *)(ULONG_PTR)client;
    return h;
}
