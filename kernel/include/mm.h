/*
 * mm.h - the memory manager's public face: physical pages, the kernel's
 * address space and the system PTE range.
 *
 * Why: NT's layout (DESIGN.md §4). Kernel space starts at 0x80000000 (KSEG0,
 * where physical 0-16 MiB is mapped at boot), the page tables are self-mapped
 * at PTE_BASE 0xC0000000, and mappings the kernel makes for itself (pool,
 * the framebuffer, the system image) come from a range of system PTEs whose
 * page tables are preallocated, so every future address space can share them.
 */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include <nt/ntstatus.h>
#include "arc.h"
#include "mmtypes.h"

typedef ULONG PFN_NUMBER;

#define KSEG0_BASE        0x80000000u
#define MM_KSEG0_MAPPED   0x01000000u /* 16 MiB mapped at KSEG0 by boot/entry.asm */
#define PTE_BASE          0xC0000000u
#define PDE_BASE          0xC0300000u
#define MM_SYSTEM_PTE_BASE 0xD0000000u
#define MM_SYSTEM_PTE_END  0xE0000000u /* 256 MiB of system mappings */
#define MM_MAX_PFN        (1u << 20)   /* 4 GiB of 4 KiB frames: no PAE */
#define MM_LOW_MEMORY_END 0x00100000u  /* below 1 MiB: BIOS, real-mode data */

#define MiGetPdeAddress(va) ((volatile ULONG *)(PDE_BASE + (((ULONG)(va) >> 22) << 2)))
#define MiGetPteAddress(va) ((volatile ULONG *)(PTE_BASE + (((ULONG)(va) >> 12) << 2)))

typedef struct _PHYSICAL_RANGE {
    ULONGLONG Start; /* bytes */
    ULONGLONG End;   /* bytes, exclusive */
} PHYSICAL_RANGE;

/* Physical page allocator (pfn.c): available ranges are rounded inwards and
 * reserved ranges outwards to whole pages; page 0 is never handed out. */
NT_CHECK_RESULT NTSTATUS MmInitializePhysicalMemory(const PHYSICAL_RANGE *Available, ULONG AvailableCount,
                                                    const PHYSICAL_RANGE *Reserved, ULONG ReservedCount);
NT_CHECK_RESULT NTSTATUS MmAllocatePhysicalPage(PFN_NUMBER *Pfn);
/* Bug-checks PFN_LIST_CORRUPT on a page that is free already or not RAM. */
VOID MmFreePhysicalPage(PFN_NUMBER Pfn);
ULONG MmNumberOfFreePages(VOID);
ULONG MmNumberOfPhysicalPages(VOID);
BOOLEAN MmIsPhysicalPageFree(PFN_NUMBER Pfn);

/* System PTEs (syspte.c): page-granular ranges of kernel virtual space. */
VOID MiInitializeSystemPtes(VOID);
NT_CHECK_RESULT NTSTATUS MiReserveSystemPtes(ULONG Pages, ULONG_PTR *Va);
VOID MiReleaseSystemPtes(ULONG_PTR Va, ULONG Pages);
ULONG MiFreeSystemPtes(VOID);

/* Page tables (paging.c). */
VOID MiMapPage(ULONG_PTR Va, PFN_NUMBER Pfn, ULONG Protection);
VOID MiUnmapPage(ULONG_PTR Va);
BOOLEAN MmIsAddressValid(const volatile void *Va);
PFN_NUMBER MiGetPfnOfAddress(ULONG_PTR Va);
/* Maps physical [Phys, Phys+Size) into system space; NULL when out of PTEs. */
PVOID MmMapIoSpace(ULONGLONG Phys, SIZE_T Size);
VOID MmUnmapIoSpace(PVOID Va, SIZE_T Size);
/* Drops the boot identity map and makes the page under the boot stack a
 * guard page, so a kernel stack overflow ends on the STOP screen. */
VOID MiFinishBootMappings(VOID);

/* Whole pages for the pool (poolpages.c): reserved, backed and mapped. */
PVOID MiAllocatePoolPages(ULONG Pages);
VOID MiFreePoolPages(PVOID Va, ULONG Pages);

/* Kernel stacks (kstack.c): Pages mapped pages under StackBase, an unmapped
 * guard page below StackLimit. */
NT_CHECK_RESULT NTSTATUS MmCreateKernelStack(ULONG Pages, ULONG_PTR *StackBase, ULONG_PTR *StackLimit);
VOID MmDeleteKernelStack(ULONG_PTR StackBase, ULONG Pages);

/* ---- user address spaces (addrspace.c, vad.c, fault.c, section.c, virtual.c) ---- */

struct _EPROCESS;
extern struct _OBJECT_TYPE *MmSectionObjectType;
extern ULONG MmFaultsResolved;

VOID MiInitializeHyperspace(VOID);
NT_CHECK_RESULT NTSTATUS MmInitializeSections(VOID);
NT_CHECK_RESULT NTSTATUS MmCreateProcessPageDirectory(ULONG *DirectoryTableBase);
VOID MmDeleteProcessPageDirectory(ULONG DirectoryTableBase);
/* Releases every VAD and user page table of Process (attaching if needed). */
VOID MmCleanProcessAddressSpace(struct _EPROCESS *Process);
/* Resolves a fault on a user address in the current address space; any
 * failure means the access was not allowed. */
NT_CHECK_RESULT NTSTATUS MmAccessFault(ULONG_PTR Va, BOOLEAN Write);
NT_CHECK_RESULT NTSTATUS MmCreatePagefileSection(ULONGLONG Bytes, ULONG Protect, ULONG Attributes, PSECTION *Section);
/* A section over device memory (Bytes from page-aligned PhysicalAddress):
 * its views map those pages, which are never freed. */
NT_CHECK_RESULT NTSTATUS MmCreatePhysicalSection(ULONGLONG PhysicalAddress, ULONGLONG Bytes, PSECTION *Section);
/* Validates a PE file and builds an image section from its bytes. */
NT_CHECK_RESULT NTSTATUS MmCreateImageSection(const VOID *File, SIZE_T FileSize, PSECTION *Section);
/* Maps Section into Process. *BaseAddress NULL: the image base, or any free
 * place (STATUS_IMAGE_NOT_AT_BASE for an image that had to move). */
NT_CHECK_RESULT NTSTATUS MmMapViewOfSection(PSECTION Section, struct _EPROCESS *Process, PVOID *BaseAddress,
                                            ULONG OffsetPages, SIZE_T *ViewSize, ULONG Protect, BOOLEAN TopDown);
NT_CHECK_RESULT NTSTATUS MmUnmapViewOfSection(struct _EPROCESS *Process, ULONG_PTR BaseAddress);
/* The whole of a (non-image) section in system space, its pages made now. */
NT_CHECK_RESULT NTSTATUS MmMapViewInSystemSpace(PSECTION Section, PVOID *MappedBase, SIZE_T *ViewSize);
VOID MmUnmapViewInSystemSpace(PSECTION Section, PVOID MappedBase);
/* Reserves (and optionally commits) user memory in Process from kernel code. */
NT_CHECK_RESULT NTSTATUS MmAllocateVirtualMemory(struct _EPROCESS *Process, ULONG_PTR *Base, SIZE_T *Size,
                                                 ULONG AllocationType, ULONG Protect);
/* Copies between the current address space's caller buffer and Process's
 * user memory through a kernel bounce buffer; faults are failures. */
NT_CHECK_RESULT NTSTATUS MmCopyVirtualMemory(struct _EPROCESS *FromProcess, const VOID *From,
                                             struct _EPROCESS *ToProcess, PVOID To, SIZE_T Length,
                                             SIZE_T *Copied);

NT_CHECK_RESULT NTSTATUS MmCreatePebOrTeb(struct _EPROCESS *Process, ULONG_PTR Va, ULONG Pages);
NT_CHECK_RESULT NTSTATUS MmWriteProcessMemory(struct _EPROCESS *Process, PVOID To, const VOID *From, SIZE_T Length);

/* Phase-0 initialisation from the loader block (mminit.c). */
NT_CHECK_RESULT NTSTATUS MmInitSystem(PLOADER_PARAMETER_BLOCK LoaderBlock, ULONG MbiPhys, ULONG MbiSize);

#endif
