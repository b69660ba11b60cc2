/*
 * test_gdi_engine.c - the whole GDI engine in-process (the third host):
 * records in, pixels out, on a memory "screen".
 *
 * Why: the modules are tested alone (regions, raster, blt, fonts); this
 * proves the layer that joins them: handles and DC state, mapping modes,
 * the clip, SaveDC/RestoreDC, the batch decoder in front of it all, and
 * the engine's refusal of hostile records. It is also the zero-boundary
 * host the benchmarks compare against: GdiHost* here are plain calls.
 */
#include <stdlib.h>
#include <string.h>

#include "gdi.h"
#include "gdibatch.h"
#include "unit.h"

void *GdiHostAlloc(size_t Bytes) {
    return calloc(1, Bytes);
}
void GdiHostFree(void *Block) {
    free(Block);
}
static uint32_t Owner = 100;
uint32_t GdiHostCurrentOwner(void) {
    return Owner;
}
void GdiHostLock(void) {}
void *GdiHostAllocShared(size_t Bytes, uint32_t *ClientAddress, void **Cookie) {
    void *p = calloc(1, Bytes);
    *ClientAddress = (uint32_t)(uintptr_t)p; /* the in-process host: the same memory */
    *Cookie = p;
    return p;
}
void GdiHostFreeShared(void *Cookie) {
    free(Cookie);
}
void GdiHostUnlock(void) {}

#define W 320
#define H 200
static uint32_t Screen[W * H];

static uint8_t Buffer[65536];
static GDI_BATCH Batch = {Buffer, 32768, 0, 0};
static struct {
    GDI_REPLY Reply;
    uint8_t Out[32768];
} Answer;

static void start(void) {
    const char *why = NULL;
    GDI_DISPLAY d = {W, H, W * 4, 32, Screen};
    memset(Screen, 0, sizeof Screen);
    if (!GreInitialize(&d, &why))
        printf("  GreInitialize: %s\n", why);
}

/* Appends a record and runs the batch; returns the last record's result. */
static uint32_t call(uint16_t Api, const uint32_t *Args, uint32_t Count, const void *Data, uint32_t Bytes) {
    int malformed = 0;
    GdiBatchReset(&Batch);
    GdiBatchAppend(&Batch, Api, Args, Count, Data, Bytes);
    GreRunBatch(Buffer, Batch.Used, &Answer.Reply, sizeof Answer.Out, &malformed);
    return malformed ? 0xDEAD : Answer.Reply.Result;
}
#define CALL(Api, ...)                                                                                       \
    call(GdiCall##Api, (const uint32_t[]){__VA_ARGS__}, sizeof((const uint32_t[]){__VA_ARGS__}) / 4, NULL, 0)
#define CALL0(Api) call(GdiCall##Api, NULL, 0, NULL, 0)

static uint32_t pixel(int x, int y) {
    return Screen[y * W + x];
}

TEST(screen_dc_fill_rect_and_get_pixel) {
    start();
    uint32_t dc = CALL(GetDC, 0);
    CHECK(dc != 0);
    uint32_t red = CALL(CreateSolidBrush, 0x0000FF);
    CHECK(CALL(FillRect, dc, 10, 10, 20, 20, red));
    CHECK_EQ(pixel(10, 10), 0xFF0000);
    CHECK_EQ(pixel(19, 19), 0xFF0000);
    CHECK_EQ(pixel(20, 19), 0);
    CHECK_EQ(CALL(GetPixel, dc, 15, 15), 0x0000FF);
    CHECK_EQ(CALL(GetPixel, dc, 5000, 5), 0xFFFFFFFF);
}

TEST(memory_dc_fill_rects_with_fresh_brushes_each_time) {
    start();
    uint32_t screen = CALL(GetDC, 0);
    uint32_t mem = CALL(CreateCompatibleDC, screen);
    uint32_t bm = CALL(CreateCompatibleBitmap, screen, 32, 32);
    CHECK(CALL(SelectObject, mem, bm) != 0);
    for (uint32_t i = 0; i < 32; i += 4) { /* from i = 16 on the rectangles are inverted: empty */
        uint32_t b = CALL(CreateSolidBrush, i * 8);
        CHECK(CALL(FillRect, mem, i, i, 32 - i, 32 - i, b));
        CHECK(CALL(DeleteObject, b));
    }
    CHECK(CALL(BitBlt, screen, 0, 0, 32, 32, mem, 0, 0, 0x00CC0020));
    for (uint32_t i = 0; i < 16; i += 4)
        CHECK_EQ(pixel((int)i, 16), (i * 8) << 16);
    CHECK_EQ(pixel(16, 16), (12 * 8) << 16);
}

TEST(mapping_modes_move_and_scale_drawing) {
    start();
    uint32_t dc = CALL(GetDC, 0);
    uint32_t white = CALL(GetStockObject, 0);
    CHECK_EQ(CALL(SetMapMode, dc, 8), 1); /* MM_ANISOTROPIC, was MM_TEXT */
    CHECK(CALL(SetWindowExtEx, dc, 10, 10));
    CHECK(CALL(SetViewportExtEx, dc, 20, 20));
    CHECK(CALL(SetViewportOrgEx, dc, 100, 50));
    CHECK(CALL(FillRect, dc, 0, 0, 5, 5, white)); /* -> device (100,50)-(110,60) */
    CHECK_EQ(pixel(100, 50), 0xFFFFFF);
    CHECK_EQ(pixel(109, 59), 0xFFFFFF);
    CHECK_EQ(pixel(110, 59), 0);
    CHECK_EQ(pixel(99, 50), 0);
}

TEST(save_and_restore_dc_bring_back_the_state) {
    start();
    uint32_t dc = CALL(GetDC, 0);
    CHECK_EQ(CALL(SaveDC, dc), 1);
    CHECK_EQ(CALL(SetTextColor, dc, 0x123456), 0);
    CHECK_EQ(CALL(SaveDC, dc), 2);
    CHECK_EQ(CALL(SetTextColor, dc, 0x654321), 0x123456);
    CHECK(CALL(RestoreDC, dc, -1));
    CHECK_EQ(CALL(SetTextColor, dc, 0), 0x123456);
    CHECK(CALL(RestoreDC, dc, 1));
    CHECK_EQ(CALL(SetTextColor, dc, 0), 0);
    CHECK(!CALL(RestoreDC, dc, 1)); /* nothing saved any more */
}

TEST(clip_region_limits_every_drawing_call) {
    start();
    uint32_t dc = CALL(GetDC, 0);
    uint32_t rgn = CALL(CreateRectRgn, 50, 50, 60, 60);
    CHECK_EQ(CALL(SelectClipRgn, dc, rgn), 2);
    uint32_t white = CALL(GetStockObject, 0);
    CALL(FillRect, dc, 0, 0, W, H, white);
    CALL(SelectObject, dc, white);
    CALL(Ellipse, dc, 0, 0, W, H);
    CALL(PatBlt, dc, 0, 0, W, H, 0x00FF0062); /* WHITENESS */
    int outside = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            if (pixel(x, y) && !(x >= 50 && x < 60 && y >= 50 && y < 60))
                outside++;
    CHECK_EQ(outside, 0);
    CHECK_EQ(pixel(55, 55), 0xFFFFFF);
}

TEST(frame_and_invert_region) {
    start();
    uint32_t dc = CALL(GetDC, 0);
    uint32_t rgn = CALL(CreateRectRgn, 10, 10, 20, 20);
    uint32_t white = CALL(GetStockObject, 0);
    CHECK(CALL(FrameRgn, dc, rgn, white, 1, 1));
    CHECK_EQ(pixel(10, 10), 0xFFFFFF);
    CHECK_EQ(pixel(19, 15), 0xFFFFFF);
    CHECK_EQ(pixel(15, 15), 0);
    CHECK_EQ(pixel(20, 15), 0);
    CHECK(CALL(InvertRgn, dc, rgn));
    CHECK_EQ(pixel(15, 15), 0xFFFFFF);
    CHECK_EQ(pixel(10, 10), 0);
}

TEST(text_advance_equals_extent) {
    start();
    uint32_t dc = CALL(GetDC, 0);
    static const uint16_t text[] = {'H', 'e', 'l', 'l', 'o', ' ', 'G', 'D', 'I'};
    call(GdiCallGetTextExtentPoint32, (const uint32_t[]){dc, 9}, 2, text, sizeof text);
    int32_t size[2];
    memcpy(size, Answer.Out, sizeof size);
    CHECK(size[0] > 0 && size[1] > 0);
    CALL(SetTextAlign, dc, 1); /* TA_UPDATECP */
    CALL(MoveTo, dc, 10, 10);
    call(GdiCallTextOut, (const uint32_t[]){dc, 0, 0, 9}, 4, text, sizeof text);
    CALL(MoveToEx, dc, 0, 0);
    int32_t at[2];
    memcpy(at, Answer.Out, sizeof at);
    CHECK_EQ(at[0], 10 + size[0]);
}

TEST(hostile_records_are_refused_and_foreign_handles_unusable) {
    start();
    uint32_t dc = CALL(GetDC, 0);
    uint32_t brush = CALL(CreateSolidBrush, 0xFF);
    Owner = 200; /* another process */
    CHECK(!CALL(DeleteObject, brush));
    CHECK_EQ(CALL(SelectObject, dc, brush), 0);
    CHECK(!CALL(FillRect, dc, 0, 0, 5, 5, brush));
    Owner = 100;
    CHECK(CALL(DeleteObject, brush));
    /* a polyline whose count claims more points than came */
    CHECK(!call(GdiCallPolyline, (const uint32_t[]){dc, 1000}, 2, (const uint32_t[]){1, 2, 3, 4}, 16));
    /* a record that lies about its size stops the batch */
    int malformed = 0;
    uint8_t bad[8] = {GdiCallLineTo, 0, 200, 0, 1, 2, 3, 4};
    CHECK_EQ(GreRunBatch(bad, sizeof bad, &Answer.Reply, sizeof Answer.Out, &malformed), 0);
    CHECK(malformed);
    /* random records never crash the engine */
    srand(99);
    for (int round = 0; round < 3000; round++) {
        uint32_t args[16];
        for (int i = 0; i < 16; i++)
            args[i] = rand() % 3 ? (uint32_t)(rand() % 400) - 50 : (uint32_t)rand() * 65599u;
        if (rand() % 2)
            args[0] = dc;
        uint16_t api = (uint16_t)(rand() % GdiCallCount);
        uint8_t data[256];
        for (int i = 0; i < 256; i++)
            data[i] = (uint8_t)rand();
        GdiBatchReset(&Batch);
        if (api == GdiCallGetDC || api == GdiCallReleaseDC || api == GdiCallDeleteDC)
            continue; /* keep our DC */
        GdiBatchAppend(&Batch, api, args, 16, data, (uint32_t)(rand() % 256));
        GreRunBatch(Buffer, Batch.Used, &Answer.Reply, sizeof Answer.Out, &malformed);
    }
    CHECK(CALL(GetPixel, dc, 0, 0) != 0xDEAD); /* still answering */
}

int main(void) {
    RUN(screen_dc_fill_rect_and_get_pixel);
    RUN(memory_dc_fill_rects_with_fresh_brushes_each_time);
    RUN(mapping_modes_move_and_scale_drawing);
    RUN(save_and_restore_dc_bring_back_the_state);
    RUN(clip_region_limits_every_drawing_call);
    RUN(frame_and_invert_region);
    RUN(text_advance_equals_extent);
    RUN(hostile_records_are_refused_and_foreign_handles_unusable);
    return UtFinish();
}
