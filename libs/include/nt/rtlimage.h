/*
 * rtlimage.h - reading PE32 images: validating a file, laying it out in
 * memory, and the loader's walks over a mapped image (relocations, exports,
 * imports).
 *
 * Why: the kernel validates an image file once, before it makes an image
 * section, and ntdll's loader then works on the mapped copy. Both sides use
 * this one pure, freestanding module (libs/rtl/image.c), which is tested on
 * the host against real mingw-built images and against every kind of broken
 * one. The routines never keep an image address in a pointer-sized integer:
 * inside an image everything is an RVA (ULONG), and the address the image
 * will run at is a separate ULONG, so the host (64-bit) and the target agree.
 *
 * Two kinds of input:
 *   - a FILE: the bytes as stored (File, FileSize). Only RtlValidateImageFile,
 *     RtlGetImageFileSection and RtlLayoutImage read files.
 *   - a MAPPED image: SizeOfImage bytes laid out at the section RVAs (by
 *     RtlLayoutImage, or by the kernel's image section). Every other routine
 *     reads mapped images and checks every RVA, length and string against
 *     the image's size before touching it.
 * Malformed input of either kind yields STATUS_INVALID_IMAGE_FORMAT.
 */
#ifndef NT_RTLIMAGE_H
#define NT_RTLIMAGE_H

#include <nt/ntstatus.h>
#include <nt/pe.h>

/* NT's number for "the procedure entry point could not be located". */

/* The page size images are laid out in; SectionAlignment must be a multiple. */
#define IMAGE_PAGE_SIZE 0x1000u
/* ImageBase must be a multiple of this (NT's allocation granularity). */
#define IMAGE_BASE_ALIGNMENT 0x10000u
/* User images live in [IMAGE_LOWEST_ADDRESS, IMAGE_HIGHEST_END). */
#define IMAGE_LOWEST_ADDRESS 0x00010000u
#define IMAGE_HIGHEST_END    0x7FFF0000u
/* NT 3.51's limit on the number of sections. */
#define IMAGE_MAX_SECTIONS 96u

/* What RtlValidateImageFile learned; everything the kernel needs to build
 * the image's layout and its first thread. */
typedef struct _PE_IMAGE_INFO {
    ULONG ImageBase;            /* preferred address, 64 KiB aligned, in user space */
    ULONG SizeOfImage;          /* multiple of SectionAlignment, > 0 */
    ULONG SizeOfHeaders;        /* bytes of file copied to RVA 0 */
    ULONG EntryPointRva;        /* 0 = none (DLLs only) */
    ULONG SectionAlignment;     /* power of two >= IMAGE_PAGE_SIZE */
    ULONG FileAlignment;        /* power of two, 512..SectionAlignment */
    ULONG SizeOfStackReserve;
    ULONG SizeOfStackCommit;
    ULONG SizeOfHeapReserve;
    ULONG SizeOfHeapCommit;
    ULONG NtHeadersOffset;      /* e_lfanew */
    ULONG SectionTableOffset;   /* file offset of IMAGE_SECTION_HEADER[0] */
    USHORT NumberOfSections;    /* 1..IMAGE_MAX_SECTIONS */
    USHORT Subsystem;           /* IMAGE_SUBSYSTEM_* */
    USHORT Characteristics;     /* FileHeader.Characteristics, IMAGE_FILE_* */
    USHORT DllCharacteristics;  /* IMAGE_DLLCHARACTERISTICS_* */
    BOOLEAN IsDll;              /* IMAGE_FILE_DLL */
    BOOLEAN HasRelocations;     /* a non-empty base relocation directory */
    BOOLEAN RelocsStripped;     /* IMAGE_FILE_RELOCS_STRIPPED: cannot move */
} PE_IMAGE_INFO, *PPE_IMAGE_INFO;

/* One section as the image layout needs it. */
typedef struct _PE_SECTION_INFO {
    CHAR Name[IMAGE_SIZEOF_SHORT_NAME + 1]; /* NUL-terminated copy */
    ULONG VirtualAddress;   /* RVA, multiple of SectionAlignment */
    ULONG VirtualSize;      /* bytes in memory (SizeOfRawData when the header says 0) */
    ULONG MappedSize;       /* VirtualSize rounded up to SectionAlignment */
    ULONG RawOffset;        /* file offset of the bytes to copy (0 when RawSize is 0) */
    ULONG RawSize;          /* bytes to copy: min(SizeOfRawData, MappedSize) */
    ULONG Characteristics;  /* IMAGE_SCN_* */
} PE_SECTION_INFO, *PPE_SECTION_INFO;

/*
 * Checks every header field the kernel and the loader use against FileSize
 * and the rules of a PE32 i386 user-mode image (see image.c for the list),
 * then fills *Info. Reads nothing outside File[0, FileSize). Returns
 * STATUS_SUCCESS, STATUS_INVALID_PARAMETER (File or Info NULL), or
 * STATUS_INVALID_IMAGE_FORMAT (anything wrong; *Info is then undefined).
 */
NT_CHECK_RESULT NTSTATUS RtlValidateImageFile(const VOID *File, SIZE_T FileSize, PE_IMAGE_INFO *Info);

/*
 * Section Index (0..NumberOfSections-1) of a file RtlValidateImageFile
 * accepted with *Info. The same bounds are checked again, so a stale or
 * forged Info cannot lead outside the file. STATUS_INVALID_PARAMETER for a
 * bad Index or NULL pointer, STATUS_INVALID_IMAGE_FORMAT if the file and Info
 * disagree.
 */
NT_CHECK_RESULT NTSTATUS RtlGetImageFileSection(const VOID *File, SIZE_T FileSize, const PE_IMAGE_INFO *Info,
                                                ULONG Index, PE_SECTION_INFO *Section);

/*
 * Copies the headers (SizeOfHeaders bytes) to Image[0] and each section's
 * raw data (RawSize bytes) to Image[VirtualAddress]. Image is SizeOfImage
 * bytes the caller has ZEROED: bytes no copy covers (a section's tail, .bss,
 * the gaps) are not written. Every copy is checked against FileSize and
 * Info->SizeOfImage first; on failure nothing is guaranteed about Image.
 */
NT_CHECK_RESULT NTSTATUS RtlLayoutImage(const VOID *File, SIZE_T FileSize, const PE_IMAGE_INFO *Info,
                                        VOID *Image);

/*
 * The NT headers of a mapped image at Base, or NULL if the DOS and NT
 * signatures, machine, magic or e_lfanew are wrong. Reads at most the first
 * IMAGE_PAGE_SIZE bytes (a mapped image always has at least one page), so the
 * whole IMAGE_NT_HEADERS32 lies inside that page and is 4-byte aligned.
 */
PIMAGE_NT_HEADERS32 NTAPI RtlImageNtHeader(PVOID Base);

/*
 * Data directory DirectoryEntry of the mapped image at Base: its address,
 * with its size in *Size, or NULL when the entry is absent (index beyond
 * NumberOfRvaAndSizes, VirtualAddress 0), when [VirtualAddress, +Size) is not
 * inside SizeOfImage, for the security directory (a file offset, never
 * mapped), or when MappedAsImage is FALSE (file layout is not supported).
 * *Size is 0 whenever NULL is returned. Size may be NULL.
 */
PVOID NTAPI RtlImageDirectoryEntryToData(PVOID Base, BOOLEAN MappedAsImage, USHORT DirectoryEntry,
                                         PULONG Size);

/*
 * Applies the base relocations of the mapped image (SizeOfImage bytes) so it
 * can run at RunAddress, then sets OptionalHeader.ImageBase = RunAddress.
 * All blocks are validated before the first fixup is written, so on failure
 * the image is unchanged. Only ABSOLUTE (padding) and HIGHLOW entries are
 * accepted. A delta of 0 succeeds without touching anything. An image marked
 * IMAGE_FILE_RELOCS_STRIPPED cannot move: STATUS_INVALID_IMAGE_FORMAT if
 * asked to. An image with no relocation directory (and not marked stripped)
 * has nothing to fix: its ImageBase is updated and it succeeds. The caller
 * makes the pages writable first (the header page included). If the image's
 * fixups rewrite its own relocation table, the second pass re-checks and may
 * stop part-way with STATUS_INVALID_IMAGE_FORMAT; no real image does that.
 */
NT_CHECK_RESULT NTSTATUS LdrRelocateImageTo(PVOID Image, SIZE_T SizeOfImage, ULONG RunAddress);

/*
 * Looks up an export of the mapped image: by Name (binary search over the
 * sorted name table) or, when Name is NULL, by Ordinal (Ordinal - Base).
 * On success *Rva is the export's RVA and *Forwarder is NULL, or, for a
 * forwarded export, *Rva is the RVA of the forwarder string and *Forwarder
 * points at it inside the image ("DLL.Name" or "DLL.#N", NUL-terminated
 * inside the image). STATUS_ENTRYPOINT_NOT_FOUND when the image has no export
 * directory or no such export; STATUS_INVALID_IMAGE_FORMAT when a table,
 * name, ordinal or address that the lookup touches is out of bounds.
 */
NT_CHECK_RESULT NTSTATUS LdrFindExportRva(PVOID Image, SIZE_T SizeOfImage, PCSTR Name, ULONG Ordinal,
                                          PULONG Rva, PCSTR *Forwarder);

/*
 * The DLL's own name from its export directory (*Name points inside the
 * image, NUL-terminated there). STATUS_ENTRYPOINT_NOT_FOUND without an
 * export directory, STATUS_INVALID_IMAGE_FORMAT when it is malformed.
 */
NT_CHECK_RESULT NTSTATUS LdrGetExportedDllName(PVOID Image, SIZE_T SizeOfImage, PCSTR *Name);

/*
 * Called once per import, in the image's order. DllName and ImportName point
 * inside the image and are NUL-terminated there; ImportName is NULL for an
 * import by ordinal (then Ordinal is set and Hint is 0; otherwise Ordinal is
 * 0). *IatSlot is the 4-byte-aligned import address table entry to write.
 * A failure status stops the walk.
 */
typedef NTSTATUS (*PLDR_IMPORT_CALLBACK)(PVOID Context, PCSTR DllName, PCSTR ImportName, USHORT Hint,
                                         ULONG Ordinal, ULONG *IatSlot);

/*
 * Walks every import descriptor of the mapped image (up to the first one
 * whose Name or FirstThunk is 0) and, per descriptor, its lookup table
 * (OriginalFirstThunk, or FirstThunk when that is 0) up to the 0 entry,
 * calling Callback for each import. The whole table (every descriptor, DLL
 * name, lookup entry, IAT slot and hint/name) is checked before the first
 * callback, so a malformed table calls nothing. The descriptor array is
 * bounded by the image, not by the directory's Size (as NT does). Returns
 * STATUS_SUCCESS (also for an image with no imports), the first failure
 * Callback returned, or STATUS_INVALID_IMAGE_FORMAT.
 */
NT_CHECK_RESULT NTSTATUS LdrEnumerateImports(PVOID Image, SIZE_T SizeOfImage, PLDR_IMPORT_CALLBACK Callback,
                                             PVOID Context);

#endif
