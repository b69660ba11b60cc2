/*
 * heap.c - malloc and friends on the process heap.
 *
 * Why: Microsoft's msvcrt allocates from the process heap through
 * HeapAlloc, and so does this one: a block from malloc is a heap block, so
 * HeapSize tells its size (_msize) and a program mixing HeapFree and free on
 * the same heap behaves as it does on Windows. KERNEL32's heap locks itself,
 * so nothing here takes a lock. A failure sets errno to ENOMEM. malloc(0)
 * returns a unique block (of one byte), as Microsoft's does.
 */
#include "msvcrtp.h"

void *malloc(size_t Size) {
    void *block = HeapAlloc(crt_heap, 0, Size ? Size : 1);
    if (block == NULL)
        *_errno() = CRT_ENOMEM;
    return block;
}

/* Zeroed Count * Size bytes; NULL (ENOMEM) when the product overflows. */
void *calloc(size_t Count, size_t Size) {
    if (Size != 0 && Count > SIZE_MAX / Size) {
        *_errno() = CRT_ENOMEM;
        return NULL;
    }
    size_t bytes = Count * Size;
    void *block = HeapAlloc(crt_heap, HEAP_ZERO_MEMORY, bytes ? bytes : 1);
    if (block == NULL)
        *_errno() = CRT_ENOMEM;
    return block;
}

void free(void *Block) {
    if (Block)
        HeapFree(crt_heap, 0, Block);
}

/* realloc(NULL, n) is malloc(n); realloc(p, 0) frees p and returns NULL
 * (Microsoft's rule); on failure the old block is left as it was. */
void *realloc(void *Block, size_t Size) {
    if (Block == NULL)
        return malloc(Size);
    if (Size == 0) {
        free(Block);
        return NULL;
    }
    void *block = HeapReAlloc(crt_heap, 0, Block, Size);
    if (block == NULL)
        *_errno() = CRT_ENOMEM;
    return block;
}

size_t _msize(void *Block) {
    return Block ? HeapSize(crt_heap, 0, Block) : (size_t)-1;
}

char *_strdup(const char *String) {
    if (String == NULL)
        return NULL;
    size_t bytes = strlen(String) + 1;
    char *copy = malloc(bytes);
    if (copy)
        memcpy(copy, String, bytes);
    return copy;
}

crt_wchar *_wcsdup(const crt_wchar *String) {
    if (String == NULL)
        return NULL;
    size_t bytes = (wcslen(String) + 1) * sizeof(crt_wchar);
    crt_wchar *copy = malloc(bytes);
    if (copy)
        memcpy(copy, String, bytes);
    return copy;
}

/* C++'s new-handler mode; recorded, never acted on (no C++ run-time here). */
static int new_mode;
int _set_new_mode(int Mode) {
    int old = new_mode;
    new_mode = Mode;
    return old;
}
int _query_new_mode(void) {
    return new_mode;
}
