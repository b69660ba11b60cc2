/*
 * xform.h - logical to device coordinates: Win32's mapping modes.
 *
 * Why: every coordinate a GDI call takes is logical; the DC's mapping mode,
 * window and viewport turn it into pixels:
 *     device = (logical - WindowOrg) * ViewportExt / WindowExt + ViewportOrg
 * rounded as MulDiv does (to nearest, halves away from zero). MM_TEXT is
 * the identity; the metric and English modes fix both extents from the
 * device's size so a unit is 0.1 mm, 0.01 mm, 0.01 in, 0.001 in or a twip,
 * with y growing upwards; MM_ISOTROPIC keeps one unit the same length on
 * both axes by shrinking the larger viewport extent; MM_ANISOTROPIC lets
 * the program set both extents freely. Integer arithmetic only: the engine
 * also runs in the kernel.
 */
#ifndef GDI_XFORM_H
#define GDI_XFORM_H

#include "gdikernel.h"

/* Win32's values. */
#define GDI_MM_TEXT 1
#define GDI_MM_LOMETRIC 2
#define GDI_MM_HIMETRIC 3
#define GDI_MM_LOENGLISH 4
#define GDI_MM_HIENGLISH 5
#define GDI_MM_TWIPS 6
#define GDI_MM_ISOTROPIC 7
#define GDI_MM_ANISOTROPIC 8

/* The device the DC draws on, as GetDeviceCaps describes it. */
typedef struct _GDI_DEVICE_METRICS {
    int32_t HorzRes, VertRes; /* pixels */
    int32_t HorzSizeMm, VertSizeMm;
    int32_t LogPixelsX, LogPixelsY;
} GDI_DEVICE_METRICS;

typedef struct _GDI_XFORM {
    int32_t MapMode;
    GDI_POINT WindowOrg, ViewportOrg;
    GDI_POINT WindowExt, ViewportExt; /* never 0 */
} GDI_XFORM;

/* The device metrics for a W x H pixel display at 96 dots per inch. */
void XformDeviceMetrics(GDI_DEVICE_METRICS *Metrics, int32_t Width, int32_t Height);
/* MM_TEXT, origins 0, extents 1:1. */
void XformInit(GDI_XFORM *X);
/* Sets a mapping mode (and, for the fixed modes, both extents); 0 for an
 * unknown mode (nothing changes), else the previous mode. */
int32_t XformSetMapMode(GDI_XFORM *X, const GDI_DEVICE_METRICS *Device, int32_t Mode);
/* SetWindowExtEx / SetViewportExtEx: ignored (success) in the fixed modes,
 * as Win32 does; a zero extent fails (returns 0). MM_ISOTROPIC re-fits the
 * viewport after either. */
int XformSetWindowExt(GDI_XFORM *X, int32_t Cx, int32_t Cy);
int XformSetViewportExt(GDI_XFORM *X, int32_t Cx, int32_t Cy);
/* LPtoDP / DPtoLP of one point. */
GDI_POINT XformToDevice(const GDI_XFORM *X, GDI_POINT Logical);
GDI_POINT XformToLogical(const GDI_XFORM *X, GDI_POINT Device);
/* A logical length along x (a pen's width) in device pixels, at least 0. */
int32_t XformLengthToDevice(const GDI_XFORM *X, int32_t Length);
/* Win32's MulDiv: A * B / C rounded to nearest, halves away from zero;
 * -1 when C is 0 (Win32's answer). */
int32_t GdiMulDiv(int32_t A, int32_t B, int32_t C);

#endif
