/*
 * heap.c - NT's heap (RtlCreateHeap, RtlAllocateHeap, RtlFreeHeap, ...) on top
 * of the virtual memory services: reserve a range, commit pages as it fills.
 *
 * Why: ntdll's process heap (and HeapAlloc, and msvcrt's malloc) is this code.
 * It needs only NtAllocateVirtualMemory, NtFreeVirtualMemory and
 * NtYieldExecution, so it stays freestanding and builds for the kernel too
 * (which today uses its pool instead). The design is NT 3.51's in miniature,
 * so "Windows Internals" describes it:
 *
 *  - A heap is one or more SEGMENTS. A segment is a reserved region whose
 *    committed prefix is tiled, without gaps, by BLOCKS. The first segment
 *    begins with the HEAP structure itself (the heap handle is its address,
 *    always page-aligned). When a segment runs out, more of its reserve is
 *    committed, page by page; when the reserve runs out and the heap is
 *    HEAP_GROWABLE, a new segment is reserved (each new one twice the size of
 *    the last, up to 16 MiB, and never less than the request needs).
 *  - Every block starts with a 16-byte HEAP_ENTRY: its size, the size of the
 *    block before it (boundary tags: both neighbours are found in O(1)), flags
 *    (busy, last in segment), the segment's index, the slack at its end, and a
 *    tag word that encodes "busy" or "free" mixed with the header's own
 *    address. User data follows the header, so it is 8-byte aligned.
 *  - Free blocks are never adjacent: a freed block merges at once with a free
 *    block on either side. Free blocks live on 128 doubly linked FREE LISTS:
 *    list i holds blocks of exactly 8*i bytes (i >= 1, under 1 KiB), list 0
 *    every bigger block; a bitmap of non-empty lists finds the smallest
 *    adequate exact list in a few instructions, list 0 is searched best-fit.
 *    A block bigger than the request is split when the rest can hold a free
 *    block.
 *  - A request above 512 KiB gets its own region (reserved and committed at
 *    once, header in front) and gives it back with MEM_RELEASE when freed.
 *    As on NT, only growable heaps serve them.
 *  - A pointer handed to Free, ReAllocate, Size or Validate is trusted only
 *    after checks that read nothing outside the heap's committed memory: it
 *    must be 8-aligned and inside a segment (or be a large block's exact
 *    address), its header's tag must say "busy" for that address, and its
 *    neighbours' boundary tags must agree with it. Headers that merging
 *    swallows are wiped, so a double free or a foreign pointer returns FALSE
 *    and changes nothing.
 *  - Unless HEAP_NO_SERIALIZE (at creation or per call), each call holds the
 *    heap's lock word, taken with an atomic exchange; a contended caller
 *    yields the processor (NtYieldExecution) and retries.
 *
 * Limits: committed pages are never decommitted and extra segments are never
 * released before RtlDestroyHeap (NT 3.51 decommitted large free ranges; this
 * heap trades that for simplicity); at most 64 segments; a segment is at most
 * 1 GiB; a request is at most 0x7FFE0000 bytes; a large block grows only by
 * moving; HEAP_GENERATE_EXCEPTIONS is accepted but failures return NULL;
 * caller-supplied heap memory, locks and RTL_HEAP_PARAMETERS are not supported.
 */
#include <nt/rtlheap.h>

#define heap_copy(d, s, n) __builtin_memcpy((d), (s), (n))
#define heap_fill(d, v, n) __builtin_memset((d), (v), (n))

#define HEAP_PAGE_SIZE 4096u
#define HEAP_GRANULARITY 8u
#define HEAP_REGION_GRANULARITY 0x10000u    /* new segments are reserved in 64 KiB steps */
#define HEAP_LARGE_THRESHOLD (512u * 1024u) /* bigger requests get their own region */
#define HEAP_DEFAULT_RESERVE (1024u * 1024u)
#define HEAP_MAX_SEGMENT_SIZE 0x40000000u /* sizes in a HEAP_ENTRY are ULONGs */
#define HEAP_MAX_GROWTH_RESERVE (16u * 1024u * 1024u)
#define HEAP_MAXIMUM_REQUEST ((SIZE_T)0x7FFE0000u)
#define HEAP_MAX_SEGMENTS 64u
#define HEAP_FREE_LISTS 128u
#define HEAP_EXACT_LIST_LIMIT (HEAP_FREE_LISTS * HEAP_GRANULARITY) /* list 0 from here up */

#define HEAP_SIGNATURE NT_TAG('H', 'e', 'a', 'p')
#define HEAP_SEGMENT_SIGNATURE NT_TAG('H', 'S', 'e', 'g')
#define HEAP_TAG_BUSY NT_TAG('B', 'u', 's', 'y')
#define HEAP_TAG_FREE NT_TAG('F', 'r', 'e', 'e')
#define HEAP_TAG_VIRTUAL NT_TAG('V', 'i', 'r', 't')

/* HEAP_ENTRY.Flags */
#define HEAP_ENTRY_BUSY 0x01
#define HEAP_ENTRY_LAST 0x02    /* ends at the segment's commit limit */
#define HEAP_ENTRY_VIRTUAL 0x04 /* a large block in its own region */
#define HEAP_VIRTUAL_SEGMENT_INDEX 0xFF

/* The flags a call honours from the heap's creation flags. */
#define HEAP_INHERITED_FLAGS (HEAP_NO_SERIALIZE | HEAP_GENERATE_EXCEPTIONS)
#define HEAP_CREATE_VALID_FLAGS (HEAP_NO_SERIALIZE | HEAP_GROWABLE | HEAP_GENERATE_EXCEPTIONS)

typedef struct _HEAP_ENTRY {
    ULONG Size;         /* the whole block, header included; a multiple of 8 */
    ULONG PreviousSize; /* the block before it in the segment; 0 for the first */
    UCHAR Flags;        /* HEAP_ENTRY_* */
    UCHAR SegmentIndex; /* into HEAP.Segments */
    USHORT UnusedBytes; /* busy: Size - header - the size the caller asked for */
    ULONG Tag;          /* entry_tag(this, HEAP_TAG_BUSY or HEAP_TAG_FREE) */
} HEAP_ENTRY, *PHEAP_ENTRY;
_Static_assert(sizeof(HEAP_ENTRY) == 16, "HEAP_ENTRY keeps user data 8-byte aligned");

/* A free block: the header, then its free-list links in the unused space. */
typedef struct _HEAP_FREE_ENTRY {
    HEAP_ENTRY Entry;
    LIST_ENTRY FreeLinks;
} HEAP_FREE_ENTRY, *PHEAP_FREE_ENTRY;

#define HEAP_HEADER_SIZE ((ULONG)sizeof(HEAP_ENTRY))
#define HEAP_MIN_BLOCK ((ULONG)ALIGN_UP(sizeof(HEAP_FREE_ENTRY), HEAP_GRANULARITY))

typedef struct _HEAP HEAP, *PHEAP;

typedef struct _HEAP_SEGMENT {
    ULONG Signature;
    ULONG Index;
    PHEAP Heap;
    PUCHAR BaseAddress; /* of the reserved region */
    SIZE_T ReservedSize;
    SIZE_T CommittedSize; /* from BaseAddress; blocks tile [FirstEntry, BaseAddress + CommittedSize) */
    PHEAP_ENTRY FirstEntry;
    PHEAP_ENTRY LastEntry; /* the block flagged HEAP_ENTRY_LAST */
} HEAP_SEGMENT, *PHEAP_SEGMENT;

/* The head of a large block's region; Entry sits right before the data. */
typedef struct _HEAP_VIRTUAL_BLOCK {
    LIST_ENTRY Links;  /* HEAP.VirtualBlocks */
    SIZE_T RegionSize; /* reserved and committed */
    SIZE_T RequestedSize;
    HEAP_ENTRY Entry __attribute__((aligned(8)));
} HEAP_VIRTUAL_BLOCK, *PHEAP_VIRTUAL_BLOCK;
_Static_assert(sizeof(HEAP_VIRTUAL_BLOCK) == offsetof(HEAP_VIRTUAL_BLOCK, Entry) + sizeof(HEAP_ENTRY),
               "a large block's data follows its entry");

struct _HEAP {
    ULONG Signature;
    ULONG Flags;        /* HEAP_CREATE_VALID_FLAGS */
    LONG LockWord;      /* 0 free, 1 held */
    ULONG SegmentCount; /* Segments[0..SegmentCount) are in use */
    SIZE_T NextSegmentReserve;
    PHEAP_SEGMENT Segments[HEAP_MAX_SEGMENTS];
    LIST_ENTRY VirtualBlocks;
    ULONG FreeListsInUse[HEAP_FREE_LISTS / 32]; /* bit i: FreeLists[i] is not empty (i >= 1) */
    LIST_ENTRY FreeLists[HEAP_FREE_LISTS];
    SIZE_T BytesInUse;
    SIZE_T BlocksInUse;
    SIZE_T BytesCommitted;
    SIZE_T BytesReserved;
    ULONG LargeBlocks;
};

/* A block a caller handed in, once found sound. */
typedef struct _HEAP_BLOCK_REF {
    PHEAP_ENTRY Entry;
    PHEAP_SEGMENT Segment;       /* NULL for a large block */
    PHEAP_VIRTUAL_BLOCK Virtual; /* NULL for a small block */
} HEAP_BLOCK_REF;

/* ---- small helpers ---- */

static ULONG entry_tag(const HEAP_ENTRY *Entry, ULONG Kind) {
    return Kind ^ (ULONG)((ULONG_PTR)Entry >> 3);
}

static PVOID entry_data(PHEAP_ENTRY Entry) {
    return (PUCHAR)Entry + HEAP_HEADER_SIZE;
}

static PHEAP_ENTRY next_entry(PHEAP_ENTRY Entry) {
    return (PHEAP_ENTRY)((PUCHAR)Entry + Entry->Size);
}

static PHEAP_ENTRY previous_entry(PHEAP_ENTRY Entry) {
    return (PHEAP_ENTRY)((PUCHAR)Entry - Entry->PreviousSize);
}

static ULONG_PTR segment_limit(const HEAP_SEGMENT *Segment) {
    return (ULONG_PTR)Segment->BaseAddress + Segment->CommittedSize;
}

static BOOLEAN is_busy(const HEAP_ENTRY *Entry) {
    return (Entry->Flags & HEAP_ENTRY_BUSY) != 0;
}

/* The block size that holds Request bytes (Request <= HEAP_LARGE_THRESHOLD). */
static ULONG block_size_for(SIZE_T Request) {
    ULONG size = (ULONG)ALIGN_UP(Request + HEAP_HEADER_SIZE, (SIZE_T)HEAP_GRANULARITY);
    return size < HEAP_MIN_BLOCK ? HEAP_MIN_BLOCK : size;
}

static SIZE_T user_size(const HEAP_BLOCK_REF *Ref) {
    if (Ref->Virtual != NULL)
        return Ref->Virtual->RequestedSize;
    return (SIZE_T)Ref->Entry->Size - HEAP_HEADER_SIZE - Ref->Entry->UnusedBytes;
}

static void list_init(PLIST_ENTRY Head) {
    Head->Flink = Head->Blink = Head;
}

static void list_insert_head(PLIST_ENTRY Head, PLIST_ENTRY Entry) {
    Entry->Flink = Head->Flink;
    Entry->Blink = Head;
    Head->Flink->Blink = Entry;
    Head->Flink = Entry;
}

static void list_remove(PLIST_ENTRY Entry) {
    Entry->Blink->Flink = Entry->Flink;
    Entry->Flink->Blink = Entry->Blink;
}

/* ---- the lock ---- */

static void heap_lock(PHEAP Heap, ULONG Flags) {
    if (Flags & HEAP_NO_SERIALIZE)
        return;
    while (__atomic_exchange_n(&Heap->LockWord, 1, __ATOMIC_ACQUIRE) != 0) {
        do
            NtYieldExecution();
        while (__atomic_load_n(&Heap->LockWord, __ATOMIC_RELAXED) != 0);
    }
}

static void heap_unlock(PHEAP Heap, ULONG Flags) {
    if (Flags & HEAP_NO_SERIALIZE)
        return;
    __atomic_store_n(&Heap->LockWord, 0, __ATOMIC_RELEASE);
}

/* The heap a handle names, or NULL. Reading the signature is safe for any
 * handle RtlCreateHeap returned; a wild handle is the caller's bug, as on NT. */
static PHEAP heap_from_handle(PVOID HeapHandle) {
    PHEAP heap = HeapHandle;
    if (heap == NULL || ((ULONG_PTR)heap & (HEAP_PAGE_SIZE - 1)) != 0)
        return NULL;
    return heap->Signature == HEAP_SIGNATURE ? heap : NULL;
}

/* ---- free lists ---- */

static ULONG free_list_index(ULONG Size) {
    return Size < HEAP_EXACT_LIST_LIMIT ? Size / HEAP_GRANULARITY : 0;
}

static PLIST_ENTRY free_links(PHEAP_ENTRY Entry) {
    return &((PHEAP_FREE_ENTRY)Entry)->FreeLinks;
}

static PHEAP_ENTRY entry_from_links(PLIST_ENTRY Links) {
    return &CONTAINING_RECORD(Links, HEAP_FREE_ENTRY, FreeLinks)->Entry;
}

/* Puts a free block (header complete) on its list. */
static void free_list_insert(PHEAP Heap, PHEAP_ENTRY Entry) {
    ULONG index = free_list_index(Entry->Size);
    list_insert_head(&Heap->FreeLists[index], free_links(Entry));
    if (index != 0)
        Heap->FreeListsInUse[index / 32] |= 1u << (index % 32);
}

static void free_list_remove(PHEAP Heap, PHEAP_ENTRY Entry) {
    ULONG index = free_list_index(Entry->Size);
    list_remove(free_links(Entry));
    if (index != 0 && Heap->FreeLists[index].Flink == &Heap->FreeLists[index])
        Heap->FreeListsInUse[index / 32] &= ~(1u << (index % 32));
}

/* The smallest free block of at least Size bytes, still on its list, or NULL. */
static PHEAP_ENTRY free_list_find(PHEAP Heap, ULONG Size) {
    if (Size < HEAP_EXACT_LIST_LIMIT) {
        ULONG index = Size / HEAP_GRANULARITY;
        for (ULONG word = index / 32; word < HEAP_FREE_LISTS / 32; word++) {
            ULONG bits = Heap->FreeListsInUse[word];
            if (word == index / 32)
                bits &= ~0u << (index % 32);
            if (bits != 0) {
                ULONG found = word * 32 + (ULONG)__builtin_ctz(bits);
                return entry_from_links(Heap->FreeLists[found].Flink);
            }
        }
    }
    PHEAP_ENTRY best = NULL;
    PLIST_ENTRY head = &Heap->FreeLists[0];
    for (PLIST_ENTRY link = head->Flink; link != head; link = link->Flink) {
        PHEAP_ENTRY candidate = entry_from_links(link);
        if (candidate->Size >= Size && (best == NULL || candidate->Size < best->Size)) {
            best = candidate;
            if (best->Size == Size)
                break;
        }
    }
    return best;
}

/* ---- blocks ---- */

/* Wipes a header that a merge swallowed, so a stale pointer to it fails. */
static void wipe_entry(PHEAP_ENTRY Entry) {
    heap_fill(Entry, 0, sizeof(HEAP_ENTRY));
}

/* After Entry's size or last-ness changed: tells the next block, or the
 * segment, where Entry now ends. */
static void fix_following(PHEAP Heap, PHEAP_ENTRY Entry) {
    if (Entry->Flags & HEAP_ENTRY_LAST)
        Heap->Segments[Entry->SegmentIndex]->LastEntry = Entry;
    else
        next_entry(Entry)->PreviousSize = Entry->Size;
}

/* Absorbs the block after Entry (free, and already off its list). */
static void absorb_next(PHEAP Heap, PHEAP_ENTRY Entry, PHEAP_ENTRY Next) {
    Entry->Size += Next->Size;
    Entry->Flags |= Next->Flags & HEAP_ENTRY_LAST;
    wipe_entry(Next);
    fix_following(Heap, Entry);
}

/* Merges free block Entry (header complete, on no list) with free neighbours
 * on either side; returns the merged block, on no list. */
static PHEAP_ENTRY coalesce(PHEAP Heap, PHEAP_ENTRY Entry) {
    if (!(Entry->Flags & HEAP_ENTRY_LAST)) {
        PHEAP_ENTRY next = next_entry(Entry);
        if (!is_busy(next)) {
            free_list_remove(Heap, next);
            absorb_next(Heap, Entry, next);
        }
    }
    if (Entry->PreviousSize != 0) {
        PHEAP_ENTRY previous = previous_entry(Entry);
        if (!is_busy(previous)) {
            free_list_remove(Heap, previous);
            absorb_next(Heap, previous, Entry);
            Entry = previous;
        }
    }
    return Entry;
}

/* Formats a free header at At. */
static void make_free_entry(PHEAP_ENTRY At, ULONG Size, ULONG PreviousSize, UCHAR Flags, UCHAR SegmentIndex) {
    At->Size = Size;
    At->PreviousSize = PreviousSize;
    At->Flags = Flags;
    At->SegmentIndex = SegmentIndex;
    At->UnusedBytes = 0;
    At->Tag = entry_tag(At, HEAP_TAG_FREE);
}

/* Cuts busy block Entry down to Size bytes when the rest can be a free block;
 * the rest merges with a free block after it and goes on a list. */
static void carve_tail(PHEAP Heap, PHEAP_ENTRY Entry, ULONG Size) {
    ULONG rest = Entry->Size - Size;
    if (rest < HEAP_MIN_BLOCK)
        return;
    PHEAP_ENTRY tail = (PHEAP_ENTRY)((PUCHAR)Entry + Size);
    make_free_entry(tail, rest, Size, Entry->Flags & HEAP_ENTRY_LAST, Entry->SegmentIndex);
    Entry->Size = Size;
    Entry->Flags &= (UCHAR)~HEAP_ENTRY_LAST;
    fix_following(Heap, tail);
    free_list_insert(Heap, coalesce(Heap, tail));
}

/* Marks Entry (off any list) busy with Request bytes in use. */
static void make_busy(PHEAP Heap, PHEAP_ENTRY Entry, SIZE_T Request) {
    Entry->Flags |= HEAP_ENTRY_BUSY;
    Entry->Tag = entry_tag(Entry, HEAP_TAG_BUSY);
    Entry->UnusedBytes = (USHORT)(Entry->Size - HEAP_HEADER_SIZE - Request);
    Heap->BytesInUse += Request;
    Heap->BlocksInUse++;
}

/* ---- segments ---- */

/* Commits Bytes (page-rounded, within the reserve) at the end of Segment and
 * adds them as a free block, merged with a free last block. */
static BOOLEAN extend_segment(PHEAP Heap, PHEAP_SEGMENT Segment, SIZE_T Bytes) {
    SIZE_T commit = ALIGN_UP(Bytes, (SIZE_T)HEAP_PAGE_SIZE);
    if (commit > Segment->ReservedSize - Segment->CommittedSize)
        return FALSE;
    PVOID expected = Segment->BaseAddress + Segment->CommittedSize;
    PVOID base = expected;
    SIZE_T size = commit;
    NTSTATUS status =
        NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size, MEM_COMMIT, PAGE_READWRITE);
    if (!NT_SUCCESS(status) || base != expected || size < commit)
        return FALSE;
    PHEAP_ENTRY last = Segment->LastEntry;
    PHEAP_ENTRY fresh = expected;
    make_free_entry(fresh, (ULONG)commit, last->Size, HEAP_ENTRY_LAST, (UCHAR)Segment->Index);
    last->Flags &= (UCHAR)~HEAP_ENTRY_LAST;
    Segment->LastEntry = fresh;
    Segment->CommittedSize += commit;
    Heap->BytesCommitted += commit;
    free_list_insert(Heap, coalesce(Heap, fresh));
    return TRUE;
}

/* Sets up a segment at Header inside a region whose first Committed bytes are
 * committed: one free block covers the rest of the committed part. */
static PHEAP_SEGMENT init_segment(PHEAP Heap, PUCHAR Base, PHEAP_SEGMENT Header, SIZE_T Reserved,
                                  SIZE_T Committed, ULONG Index) {
    Header->Signature = HEAP_SEGMENT_SIGNATURE;
    Header->Index = Index;
    Header->Heap = Heap;
    Header->BaseAddress = Base;
    Header->ReservedSize = Reserved;
    Header->CommittedSize = Committed;
    Header->FirstEntry = (PHEAP_ENTRY)ALIGN_UP((ULONG_PTR)(Header + 1), (ULONG_PTR)HEAP_GRANULARITY);
    ULONG size = (ULONG)((ULONG_PTR)Base + Committed - (ULONG_PTR)Header->FirstEntry);
    make_free_entry(Header->FirstEntry, size, 0, HEAP_ENTRY_LAST, (UCHAR)Index);
    Header->LastEntry = Header->FirstEntry;
    Heap->Segments[Index] = Header;
    Heap->SegmentCount = Index + 1;
    Heap->BytesCommitted += Committed;
    Heap->BytesReserved += Reserved;
    free_list_insert(Heap, Header->FirstEntry);
    return Header;
}

/* Reserves Reserve bytes and commits the first Commit; NULL on failure
 * (nothing left reserved). */
static PUCHAR reserve_and_commit(SIZE_T Reserve, SIZE_T Commit) {
    PVOID base = NULL;
    SIZE_T size = Reserve;
    NTSTATUS status =
        NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size, MEM_RESERVE, PAGE_READWRITE);
    if (!NT_SUCCESS(status) || base == NULL)
        return NULL;
    PVOID commitBase = base;
    SIZE_T commitSize = Commit;
    status =
        NtAllocateVirtualMemory(NtCurrentProcess(), &commitBase, 0, &commitSize, MEM_COMMIT, PAGE_READWRITE);
    if (!NT_SUCCESS(status) || commitBase != base) {
        SIZE_T zero = 0;
        status = NtFreeVirtualMemory(NtCurrentProcess(), &base, &zero, MEM_RELEASE);
        (void)status; /* nothing more can be done with a region that will not go */
        return NULL;
    }
    return base;
}

static BOOLEAN release_region(PVOID Base) {
    SIZE_T zero = 0;
    return NT_SUCCESS(NtFreeVirtualMemory(NtCurrentProcess(), &Base, &zero, MEM_RELEASE));
}

/* Adds a segment big enough for a block of Size bytes; returns that block
 * (free, on its list) or NULL. */
static PHEAP_ENTRY add_segment(PHEAP Heap, ULONG Size) {
    if (Heap->SegmentCount >= HEAP_MAX_SEGMENTS)
        return NULL;
    SIZE_T header = ALIGN_UP(sizeof(HEAP_SEGMENT), (SIZE_T)HEAP_GRANULARITY);
    SIZE_T commit = ALIGN_UP(header + Size, (SIZE_T)HEAP_PAGE_SIZE);
    SIZE_T reserve = ALIGN_UP(commit, (SIZE_T)HEAP_REGION_GRANULARITY);
    if (reserve < Heap->NextSegmentReserve)
        reserve = Heap->NextSegmentReserve;
    PUCHAR base = reserve_and_commit(reserve, commit);
    if (base == NULL)
        return NULL;
    PHEAP_SEGMENT segment =
        init_segment(Heap, base, (PHEAP_SEGMENT)base, reserve, commit, Heap->SegmentCount);
    if (Heap->NextSegmentReserve < HEAP_MAX_GROWTH_RESERVE)
        Heap->NextSegmentReserve *= 2;
    return segment->FirstEntry;
}

/* Makes room for a block of Size bytes: commits more of a segment whose
 * reserve allows it, else (growable heaps) adds a segment. Returns a free
 * block of at least Size bytes, on its list, or NULL. */
static PHEAP_ENTRY grow_heap(PHEAP Heap, ULONG Size) {
    for (ULONG i = 0; i < Heap->SegmentCount; i++) {
        PHEAP_SEGMENT segment = Heap->Segments[i];
        PHEAP_ENTRY last = segment->LastEntry;
        SIZE_T have = is_busy(last) ? 0 : last->Size;
        if (have >= Size)
            return last; /* free_list_find would have found it; be safe */
        SIZE_T room = segment->ReservedSize - segment->CommittedSize;
        if (Size - have <= room && extend_segment(Heap, segment, Size - have))
            return segment->LastEntry;
    }
    if (!(Heap->Flags & HEAP_GROWABLE))
        return NULL;
    return add_segment(Heap, Size);
}

/* ---- allocation ---- */

static PVOID allocate_small(PHEAP Heap, ULONG Flags, SIZE_T Request) {
    ULONG size = block_size_for(Request);
    PHEAP_ENTRY entry = free_list_find(Heap, size);
    if (entry == NULL)
        entry = grow_heap(Heap, size);
    if (entry == NULL)
        return NULL;
    free_list_remove(Heap, entry);
    entry->Flags |= HEAP_ENTRY_BUSY; /* before carving, so the tail does not merge back */
    carve_tail(Heap, entry, size);
    make_busy(Heap, entry, Request);
    PVOID data = entry_data(entry);
    if (Flags & HEAP_ZERO_MEMORY)
        heap_fill(data, 0, Request);
    return data;
}

/* A block in its own region. Fresh committed pages are zero, so
 * HEAP_ZERO_MEMORY needs no work here. */
static PVOID allocate_large(PHEAP Heap, SIZE_T Request) {
    SIZE_T total = ALIGN_UP(sizeof(HEAP_VIRTUAL_BLOCK) + Request, (SIZE_T)HEAP_PAGE_SIZE);
    PVOID base = NULL;
    SIZE_T size = total;
    NTSTATUS status = NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size, MEM_RESERVE | MEM_COMMIT,
                                              PAGE_READWRITE);
    if (!NT_SUCCESS(status) || base == NULL)
        return NULL;
    if (size < total) {
        (void)release_region(base);
        return NULL;
    }
    PHEAP_VIRTUAL_BLOCK block = base;
    block->RegionSize = size;
    block->RequestedSize = Request;
    block->Entry.Size = 0;
    block->Entry.PreviousSize = 0;
    block->Entry.Flags = HEAP_ENTRY_BUSY | HEAP_ENTRY_VIRTUAL;
    block->Entry.SegmentIndex = HEAP_VIRTUAL_SEGMENT_INDEX;
    block->Entry.UnusedBytes = 0;
    block->Entry.Tag = entry_tag(&block->Entry, HEAP_TAG_VIRTUAL);
    list_insert_head(&Heap->VirtualBlocks, &block->Links);
    Heap->BytesInUse += Request;
    Heap->BlocksInUse++;
    Heap->BytesCommitted += size;
    Heap->BytesReserved += size;
    Heap->LargeBlocks++;
    return entry_data(&block->Entry);
}

static PVOID allocate_unlocked(PHEAP Heap, ULONG Flags, SIZE_T Request) {
    if (Request > HEAP_LARGE_THRESHOLD) {
        if (!(Heap->Flags & HEAP_GROWABLE))
            return NULL; /* NT: a fixed-size heap serves no block above the threshold */
        return allocate_large(Heap, Request);
    }
    return allocate_small(Heap, Flags, Request);
}

/* ---- finding and checking a caller's block ---- */

/* TRUE when At (inside Segment's committed range, 8-aligned) holds a header
 * whose tag matches its busy flag. */
static BOOLEAN header_tag_ok(const HEAP_ENTRY *At) {
    ULONG kind = (At->Flags & HEAP_ENTRY_BUSY) ? HEAP_TAG_BUSY : HEAP_TAG_FREE;
    return At->Tag == entry_tag(At, kind);
}

/* The checks of one small block's header and its boundary tags; reads only
 * inside Segment's committed blocks. Entry lies in [FirstEntry, limit). */
static BOOLEAN entry_sound(const HEAP_SEGMENT *Segment, PHEAP_ENTRY Entry) {
    ULONG_PTR first = (ULONG_PTR)Segment->FirstEntry, limit = segment_limit(Segment);
    ULONG_PTR at = (ULONG_PTR)Entry;
    if ((at - first) % HEAP_GRANULARITY != 0 || limit - at < HEAP_HEADER_SIZE)
        return FALSE;
    if (!header_tag_ok(Entry) || (Entry->Flags & ~(HEAP_ENTRY_BUSY | HEAP_ENTRY_LAST)) != 0 ||
        Entry->SegmentIndex != Segment->Index)
        return FALSE;
    if (Entry->Size < HEAP_MIN_BLOCK || Entry->Size % HEAP_GRANULARITY != 0 || Entry->Size > limit - at)
        return FALSE;
    if (is_busy(Entry) && Entry->UnusedBytes > Entry->Size - HEAP_HEADER_SIZE)
        return FALSE;
    BOOLEAN last = (Entry->Flags & HEAP_ENTRY_LAST) != 0;
    if (last != (at + Entry->Size == limit) || (last && Segment->LastEntry != Entry))
        return FALSE;
    if (Entry->PreviousSize == 0) {
        if (at != first)
            return FALSE;
    } else {
        if (Entry->PreviousSize % HEAP_GRANULARITY != 0 || Entry->PreviousSize > at - first)
            return FALSE;
        PHEAP_ENTRY previous = previous_entry(Entry);
        if (previous->Size != Entry->PreviousSize || !header_tag_ok(previous))
            return FALSE;
    }
    if (!last) {
        PHEAP_ENTRY next = next_entry(Entry);
        if (limit - (ULONG_PTR)next < HEAP_HEADER_SIZE || next->PreviousSize != Entry->Size ||
            !header_tag_ok(next))
            return FALSE;
    }
    return TRUE;
}

/* Finds the busy block whose data starts at Pointer; FALSE for anything this
 * heap did not hand out or has taken back. */
static BOOLEAN find_busy_block(PHEAP Heap, PVOID Pointer, HEAP_BLOCK_REF *Ref) {
    ULONG_PTR data = (ULONG_PTR)Pointer;
    if (data == 0 || data % HEAP_GRANULARITY != 0)
        return FALSE;
    ULONG_PTR at = data - HEAP_HEADER_SIZE;
    for (PLIST_ENTRY link = Heap->VirtualBlocks.Flink; link != &Heap->VirtualBlocks; link = link->Flink) {
        PHEAP_VIRTUAL_BLOCK block = CONTAINING_RECORD(link, HEAP_VIRTUAL_BLOCK, Links);
        if ((ULONG_PTR)&block->Entry != at)
            continue;
        if (block->Entry.Tag != entry_tag(&block->Entry, HEAP_TAG_VIRTUAL) ||
            block->Entry.Flags != (HEAP_ENTRY_BUSY | HEAP_ENTRY_VIRTUAL))
            return FALSE;
        Ref->Entry = &block->Entry;
        Ref->Segment = NULL;
        Ref->Virtual = block;
        return TRUE;
    }
    for (ULONG i = 0; i < Heap->SegmentCount; i++) {
        PHEAP_SEGMENT segment = Heap->Segments[i];
        if (at < (ULONG_PTR)segment->FirstEntry || at >= segment_limit(segment))
            continue;
        PHEAP_ENTRY entry = (PHEAP_ENTRY)at;
        if (!entry_sound(segment, entry) || !is_busy(entry))
            return FALSE;
        Ref->Entry = entry;
        Ref->Segment = segment;
        Ref->Virtual = NULL;
        return TRUE;
    }
    return FALSE;
}

/* ---- freeing ---- */

static BOOLEAN free_large(PHEAP Heap, PHEAP_VIRTUAL_BLOCK Block) {
    SIZE_T region = Block->RegionSize, request = Block->RequestedSize;
    list_remove(&Block->Links);
    if (!release_region(Block)) {
        list_insert_head(&Heap->VirtualBlocks, &Block->Links);
        return FALSE;
    }
    Heap->BytesInUse -= request;
    Heap->BlocksInUse--;
    Heap->BytesCommitted -= region;
    Heap->BytesReserved -= region;
    Heap->LargeBlocks--;
    return TRUE;
}

static void free_small(PHEAP Heap, PHEAP_ENTRY Entry) {
    Heap->BytesInUse -= (SIZE_T)Entry->Size - HEAP_HEADER_SIZE - Entry->UnusedBytes;
    Heap->BlocksInUse--;
    Entry->Flags &= (UCHAR)~HEAP_ENTRY_BUSY;
    Entry->UnusedBytes = 0;
    Entry->Tag = entry_tag(Entry, HEAP_TAG_FREE);
    free_list_insert(Heap, coalesce(Heap, Entry));
}

static BOOLEAN free_block(PHEAP Heap, const HEAP_BLOCK_REF *Ref) {
    if (Ref->Virtual != NULL)
        return free_large(Heap, Ref->Virtual);
    free_small(Heap, Ref->Entry);
    return TRUE;
}

/* ---- resizing ---- */

/* Grows small block Entry to Size bytes without moving it: into a free next
 * block, committing more of the segment first when Entry (or that free
 * block) ends the segment. FALSE (nothing changed) when it cannot. */
static BOOLEAN grow_in_place(PHEAP Heap, PHEAP_SEGMENT Segment, PHEAP_ENTRY Entry, ULONG Size) {
    PHEAP_ENTRY next = NULL;
    SIZE_T available = Entry->Size;
    if (!(Entry->Flags & HEAP_ENTRY_LAST) && !is_busy(next_entry(Entry))) {
        next = next_entry(Entry);
        available += next->Size;
    }
    if (available < Size) {
        BOOLEAN atEnd = (Entry->Flags & HEAP_ENTRY_LAST) || (next != NULL && (next->Flags & HEAP_ENTRY_LAST));
        if (!atEnd || !extend_segment(Heap, Segment, Size - available))
            return FALSE;
        next = next_entry(Entry); /* the fresh pages, merged with any free block there */
    }
    free_list_remove(Heap, next);
    absorb_next(Heap, Entry, next);
    carve_tail(Heap, Entry, Size);
    return TRUE;
}

static PVOID reallocate_unlocked(PHEAP Heap, ULONG Flags, const HEAP_BLOCK_REF *Ref, SIZE_T Request) {
    PVOID data = entry_data(Ref->Entry);
    SIZE_T old = user_size(Ref);
    BOOLEAN inPlace = FALSE;
    if (Ref->Virtual != NULL) {
        SIZE_T capacity = Ref->Virtual->RegionSize - sizeof(HEAP_VIRTUAL_BLOCK);
        /* Shrinking below the threshold moves to a small block, so the region
         * goes back; in place only if that fails or is forbidden. */
        BOOLEAN preferMove = Request <= HEAP_LARGE_THRESHOLD && !(Flags & HEAP_REALLOC_IN_PLACE_ONLY);
        if (Request <= capacity && !preferMove) {
            Ref->Virtual->RequestedSize = Request;
            inPlace = TRUE;
        }
    } else if (Request <= HEAP_LARGE_THRESHOLD) {
        ULONG size = block_size_for(Request);
        if (size <= Ref->Entry->Size) {
            carve_tail(Heap, Ref->Entry, size);
            inPlace = TRUE;
        } else {
            inPlace = grow_in_place(Heap, Ref->Segment, Ref->Entry, size);
        }
        if (inPlace)
            Ref->Entry->UnusedBytes = (USHORT)(Ref->Entry->Size - HEAP_HEADER_SIZE - Request);
    }
    if (inPlace) {
        Heap->BytesInUse = Heap->BytesInUse - old + Request;
        if ((Flags & HEAP_ZERO_MEMORY) && Request > old)
            heap_fill((PUCHAR)data + old, 0, Request - old);
        return data;
    }
    if (!(Flags & HEAP_REALLOC_IN_PLACE_ONLY)) {
        PVOID moved = allocate_unlocked(Heap, Flags & ~HEAP_ZERO_MEMORY, Request);
        if (moved != NULL) {
            heap_copy(moved, data, old < Request ? old : Request);
            if ((Flags & HEAP_ZERO_MEMORY) && Request > old)
                heap_fill((PUCHAR)moved + old, 0, Request - old);
            if (free_block(Heap, Ref))
                return moved;
            /* The old region would not go: keep the caller's block as it was. */
            HEAP_BLOCK_REF fresh;
            if (find_busy_block(Heap, moved, &fresh))
                (void)free_block(Heap, &fresh);
            return NULL;
        }
    }
    /* A large block that could not move to a small one stays where it is. */
    if (Ref->Virtual != NULL && Request <= Ref->Virtual->RegionSize - sizeof(HEAP_VIRTUAL_BLOCK)) {
        Ref->Virtual->RequestedSize = Request;
        Heap->BytesInUse = Heap->BytesInUse - old + Request;
        if ((Flags & HEAP_ZERO_MEMORY) && Request > old)
            heap_fill((PUCHAR)data + old, 0, Request - old);
        return data;
    }
    return NULL;
}

/* ---- the API ---- */

PVOID NTAPI RtlCreateHeap(ULONG Flags, PVOID HeapBase, SIZE_T ReserveSize, SIZE_T CommitSize, PVOID Lock,
                          PVOID Parameters) {
    (void)Parameters; /* tuning NT allows; the defaults here are fixed */
    if (HeapBase != NULL || Lock != NULL)
        return NULL;
    if (ReserveSize > HEAP_MAX_SEGMENT_SIZE || CommitSize > HEAP_MAX_SEGMENT_SIZE)
        return NULL;
    SIZE_T headers = ALIGN_UP(sizeof(HEAP), (SIZE_T)HEAP_GRANULARITY) +
                     ALIGN_UP(sizeof(HEAP_SEGMENT), (SIZE_T)HEAP_GRANULARITY);
    SIZE_T commit = ALIGN_UP(CommitSize != 0 ? CommitSize : HEAP_PAGE_SIZE, (SIZE_T)HEAP_PAGE_SIZE);
    SIZE_T minimum = ALIGN_UP(headers + HEAP_MIN_BLOCK, (SIZE_T)HEAP_PAGE_SIZE);
    if (commit < minimum)
        commit = minimum;
    SIZE_T reserve = ALIGN_UP(ReserveSize != 0 ? ReserveSize : HEAP_DEFAULT_RESERVE, (SIZE_T)HEAP_PAGE_SIZE);
    if (reserve < commit)
        reserve = commit;

    PUCHAR base = reserve_and_commit(reserve, commit);
    if (base == NULL)
        return NULL;
    PHEAP heap = (PHEAP)base;
    heap_fill(heap, 0, sizeof(HEAP));
    heap->Signature = HEAP_SIGNATURE;
    heap->Flags = Flags & HEAP_CREATE_VALID_FLAGS;
    heap->NextSegmentReserve = ALIGN_UP(reserve, (SIZE_T)HEAP_REGION_GRANULARITY);
    list_init(&heap->VirtualBlocks);
    for (ULONG i = 0; i < HEAP_FREE_LISTS; i++)
        list_init(&heap->FreeLists[i]);
    PHEAP_SEGMENT segment = (PHEAP_SEGMENT)(base + ALIGN_UP(sizeof(HEAP), (SIZE_T)HEAP_GRANULARITY));
    init_segment(heap, base, segment, reserve, commit, 0);
    return heap;
}

PVOID NTAPI RtlDestroyHeap(PVOID HeapHandle) {
    PHEAP heap = heap_from_handle(HeapHandle);
    if (heap == NULL)
        return HeapHandle;
    BOOLEAN ok = TRUE;
    while (heap->VirtualBlocks.Flink != &heap->VirtualBlocks) {
        PHEAP_VIRTUAL_BLOCK block = CONTAINING_RECORD(heap->VirtualBlocks.Flink, HEAP_VIRTUAL_BLOCK, Links);
        list_remove(&block->Links);
        ok = release_region(block) && ok;
    }
    for (ULONG i = heap->SegmentCount; i-- > 1;)
        ok = release_region(heap->Segments[i]->BaseAddress) && ok;
    heap->Signature = 0;
    ok = release_region(heap) && ok;
    return ok ? NULL : HeapHandle;
}

PVOID NTAPI RtlAllocateHeap(PVOID HeapHandle, ULONG Flags, SIZE_T Size) {
    PHEAP heap = heap_from_handle(HeapHandle);
    if (heap == NULL || Size > HEAP_MAXIMUM_REQUEST)
        return NULL;
    Flags |= heap->Flags & HEAP_INHERITED_FLAGS;
    heap_lock(heap, Flags);
    PVOID data = allocate_unlocked(heap, Flags, Size);
    heap_unlock(heap, Flags);
    return data;
}

BOOLEAN NTAPI RtlFreeHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress) {
    PHEAP heap = heap_from_handle(HeapHandle);
    if (heap == NULL)
        return FALSE;
    if (BaseAddress == NULL)
        return TRUE;
    Flags |= heap->Flags & HEAP_INHERITED_FLAGS;
    heap_lock(heap, Flags);
    HEAP_BLOCK_REF ref;
    BOOLEAN freed = find_busy_block(heap, BaseAddress, &ref) && free_block(heap, &ref);
    heap_unlock(heap, Flags);
    return freed;
}

PVOID NTAPI RtlReAllocateHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress, SIZE_T Size) {
    PHEAP heap = heap_from_handle(HeapHandle);
    if (heap == NULL || BaseAddress == NULL || Size > HEAP_MAXIMUM_REQUEST)
        return NULL;
    Flags |= heap->Flags & HEAP_INHERITED_FLAGS;
    heap_lock(heap, Flags);
    HEAP_BLOCK_REF ref;
    PVOID data = NULL;
    if (find_busy_block(heap, BaseAddress, &ref))
        data = reallocate_unlocked(heap, Flags, &ref, Size);
    heap_unlock(heap, Flags);
    return data;
}

SIZE_T NTAPI RtlSizeHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress) {
    PHEAP heap = heap_from_handle(HeapHandle);
    if (heap == NULL)
        return (SIZE_T)-1;
    Flags |= heap->Flags & HEAP_INHERITED_FLAGS;
    heap_lock(heap, Flags);
    HEAP_BLOCK_REF ref;
    SIZE_T size = find_busy_block(heap, BaseAddress, &ref) ? user_size(&ref) : (SIZE_T)-1;
    heap_unlock(heap, Flags);
    return size;
}

/* ---- validation ---- */

/* The segment whose committed blocks contain At, or NULL. */
static PHEAP_SEGMENT segment_containing(PHEAP Heap, ULONG_PTR At) {
    for (ULONG i = 0; i < Heap->SegmentCount; i++) {
        PHEAP_SEGMENT segment = Heap->Segments[i];
        if (At >= (ULONG_PTR)segment->FirstEntry && At < segment_limit(segment))
            return segment;
    }
    return NULL;
}

/* Walks one segment's blocks; adds to the running counts. */
static BOOLEAN validate_segment(PHEAP Heap, PHEAP_SEGMENT Segment, ULONG Index, SIZE_T *Busy, SIZE_T *Bytes,
                                SIZE_T *Free) {
    if (Segment == NULL || Segment->Signature != HEAP_SEGMENT_SIGNATURE || Segment->Index != Index ||
        Segment->Heap != Heap)
        return FALSE;
    if (Segment->CommittedSize > Segment->ReservedSize || Segment->CommittedSize % HEAP_PAGE_SIZE != 0 ||
        Segment->ReservedSize % HEAP_PAGE_SIZE != 0)
        return FALSE;
    ULONG_PTR first = (ULONG_PTR)Segment->FirstEntry, limit = segment_limit(Segment);
    if (first < (ULONG_PTR)(Segment + 1) || first >= limit)
        return FALSE;
    PHEAP_ENTRY entry = Segment->FirstEntry;
    BOOLEAN previousFree = FALSE;
    for (;;) {
        if (!entry_sound(Segment, entry))
            return FALSE;
        if (is_busy(entry)) {
            (*Busy)++;
            *Bytes += (SIZE_T)entry->Size - HEAP_HEADER_SIZE - entry->UnusedBytes;
            previousFree = FALSE;
        } else {
            if (previousFree)
                return FALSE; /* two free neighbours: a merge was missed */
            (*Free)++;
            previousFree = TRUE;
        }
        if (entry->Flags & HEAP_ENTRY_LAST)
            return TRUE;
        entry = next_entry(entry);
    }
}

/* Checks every free list: links agree, each entry is a sound free block of
 * the list's size, the bitmap matches. Counts entries into *Listed. */
static BOOLEAN validate_free_lists(PHEAP Heap, SIZE_T FreeBlocks, SIZE_T *Listed) {
    for (ULONG i = 0; i < HEAP_FREE_LISTS; i++) {
        PLIST_ENTRY head = &Heap->FreeLists[i];
        BOOLEAN empty = head->Flink == head;
        if (i != 0 && empty != !(Heap->FreeListsInUse[i / 32] & (1u << (i % 32))))
            return FALSE;
        PLIST_ENTRY previous = head;
        for (PLIST_ENTRY link = head->Flink; link != head; link = link->Flink) {
            if (*Listed >= FreeBlocks)
                return FALSE; /* more entries than free blocks: a loop or a stray */
            ULONG_PTR at = (ULONG_PTR)entry_from_links(link);
            PHEAP_SEGMENT segment = segment_containing(Heap, at);
            if (segment == NULL || link->Blink != previous)
                return FALSE;
            PHEAP_ENTRY entry = (PHEAP_ENTRY)at;
            if (!entry_sound(segment, entry) || is_busy(entry) || free_list_index(entry->Size) != i)
                return FALSE;
            (*Listed)++;
            previous = link;
        }
        if (head->Blink != previous)
            return FALSE;
    }
    return TRUE;
}

static BOOLEAN validate_heap(PHEAP Heap) {
    if (Heap->SegmentCount == 0 || Heap->SegmentCount > HEAP_MAX_SEGMENTS)
        return FALSE;
    SIZE_T busy = 0, bytes = 0, free = 0, committed = 0, reserved = 0;
    for (ULONG i = 0; i < Heap->SegmentCount; i++) {
        if (!validate_segment(Heap, Heap->Segments[i], i, &busy, &bytes, &free))
            return FALSE;
        committed += Heap->Segments[i]->CommittedSize;
        reserved += Heap->Segments[i]->ReservedSize;
    }
    SIZE_T listed = 0;
    if (!validate_free_lists(Heap, free, &listed) || listed != free)
        return FALSE;
    ULONG large = 0;
    PLIST_ENTRY previous = &Heap->VirtualBlocks;
    for (PLIST_ENTRY link = Heap->VirtualBlocks.Flink; link != &Heap->VirtualBlocks; link = link->Flink) {
        if (large >= Heap->LargeBlocks || link->Blink != previous)
            return FALSE;
        PHEAP_VIRTUAL_BLOCK block = CONTAINING_RECORD(link, HEAP_VIRTUAL_BLOCK, Links);
        if (block->Entry.Tag != entry_tag(&block->Entry, HEAP_TAG_VIRTUAL) ||
            block->Entry.Flags != (HEAP_ENTRY_BUSY | HEAP_ENTRY_VIRTUAL) ||
            block->RegionSize < sizeof(HEAP_VIRTUAL_BLOCK) ||
            block->RequestedSize > block->RegionSize - sizeof(HEAP_VIRTUAL_BLOCK))
            return FALSE;
        large++;
        busy++;
        bytes += block->RequestedSize;
        committed += block->RegionSize;
        reserved += block->RegionSize;
        previous = link;
    }
    return large == Heap->LargeBlocks && busy == Heap->BlocksInUse && bytes == Heap->BytesInUse &&
           committed == Heap->BytesCommitted && reserved == Heap->BytesReserved;
}

BOOLEAN NTAPI RtlValidateHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress) {
    PHEAP heap = heap_from_handle(HeapHandle);
    if (heap == NULL)
        return FALSE;
    Flags |= heap->Flags & HEAP_INHERITED_FLAGS;
    heap_lock(heap, Flags);
    BOOLEAN ok;
    if (BaseAddress != NULL) {
        HEAP_BLOCK_REF ref;
        ok = find_busy_block(heap, BaseAddress, &ref);
    } else {
        ok = validate_heap(heap);
    }
    heap_unlock(heap, Flags);
    return ok;
}

NTSTATUS NTAPI RtlpQueryHeapStatistics(PVOID HeapHandle, PRTLP_HEAP_STATISTICS Statistics) {
    PHEAP heap = heap_from_handle(HeapHandle);
    if (heap == NULL || Statistics == NULL)
        return STATUS_INVALID_PARAMETER;
    ULONG flags = heap->Flags & HEAP_INHERITED_FLAGS;
    heap_lock(heap, flags);
    Statistics->BytesInUse = heap->BytesInUse;
    Statistics->BlocksInUse = heap->BlocksInUse;
    Statistics->BytesCommitted = heap->BytesCommitted;
    Statistics->BytesReserved = heap->BytesReserved;
    Statistics->Segments = heap->SegmentCount;
    Statistics->LargeBlocks = heap->LargeBlocks;
    heap_unlock(heap, flags);
    return STATUS_SUCCESS;
}
