/*
 * unicode.c - NT's counted-string routines: init, copy, append, compare,
 * case, ANSI <-> UTF-16 and integer conversion.
 *
 * Why: the kernel (object names, the boot file system) and ntdll (every path
 * a program passes in) need the same string code, and NT's edge cases
 * (truncating copies, STATUS_BUFFER_OVERFLOW warnings that still write,
 * integer parsing that wraps) are part of the contract programs rely on. The
 * behaviour follows NT as documented and as Wine/ReactOS reproduce it; where
 * NT would read past a length or leave a string with Length > MaximumLength,
 * this code checks instead and leaves the destination untouched.
 *
 * Pure, freestanding C: the only outside calls are memcpy/memmove (through
 * the compiler builtins, which the kernel and ntdll supply) and the two
 * allocation hooks declared in rtlstring.h. ANSI here means Latin-1: a byte
 * widens to the code point of the same value, and narrowing turns anything
 * above U+00FF into '?'.
 */
#include <nt/rtlstring.h>

#define rtl_copy(d, s, n) __builtin_memcpy((d), (s), (n))
#define rtl_move(d, s, n) __builtin_memmove((d), (s), (n))

/* Bytes a USHORT length field can hold. */
#define USHORT_MAX 0xFFFFu

/* The whole characters of a counted string a reader may look at: NULL, or a
 * NULL buffer, reads as empty; an odd byte count drops the odd byte. */
static ULONG ustr_chars(PCUNICODE_STRING S) {
    if (S == NULL || S->Buffer == NULL)
        return 0;
    return S->Length / sizeof(WCHAR);
}

/* TRUE when S is a well-formed source: non-NULL, even Length, and a buffer
 * whenever Length is non-zero. */
static BOOLEAN ustr_valid_source(PCUNICODE_STRING S) {
    if (S == NULL || (S->Length & 1) != 0)
        return FALSE;
    return S->Length == 0 || S->Buffer != NULL;
}

/* Characters before the first NUL of S, looking at no more than Max of them;
 * returns Max + 1 when there is no NUL in the first Max characters. */
static ULONG wide_length_bounded(PCWSTR S, ULONG Max) {
    ULONG n = 0;
    while (n <= Max && S[n] != UNICODE_NULL)
        n++;
    return n;
}

static ULONG ansi_length_bounded(PCSZ S, ULONG Max) {
    ULONG n = 0;
    while (n <= Max && S[n] != '\0')
        n++;
    return n;
}

/* ---- initialising ---- */

VOID NTAPI RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString) {
    if (DestinationString == NULL)
        return;
    ULONG bytes = 0;
    if (SourceString != NULL) {
        ULONG maxChars = RTL_MAXIMUM_UNICODE_STRING_LENGTH / sizeof(WCHAR);
        ULONG chars = wide_length_bounded(SourceString, maxChars);
        if (chars > maxChars)
            chars = maxChars; /* NT cuts an over-long string */
        bytes = chars * sizeof(WCHAR);
        DestinationString->MaximumLength = (USHORT)(bytes + sizeof(WCHAR));
    } else {
        DestinationString->MaximumLength = 0;
    }
    DestinationString->Length = (USHORT)bytes;
    DestinationString->Buffer = (PWCHAR)SourceString;
}

NTSTATUS NTAPI RtlInitUnicodeStringEx(PUNICODE_STRING DestinationString, PCWSTR SourceString) {
    if (DestinationString == NULL)
        return STATUS_INVALID_PARAMETER;
    if (SourceString != NULL) {
        ULONG maxChars = RTL_MAXIMUM_UNICODE_STRING_LENGTH / sizeof(WCHAR);
        if (wide_length_bounded(SourceString, maxChars) > maxChars)
            return STATUS_NAME_TOO_LONG;
    }
    RtlInitUnicodeString(DestinationString, SourceString);
    return STATUS_SUCCESS;
}

VOID NTAPI RtlInitAnsiString(PANSI_STRING DestinationString, PCSZ SourceString) {
    if (DestinationString == NULL)
        return;
    ULONG bytes = 0;
    if (SourceString != NULL) {
        bytes = ansi_length_bounded(SourceString, RTL_MAXIMUM_ANSI_STRING_LENGTH);
        if (bytes > RTL_MAXIMUM_ANSI_STRING_LENGTH)
            bytes = RTL_MAXIMUM_ANSI_STRING_LENGTH;
        DestinationString->MaximumLength = (USHORT)(bytes + 1);
    } else {
        DestinationString->MaximumLength = 0;
    }
    DestinationString->Length = (USHORT)bytes;
    DestinationString->Buffer = (PCHAR)SourceString;
}

VOID NTAPI RtlInitString(PSTRING DestinationString, PCSZ SourceString) {
    RtlInitAnsiString(DestinationString, SourceString);
}

/* ---- copying and appending ---- */

VOID NTAPI RtlCopyUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString) {
    if (DestinationString == NULL)
        return;
    if (DestinationString->Buffer == NULL) {
        DestinationString->Length = 0;
        return;
    }
    ULONG room = DestinationString->MaximumLength & ~1u;
    ULONG bytes = ustr_chars(SourceString) * sizeof(WCHAR);
    if (bytes > room)
        bytes = room;
    if (bytes != 0)
        rtl_move(DestinationString->Buffer, SourceString->Buffer, bytes);
    DestinationString->Length = (USHORT)bytes;
    if (bytes + sizeof(WCHAR) <= DestinationString->MaximumLength)
        DestinationString->Buffer[bytes / sizeof(WCHAR)] = UNICODE_NULL;
}

/* Appends Bytes (even) from Source to Destination, already checked to fit;
 * terminates when a whole character of room is left. */
static void append_checked(PUNICODE_STRING Destination, const WCHAR *Source, ULONG Bytes) {
    PWCHAR end = Destination->Buffer + Destination->Length / sizeof(WCHAR);
    rtl_move(end, Source, Bytes);
    Destination->Length = (USHORT)(Destination->Length + Bytes);
    if ((ULONG)Destination->Length + sizeof(WCHAR) <= Destination->MaximumLength)
        Destination->Buffer[Destination->Length / sizeof(WCHAR)] = UNICODE_NULL;
}

/* TRUE when Destination can be appended to: even Length within
 * MaximumLength, and a buffer whenever MaximumLength is non-zero. */
static BOOLEAN ustr_valid_destination(PCUNICODE_STRING Destination) {
    if (Destination == NULL || (Destination->Length & 1) != 0)
        return FALSE;
    if (Destination->Length > Destination->MaximumLength)
        return FALSE;
    return Destination->MaximumLength == 0 || Destination->Buffer != NULL;
}

NTSTATUS NTAPI RtlAppendUnicodeStringToString(PUNICODE_STRING Destination, PCUNICODE_STRING Source) {
    if (!ustr_valid_destination(Destination) || !ustr_valid_source(Source))
        return STATUS_INVALID_PARAMETER;
    ULONG bytes = Source->Length;
    if (bytes == 0)
        return STATUS_SUCCESS;
    if ((ULONG)Destination->Length + bytes > Destination->MaximumLength)
        return STATUS_BUFFER_TOO_SMALL;
    append_checked(Destination, Source->Buffer, bytes);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlAppendUnicodeToString(PUNICODE_STRING Destination, PCWSTR Source) {
    if (!ustr_valid_destination(Destination))
        return STATUS_INVALID_PARAMETER;
    if (Source == NULL)
        return STATUS_SUCCESS;
    /* Look no further into Source than could possibly fit. */
    ULONG roomChars = (ULONG)(Destination->MaximumLength - Destination->Length) / sizeof(WCHAR);
    ULONG chars = wide_length_bounded(Source, roomChars);
    if (chars > roomChars)
        return STATUS_BUFFER_TOO_SMALL;
    if (chars != 0)
        append_checked(Destination, Source, chars * sizeof(WCHAR));
    return STATUS_SUCCESS;
}

/* ---- comparing and case ---- */

WCHAR NTAPI RtlUpcaseUnicodeChar(WCHAR SourceCharacter) {
    WCHAR c = SourceCharacter;
    if (c >= 'a' && c <= 'z')
        return (WCHAR)(c - 0x20);
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7) /* Latin-1 small letters; U+00F7 is the division sign */
        return (WCHAR)(c - 0x20);
    return c; /* U+00FF's capital lies outside Latin-1: it stays */
}

WCHAR NTAPI RtlDowncaseUnicodeChar(WCHAR SourceCharacter) {
    WCHAR c = SourceCharacter;
    if (c >= 'A' && c <= 'Z')
        return (WCHAR)(c + 0x20);
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) /* U+00D7 is the multiplication sign */
        return (WCHAR)(c + 0x20);
    return c;
}

LONG NTAPI RtlCompareUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                   BOOLEAN CaseInSensitive) {
    ULONG n1 = ustr_chars(String1), n2 = ustr_chars(String2);
    ULONG n = n1 < n2 ? n1 : n2;
    for (ULONG i = 0; i < n; i++) {
        WCHAR a = String1->Buffer[i], b = String2->Buffer[i];
        if (CaseInSensitive) {
            a = RtlUpcaseUnicodeChar(a);
            b = RtlUpcaseUnicodeChar(b);
        }
        if (a != b)
            return (LONG)a - (LONG)b;
    }
    return (LONG)(n1 * sizeof(WCHAR)) - (LONG)(n2 * sizeof(WCHAR));
}

BOOLEAN NTAPI RtlEqualUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                    BOOLEAN CaseInSensitive) {
    if (ustr_chars(String1) != ustr_chars(String2))
        return FALSE;
    return RtlCompareUnicodeString(String1, String2, CaseInSensitive) == 0;
}

BOOLEAN NTAPI RtlPrefixUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                                     BOOLEAN CaseInSensitive) {
    ULONG n = ustr_chars(String1);
    if (n > ustr_chars(String2))
        return FALSE;
    for (ULONG i = 0; i < n; i++) {
        WCHAR a = String1->Buffer[i], b = String2->Buffer[i];
        if (CaseInSensitive) {
            a = RtlUpcaseUnicodeChar(a);
            b = RtlUpcaseUnicodeChar(b);
        }
        if (a != b)
            return FALSE;
    }
    return TRUE;
}

NTSTATUS NTAPI RtlUpcaseUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString,
                                      BOOLEAN AllocateDestinationString) {
    if (DestinationString == NULL || !ustr_valid_source(SourceString))
        return STATUS_INVALID_PARAMETER;
    ULONG bytes = SourceString->Length;
    PWCHAR buffer;
    if (AllocateDestinationString) {
        buffer = RtlpAllocateStringMemory(bytes != 0 ? bytes : sizeof(WCHAR));
        if (buffer == NULL)
            return STATUS_NO_MEMORY;
        DestinationString->MaximumLength = (USHORT)bytes;
        DestinationString->Buffer = buffer;
    } else {
        if (bytes > DestinationString->MaximumLength)
            return STATUS_BUFFER_OVERFLOW;
        if (bytes != 0 && DestinationString->Buffer == NULL)
            return STATUS_INVALID_PARAMETER;
        buffer = DestinationString->Buffer;
    }
    for (ULONG i = 0; i < bytes / sizeof(WCHAR); i++)
        buffer[i] = RtlUpcaseUnicodeChar(SourceString->Buffer[i]);
    DestinationString->Length = (USHORT)bytes;
    return STATUS_SUCCESS;
}

/* ---- ANSI (Latin-1) <-> UTF-16 ---- */

NTSTATUS NTAPI RtlAnsiStringToUnicodeString(PUNICODE_STRING DestinationString, PCANSI_STRING SourceString,
                                            BOOLEAN AllocateDestinationString) {
    if (DestinationString == NULL || SourceString == NULL)
        return STATUS_INVALID_PARAMETER;
    ULONG chars = SourceString->Length;
    if (chars != 0 && SourceString->Buffer == NULL)
        return STATUS_INVALID_PARAMETER;
    ULONG total = (chars + 1) * sizeof(WCHAR); /* the characters and the terminator */
    if (total > USHORT_MAX)
        return STATUS_INVALID_PARAMETER_2;
    PWCHAR buffer;
    if (AllocateDestinationString) {
        buffer = RtlpAllocateStringMemory(total);
        if (buffer == NULL)
            return STATUS_NO_MEMORY;
        DestinationString->MaximumLength = (USHORT)total;
        DestinationString->Buffer = buffer;
    } else {
        if (total > DestinationString->MaximumLength)
            return STATUS_BUFFER_OVERFLOW;
        if (DestinationString->Buffer == NULL)
            return STATUS_INVALID_PARAMETER;
        buffer = DestinationString->Buffer;
    }
    /* Back to front, so a destination that overlaps the source's start still
     * reads every byte before overwriting it. */
    buffer[chars] = UNICODE_NULL;
    for (ULONG i = chars; i-- > 0;)
        buffer[i] = (WCHAR)(UCHAR)SourceString->Buffer[i];
    DestinationString->Length = (USHORT)(chars * sizeof(WCHAR));
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlUnicodeStringToAnsiString(PANSI_STRING DestinationString, PCUNICODE_STRING SourceString,
                                            BOOLEAN AllocateDestinationString) {
    if (DestinationString == NULL || !ustr_valid_source(SourceString))
        return STATUS_INVALID_PARAMETER;
    ULONG chars = SourceString->Length / sizeof(WCHAR);
    ULONG total = chars + 1; /* at most 0x8000: always fits a USHORT */
    NTSTATUS status = STATUS_SUCCESS;
    PCHAR buffer;
    if (AllocateDestinationString) {
        buffer = RtlpAllocateStringMemory(total);
        if (buffer == NULL)
            return STATUS_NO_MEMORY;
        DestinationString->MaximumLength = (USHORT)total;
        DestinationString->Buffer = buffer;
    } else {
        if (DestinationString->MaximumLength == 0)
            return STATUS_BUFFER_OVERFLOW;
        if (DestinationString->Buffer == NULL)
            return STATUS_INVALID_PARAMETER;
        if (total > DestinationString->MaximumLength) {
            chars = DestinationString->MaximumLength - 1u; /* NT writes what fits */
            status = STATUS_BUFFER_OVERFLOW;
        }
        buffer = DestinationString->Buffer;
    }
    for (ULONG i = 0; i < chars; i++) {
        WCHAR c = SourceString->Buffer[i];
        buffer[i] = c <= 0xFF ? (CHAR)c : '?';
    }
    buffer[chars] = '\0';
    DestinationString->Length = (USHORT)chars;
    return status;
}

VOID NTAPI RtlFreeUnicodeString(PUNICODE_STRING UnicodeString) {
    if (UnicodeString == NULL)
        return;
    if (UnicodeString->Buffer != NULL)
        RtlpFreeStringMemory(UnicodeString->Buffer);
    UnicodeString->Buffer = NULL;
    UnicodeString->Length = 0;
    UnicodeString->MaximumLength = 0;
}

VOID NTAPI RtlFreeAnsiString(PANSI_STRING AnsiString) {
    if (AnsiString == NULL)
        return;
    if (AnsiString->Buffer != NULL)
        RtlpFreeStringMemory(AnsiString->Buffer);
    AnsiString->Buffer = NULL;
    AnsiString->Length = 0;
    AnsiString->MaximumLength = 0;
}

BOOLEAN NTAPI RtlCreateUnicodeStringFromAsciiz(PUNICODE_STRING DestinationString, PCSZ SourceString) {
    if (DestinationString == NULL || SourceString == NULL)
        return FALSE;
    ULONG length = ansi_length_bounded(SourceString, RTL_MAXIMUM_ANSI_STRING_LENGTH);
    if (length > RTL_MAXIMUM_ANSI_STRING_LENGTH)
        return FALSE; /* refuse rather than silently cut */
    ANSI_STRING ansi;
    ansi.Buffer = (PCHAR)SourceString;
    ansi.Length = (USHORT)length;
    ansi.MaximumLength = (USHORT)(length + 1);
    return NT_SUCCESS(RtlAnsiStringToUnicodeString(DestinationString, &ansi, TRUE));
}

/* ---- integers ---- */

/* The value of digit character C, or 99 when it is not a digit. */
static ULONG digit_value(ULONG C) {
    if (C >= '0' && C <= '9')
        return C - '0';
    if (C >= 'A' && C <= 'Z')
        return C - 'A' + 10;
    if (C >= 'a' && C <= 'z')
        return C - 'a' + 10;
    return 99;
}

static BOOLEAN base_valid(ULONG Base) {
    return Base == 2 || Base == 8 || Base == 10 || Base == 16;
}

/* A character source for the one parser both string kinds share: Count
 * characters of either WCHAR or CHAR (NUL-terminated: Count is the length). */
typedef struct _NUMBER_TEXT {
    const WCHAR *Wide;
    PCSZ Narrow;
    ULONG Count;
} NUMBER_TEXT;

static ULONG text_at(const NUMBER_TEXT *Text, ULONG Index) {
    return Text->Wide != NULL ? Text->Wide[Index] : (UCHAR)Text->Narrow[Index];
}

/* NT's parse (see rtlstring.h): whitespace, sign, prefix, digits. */
static NTSTATUS parse_integer(const NUMBER_TEXT *Text, ULONG Base, PULONG Value) {
    ULONG i = 0, n = Text->Count;
    while (i < n && text_at(Text, i) <= ' ')
        i++;
    BOOLEAN negative = FALSE;
    if (i < n && text_at(Text, i) == '+') {
        i++;
    } else if (i < n && text_at(Text, i) == '-') {
        negative = TRUE;
        i++;
    }
    if (Base == 0) {
        Base = 10;
        if (n - i >= 2 && text_at(Text, i) == '0') {
            ULONG marker = text_at(Text, i + 1);
            ULONG prefixed = marker == 'x' ? 16 : marker == 'o' ? 8 : marker == 'b' ? 2 : 0;
            if (prefixed != 0) {
                Base = prefixed;
                i += 2;
            }
        }
    } else if (!base_valid(Base)) {
        return STATUS_INVALID_PARAMETER;
    }
    if (Value == NULL)
        return STATUS_ACCESS_VIOLATION;
    ULONG total = 0;
    for (; i < n; i++) {
        ULONG digit = digit_value(text_at(Text, i));
        if (digit >= Base)
            break;
        total = total * Base + digit; /* wraps modulo 2^32, as NT's does */
    }
    *Value = negative ? 0u - total : total;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlUnicodeStringToInteger(PCUNICODE_STRING String, ULONG Base, PULONG Value) {
    if (!ustr_valid_source(String))
        return STATUS_INVALID_PARAMETER;
    NUMBER_TEXT text = {String->Buffer, NULL, String->Length / sizeof(WCHAR)};
    return parse_integer(&text, Base, Value);
}

NTSTATUS NTAPI RtlCharToInteger(PCSZ String, ULONG Base, PULONG Value) {
    if (String == NULL)
        return STATUS_INVALID_PARAMETER;
    /* A NUL-terminated string: its length is found first so the shared
     * parser never looks past the terminator. */
    NUMBER_TEXT text = {NULL, String, 0};
    while (String[text.Count] != '\0')
        text.Count++;
    return parse_integer(&text, Base, Value);
}

/* Writes Value's digits in Base at the end of Digits[32] and returns the
 * index of the first one. */
static ULONG format_integer(ULONG Value, ULONG Base, CHAR Digits[32]) {
    static const char symbols[] = "0123456789ABCDEF";
    ULONG first = 32;
    do {
        Digits[--first] = symbols[Value % Base];
        Value /= Base;
    } while (Value != 0);
    return first;
}

NTSTATUS NTAPI RtlIntegerToUnicodeString(ULONG Value, ULONG Base, PUNICODE_STRING String) {
    if (Base == 0)
        Base = 10;
    if (!base_valid(Base))
        return STATUS_INVALID_PARAMETER;
    if (String == NULL)
        return STATUS_INVALID_PARAMETER;
    CHAR digits[32];
    ULONG first = format_integer(Value, Base, digits);
    ULONG chars = 32 - first;
    if ((chars + 1) * sizeof(WCHAR) > String->MaximumLength)
        return STATUS_BUFFER_OVERFLOW;
    if (String->Buffer == NULL)
        return STATUS_INVALID_PARAMETER;
    for (ULONG i = 0; i < chars; i++)
        String->Buffer[i] = (WCHAR)digits[first + i];
    String->Buffer[chars] = UNICODE_NULL;
    String->Length = (USHORT)(chars * sizeof(WCHAR));
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlIntegerToChar(ULONG Value, ULONG Base, LONG OutputLength, PCHAR String) {
    if (Base == 0)
        Base = 10;
    if (!base_valid(Base))
        return STATUS_INVALID_PARAMETER;
    CHAR digits[32];
    ULONG first = format_integer(Value, Base, digits);
    LONG chars = (LONG)(32 - first);
    if (chars > OutputLength)
        return STATUS_BUFFER_OVERFLOW;
    if (String == NULL)
        return STATUS_ACCESS_VIOLATION;
    rtl_copy(String, digits + first, (SIZE_T)chars);
    if (chars < OutputLength)
        String[chars] = '\0';
    return STATUS_SUCCESS;
}
