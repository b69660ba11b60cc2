/*
 * gredc.c - a DC's state: its attributes, SaveDC/RestoreDC, the mapping
 * mode and origins, and its clip region.
 *
 * Why: most of GDI's calls only read or change this state; the drawing
 * calls then take what they need from it. The clip region is kept in
 * device coordinates (Win32 converts SelectClipRgn's region, which is in
 * device units already, and IntersectClipRect's rectangle, which is
 * logical, at the time of the call), and the effective clip is always
 * intersected with the surface, so nothing is ever drawn outside it.
 */
#include "gre.h"

#define GRE_RGN_AND 1
#define GRE_RGN_OR 2
#define GRE_RGN_XOR 3
#define GRE_RGN_DIFF 4
#define GRE_RGN_COPY 5
#define GRE_AD_COUNTERCLOCKWISE 1

int GreCoordOk(int32_t V) {
    return V >= -GRE_MAX_COORD && V <= GRE_MAX_COORD;
}

void GreInitDcState(GRE_DC_STATE *S) {
    S->TextColor = 0x000000;
    S->BkColor = 0xFFFFFF;
    S->BkMode = GRE_OPAQUE;
    S->Rop2 = GRE_R2_COPYPEN;
    S->TextAlign = 0;
    S->PolyFillMode = GRE_ALTERNATE;
    S->StretchMode = 1; /* BLACKONWHITE */
    S->ArcDirection = GRE_AD_COUNTERCLOCKWISE;
    S->BrushOrg = S->CurrentPos = (GDI_POINT){0, 0};
    XformInit(&S->Xform);
    S->HasClip = 0;
    RgnInit(&S->Clip);
}

void GreFreeDcState(GRE_DC_STATE *S) {
    RgnFree(&S->Clip);
}

GDI_POINT GreToDevice(GRE_DC *Dc, int32_t X, int32_t Y) {
    return XformToDevice(&Dc->State.Xform, (GDI_POINT){X, Y});
}

GDI_RECT GreRectToDevice(GRE_DC *Dc, int32_t L, int32_t T, int32_t R, int32_t B) {
    GDI_POINT a = GreToDevice(Dc, L, T), b = GreToDevice(Dc, R, B);
    GDI_RECT r = {a.x < b.x ? a.x : b.x, a.y < b.y ? a.y : b.y, a.x < b.x ? b.x : a.x, a.y < b.y ? b.y : a.y};
    return r;
}

int GreEffectiveClip(GRE_DC *Dc, GDI_REGION *Out) {
    GDI_SURFACE *s = GreDcSurface(Dc);
    RgnInit(Out);
    if (!s)
        return 1; /* nothing to draw on: an empty clip */
    GDI_RECT all = {0, 0, s->Width, s->Height};
    if (!Dc->State.HasClip)
        return RgnSetRect(Out, &all) != GRE_ERROR;
    return RgnIntersectRect(Out, &Dc->State.Clip, &all) != GRE_ERROR;
}

/* ---- attributes: each returns the previous value, or the failure value ---- */

#define ATTRIBUTE(Name, Field, Type, Valid, Failure)                                                         \
    Type Gre##Name(GDI_HANDLE Dc, Type Value) {                                                              \
        GRE_DC *dc = GreDc(Dc);                                                                              \
        if (!dc)                                                                                             \
            return Failure;                                                                                  \
        if (!(Valid)) {                                                                                      \
            GreSetLastError(GDI_ERROR_INVALID_PARAMETER);                                                    \
            return Failure;                                                                                  \
        }                                                                                                    \
        Type old = dc->State.Field;                                                                          \
        dc->State.Field = Value;                                                                             \
        return old;                                                                                          \
    }

ATTRIBUTE(SetTextColor, TextColor, uint32_t, Value <= 0xFFFFFF, GRE_CLR_INVALID)
ATTRIBUTE(SetBkColor, BkColor, uint32_t, Value <= 0xFFFFFF, GRE_CLR_INVALID)
ATTRIBUTE(SetBkMode, BkMode, uint32_t, Value == GRE_TRANSPARENT || Value == GRE_OPAQUE, 0)
ATTRIBUTE(SetROP2, Rop2, uint32_t, Value >= 1 && Value <= 16, 0)
ATTRIBUTE(SetTextAlign, TextAlign, uint32_t, (Value & ~0x1Fu) == 0, 0xFFFFFFFFu) /* GDI_ERROR */
ATTRIBUTE(SetPolyFillMode, PolyFillMode, uint32_t, Value == GRE_ALTERNATE || Value == GRE_WINDING, 0)
ATTRIBUTE(SetStretchBltMode, StretchMode, uint32_t, Value >= 1 && Value <= 4, 0)
ATTRIBUTE(SetArcDirection, ArcDirection, uint32_t, Value == 1 || Value == 2, 0)

/* SetBrushOrgEx: device coordinates; the old origin goes to *Old. */
int GreSetBrushOrgEx(GDI_HANDLE Dc, int32_t X, int32_t Y, GDI_POINT *Old) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc)
        return 0;
    if (Old)
        *Old = dc->State.BrushOrg;
    dc->State.BrushOrg = (GDI_POINT){X, Y};
    return 1;
}

int GreMoveToEx(GDI_HANDLE Dc, int32_t X, int32_t Y, GDI_POINT *Old) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc)
        return 0;
    if (!GreCoordOk(X) || !GreCoordOk(Y)) {
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (Old)
        *Old = dc->State.CurrentPos;
    dc->State.CurrentPos = (GDI_POINT){X, Y};
    return 1;
}

/* ---- SaveDC / RestoreDC ---- */

int GreCopyState(GRE_DC_STATE *To, const GRE_DC_STATE *From) {
    GDI_REGION clip;
    RgnInit(&clip);
    if (From->HasClip && RgnCopy(&clip, &From->Clip) == GRE_ERROR)
        return 0;
    *To = *From;
    To->Clip = clip;
    return 1;
}

void GreSelectState(GRE_DC_STATE *S, int Select); /* greobj.c keeps selection counts */

int32_t GreSaveDC(GDI_HANDLE Dc) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc)
        return 0;
    if (dc->SavedCount >= GRE_MAX_SAVED_DCS || !GreCopyState(&dc->Saved[dc->SavedCount], &dc->State)) {
        GreSetLastError(GDI_ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    GreSelectState(&dc->Saved[dc->SavedCount], 1);
    return ++dc->SavedCount;
}

/* RestoreDC(n): n > 0 restores the state SaveDC numbered n (dropping the
 * later ones); n < 0 goes back -n states. */
int GreRestoreDC(GDI_HANDLE Dc, int32_t Which) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc)
        return 0;
    int32_t target = Which > 0 ? Which : dc->SavedCount + Which + 1;
    if (Which == 0 || target < 1 || target > dc->SavedCount) {
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    /* Drop the states above the target, then make the target current. */
    while (dc->SavedCount > target) {
        dc->SavedCount--;
        GreSelectState(&dc->Saved[dc->SavedCount], 0);
        GreFreeDcState(&dc->Saved[dc->SavedCount]);
    }
    dc->SavedCount--;
    GreSelectState(&dc->State, 0);
    GreFreeDcState(&dc->State);
    dc->State = dc->Saved[dc->SavedCount]; /* its selections carry over */
    return 1;
}

/* ---- mapping ---- */

GDI_DEVICE_METRICS GreScreenMetrics;

int32_t GreSetMapMode(GDI_HANDLE Dc, int32_t Mode) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc)
        return 0;
    int32_t old = XformSetMapMode(&dc->State.Xform, &GreScreenMetrics, Mode);
    if (!old)
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
    return old;
}

int32_t GreGetMapMode(GDI_HANDLE Dc) {
    GRE_DC *dc = GreDc(Dc);
    return dc ? dc->State.Xform.MapMode : 0;
}

/* Set/Get of the four origin and extent points: Which 0 window origin,
 * 1 viewport origin, 2 window extent, 3 viewport extent. */
int GreSetPoint(GDI_HANDLE Dc, int Which, int32_t X, int32_t Y, GDI_POINT *Old) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc)
        return 0;
    GDI_XFORM *x = &dc->State.Xform;
    GDI_POINT *field = Which == 0   ? &x->WindowOrg
                       : Which == 1 ? &x->ViewportOrg
                       : Which == 2 ? &x->WindowExt
                                    : &x->ViewportExt;
    if (Old)
        *Old = *field;
    if (!GreCoordOk(X) || !GreCoordOk(Y)) {
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (Which == 2)
        return XformSetWindowExt(x, X, Y);
    if (Which == 3)
        return XformSetViewportExt(x, X, Y);
    *field = (GDI_POINT){X, Y};
    return 1;
}

int GreGetPoint(GDI_HANDLE Dc, int Which, GDI_POINT *Out) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc)
        return 0;
    GDI_XFORM *x = &dc->State.Xform;
    *Out = Which == 0   ? x->WindowOrg
           : Which == 1 ? x->ViewportOrg
           : Which == 2 ? x->WindowExt
                        : x->ViewportExt;
    return 1;
}

/* DPtoLP (ToDevice 0) and LPtoDP (ToDevice 1) of Count points in place. */
int GreConvertPoints(GDI_HANDLE Dc, GDI_POINT *Points, uint32_t Count, int ToDevice) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc)
        return 0;
    for (uint32_t i = 0; i < Count; i++)
        Points[i] = ToDevice ? XformToDevice(&dc->State.Xform, Points[i])
                             : XformToLogical(&dc->State.Xform, Points[i]);
    return 1;
}

/* GetDeviceCaps for the indexes programs ask most. */
int32_t GreGetDeviceCaps(GDI_HANDLE Dc, uint32_t Index) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc)
        return 0;
    GDI_SURFACE *s = GreDcSurface(dc);
    switch (Index) {
    case 2: return 0x400;                        /* DRIVERVERSION */
    case 4: return GreScreenMetrics.HorzSizeMm;  /* HORZSIZE */
    case 6: return GreScreenMetrics.VertSizeMm;  /* VERTSIZE */
    case 8: return s ? s->Width : 0;             /* HORZRES */
    case 10: return s ? s->Height : 0;           /* VERTRES */
    case 12: return 32;                          /* BITSPIXEL */
    case 14: return 1;                           /* PLANES */
    case 24: return -1;                          /* NUMCOLORS: more than 256 */
    case 88: return GreScreenMetrics.LogPixelsX; /* LOGPIXELSX */
    case 90: return GreScreenMetrics.LogPixelsY; /* LOGPIXELSY */
    case 0: return 0x400;                        /* DRIVERVERSION alias */
    default: return 0;
    }
}

/* ---- clipping ---- */

static uint32_t clip_complexity(GRE_DC *Dc) {
    GDI_REGION eff;
    if (!GreEffectiveClip(Dc, &eff))
        return GRE_ERROR;
    uint32_t c = (uint32_t)RgnComplexity(&eff);
    RgnFree(&eff);
    return c;
}

/* ExtSelectClipRgn: Region (device units) combined with the clip by Mode;
 * a NULL region with RGN_COPY removes the clip. Returns the new clip's
 * complexity or ERROR. */
uint32_t GreExtSelectClipRgn(GDI_HANDLE Dc, GDI_HANDLE Region, uint32_t Mode) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc)
        return GRE_ERROR;
    if (Mode < GRE_RGN_AND || Mode > GRE_RGN_COPY) {
        GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
        return GRE_ERROR;
    }
    if (!Region) {
        if (Mode != GRE_RGN_COPY) {
            GreSetLastError(GDI_ERROR_INVALID_PARAMETER);
            return GRE_ERROR;
        }
        dc->State.HasClip = 0;
        RgnSetEmpty(&dc->State.Clip);
        return clip_complexity(dc);
    }
    GRE_REGION *r = GreObject(Region, GDI_OBJECT_TYPE_REGION);
    if (!r)
        return GRE_ERROR;
    if (Mode == GRE_RGN_COPY || !dc->State.HasClip) {
        if (Mode != GRE_RGN_COPY && Mode != GRE_RGN_AND && Mode != GRE_RGN_OR) {
            /* no clip yet means "everything": XOR/DIFF against the surface */
            GDI_SURFACE *s = GreDcSurface(dc);
            GDI_RECT all = {0, 0, s ? s->Width : 0, s ? s->Height : 0};
            GDI_REGION everything;
            RgnInit(&everything);
            if (RgnSetRect(&everything, &all) == GRE_ERROR ||
                RgnCombine(&dc->State.Clip, &everything, &r->Region, (int)Mode) == GRE_ERROR) {
                RgnFree(&everything);
                return GRE_ERROR;
            }
            RgnFree(&everything);
        } else if (RgnCopy(&dc->State.Clip, &r->Region) == GRE_ERROR) {
            return GRE_ERROR;
        }
    } else if (RgnCombine(&dc->State.Clip, &dc->State.Clip, &r->Region, (int)Mode) == GRE_ERROR) {
        return GRE_ERROR;
    }
    dc->State.HasClip = 1;
    return clip_complexity(dc);
}

uint32_t GreSelectClipRgn(GDI_HANDLE Dc, GDI_HANDLE Region) {
    return GreExtSelectClipRgn(Dc, Region, GRE_RGN_COPY);
}

/* IntersectClipRect (Exclude 0) and ExcludeClipRect (Exclude 1): a logical
 * rectangle. */
uint32_t GreClipRect(GDI_HANDLE Dc, int32_t L, int32_t T, int32_t R, int32_t B, int Exclude) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc)
        return GRE_ERROR;
    GDI_RECT rect = GreRectToDevice(dc, L, T, R, B);
    GDI_REGION add, current;
    RgnInit(&add);
    RgnInit(&current);
    if (RgnSetRect(&add, &rect) == GRE_ERROR || !GreEffectiveClip(dc, &current) ||
        RgnCombine(&dc->State.Clip, &current, &add, Exclude ? GRE_RGN_DIFF : GRE_RGN_AND) == GRE_ERROR) {
        RgnFree(&add);
        RgnFree(&current);
        GreSetLastError(GDI_ERROR_NOT_ENOUGH_MEMORY);
        return GRE_ERROR;
    }
    RgnFree(&add);
    RgnFree(&current);
    dc->State.HasClip = 1;
    return clip_complexity(dc);
}

/* GetClipBox: the clip's bounding box in logical coordinates. */
uint32_t GreGetClipBox(GDI_HANDLE Dc, GDI_RECT *Box) {
    GRE_DC *dc = GreDc(Dc);
    if (!dc)
        return GRE_ERROR;
    GDI_REGION eff;
    if (!GreEffectiveClip(dc, &eff))
        return GRE_ERROR;
    GDI_RECT b;
    uint32_t c = (uint32_t)RgnBox(&eff, &b);
    RgnFree(&eff);
    GDI_POINT a = XformToLogical(&dc->State.Xform, (GDI_POINT){b.left, b.top});
    GDI_POINT z = XformToLogical(&dc->State.Xform, (GDI_POINT){b.right, b.bottom});
    *Box = (GDI_RECT){a.x < z.x ? a.x : z.x, a.y < z.y ? a.y : z.y, a.x < z.x ? z.x : a.x,
                      a.y < z.y ? z.y : a.y};
    return c;
}
