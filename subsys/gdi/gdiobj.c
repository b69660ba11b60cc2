/*
 * gdiobj.c - the handle table (see gdiobj.h for the handle's layout and
 * the rules).
 *
 * Why this shape: a fixed array of entries, a free list threaded through
 * the unused ones, and a uniqueness byte per slot bumped on every delete,
 * so a stale handle (a slot freed and reused) is refused rather than
 * reaching somebody else's object. Quotas are counted per owner in a small
 * table of owners, since the engine cannot allocate per process: a process
 * that would need a new owner slot when all are taken simply cannot create
 * objects, which is a clean failure.
 *
 * Slot 0 is never used, so no valid handle is 0 (GDI's failure value).
 */
#include "gdiobj.h"

#define GDI_MAX_OWNERS 256

typedef struct _GDI_ENTRY {
    void *Object; /* NULL: free */
    void (*Destroy)(void *Object);
    uint32_t Owner;
    uint16_t NextFree; /* free-list link (index; 0 ends it) */
    uint8_t Type;
    uint8_t Unique;
} GDI_ENTRY;

typedef struct _GDI_OWNER {
    uint32_t Owner;
    uint32_t Count;       /* 0: the slot is free */
    uint32_t SharedBytes; /* DIB sections' bits (GDI_PROCESS_SHARED_QUOTA) */
} GDI_OWNER;

static GDI_ENTRY *GdiEntries;
static uint16_t GdiFreeHead;
static GDI_OWNER GdiOwners[GDI_MAX_OWNERS];

int GdiInitHandleTable(void) {
    if (GdiEntries)
        return 1;
    GdiEntries = GdiHostAlloc(sizeof(GDI_ENTRY) * GDI_MAX_HANDLES);
    if (!GdiEntries)
        return 0;
    GdiFreeHead = 0;
    for (uint32_t i = GDI_MAX_HANDLES - 1; i >= 1; i--) { /* lowest indexes handed out first */
        GdiEntries[i].NextFree = GdiFreeHead;
        GdiEntries[i].Unique = 1;
        GdiFreeHead = (uint16_t)i;
    }
    return 1;
}

/* The owner's quota slot, made if Create; NULL if none (or none free). */
static GDI_OWNER *owner_slot(uint32_t Owner, int Create) {
    GDI_OWNER *free = NULL;
    for (uint32_t i = 0; i < GDI_MAX_OWNERS; i++) {
        if (GdiOwners[i].Count && GdiOwners[i].Owner == Owner)
            return &GdiOwners[i];
        if (!GdiOwners[i].Count && !free)
            free = &GdiOwners[i];
    }
    if (!Create || !free)
        return NULL;
    free->Owner = Owner;
    free->SharedBytes = 0;
    return free;
}

static GDI_HANDLE make_handle(uint32_t Index) {
    const GDI_ENTRY *e = &GdiEntries[Index];
    return Index | ((uint32_t)e->Type << 16) | (e->Owner == GDI_OWNER_STOCK ? GDI_HANDLE_STOCK : 0) |
           ((uint32_t)e->Unique << 24);
}

GDI_HANDLE GdiCreateHandle(void *Object, uint32_t Type, uint32_t Owner, void (*Destroy)(void *Object)) {
    if (!GdiEntries || !Object || !GdiFreeHead || Type == 0 || Type > 0x7F)
        return 0;
    GDI_OWNER *quota = NULL;
    if (Owner == GDI_OWNER_ANY)
        return 0;
    if (Owner != GDI_OWNER_STOCK) {
        quota = owner_slot(Owner, 1);
        if (!quota || quota->Count >= GDI_PROCESS_QUOTA)
            return 0;
    }
    uint32_t i = GdiFreeHead;
    GDI_ENTRY *e = &GdiEntries[i];
    GdiFreeHead = e->NextFree;
    e->Object = Object;
    e->Destroy = Destroy;
    e->Owner = Owner;
    e->Type = (uint8_t)Type;
    if (quota)
        quota->Count++;
    return make_handle(i);
}

/* The live entry Handle names exactly (index, type, uniqueness), or NULL. */
static GDI_ENTRY *entry_of(GDI_HANDLE Handle) {
    uint32_t i = GDI_HANDLE_INDEX(Handle);
    if (!GdiEntries || i == 0 || i >= GDI_MAX_HANDLES)
        return NULL;
    GDI_ENTRY *e = &GdiEntries[i];
    if (!e->Object || make_handle(i) != Handle)
        return NULL;
    return e;
}

void *GdiLookupHandle(GDI_HANDLE Handle, uint32_t Type, uint32_t Owner) {
    GDI_ENTRY *e = entry_of(Handle);
    if (!e || (Type && e->Type != Type) ||
        (e->Owner != Owner && e->Owner != GDI_OWNER_STOCK && Owner != GDI_OWNER_ANY))
        return NULL;
    return e->Object;
}

static void free_entry(uint32_t Index) {
    GDI_ENTRY *e = &GdiEntries[Index];
    void *object = e->Object;
    void (*destroy)(void *) = e->Destroy;
    if (e->Owner != GDI_OWNER_STOCK) {
        GDI_OWNER *quota = owner_slot(e->Owner, 0);
        if (quota)
            quota->Count--;
    }
    e->Object = NULL;
    e->Destroy = NULL;
    uint8_t unique = (uint8_t)(e->Unique + 1);
    e->Unique = unique ? unique : 1; /* never 0 */
    e->NextFree = GdiFreeHead;
    GdiFreeHead = (uint16_t)Index;
    if (destroy)
        destroy(object);
}

int GdiDeleteHandle(GDI_HANDLE Handle, uint32_t Owner) {
    GDI_ENTRY *e = entry_of(Handle);
    if (!e || e->Owner != Owner || Owner == GDI_OWNER_STOCK)
        return 0;
    free_entry(GDI_HANDLE_INDEX(Handle));
    return 1;
}

uint32_t GdiCleanupProcess(uint32_t Owner) {
    uint32_t freed = 0;
    if (!GdiEntries || Owner == GDI_OWNER_STOCK)
        return 0;
    for (uint32_t i = 1; i < GDI_MAX_HANDLES; i++)
        if (GdiEntries[i].Object && GdiEntries[i].Owner == Owner) {
            free_entry(i);
            freed++;
        }
    return freed;
}

uint32_t GdiOwnerHandleCount(uint32_t Owner) {
    GDI_OWNER *quota = owner_slot(Owner, 0);
    return quota ? quota->Count : 0;
}

uint32_t GdiOwnerSharedBytes(uint32_t Owner) {
    GDI_OWNER *quota = owner_slot(Owner, 0);
    return quota ? quota->SharedBytes : 0;
}

void GdiChargeShared(uint32_t Owner, uint32_t Bytes) {
    GDI_OWNER *quota = owner_slot(Owner, 0);
    if (quota)
        quota->SharedBytes += Bytes;
}

void GdiReturnShared(uint32_t Owner, uint32_t Bytes) {
    GDI_OWNER *quota = owner_slot(Owner, 0);
    if (quota)
        quota->SharedBytes -= Bytes < quota->SharedBytes ? Bytes : quota->SharedBytes;
}
