/*
 * env.c - the environment: Get/SetEnvironmentVariable and the block
 * GetEnvironmentStrings hands out.
 *
 * Why: NT keeps the environment in one block, linked from the process
 * parameters (ProcessParameters->Environment), which is what CreateProcess
 * copies into a child. kernel32 changes it as NT's RtlSetEnvironmentVariable
 * does: it builds a new block with the change (envblk.c) and swaps the
 * pointer, under kernel32's lock, freeing the old block when kernel32 made
 * it (the first one came with the process). GetEnvironmentStrings returns a
 * copy, so a program reading it is not disturbed by another thread setting
 * a variable; FreeEnvironmentStrings frees that copy.
 */
#include "k32p.h"

static PWSTR BasepOwnedEnvironment; /* the block kernel32 allocated, if the current one is */

static PCWSTR current_block(VOID) {
    static const WCHAR empty[2] = {0, 0};
    PRTL_USER_PROCESS_PARAMETERS pp = NtCurrentPeb()->ProcessParameters;
    return (pp != NULL && pp->Environment != NULL) ? pp->Environment : empty;
}

VOID BasepInitializeEnvironment(VOID) {
    BasepOwnedEnvironment = NULL;
}

/* A copy of the block with one extra NUL, so even an empty one ends "\0\0". */
LPWSTR WINAPI GetEnvironmentStringsW(VOID) {
    RtlEnterCriticalSection(&BaseDllLock);
    PCWSTR block = current_block();
    ULONG n = BasepEnvironmentSize(block);
    PWSTR copy = RtlAllocateHeap(BaseHeap, 0, (n + 1) * sizeof(WCHAR));
    if (copy != NULL) {
        __builtin_memcpy(copy, block, n * sizeof(WCHAR));
        copy[n] = 0;
    }
    RtlLeaveCriticalSection(&BaseDllLock);
    if (copy == NULL)
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return copy;
}

LPSTR WINAPI GetEnvironmentStringsA(VOID) {
    PWSTR wide = GetEnvironmentStringsW();
    if (wide == NULL)
        return NULL;
    ULONG n = BasepEnvironmentSize(wide) + 1;
    LPSTR ansi = RtlAllocateHeap(BaseHeap, 0, n);
    if (ansi != NULL) {
        WideCharToMultiByte(CP_ACP, 0, wide, (int)n, ansi, (int)n, NULL, NULL);
        ansi[n - 1] = 0;
    } else {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    }
    RtlFreeHeap(BaseHeap, 0, wide);
    return ansi;
}

BOOL WINAPI FreeEnvironmentStringsW(LPWSTR Block) {
    return RtlFreeHeap(BaseHeap, 0, Block);
}

BOOL WINAPI FreeEnvironmentStringsA(LPSTR Block) {
    return RtlFreeHeap(BaseHeap, 0, Block);
}

DWORD WINAPI GetEnvironmentVariableW(LPCWSTR Name, LPWSTR Buffer, DWORD Size) {
    DWORD result = 0;
    RtlEnterCriticalSection(&BaseDllLock);
    ULONG length = 0;
    PCWSTR value = BasepEnvironmentFind(current_block(), Name, &length);
    if (value == NULL) {
        SetLastError(ERROR_ENVVAR_NOT_FOUND);
    } else if (Buffer != NULL && Size > length) {
        for (ULONG i = 0; i < length; i++)
            Buffer[i] = value[i];
        Buffer[length] = 0;
        result = length;
    } else {
        result = length + 1;
    }
    RtlLeaveCriticalSection(&BaseDllLock);
    return result;
}

DWORD WINAPI GetEnvironmentVariableA(LPCSTR Name, LPSTR Buffer, DWORD Size) {
    WCHAR name[MAX_PATH + 1];
    if (Name == NULL || !BasepAnsiToWide(Name, name, ARRAYSIZE(name))) {
        SetLastError(ERROR_ENVVAR_NOT_FOUND);
        return 0;
    }
    DWORD n = GetEnvironmentVariableW(name, NULL, 0);
    if (n == 0)
        return 0;
    PWSTR value = RtlAllocateHeap(BaseHeap, 0, n * sizeof(WCHAR));
    if (value == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    DWORD result = 0;
    DWORD got = GetEnvironmentVariableW(name, value, n);
    if (got < n) {
        int bytes = WideCharToMultiByte(CP_ACP, 0, value, (int)got + 1, NULL, 0, NULL, NULL);
        if (Buffer != NULL && Size >= (DWORD)bytes) {
            WideCharToMultiByte(CP_ACP, 0, value, (int)got + 1, Buffer, (int)Size, NULL, NULL);
            result = (DWORD)bytes - 1;
        } else {
            result = (DWORD)bytes;
        }
    }
    RtlFreeHeap(BaseHeap, 0, value);
    return result;
}

/* Value NULL removes Name. */
BOOL WINAPI SetEnvironmentVariableW(LPCWSTR Name, LPCWSTR Value) {
    if (Name == NULL || Name[0] == 0) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    ULONG name_length = 0, value_length = 0;
    while (Name[name_length] != 0)
        name_length++;
    while (Value != NULL && Value[value_length] != 0)
        value_length++;
    BOOL ok = FALSE;
    RtlEnterCriticalSection(&BaseDllLock);
    PCWSTR old = current_block();
    ULONG capacity = BasepEnvironmentSize(old) + name_length + value_length + 4;
    PWSTR block = RtlAllocateHeap(BaseHeap, 0, capacity * sizeof(WCHAR));
    if (block == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    } else if (BasepEnvironmentSet(old, Name, Value, block, capacity) == 0) {
        RtlFreeHeap(BaseHeap, 0, block);
        SetLastError(ERROR_INVALID_PARAMETER);
    } else {
        PRTL_USER_PROCESS_PARAMETERS pp = NtCurrentPeb()->ProcessParameters;
        if (pp != NULL) {
            pp->Environment = block;
            if (BasepOwnedEnvironment != NULL)
                RtlFreeHeap(BaseHeap, 0, BasepOwnedEnvironment);
            BasepOwnedEnvironment = block;
            ok = TRUE;
        } else {
            RtlFreeHeap(BaseHeap, 0, block);
            SetLastError(ERROR_INVALID_PARAMETER);
        }
    }
    RtlLeaveCriticalSection(&BaseDllLock);
    return ok;
}

BOOL WINAPI SetEnvironmentVariableA(LPCSTR Name, LPCSTR Value) {
    WCHAR name[MAX_PATH + 1];
    if (Name == NULL || !BasepAnsiToWide(Name, name, ARRAYSIZE(name))) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (Value == NULL)
        return SetEnvironmentVariableW(name, NULL);
    int n = MultiByteToWideChar(CP_ACP, 0, Value, -1, NULL, 0);
    PWSTR value = n > 0 ? RtlAllocateHeap(BaseHeap, 0, (SIZE_T)n * sizeof(WCHAR)) : NULL;
    if (value == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    MultiByteToWideChar(CP_ACP, 0, Value, -1, value, n);
    BOOL ok = SetEnvironmentVariableW(name, value);
    RtlFreeHeap(BaseHeap, 0, value);
    return ok;
}
