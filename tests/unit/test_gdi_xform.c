/*
 * test_gdi_xform.c - Win32's mapping modes: MulDiv's rounding, the fixed
 * metric and English modes, MM_ISOTROPIC's fitting and MM_ANISOTROPIC's
 * freedom, and LPtoDP/DPtoLP agreeing with each other.
 */
#include <stdlib.h>

#include "../../subsys/gdi/xform.c"
#include "unit.h"

void *GdiHostAlloc(size_t Bytes) {
    return calloc(1, Bytes);
}
void GdiHostFree(void *Block) {
    free(Block);
}

static GDI_DEVICE_METRICS Screen;

TEST(muldiv_rounds_halves_away_from_zero) {
    CHECK_EQ(GdiMulDiv(5, 1, 2), 3);
    CHECK_EQ(GdiMulDiv(-5, 1, 2), (int32_t)-3);
    CHECK_EQ(GdiMulDiv(7, 1, 3), 2);
    CHECK_EQ(GdiMulDiv(8, 1, 3), 3);
    CHECK_EQ(GdiMulDiv(8, -1, 3), (int32_t)-3);
    CHECK_EQ(GdiMulDiv(1, 1, 0), (int32_t)-1);
    CHECK_EQ(GdiMulDiv(0x40000000, 4, 1), (int32_t)-1); /* does not fit */
    CHECK_EQ(GdiMulDiv(0x7FFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF), 0x7FFFFFFF);
}

TEST(mm_text_is_the_identity_plus_origins) {
    GDI_XFORM x;
    XformInit(&x);
    GDI_POINT d = XformToDevice(&x, (GDI_POINT){10, 20});
    CHECK(d.x == 10 && d.y == 20);
    x.WindowOrg = (GDI_POINT){5, 5};
    x.ViewportOrg = (GDI_POINT){100, 0};
    d = XformToDevice(&x, (GDI_POINT){10, 20});
    CHECK(d.x == 105 && d.y == 15);
    CHECK(XformSetWindowExt(&x, 7, 7)); /* accepted and ignored in MM_TEXT */
    d = XformToDevice(&x, (GDI_POINT){10, 20});
    CHECK(d.x == 105 && d.y == 15);
}

TEST(metric_modes_scale_and_flip_y) {
    GDI_XFORM x;
    XformInit(&x);
    CHECK_EQ(XformSetMapMode(&x, &Screen, GDI_MM_LOMETRIC), GDI_MM_TEXT);
    /* 96 dpi: 100 units of 0.1 mm = 1 cm = 37.8 pixels */
    GDI_POINT d = XformToDevice(&x, (GDI_POINT){100, 100});
    CHECK(d.x >= 37 && d.x <= 38);
    CHECK(d.y <= -37 && d.y >= -38);
    XformSetMapMode(&x, &Screen, GDI_MM_LOENGLISH); /* 100 units = 1 inch = 96 pixels */
    d = XformToDevice(&x, (GDI_POINT){100, -100});
    CHECK(d.x >= 95 && d.x <= 97 && d.y >= 95 && d.y <= 97);
    XformSetMapMode(&x, &Screen, GDI_MM_TWIPS); /* 1440 twips = 96 pixels */
    d = XformToDevice(&x, (GDI_POINT){1440, 0});
    CHECK(d.x >= 95 && d.x <= 97);
    CHECK_EQ(XformSetMapMode(&x, &Screen, 99), 0);
    CHECK_EQ(x.MapMode, GDI_MM_TWIPS);
}

TEST(isotropic_keeps_units_square_and_anisotropic_does_not) {
    GDI_XFORM x;
    XformInit(&x);
    XformSetMapMode(&x, &Screen, GDI_MM_ISOTROPIC);
    CHECK(XformSetWindowExt(&x, 100, 100));
    CHECK(XformSetViewportExt(&x, 200, -400));
    CHECK_EQ(x.ViewportExt.x, 200);
    CHECK_EQ(x.ViewportExt.y, (int32_t)-200); /* the larger scale gave way, sign kept */
    GDI_POINT d = XformToDevice(&x, (GDI_POINT){50, 50});
    CHECK(d.x == 100 && d.y == -100);
    CHECK(!XformSetViewportExt(&x, 0, 5));
    XformSetMapMode(&x, &Screen, GDI_MM_ANISOTROPIC);
    CHECK(XformSetViewportExt(&x, 200, -400));
    d = XformToDevice(&x, (GDI_POINT){50, 50});
    CHECK(d.x == 100 && d.y == -200);
}

TEST(dptolp_undoes_lptodp) {
    GDI_XFORM x;
    XformInit(&x);
    XformSetMapMode(&x, &Screen, GDI_MM_ANISOTROPIC);
    XformSetWindowExt(&x, 3, 7);
    XformSetViewportExt(&x, 9, -14);
    x.WindowOrg = (GDI_POINT){-11, 4};
    x.ViewportOrg = (GDI_POINT){320, 240};
    for (int32_t i = -300; i <= 300; i += 3) {
        GDI_POINT l = {i, -i};
        GDI_POINT back = XformToLogical(&x, XformToDevice(&x, l));
        CHECK(back.x == l.x && back.y == l.y);
        if (ut_state()->Failures)
            break;
    }
    CHECK_EQ(XformLengthToDevice(&x, 5), 15);
}

int main(void) {
    XformDeviceMetrics(&Screen, 1024, 768);
    RUN(muldiv_rounds_halves_away_from_zero);
    RUN(mm_text_is_the_identity_plus_origins);
    RUN(metric_modes_scale_and_flip_y);
    RUN(isotropic_keeps_units_square_and_anisotropic_does_not);
    RUN(dptolp_undoes_lptodp);
    return UtFinish();
}
