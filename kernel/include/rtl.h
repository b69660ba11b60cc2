/*
 * rtl.h - the run-time library shared by the kernel and (later) ntdll:
 * string formatting, bitmaps and memory helpers. Pure code, host-tested.
 */
#ifndef KERNEL_RTL_H
#define KERNEL_RTL_H

#include <nt/ntstatus.h>
#include <stdarg.h>

/* snprintf-like: writes at most Size bytes including the NUL and returns the
 * length the full output would have had. Supports %c %s %d %i %u %x %X %p %%
 * with flags '-' '0' '#', a width, a precision for %s, and the l, ll, z lengths. */
int RtlFormatStringV(char *Buffer, SIZE_T Size, PCSTR Format, va_list Args);
int RtlFormatString(char *Buffer, SIZE_T Size, PCSTR Format, ...)
    __attribute__((format(printf, 3, 4)));

/* NT's RTL_BITMAP: a run of bits over caller-owned storage (1 = in use). */
typedef struct _RTL_BITMAP {
    ULONG SizeOfBitMap; /* bits */
    ULONG *Buffer;
} RTL_BITMAP, *PRTL_BITMAP;

VOID RtlInitializeBitMap(PRTL_BITMAP BitMap, ULONG *Buffer, ULONG SizeOfBitMap);
VOID RtlClearAllBits(PRTL_BITMAP BitMap);
VOID RtlSetAllBits(PRTL_BITMAP BitMap);
VOID RtlSetBits(PRTL_BITMAP BitMap, ULONG StartingIndex, ULONG NumberToSet);
VOID RtlClearBits(PRTL_BITMAP BitMap, ULONG StartingIndex, ULONG NumberToClear);
BOOLEAN RtlAreBitsClear(PRTL_BITMAP BitMap, ULONG StartingIndex, ULONG Length);
BOOLEAN RtlAreBitsSet(PRTL_BITMAP BitMap, ULONG StartingIndex, ULONG Length);
BOOLEAN RtlTestBit(PRTL_BITMAP BitMap, ULONG Index);
ULONG RtlNumberOfClearBits(PRTL_BITMAP BitMap);
/* Finds NumberToFind clear bits in a row, searching from HintIndex and
 * wrapping, sets them and returns the first index; 0xFFFFFFFF if none. */
ULONG RtlFindClearBitsAndSet(PRTL_BITMAP BitMap, ULONG NumberToFind, ULONG HintIndex);



/* The C string and memory routines (libs/rtl/string.c in the kernel; the C
 * library's on the host). */
void *memcpy(void *Dest, const void *Src, size_t Count);
void *memmove(void *Dest, const void *Src, size_t Count);
void *memset(void *Dest, int Value, size_t Count);
int memcmp(const void *A, const void *B, size_t Count);
size_t strlen(const char *S);
size_t strnlen(const char *S, size_t Max);
int strcmp(const char *A, const char *B);
int strncmp(const char *A, const char *B, size_t Count);
/* Copies at most Size-1 characters, always terminates; returns the length. */
size_t RtlStringCopy(char *Dest, const char *Src, size_t Size);

#endif
