/*
 * gdi.h - the GDI engine's face to its hosts: start-up, the calls, and the
 * one list of calls that gdi32 and the engine agree on.
 *
 * Why: NT calls the engine's internal entry points Gre* ("GDI rendering
 * engine"); NT 3.51 reached them from csrss's GDI server, NT 4.0 from the
 * NtGdi* system services. Daytona keeps that split: gdi32 encodes each call
 * as a record (gdibatch.h) named by its number in GDI_CALL_LIST; a host
 * hands a buffer of records to GreRunBatch, which checks each record and
 * calls the Gre* function behind it. Calls marked Batchable return only
 * TRUE/FALSE and may wait in gdi32's batch; the others end a batch and
 * their result (and any data they return) comes back in a GDI_REPLY.
 *
 * Every Gre* function takes handles and integers exactly as the Win32
 * function of the same name does, in logical coordinates, and returns what
 * Win32 returns on success and on failure (0/NULL/CLR_INVALID/ERROR); the
 * error code for SetLastError travels in the reply. The caller's identity
 * (which process owns what) comes from GdiHostCurrentOwner().
 */
#ifndef GDI_GDI_H
#define GDI_GDI_H

#include "gdikernel.h"
#include "gdiobj.h"

/* The calls: X(Name, fixed 32-bit arguments, most bytes of variable data,
 * Batchable). Numbers are positions in this list; append only. */
#define GDI_CALL_LIST(X)                                                                                     \
    X(MoveTo, 3, 0, 1) /* hdc x y */                                                                         \
    X(LineTo, 3, 0, 1)                                                                                       \
    X(Polyline, 2, 32768, 1) /* hdc count; points */                                                         \
    X(PolylineTo, 2, 32768, 1)                                                                               \
    X(Polygon, 2, 32768, 1)                                                                                  \
    X(PolyPolygon, 3, 49152, 1) /* hdc polys points; counts then points */                                   \
    X(Rectangle, 5, 0, 1)                                                                                    \
    X(RoundRect, 7, 0, 1)                                                                                    \
    X(Ellipse, 5, 0, 1)                                                                                      \
    X(Arc, 9, 0, 1)                                                                                          \
    X(Chord, 9, 0, 1)                                                                                        \
    X(Pie, 9, 0, 1)                                                                                          \
    X(PatBlt, 6, 0, 1)                                                                                       \
    X(BitBlt, 9, 0, 1)                                                                                       \
    X(StretchBlt, 11, 0, 1)                                                                                  \
    X(SetPixelV, 4, 0, 1)                                                                                    \
    X(FillRect, 6, 0, 1) /* hdc l t r b hbr */                                                               \
    X(FrameRect, 6, 0, 1)                                                                                    \
    X(InvertRect, 5, 0, 1)                                                                                   \
    X(FillRgn, 3, 0, 1)                                                                                      \
    X(PaintRgn, 2, 0, 1)                                                                                     \
    X(FrameRgn, 5, 0, 1)                                                                                     \
    X(InvertRgn, 2, 0, 1)                                                                                    \
    X(TextOut, 4, 8192, 1)      /* hdc x y count; WCHARs */                                                  \
    X(ExtTextOut, 10, 24576, 1) /* hdc x y options l t r b count hasdx; WCHARs then dx */                    \
    X(CreatePen, 3, 0, 0)                                                                                    \
    X(CreateSolidBrush, 1, 0, 0)                                                                             \
    X(CreateHatchBrush, 2, 0, 0)                                                                             \
    X(CreatePatternBrush, 1, 0, 0)                                                                           \
    X(CreateBitmap, 4, 65536 - 1024, 0) /* w h planes bpp; bits */                                           \
    X(CreateCompatibleBitmap, 3, 0, 0)                                                                       \
    X(CreateCompatibleDC, 1, 0, 0)                                                                           \
    X(CreateFontIndirect, 0, 92, 0) /* LOGFONTW */                                                           \
    X(GetStockObject, 1, 0, 0)                                                                               \
    X(SelectObject, 2, 0, 0)                                                                                 \
    X(DeleteObject, 1, 0, 0)                                                                                 \
    X(DeleteDC, 1, 0, 0)                                                                                     \
    X(SaveDC, 1, 0, 0)                                                                                       \
    X(RestoreDC, 2, 0, 0)                                                                                    \
    X(GetObject, 2, 0, 0) /* h size; returns the structure */                                                \
    X(SetPixel, 4, 0, 0)                                                                                     \
    X(GetPixel, 3, 0, 0)                                                                                     \
    X(MoveToEx, 3, 0, 0) /* returns the old position */                                                      \
    X(SetTextColor, 2, 0, 0)                                                                                 \
    X(SetBkColor, 2, 0, 0)                                                                                   \
    X(SetBkMode, 2, 0, 0)                                                                                    \
    X(SetROP2, 2, 0, 0)                                                                                      \
    X(SetTextAlign, 2, 0, 0)                                                                                 \
    X(SetPolyFillMode, 2, 0, 0)                                                                              \
    X(SetStretchBltMode, 2, 0, 0)                                                                            \
    X(SetArcDirection, 2, 0, 0)                                                                              \
    X(SetBrushOrgEx, 3, 0, 0)                                                                                \
    X(GetTextExtentPoint32, 2, 8192, 0) /* hdc count; WCHARs */                                              \
    X(GetTextMetrics, 1, 0, 0)                                                                               \
    X(DrawText, 7, 8192, 0) /* hdc l t r b format count; WCHARs */                                           \
    X(CreateRectRgn, 4, 0, 0)                                                                                \
    X(CreateRoundRectRgn, 6, 0, 0)                                                                           \
    X(CreateEllipticRgn, 4, 0, 0)                                                                            \
    X(CreatePolygonRgn, 2, 32768, 0) /* count mode; points */                                                \
    X(CombineRgn, 4, 0, 0)                                                                                   \
    X(OffsetRgn, 3, 0, 0)                                                                                    \
    X(PtInRegion, 3, 0, 0)                                                                                   \
    X(RectInRegion, 5, 0, 0)                                                                                 \
    X(EqualRgn, 2, 0, 0)                                                                                     \
    X(GetRgnBox, 1, 0, 0)                                                                                    \
    X(SetRectRgn, 5, 0, 0)                                                                                   \
    X(SelectClipRgn, 2, 0, 0)                                                                                \
    X(ExtSelectClipRgn, 3, 0, 0)                                                                             \
    X(IntersectClipRect, 5, 0, 0)                                                                            \
    X(ExcludeClipRect, 5, 0, 0)                                                                              \
    X(GetClipBox, 1, 0, 0)                                                                                   \
    X(SetMapMode, 2, 0, 0)                                                                                   \
    X(GetMapMode, 1, 0, 0)                                                                                   \
    X(SetWindowOrgEx, 3, 0, 0)                                                                               \
    X(SetViewportOrgEx, 3, 0, 0)                                                                             \
    X(SetWindowExtEx, 3, 0, 0)                                                                               \
    X(SetViewportExtEx, 3, 0, 0)                                                                             \
    X(GetWindowOrgEx, 1, 0, 0)                                                                               \
    X(GetViewportOrgEx, 1, 0, 0)                                                                             \
    X(GetWindowExtEx, 1, 0, 0)                                                                               \
    X(GetViewportExtEx, 1, 0, 0)                                                                             \
    X(DPtoLP, 2, 32768, 0) /* hdc count; points, returned */                                                 \
    X(LPtoDP, 2, 32768, 0)                                                                                   \
    X(GetDeviceCaps, 2, 0, 0)                                                                                \
    X(GetDC, 1, 0, 0) /* hwnd (0: the screen) */                                                             \
    X(ReleaseDC, 2, 0, 0)                                                                                    \
    X(SetDIBits, 5, 65536 - 1024, 0)      /* hdc hbm start lines usage; BITMAPINFO then bits */              \
    X(GetDIBits, 6, 2048, 0)              /* hdc hbm start lines usage bitsbytes; BITMAPINFO in, bits out */ \
    X(StretchDIBits, 11, 65536 - 1024, 0) /* hdc xd yd wd hd xs ys ws hs usage rop; info then bits */        \
    X(SetCursorPos, 2, 0, 0)              /* the software cursor */                                          \
    X(ShowCursor, 1, 0, 0)                                                                                   \
    X(CreateDIBSection, 2, 1024, 0) /* hdc usage; BITMAPINFO; returns the bits' address */

#define GDI_CALL_ENUM(Name, Args, Data, Batchable) GdiCall##Name,
enum { GDI_CALL_LIST(GDI_CALL_ENUM) GdiCallCount };

/* What a call that returns something sends back. */
typedef struct _GDI_REPLY {
    uint32_t Result;    /* the Win32 return value */
    uint32_t LastError; /* 0, or the Win32 error code for SetLastError */
    uint32_t OutBytes;  /* bytes of Out in use */
    uint8_t Out[];      /* returned structures: POINT, SIZE, RECT, TEXTMETRICW, bits */
} GDI_REPLY;

/* Win32 error codes the engine reports. */
#define GDI_ERROR_INVALID_HANDLE 6
#define GDI_ERROR_NOT_ENOUGH_MEMORY 8
#define GDI_ERROR_INVALID_PARAMETER 87
#define GDI_ERROR_NO_SYSTEM_RESOURCES 1450 /* the quota */

/* ---- the host's side ---- */

/* The display a host gives the engine: a 32 bpp surface (the framebuffer
 * mapped where the engine runs). Other depths are refused. */
typedef struct _GDI_DISPLAY {
    int32_t Width, Height, Stride, BitsPerPixel;
    void *Bits;
} GDI_DISPLAY;

/* Starts the engine: the handle table, the stock objects, the screen.
 * Display may be NULL (no screen: memory DCs only, for host tests). Returns
 * 1, or 0 (with a reason in *Why) when it cannot run. */
int GreInitialize(const GDI_DISPLAY *Display, const char **Why);
/* Runs a batch of records; the last one may be a call that returns a
 * value, whose answer goes to Reply (OutCapacity bytes of Out). Returns
 * the number of records run; *Malformed as GdiBatchDecode says. */
uint32_t GreRunBatch(const volatile uint8_t *Buffer, uint32_t Bytes, GDI_REPLY *Reply, uint32_t OutCapacity,
                     int *Malformed);
/* Frees everything Owner's process owned (it ended). */
uint32_t GreCleanupProcess(uint32_t Owner);

#endif
