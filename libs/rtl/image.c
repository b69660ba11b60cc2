/*
 * image.c - PE32 images: validate a file, lay it out, and walk a mapped
 * image's relocations, exports and imports.
 *
 * Why: an image file is the most hostile input the system reads. The kernel
 * validates it here, once, before making an image section; ntdll's loader
 * then relocates and binds the mapped copy with the walks below. Both share
 * this pure code so the rules are written once and tested on the host.
 *
 * How it stays safe:
 *   - Offsets and RVAs are ULONGs; every "offset + length" is computed in
 *     64 bits (range_inside) so nothing wraps, on the host or on i686.
 *   - Structures are copied out of the input with memcpy before their fields
 *     are read, so a file at any alignment is fine (and UBSan stays quiet);
 *     the only pointers handed back into an image (NT headers, IAT slots)
 *     are checked to be 4-byte aligned.
 *   - Anything that writes (relocation) checks everything first and writes
 *     second, so a malformed image is left as it was.
 *
 * Policy decisions (documented once here, mirrored in rtlimage.h):
 *   - A section's size in memory is its VirtualSize, or SizeOfRawData when
 *     VirtualSize is 0 (older linkers). It occupies that size rounded up to
 *     SectionAlignment. The bytes copied from the file are
 *     min(SizeOfRawData, that rounded size): the whole of the raw data that
 *     fits the section's pages, like NT, which maps file pages and so shows
 *     the file's bytes up to the end of the last page. The rest is zero.
 *   - All of SizeOfRawData must be inside the file, even the part not copied.
 *     PointerToRawData need not be FileAlignment-aligned: the kernel copies
 *     image sections, it never maps file pages directly.
 *   - The whole IMAGE_NT_HEADERS32 (248 bytes) must lie inside the first page
 *     and e_lfanew must be a multiple of 4 and past the DOS header, so that
 *     RtlImageNtHeader, which has no size argument, never reads past the
 *     first page of a mapped image and returns an aligned pointer.
 *   - The security directory holds a file offset, so it is checked against
 *     the file, not the image, and is never returned as mapped data.
 *   - An image whose relocations are stripped cannot move: asking to is
 *     STATUS_INVALID_IMAGE_FORMAT (NT fails such a load as well).
 */
#include <nt/rtlimage.h>

#define BAD_IMAGE STATUS_INVALID_IMAGE_FORMAT

/* Bytes of IMAGE_NT_HEADERS32 before the optional header: signature + file header. */
#define NT_FIXED_SIZE ((ULONG)offsetof(IMAGE_NT_HEADERS32, OptionalHeader))
/* Bytes of the optional header before the data directories. */
#define OPTIONAL_FIXED_SIZE ((ULONG)offsetof(IMAGE_OPTIONAL_HEADER32, DataDirectory))
/* Smallest e_lfanew accepted: the NT headers start after the DOS header. */
#define MIN_LFANEW ((ULONG)sizeof(IMAGE_DOS_HEADER))
#define MIN_FILE_ALIGNMENT 512u

/* ---- small helpers ---- */

/* TRUE when [Offset, Offset + Length) lies inside [0, Limit). 64-bit
 * arithmetic: callers pass ULONG offsets and lengths up to 2^34, no wrap. */
static BOOLEAN range_inside(ULONGLONG Offset, ULONGLONG Length, ULONGLONG Limit) {
    return Offset <= Limit && Length <= Limit - Offset;
}

static BOOLEAN is_power_of_two(ULONG Value) {
    return Value != 0 && (Value & (Value - 1)) == 0;
}

/* Value rounded up to Alignment (a power of two), without wrapping. */
static ULONGLONG align_up(ULONGLONG Value, ULONG Alignment) {
    return (Value + Alignment - 1) & ~(ULONGLONG)(Alignment - 1);
}

static ULONG get_ulong(const UCHAR *Address) {
    ULONG value;
    __builtin_memcpy(&value, Address, sizeof value);
    return value;
}

static USHORT get_ushort(const UCHAR *Address) {
    USHORT value;
    __builtin_memcpy(&value, Address, sizeof value);
    return value;
}

static void put_ulong(UCHAR *Address, ULONG Value) {
    __builtin_memcpy(Address, &Value, sizeof Value);
}

/* ---- files ---- */

/*
 * Derives a section's layout from its header and checks it against the
 * image's SectionAlignment and SizeOfImage and the file's size. The only
 * place section bounds are computed, shared by validation and iteration.
 */
static NTSTATUS section_layout(const IMAGE_SECTION_HEADER *Header, ULONG SectionAlignment, ULONG SizeOfImage,
                               SIZE_T FileSize, PE_SECTION_INFO *Section) {
    ULONG virtual_size = Header->Misc.VirtualSize ? Header->Misc.VirtualSize : Header->SizeOfRawData;
    ULONGLONG mapped = align_up(virtual_size, SectionAlignment);

    if ((Header->VirtualAddress & (SectionAlignment - 1)) != 0)
        return BAD_IMAGE;
    if (!range_inside(Header->VirtualAddress, mapped, SizeOfImage))
        return BAD_IMAGE;
    if (Header->SizeOfRawData != 0 &&
        !range_inside(Header->PointerToRawData, Header->SizeOfRawData, FileSize))
        return BAD_IMAGE;

    __builtin_memcpy(Section->Name, Header->Name, IMAGE_SIZEOF_SHORT_NAME);
    Section->Name[IMAGE_SIZEOF_SHORT_NAME] = 0;
    Section->VirtualAddress = Header->VirtualAddress;
    Section->VirtualSize = virtual_size;
    Section->MappedSize = (ULONG)mapped; /* <= SizeOfImage, checked above */
    if (Header->SizeOfRawData != 0) {
        Section->RawOffset = Header->PointerToRawData;
        Section->RawSize = Header->SizeOfRawData < mapped ? Header->SizeOfRawData : (ULONG)mapped;
    } else {
        Section->RawOffset = 0;
        Section->RawSize = 0;
    }
    Section->Characteristics = Header->Characteristics;
    return STATUS_SUCCESS;
}

/*
 * Rules, in the order checked (each failure is STATUS_INVALID_IMAGE_FORMAT):
 * DOS header inside the file with "MZ"; e_lfanew >= 64, a multiple of 4, and
 * the whole IMAGE_NT_HEADERS32 within the first page; "PE\0\0"; Machine i386;
 * IMAGE_FILE_EXECUTABLE_IMAGE set; SizeOfOptionalHeader covers the fixed
 * PE32 fields and NumberOfRvaAndSizes directories and lies inside the file;
 * Magic PE32; NumberOfRvaAndSizes <= 16; SectionAlignment a power of two >=
 * the page size; FileAlignment a power of two in 512..SectionAlignment;
 * SizeOfImage > 0 and a multiple of SectionAlignment; ImageBase 64 KiB
 * aligned, >= 64 KiB, and ImageBase + SizeOfImage <= 0x7FFF0000;
 * SizeOfHeaders <= FileSize and <= SizeOfImage; 1..96 sections whose table
 * lies inside SizeOfHeaders; each section aligned, inside SizeOfImage, after
 * the headers' pages and after the previous section (ascending, no overlap),
 * with its raw data inside the file; AddressOfEntryPoint < SizeOfImage, or 0
 * for a DLL; each present data directory inside the image (the security
 * directory: inside the file).
 */
NTSTATUS RtlValidateImageFile(const VOID *File, SIZE_T FileSize, PE_IMAGE_INFO *Info) {
    const UCHAR *file = File;
    IMAGE_DOS_HEADER dos;
    IMAGE_NT_HEADERS32 nt;
    const IMAGE_OPTIONAL_HEADER32 *opt = &nt.OptionalHeader;

    if (File == NULL || Info == NULL)
        return STATUS_INVALID_PARAMETER;

    if (FileSize < sizeof dos)
        return BAD_IMAGE;
    __builtin_memcpy(&dos, file, sizeof dos);
    if (dos.e_magic != IMAGE_DOS_SIGNATURE)
        return BAD_IMAGE;
    if (dos.e_lfanew < (LONG)MIN_LFANEW || (dos.e_lfanew & 3) != 0 ||
        (ULONG)dos.e_lfanew > IMAGE_PAGE_SIZE - sizeof(IMAGE_NT_HEADERS32))
        return BAD_IMAGE;
    ULONG nt_offset = (ULONG)dos.e_lfanew;

    /* Signature and file header. */
    if (!range_inside(nt_offset, NT_FIXED_SIZE, FileSize))
        return BAD_IMAGE;
    __builtin_memset(&nt, 0, sizeof nt);
    __builtin_memcpy(&nt, file + nt_offset, NT_FIXED_SIZE);
    if (nt.Signature != IMAGE_NT_SIGNATURE)
        return BAD_IMAGE;
    if (nt.FileHeader.Machine != IMAGE_FILE_MACHINE_I386)
        return BAD_IMAGE;
    if ((nt.FileHeader.Characteristics & IMAGE_FILE_EXECUTABLE_IMAGE) == 0)
        return BAD_IMAGE;

    /* Optional header: the part present in the file, zero beyond. */
    ULONG optional_size = nt.FileHeader.SizeOfOptionalHeader;
    ULONG optional_offset = nt_offset + NT_FIXED_SIZE;
    if (optional_size < OPTIONAL_FIXED_SIZE)
        return BAD_IMAGE;
    if (!range_inside(optional_offset, optional_size, FileSize))
        return BAD_IMAGE;
    __builtin_memcpy(&nt.OptionalHeader, file + optional_offset,
                     optional_size < sizeof nt.OptionalHeader ? optional_size : sizeof nt.OptionalHeader);
    if (opt->Magic != IMAGE_NT_OPTIONAL_HDR32_MAGIC)
        return BAD_IMAGE;
    if (opt->NumberOfRvaAndSizes > IMAGE_NUMBEROF_DIRECTORY_ENTRIES)
        return BAD_IMAGE;
    if (optional_size < OPTIONAL_FIXED_SIZE + opt->NumberOfRvaAndSizes * sizeof(IMAGE_DATA_DIRECTORY))
        return BAD_IMAGE;

    /* Alignments. */
    if (!is_power_of_two(opt->SectionAlignment) || opt->SectionAlignment < IMAGE_PAGE_SIZE)
        return BAD_IMAGE;
    if (!is_power_of_two(opt->FileAlignment) || opt->FileAlignment < MIN_FILE_ALIGNMENT ||
        opt->FileAlignment > opt->SectionAlignment)
        return BAD_IMAGE;

    /* Where the image goes. */
    if (opt->SizeOfImage == 0 || (opt->SizeOfImage & (opt->SectionAlignment - 1)) != 0)
        return BAD_IMAGE;
    if ((opt->ImageBase & (IMAGE_BASE_ALIGNMENT - 1)) != 0 || opt->ImageBase < IMAGE_LOWEST_ADDRESS)
        return BAD_IMAGE;
    if ((ULONGLONG)opt->ImageBase + opt->SizeOfImage > IMAGE_HIGHEST_END)
        return BAD_IMAGE;

    /* Headers and the section table. */
    if (opt->SizeOfHeaders > FileSize || opt->SizeOfHeaders > opt->SizeOfImage)
        return BAD_IMAGE;
    ULONG section_count = nt.FileHeader.NumberOfSections;
    ULONG section_table = optional_offset + optional_size;
    if (section_count == 0 || section_count > IMAGE_MAX_SECTIONS)
        return BAD_IMAGE;
    if (!range_inside(section_table, (ULONGLONG)section_count * sizeof(IMAGE_SECTION_HEADER),
                      opt->SizeOfHeaders))
        return BAD_IMAGE;

    /* Sections: aligned, ascending, after the headers' pages, in bounds. */
    ULONGLONG next_free = align_up(opt->SizeOfHeaders, opt->SectionAlignment);
    for (ULONG i = 0; i < section_count; i++) {
        IMAGE_SECTION_HEADER header;
        PE_SECTION_INFO section;
        __builtin_memcpy(&header, file + section_table + i * sizeof header, sizeof header);
        NTSTATUS status =
            section_layout(&header, opt->SectionAlignment, opt->SizeOfImage, FileSize, &section);
        if (!NT_SUCCESS(status))
            return status;
        if (section.VirtualAddress < next_free)
            return BAD_IMAGE;
        next_free = (ULONGLONG)section.VirtualAddress + section.MappedSize;
    }

    /* Entry point: inside the image; only a DLL may have none. */
    BOOLEAN is_dll = (nt.FileHeader.Characteristics & IMAGE_FILE_DLL) != 0;
    if (opt->AddressOfEntryPoint == 0) {
        if (!is_dll)
            return BAD_IMAGE;
    } else if (opt->AddressOfEntryPoint >= opt->SizeOfImage) {
        return BAD_IMAGE;
    }

    /* Data directories. */
    for (ULONG i = 0; i < opt->NumberOfRvaAndSizes; i++) {
        const IMAGE_DATA_DIRECTORY *dir = &opt->DataDirectory[i];
        if (dir->VirtualAddress == 0 && dir->Size == 0)
            continue;
        ULONGLONG limit = i == IMAGE_DIRECTORY_ENTRY_SECURITY ? (ULONGLONG)FileSize : opt->SizeOfImage;
        if (!range_inside(dir->VirtualAddress, dir->Size, limit))
            return BAD_IMAGE;
    }

    const IMAGE_DATA_DIRECTORY *relocs = &opt->DataDirectory[IMAGE_DIRECTORY_ENTRY_BASERELOC];
    Info->ImageBase = opt->ImageBase;
    Info->SizeOfImage = opt->SizeOfImage;
    Info->SizeOfHeaders = opt->SizeOfHeaders;
    Info->EntryPointRva = opt->AddressOfEntryPoint;
    Info->SectionAlignment = opt->SectionAlignment;
    Info->FileAlignment = opt->FileAlignment;
    Info->SizeOfStackReserve = opt->SizeOfStackReserve;
    Info->SizeOfStackCommit = opt->SizeOfStackCommit;
    Info->SizeOfHeapReserve = opt->SizeOfHeapReserve;
    Info->SizeOfHeapCommit = opt->SizeOfHeapCommit;
    Info->NtHeadersOffset = nt_offset;
    Info->SectionTableOffset = section_table;
    Info->NumberOfSections = (USHORT)section_count;
    Info->Subsystem = opt->Subsystem;
    Info->Characteristics = nt.FileHeader.Characteristics;
    Info->DllCharacteristics = opt->DllCharacteristics;
    Info->IsDll = is_dll;
    Info->HasRelocations = opt->NumberOfRvaAndSizes > IMAGE_DIRECTORY_ENTRY_BASERELOC &&
                           relocs->VirtualAddress != 0 && relocs->Size != 0;
    Info->RelocsStripped = (nt.FileHeader.Characteristics & IMAGE_FILE_RELOCS_STRIPPED) != 0;
    return STATUS_SUCCESS;
}

NTSTATUS RtlGetImageFileSection(const VOID *File, SIZE_T FileSize, const PE_IMAGE_INFO *Info, ULONG Index,
                                PE_SECTION_INFO *Section) {
    IMAGE_SECTION_HEADER header;

    if (File == NULL || Info == NULL || Section == NULL || Index >= Info->NumberOfSections)
        return STATUS_INVALID_PARAMETER;
    if (!is_power_of_two(Info->SectionAlignment))
        return BAD_IMAGE;
    ULONGLONG offset = (ULONGLONG)Info->SectionTableOffset + (ULONGLONG)Index * sizeof header;
    if (!range_inside(offset, sizeof header, Info->SizeOfHeaders) ||
        !range_inside(offset, sizeof header, FileSize))
        return BAD_IMAGE;
    __builtin_memcpy(&header, (const UCHAR *)File + offset, sizeof header);
    return section_layout(&header, Info->SectionAlignment, Info->SizeOfImage, FileSize, Section);
}

NTSTATUS RtlLayoutImage(const VOID *File, SIZE_T FileSize, const PE_IMAGE_INFO *Info, VOID *Image) {
    const UCHAR *file = File;
    UCHAR *image = Image;

    if (File == NULL || Info == NULL || Image == NULL)
        return STATUS_INVALID_PARAMETER;
    if (Info->SizeOfHeaders > FileSize || Info->SizeOfHeaders > Info->SizeOfImage)
        return BAD_IMAGE;
    __builtin_memcpy(image, file, Info->SizeOfHeaders);
    for (ULONG i = 0; i < Info->NumberOfSections; i++) {
        PE_SECTION_INFO section;
        NTSTATUS status = RtlGetImageFileSection(File, FileSize, Info, i, &section);
        if (!NT_SUCCESS(status))
            return status;
        /* section_layout checked RawOffset + RawSize <= FileSize and
         * VirtualAddress + RawSize <= VirtualAddress + MappedSize <= SizeOfImage. */
        if (section.RawSize != 0)
            __builtin_memcpy(image + section.VirtualAddress, file + section.RawOffset, section.RawSize);
    }
    return STATUS_SUCCESS;
}

/* ---- mapped images ---- */

/* A mapped image: Size is the smaller of the caller's mapping size and the
 * header's SizeOfImage, so every check holds against both. */
typedef struct _MAPPED_IMAGE {
    UCHAR *Base;
    ULONG Size;
    PIMAGE_NT_HEADERS32 Nt;
} MAPPED_IMAGE;

/* The NT headers of the mapped image at Base, of which the first Available
 * bytes (and never more than one page) may be read; NULL if malformed. */
static PIMAGE_NT_HEADERS32 mapped_nt_headers(PVOID Base, SIZE_T Available) {
    UCHAR *base = Base;
    IMAGE_DOS_HEADER dos;
    SIZE_T limit = Available < IMAGE_PAGE_SIZE ? Available : IMAGE_PAGE_SIZE;

    if (Base == NULL || limit < sizeof dos)
        return NULL;
    __builtin_memcpy(&dos, base, sizeof dos);
    if (dos.e_magic != IMAGE_DOS_SIGNATURE)
        return NULL;
    if (dos.e_lfanew < (LONG)MIN_LFANEW || (dos.e_lfanew & 3) != 0 ||
        !range_inside((ULONG)dos.e_lfanew, sizeof(IMAGE_NT_HEADERS32), limit))
        return NULL;
    PIMAGE_NT_HEADERS32 nt = (PIMAGE_NT_HEADERS32)(base + dos.e_lfanew);
    if (((ULONG_PTR)nt & 3) != 0)
        return NULL;
    if (nt->Signature != IMAGE_NT_SIGNATURE || nt->FileHeader.Machine != IMAGE_FILE_MACHINE_I386 ||
        nt->OptionalHeader.Magic != IMAGE_NT_OPTIONAL_HDR32_MAGIC ||
        nt->OptionalHeader.NumberOfRvaAndSizes > IMAGE_NUMBEROF_DIRECTORY_ENTRIES)
        return NULL;
    return nt;
}

static NTSTATUS open_mapped(PVOID Image, SIZE_T SizeOfImage, MAPPED_IMAGE *Mapped) {
    PIMAGE_NT_HEADERS32 nt = mapped_nt_headers(Image, SizeOfImage);
    if (nt == NULL)
        return BAD_IMAGE;
    Mapped->Base = Image;
    Mapped->Nt = nt;
    Mapped->Size = nt->OptionalHeader.SizeOfImage;
    if (SizeOfImage < Mapped->Size)
        Mapped->Size = (ULONG)SizeOfImage;
    return STATUS_SUCCESS;
}

/* Data directory Index: STATUS_SUCCESS with its range (inside the image),
 * STATUS_NOT_FOUND when absent, STATUS_INVALID_IMAGE_FORMAT when outside. */
static NTSTATUS mapped_directory(const MAPPED_IMAGE *Mapped, ULONG Index, ULONG *Rva, ULONG *Size) {
    const IMAGE_OPTIONAL_HEADER32 *opt = &Mapped->Nt->OptionalHeader;
    if (Index >= opt->NumberOfRvaAndSizes || opt->DataDirectory[Index].VirtualAddress == 0)
        return STATUS_NOT_FOUND;
    *Rva = opt->DataDirectory[Index].VirtualAddress;
    *Size = opt->DataDirectory[Index].Size;
    if (!range_inside(*Rva, *Size, Mapped->Size))
        return BAD_IMAGE;
    return STATUS_SUCCESS;
}

/* TRUE when a NUL-terminated string starts at Rva and ends inside the
 * image; its length goes to *Length. Bounded by the image, never strlen. */
static BOOLEAN image_string(const MAPPED_IMAGE *Mapped, ULONG Rva, ULONG *Length) {
    for (ULONG i = Rva; i < Mapped->Size; i++) {
        if (Mapped->Base[i] == 0) {
            *Length = i - Rva;
            return TRUE;
        }
    }
    return FALSE;
}

PIMAGE_NT_HEADERS32 NTAPI RtlImageNtHeader(PVOID Base) {
    return mapped_nt_headers(Base, IMAGE_PAGE_SIZE);
}

PVOID NTAPI RtlImageDirectoryEntryToData(PVOID Base, BOOLEAN MappedAsImage, USHORT DirectoryEntry,
                                         PULONG Size) {
    MAPPED_IMAGE mapped;
    ULONG rva, size;

    if (Size != NULL)
        *Size = 0;
    if (!MappedAsImage || DirectoryEntry == IMAGE_DIRECTORY_ENTRY_SECURITY)
        return NULL;
    mapped.Nt = mapped_nt_headers(Base, IMAGE_PAGE_SIZE);
    if (mapped.Nt == NULL)
        return NULL;
    mapped.Base = Base;
    mapped.Size = mapped.Nt->OptionalHeader.SizeOfImage;
    if (mapped_directory(&mapped, DirectoryEntry, &rva, &size) != STATUS_SUCCESS)
        return NULL;
    if (Size != NULL)
        *Size = size;
    return mapped.Base + rva;
}

/* ---- relocations ---- */

/*
 * Walks the relocation blocks in [DirRva, DirRva + DirSize) (inside the
 * image). With Apply FALSE it only checks; with Apply TRUE it also adds Delta
 * to each HIGHLOW target. The apply pass checks again as it goes: a fixup
 * could only change a later block if the image relocates its own relocation
 * table, and then the walk stops rather than trust the changed bytes.
 */
static NTSTATUS walk_relocations(const MAPPED_IMAGE *Mapped, ULONG DirRva, ULONG DirSize, ULONG Delta,
                                 BOOLEAN Apply) {
    ULONG offset = 0;
    while (offset < DirSize) {
        if (DirSize - offset < sizeof(IMAGE_BASE_RELOCATION))
            return BAD_IMAGE;
        const UCHAR *block = Mapped->Base + DirRva + offset;
        ULONG page_rva = get_ulong(block + offsetof(IMAGE_BASE_RELOCATION, VirtualAddress));
        ULONG block_size = get_ulong(block + offsetof(IMAGE_BASE_RELOCATION, SizeOfBlock));
        if (block_size < sizeof(IMAGE_BASE_RELOCATION) || (block_size & 1) != 0 ||
            block_size > DirSize - offset)
            return BAD_IMAGE;
        for (ULONG i = sizeof(IMAGE_BASE_RELOCATION); i < block_size; i += sizeof(USHORT)) {
            USHORT entry = get_ushort(block + i);
            ULONGLONG target = (ULONGLONG)page_rva + IMAGE_REL_BASED_OFFSET(entry);
            switch (IMAGE_REL_BASED_TYPE(entry)) {
            case IMAGE_REL_BASED_ABSOLUTE: break;
            case IMAGE_REL_BASED_HIGHLOW:
                if (!range_inside(target, sizeof(ULONG), Mapped->Size))
                    return BAD_IMAGE;
                if (Apply) {
                    UCHAR *address = Mapped->Base + (ULONG)target;
                    put_ulong(address, get_ulong(address) + Delta);
                }
                break;
            default: return BAD_IMAGE;
            }
        }
        offset += block_size;
    }
    return STATUS_SUCCESS;
}

NTSTATUS LdrRelocateImageTo(PVOID Image, SIZE_T SizeOfImage, ULONG RunAddress) {
    MAPPED_IMAGE mapped;
    ULONG dir_rva, dir_size;

    NTSTATUS status = open_mapped(Image, SizeOfImage, &mapped);
    if (!NT_SUCCESS(status))
        return status;
    ULONG delta = RunAddress - mapped.Nt->OptionalHeader.ImageBase; /* modulo 2^32, as the CPU adds */
    if (delta == 0)
        return STATUS_SUCCESS;
    if (mapped.Nt->FileHeader.Characteristics & IMAGE_FILE_RELOCS_STRIPPED)
        return BAD_IMAGE;

    status = mapped_directory(&mapped, IMAGE_DIRECTORY_ENTRY_BASERELOC, &dir_rva, &dir_size);
    if (status == STATUS_SUCCESS) {
        status = walk_relocations(&mapped, dir_rva, dir_size, delta, FALSE);
        if (NT_SUCCESS(status))
            status = walk_relocations(&mapped, dir_rva, dir_size, delta, TRUE);
        if (!NT_SUCCESS(status))
            return status;
    } else if (status != STATUS_NOT_FOUND) {
        return status;
    }
    mapped.Nt->OptionalHeader.ImageBase = RunAddress;
    return STATUS_SUCCESS;
}

/* ---- exports ---- */

typedef struct _EXPORTS {
    ULONG DirRva, DirSize;
    IMAGE_EXPORT_DIRECTORY Dir;
} EXPORTS;

/* Reads the export directory and checks that its three tables lie inside
 * the image. STATUS_ENTRYPOINT_NOT_FOUND when there is none. */
static NTSTATUS open_exports(const MAPPED_IMAGE *Mapped, EXPORTS *Exports) {
    NTSTATUS status =
        mapped_directory(Mapped, IMAGE_DIRECTORY_ENTRY_EXPORT, &Exports->DirRva, &Exports->DirSize);
    if (status == STATUS_NOT_FOUND)
        return STATUS_ENTRYPOINT_NOT_FOUND;
    if (!NT_SUCCESS(status))
        return status;
    if (Exports->DirSize < sizeof Exports->Dir)
        return BAD_IMAGE;
    __builtin_memcpy(&Exports->Dir, Mapped->Base + Exports->DirRva, sizeof Exports->Dir);
    const IMAGE_EXPORT_DIRECTORY *dir = &Exports->Dir;
    if (!range_inside(dir->AddressOfFunctions, (ULONGLONG)dir->NumberOfFunctions * sizeof(ULONG),
                      Mapped->Size) ||
        !range_inside(dir->AddressOfNames, (ULONGLONG)dir->NumberOfNames * sizeof(ULONG), Mapped->Size) ||
        !range_inside(dir->AddressOfNameOrdinals, (ULONGLONG)dir->NumberOfNames * sizeof(USHORT),
                      Mapped->Size))
        return BAD_IMAGE;
    return STATUS_SUCCESS;
}

/* Resolves entry Index (< NumberOfFunctions) of the export address table. */
static NTSTATUS export_at(const MAPPED_IMAGE *Mapped, const EXPORTS *Exports, ULONG Index, PULONG Rva,
                          PCSTR *Forwarder) {
    ULONG rva = get_ulong(Mapped->Base + Exports->Dir.AddressOfFunctions + Index * sizeof(ULONG));
    ULONG length;

    if (rva == 0)
        return STATUS_ENTRYPOINT_NOT_FOUND; /* a hole in the ordinal range */
    if (rva >= Exports->DirRva && rva - Exports->DirRva < Exports->DirSize) {
        /* Inside the export directory: a forwarder "DLL.Name" or "DLL.#N". */
        if (!image_string(Mapped, rva, &length))
            return BAD_IMAGE;
        PCSTR text = (PCSTR)Mapped->Base + rva;
        ULONG dot = 0;
        while (dot < length && text[dot] != '.')
            dot++;
        if (dot == 0 || dot + 1 >= length)
            return BAD_IMAGE;
        *Forwarder = text;
    } else {
        if (rva >= Mapped->Size)
            return BAD_IMAGE;
        *Forwarder = NULL;
    }
    *Rva = rva;
    return STATUS_SUCCESS;
}

NTSTATUS LdrFindExportRva(PVOID Image, SIZE_T SizeOfImage, PCSTR Name, ULONG Ordinal, PULONG Rva,
                          PCSTR *Forwarder) {
    MAPPED_IMAGE mapped;
    EXPORTS exports;

    if (Rva == NULL || Forwarder == NULL)
        return STATUS_INVALID_PARAMETER;
    *Rva = 0;
    *Forwarder = NULL;
    NTSTATUS status = open_mapped(Image, SizeOfImage, &mapped);
    if (NT_SUCCESS(status))
        status = open_exports(&mapped, &exports);
    if (!NT_SUCCESS(status))
        return status;
    const IMAGE_EXPORT_DIRECTORY *dir = &exports.Dir;

    if (Name == NULL) {
        if (Ordinal < dir->Base || Ordinal - dir->Base >= dir->NumberOfFunctions)
            return STATUS_ENTRYPOINT_NOT_FOUND;
        return export_at(&mapped, &exports, Ordinal - dir->Base, Rva, Forwarder);
    }

    /* Binary search of the name pointer table, sorted by byte value. */
    ULONG low = 0, high = dir->NumberOfNames;
    while (low < high) {
        ULONG middle = low + (high - low) / 2;
        ULONG name_rva = get_ulong(mapped.Base + dir->AddressOfNames + middle * sizeof(ULONG));
        ULONG length;
        if (!image_string(&mapped, name_rva, &length))
            return BAD_IMAGE;
        int order = __builtin_strcmp(Name, (PCSTR)mapped.Base + name_rva);
        if (order == 0) {
            ULONG index = get_ushort(mapped.Base + dir->AddressOfNameOrdinals + middle * sizeof(USHORT));
            if (index >= dir->NumberOfFunctions)
                return BAD_IMAGE;
            return export_at(&mapped, &exports, index, Rva, Forwarder);
        }
        if (order < 0)
            high = middle;
        else
            low = middle + 1;
    }
    return STATUS_ENTRYPOINT_NOT_FOUND;
}

NTSTATUS LdrGetExportedDllName(PVOID Image, SIZE_T SizeOfImage, PCSTR *Name) {
    MAPPED_IMAGE mapped;
    EXPORTS exports;
    ULONG length;

    if (Name == NULL)
        return STATUS_INVALID_PARAMETER;
    *Name = NULL;
    NTSTATUS status = open_mapped(Image, SizeOfImage, &mapped);
    if (NT_SUCCESS(status))
        status = open_exports(&mapped, &exports);
    if (!NT_SUCCESS(status))
        return status;
    if (!image_string(&mapped, exports.Dir.Name, &length) || length == 0)
        return BAD_IMAGE;
    *Name = (PCSTR)mapped.Base + exports.Dir.Name;
    return STATUS_SUCCESS;
}

/* ---- imports ---- */

/*
 * Walks the import descriptors from DirRva. With Callback NULL it only
 * checks; otherwise it calls Callback per import, checking again as it goes
 * (a callback writes IAT slots, and with OriginalFirstThunk 0 the IAT is the
 * lookup table: each entry is read before its own slot is handed out).
 * The descriptor array is bounded by the image, not by the directory's Size,
 * which linkers do not all fill in exactly.
 */
static NTSTATUS walk_imports(const MAPPED_IMAGE *Mapped, ULONG DirRva, PLDR_IMPORT_CALLBACK Callback,
                             PVOID Context) {
    for (ULONGLONG at = DirRva;; at += sizeof(IMAGE_IMPORT_DESCRIPTOR)) {
        IMAGE_IMPORT_DESCRIPTOR descriptor;
        ULONG length;

        if (!range_inside(at, sizeof descriptor, Mapped->Size))
            return BAD_IMAGE;
        __builtin_memcpy(&descriptor, Mapped->Base + (ULONG)at, sizeof descriptor);
        if (descriptor.Name == 0 || descriptor.FirstThunk == 0)
            return STATUS_SUCCESS;
        if (!image_string(Mapped, descriptor.Name, &length) || length == 0)
            return BAD_IMAGE;
        if ((descriptor.FirstThunk & 3) != 0)
            return BAD_IMAGE;
        PCSTR dll_name = (PCSTR)Mapped->Base + descriptor.Name;
        ULONG lookup = descriptor.OriginalFirstThunk ? descriptor.OriginalFirstThunk : descriptor.FirstThunk;

        for (ULONG i = 0;; i++) {
            ULONGLONG entry_rva = (ULONGLONG)lookup + (ULONGLONG)i * sizeof(ULONG);
            ULONGLONG slot_rva = (ULONGLONG)descriptor.FirstThunk + (ULONGLONG)i * sizeof(ULONG);
            if (!range_inside(entry_rva, sizeof(ULONG), Mapped->Size))
                return BAD_IMAGE;
            ULONG entry = get_ulong(Mapped->Base + (ULONG)entry_rva);
            if (entry == 0)
                break;
            if (!range_inside(slot_rva, sizeof(ULONG), Mapped->Size))
                return BAD_IMAGE;

            PCSTR import_name = NULL;
            USHORT hint = 0;
            ULONG ordinal = 0;
            if (IMAGE_SNAP_BY_ORDINAL32(entry)) {
                /* Bits 30..16 are reserved and must be zero. */
                if ((entry & ~(IMAGE_ORDINAL_FLAG32 | 0xFFFFu)) != 0)
                    return BAD_IMAGE;
                ordinal = IMAGE_ORDINAL32(entry);
            } else {
                ULONG name_rva = entry + (ULONG)offsetof(IMAGE_IMPORT_BY_NAME, Name);
                if (!range_inside(entry, offsetof(IMAGE_IMPORT_BY_NAME, Name), Mapped->Size) ||
                    !image_string(Mapped, name_rva, &length) || length == 0)
                    return BAD_IMAGE;
                hint = get_ushort(Mapped->Base + entry);
                import_name = (PCSTR)Mapped->Base + name_rva;
            }
            if (Callback != NULL) {
                NTSTATUS status = Callback(Context, dll_name, import_name, hint, ordinal,
                                           (ULONG *)(Mapped->Base + (ULONG)slot_rva));
                if (!NT_SUCCESS(status))
                    return status;
            }
        }
    }
}

NTSTATUS LdrEnumerateImports(PVOID Image, SIZE_T SizeOfImage, PLDR_IMPORT_CALLBACK Callback, PVOID Context) {
    MAPPED_IMAGE mapped;
    ULONG dir_rva, dir_size;

    if (Callback == NULL)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = open_mapped(Image, SizeOfImage, &mapped);
    if (!NT_SUCCESS(status))
        return status;
    status = mapped_directory(&mapped, IMAGE_DIRECTORY_ENTRY_IMPORT, &dir_rva, &dir_size);
    if (status == STATUS_NOT_FOUND)
        return STATUS_SUCCESS;
    if (!NT_SUCCESS(status))
        return status;
    /* Check the whole table before the first callback writes anything. */
    status = walk_imports(&mapped, dir_rva, NULL, NULL);
    if (!NT_SUCCESS(status))
        return status;
    return walk_imports(&mapped, dir_rva, Callback, Context);
}
