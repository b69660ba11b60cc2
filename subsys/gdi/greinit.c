/*
 * greinit.c - starting the engine, running a batch, and forgetting a
 * process.
 *
 * Why: each host calls exactly these three (gdi.h). GreRunBatch is where
 * a client's records become Gre* calls: gdibatch.c has already checked each
 * record's size and argument count against GDI_CALL_LIST; this file checks
 * what depends on the call (counts against the data actually sent), copies
 * variable data out of the shared buffer before use, and calls the
 * function. A value-returning call's result, last error and returned data
 * go into the reply.
 */
#include "gdibatch.h"
#include "gre.h"

int GreCreateStockObjects(const GDI_DISPLAY *Display);
void GreCursorAttach(GDI_SURFACE *Screen);

/* Gre* functions the table below calls (their files say what they do). */
GDI_HANDLE GreCreatePen(uint32_t, int32_t, GDI_COLORREF);
GDI_HANDLE GreCreateSolidBrush(GDI_COLORREF);
GDI_HANDLE GreCreateHatchBrush(uint32_t, GDI_COLORREF);
GDI_HANDLE GreCreatePatternBrush(GDI_HANDLE);
GDI_HANDLE GreCreateBitmap(int32_t, int32_t, uint32_t, uint32_t, const uint8_t *, uint32_t);
GDI_HANDLE GreCreateCompatibleBitmap(GDI_HANDLE, int32_t, int32_t);
GDI_HANDLE GreCreateCompatibleDC(GDI_HANDLE);
GDI_HANDLE GreCreateFontIndirect(const GDI_LOGFONTW *);
GDI_HANDLE GreSelectObject(GDI_HANDLE, GDI_HANDLE);
int GreDeleteObject(GDI_HANDLE);
int GreDeleteDC(GDI_HANDLE);
GDI_HANDLE GreGetDC(uint32_t);
int GreReleaseDC(uint32_t, GDI_HANDLE);
uint32_t GreGetObject(GDI_HANDLE, uint32_t, uint8_t *);
int32_t GreSaveDC(GDI_HANDLE);
int GreRestoreDC(GDI_HANDLE, int32_t);
uint32_t GreSetTextColor(GDI_HANDLE, uint32_t);
uint32_t GreSetBkColor(GDI_HANDLE, uint32_t);
uint32_t GreSetBkMode(GDI_HANDLE, uint32_t);
uint32_t GreSetROP2(GDI_HANDLE, uint32_t);
uint32_t GreSetTextAlign(GDI_HANDLE, uint32_t);
uint32_t GreSetPolyFillMode(GDI_HANDLE, uint32_t);
uint32_t GreSetStretchBltMode(GDI_HANDLE, uint32_t);
uint32_t GreSetArcDirection(GDI_HANDLE, uint32_t);
int GreSetBrushOrgEx(GDI_HANDLE, int32_t, int32_t, GDI_POINT *);
int GreMoveToEx(GDI_HANDLE, int32_t, int32_t, GDI_POINT *);
int32_t GreSetMapMode(GDI_HANDLE, int32_t);
int32_t GreGetMapMode(GDI_HANDLE);
int GreSetPoint(GDI_HANDLE, int, int32_t, int32_t, GDI_POINT *);
int GreGetPoint(GDI_HANDLE, int, GDI_POINT *);
int GreConvertPoints(GDI_HANDLE, GDI_POINT *, uint32_t, int);
int32_t GreGetDeviceCaps(GDI_HANDLE, uint32_t);
uint32_t GreExtSelectClipRgn(GDI_HANDLE, GDI_HANDLE, uint32_t);
uint32_t GreSelectClipRgn(GDI_HANDLE, GDI_HANDLE);
uint32_t GreClipRect(GDI_HANDLE, int32_t, int32_t, int32_t, int32_t, int);
uint32_t GreGetClipBox(GDI_HANDLE, GDI_RECT *);
uint32_t GreSetPixel(GDI_HANDLE, int32_t, int32_t, GDI_COLORREF);
uint32_t GreGetPixel(GDI_HANDLE, int32_t, int32_t);
int GrePatBlt(GDI_HANDLE, int32_t, int32_t, int32_t, int32_t, uint32_t);
int GreBitBlt(GDI_HANDLE, int32_t, int32_t, int32_t, int32_t, GDI_HANDLE, int32_t, int32_t, uint32_t);
int GreStretchBlt(GDI_HANDLE, int32_t, int32_t, int32_t, int32_t, GDI_HANDLE, int32_t, int32_t, int32_t,
                  int32_t, uint32_t);
int GreFillRect(GDI_HANDLE, int32_t, int32_t, int32_t, int32_t, GDI_HANDLE);
int GreFrameRect(GDI_HANDLE, int32_t, int32_t, int32_t, int32_t, GDI_HANDLE);
int GreInvertRect(GDI_HANDLE, int32_t, int32_t, int32_t, int32_t);
GDI_HANDLE GreCreateRectRgn(int32_t, int32_t, int32_t, int32_t);
GDI_HANDLE GreCreateEllipticRgn(int32_t, int32_t, int32_t, int32_t);
GDI_HANDLE GreCreateRoundRectRgn(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
GDI_HANDLE GreCreatePolygonRgn(const GDI_POINT *, uint32_t, uint32_t);
uint32_t GreCombineRgn(GDI_HANDLE, GDI_HANDLE, GDI_HANDLE, uint32_t);
uint32_t GreOffsetRgn(GDI_HANDLE, int32_t, int32_t);
int GrePtInRegion(GDI_HANDLE, int32_t, int32_t);
int GreRectInRegion(GDI_HANDLE, int32_t, int32_t, int32_t, int32_t);
int GreEqualRgn(GDI_HANDLE, GDI_HANDLE);
uint32_t GreGetRgnBox(GDI_HANDLE, GDI_RECT *);
int GreSetRectRgn(GDI_HANDLE, int32_t, int32_t, int32_t, int32_t);
int GreFillRgn(GDI_HANDLE, GDI_HANDLE, GDI_HANDLE);
int GrePaintRgn(GDI_HANDLE, GDI_HANDLE);
int GreInvertRgn(GDI_HANDLE, GDI_HANDLE);
int GreFrameRgn(GDI_HANDLE, GDI_HANDLE, GDI_HANDLE, int32_t, int32_t);
int GreLineTo(GDI_HANDLE, int32_t, int32_t);
int GrePolyline(GDI_HANDLE, const GDI_POINT *, uint32_t);
int GrePolylineTo(GDI_HANDLE, const GDI_POINT *, uint32_t);
int GrePolygon(GDI_HANDLE, const GDI_POINT *, uint32_t);
int GrePolyPolygon(GDI_HANDLE, const GDI_POINT *, const uint32_t *, uint32_t);
int GreBoxShape(GDI_HANDLE, int, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
int GreArcShape(GDI_HANDLE, uint32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
int GreTextOut(GDI_HANDLE, int32_t, int32_t, const uint16_t *, uint32_t);
int GreExtTextOut(GDI_HANDLE, int32_t, int32_t, uint32_t, const GDI_RECT *, const uint16_t *, uint32_t,
                  const int32_t *);
int GreGetTextExtentPoint32(GDI_HANDLE, const uint16_t *, uint32_t, int32_t *, int32_t *);
int GreGetTextMetrics(GDI_HANDLE, GDI_TEXTMETRICW *);
int32_t GreDrawText(GDI_HANDLE, const uint16_t *, int32_t, GDI_RECT *, uint32_t);
int GreSetDIBits(GDI_HANDLE, GDI_HANDLE, uint32_t, uint32_t, const uint8_t *, uint32_t, uint32_t);
int GreGetDIBits(GDI_HANDLE, GDI_HANDLE, uint32_t, uint32_t, const uint8_t *, uint32_t, uint8_t *, uint32_t,
                 uint32_t, uint32_t *);
int GreStretchDIBits(GDI_HANDLE, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t,
                     const uint8_t *, uint32_t, uint32_t, uint32_t);
int GreSetCursorPos(int32_t, int32_t);
GDI_HANDLE GreCreateDIBSection(GDI_HANDLE, const uint8_t *, uint32_t, uint32_t, uint32_t *);
int32_t GreShowCursor(int);

static const GDI_API_SHAPE GreShapes[GdiCallCount] = {
#define GDI_CALL_SHAPE(Name, Args, Data, Batchable) {Args, Data},
    GDI_CALL_LIST(GDI_CALL_SHAPE)
#undef GDI_CALL_SHAPE
};

static int GreReady;

int GreInitialize(const GDI_DISPLAY *Display, const char **Why) {
    if (GreReady)
        return 1;
    if (Display && Display->BitsPerPixel != 32) {
        *Why = "the display is not 32 bits per pixel (only 32 bpp is supported)";
        return 0;
    }
    if (!GdiInitHandleTable()) {
        *Why = "no memory for the handle table";
        return 0;
    }
    if (!GreCreateStockObjects(Display)) {
        *Why = "no memory for the stock objects";
        return 0;
    }
    XformDeviceMetrics(&GreScreenMetrics, Display ? Display->Width : 1024, Display ? Display->Height : 768);
    if (Display) {
        GDI_SURFACE *screen = GreDcSurface(&(GRE_DC){.State = {.Bitmap = GreScreenBitmap}});
        GreCursorAttach(screen);
    }
    GreReady = 1;
    return 1;
}

uint32_t GreCleanupProcess(uint32_t Owner) {
    return GdiCleanupProcess(Owner);
}

/* ---- running records ---- */

typedef struct _RUN {
    GDI_REPLY *Reply;
    uint32_t OutCapacity;
    uint8_t Scratch[65536]; /* variable data copied out of the shared buffer */
} RUN;

static RUN GreRun; /* the engine is single-threaded under the host's lock */

/* Copies DataBytes of Data into private memory; NULL when too large. */
static const uint8_t *take(const uint8_t *Data, uint32_t DataBytes) {
    if (DataBytes > sizeof GreRun.Scratch)
        return NULL;
    const volatile uint8_t *from = Data;
    for (uint32_t i = 0; i < DataBytes; i++)
        GreRun.Scratch[i] = from[i];
    return GreRun.Scratch;
}

static void out(const void *Data, uint32_t Bytes) {
    if (!GreRun.Reply)
        return;
    if (Bytes > GreRun.OutCapacity)
        Bytes = GreRun.OutCapacity;
    for (uint32_t i = 0; i < Bytes; i++)
        GreRun.Reply->Out[i] = ((const uint8_t *)Data)[i];
    GreRun.Reply->OutBytes = Bytes;
}

#define I(n) ((int32_t)A[n])
#define U(n) (A[n])

/* Element counts checked against the data that came: Count elements of
 * Size bytes must fit in DataBytes. */
static int fits(uint32_t Count, uint32_t Size, uint32_t DataBytes) {
    return Count <= DataBytes / Size;
}

static uint32_t call(uint16_t Api, const uint32_t *A, const uint8_t *Data, uint32_t DataBytes) {
    const uint8_t *d;
    GDI_POINT pt;
    GDI_RECT rect;
    switch (Api) {
    case GdiCallMoveTo: return (uint32_t)GreMoveToEx(U(0), I(1), I(2), NULL);
    case GdiCallLineTo: return (uint32_t)GreLineTo(U(0), I(1), I(2));
    case GdiCallPolyline:
    case GdiCallPolylineTo:
    case GdiCallPolygon:
        if (!fits(U(1), sizeof(GDI_POINT), DataBytes) || !(d = take(Data, U(1) * sizeof(GDI_POINT))))
            return 0;
        return (uint32_t)(Api == GdiCallPolyline     ? GrePolyline(U(0), (const GDI_POINT *)d, U(1))
                          : Api == GdiCallPolylineTo ? GrePolylineTo(U(0), (const GDI_POINT *)d, U(1))
                                                     : GrePolygon(U(0), (const GDI_POINT *)d, U(1)));
    case GdiCallPolyPolygon: {
        if (!fits(U(1), 4, DataBytes) || !fits(U(2), sizeof(GDI_POINT), DataBytes - 4 * U(1)))
            return 0;
        d = take(Data, 4 * U(1) + U(2) * (uint32_t)sizeof(GDI_POINT));
        if (!d)
            return 0;
        const uint32_t *counts = (const uint32_t *)d;
        uint64_t total = 0;
        for (uint32_t i = 0; i < U(1); i++)
            total += counts[i];
        if (total != U(2))
            return 0;
        return (uint32_t)GrePolyPolygon(U(0), (const GDI_POINT *)(d + 4 * U(1)), counts, U(1));
    }
    case GdiCallRectangle: return (uint32_t)GreBoxShape(U(0), 0, I(1), I(2), I(3), I(4), 0, 0);
    case GdiCallRoundRect: return (uint32_t)GreBoxShape(U(0), 1, I(1), I(2), I(3), I(4), I(5), I(6));
    case GdiCallEllipse: return (uint32_t)GreBoxShape(U(0), 2, I(1), I(2), I(3), I(4), 0, 0);
    case GdiCallArc:
    case GdiCallChord:
    case GdiCallPie:
        return (uint32_t)GreArcShape(U(0), (uint32_t)(Api - GdiCallArc), I(1), I(2), I(3), I(4), I(5), I(6),
                                     I(7), I(8));
    case GdiCallPatBlt: return (uint32_t)GrePatBlt(U(0), I(1), I(2), I(3), I(4), U(5));
    case GdiCallBitBlt: return (uint32_t)GreBitBlt(U(0), I(1), I(2), I(3), I(4), U(5), I(6), I(7), U(8));
    case GdiCallStretchBlt:
        return (uint32_t)GreStretchBlt(U(0), I(1), I(2), I(3), I(4), U(5), I(6), I(7), I(8), I(9), U(10));
    case GdiCallSetPixelV: return GreSetPixel(U(0), I(1), I(2), U(3)) != GRE_CLR_INVALID;
    case GdiCallFillRect: return (uint32_t)GreFillRect(U(0), I(1), I(2), I(3), I(4), U(5));
    case GdiCallFrameRect: return (uint32_t)GreFrameRect(U(0), I(1), I(2), I(3), I(4), U(5));
    case GdiCallInvertRect: return (uint32_t)GreInvertRect(U(0), I(1), I(2), I(3), I(4));
    case GdiCallFillRgn: return (uint32_t)GreFillRgn(U(0), U(1), U(2));
    case GdiCallPaintRgn: return (uint32_t)GrePaintRgn(U(0), U(1));
    case GdiCallFrameRgn: return (uint32_t)GreFrameRgn(U(0), U(1), U(2), I(3), I(4));
    case GdiCallInvertRgn: return (uint32_t)GreInvertRgn(U(0), U(1));
    case GdiCallTextOut:
        if (!fits(U(3), 2, DataBytes) || !(d = take(Data, 2 * U(3))))
            return 0;
        return (uint32_t)GreTextOut(U(0), I(1), I(2), (const uint16_t *)d, U(3));
    case GdiCallExtTextOut: {
        uint32_t count = U(8), chars = (2 * count + 3) & ~3u, dx = U(9) ? 4 * count : 0;
        if (count > 8192 || chars + dx > DataBytes || !(d = take(Data, chars + dx)))
            return 0;
        rect = (GDI_RECT){I(4), I(5), I(6), I(7)};
        return (uint32_t)GreExtTextOut(U(0), I(1), I(2), U(3), (U(3) & 6) ? &rect : NULL, (const uint16_t *)d,
                                       count, U(9) ? (const int32_t *)(d + chars) : NULL);
    }
    case GdiCallCreatePen: return GreCreatePen(U(0), I(1), U(2));
    case GdiCallCreateSolidBrush: return GreCreateSolidBrush(U(0));
    case GdiCallCreateHatchBrush: return GreCreateHatchBrush(U(0), U(1));
    case GdiCallCreatePatternBrush: return GreCreatePatternBrush(U(0));
    case GdiCallCreateBitmap:
        d = DataBytes ? take(Data, DataBytes) : NULL;
        return GreCreateBitmap(I(0), I(1), U(2), U(3), d, d ? DataBytes : 0);
    case GdiCallCreateCompatibleBitmap: return GreCreateCompatibleBitmap(U(0), I(1), I(2));
    case GdiCallCreateCompatibleDC: return GreCreateCompatibleDC(U(0));
    case GdiCallCreateFontIndirect:
        if (DataBytes < sizeof(GDI_LOGFONTW) || !(d = take(Data, sizeof(GDI_LOGFONTW))))
            return 0;
        return GreCreateFontIndirect((const GDI_LOGFONTW *)d);
    case GdiCallGetStockObject: return GreGetStockObject(U(0));
    case GdiCallSelectObject: return GreSelectObject(U(0), U(1));
    case GdiCallDeleteObject: return (uint32_t)GreDeleteObject(U(0));
    case GdiCallDeleteDC: return (uint32_t)GreDeleteDC(U(0));
    case GdiCallSaveDC: return (uint32_t)GreSaveDC(U(0));
    case GdiCallRestoreDC: return (uint32_t)GreRestoreDC(U(0), I(1));
    case GdiCallGetObject: {
        uint8_t buffer[sizeof(GDI_LOGFONTW)];
        uint32_t n =
            GreGetObject(U(0), U(1) < sizeof buffer ? U(1) : (uint32_t)sizeof buffer, U(1) ? buffer : NULL);
        if (U(1))
            out(buffer, n);
        return n;
    }
    case GdiCallSetPixel: return GreSetPixel(U(0), I(1), I(2), U(3));
    case GdiCallGetPixel: return GreGetPixel(U(0), I(1), I(2));
    case GdiCallMoveToEx: {
        pt = (GDI_POINT){0, 0}; /* what goes out when the call fails */
        int ok = GreMoveToEx(U(0), I(1), I(2), &pt);
        out(&pt, sizeof pt);
        return (uint32_t)ok;
    }
    case GdiCallSetTextColor: return GreSetTextColor(U(0), U(1));
    case GdiCallSetBkColor: return GreSetBkColor(U(0), U(1));
    case GdiCallSetBkMode: return GreSetBkMode(U(0), U(1));
    case GdiCallSetROP2: return GreSetROP2(U(0), U(1));
    case GdiCallSetTextAlign: return GreSetTextAlign(U(0), U(1));
    case GdiCallSetPolyFillMode: return GreSetPolyFillMode(U(0), U(1));
    case GdiCallSetStretchBltMode: return GreSetStretchBltMode(U(0), U(1));
    case GdiCallSetArcDirection: return GreSetArcDirection(U(0), U(1));
    case GdiCallSetBrushOrgEx: {
        pt = (GDI_POINT){0, 0};
        int ok = GreSetBrushOrgEx(U(0), I(1), I(2), &pt);
        out(&pt, sizeof pt);
        return (uint32_t)ok;
    }
    case GdiCallGetTextExtentPoint32: {
        int32_t size[2] = {0, 0};
        if (!fits(U(1), 2, DataBytes) || !(d = take(Data, 2 * U(1))))
            return 0;
        int ok = GreGetTextExtentPoint32(U(0), (const uint16_t *)d, U(1), &size[0], &size[1]);
        out(size, sizeof size);
        return (uint32_t)ok;
    }
    case GdiCallGetTextMetrics: {
        GDI_TEXTMETRICW tm;
        for (uint32_t i = 0; i < sizeof tm; i++) /* its padding goes out too */
            ((uint8_t *)&tm)[i] = 0;
        int ok = GreGetTextMetrics(U(0), &tm);
        if (ok)
            out(&tm, sizeof tm);
        return (uint32_t)ok;
    }
    case GdiCallDrawText: {
        if (!fits(U(6), 2, DataBytes) || !(d = take(Data, 2 * U(6))))
            return 0;
        rect = (GDI_RECT){I(1), I(2), I(3), I(4)};
        int32_t h = GreDrawText(U(0), (const uint16_t *)d, (int32_t)U(6), &rect, U(5));
        out(&rect, sizeof rect);
        return (uint32_t)h;
    }
    case GdiCallCreateRectRgn: return GreCreateRectRgn(I(0), I(1), I(2), I(3));
    case GdiCallCreateRoundRectRgn: return GreCreateRoundRectRgn(I(0), I(1), I(2), I(3), I(4), I(5));
    case GdiCallCreateEllipticRgn: return GreCreateEllipticRgn(I(0), I(1), I(2), I(3));
    case GdiCallCreatePolygonRgn:
        if (!fits(U(0), sizeof(GDI_POINT), DataBytes) || !(d = take(Data, U(0) * sizeof(GDI_POINT))))
            return 0;
        return GreCreatePolygonRgn((const GDI_POINT *)d, U(0), U(1));
    case GdiCallCombineRgn: return GreCombineRgn(U(0), U(1), U(2), U(3));
    case GdiCallOffsetRgn: return GreOffsetRgn(U(0), I(1), I(2));
    case GdiCallPtInRegion: return (uint32_t)GrePtInRegion(U(0), I(1), I(2));
    case GdiCallRectInRegion: return (uint32_t)GreRectInRegion(U(0), I(1), I(2), I(3), I(4));
    case GdiCallEqualRgn: return (uint32_t)GreEqualRgn(U(0), U(1));
    case GdiCallGetRgnBox: {
        rect = (GDI_RECT){0, 0, 0, 0};
        uint32_t c = GreGetRgnBox(U(0), &rect);
        out(&rect, sizeof rect);
        return c;
    }
    case GdiCallSetRectRgn: return (uint32_t)GreSetRectRgn(U(0), I(1), I(2), I(3), I(4));
    case GdiCallSelectClipRgn: return GreSelectClipRgn(U(0), U(1));
    case GdiCallExtSelectClipRgn: return GreExtSelectClipRgn(U(0), U(1), U(2));
    case GdiCallIntersectClipRect: return GreClipRect(U(0), I(1), I(2), I(3), I(4), 0);
    case GdiCallExcludeClipRect: return GreClipRect(U(0), I(1), I(2), I(3), I(4), 1);
    case GdiCallGetClipBox: {
        rect = (GDI_RECT){0, 0, 0, 0};
        uint32_t c = GreGetClipBox(U(0), &rect);
        out(&rect, sizeof rect);
        return c;
    }
    case GdiCallSetMapMode: return (uint32_t)GreSetMapMode(U(0), I(1));
    case GdiCallGetMapMode: return (uint32_t)GreGetMapMode(U(0));
    case GdiCallSetWindowOrgEx:
    case GdiCallSetViewportOrgEx:
    case GdiCallSetWindowExtEx:
    case GdiCallSetViewportExtEx: {
        pt = (GDI_POINT){0, 0};
        int ok = GreSetPoint(U(0), Api - GdiCallSetWindowOrgEx, I(1), I(2), &pt);
        out(&pt, sizeof pt);
        return (uint32_t)ok;
    }
    case GdiCallGetWindowOrgEx:
    case GdiCallGetViewportOrgEx:
    case GdiCallGetWindowExtEx:
    case GdiCallGetViewportExtEx: {
        pt = (GDI_POINT){0, 0};
        int ok = GreGetPoint(U(0), Api - GdiCallGetWindowOrgEx, &pt);
        out(&pt, sizeof pt);
        return (uint32_t)ok;
    }
    case GdiCallDPtoLP:
    case GdiCallLPtoDP: {
        if (!fits(U(1), sizeof(GDI_POINT), DataBytes) || !(d = take(Data, U(1) * sizeof(GDI_POINT))))
            return 0;
        int ok = GreConvertPoints(U(0), (GDI_POINT *)GreRun.Scratch, U(1), Api == GdiCallLPtoDP);
        out(GreRun.Scratch, U(1) * (uint32_t)sizeof(GDI_POINT));
        return (uint32_t)ok;
    }
    case GdiCallGetDeviceCaps: return (uint32_t)GreGetDeviceCaps(U(0), U(1));
    case GdiCallGetDC: return GreGetDC(U(0));
    case GdiCallReleaseDC: return (uint32_t)GreReleaseDC(U(0), U(1));
    case GdiCallSetDIBits:
        d = take(Data, DataBytes);
        return d ? (uint32_t)GreSetDIBits(U(0), U(1), U(2), U(3), d, DataBytes, U(4)) : 0;
    case GdiCallGetDIBits: {
        d = take(Data, DataBytes);
        if (!d || !GreRun.Reply)
            return 0;
        uint32_t capacity = U(5) < GreRun.OutCapacity ? U(5) : GreRun.OutCapacity;
        uint32_t produced;
        int n =
            GreGetDIBits(U(0), U(1), U(2), U(3), d, DataBytes, GreRun.Reply->Out, capacity, U(4), &produced);
        GreRun.Reply->OutBytes = n > 0 ? produced : 0;
        return (uint32_t)n;
    }
    case GdiCallStretchDIBits:
        d = take(Data, DataBytes);
        return d ? (uint32_t)GreStretchDIBits(U(0), I(1), I(2), I(3), I(4), I(5), I(6), I(7), I(8), d,
                                              DataBytes, U(9), U(10))
                 : 0;
    case GdiCallSetCursorPos: return (uint32_t)GreSetCursorPos(I(0), I(1));
    case GdiCallShowCursor: return (uint32_t)GreShowCursor(U(0) != 0);
    case GdiCallCreateDIBSection: {
        uint32_t client = 0;
        d = take(Data, DataBytes);
        GDI_HANDLE h = d ? GreCreateDIBSection(U(0), d, DataBytes, U(1), &client) : 0;
        out(&client, sizeof client);
        return h;
    }
    default: return 0;
    }
}

static void handler(void *Context, uint16_t Api, const uint32_t *Args, const uint8_t *Data,
                    uint32_t DataBytes) {
    (void)Context;
    uint32_t result = call(Api, Args, Data, DataBytes);
    if (GreRun.Reply) {
        GreRun.Reply->Result = result;
        GreRun.Reply->LastError = GreTakeLastError();
    }
}

uint32_t GreRunBatch(const volatile uint8_t *Buffer, uint32_t Bytes, GDI_REPLY *Reply, uint32_t OutCapacity,
                     int *Malformed) {
    GreRun.Reply = Reply;
    GreRun.OutCapacity = OutCapacity;
    if (Reply) {
        Reply->Result = 0;
        Reply->LastError = 0;
        Reply->OutBytes = 0;
    }
    if (!GreReady) {
        *Malformed = 0;
        if (Reply)
            Reply->LastError = GDI_ERROR_INVALID_HANDLE;
        return 0;
    }
    return GdiBatchDecode(Buffer, Bytes, GreShapes, GdiCallCount, handler, NULL, Malformed);
}
