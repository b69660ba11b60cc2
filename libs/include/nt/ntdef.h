/*
 * ntdef.h - the basic NT types, shared by the kernel, the native DLLs and the
 * host unit tests.
 *
 * Why: NT code reads in its own vocabulary (ULONG, NTSTATUS, UNICODE_STRING).
 * Keeping these names lets a reader hold "Windows Internals" beside the source.
 * Widths are fixed with <stdint.h> so the same header compiles for the i686
 * kernel and for the 64-bit host that runs the unit tests.
 */
#ifndef NT_NTDEF_H
#define NT_NTDEF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef void VOID, *PVOID;
typedef const void *PCVOID;
typedef char CHAR, *PCHAR;
typedef const char *PCSTR;
typedef unsigned char UCHAR, *PUCHAR, BOOLEAN, *PBOOLEAN;
typedef int16_t SHORT;
typedef uint16_t USHORT, *PUSHORT, WCHAR, *PWCHAR;
typedef int32_t LONG, *PLONG;
typedef uint32_t ULONG, *PULONG;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG, *PULONGLONG;
typedef uintptr_t ULONG_PTR, *PULONG_PTR;
typedef intptr_t LONG_PTR;
typedef size_t SIZE_T, *PSIZE_T;
typedef int32_t NTSTATUS;

#define TRUE 1
#define FALSE 0

/* NT_SUCCESS: severity "success" or "informational" (the top bit clear). */
#define NT_SUCCESS(Status) (((NTSTATUS)(Status)) >= 0)

/* Every function that returns an NTSTATUS is marked so the result is never
 * dropped silently (STYLE.md: errors are never ignored). */
#define NT_CHECK_RESULT __attribute__((warn_unused_result))

#define ARRAYSIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))

/* A four-character pool tag written as a readable constant: 'Tag1' in a dump
 * reads as "Tag1" because x86 is little-endian. */
#define NT_TAG(a, b, c, d) \
    ((ULONG)(a) | ((ULONG)(b) << 8) | ((ULONG)(c) << 16) | ((ULONG)(d) << 24))

#endif
