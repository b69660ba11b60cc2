/*
 * ntio.h - NT's public file-service vocabulary: access rights, share and
 * create flags, the FILE_*_INFORMATION structures and their classes.
 *
 * Why: NtCreateFile, NtReadFile, NtQueryInformationFile and
 * NtQueryDirectoryFile exchange these structures with user mode, so the
 * kernel (kernel/io) and ntdll/kernel32 must agree on them byte for byte.
 * The values and layouts are NT's own (ntioapi.h / wdm.h), so a program
 * written against NT's documentation works unchanged. Layouts are checked
 * with _Static_assert below: the i686 SysV ABI aligns a 64-bit integer
 * inside a struct to 4 bytes where NT (and mingw) align it to 8, so every
 * LARGE_INTEGER member here carries NT_ALIGN8 to get NT's offsets and sizes
 * from either compiler.
 */
#ifndef NT_NTIO_H
#define NT_NTIO_H

#include <nt/ntdef.h>

#define NT_ALIGN8 __attribute__((aligned(8)))

/* ---- access rights (the generic NT ones, shared with ob.h) ---- */

#ifndef DELETE
#define DELETE 0x00010000
#endif
#ifndef READ_CONTROL
#define READ_CONTROL 0x00020000
#endif
#ifndef WRITE_DAC
#define WRITE_DAC 0x00040000
#endif
#ifndef WRITE_OWNER
#define WRITE_OWNER 0x00080000
#endif
#ifndef SYNCHRONIZE
#define SYNCHRONIZE 0x00100000
#endif
#ifndef STANDARD_RIGHTS_REQUIRED
#define STANDARD_RIGHTS_REQUIRED 0x000F0000
#endif
#ifndef STANDARD_RIGHTS_READ
#define STANDARD_RIGHTS_READ READ_CONTROL
#endif
#ifndef STANDARD_RIGHTS_WRITE
#define STANDARD_RIGHTS_WRITE READ_CONTROL
#endif
#ifndef STANDARD_RIGHTS_EXECUTE
#define STANDARD_RIGHTS_EXECUTE READ_CONTROL
#endif
#ifndef MAXIMUM_ALLOWED
#define MAXIMUM_ALLOWED 0x02000000
#endif
#ifndef GENERIC_READ
#define GENERIC_READ 0x80000000
#endif
#ifndef GENERIC_WRITE
#define GENERIC_WRITE 0x40000000
#endif
#ifndef GENERIC_EXECUTE
#define GENERIC_EXECUTE 0x20000000
#endif
#ifndef GENERIC_ALL
#define GENERIC_ALL 0x10000000
#endif

/* ---- file-specific access rights ---- */

#define FILE_READ_DATA 0x0001        /* file */
#define FILE_LIST_DIRECTORY 0x0001   /* directory */
#define FILE_WRITE_DATA 0x0002       /* file */
#define FILE_ADD_FILE 0x0002         /* directory */
#define FILE_APPEND_DATA 0x0004      /* file */
#define FILE_ADD_SUBDIRECTORY 0x0004 /* directory */
#define FILE_READ_EA 0x0008
#define FILE_WRITE_EA 0x0010
#define FILE_EXECUTE 0x0020      /* file */
#define FILE_TRAVERSE 0x0020     /* directory */
#define FILE_DELETE_CHILD 0x0040 /* directory */
#define FILE_READ_ATTRIBUTES 0x0080
#define FILE_WRITE_ATTRIBUTES 0x0100

#define FILE_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x1FF)
#define FILE_GENERIC_READ                                                                                    \
    (STANDARD_RIGHTS_READ | FILE_READ_DATA | FILE_READ_ATTRIBUTES | FILE_READ_EA | SYNCHRONIZE)
#define FILE_GENERIC_WRITE                                                                                   \
    (STANDARD_RIGHTS_WRITE | FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES | FILE_WRITE_EA | FILE_APPEND_DATA |    \
     SYNCHRONIZE)
#define FILE_GENERIC_EXECUTE (STANDARD_RIGHTS_EXECUTE | FILE_READ_ATTRIBUTES | FILE_EXECUTE | SYNCHRONIZE)

/* ---- share access ---- */

#define FILE_SHARE_READ 0x00000001
#define FILE_SHARE_WRITE 0x00000002
#define FILE_SHARE_DELETE 0x00000004
#define FILE_SHARE_VALID_FLAGS 0x00000007

/* ---- create dispositions ---- */

#define FILE_SUPERSEDE 0x00000000
#define FILE_OPEN 0x00000001
#define FILE_CREATE 0x00000002
#define FILE_OPEN_IF 0x00000003
#define FILE_OVERWRITE 0x00000004
#define FILE_OVERWRITE_IF 0x00000005
#define FILE_MAXIMUM_DISPOSITION 0x00000005

/* ---- create and open options ---- */

#define FILE_DIRECTORY_FILE 0x00000001
#define FILE_WRITE_THROUGH 0x00000002
#define FILE_SEQUENTIAL_ONLY 0x00000004
#define FILE_NO_INTERMEDIATE_BUFFERING 0x00000008
#define FILE_SYNCHRONOUS_IO_ALERT 0x00000010
#define FILE_SYNCHRONOUS_IO_NONALERT 0x00000020
#define FILE_NON_DIRECTORY_FILE 0x00000040
#define FILE_CREATE_TREE_CONNECTION 0x00000080
#define FILE_COMPLETE_IF_OPLOCKED 0x00000100
#define FILE_NO_EA_KNOWLEDGE 0x00000200
#define FILE_OPEN_FOR_RECOVERY 0x00000400
#define FILE_RANDOM_ACCESS 0x00000800
#define FILE_DELETE_ON_CLOSE 0x00001000
#define FILE_OPEN_BY_FILE_ID 0x00002000
#define FILE_OPEN_FOR_BACKUP_INTENT 0x00004000
#define FILE_NO_COMPRESSION 0x00008000
#define FILE_VALID_OPTION_FLAGS 0x00FFFFFF

/* ---- IO_STATUS_BLOCK.Information after a create ---- */

#define FILE_SUPERSEDED 0x00000000
#define FILE_OPENED 0x00000001
#define FILE_CREATED 0x00000002
#define FILE_OVERWRITTEN 0x00000003
#define FILE_EXISTS 0x00000004
#define FILE_DOES_NOT_EXIST 0x00000005

/* ---- ByteOffset sentinels (LowPart; HighPart is -1) ---- */

#define FILE_WRITE_TO_END_OF_FILE 0xFFFFFFFF
#define FILE_USE_FILE_POINTER_POSITION 0xFFFFFFFE

/* ---- file attributes ---- */

#define FILE_ATTRIBUTE_READONLY 0x00000001
#define FILE_ATTRIBUTE_HIDDEN 0x00000002
#define FILE_ATTRIBUTE_SYSTEM 0x00000004
#define FILE_ATTRIBUTE_DIRECTORY 0x00000010
#define FILE_ATTRIBUTE_ARCHIVE 0x00000020
#define FILE_ATTRIBUTE_NORMAL 0x00000080
#define FILE_ATTRIBUTE_TEMPORARY 0x00000100
#define FILE_ATTRIBUTE_COMPRESSED 0x00000800
#define FILE_ATTRIBUTE_VALID_FLAGS 0x00007FB7

/* FILE_ALIGNMENT_INFORMATION.AlignmentRequirement */
#define FILE_BYTE_ALIGNMENT 0x00000000

/* ---- information classes (NT's numbering) ---- */

typedef enum _FILE_INFORMATION_CLASS {
    FileDirectoryInformation = 1,
    FileFullDirectoryInformation = 2,
    FileBothDirectoryInformation = 3,
    FileBasicInformation = 4,
    FileStandardInformation = 5,
    FileInternalInformation = 6,
    FileEaInformation = 7,
    FileAccessInformation = 8,
    FileNameInformation = 9,
    FileRenameInformation = 10,
    FileLinkInformation = 11,
    FileNamesInformation = 12,
    FileDispositionInformation = 13,
    FilePositionInformation = 14,
    FileFullEaInformation = 15,
    FileModeInformation = 16,
    FileAlignmentInformation = 17,
    FileAllInformation = 18,
    FileAllocationInformation = 19,
    FileEndOfFileInformation = 20,
    FileAlternateNameInformation = 21,
    FileStreamInformation = 22,
    FilePipeInformation = 23,
    FilePipeLocalInformation = 24,
    FilePipeRemoteInformation = 25,
    FileMailslotQueryInformation = 26,
    FileMailslotSetInformation = 27,
    FileCompressionInformation = 28,
} FILE_INFORMATION_CLASS;

/* ---- per-file information ---- */

typedef struct _FILE_BASIC_INFORMATION {
    LARGE_INTEGER CreationTime NT_ALIGN8;
    LARGE_INTEGER LastAccessTime NT_ALIGN8;
    LARGE_INTEGER LastWriteTime NT_ALIGN8;
    LARGE_INTEGER ChangeTime NT_ALIGN8;
    ULONG FileAttributes;
} FILE_BASIC_INFORMATION, *PFILE_BASIC_INFORMATION;

typedef struct _FILE_STANDARD_INFORMATION {
    LARGE_INTEGER AllocationSize NT_ALIGN8;
    LARGE_INTEGER EndOfFile NT_ALIGN8;
    ULONG NumberOfLinks;
    BOOLEAN DeletePending;
    BOOLEAN Directory;
} FILE_STANDARD_INFORMATION, *PFILE_STANDARD_INFORMATION;

typedef struct _FILE_INTERNAL_INFORMATION {
    LARGE_INTEGER IndexNumber NT_ALIGN8;
} FILE_INTERNAL_INFORMATION, *PFILE_INTERNAL_INFORMATION;

typedef struct _FILE_EA_INFORMATION {
    ULONG EaSize;
} FILE_EA_INFORMATION, *PFILE_EA_INFORMATION;

typedef struct _FILE_ACCESS_INFORMATION {
    ACCESS_MASK AccessFlags;
} FILE_ACCESS_INFORMATION, *PFILE_ACCESS_INFORMATION;

/* The name from the volume root ("\System32\ntdll.dll"), not terminated. */
typedef struct _FILE_NAME_INFORMATION {
    ULONG FileNameLength; /* bytes */
    WCHAR FileName[1];
} FILE_NAME_INFORMATION, *PFILE_NAME_INFORMATION;

typedef struct _FILE_POSITION_INFORMATION {
    LARGE_INTEGER CurrentByteOffset NT_ALIGN8;
} FILE_POSITION_INFORMATION, *PFILE_POSITION_INFORMATION;

typedef struct _FILE_MODE_INFORMATION {
    ULONG Mode;
} FILE_MODE_INFORMATION, *PFILE_MODE_INFORMATION;

typedef struct _FILE_ALIGNMENT_INFORMATION {
    ULONG AlignmentRequirement;
} FILE_ALIGNMENT_INFORMATION, *PFILE_ALIGNMENT_INFORMATION;

typedef struct _FILE_ALL_INFORMATION {
    FILE_BASIC_INFORMATION BasicInformation;
    FILE_STANDARD_INFORMATION StandardInformation;
    FILE_INTERNAL_INFORMATION InternalInformation;
    FILE_EA_INFORMATION EaInformation;
    FILE_ACCESS_INFORMATION AccessInformation;
    FILE_POSITION_INFORMATION PositionInformation;
    FILE_MODE_INFORMATION ModeInformation;
    FILE_ALIGNMENT_INFORMATION AlignmentInformation;
    FILE_NAME_INFORMATION NameInformation;
} FILE_ALL_INFORMATION, *PFILE_ALL_INFORMATION;

typedef struct _FILE_DISPOSITION_INFORMATION {
    BOOLEAN DeleteFile;
} FILE_DISPOSITION_INFORMATION, *PFILE_DISPOSITION_INFORMATION;

typedef struct _FILE_END_OF_FILE_INFORMATION {
    LARGE_INTEGER EndOfFile NT_ALIGN8;
} FILE_END_OF_FILE_INFORMATION, *PFILE_END_OF_FILE_INFORMATION;

typedef struct _FILE_ALLOCATION_INFORMATION {
    LARGE_INTEGER AllocationSize NT_ALIGN8;
} FILE_ALLOCATION_INFORMATION, *PFILE_ALLOCATION_INFORMATION;

typedef struct _FILE_RENAME_INFORMATION {
    BOOLEAN ReplaceIfExists;
    HANDLE RootDirectory;
    ULONG FileNameLength;
    WCHAR FileName[1];
} FILE_RENAME_INFORMATION, *PFILE_RENAME_INFORMATION, FILE_LINK_INFORMATION, *PFILE_LINK_INFORMATION;

/* ---- directory entries (NtQueryDirectoryFile) ----
 * Entries are chained by NextEntryOffset (0 on the last), each starting on
 * an 8-byte boundary; FileName is not terminated. */

typedef struct _FILE_DIRECTORY_INFORMATION {
    ULONG NextEntryOffset;
    ULONG FileIndex;
    LARGE_INTEGER CreationTime NT_ALIGN8;
    LARGE_INTEGER LastAccessTime NT_ALIGN8;
    LARGE_INTEGER LastWriteTime NT_ALIGN8;
    LARGE_INTEGER ChangeTime NT_ALIGN8;
    LARGE_INTEGER EndOfFile NT_ALIGN8;
    LARGE_INTEGER AllocationSize NT_ALIGN8;
    ULONG FileAttributes;
    ULONG FileNameLength;
    WCHAR FileName[1];
} FILE_DIRECTORY_INFORMATION, *PFILE_DIRECTORY_INFORMATION;

typedef struct _FILE_FULL_DIR_INFORMATION {
    ULONG NextEntryOffset;
    ULONG FileIndex;
    LARGE_INTEGER CreationTime NT_ALIGN8;
    LARGE_INTEGER LastAccessTime NT_ALIGN8;
    LARGE_INTEGER LastWriteTime NT_ALIGN8;
    LARGE_INTEGER ChangeTime NT_ALIGN8;
    LARGE_INTEGER EndOfFile NT_ALIGN8;
    LARGE_INTEGER AllocationSize NT_ALIGN8;
    ULONG FileAttributes;
    ULONG FileNameLength;
    ULONG EaSize;
    WCHAR FileName[1];
} FILE_FULL_DIR_INFORMATION, *PFILE_FULL_DIR_INFORMATION;

typedef struct _FILE_BOTH_DIR_INFORMATION {
    ULONG NextEntryOffset;
    ULONG FileIndex;
    LARGE_INTEGER CreationTime NT_ALIGN8;
    LARGE_INTEGER LastAccessTime NT_ALIGN8;
    LARGE_INTEGER LastWriteTime NT_ALIGN8;
    LARGE_INTEGER ChangeTime NT_ALIGN8;
    LARGE_INTEGER EndOfFile NT_ALIGN8;
    LARGE_INTEGER AllocationSize NT_ALIGN8;
    ULONG FileAttributes;
    ULONG FileNameLength;
    ULONG EaSize;
    CHAR ShortNameLength; /* bytes; 0 when the name has no 8.3 alias */
    WCHAR ShortName[12];
    WCHAR FileName[1];
} FILE_BOTH_DIR_INFORMATION, *PFILE_BOTH_DIR_INFORMATION;

typedef struct _FILE_NAMES_INFORMATION {
    ULONG NextEntryOffset;
    ULONG FileIndex;
    ULONG FileNameLength;
    WCHAR FileName[1];
} FILE_NAMES_INFORMATION, *PFILE_NAMES_INFORMATION;

/* NT's sizes and offsets (ntioapi.h on i386). */
_Static_assert(sizeof(FILE_BASIC_INFORMATION) == 40, "NT layout");
_Static_assert(offsetof(FILE_BASIC_INFORMATION, FileAttributes) == 32, "NT layout");
_Static_assert(sizeof(FILE_STANDARD_INFORMATION) == 24, "NT layout");
_Static_assert(offsetof(FILE_STANDARD_INFORMATION, Directory) == 21, "NT layout");
_Static_assert(sizeof(FILE_INTERNAL_INFORMATION) == 8, "NT layout");
_Static_assert(sizeof(FILE_EA_INFORMATION) == 4, "NT layout");
_Static_assert(sizeof(FILE_ACCESS_INFORMATION) == 4, "NT layout");
_Static_assert(sizeof(FILE_NAME_INFORMATION) == 8, "NT layout");
_Static_assert(sizeof(FILE_POSITION_INFORMATION) == 8, "NT layout");
_Static_assert(sizeof(FILE_MODE_INFORMATION) == 4, "NT layout");
_Static_assert(sizeof(FILE_ALIGNMENT_INFORMATION) == 4, "NT layout");
_Static_assert(offsetof(FILE_ALL_INFORMATION, StandardInformation) == 40, "NT layout");
_Static_assert(offsetof(FILE_ALL_INFORMATION, PositionInformation) == 80, "NT layout");
_Static_assert(offsetof(FILE_ALL_INFORMATION, NameInformation) == 96, "NT layout");
_Static_assert(sizeof(FILE_ALL_INFORMATION) == 104, "NT layout");
_Static_assert(sizeof(FILE_DISPOSITION_INFORMATION) == 1, "NT layout");
_Static_assert(sizeof(FILE_END_OF_FILE_INFORMATION) == 8, "NT layout");
_Static_assert(sizeof(FILE_ALLOCATION_INFORMATION) == 8, "NT layout");
_Static_assert(offsetof(FILE_DIRECTORY_INFORMATION, CreationTime) == 8, "NT layout");
_Static_assert(offsetof(FILE_DIRECTORY_INFORMATION, FileAttributes) == 56, "NT layout");
_Static_assert(offsetof(FILE_DIRECTORY_INFORMATION, FileName) == 64, "NT layout");
_Static_assert(sizeof(FILE_DIRECTORY_INFORMATION) == 72, "NT layout");
_Static_assert(offsetof(FILE_FULL_DIR_INFORMATION, EaSize) == 64, "NT layout");
_Static_assert(offsetof(FILE_FULL_DIR_INFORMATION, FileName) == 68, "NT layout");
_Static_assert(sizeof(FILE_FULL_DIR_INFORMATION) == 72, "NT layout");
_Static_assert(offsetof(FILE_BOTH_DIR_INFORMATION, ShortNameLength) == 68, "NT layout");
_Static_assert(offsetof(FILE_BOTH_DIR_INFORMATION, ShortName) == 70, "NT layout");
_Static_assert(offsetof(FILE_BOTH_DIR_INFORMATION, FileName) == 94, "NT layout");
_Static_assert(sizeof(FILE_BOTH_DIR_INFORMATION) == 96, "NT layout");
_Static_assert(offsetof(FILE_NAMES_INFORMATION, FileName) == 12, "NT layout");
_Static_assert(sizeof(FILE_NAMES_INFORMATION) == 16, "NT layout");
#if defined(__i386__)
_Static_assert(sizeof(FILE_RENAME_INFORMATION) == 16, "NT layout");
#endif

#endif
