/*
 * mmtypes.h - user address spaces: VADs, sections and their constants.
 *
 * Why: NT describes each process's user space with VADs (virtual address
 * descriptors): one per reserved range, saying what backs it (private
 * demand-zero pages, or a view of a section) and, per page, whether it is
 * committed and with what protection. Page tables are only a cache of that:
 * a page fault consults the VAD and fills the PTE. A section is a set of
 * shared "prototype" pages that any number of views map; an image section's
 * pages hold a PE file laid out as it runs.
 */
#ifndef KERNEL_MMTYPES_H
#define KERNEL_MMTYPES_H

#include <nt/list.h>
#include <nt/ntstatus.h>
#include <nt/rtlimage.h>

/* Win32 page protections (NT's values). */
#define PAGE_NOACCESS          0x01
#define PAGE_READONLY          0x02
#define PAGE_READWRITE         0x04
#define PAGE_WRITECOPY         0x08
#define PAGE_EXECUTE           0x10
#define PAGE_EXECUTE_READ      0x20
#define PAGE_EXECUTE_READWRITE 0x40
#define PAGE_EXECUTE_WRITECOPY 0x80
#define PAGE_GUARD             0x100
#define PAGE_NOCACHE           0x200

#define MEM_COMMIT   0x1000
#define MEM_RESERVE  0x2000
#define MEM_DECOMMIT 0x4000
#define MEM_RELEASE  0x8000
#define MEM_FREE     0x10000
#define MEM_PRIVATE  0x20000
#define MEM_MAPPED   0x40000
#define MEM_TOP_DOWN 0x100000
#define MEM_IMAGE    0x1000000

#define SEC_IMAGE    0x1000000
#define SEC_RESERVE  0x4000000
#define SEC_COMMIT   0x8000000

#define MM_ALLOCATION_GRANULARITY 0x10000 /* 64 KiB, as on NT */
#define MM_LOWEST_USER_ADDRESS    0x00010000u
#define MM_HIGHEST_VAD_ADDRESS    0x7FFE0000u /* PEB and TEBs sit just below */
#define MM_AUTOMATIC_VAD_CEILING  0x7FF00000u /* the top 1 MiB is for the PEB and TEBs */
#define MM_SHARED_USER_DATA       0x7FFE0000u
#define MM_MAX_REGION_PAGES       (512u * 256u) /* 512 MiB in one VAD */

/* Per-page state kept in a VAD: the protection in the low bits, and flags. */
#define MM_PAGE_COMMITTED 0x8000
#define MM_PAGE_PROTECT_MASK 0x03FF

typedef enum _MM_VAD_TYPE { VadPrivate = 0, VadMapped = 1, VadImage = 2 } MM_VAD_TYPE;

struct _SECTION;

typedef struct _MMVAD {
    LIST_ENTRY Links;          /* on the process's VadListHead, by address */
    ULONG_PTR StartingVa;
    ULONG_PTR EndingVa;        /* exclusive */
    MM_VAD_TYPE Type;
    ULONG InitialProtect;
    struct _SECTION *Section;  /* referenced, for mapped and image views */
    ULONG SectionFirstPage;    /* which section page the view starts at */
    USHORT PageState[];        /* one per page: protection | MM_PAGE_COMMITTED */
} MMVAD, *PMMVAD;

typedef struct _SECTION {
    ULONG PageCount;
    ULONGLONG MaximumSize;     /* bytes, as asked */
    ULONG Protect;             /* page protection the section allows */
    ULONG AllocationAttributes;
    BOOLEAN IsImage;
    BOOLEAN IsPhysical;        /* Pages are device memory (the framebuffer): never freed */
    CHAR ImageFileName[16];    /* image sections: the file's base name */
    PE_IMAGE_INFO Image;       /* image sections: what the PE headers said */
    USHORT *ImagePageProtect;  /* image sections: protection of each page */
    ULONG *Pages;              /* prototype PFNs; 0 = not yet materialized (demand zero) */
} SECTION, *PSECTION;

#endif
