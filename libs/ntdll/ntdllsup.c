/*
 * ntdllsup.c - what the shared run-time library needs from ntdll.
 *
 * Why: libs/rtl is one source for the kernel and ntdll. Where it must
 * allocate a string buffer (RtlAnsiStringToUnicodeString with
 * AllocateDestinationString, RtlCreateUnicodeStringFromAsciiz, ...), it
 * calls these hooks: the kernel answers from its pool, ntdll from the process
 * heap, as NT does (RtlFreeUnicodeString frees into the process heap).
 */
#include <nt/ntpeb.h>
#include <nt/ntrtl.h>
#include <nt/rtlheap.h>
#include <nt/rtlstring.h>

PVOID RtlpAllocateStringMemory(SIZE_T Bytes) {
    return RtlAllocateHeap(NtCurrentPeb()->ProcessHeap, 0, Bytes);
}

VOID RtlpFreeStringMemory(PVOID P) {
    /* RtlFree*String return nothing, so a refusal (a pointer the heap did
     * not hand out, which it leaves alone) can only be reported. */
    if (P != NULL && !RtlFreeHeap(NtCurrentPeb()->ProcessHeap, 0, P))
        DbgPrint("RTL: freeing string memory %p failed\n", P);
}
