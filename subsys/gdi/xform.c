/*
 * xform.c - the mapping modes (see xform.h).
 */
#include "xform.h"

int32_t GdiMulDiv(int32_t A, int32_t B, int32_t C) {
    if (C == 0)
        return -1;
    int64_t p = (int64_t)A * B;
    int negative = (p < 0) != (C < 0);
    uint64_t up = p < 0 ? (uint64_t)(-p) : (uint64_t)p;
    uint64_t uc = C < 0 ? (uint64_t)(-(int64_t)C) : (uint64_t)C;
    uint64_t q = (up + uc / 2) / uc;
    if (q > 0x7FFFFFFFu)
        return -1; /* does not fit, as Win32's MulDiv answers */
    return negative ? -(int32_t)q : (int32_t)q;
}

void XformDeviceMetrics(GDI_DEVICE_METRICS *M, int32_t Width, int32_t Height) {
    M->HorzRes = Width;
    M->VertRes = Height;
    M->LogPixelsX = M->LogPixelsY = 96;
    M->HorzSizeMm = GdiMulDiv(Width, 254, 960); /* 25.4 mm per inch */
    M->VertSizeMm = GdiMulDiv(Height, 254, 960);
}

void XformInit(GDI_XFORM *X) {
    X->MapMode = GDI_MM_TEXT;
    X->WindowOrg = X->ViewportOrg = (GDI_POINT){0, 0};
    X->WindowExt = X->ViewportExt = (GDI_POINT){1, 1};
}

/* MM_ISOTROPIC: the viewport extent whose scale is larger gives way, so a
 * logical unit has the same length in x and y; the signs are kept. */
static void fit_isotropic(GDI_XFORM *X) {
    if (X->MapMode != GDI_MM_ISOTROPIC)
        return;
    int64_t wx = X->WindowExt.x < 0 ? -(int64_t)X->WindowExt.x : X->WindowExt.x;
    int64_t wy = X->WindowExt.y < 0 ? -(int64_t)X->WindowExt.y : X->WindowExt.y;
    int64_t vx = X->ViewportExt.x < 0 ? -(int64_t)X->ViewportExt.x : X->ViewportExt.x;
    int64_t vy = X->ViewportExt.y < 0 ? -(int64_t)X->ViewportExt.y : X->ViewportExt.y;
    int sx = X->ViewportExt.x < 0 ? -1 : 1, sy = X->ViewportExt.y < 0 ? -1 : 1;
    /* compare vx/wx with vy/wy without dividing */
    if (vx * wy > vy * wx) {
        int32_t nx = GdiMulDiv((int32_t)vy, (int32_t)wx, (int32_t)wy);
        X->ViewportExt.x = sx * (nx ? nx : 1);
    } else if (vx * wy < vy * wx) {
        int32_t ny = GdiMulDiv((int32_t)vx, (int32_t)wy, (int32_t)wx);
        X->ViewportExt.y = sy * (ny ? ny : 1);
    }
}

int32_t XformSetMapMode(GDI_XFORM *X, const GDI_DEVICE_METRICS *D, int32_t Mode) {
    int32_t old = X->MapMode;
    switch (Mode) {
    case GDI_MM_TEXT: X->WindowExt = X->ViewportExt = (GDI_POINT){1, 1}; break;
    case GDI_MM_LOMETRIC:
    case GDI_MM_HIMETRIC:
    case GDI_MM_LOENGLISH:
    case GDI_MM_HIENGLISH:
    case GDI_MM_TWIPS: {
        /* units per millimetre times 100, over the device's size */
        static const int32_t per_100mm[] = {0, 0, 1000, 10000, 394, 3937, 5669};
        X->WindowExt.x = GdiMulDiv(D->HorzSizeMm, per_100mm[Mode], 100);
        X->WindowExt.y = GdiMulDiv(D->VertSizeMm, per_100mm[Mode], 100);
        X->ViewportExt = (GDI_POINT){D->HorzRes, -D->VertRes};
        break;
    }
    case GDI_MM_ISOTROPIC:
    case GDI_MM_ANISOTROPIC: break; /* the extents stay as they are (from a metric mode too, as Win32 does) */
    default: return 0;
    }
    X->MapMode = Mode;
    fit_isotropic(X);
    return old;
}

static int fixed_mode(const GDI_XFORM *X) {
    return X->MapMode != GDI_MM_ISOTROPIC && X->MapMode != GDI_MM_ANISOTROPIC;
}

int XformSetWindowExt(GDI_XFORM *X, int32_t Cx, int32_t Cy) {
    if (fixed_mode(X))
        return 1;
    if (Cx == 0 || Cy == 0)
        return 0;
    X->WindowExt = (GDI_POINT){Cx, Cy};
    fit_isotropic(X);
    return 1;
}

int XformSetViewportExt(GDI_XFORM *X, int32_t Cx, int32_t Cy) {
    if (fixed_mode(X))
        return 1;
    if (Cx == 0 || Cy == 0)
        return 0;
    X->ViewportExt = (GDI_POINT){Cx, Cy};
    fit_isotropic(X);
    return 1;
}

GDI_POINT XformToDevice(const GDI_XFORM *X, GDI_POINT L) {
    return (GDI_POINT){GdiMulDiv(L.x - X->WindowOrg.x, X->ViewportExt.x, X->WindowExt.x) + X->ViewportOrg.x,
                       GdiMulDiv(L.y - X->WindowOrg.y, X->ViewportExt.y, X->WindowExt.y) + X->ViewportOrg.y};
}

GDI_POINT XformToLogical(const GDI_XFORM *X, GDI_POINT D) {
    return (GDI_POINT){GdiMulDiv(D.x - X->ViewportOrg.x, X->WindowExt.x, X->ViewportExt.x) + X->WindowOrg.x,
                       GdiMulDiv(D.y - X->ViewportOrg.y, X->WindowExt.y, X->ViewportExt.y) + X->WindowOrg.y};
}

int32_t XformLengthToDevice(const GDI_XFORM *X, int32_t Length) {
    int32_t d = GdiMulDiv(Length, X->ViewportExt.x, X->WindowExt.x);
    return d < 0 ? -d : d;
}
