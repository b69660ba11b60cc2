/*
 * test_gdi_batch.c - a batch of records comes out of the decoder exactly as
 * it went into the encoder, and a malformed or hostile buffer stops the
 * decoder without handing a bad record to the engine.
 *
 * Why: the batch buffer is shared with the client; its bytes are the
 * client's to choose, so the decoder is a security boundary as much as a
 * format.
 */
#include <stdlib.h>

#include "../../subsys/gdi/gdibatch.c"
#include "unit.h"

void *GdiHostAlloc(size_t Bytes) {
    return calloc(1, Bytes);
}
void GdiHostFree(void *Block) {
    free(Block);
}

static const GDI_API_SHAPE Shapes[] = {
    {3, 0},  /* 0: three arguments */
    {1, 64}, /* 1: one argument and up to 64 bytes of data */
    {0, 0},  /* 2: nothing */
    {16, 8}, /* 3: the most arguments */
};

typedef struct {
    uint32_t Calls;
    uint16_t Api[64];
    uint32_t Args[64][GDI_BATCH_MAX_ARGS];
    uint32_t DataBytes[64];
    uint8_t Data[64][64];
} SEEN;

static void handler(void *Context, uint16_t Api, const uint32_t *Args, const uint8_t *Data,
                    uint32_t DataBytes) {
    SEEN *s = Context;
    if (s->Calls >= 64)
        return;
    s->Api[s->Calls] = Api;
    for (uint32_t i = 0; i < Shapes[Api].Arguments; i++)
        s->Args[s->Calls][i] = Args[i];
    s->DataBytes[s->Calls] = DataBytes;
    for (uint32_t i = 0; i < DataBytes && i < 64; i++)
        s->Data[s->Calls][i] = Data[i];
    s->Calls++;
}

TEST(records_round_trip_in_order) {
    static uint8_t buffer[512];
    GDI_BATCH b = {buffer, sizeof buffer, 0, 0};
    uint32_t a0[3] = {1, 0xFFFFFFFF, 0x80000000};
    uint32_t a1[1] = {5};
    uint32_t a3[16];
    for (int i = 0; i < 16; i++)
        a3[i] = (uint32_t)i * 7;
    CHECK(GdiBatchAppend(&b, 0, a0, 3, NULL, 0));
    CHECK(GdiBatchAppend(&b, 1, a1, 1, "hello", 5));
    CHECK(GdiBatchAppend(&b, 2, NULL, 0, NULL, 0));
    CHECK(GdiBatchAppend(&b, 3, a3, 16, "12345678", 8));
    CHECK_EQ(b.Count, 4);
    CHECK_EQ(b.Used, 16 + 16 + 4 + (4 + 64 + 8));
    SEEN seen = {0};
    int malformed = 1;
    CHECK_EQ(GdiBatchDecode(buffer, b.Used, Shapes, 4, handler, &seen, &malformed), 4);
    CHECK(!malformed);
    CHECK_EQ(seen.Api[0], 0);
    CHECK_EQ(seen.Args[0][1], 0xFFFFFFFF);
    CHECK_EQ(seen.Args[0][2], 0x80000000);
    CHECK_EQ(seen.Api[1], 1);
    CHECK_EQ(seen.DataBytes[1], 8); /* padded to 4 */
    CHECK(memcmp(seen.Data[1], "hello\0\0\0", 8) == 0);
    CHECK_EQ(seen.Api[2], 2);
    CHECK_EQ(seen.Args[3][15], 105);
    CHECK(memcmp(seen.Data[3], "12345678", 8) == 0);
}

TEST(a_full_batch_refuses_the_record_that_does_not_fit) {
    uint8_t buffer[40];
    GDI_BATCH b = {buffer, sizeof buffer, 0, 0};
    uint32_t a[3] = {1, 2, 3};
    CHECK(GdiBatchAppend(&b, 0, a, 3, NULL, 0));  /* 16 */
    CHECK(GdiBatchAppend(&b, 0, a, 3, NULL, 0));  /* 32 */
    CHECK(!GdiBatchAppend(&b, 0, a, 3, NULL, 0)); /* 48 > 40 */
    CHECK_EQ(b.Count, 2);
    CHECK_EQ(b.Used, 32);
    GdiBatchReset(&b);
    CHECK_EQ(b.Used, 0);
    CHECK(!GdiBatchAppend(&b, 0, a, 17, NULL, 0)); /* too many arguments */
}

static uint32_t decode(const uint8_t *Buffer, uint32_t Used, int *Malformed, SEEN *Seen) {
    return GdiBatchDecode(Buffer, Used, Shapes, 4, handler, Seen, Malformed);
}

TEST(malformed_records_stop_the_decoder) {
    uint8_t buf[64];
    GDI_BATCH b = {buf, sizeof buf, 0, 0};
    uint32_t a[3] = {1, 2, 3};
    CHECK(GdiBatchAppend(&b, 0, a, 3, NULL, 0));
    SEEN seen;
    int malformed;
    /* a size that runs past the end */
    memset(&seen, 0, sizeof seen);
    buf[2] = 20;
    CHECK_EQ(decode(buf, 16, &malformed, &seen), 0);
    CHECK(malformed);
    /* a size that is not a multiple of 4, or smaller than a header */
    buf[2] = 14;
    CHECK_EQ(decode(buf, 16, &malformed, &seen), 0);
    CHECK(malformed);
    buf[2] = 0;
    CHECK_EQ(decode(buf, 16, &malformed, &seen), 0);
    CHECK(malformed);
    /* an unknown API */
    buf[2] = 16;
    buf[0] = 9;
    CHECK_EQ(decode(buf, 16, &malformed, &seen), 0);
    CHECK(malformed);
    /* too few bytes for the API's arguments */
    buf[0] = 0;
    buf[2] = 8;
    CHECK_EQ(decode(buf, 8, &malformed, &seen), 0);
    CHECK(malformed);
    /* data where the API takes none */
    buf[2] = 20;
    CHECK_EQ(decode(buf, 20, &malformed, &seen), 0);
    CHECK(malformed);
    /* a trailing fragment after a good record: the good one runs */
    buf[2] = 16;
    CHECK_EQ(decode(buf, 18, &malformed, &seen), 1);
    CHECK(malformed);
    CHECK_EQ(seen.Calls, 1);
}

TEST(random_buffers_never_reach_the_handler_malformed) {
    static uint8_t buf[4096];
    srand(12345);
    for (int round = 0; round < 20000; round++) {
        uint32_t used = (uint32_t)rand() % sizeof buf;
        for (uint32_t i = 0; i < used; i++)
            buf[i] = (uint8_t)(rand() % 5 == 0 ? rand() : (rand() % 4 == 0 ? 4 * (rand() % 5) : rand() % 4));
        SEEN seen;
        memset(&seen, 0, sizeof seen);
        int malformed;
        uint32_t n = decode(buf, used, &malformed, &seen);
        CHECK(n == seen.Calls || seen.Calls == 64);
        for (uint32_t i = 0; i < seen.Calls; i++)
            CHECK(seen.Api[i] < 4 && seen.DataBytes[i] <= ((Shapes[seen.Api[i]].MaxDataBytes + 3) & ~3u));
        if (ut_state()->Failures)
            break;
    }
}

int main(void) {
    RUN(records_round_trip_in_order);
    RUN(a_full_batch_refuses_the_record_that_does_not_fit);
    RUN(malformed_records_stop_the_decoder);
    RUN(random_buffers_never_reach_the_handler_malformed);
    return UtFinish();
}
