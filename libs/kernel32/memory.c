/*
 * memory.c - virtual memory, heaps, and the Local/Global allocators.
 *
 * Why: Win32's memory functions are NT's with Win32 manners. Virtual* are
 * the virtual memory services on the current (or a named) process; heaps
 * are ntdll's RtlCreateHeap heaps (libs/rtl/heap.c), the process heap being
 * the one ntdll made at start-up (PEB->ProcessHeap). LocalAlloc and
 * GlobalAlloc are the 16-bit era's allocators: on NT both come from the
 * process heap, and a "moveable" block gets a handle that must be locked to
 * find the memory. Daytona hands out fixed memory for every request - the
 * handle is the address and locking it returns it - which programs that
 * follow the Lock/Unlock protocol cannot tell apart.
 */
#include "k32p.h"

#define LMEM_MOVEABLE 0x0002
#define LMEM_ZEROINIT 0x0040
#define HEAP_CREATE_ENABLE_EXECUTE 0x00040000

typedef struct _MEMORY_BASIC_INFORMATION {
    PVOID BaseAddress;
    PVOID AllocationBase;
    DWORD AllocationProtect;
    SIZE_T RegionSize;
    DWORD State;
    DWORD Protect;
    DWORD Type;
} MEMORY_BASIC_INFORMATION, *PMEMORY_BASIC_INFORMATION;

_Static_assert(sizeof(MEMORY_BASIC_INFORMATION) == 28, "Win32's MEMORY_BASIC_INFORMATION");

/* ---- virtual memory ---- */

LPVOID WINAPI VirtualAllocEx(HANDLE Process, LPVOID Address, SIZE_T Size, DWORD AllocationType,
                             DWORD Protect) {
    PVOID base = Address;
    SIZE_T size = Size;
    NTSTATUS status = NtAllocateVirtualMemory(Process, &base, 0, &size, AllocationType, Protect);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return NULL;
    }
    return base;
}

LPVOID WINAPI VirtualAlloc(LPVOID Address, SIZE_T Size, DWORD AllocationType, DWORD Protect) {
    return VirtualAllocEx(NtCurrentProcess(), Address, Size, AllocationType, Protect);
}

/* MEM_RELEASE frees the whole region: its size must be 0, as on NT. */
BOOL WINAPI VirtualFreeEx(HANDLE Process, LPVOID Address, SIZE_T Size, DWORD FreeType) {
    if ((FreeType & MEM_RELEASE) && Size != 0) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    PVOID base = Address;
    SIZE_T size = Size;
    NTSTATUS status = NtFreeVirtualMemory(Process, &base, &size, FreeType);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI VirtualFree(LPVOID Address, SIZE_T Size, DWORD FreeType) {
    return VirtualFreeEx(NtCurrentProcess(), Address, Size, FreeType);
}

BOOL WINAPI VirtualProtectEx(HANDLE Process, LPVOID Address, SIZE_T Size, DWORD NewProtect,
                             PDWORD OldProtect) {
    if (OldProtect == NULL) {
        SetLastError(ERROR_NOACCESS);
        return FALSE;
    }
    PVOID base = Address;
    SIZE_T size = Size;
    ULONG old = 0;
    NTSTATUS status = NtProtectVirtualMemory(Process, &base, &size, NewProtect, &old);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    *OldProtect = old;
    return TRUE;
}

BOOL WINAPI VirtualProtect(LPVOID Address, SIZE_T Size, DWORD NewProtect, PDWORD OldProtect) {
    return VirtualProtectEx(NtCurrentProcess(), Address, Size, NewProtect, OldProtect);
}

SIZE_T WINAPI VirtualQueryEx(HANDLE Process, LPCVOID Address, PMEMORY_BASIC_INFORMATION Buffer,
                             SIZE_T Length) {
    SIZE_T returned = 0;
    NTSTATUS status = NtQueryVirtualMemory(Process, (PVOID)Address, 0 /* MemoryBasicInformation */, Buffer,
                                           Length, &returned);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return 0;
    }
    return returned;
}

SIZE_T WINAPI VirtualQuery(LPCVOID Address, PMEMORY_BASIC_INFORMATION Buffer, SIZE_T Length) {
    return VirtualQueryEx(NtCurrentProcess(), Address, Buffer, Length);
}

/* Nothing pages out yet, so locking is always granted. */
BOOL WINAPI VirtualLock(LPVOID Address, SIZE_T Size) {
    (void)Address;
    (void)Size;
    return TRUE;
}

BOOL WINAPI VirtualUnlock(LPVOID Address, SIZE_T Size) {
    (void)Address;
    (void)Size;
    return TRUE;
}

/* ---- heaps ---- */

HANDLE WINAPI GetProcessHeap(VOID) {
    return BaseHeap;
}

/* Only the process heap is listed: kernel32 does not track the others. */
DWORD WINAPI GetProcessHeaps(DWORD NumberOfHeaps, PHANDLE ProcessHeaps) {
    if (NumberOfHeaps >= 1 && ProcessHeaps != NULL)
        ProcessHeaps[0] = BaseHeap;
    return 1;
}

/* MaximumSize 0 makes a growable heap; otherwise the heap is that big. */
HANDLE WINAPI HeapCreate(DWORD Options, SIZE_T InitialSize, SIZE_T MaximumSize) {
    ULONG flags = Options & (HEAP_NO_SERIALIZE | HEAP_GENERATE_EXCEPTIONS);
    SIZE_T reserve = MaximumSize;
    if (MaximumSize == 0)
        flags |= HEAP_GROWABLE;
    if (reserve != 0 && reserve < InitialSize)
        reserve = InitialSize;
    HANDLE heap = RtlCreateHeap(flags, NULL, reserve, InitialSize, NULL, NULL);
    if (heap == NULL)
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return heap;
}

BOOL WINAPI HeapDestroy(HANDLE Heap) {
    if (Heap == BaseHeap || RtlDestroyHeap(Heap) != NULL) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    return TRUE;
}

LPVOID WINAPI HeapAlloc(HANDLE Heap, DWORD Flags, SIZE_T Bytes) {
    return RtlAllocateHeap(Heap, Flags, Bytes);
}

LPVOID WINAPI HeapReAlloc(HANDLE Heap, DWORD Flags, LPVOID Memory, SIZE_T Bytes) {
    return RtlReAllocateHeap(Heap, Flags, Memory, Bytes);
}

BOOL WINAPI HeapFree(HANDLE Heap, DWORD Flags, LPVOID Memory) {
    if (RtlFreeHeap(Heap, Flags, Memory))
        return TRUE;
    SetLastError(ERROR_INVALID_PARAMETER);
    return FALSE;
}

SIZE_T WINAPI HeapSize(HANDLE Heap, DWORD Flags, LPCVOID Memory) {
    return RtlSizeHeap(Heap, Flags, (PVOID)Memory);
}

BOOL WINAPI HeapValidate(HANDLE Heap, DWORD Flags, LPCVOID Memory) {
    return RtlValidateHeap(Heap, Flags, (PVOID)Memory);
}

/* One-process heaps have nothing to compact: the largest free block is not
 * tracked, so this answers 0 as NT does for a heap with none. */
SIZE_T WINAPI HeapCompact(HANDLE Heap, DWORD Flags) {
    (void)Heap;
    (void)Flags;
    return 0;
}

/* ---- Local and Global ---- */

HLOCAL WINAPI LocalAlloc(UINT Flags, SIZE_T Bytes) {
    PVOID p = RtlAllocateHeap(BaseHeap, (Flags & LMEM_ZEROINIT) ? HEAP_ZERO_MEMORY : 0, Bytes);
    if (p == NULL)
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return p;
}

/* NULL on success; the handle when it is not a block. */
HLOCAL WINAPI LocalFree(HLOCAL Memory) {
    if (Memory == NULL || RtlFreeHeap(BaseHeap, 0, Memory))
        return NULL;
    SetLastError(ERROR_INVALID_HANDLE);
    return Memory;
}

HLOCAL WINAPI LocalReAlloc(HLOCAL Memory, SIZE_T Bytes, UINT Flags) {
    PVOID p = RtlReAllocateHeap(BaseHeap, (Flags & LMEM_ZEROINIT) ? HEAP_ZERO_MEMORY : 0, Memory, Bytes);
    if (p == NULL)
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return p;
}

SIZE_T WINAPI LocalSize(HLOCAL Memory) {
    SIZE_T n = RtlSizeHeap(BaseHeap, 0, Memory);
    return n == (SIZE_T)-1 ? 0 : n;
}

LPVOID WINAPI LocalLock(HLOCAL Memory) {
    return Memory;
}

BOOL WINAPI LocalUnlock(HLOCAL Memory) {
    (void)Memory;
    SetLastError(ERROR_NOT_LOCKED_FIXED);
    return FALSE;
}

HGLOBAL WINAPI GlobalAlloc(UINT Flags, SIZE_T Bytes) {
    return LocalAlloc(Flags, Bytes);
}

HGLOBAL WINAPI GlobalFree(HGLOBAL Memory) {
    return LocalFree(Memory);
}

HGLOBAL WINAPI GlobalReAlloc(HGLOBAL Memory, SIZE_T Bytes, UINT Flags) {
    return LocalReAlloc(Memory, Bytes, Flags);
}

SIZE_T WINAPI GlobalSize(HGLOBAL Memory) {
    return LocalSize(Memory);
}

LPVOID WINAPI GlobalLock(HGLOBAL Memory) {
    return Memory;
}

BOOL WINAPI GlobalUnlock(HGLOBAL Memory) {
    return LocalUnlock(Memory);
}
