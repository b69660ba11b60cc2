/*
 * pool.c - ExAllocatePoolWithTag / ExFreePoolWithTag: the kernel heap.
 *
 * Why: NT's pool hands out small blocks carved from pages and serves large
 * requests with whole pages; every block carries its owner's four-character
 * tag. We keep that shape, simplified: seven power-of-two size classes from
 * 32 to 2048 bytes (header included) with a free list each, and whole pages
 * above that. Each block's 16-byte header holds the tag, the requested size
 * and a magic word that says busy or free, so a double free or a smashed
 * header stops the system with NT's codes instead of corrupting it quietly.
 * Per-tag counters (allocations, frees, bytes in use) are what the tests read
 * to prove an operation leaked nothing. Small-class pages are kept for reuse,
 * not returned to Mm: the pool only grows, like NT's nonpaged pool.
 *
 * The host (kernel or unit test) supplies MiAllocatePoolPages,
 * MiFreePoolPages, KeDisableInterrupts/KeRestoreInterrupts and KeBugCheckEx.
 */
#include "../include/ex.h"
#include "../include/ke.h"
#include "../include/rtl.h"

#define POOL_PAGE 4096u
#define POOL_CLASSES 7
#define POOL_SMALLEST 32u
#define POOL_CLASS_LARGE 0xFFFFu
#define POOL_MAGIC_BUSY 0x4C4F4F50u /* "POOL" */
#define POOL_MAGIC_FREE 0x45455246u /* "FREE" */
#define POOL_TAG_SLOTS 256

/* BAD_POOL_CALLER first parameters, NT's meanings. */
#define BAD_POOL_CALLER_DOUBLE_FREE 0x07
#define BAD_POOL_CALLER_BAD_TAG 0x0A
#define BAD_POOL_CALLER_BAD_TYPE 0x0D
#define BAD_POOL_CALLER_NULL 0x46 /* invalid address freed */

typedef struct _POOL_HEADER {
    ULONG Magic;
    ULONG Tag;
    ULONG Size;       /* bytes asked for */
    USHORT Class;     /* size class, or POOL_CLASS_LARGE */
    USHORT PageCount; /* large blocks: pages held */
} POOL_HEADER;
_Static_assert(sizeof(POOL_HEADER) == 16, "pool header keeps blocks 16-byte aligned");

typedef struct _POOL_FREE_BLOCK {
    POOL_HEADER Header;
    struct _POOL_FREE_BLOCK *Next;
} POOL_FREE_BLOCK;

static POOL_FREE_BLOCK *ExpFreeLists[POOL_CLASSES];
static POOL_TAG_USAGE ExpTags[POOL_TAG_SLOTS];
static BOOLEAN ExpTagUsed[POOL_TAG_SLOTS];
static ULONG ExpTagsInUse, ExpSmallPages, ExpLargePages;

#define POOL_OVERFLOW_TAG NT_TAG('?', '?', '?', '?') /* tag table full */

static ULONG class_size(ULONG Class) {
    return POOL_SMALLEST << Class;
}

/* The usage slot of Tag, created on first use; the overflow slot when the
 * table is full (open addressing: a slot, once used, keeps its tag). */
static POOL_TAG_USAGE *tag_slot(ULONG Tag, BOOLEAN Create) {
    ULONG h = (Tag * 2654435761u) % POOL_TAG_SLOTS;
    for (ULONG i = 0; i < POOL_TAG_SLOTS; i++) {
        ULONG slot = (h + i) % POOL_TAG_SLOTS;
        if (ExpTagUsed[slot] && ExpTags[slot].Tag == Tag)
            return &ExpTags[slot];
        if (!ExpTagUsed[slot]) {
            if (!Create)
                return NULL;
            if (ExpTagsInUse == POOL_TAG_SLOTS - 1 && Tag != POOL_OVERFLOW_TAG)
                return tag_slot(POOL_OVERFLOW_TAG, TRUE);
            ExpTagUsed[slot] = TRUE;
            ExpTags[slot].Tag = Tag;
            ExpTagsInUse++;
            return &ExpTags[slot];
        }
    }
    /* Every slot is taken: the overflow tag took the last one, so it exists. */
    return Create && Tag != POOL_OVERFLOW_TAG ? tag_slot(POOL_OVERFLOW_TAG, FALSE) : NULL;
}

VOID ExInitializePool(VOID) {
    memset(ExpFreeLists, 0, sizeof ExpFreeLists);
    memset(ExpTags, 0, sizeof ExpTags);
    memset(ExpTagUsed, 0, sizeof ExpTagUsed);
    ExpTagsInUse = ExpSmallPages = ExpLargePages = 0;
}

/* Carves a fresh page into blocks of Class and pushes them on its list. */
static BOOLEAN refill_class(ULONG Class) {
    UCHAR *page = MiAllocatePoolPages(1);
    if (!page)
        return FALSE;
    ExpSmallPages++;
    ULONG size = class_size(Class);
    for (ULONG off = 0; off + size <= POOL_PAGE; off += size) {
        POOL_FREE_BLOCK *b = (POOL_FREE_BLOCK *)(page + off);
        b->Header.Magic = POOL_MAGIC_FREE;
        b->Header.Class = (USHORT)Class;
        b->Next = ExpFreeLists[Class];
        ExpFreeLists[Class] = b;
    }
    return TRUE;
}

PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag) {
    if (PoolType != NonPagedPool && PoolType != PagedPool)
        KeBugCheckEx(BAD_POOL_CALLER, BAD_POOL_CALLER_BAD_TYPE, PoolType, NumberOfBytes, Tag);
    if (NumberOfBytes > 0x7FFF0000u)
        return NULL;
    ULONG need = (ULONG)NumberOfBytes + sizeof(POOL_HEADER);
    ULONG state = KeDisableInterrupts();
    POOL_HEADER *h = NULL;
    if (NumberOfBytes <= POOL_SMALL_LIMIT) {
        ULONG c = 0;
        while (class_size(c) < need)
            c++;
        if (ExpFreeLists[c] || refill_class(c)) {
            POOL_FREE_BLOCK *b = ExpFreeLists[c];
            if (b->Header.Magic != POOL_MAGIC_FREE || b->Header.Class != c)
                KeBugCheckEx(BAD_POOL_HEADER, 0x3, (ULONG_PTR)b, b->Header.Magic, c);
            ExpFreeLists[c] = b->Next;
            h = &b->Header;
            h->Class = (USHORT)c;
            h->PageCount = 0;
        }
    } else {
        ULONG pages = (need + POOL_PAGE - 1) / POOL_PAGE;
        if (pages <= 0xFFFFu)
            h = MiAllocatePoolPages(pages);
        if (h) {
            h->Class = POOL_CLASS_LARGE;
            h->PageCount = (USHORT)pages;
            ExpLargePages += pages;
        }
    }
    if (h) {
        h->Magic = POOL_MAGIC_BUSY;
        h->Tag = Tag;
        h->Size = (ULONG)NumberOfBytes;
        POOL_TAG_USAGE *u = tag_slot(Tag, TRUE);
        u->Allocations++;
        u->BytesInUse += NumberOfBytes;
    }
    KeRestoreInterrupts(state);
    return h ? (PVOID)(h + 1) : NULL;
}

VOID ExFreePoolWithTag(PVOID P, ULONG Tag) {
    if (P == NULL || ((ULONG_PTR)P & 15) != 0)
        KeBugCheckEx(BAD_POOL_CALLER, BAD_POOL_CALLER_NULL, (ULONG_PTR)P, 0, Tag);
    POOL_HEADER *h = (POOL_HEADER *)P - 1;
    ULONG state = KeDisableInterrupts();
    if (h->Magic == POOL_MAGIC_FREE)
        KeBugCheckEx(BAD_POOL_CALLER, BAD_POOL_CALLER_DOUBLE_FREE, (ULONG_PTR)P, h->Tag, Tag);
    if (h->Magic != POOL_MAGIC_BUSY || (h->Class >= POOL_CLASSES && h->Class != POOL_CLASS_LARGE))
        KeBugCheckEx(BAD_POOL_HEADER, 0x5, (ULONG_PTR)P, h->Magic, h->Class);
    if (Tag != 0 && h->Tag != Tag)
        KeBugCheckEx(BAD_POOL_CALLER, BAD_POOL_CALLER_BAD_TAG, (ULONG_PTR)P, h->Tag, Tag);
    POOL_TAG_USAGE *u = tag_slot(h->Tag, FALSE);
    if (u) {
        u->Frees++;
        u->BytesInUse -= h->Size;
    }
    if (h->Class == POOL_CLASS_LARGE) {
        ULONG pages = h->PageCount;
        h->Magic = POOL_MAGIC_FREE;
        ExpLargePages -= pages;
        MiFreePoolPages(h, pages);
    } else {
        POOL_FREE_BLOCK *b = (POOL_FREE_BLOCK *)h;
        h->Magic = POOL_MAGIC_FREE;
        b->Next = ExpFreeLists[h->Class];
        ExpFreeLists[h->Class] = b;
    }
    KeRestoreInterrupts(state);
}

NTSTATUS ExQueryPoolTagUsage(ULONG Tag, POOL_TAG_USAGE *Usage) {
    ULONG state = KeDisableInterrupts();
    POOL_TAG_USAGE *u = tag_slot(Tag, FALSE);
    if (u)
        *Usage = *u;
    KeRestoreInterrupts(state);
    if (!u) {
        memset(Usage, 0, sizeof *Usage);
        Usage->Tag = Tag;
        return STATUS_NOT_FOUND;
    }
    return STATUS_SUCCESS;
}

VOID ExQueryPoolStatistics(POOL_STATISTICS *Stats) {
    Stats->PagesInPool = ExpSmallPages;
    Stats->LargePages = ExpLargePages;
    Stats->TagsInUse = ExpTagsInUse;
}

VOID ExEnumeratePoolTags(VOID (*Callback)(const POOL_TAG_USAGE *Usage, PVOID Context), PVOID Context) {
    for (ULONG i = 0; i < POOL_TAG_SLOTS; i++)
        if (ExpTagUsed[i])
            Callback(&ExpTags[i], Context);
}
