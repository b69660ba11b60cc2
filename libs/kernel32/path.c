/*
 * path.c - Win32 path names to NT object names, and back.
 *
 * Why: a Win32 program names files as "C:\System32\smss.ini" or
 * "..\x.dll"; the object manager knows only "\??\C:\System32\smss.ini",
 * where \??\C: is a symbolic link smss makes to the boot volume. NT does the
 * translation in ntdll (RtlDosPathNameToNtPathName_U); Daytona's ntdll has
 * no such routine yet, so kernel32 does it here, with NT's rules: the
 * current directory completes relative and rooted names, "." and ".." are
 * resolved without climbing above the root, '/' is a separator, "\\?\"
 * passes a name through untouched. The reverse direction turns the NT names
 * the loader keeps ("\SystemRoot\System32\ntdll.dll") into the Win32 names
 * GetModuleFileName hands out.
 *
 * Pure: no allocation, no system calls; tests/unit/test_kernel32_pure.c
 * includes this file.
 */
#include "k32p.h"

#define IS_SEPARATOR(c) ((c) == u'\\' || (c) == u'/')
#define IS_LETTER(c) (((c) >= u'A' && (c) <= u'Z') || ((c) >= u'a' && (c) <= u'z'))

static WCHAR path_upcase(WCHAR C) {
    return (C >= u'a' && C <= u'z') ? (WCHAR)(C - u'a' + u'A') : C;
}

BASEP_PATH_TYPE BasepPathType(PCWSTR Path) {
    if (Path == NULL || Path[0] == 0)
        return BasepPathUnknown;
    if (IS_SEPARATOR(Path[0])) {
        if (!IS_SEPARATOR(Path[1]))
            return BasepPathRooted;
        if (Path[2] == u'.' || Path[2] == u'?') {
            if (IS_SEPARATOR(Path[3]))
                return BasepPathLocalDevice;
            if (Path[3] == 0)
                return BasepPathRootLocalDevice;
        }
        return BasepPathUncAbsolute;
    }
    if (IS_LETTER(Path[0]) && Path[1] == u':')
        return IS_SEPARATOR(Path[2]) ? BasepPathDriveAbsolute : BasepPathDriveRelative;
    return BasepPathRelative;
}

/* The output under construction: Buffer[0..Length) always ends with a
 * separator; nothing at or before Root is ever removed. */
typedef struct _PATH_BUILDER {
    PWSTR Buffer;
    ULONG Capacity;
    ULONG Length;
    ULONG Root;
    ULONG LastComponent;
    BOOLEAN Overflow;
} PATH_BUILDER;

static VOID put(PATH_BUILDER *B, WCHAR C) {
    if (B->Length + 1 >= B->Capacity) { /* the NUL needs room too */
        B->Overflow = TRUE;
        return;
    }
    B->Buffer[B->Length++] = C;
}

static VOID put_string(PATH_BUILDER *B, PCWSTR S, ULONG N) {
    for (ULONG i = 0; i < N; i++)
        put(B, S[i]);
}

/* Appends one component of N characters, resolving "." and "..". */
static VOID push_component(PATH_BUILDER *B, PCWSTR S, ULONG N) {
    if (N == 0 || (N == 1 && S[0] == u'.'))
        return;
    if (N == 2 && S[0] == u'.' && S[1] == u'.') {
        if (B->Length > B->Root) {
            B->Length--; /* the separator after the last component */
            while (B->Length > B->Root && B->Buffer[B->Length - 1] != u'\\')
                B->Length--;
        }
        return;
    }
    put_string(B, S, N);
    put(B, u'\\');
}

/* Appends every component of Path (up to its NUL). */
static VOID push_components(PATH_BUILDER *B, PCWSTR Path) {
    while (*Path != 0) {
        while (IS_SEPARATOR(*Path))
            Path++;
        PCWSTR start = Path;
        while (*Path != 0 && !IS_SEPARATOR(*Path))
            Path++;
        push_component(B, start, (ULONG)(Path - start));
    }
}

static BOOLEAN ends_with_separator(PCWSTR Path) {
    ULONG n = 0;
    while (Path[n] != 0)
        n++;
    return n > 0 && IS_SEPARATOR(Path[n - 1]);
}

NTSTATUS BasepDosPathToNtPath(PCWSTR DosPath, PCWSTR CurrentDirectory, PWSTR Buffer, ULONG Capacity,
                              PULONG FilePart) {
    static const WCHAR prefix[] = u"\\??\\";
    PATH_BUILDER b = {Buffer, Capacity, 0, 0, 0, FALSE};
    BASEP_PATH_TYPE type = BasepPathType(DosPath);
    PCWSTR current = CurrentDirectory;
    if (BasepPathType(current) != BasepPathDriveAbsolute)
        current = u"C:\\";
    if (Buffer == NULL || Capacity == 0)
        return STATUS_INVALID_PARAMETER;
    if (type == BasepPathUnknown || type == BasepPathRootLocalDevice)
        return STATUS_OBJECT_NAME_INVALID;

    put_string(&b, prefix, 4);
    BOOLEAN keep_trailing = ends_with_separator(DosPath);
    switch (type) {
    case BasepPathLocalDevice:
        if (DosPath[2] == u'?') { /* "\\?\x": the rest exactly as given */
            for (PCWSTR p = DosPath + 4; *p != 0; p++)
                put(&b, *p);
            if (b.Overflow)
                return STATUS_NAME_TOO_LONG;
            Buffer[b.Length] = 0;
            if (FilePart != NULL) {
                ULONG last = 4;
                for (ULONG i = 4; i < b.Length; i++)
                    if (Buffer[i] == u'\\')
                        last = i + 1;
                *FilePart = last;
            }
            return STATUS_SUCCESS;
        }
        b.Root = b.Length;
        push_components(&b, DosPath + 4);
        break;
    case BasepPathUncAbsolute:
        put_string(&b, u"UNC\\", 4);
        b.Root = b.Length;
        push_components(&b, DosPath + 2);
        break;
    case BasepPathDriveAbsolute:
        put(&b, path_upcase(DosPath[0]));
        put(&b, u':');
        put(&b, u'\\');
        b.Root = b.Length;
        push_components(&b, DosPath + 2);
        break;
    case BasepPathDriveRelative:
        put(&b, path_upcase(DosPath[0]));
        put(&b, u':');
        put(&b, u'\\');
        b.Root = b.Length;
        if (path_upcase(DosPath[0]) == path_upcase(current[0]))
            push_components(&b, current + 2);
        push_components(&b, DosPath + 2);
        break;
    case BasepPathRooted:
        put(&b, path_upcase(current[0]));
        put(&b, u':');
        put(&b, u'\\');
        b.Root = b.Length;
        push_components(&b, DosPath);
        break;
    case BasepPathRelative:
        put(&b, path_upcase(current[0]));
        put(&b, u':');
        put(&b, u'\\');
        b.Root = b.Length;
        push_components(&b, current + 2);
        push_components(&b, DosPath);
        break;
    default: return STATUS_OBJECT_NAME_INVALID;
    }
    if (b.Overflow)
        return STATUS_NAME_TOO_LONG;
    /* Every component was written with a separator after it: keep the last
     * one only for a root or when the caller wrote one. */
    if (b.Length > b.Root && !keep_trailing)
        b.Length--;
    Buffer[b.Length] = 0;
    if (FilePart != NULL) {
        ULONG last = b.Root;
        for (ULONG i = b.Root; i < b.Length; i++)
            if (Buffer[i] == u'\\' && i + 1 < b.Length)
                last = i + 1;
        *FilePart = last;
    }
    return STATUS_SUCCESS;
}

/* TRUE when the N characters at S are Prefix, without regard to case. */
static BOOLEAN has_prefix(PCWSTR S, ULONG N, PCWSTR Prefix) {
    ULONG i = 0;
    for (; Prefix[i] != 0; i++)
        if (i >= N || path_upcase(S[i]) != path_upcase(Prefix[i]))
            return FALSE;
    return TRUE;
}

ULONG BasepNtPathToDosPath(PCWSTR NtPath, ULONG NtLength, PCWSTR SystemRootDos, PWSTR Buffer,
                           ULONG Capacity) {
    PCWSTR head = NULL;
    ULONG skip = 0;
    if (has_prefix(NtPath, NtLength, u"\\??\\UNC\\")) {
        head = u"\\\\";
        skip = 8;
    } else if (has_prefix(NtPath, NtLength, u"\\??\\")) {
        skip = 4;
    } else if (has_prefix(NtPath, NtLength, u"\\SystemRoot\\")) {
        head = SystemRootDos;
        skip = 12;
    } else if (NtLength == 11 && has_prefix(NtPath, NtLength, u"\\SystemRoot")) {
        head = SystemRootDos;
        skip = 11;
    }
    ULONG n = 0;
    if (head != NULL)
        for (; head[0] != 0; head++, n++)
            if (n + 1 < Capacity)
                Buffer[n] = head[0];
    for (ULONG i = skip; i < NtLength; i++, n++)
        if (n + 1 < Capacity)
            Buffer[n] = NtPath[i];
    if (Capacity > 0)
        Buffer[n < Capacity ? n : Capacity - 1] = 0;
    return n;
}
