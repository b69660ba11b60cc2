/*
 * gre.h - the engine's objects and the helpers its Gre* files share.
 *
 * Why: a DC is the state every drawing call reads (what is selected, the
 * colours and modes, the mapping, the clip region, where it draws), and
 * pens, brushes, bitmaps, fonts and regions are the things selected into
 * it. They are defined once here for greobj.c (creating and selecting
 * them), gredc.c (the DC's state), gredraw.c (painting) and gretext.c
 * (text). Everything runs under the host's GDI lock.
 */
#ifndef GDI_GRE_H
#define GDI_GRE_H

#include "blt.h"
#include "font.h"
#include "gdi.h"
#include "region.h"
#include "xform.h"

/* Win32's values used across the engine. */
#define GRE_PS_SOLID 0
#define GRE_PS_NULL 5
#define GRE_PS_STYLE_MASK 0x0F
#define GRE_TRANSPARENT 1
#define GRE_OPAQUE 2
#define GRE_ALTERNATE 1
#define GRE_WINDING 2
#define GRE_R2_COPYPEN 13
#define GRE_CLR_INVALID 0xFFFFFFFFu
#define GRE_ERROR 0
#define GRE_NULLREGION 1
#define GRE_SIMPLEREGION 2
#define GRE_COMPLEXREGION 3
#define GRE_MAX_SAVED_DCS 16
#define GRE_MAX_COORD 0x07FFFFFF /* coordinates beyond 2^27 are refused: no overflow in any arithmetic */

typedef struct _GRE_PEN {
    int32_t Selected; /* DCs it is selected into: it cannot be deleted meanwhile */
    uint32_t Style;
    int32_t Width;
    GDI_COLORREF Color;
} GRE_PEN;

typedef struct _GRE_BRUSH {
    int32_t Selected;
    uint32_t Style; /* BS_SOLID, BS_HATCHED, BS_PATTERN, BS_NULL */
    uint32_t Hatch;
    GDI_COLORREF Color;
    GDI_PIXEL Pattern[8][8];
} GRE_BRUSH;

typedef struct _GRE_BITMAP {
    GDI_SURFACE Surface;   /* always 32 bpp inside the engine */
    uint32_t BitsPerPixel; /* as created (1 for monochrome: colours become black/white) */
    int32_t SelectedInto;  /* DCs it is selected into (0 or 1: a bitmap is in one DC at a time) */
    int IsScreen;
    void *SharedCookie; /* a DIB section: its bits are shared with the client (GdiHostAllocShared) */
    uint32_t SharedOwner, SharedBytes; /* and charged to its owner (GDI_PROCESS_SHARED_QUOTA) */
} GRE_BITMAP;

typedef struct _GRE_FONT {
    int32_t Selected;
    const GDI_FONT *Font;
    GDI_LOGFONTW Request;
    uint32_t Style; /* FONT_STYLE_* */
} GRE_FONT;

typedef struct _GRE_REGION {
    GDI_REGION Region;
} GRE_REGION;

/* The part of a DC that SaveDC saves. */
typedef struct _GRE_DC_STATE {
    GDI_HANDLE Pen, Brush, Font, Bitmap;
    GDI_COLORREF TextColor, BkColor;
    uint32_t BkMode, Rop2, TextAlign, PolyFillMode, StretchMode, ArcDirection;
    GDI_POINT BrushOrg, CurrentPos;
    GDI_XFORM Xform;
    int HasClip;
    GDI_REGION Clip; /* device coordinates; meaningful when HasClip */
} GRE_DC_STATE;

typedef struct _GRE_DC {
    GRE_DC_STATE State;
    GRE_DC_STATE Saved[GRE_MAX_SAVED_DCS];
    int32_t SavedCount;
    int IsScreen; /* the display DC (GetDC(NULL)) */
    int IsMemory; /* CreateCompatibleDC */
    GDI_HANDLE Self;
} GRE_DC;

/* greobj.c */
extern GDI_HANDLE GreStockObjects[20];
extern GDI_HANDLE GreScreenBitmap;
extern GDI_DEVICE_METRICS GreScreenMetrics;
GDI_HANDLE GreGetStockObject(uint32_t Index);
/* Looks Handle up as Type for the caller; NULL (and the error noted) if it is not one. */
void *GreObject(GDI_HANDLE Handle, uint32_t Type);
GRE_DC *GreDc(GDI_HANDLE Dc);
/* Remembers Win32's last error for the reply. */
void GreSetLastError(uint32_t Error);
uint32_t GreTakeLastError(void);
/* Installs Object under a new handle owned by the caller (freed with
 * Destroy); 0 and the error set when the table or the quota is full. */
GDI_HANDLE GreInsert(void *Object, uint32_t Type, void (*Destroy)(void *));
/* The surface a DC draws on (its selected bitmap's), or NULL. */
GDI_SURFACE *GreDcSurface(GRE_DC *Dc);
/* A bitmap object's destroy procedure (its bits: engine or shared memory). */
void GreFreeBitmapObject(void *Object);

/* gredc.c */
void GreInitDcState(GRE_DC_STATE *State);
void GreFreeDcState(GRE_DC_STATE *State);
/* The DC's effective clip in device coordinates: its clip region
 * intersected with its surface; filled into Out (caller RgnFree's it).
 * 0 when out of memory. */
int GreEffectiveClip(GRE_DC *Dc, GDI_REGION *Out);
GDI_POINT GreToDevice(GRE_DC *Dc, int32_t X, int32_t Y);
/* A rectangle's corners in device coordinates, normalised (left <= right). */
GDI_RECT GreRectToDevice(GRE_DC *Dc, int32_t L, int32_t T, int32_t R, int32_t B);
int GreCoordOk(int32_t V);

/* gredraw.c: painting through the clip */
/* Resolves a brush object for painting on Dc (its background colour and
 * mode, its brush origin); 0 for a null brush (nothing to paint). */
int GreBrushInfo(GRE_DC *Dc, const GRE_BRUSH *Brush, GDI_BRUSH_INFO *Info);
/* A sink that clips spans to Clip and paints them with Brush and Rop2. */
typedef struct _GRE_PAINT_SINK {
    GDI_SPAN_SINK Base;   /* what the rasterizer calls */
    GDI_BRUSH_SINK Paint; /* what paints */
    const GDI_REGION *Clip;
    int Single; /* the clip is one rectangle, given to Paint: no region walk per span */
} GRE_PAINT_SINK;
void GreInitPaintSink(GRE_PAINT_SINK *Sink, GDI_SURFACE *Surface, const GDI_REGION *Clip,
                      const GDI_BRUSH_INFO *Brush, uint32_t Rop2);
/* Fills a device rectangle through Dc's clip with Brush and Rop2. */
void GrePaintRect(GRE_DC *Dc, const GDI_RECT *Rect, const GDI_BRUSH_INFO *Brush, uint32_t Rop2);

/* The software cursor (cursor.c): hidden while the engine draws on the
 * screen under it, drawn again afterwards. */
void GreCursorExclude(const GDI_RECT *Rect);
void GreCursorRestore(void);

#endif
