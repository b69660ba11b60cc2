/*
 * pe.h - the PE32 (Portable Executable, 32-bit) file and image structures.
 *
 * Why: user mode is PE because NT is PE. The kernel reads these structures to
 * validate an image file before it makes an image section, and ntdll's loader
 * reads them in a mapped image to relocate it, find exports and bind imports.
 * The layouts are written here from Microsoft's PE/COFF specification, with
 * NT's names, so a reader can hold the specification beside the code. Native
 * code (the kernel, ntdll) never includes windows.h, so this header stands on
 * its own: it needs only <nt/ntdef.h>. Every structure's size is pinned with
 * _Static_assert, so a host compiler (64-bit) and the i686 compilers agree.
 *
 * Only PE32 is described; PE32+ (64-bit) images are recognised by their magic
 * and refused.
 */
#ifndef NT_PE_H
#define NT_PE_H

#include <nt/ntdef.h>

/* ---- the MS-DOS stub header ---- */

#define IMAGE_DOS_SIGNATURE 0x5A4D    /* "MZ" */
#define IMAGE_NT_SIGNATURE  0x00004550 /* "PE\0\0" */

typedef struct _IMAGE_DOS_HEADER {
    USHORT e_magic;    /* IMAGE_DOS_SIGNATURE */
    USHORT e_cblp;
    USHORT e_cp;
    USHORT e_crlc;
    USHORT e_cparhdr;
    USHORT e_minalloc;
    USHORT e_maxalloc;
    USHORT e_ss;
    USHORT e_sp;
    USHORT e_csum;
    USHORT e_ip;
    USHORT e_cs;
    USHORT e_lfarlc;
    USHORT e_ovno;
    USHORT e_res[4];
    USHORT e_oemid;
    USHORT e_oeminfo;
    USHORT e_res2[10];
    LONG e_lfanew;     /* file offset of the NT headers ("PE\0\0") */
} IMAGE_DOS_HEADER, *PIMAGE_DOS_HEADER;

_Static_assert(sizeof(IMAGE_DOS_HEADER) == 64, "IMAGE_DOS_HEADER is 64 bytes");
_Static_assert(offsetof(IMAGE_DOS_HEADER, e_lfanew) == 0x3C, "e_lfanew is at 0x3C");

/* ---- the COFF file header ---- */

#define IMAGE_FILE_MACHINE_UNKNOWN 0x0000
#define IMAGE_FILE_MACHINE_I386    0x014C
#define IMAGE_FILE_MACHINE_AMD64   0x8664

typedef struct _IMAGE_FILE_HEADER {
    USHORT Machine;              /* IMAGE_FILE_MACHINE_* */
    USHORT NumberOfSections;
    ULONG TimeDateStamp;
    ULONG PointerToSymbolTable;
    ULONG NumberOfSymbols;
    USHORT SizeOfOptionalHeader; /* bytes between this header and the section table */
    USHORT Characteristics;      /* IMAGE_FILE_* */
} IMAGE_FILE_HEADER, *PIMAGE_FILE_HEADER;

_Static_assert(sizeof(IMAGE_FILE_HEADER) == 20, "IMAGE_FILE_HEADER is 20 bytes");

/* FileHeader.Characteristics */
#define IMAGE_FILE_RELOCS_STRIPPED         0x0001 /* no base relocations: must load at ImageBase */
#define IMAGE_FILE_EXECUTABLE_IMAGE        0x0002
#define IMAGE_FILE_LINE_NUMS_STRIPPED      0x0004
#define IMAGE_FILE_LOCAL_SYMS_STRIPPED     0x0008
#define IMAGE_FILE_AGGRESIVE_WS_TRIM       0x0010 /* NT's spelling */
#define IMAGE_FILE_LARGE_ADDRESS_AWARE     0x0020
#define IMAGE_FILE_BYTES_REVERSED_LO       0x0080
#define IMAGE_FILE_32BIT_MACHINE           0x0100
#define IMAGE_FILE_DEBUG_STRIPPED          0x0200
#define IMAGE_FILE_REMOVABLE_RUN_FROM_SWAP 0x0400
#define IMAGE_FILE_NET_RUN_FROM_SWAP       0x0800
#define IMAGE_FILE_SYSTEM                  0x1000
#define IMAGE_FILE_DLL                     0x2000
#define IMAGE_FILE_UP_SYSTEM_ONLY          0x4000
#define IMAGE_FILE_BYTES_REVERSED_HI       0x8000

/* ---- the optional header (required in an image) ---- */

#define IMAGE_NUMBEROF_DIRECTORY_ENTRIES 16

typedef struct _IMAGE_DATA_DIRECTORY {
    ULONG VirtualAddress; /* an RVA (a file offset for the security directory) */
    ULONG Size;
} IMAGE_DATA_DIRECTORY, *PIMAGE_DATA_DIRECTORY;

_Static_assert(sizeof(IMAGE_DATA_DIRECTORY) == 8, "IMAGE_DATA_DIRECTORY is 8 bytes");

#define IMAGE_NT_OPTIONAL_HDR32_MAGIC 0x10B /* PE32 */
#define IMAGE_NT_OPTIONAL_HDR64_MAGIC 0x20B /* PE32+, refused */
#define IMAGE_ROM_OPTIONAL_HDR_MAGIC  0x107

typedef struct _IMAGE_OPTIONAL_HEADER32 {
    /* standard (COFF) fields */
    USHORT Magic;
    UCHAR MajorLinkerVersion;
    UCHAR MinorLinkerVersion;
    ULONG SizeOfCode;
    ULONG SizeOfInitializedData;
    ULONG SizeOfUninitializedData;
    ULONG AddressOfEntryPoint;   /* RVA; 0 = none (allowed for a DLL) */
    ULONG BaseOfCode;
    ULONG BaseOfData;            /* PE32 only */
    /* NT-specific fields */
    ULONG ImageBase;             /* preferred load address, 64 KiB aligned */
    ULONG SectionAlignment;
    ULONG FileAlignment;
    USHORT MajorOperatingSystemVersion;
    USHORT MinorOperatingSystemVersion;
    USHORT MajorImageVersion;
    USHORT MinorImageVersion;
    USHORT MajorSubsystemVersion;
    USHORT MinorSubsystemVersion;
    ULONG Win32VersionValue;
    ULONG SizeOfImage;           /* bytes of address space, a multiple of SectionAlignment */
    ULONG SizeOfHeaders;         /* DOS stub + NT headers + section table, rounded to FileAlignment */
    ULONG CheckSum;
    USHORT Subsystem;            /* IMAGE_SUBSYSTEM_* */
    USHORT DllCharacteristics;   /* IMAGE_DLLCHARACTERISTICS_* */
    ULONG SizeOfStackReserve;
    ULONG SizeOfStackCommit;
    ULONG SizeOfHeapReserve;
    ULONG SizeOfHeapCommit;
    ULONG LoaderFlags;
    ULONG NumberOfRvaAndSizes;   /* valid entries of DataDirectory */
    IMAGE_DATA_DIRECTORY DataDirectory[IMAGE_NUMBEROF_DIRECTORY_ENTRIES];
} IMAGE_OPTIONAL_HEADER32, *PIMAGE_OPTIONAL_HEADER32;

_Static_assert(sizeof(IMAGE_OPTIONAL_HEADER32) == 224, "IMAGE_OPTIONAL_HEADER32 is 224 bytes");
_Static_assert(offsetof(IMAGE_OPTIONAL_HEADER32, ImageBase) == 28, "ImageBase is at 28");
_Static_assert(offsetof(IMAGE_OPTIONAL_HEADER32, DataDirectory) == 96, "DataDirectory is at 96");

typedef struct _IMAGE_NT_HEADERS32 {
    ULONG Signature; /* IMAGE_NT_SIGNATURE */
    IMAGE_FILE_HEADER FileHeader;
    IMAGE_OPTIONAL_HEADER32 OptionalHeader;
} IMAGE_NT_HEADERS32, *PIMAGE_NT_HEADERS32;

_Static_assert(sizeof(IMAGE_NT_HEADERS32) == 248, "IMAGE_NT_HEADERS32 is 248 bytes");
_Static_assert(offsetof(IMAGE_NT_HEADERS32, OptionalHeader) == 24, "OptionalHeader is at 24");

/* Subsystem */
#define IMAGE_SUBSYSTEM_UNKNOWN        0
#define IMAGE_SUBSYSTEM_NATIVE         1 /* drivers and native processes (smss) */
#define IMAGE_SUBSYSTEM_WINDOWS_GUI    2
#define IMAGE_SUBSYSTEM_WINDOWS_CUI    3
#define IMAGE_SUBSYSTEM_OS2_CUI        5
#define IMAGE_SUBSYSTEM_POSIX_CUI      7
#define IMAGE_SUBSYSTEM_NATIVE_WINDOWS 8
#define IMAGE_SUBSYSTEM_WINDOWS_CE_GUI 9

/* DllCharacteristics */
#define IMAGE_DLLCHARACTERISTICS_HIGH_ENTROPY_VA       0x0020
#define IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE          0x0040
#define IMAGE_DLLCHARACTERISTICS_FORCE_INTEGRITY       0x0080
#define IMAGE_DLLCHARACTERISTICS_NX_COMPAT             0x0100
#define IMAGE_DLLCHARACTERISTICS_NO_ISOLATION          0x0200
#define IMAGE_DLLCHARACTERISTICS_NO_SEH                0x0400
#define IMAGE_DLLCHARACTERISTICS_NO_BIND               0x0800
#define IMAGE_DLLCHARACTERISTICS_APPCONTAINER          0x1000
#define IMAGE_DLLCHARACTERISTICS_WDM_DRIVER            0x2000
#define IMAGE_DLLCHARACTERISTICS_GUARD_CF              0x4000
#define IMAGE_DLLCHARACTERISTICS_TERMINAL_SERVER_AWARE 0x8000

/* Data directory indexes */
#define IMAGE_DIRECTORY_ENTRY_EXPORT         0
#define IMAGE_DIRECTORY_ENTRY_IMPORT         1
#define IMAGE_DIRECTORY_ENTRY_RESOURCE       2
#define IMAGE_DIRECTORY_ENTRY_EXCEPTION      3
#define IMAGE_DIRECTORY_ENTRY_SECURITY       4 /* VirtualAddress is a file offset; not mapped */
#define IMAGE_DIRECTORY_ENTRY_BASERELOC      5
#define IMAGE_DIRECTORY_ENTRY_DEBUG          6
#define IMAGE_DIRECTORY_ENTRY_ARCHITECTURE   7
#define IMAGE_DIRECTORY_ENTRY_GLOBALPTR      8
#define IMAGE_DIRECTORY_ENTRY_TLS            9
#define IMAGE_DIRECTORY_ENTRY_LOAD_CONFIG    10
#define IMAGE_DIRECTORY_ENTRY_BOUND_IMPORT   11
#define IMAGE_DIRECTORY_ENTRY_IAT            12
#define IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT   13
#define IMAGE_DIRECTORY_ENTRY_COM_DESCRIPTOR 14

/* ---- the section table ---- */

#define IMAGE_SIZEOF_SHORT_NAME 8

typedef struct _IMAGE_SECTION_HEADER {
    UCHAR Name[IMAGE_SIZEOF_SHORT_NAME]; /* not NUL-terminated when 8 characters long */
    union {
        ULONG PhysicalAddress;
        ULONG VirtualSize;   /* bytes in memory; 0 in some images means "use SizeOfRawData" */
    } Misc;
    ULONG VirtualAddress;    /* RVA, a multiple of SectionAlignment */
    ULONG SizeOfRawData;     /* bytes in the file, a multiple of FileAlignment */
    ULONG PointerToRawData;  /* file offset of those bytes; ignored when SizeOfRawData is 0 */
    ULONG PointerToRelocations;
    ULONG PointerToLinenumbers;
    USHORT NumberOfRelocations;
    USHORT NumberOfLinenumbers;
    ULONG Characteristics;   /* IMAGE_SCN_* */
} IMAGE_SECTION_HEADER, *PIMAGE_SECTION_HEADER;

_Static_assert(sizeof(IMAGE_SECTION_HEADER) == 40, "IMAGE_SECTION_HEADER is 40 bytes");

/* Section characteristics */
#define IMAGE_SCN_TYPE_NO_PAD            0x00000008
#define IMAGE_SCN_CNT_CODE               0x00000020
#define IMAGE_SCN_CNT_INITIALIZED_DATA   0x00000040
#define IMAGE_SCN_CNT_UNINITIALIZED_DATA 0x00000080
#define IMAGE_SCN_LNK_OTHER              0x00000100
#define IMAGE_SCN_LNK_INFO               0x00000200
#define IMAGE_SCN_LNK_REMOVE             0x00000800
#define IMAGE_SCN_LNK_COMDAT             0x00001000
#define IMAGE_SCN_GPREL                  0x00008000
#define IMAGE_SCN_ALIGN_MASK             0x00F00000 /* object files only */
#define IMAGE_SCN_LNK_NRELOC_OVFL        0x01000000
#define IMAGE_SCN_MEM_DISCARDABLE        0x02000000
#define IMAGE_SCN_MEM_NOT_CACHED         0x04000000
#define IMAGE_SCN_MEM_NOT_PAGED          0x08000000
#define IMAGE_SCN_MEM_SHARED             0x10000000
#define IMAGE_SCN_MEM_EXECUTE            0x20000000
#define IMAGE_SCN_MEM_READ               0x40000000
#define IMAGE_SCN_MEM_WRITE              0x80000000

/* ---- the export directory (.edata) ---- */

typedef struct _IMAGE_EXPORT_DIRECTORY {
    ULONG Characteristics;       /* reserved, 0 */
    ULONG TimeDateStamp;
    USHORT MajorVersion;
    USHORT MinorVersion;
    ULONG Name;                  /* RVA of the DLL's own name */
    ULONG Base;                  /* ordinal of AddressOfFunctions[0] */
    ULONG NumberOfFunctions;     /* entries in the export address table */
    ULONG NumberOfNames;         /* entries in the name pointer and name ordinal tables */
    ULONG AddressOfFunctions;    /* RVA of ULONG[NumberOfFunctions]: code/data RVAs or forwarder strings */
    ULONG AddressOfNames;        /* RVA of ULONG[NumberOfNames]: name RVAs, sorted (byte order) */
    ULONG AddressOfNameOrdinals; /* RVA of USHORT[NumberOfNames]: indexes into AddressOfFunctions */
} IMAGE_EXPORT_DIRECTORY, *PIMAGE_EXPORT_DIRECTORY;

_Static_assert(sizeof(IMAGE_EXPORT_DIRECTORY) == 40, "IMAGE_EXPORT_DIRECTORY is 40 bytes");

/* ---- the import directory (.idata) ---- */

typedef struct _IMAGE_IMPORT_DESCRIPTOR {
    union {
        ULONG Characteristics;    /* 0 in the terminating descriptor */
        ULONG OriginalFirstThunk; /* RVA of the import lookup table (may be 0: then FirstThunk) */
    };
    ULONG TimeDateStamp;          /* 0 unless bound */
    ULONG ForwarderChain;
    ULONG Name;                   /* RVA of the DLL name */
    ULONG FirstThunk;             /* RVA of the import address table (IAT) the loader fills */
} IMAGE_IMPORT_DESCRIPTOR, *PIMAGE_IMPORT_DESCRIPTOR;

_Static_assert(sizeof(IMAGE_IMPORT_DESCRIPTOR) == 20, "IMAGE_IMPORT_DESCRIPTOR is 20 bytes");

typedef struct _IMAGE_THUNK_DATA32 {
    union {
        ULONG ForwarderString;
        ULONG Function;     /* after binding: the import's address */
        ULONG Ordinal;      /* IMAGE_ORDINAL_FLAG32 | ordinal */
        ULONG AddressOfData; /* RVA of an IMAGE_IMPORT_BY_NAME */
    } u1;
} IMAGE_THUNK_DATA32, *PIMAGE_THUNK_DATA32;

_Static_assert(sizeof(IMAGE_THUNK_DATA32) == 4, "IMAGE_THUNK_DATA32 is 4 bytes");

#define IMAGE_ORDINAL_FLAG32 0x80000000u
#define IMAGE_ORDINAL32(Ordinal) ((Ordinal) & 0xFFFFu)
#define IMAGE_SNAP_BY_ORDINAL32(Ordinal) (((Ordinal) & IMAGE_ORDINAL_FLAG32) != 0)

typedef struct _IMAGE_IMPORT_BY_NAME {
    USHORT Hint;  /* index into the exporter's name pointer table, a guess */
    CHAR Name[1]; /* NUL-terminated, really variable length */
} IMAGE_IMPORT_BY_NAME, *PIMAGE_IMPORT_BY_NAME;

_Static_assert(offsetof(IMAGE_IMPORT_BY_NAME, Name) == 2, "IMAGE_IMPORT_BY_NAME.Name is at 2");
_Static_assert(sizeof(IMAGE_IMPORT_BY_NAME) == 4, "IMAGE_IMPORT_BY_NAME is 4 bytes (padded)");

/* ---- base relocations (.reloc) ---- */

typedef struct _IMAGE_BASE_RELOCATION {
    ULONG VirtualAddress; /* RVA of the 4 KiB page the block's entries fix up */
    ULONG SizeOfBlock;    /* bytes, this header included; followed by USHORT entries */
} IMAGE_BASE_RELOCATION, *PIMAGE_BASE_RELOCATION;

_Static_assert(sizeof(IMAGE_BASE_RELOCATION) == 8, "IMAGE_BASE_RELOCATION is 8 bytes");

/* An entry is (Type << 12) | OffsetInPage. */
#define IMAGE_REL_BASED_ABSOLUTE       0  /* padding, skipped */
#define IMAGE_REL_BASED_HIGH           1
#define IMAGE_REL_BASED_LOW            2
#define IMAGE_REL_BASED_HIGHLOW        3  /* add the whole 32-bit delta to a dword */
#define IMAGE_REL_BASED_HIGHADJ        4
#define IMAGE_REL_BASED_MIPS_JMPADDR   5
#define IMAGE_REL_BASED_THUMB_MOV32    7
#define IMAGE_REL_BASED_MIPS_JMPADDR16 9
#define IMAGE_REL_BASED_DIR64          10

#define IMAGE_REL_BASED_TYPE(Entry)   ((USHORT)(Entry) >> 12)
#define IMAGE_REL_BASED_OFFSET(Entry) ((USHORT)(Entry) & 0x0FFFu)

#endif
