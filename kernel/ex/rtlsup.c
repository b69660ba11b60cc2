/*
 * rtlsup.c - what the shared run-time library needs from the kernel.
 *
 * Why: libs/rtl is one source for the kernel and ntdll. Where it must
 * allocate (RtlAnsiStringToUnicodeString with AllocateDestination, ...), it
 * calls these hooks; in the kernel they take from the pool under the 'Strg'
 * tag, so a leaked string shows up in the pool's tag counters.
 */
#include "../include/ex.h"
#include <nt/rtlstring.h>

#define TAG_RTL_STRING NT_TAG('S', 't', 'r', 'g')

PVOID RtlpAllocateStringMemory(SIZE_T Bytes) {
    return ExAllocatePoolWithTag(PagedPool, Bytes, TAG_RTL_STRING);
}

VOID RtlpFreeStringMemory(PVOID P) {
    if (P)
        ExFreePoolWithTag(P, TAG_RTL_STRING);
}
