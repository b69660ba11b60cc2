/*
 * module.c - modules: GetModuleHandle, GetModuleFileName, LoadLibrary,
 * GetProcAddress, FreeLibrary.
 *
 * Why: these are ntdll's loader (LdrLoadDll, LdrGetDllHandle,
 * LdrGetProcedureAddress, LdrUnloadDll) seen through Win32 names. Two
 * translations happen here. A Win32 file name with a directory is made an
 * NT name - except when the directory is System32, where the loader looks
 * for DLLs anyway: then only the base name is passed, so
 * "C:\System32\ntdll.dll" finds the ntdll already loaded rather than
 * mapping a second copy under another name. And the NT names the loader
 * keeps ("\SystemRoot\System32\kernel32.dll") are shown to programs as the
 * Win32 names they open files with ("C:\System32\kernel32.dll").
 */
#include "k32p.h"

#define LOAD_LIBRARY_AS_DATAFILE 0x00000002

/* The loader's name for a module a program named Name: a base name stays
 * as it is, a name in System32 loses its directory, anything else becomes
 * an NT name. Buffer (if used) is heap memory the caller frees. */
static BOOL loader_name(LPCWSTR Name, PUNICODE_STRING Out, PWSTR *Buffer) {
    *Buffer = NULL;
    BOOLEAN has_path = FALSE;
    ULONG base = 0, n = 0;
    for (; Name[n] != 0; n++) {
        if (Name[n] == u'\\' || Name[n] == u'/' || Name[n] == u':') {
            has_path = TRUE;
            base = n + 1;
        }
    }
    if (!has_path) {
        RtlInitUnicodeString(Out, Name);
        return TRUE;
    }
    UNICODE_STRING nt;
    if (!BasepDosToNtName(Name, &nt))
        return FALSE;
    /* "\??\C:\System32\" + base? */
    static const WCHAR system[] = L"\\??\\C:\\System32\\";
    ULONG sys = ARRAYSIZE(system) - 1, len = nt.Length / sizeof(WCHAR);
    BOOLEAN in_system = len > sys;
    for (ULONG i = 0; in_system && i < sys; i++)
        in_system = RtlUpcaseUnicodeChar(nt.Buffer[i]) == RtlUpcaseUnicodeChar(system[i]);
    for (ULONG i = sys; in_system && i < len; i++)
        in_system = nt.Buffer[i] != u'\\';
    if (in_system) {
        RtlFreeHeap(BaseHeap, 0, nt.Buffer);
        RtlInitUnicodeString(Out, Name + base);
        return TRUE;
    }
    *Out = nt;
    *Buffer = nt.Buffer;
    return TRUE;
}

/* LdrLoadDll or LdrGetDllHandle with a Win32 module name: the module, or
 * NULL with the last error set. */
typedef NTSTATUS(NTAPI *LOADER_BY_NAME)(PWSTR DllPath, PULONG DllCharacteristics, PUNICODE_STRING DllName,
                                        PVOID *DllHandle);
static HMODULE ask_loader(LOADER_BY_NAME Loader, PCWSTR Name) {
    UNICODE_STRING name;
    PWSTR buffer;
    if (!loader_name(Name, &name, &buffer))
        return NULL;
    PVOID handle = NULL;
    NTSTATUS status = Loader(NULL, NULL, &name, &handle);
    if (buffer != NULL)
        RtlFreeHeap(BaseHeap, 0, buffer);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return NULL;
    }
    return handle;
}

HMODULE WINAPI LoadLibraryExW(LPCWSTR FileName, HANDLE File, DWORD Flags) {
    (void)File;
    if (FileName == NULL || FileName[0] == 0 || (Flags & LOAD_LIBRARY_AS_DATAFILE)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return ask_loader(LdrLoadDll, FileName);
}

HMODULE WINAPI LoadLibraryW(LPCWSTR FileName) {
    return LoadLibraryExW(FileName, NULL, 0);
}

HMODULE WINAPI LoadLibraryExA(LPCSTR FileName, HANDLE File, DWORD Flags) {
    WCHAR wide[MAX_PATH + 1];
    if (FileName == NULL || !BasepAnsiToWide(FileName, wide, ARRAYSIZE(wide))) {
        SetLastError(FileName == NULL ? ERROR_INVALID_PARAMETER : ERROR_FILENAME_EXCED_RANGE);
        return NULL;
    }
    return LoadLibraryExW(wide, File, Flags);
}

HMODULE WINAPI LoadLibraryA(LPCSTR FileName) {
    return LoadLibraryExA(FileName, NULL, 0);
}

HMODULE WINAPI GetModuleHandleW(LPCWSTR ModuleName) {
    if (ModuleName == NULL)
        return NtCurrentPeb()->ImageBaseAddress;
    return ask_loader(LdrGetDllHandle, ModuleName);
}

HMODULE WINAPI GetModuleHandleA(LPCSTR ModuleName) {
    WCHAR wide[MAX_PATH + 1];
    if (ModuleName == NULL)
        return NtCurrentPeb()->ImageBaseAddress;
    if (!BasepAnsiToWide(ModuleName, wide, ARRAYSIZE(wide))) {
        SetLastError(ERROR_FILENAME_EXCED_RANGE);
        return NULL;
    }
    return GetModuleHandleW(wide);
}

FARPROC WINAPI GetProcAddress(HMODULE Module, LPCSTR ProcName) {
    PVOID address = NULL;
    NTSTATUS status;
    if (Module == NULL)
        Module = NtCurrentPeb()->ImageBaseAddress;
    if ((ULONG_PTR)ProcName <= 0xFFFF) {
        status = LdrGetProcedureAddress(Module, NULL, (ULONG)(ULONG_PTR)ProcName, &address);
    } else {
        ANSI_STRING name;
        RtlInitAnsiString(&name, ProcName);
        status = LdrGetProcedureAddress(Module, &name, 0, &address);
    }
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return NULL;
    }
    return (FARPROC)address;
}

BOOL WINAPI FreeLibrary(HMODULE Module) {
    NTSTATUS status = LdrUnloadDll(Module);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

VOID WINAPI FreeLibraryAndExitThread(HMODULE Module, DWORD ExitCode) __attribute__((noreturn));
VOID WINAPI ExitThread(DWORD ExitCode) __attribute__((noreturn));

VOID WINAPI FreeLibraryAndExitThread(HMODULE Module, DWORD ExitCode) {
    (void)LdrUnloadDll(Module);
    ExitThread(ExitCode);
}

BOOL WINAPI DisableThreadLibraryCalls(HMODULE Module) {
    NTSTATUS status = LdrDisableThreadCalloutsForDll(Module);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

/* The Win32 name of the module at Module (NULL: the program) in Buffer,
 * cut to Size characters with its NUL. Returns the characters written
 * without the NUL; when the name was cut, Size and ERROR_INSUFFICIENT_BUFFER. */
DWORD WINAPI GetModuleFileNameW(HMODULE Module, LPWSTR Buffer, DWORD Size) {
    PPEB peb = NtCurrentPeb();
    if (Module == NULL)
        Module = peb->ImageBaseAddress;
    PLDR_DATA_TABLE_ENTRY found = NULL;
    PRTL_CRITICAL_SECTION lock = peb->LoaderLock;
    if (lock != NULL)
        (void)RtlEnterCriticalSection(lock);
    PPEB_LDR_DATA ldr = peb->Ldr;
    if (ldr != NULL) {
        for (PLIST_ENTRY e = ldr->InLoadOrderModuleList.Flink; e != &ldr->InLoadOrderModuleList;
             e = e->Flink) {
            PLDR_DATA_TABLE_ENTRY entry = CONTAINING_RECORD(e, LDR_DATA_TABLE_ENTRY, InLoadOrderLinks);
            if (entry->DllBase == Module) {
                found = entry;
                break;
            }
        }
    }
    DWORD result = 0;
    if (found == NULL) {
        SetLastError(ERROR_MOD_NOT_FOUND);
    } else if (Size == 0 || Buffer == NULL) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
    } else {
        ULONG n = BasepNtPathToDosPath(found->FullDllName.Buffer, found->FullDllName.Length / sizeof(WCHAR),
                                       BASEP_WINDOWS_DIRECTORY, Buffer, Size);
        if (n >= Size) {
            SetLastError(ERROR_INSUFFICIENT_BUFFER);
            result = Size;
        } else {
            result = n;
        }
    }
    if (lock != NULL)
        (void)RtlLeaveCriticalSection(lock);
    return result;
}

DWORD WINAPI GetModuleFileNameA(HMODULE Module, LPSTR Buffer, DWORD Size) {
    WCHAR wide[MAX_PATH + 1];
    DWORD n = GetModuleFileNameW(Module, wide, ARRAYSIZE(wide));
    if (n == 0)
        return 0;
    if (Size == 0 || Buffer == NULL) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    DWORD copy = n < Size ? n : Size - 1;
    WideCharToMultiByte(CP_ACP, 0, wide, (int)copy, Buffer, (int)Size, NULL, NULL);
    Buffer[copy] = 0;
    if (copy < n) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return Size;
    }
    return n;
}
