/*
 * gdibatch.h - the batch: how gdi32 packs many drawing calls into one
 * buffer and how the engine takes them apart again.
 *
 * Why: a GDI call that only returns TRUE or FALSE need not cross into the
 * engine on its own (DESIGN.md section 9). gdi32 appends it as a record to a
 * batch, which lives in the thread's quick-LPC window (GDI in csrss) or in
 * its TEB (GDI in the kernel), and flushes the batch when it reaches the
 * thread's batch limit, when GdiFlush is called, or before any call that
 * returns a value. One record format serves every host, so the encoder and
 * the decoder are this one small module, tested on the host.
 *
 * A record is a 4-byte header (Api, Size in bytes including the header, a
 * multiple of 4), the API's fixed arguments as 32-bit words, then its
 * variable data (points, characters), padded to 4. The decoder trusts
 * nothing: the buffer may be shared with the client, which can rewrite it
 * while the engine reads, so every header and argument is copied once into
 * private memory and checked against the API's shape before the handler
 * sees it. The variable data stays in the buffer; a handler must copy what
 * it uses.
 */
#ifndef GDI_GDIBATCH_H
#define GDI_GDIBATCH_H

#include "gdikernel.h"

#define GDI_BATCH_MAX_ARGS 16

typedef struct _GDI_BATCH_RECORD_HEADER {
    uint16_t Api;
    uint16_t Size; /* bytes, header included, a multiple of 4 */
} GDI_BATCH_RECORD_HEADER;

/* What the decoder knows of each API: its fixed argument count and the
 * most variable data it may carry (0: none). */
typedef struct _GDI_API_SHAPE {
    uint8_t Arguments;
    uint32_t MaxDataBytes;
} GDI_API_SHAPE;

/* The client's side: a batch being filled. */
typedef struct _GDI_BATCH {
    uint8_t *Buffer;
    uint32_t Capacity; /* bytes */
    uint32_t Used;     /* bytes */
    uint32_t Count;    /* records */
} GDI_BATCH;

/* Appends one record; returns 1, or 0 when it does not fit (flush and
 * append again; a record that cannot fit an empty batch can never be
 * batched) or Arguments exceeds GDI_BATCH_MAX_ARGS. */
int GdiBatchAppend(GDI_BATCH *Batch, uint16_t Api, const uint32_t *Args, uint32_t Arguments, const void *Data,
                   uint32_t DataBytes);
/* The size a record of this shape needs. */
uint32_t GdiBatchRecordSize(uint32_t Arguments, uint32_t DataBytes);
/* Empties the batch. */
void GdiBatchReset(GDI_BATCH *Batch);

/* The engine's side: called once per well-formed record, with private
 * copies of the arguments; Data points into the (possibly shared) buffer
 * and DataBytes is padded to 4 (an API carries its element count among its
 * arguments). Batched calls return BOOL and the client was told TRUE
 * already, so nothing comes back. */
typedef void (*GDI_BATCH_HANDLER)(void *Context, uint16_t Api, const uint32_t *Args, const uint8_t *Data,
                                  uint32_t DataBytes);

/* Runs the records of Buffer[0..Used) in order through Handler, checking
 * each against Shapes[Api] (ApiCount entries). Stops at the first malformed
 * record (bad size, unknown API, wrong argument count, too much data);
 * returns the number of records run and sets *Malformed when it stopped
 * early. */
uint32_t GdiBatchDecode(const volatile uint8_t *Buffer, uint32_t Used, const GDI_API_SHAPE *Shapes,
                        uint32_t ApiCount, GDI_BATCH_HANDLER Handler, void *Context, int *Malformed);

#endif
