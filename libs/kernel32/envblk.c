/*
 * envblk.c - reading and rewriting an NT environment block.
 *
 * Why: a process's environment is one block of "NAME=value\0" strings
 * ended by an empty string, which PEB->ProcessParameters->Environment
 * points at and CreateProcess copies into a child. GetEnvironmentVariable
 * searches it and SetEnvironmentVariable builds a new block with one entry
 * changed, as NT's RtlSetEnvironmentVariable does. Names compare without
 * regard to case; a name may begin with '=' (NT keeps "=C:=C:\dir" there),
 * so the separator is the first '=' after the first character.
 *
 * Pure: tests/unit/test_kernel32_pure.c includes this file.
 */
#include "k32p.h"

static WCHAR env_upcase(WCHAR C) {
    return (C >= u'a' && C <= u'z') ? (WCHAR)(C - u'a' + u'A') : C;
}

/* Length of the entry's name (to its separating '='), or of the whole
 * entry when it has none. */
static ULONG name_length(PCWSTR Entry) {
    ULONG n = Entry[0] != 0 ? 1 : 0;
    while (Entry[n] != 0 && Entry[n] != u'=')
        n++;
    return n;
}

static ULONG string_length(PCWSTR S) {
    ULONG n = 0;
    while (S[n] != 0)
        n++;
    return n;
}

static BOOLEAN same_name(PCWSTR Entry, ULONG EntryNameLength, PCWSTR Name, ULONG NameLength) {
    if (EntryNameLength != NameLength)
        return FALSE;
    for (ULONG i = 0; i < NameLength; i++)
        if (env_upcase(Entry[i]) != env_upcase(Name[i]))
            return FALSE;
    return TRUE;
}

PCWSTR BasepEnvironmentFind(PCWSTR Block, PCWSTR Name, PULONG ValueLength) {
    if (Block == NULL || Name == NULL || Name[0] == 0)
        return NULL;
    ULONG wanted = string_length(Name);
    for (PCWSTR e = Block; *e != 0; e += string_length(e) + 1) {
        ULONG n = name_length(e);
        if (e[n] == u'=' && same_name(e, n, Name, wanted)) {
            PCWSTR value = e + n + 1;
            *ValueLength = string_length(value);
            return value;
        }
    }
    return NULL;
}

ULONG BasepEnvironmentSize(PCWSTR Block) {
    if (Block == NULL)
        return 0;
    PCWSTR e = Block;
    while (*e != 0)
        e += string_length(e) + 1;
    return (ULONG)(e - Block) + 1;
}

ULONG BasepEnvironmentSet(PCWSTR Block, PCWSTR Name, PCWSTR Value, PWSTR NewBlock, ULONG Capacity) {
    if (Name == NULL || Name[0] == 0)
        return 0;
    ULONG name_len = string_length(Name);
    for (ULONG i = 1; i < name_len; i++)
        if (Name[i] == u'=')
            return 0;
    ULONG out = 0;
    BOOLEAN placed = FALSE;
    /* Copies N characters, failing when they (and a final NUL) do not fit. */
#define COPY(S, N)                                                                                           \
    do {                                                                                                     \
        if (out + (N) + 1 > Capacity)                                                                        \
            return 0;                                                                                        \
        for (ULONG k_ = 0; k_ < (N); k_++)                                                                   \
            NewBlock[out++] = (S)[k_];                                                                       \
    } while (0)
    static const WCHAR equals[1] = {u'='}, nul[1] = {0};
    for (PCWSTR e = Block ? Block : nul; *e != 0; e += string_length(e) + 1) {
        ULONG len = string_length(e);
        ULONG n = name_length(e);
        if (e[n] == u'=' && same_name(e, n, Name, name_len)) {
            if (Value != NULL && !placed) {
                COPY(Name, name_len);
                COPY(equals, 1);
                COPY(Value, string_length(Value));
                COPY(nul, 1);
                placed = TRUE;
            }
            continue;
        }
        COPY(e, len + 1);
    }
    if (Value != NULL && !placed) {
        COPY(Name, name_len);
        COPY(equals, 1);
        COPY(Value, string_length(Value));
        COPY(nul, 1);
    }
    if (out == 0) { /* an empty block is still two NULs: an empty string, then the end */
        COPY(nul, 1);
    }
#undef COPY
    if (out + 1 > Capacity)
        return 0;
    NewBlock[out++] = 0;
    return out;
}
