/*
 * arc.h - the LOADER_PARAMETER_BLOCK: what the boot loader told the kernel.
 *
 * Why: on NT, ntldr hands the kernel a LOADER_PARAMETER_BLOCK. Here GRUB hands
 * us a multiboot2 information structure instead; KiParseMultiboot2 checks it
 * tag by tag and copies what the kernel needs into this block, so nothing after
 * phase 0 ever reads loader memory again. The parser is pure code, so the host
 * unit tests can feed it malformed tags.
 */
#ifndef KERNEL_ARC_H
#define KERNEL_ARC_H

#include <nt/ntstatus.h>

#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36D76289u

/* Multiboot2 tag types (multiboot2 specification, 3.6). */
#define MB2_TAG_END          0
#define MB2_TAG_CMDLINE      1
#define MB2_TAG_LOADER_NAME  2
#define MB2_TAG_MODULE       3
#define MB2_TAG_BASIC_MEMINFO 4
#define MB2_TAG_BOOTDEV      5
#define MB2_TAG_MMAP         6
#define MB2_TAG_FRAMEBUFFER  8
#define MB2_TAG_ACPI_OLD     14
#define MB2_TAG_ACPI_NEW     15

/* Memory map entry types (multiboot2 specification, 3.6.8). */
#define MB2_MEMORY_AVAILABLE        1
#define MB2_MEMORY_RESERVED         2
#define MB2_MEMORY_ACPI_RECLAIMABLE 3
#define MB2_MEMORY_NVS              4
#define MB2_MEMORY_BADRAM           5

#define MB2_FRAMEBUFFER_INDEXED  0
#define MB2_FRAMEBUFFER_RGB      1
#define MB2_FRAMEBUFFER_EGA_TEXT 2

#define LOADER_MAX_MEMORY_DESCRIPTORS 64
#define LOADER_MAX_MODULES 8
#define LOADER_MAX_STRING 256

typedef struct _MEMORY_DESCRIPTOR {
    ULONGLONG BasePage; /* physical address, bytes */
    ULONGLONG Length;   /* bytes */
    ULONG Type;         /* MB2_MEMORY_* */
} MEMORY_DESCRIPTOR;

typedef struct _BOOT_MODULE {
    ULONG Start; /* physical, inclusive */
    ULONG End;   /* physical, exclusive */
    CHAR Name[64];
} BOOT_MODULE;

typedef struct _FRAMEBUFFER_INFO {
    BOOLEAN Present;
    UCHAR Type; /* MB2_FRAMEBUFFER_* */
    UCHAR Bpp;
    ULONGLONG PhysicalAddress;
    ULONG Pitch, Width, Height;
    UCHAR RedPosition, RedSize, GreenPosition, GreenSize, BluePosition, BlueSize;
} FRAMEBUFFER_INFO;

typedef struct _LOADER_PARAMETER_BLOCK {
    CHAR CommandLine[LOADER_MAX_STRING];
    CHAR LoaderName[64];
    ULONG MemoryDescriptorCount;
    MEMORY_DESCRIPTOR MemoryDescriptors[LOADER_MAX_MEMORY_DESCRIPTORS];
    ULONG ModuleCount;
    BOOT_MODULE Modules[LOADER_MAX_MODULES];
    FRAMEBUFFER_INFO Framebuffer;
    BOOLEAN HasBasicMemInfo;
    ULONG MemLowerKb, MemUpperKb;
    BOOLEAN HasAcpiRsdp;
    ULONG DroppedEntries; /* memory descriptors or modules beyond our tables */
} LOADER_PARAMETER_BLOCK, *PLOADER_PARAMETER_BLOCK;

/* Checks the multiboot2 information at Info, of which Available bytes are
 * readable, and fills Block. Returns STATUS_INVALID_PARAMETER with *Reason set
 * to a one-line explanation for any tag whose size or contents are out of
 * bounds; Block is then undefined. Never reads outside [Info, Info+Available). */
NT_CHECK_RESULT NTSTATUS KiParseMultiboot2(const UCHAR *Info, SIZE_T Available,
                                           PLOADER_PARAMETER_BLOCK Block, PCSTR *Reason);

/* TRUE when Word appears as a whole blank-separated word in the command line. */
BOOLEAN KiCommandLineHasWord(PCSTR CommandLine, PCSTR Word);

/* Bytes of usable RAM in the memory map. */
ULONGLONG KiUsableMemoryBytes(const LOADER_PARAMETER_BLOCK *Block);

#endif
