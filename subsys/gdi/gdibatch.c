/*
 * gdibatch.c - the batch encoder and decoder (see gdibatch.h).
 */
#include "gdibatch.h"

uint32_t GdiBatchRecordSize(uint32_t Arguments, uint32_t DataBytes) {
    return (uint32_t)sizeof(GDI_BATCH_RECORD_HEADER) + 4 * Arguments + ((DataBytes + 3) & ~3u);
}

void GdiBatchReset(GDI_BATCH *Batch) {
    Batch->Used = 0;
    Batch->Count = 0;
}

int GdiBatchAppend(GDI_BATCH *Batch, uint16_t Api, const uint32_t *Args, uint32_t Arguments, const void *Data,
                   uint32_t DataBytes) {
    if (Arguments > GDI_BATCH_MAX_ARGS || DataBytes > 0xFFFF)
        return 0;
    uint32_t size = GdiBatchRecordSize(Arguments, DataBytes);
    if (size > 0xFFFC || size > Batch->Capacity - Batch->Used)
        return 0;
    uint8_t *p = Batch->Buffer + Batch->Used;
    GDI_BATCH_RECORD_HEADER h = {Api, (uint16_t)size};
    const uint8_t *hb = (const uint8_t *)&h;
    for (uint32_t i = 0; i < sizeof h; i++)
        p[i] = hb[i];
    uint32_t *args = (uint32_t *)(p + sizeof h);
    for (uint32_t i = 0; i < Arguments; i++)
        args[i] = Args[i];
    uint8_t *data = (uint8_t *)(args + Arguments);
    const uint8_t *from = Data;
    uint32_t padded = (DataBytes + 3) & ~3u;
    for (uint32_t i = 0; i < padded; i++)
        data[i] = i < DataBytes ? from[i] : 0;
    Batch->Used += size;
    Batch->Count++;
    return 1;
}

uint32_t GdiBatchDecode(const volatile uint8_t *Buffer, uint32_t Used, const GDI_API_SHAPE *Shapes,
                        uint32_t ApiCount, GDI_BATCH_HANDLER Handler, void *Context, int *Malformed) {
    uint32_t offset = 0, done = 0;
    *Malformed = 0;
    while (offset < Used) {
        if (Used - offset < sizeof(GDI_BATCH_RECORD_HEADER)) {
            *Malformed = 1;
            break;
        }
        /* Read once: the client may be rewriting the buffer right now. */
        uint16_t api = (uint16_t)(Buffer[offset] | (Buffer[offset + 1] << 8));
        uint16_t size = (uint16_t)(Buffer[offset + 2] | (Buffer[offset + 3] << 8));
        if (api >= ApiCount || size < sizeof(GDI_BATCH_RECORD_HEADER) || (size & 3) || size > Used - offset) {
            *Malformed = 1;
            break;
        }
        const GDI_API_SHAPE *shape = &Shapes[api];
        uint32_t fixed = sizeof(GDI_BATCH_RECORD_HEADER) + 4u * shape->Arguments;
        if (shape->Arguments > GDI_BATCH_MAX_ARGS || size < fixed ||
            size - fixed > ((shape->MaxDataBytes + 3) & ~3u)) {
            *Malformed = 1;
            break;
        }
        uint32_t args[GDI_BATCH_MAX_ARGS];
        const volatile uint8_t *a = Buffer + offset + sizeof(GDI_BATCH_RECORD_HEADER);
        for (uint32_t i = 0; i < shape->Arguments; i++)
            args[i] = (uint32_t)a[4 * i] | ((uint32_t)a[4 * i + 1] << 8) | ((uint32_t)a[4 * i + 2] << 16) |
                      ((uint32_t)a[4 * i + 3] << 24);
        Handler(Context, api, args, (const uint8_t *)(Buffer + offset + fixed), size - fixed);
        offset += size;
        done++;
    }
    return done;
}
