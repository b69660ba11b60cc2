/*
 * rtlstring.h - NT's counted-string routines (UNICODE_STRING, ANSI_STRING),
 * shared by the kernel and ntdll.dll.
 *
 * Why: every name NT passes around (object paths, registry keys, file names)
 * is a counted string, and both the kernel and user mode need the same
 * routines with the same edge cases. They are pure code (libs/rtl/unicode.c),
 * host-tested, and free of any C library beyond memcpy/memmove/memset.
 *
 * Rules, as on NT: Length and MaximumLength count BYTES; a Buffer need not be
 * NUL-terminated, so nothing here reads past Length or writes past
 * MaximumLength. Daytona adds: an odd byte length in a UNICODE_STRING is
 * invalid input (STATUS_INVALID_PARAMETER where the routine returns a status;
 * routines that return no status use the whole characters only), and a
 * failing routine leaves its destination untouched unless NT's contract says
 * it writes a truncated result (RtlUnicodeStringToAnsiString).
 *
 * The "Allocate" variants get memory from two hooks the host supplies:
 * the kernel implements them with its pool, ntdll with the process heap, the
 * unit tests with malloc. Memory they hand out is given back only through
 * RtlFreeUnicodeString / RtlFreeAnsiString.
 *
 * Case mapping covers ASCII and Latin-1 only (U+0000-U+00FF); every other
 * character maps to itself. ANSI bytes are unsigned Latin-1 throughout: so,
 * unlike NT (whose signed CHAR makes bytes 0x80-0xFF count as leading
 * blanks), RtlCharToInteger stops at such a byte instead of skipping it.
 */
#ifndef NT_RTLSTRING_H
#define NT_RTLSTRING_H

#include <nt/ntdef.h>
#include <nt/ntstatus.h>

/* Status codes this component needs that ntstatus.h does not have yet (NT's
 * numbers). */

/* NT's string pointer names (repeating an identical typedef is legal C11). */
typedef const char *PCSZ;

#define UNICODE_NULL ((WCHAR)0)
/* The longest counted strings RtlInit*String can describe: the length must
 * leave room for the terminator inside a USHORT MaximumLength. */
#define RTL_MAXIMUM_UNICODE_STRING_LENGTH 0xFFFCu
#define RTL_MAXIMUM_ANSI_STRING_LENGTH 0xFFFEu

/* ---- hooks the host provides ---- */

/* Returns Bytes of memory for a string buffer, or NULL. */
PVOID RtlpAllocateStringMemory(SIZE_T Bytes);
/* Gives back memory from RtlpAllocateStringMemory. */
VOID RtlpFreeStringMemory(PVOID P);

/* ---- initialising ---- */

/* Describes the NUL-terminated SourceString (which may be NULL: an empty
 * string) without copying it. A string longer than 0xFFFC bytes is cut to
 * 0xFFFC bytes, as NT does. */
VOID NTAPI RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString);
/* As RtlInitUnicodeString, but a string too long for a UNICODE_STRING fails
 * with STATUS_NAME_TOO_LONG (DestinationString untouched). */
NT_CHECK_RESULT NTSTATUS NTAPI RtlInitUnicodeStringEx(PUNICODE_STRING DestinationString, PCWSTR SourceString);
/* The ANSI versions; the cut is at 0xFFFE bytes. */
VOID NTAPI RtlInitAnsiString(PANSI_STRING DestinationString, PCSZ SourceString);
VOID NTAPI RtlInitString(PSTRING DestinationString, PCSZ SourceString);

/* ---- copying and appending ---- */

/* Copies as much of SourceString as fits in DestinationString->MaximumLength
 * (NT truncates silently and returns nothing) and NUL-terminates when there
 * is room. A NULL SourceString empties the destination. */
VOID NTAPI RtlCopyUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString);
/* Appends Source to Destination: STATUS_BUFFER_TOO_SMALL (nothing changed)
 * when the result would exceed MaximumLength. NUL-terminates when room is
 * left. */
NT_CHECK_RESULT NTSTATUS NTAPI RtlAppendUnicodeStringToString(PUNICODE_STRING Destination,
                                                              PCUNICODE_STRING Source);
/* Appends the NUL-terminated Source (NULL appends nothing). */
NT_CHECK_RESULT NTSTATUS NTAPI RtlAppendUnicodeToString(PUNICODE_STRING Destination, PCWSTR Source);

/* ---- comparing and case ---- */

/* <0, 0 or >0 as String1 sorts before, with or after String2: the difference
 * of the first differing characters (upcased when CaseInSensitive), else the
 * difference of the lengths. NULL compares as the empty string. */
LONG NTAPI RtlCompareUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                   BOOLEAN CaseInSensitive);
BOOLEAN NTAPI RtlEqualUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                    BOOLEAN CaseInSensitive);
/* TRUE when String1 is a prefix of String2. */
BOOLEAN NTAPI RtlPrefixUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                     BOOLEAN CaseInSensitive);
WCHAR NTAPI RtlUpcaseUnicodeChar(WCHAR SourceCharacter);
WCHAR NTAPI RtlDowncaseUnicodeChar(WCHAR SourceCharacter);
/* Upcases SourceString into DestinationString (the two may be the same
 * string). NT's contract: no terminator is added; without allocation a
 * destination shorter than the source fails with STATUS_BUFFER_OVERFLOW. */
NT_CHECK_RESULT NTSTATUS NTAPI RtlUpcaseUnicodeString(PUNICODE_STRING DestinationString,
                                                      PCUNICODE_STRING SourceString,
                                                      BOOLEAN AllocateDestinationString);

/* ---- ANSI (Latin-1) <-> UTF-16 ---- */

/* Widens SourceString, NUL-terminated. Allocating: MaximumLength is
 * Length + 2, STATUS_NO_MEMORY on failure. Not allocating: a destination
 * without room for the characters and the terminator fails with
 * STATUS_BUFFER_OVERFLOW (destination untouched). A source whose widened form
 * does not fit a UNICODE_STRING fails with STATUS_INVALID_PARAMETER_2. */
NT_CHECK_RESULT NTSTATUS NTAPI RtlAnsiStringToUnicodeString(PUNICODE_STRING DestinationString,
                                                            PCANSI_STRING SourceString,
                                                            BOOLEAN AllocateDestinationString);
/* Narrows SourceString (characters above 0xFF become '?'), NUL-terminated.
 * Not allocating and too small: NT writes as much as fits, terminated, and
 * returns STATUS_BUFFER_OVERFLOW (a warning; a zero MaximumLength writes
 * nothing). */
NT_CHECK_RESULT NTSTATUS NTAPI RtlUnicodeStringToAnsiString(PANSI_STRING DestinationString,
                                                            PCUNICODE_STRING SourceString,
                                                            BOOLEAN AllocateDestinationString);
/* Frees a buffer from an Allocate variant and empties the string. */
VOID NTAPI RtlFreeUnicodeString(PUNICODE_STRING UnicodeString);
VOID NTAPI RtlFreeAnsiString(PANSI_STRING AnsiString);
/* Allocates a UNICODE_STRING holding the widened NUL-terminated
 * SourceString; TRUE on success. Free it with RtlFreeUnicodeString. */
BOOLEAN NTAPI RtlCreateUnicodeStringFromAsciiz(PUNICODE_STRING DestinationString, PCSZ SourceString);

/* ---- integers ---- */

/* Parses String as NT does: leading characters <= ' ' are skipped, then one
 * '+' or '-', then (Base 0 only) a "0x", "0o" or "0b" prefix picks base 16, 8
 * or 2, else 10; digits are read up to the first character that is not one
 * (no digits: 0). The value wraps modulo 2^32, as on NT; '-' negates it.
 * Base must be 0, 2, 8, 10 or 16 (else STATUS_INVALID_PARAMETER); a NULL
 * Value gives STATUS_ACCESS_VIOLATION, as on NT. */
NT_CHECK_RESULT NTSTATUS NTAPI RtlUnicodeStringToInteger(PCUNICODE_STRING String, ULONG Base, PULONG Value);
/* The same for a NUL-terminated ANSI string. */
NT_CHECK_RESULT NTSTATUS NTAPI RtlCharToInteger(PCSZ String, ULONG Base, PULONG Value);
/* Formats Value (unsigned; upper-case hex digits) in Base 0 (= 10), 2, 8, 10
 * or 16 into String, NUL-terminated: STATUS_BUFFER_OVERFLOW (String
 * untouched) when the digits and the terminator do not fit MaximumLength. */
NT_CHECK_RESULT NTSTATUS NTAPI RtlIntegerToUnicodeString(ULONG Value, ULONG Base, PUNICODE_STRING String);
/* The ANSI counterpart: writes the digits and, when OutputLength leaves room,
 * a NUL; STATUS_BUFFER_OVERFLOW when the digits alone do not fit. */
NT_CHECK_RESULT NTSTATUS NTAPI RtlIntegerToChar(ULONG Value, ULONG Base, LONG OutputLength, PCHAR String);

#endif
