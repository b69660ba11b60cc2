/*
 * test_io.c - in-kernel checks of the file services over \SystemRoot:
 * NtCreateFile/NtOpenFile, NtReadFile, NtQuery/SetInformationFile and
 * NtQueryDirectoryFile, with NT's answers on every error path.
 *
 * Calls go straight to the Nt functions (PreviousMode is KernelMode) or,
 * once, through `int 0x2E`. The last tests force PreviousMode to UserMode:
 * with pointers into a page of user memory allocated in the System process
 * the services must work as they would for a program, and with hostile
 * pointers (kernel addresses, unmapped pages, ranges that run out of user
 * space) they must answer STATUS_ACCESS_VIOLATION and leak nothing.
 */
#include "../../kernel/include/ex.h"
#include "../../kernel/include/io.h"
#include "../../kernel/include/ke.h"
#include "../../kernel/include/ktest.h"
#include "../../kernel/include/mm.h"
#include "../../kernel/include/ob.h"
#include "../../kernel/include/ps.h"
#include "../../kernel/include/rtl.h"
#include "../../kernel/include/x86.h"
#include <nt/ntapi.h>
#include <nt/ntio.h>
#include <nt/rtlstring.h>
#include <nt/services.h>

#define SERVICE_INDEX(Name, Bytes) SVC_##Name,
enum { NT_SERVICE_TABLE(SERVICE_INDEX) SVC_COUNT };

#define UNMAPPED_USER_ADDRESS ((PVOID)0x00001000)
#define KERNEL_ADDRESS ((PVOID)0x80100000)
#define EVENT_ALL_ACCESS_FOR_TEST (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3)
#define READ_SHARED (FILE_SHARE_READ | FILE_SHARE_DELETE)
#define INI L"\\SystemRoot\\daytona.ini"

static UCHAR IoTestBuffer[2048];   /* what the services return */
static UCHAR IoTestExpected[1024]; /* daytona.ini as bootfs reads it */

static NTSTATUS trap_service(ULONG Number, const ULONG *Args) {
    NTSTATUS status;
    __asm__ volatile("int $0x2E" : "=a"(status) : "a"(Number), "d"(Args) : "memory", "ecx");
    return status;
}

static OBJECT_ATTRIBUTES oa_of(UNICODE_STRING *Name, PCWSTR Text, HANDLE Root) {
    OBJECT_ATTRIBUTES oa;
    RtlInitUnicodeString(Name, Text);
    InitializeObjectAttributes(&oa, Name, OBJ_CASE_INSENSITIVE, Root, NULL);
    return oa;
}

static NTSTATUS open_file(PCWSTR Path, HANDLE Root, ACCESS_MASK Access, ULONG Share, ULONG Options,
                          PHANDLE Handle, IO_STATUS_BLOCK *Iosb) {
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa = oa_of(&name, Path, Root);
    return NtOpenFile(Handle, Access, &oa, Iosb, Share, Options);
}

static NTSTATUS create_file(PCWSTR Path, ACCESS_MASK Access, ULONG Disposition, ULONG Options, PHANDLE Handle,
                            IO_STATUS_BLOCK *Iosb) {
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa = oa_of(&name, Path, NULL);
    return NtCreateFile(Handle, Access, &oa, Iosb, NULL, FILE_ATTRIBUTE_NORMAL, READ_SHARED, Disposition,
                        Options, NULL, 0);
}

/* Status of opening Path for reading (any handle is closed again). */
static NTSTATUS try_open(PCWSTR Path, ULONG Options) {
    HANDLE h;
    IO_STATUS_BLOCK iosb;
    NTSTATUS s = open_file(Path, NULL, FILE_GENERIC_READ, READ_SHARED, Options, &h, &iosb);
    if (NT_SUCCESS(s) && !NT_SUCCESS(NtClose(h)))
        s = STATUS_UNSUCCESSFUL;
    return s;
}

static NTSTATUS try_create(PCWSTR Path, ACCESS_MASK Access, ULONG Disposition) {
    HANDLE h;
    IO_STATUS_BLOCK iosb;
    NTSTATUS s = create_file(Path, Access, Disposition, 0, &h, &iosb);
    if (NT_SUCCESS(s) && !NT_SUCCESS(NtClose(h)))
        s = STATUS_UNSUCCESSFUL;
    return s;
}

/* daytona.ini through bootfs directly, to compare with what the services return. */
static ULONG expected_ini(VOID) {
    BFS_FILE f;
    SIZE_T got = 0;
    if (!NT_SUCCESS(IoOpenSystemFile("\\SystemRoot\\daytona.ini", &f)) || f.Size > sizeof IoTestExpected ||
        !NT_SUCCESS(BfsRead(&f, 0, IoTestExpected, f.Size, &got)))
        return 0;
    return (ULONG)got;
}

static BOOLEAN contains(const UCHAR *Text, ULONG Length, PCSTR Want) {
    SIZE_T n = strlen(Want);
    for (ULONG i = 0; i + n <= Length; i++)
        if (memcmp(Text + i, Want, n) == 0)
            return TRUE;
    return FALSE;
}

static BOOLEAN name_is(const WCHAR *Name, ULONG Bytes, PCSTR Want) {
    if (Bytes != strlen(Want) * sizeof(WCHAR))
        return FALSE;
    for (ULONG i = 0; i < Bytes / sizeof(WCHAR); i++)
        if (Name[i] != (WCHAR)(UCHAR)Want[i])
            return FALSE;
    return TRUE;
}

static LONGLONG position_of(HANDLE File) {
    FILE_POSITION_INFORMATION p = {.CurrentByteOffset.QuadPart = -1};
    IO_STATUS_BLOCK iosb;
    if (!NT_SUCCESS(NtQueryInformationFile(File, &iosb, &p, sizeof p, FilePositionInformation)))
        return -1;
    return p.CurrentByteOffset.QuadPart;
}

static ULONG pool_bytes(ULONG Tag) {
    POOL_TAG_USAGE u = {0};
    if (!NT_SUCCESS(ExQueryPoolTagUsage(Tag, &u)))
        return 0; /* a tag never used */
    return (ULONG)u.BytesInUse;
}

/* ---- opening ---- */

KTEST(io_open_and_create_reach_systemroot_files) {
    HANDLE h;
    IO_STATUS_BLOCK iosb = {.Status = -1, .Information = 99};
    ULONG files = IoFileObjectType->TotalNumberOfObjects;
    KT_CHECK_STATUS(open_file(INI, NULL, FILE_GENERIC_READ, READ_SHARED,
                              FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE, &h, &iosb),
                    STATUS_SUCCESS);
    KT_CHECK_STATUS(iosb.Status, STATUS_SUCCESS);
    KT_CHECK_EQ(iosb.Information, FILE_OPENED);
    KT_CHECK_EQ(IoFileObjectType->TotalNumberOfObjects, files + 1);
    PVOID object;
    KT_CHECK_STATUS(ObReferenceObjectByHandle(h, 0, IoFileObjectType, KernelMode, &object, NULL),
                    STATUS_SUCCESS);
    KT_CHECK(((PFILE_OBJECT)object)->GrantedAccess == FILE_GENERIC_READ);
    ObDereferenceObject(object);
    KT_CHECK_STATUS(NtClose(h), STATUS_SUCCESS);
    KT_CHECK_EQ(IoFileObjectType->TotalNumberOfObjects, files); /* the last handle freed the File object */

    iosb.Information = 99;
    KT_CHECK_STATUS(create_file(L"\\SYSTEMROOT\\DAYTONA.INI", GENERIC_READ | SYNCHRONIZE, FILE_OPEN,
                                FILE_SYNCHRONOUS_IO_NONALERT, &h, &iosb),
                    STATUS_SUCCESS);
    KT_CHECK_EQ(iosb.Information, FILE_OPENED);
    KT_CHECK_STATUS(NtClose(h), STATUS_SUCCESS);
    iosb.Information = 99;
    KT_CHECK_STATUS(create_file(INI, GENERIC_READ, FILE_OPEN_IF, 0, &h, &iosb), STATUS_SUCCESS);
    KT_CHECK_EQ(iosb.Information, FILE_OPENED); /* it exists: opened, not created */
    KT_CHECK_STATUS(NtClose(h), STATUS_SUCCESS);

    /* The services are in the table: the same open through int 0x2E. */
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa = oa_of(&name, INI, NULL);
    h = NULL;
    ULONG args[6] = {(ULONG)&h, FILE_GENERIC_READ, (ULONG)&oa, (ULONG)&iosb, READ_SHARED, 0};
    KT_CHECK_STATUS(trap_service(SVC_NtOpenFile, args), STATUS_SUCCESS);
    KT_CHECK(h != NULL);
    ULONG read[9] = {(ULONG)h, 0, 0, 0, (ULONG)&iosb, (ULONG)IoTestBuffer, 4, 0, 0};
    KT_CHECK_STATUS(trap_service(SVC_NtReadFile, read), STATUS_SUCCESS);
    KT_CHECK_EQ(iosb.Information, 4);
    KT_CHECK_STATUS(NtClose(h), STATUS_SUCCESS);
    KT_CHECK_EQ(IoFileObjectType->TotalNumberOfObjects, files);
}

KTEST(io_roots_relative_names_and_the_volume_itself) {
    HANDLE root, file, dir, vol;
    IO_STATUS_BLOCK iosb;
    static UCHAR info[256];
    FILE_NAME_INFORMATION *n = (FILE_NAME_INFORMATION *)info;
    KT_CHECK_STATUS(open_file(L"\\SystemRoot", NULL, FILE_LIST_DIRECTORY | SYNCHRONIZE, READ_SHARED,
                              FILE_DIRECTORY_FILE, &root, &iosb),
                    STATUS_SUCCESS);
    KT_CHECK_STATUS(NtQueryInformationFile(root, &iosb, info, sizeof info, FileNameInformation),
                    STATUS_SUCCESS);
    KT_CHECK(name_is(n->FileName, n->FileNameLength, "\\"));
    /* Relative to a directory handle (NT's related file object). */
    KT_CHECK_STATUS(open_file(L"daytona.ini", root, FILE_GENERIC_READ, READ_SHARED, 0, &file, &iosb),
                    STATUS_SUCCESS);
    KT_CHECK_STATUS(NtQueryInformationFile(file, &iosb, info, sizeof info, FileNameInformation),
                    STATUS_SUCCESS);
    KT_CHECK(name_is(n->FileName, n->FileNameLength, "\\daytona.ini"));
    KT_CHECK_EQ(iosb.Information, 4 + n->FileNameLength);
    KT_CHECK_STATUS(
        open_file(L"System32", root, FILE_LIST_DIRECTORY, READ_SHARED, FILE_DIRECTORY_FILE, &dir, &iosb),
        STATUS_SUCCESS);
    KT_CHECK_STATUS(NtQueryInformationFile(dir, &iosb, info, sizeof info, FileNameInformation),
                    STATUS_SUCCESS);
    KT_CHECK(name_is(n->FileName, n->FileNameLength, "\\System32"));
    KT_CHECK_STATUS(try_open(L"\\SystemRoot\\System32\\", 0),
                    STATUS_SUCCESS); /* a trailing backslash: a directory */
    HANDLE h;
    KT_CHECK_STATUS(open_file(L"\\daytona.ini", root, FILE_GENERIC_READ, READ_SHARED, 0, &h, &iosb),
                    STATUS_OBJECT_NAME_INVALID);
    KT_CHECK_STATUS(open_file(L"x", file, FILE_GENERIC_READ, READ_SHARED, 0, &h, &iosb),
                    STATUS_OBJECT_PATH_NOT_FOUND);
    KT_CHECK_STATUS(open_file(L"..", root, FILE_GENERIC_READ, READ_SHARED, 0, &h, &iosb),
                    STATUS_OBJECT_NAME_INVALID);
    /* The device itself: the volume's root directory. */
    KT_CHECK_STATUS(
        open_file(L"\\Device\\BootDevice", NULL, FILE_LIST_DIRECTORY, READ_SHARED, 0, &vol, &iosb),
        STATUS_SUCCESS);
    KT_CHECK_STATUS(NtQueryInformationFile(vol, &iosb, info, sizeof info, FileNameInformation),
                    STATUS_SUCCESS);
    KT_CHECK(name_is(n->FileName, n->FileNameLength, "\\"));
    KT_CHECK_STATUS(NtClose(vol), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(dir), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(file), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(root), STATUS_SUCCESS);
}

KTEST(io_open_error_paths_answer_as_nt_does) {
    KT_CHECK_STATUS(try_open(L"\\SystemRoot\\no-such-file.txt", 0), STATUS_OBJECT_NAME_NOT_FOUND);
    KT_CHECK_STATUS(try_open(L"\\SystemRoot\\NoSuchDir\\x.txt", 0), STATUS_OBJECT_PATH_NOT_FOUND);
    KT_CHECK_STATUS(try_open(L"\\SystemRoot\\daytona.ini\\x", 0), STATUS_OBJECT_PATH_NOT_FOUND);
    KT_CHECK_STATUS(try_open(INI, FILE_DIRECTORY_FILE), STATUS_NOT_A_DIRECTORY);
    KT_CHECK_STATUS(try_open(L"\\SystemRoot\\daytona.ini\\", 0), STATUS_NOT_A_DIRECTORY);
    KT_CHECK_STATUS(try_open(L"\\SystemRoot\\System32", FILE_NON_DIRECTORY_FILE), STATUS_FILE_IS_A_DIRECTORY);
    KT_CHECK_STATUS(try_open(L"\\SystemRoot\\*.ini", 0), STATUS_OBJECT_NAME_INVALID);
    KT_CHECK_STATUS(try_open(L"\\SystemRoot\\daytona\x00e9.ini", 0),
                    STATUS_OBJECT_NAME_INVALID); /* not ASCII */
    KT_CHECK_STATUS(try_open(L"\\SystemRoot\\System32\\..\\daytona.ini", 0), STATUS_OBJECT_NAME_INVALID);
    KT_CHECK_STATUS(try_open(L"\\SystemRoot\\System32\\\\x", 0), STATUS_OBJECT_NAME_INVALID);
    KT_CHECK_STATUS(try_open(L"\\NoSuchFolder\\daytona.ini", 0), STATUS_OBJECT_PATH_NOT_FOUND);
    /* An embedded NUL. */
    static const WCHAR nul[] = {'\\', 'S', 'y', 's', 't', 'e', 'm', 'R', 'o', 'o', 't', '\\', 'a', 0, 'b'};
    UNICODE_STRING name = {sizeof nul, sizeof nul, (PWCHAR)nul};
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    HANDLE h;
    IO_STATUS_BLOCK iosb = {.Status = 0, .Information = 0};
    KT_CHECK_STATUS(NtOpenFile(&h, FILE_GENERIC_READ, &oa, &iosb, READ_SHARED, 0),
                    STATUS_OBJECT_NAME_INVALID);
    KT_CHECK_STATUS(iosb.Status, STATUS_OBJECT_NAME_INVALID); /* the file system answered */
    /* A name longer than the volume's paths (BFS_MAX_PATH - 1 characters). */
    static WCHAR longName[300];
    memcpy(longName, L"\\SystemRoot\\", 12 * sizeof(WCHAR));
    for (ULONG i = 12; i < ARRAYSIZE(longName) - 1; i++)
        longName[i] = (i % 100 == 0) ? L'\\' : L'a';
    longName[ARRAYSIZE(longName) - 1] = 0;
    KT_CHECK_STATUS(try_open(longName, 0), STATUS_OBJECT_NAME_INVALID);

    /* Only an open packet may reach the device: other object types cannot
     * name files, and a file service cannot open other object types. */
    UNICODE_STRING n2;
    OBJECT_ATTRIBUTES oa2 = oa_of(&n2, INI, NULL);
    KT_CHECK_STATUS(NtOpenEvent(&h, EVENT_ALL_ACCESS_FOR_TEST, &oa2), STATUS_OBJECT_TYPE_MISMATCH);
    KT_CHECK_STATUS(try_open(L"\\BaseNamedObjects", 0), STATUS_OBJECT_TYPE_MISMATCH);

    /* Parameter rules. */
    KT_CHECK_STATUS(try_create(INI, GENERIC_READ, FILE_MAXIMUM_DISPOSITION + 1), STATUS_INVALID_PARAMETER);
    KT_CHECK_STATUS(try_open(INI, FILE_DIRECTORY_FILE | FILE_NON_DIRECTORY_FILE), STATUS_INVALID_PARAMETER);
    KT_CHECK_STATUS(
        open_file(INI, NULL, FILE_READ_DATA, READ_SHARED, FILE_SYNCHRONOUS_IO_NONALERT, &h, &iosb),
        STATUS_INVALID_PARAMETER); /* synchronous I/O needs SYNCHRONIZE */
    KT_CHECK_STATUS(open_file(INI, NULL, FILE_GENERIC_READ, 0x80, 0, &h, &iosb), STATUS_INVALID_PARAMETER);
    KT_CHECK_STATUS(NtCreateFile(&h, FILE_GENERIC_READ, &oa2, &iosb, NULL, 0, READ_SHARED, FILE_OPEN, 0,
                                 IoTestBuffer, 16),
                    STATUS_ACCESS_DENIED); /* no extended attributes on this volume */
    KT_CHECK_STATUS(
        NtCreateFile(&h, FILE_GENERIC_READ, &oa2, NULL, NULL, 0, READ_SHARED, FILE_OPEN, 0, NULL, 0),
        STATUS_ACCESS_VIOLATION); /* the status block is required */
}

KTEST(io_the_boot_volume_is_write_protected) {
    KT_CHECK_STATUS(try_create(INI, GENERIC_WRITE, FILE_OPEN), STATUS_MEDIA_WRITE_PROTECTED);
    KT_CHECK_STATUS(try_create(INI, FILE_APPEND_DATA, FILE_OPEN), STATUS_MEDIA_WRITE_PROTECTED);
    KT_CHECK_STATUS(try_create(INI, GENERIC_READ | DELETE, FILE_OPEN), STATUS_MEDIA_WRITE_PROTECTED);
    KT_CHECK_STATUS(try_create(INI, GENERIC_ALL, FILE_OPEN), STATUS_MEDIA_WRITE_PROTECTED);
    KT_CHECK_STATUS(try_create(INI, GENERIC_READ, FILE_CREATE), STATUS_MEDIA_WRITE_PROTECTED);
    KT_CHECK_STATUS(try_create(INI, GENERIC_READ, FILE_SUPERSEDE), STATUS_MEDIA_WRITE_PROTECTED);
    KT_CHECK_STATUS(try_create(INI, GENERIC_READ, FILE_OVERWRITE), STATUS_MEDIA_WRITE_PROTECTED);
    KT_CHECK_STATUS(try_create(INI, GENERIC_READ, FILE_OVERWRITE_IF), STATUS_MEDIA_WRITE_PROTECTED);
    KT_CHECK_STATUS(try_create(L"\\SystemRoot\\new-file.txt", GENERIC_READ, FILE_CREATE),
                    STATUS_MEDIA_WRITE_PROTECTED);
    KT_CHECK_STATUS(try_create(L"\\SystemRoot\\new-file.txt", GENERIC_READ, FILE_OPEN_IF),
                    STATUS_MEDIA_WRITE_PROTECTED); /* it would be created */
    KT_CHECK_STATUS(try_create(L"\\SystemRoot\\no-dir\\new.txt", GENERIC_READ, FILE_OPEN_IF),
                    STATUS_OBJECT_PATH_NOT_FOUND);
    KT_CHECK_STATUS(try_create(L"\\SystemRoot\\new-file.txt", GENERIC_READ, FILE_OPEN),
                    STATUS_OBJECT_NAME_NOT_FOUND);

    /* MAXIMUM_ALLOWED gets the read-only rights, not an error. */
    HANDLE h;
    IO_STATUS_BLOCK iosb;
    KT_CHECK_STATUS(create_file(INI, MAXIMUM_ALLOWED, FILE_OPEN, 0, &h, &iosb), STATUS_SUCCESS);
    FILE_ACCESS_INFORMATION access = {0};
    KT_CHECK_STATUS(NtQueryInformationFile(h, &iosb, &access, sizeof access, FileAccessInformation),
                    STATUS_SUCCESS);
    KT_CHECK(access.AccessFlags & FILE_READ_DATA);
    KT_CHECK((access.AccessFlags & (FILE_WRITE_DATA | FILE_APPEND_DATA | DELETE)) == 0);
    /* Nothing that writes can be set either. */
    static FILE_BASIC_INFORMATION basic;
    KT_CHECK_STATUS(NtSetInformationFile(h, &iosb, &basic, sizeof basic, FileBasicInformation),
                    STATUS_MEDIA_WRITE_PROTECTED);
    FILE_DISPOSITION_INFORMATION del = {TRUE};
    KT_CHECK_STATUS(NtSetInformationFile(h, &iosb, &del, sizeof del, FileDispositionInformation),
                    STATUS_MEDIA_WRITE_PROTECTED);
    FILE_END_OF_FILE_INFORMATION eof = {.EndOfFile.QuadPart = 0};
    KT_CHECK_STATUS(NtSetInformationFile(h, &iosb, &eof, sizeof eof, FileEndOfFileInformation),
                    STATUS_MEDIA_WRITE_PROTECTED);
    KT_CHECK_STATUS(NtSetInformationFile(h, &iosb, &basic, sizeof basic, FileStandardInformation),
                    STATUS_INVALID_INFO_CLASS);
    KT_CHECK_STATUS(NtClose(h), STATUS_SUCCESS);
}

KTEST(io_share_access_is_enforced_between_opens) {
    HANDLE a, b, c;
    IO_STATUS_BLOCK iosb;
    ULONG before = pool_bytes(NT_TAG('I', 'o', 'S', 'h'));
    KT_CHECK_STATUS(open_file(INI, NULL, FILE_GENERIC_READ, 0, 0, &a, &iosb), STATUS_SUCCESS); /* exclusive */
    KT_CHECK_STATUS(
        open_file(L"\\SystemRoot\\DAYTONA.ini", NULL, FILE_GENERIC_READ, READ_SHARED, 0, &b, &iosb),
        STATUS_SHARING_VIOLATION);
    /* An open that reads no data takes no share slot. */
    KT_CHECK_STATUS(open_file(INI, NULL, FILE_READ_ATTRIBUTES, 0, 0, &c, &iosb), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(c), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(a), STATUS_SUCCESS);
    KT_CHECK_STATUS(open_file(INI, NULL, FILE_GENERIC_READ, FILE_SHARE_READ, 0, &a, &iosb), STATUS_SUCCESS);
    KT_CHECK_STATUS(open_file(INI, NULL, FILE_GENERIC_READ, FILE_SHARE_READ, 0, &b, &iosb), STATUS_SUCCESS);
    KT_CHECK_STATUS(open_file(INI, NULL, FILE_GENERIC_READ, 0, 0, &c, &iosb), STATUS_SHARING_VIOLATION);
    KT_CHECK_STATUS(NtClose(a), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(b), STATUS_SUCCESS);
    KT_CHECK_EQ(pool_bytes(NT_TAG('I', 'o', 'S', 'h')), before);
}

/* ---- reading ---- */

KTEST(io_read_whole_and_in_pieces_with_and_without_offsets) {
    ULONG size = expected_ini();
    KT_CHECK(size > 0);
    if (!size)
        return;
    char want[32];
    RtlFormatString(want, sizeof want, "Build=%u\r\n", NtBuildNumber);
    HANDLE h;
    IO_STATUS_BLOCK iosb;
    KT_CHECK_STATUS(
        open_file(INI, NULL, FILE_GENERIC_READ, READ_SHARED, FILE_SYNCHRONOUS_IO_NONALERT, &h, &iosb),
        STATUS_SUCCESS);
    /* Whole. */
    memset(IoTestBuffer, 0, sizeof IoTestBuffer);
    KT_CHECK_STATUS(NtReadFile(h, NULL, NULL, NULL, &iosb, IoTestBuffer, sizeof IoTestBuffer, NULL, NULL),
                    STATUS_SUCCESS);
    KT_CHECK_STATUS(iosb.Status, STATUS_SUCCESS);
    KT_CHECK_EQ(iosb.Information, size);
    KT_CHECK(memcmp(IoTestBuffer, IoTestExpected, size) == 0);
    KT_CHECK(contains(IoTestBuffer, size, want));
    KT_CHECK_EQ(position_of(h), size);
    iosb.Information = 99;
    KT_CHECK_STATUS(NtReadFile(h, NULL, NULL, NULL, &iosb, IoTestBuffer, 16, NULL, NULL), STATUS_END_OF_FILE);
    KT_CHECK_STATUS(iosb.Status, STATUS_END_OF_FILE);
    KT_CHECK_EQ(iosb.Information, 0);

    /* In 7-byte pieces from the current position, alternating NULL and the
     * FILE_USE_FILE_POINTER_POSITION sentinel. */
    FILE_POSITION_INFORMATION start = {.CurrentByteOffset.QuadPart = 0};
    KT_CHECK_STATUS(NtSetInformationFile(h, &iosb, &start, sizeof start, FilePositionInformation),
                    STATUS_SUCCESS);
    LARGE_INTEGER current = {.LowPart = FILE_USE_FILE_POINTER_POSITION, .HighPart = -1};
    ULONG total = 0, pieces = 0;
    BOOLEAN same = TRUE;
    for (;;) {
        NTSTATUS s =
            NtReadFile(h, NULL, NULL, NULL, &iosb, IoTestBuffer, 7, (pieces & 1) ? &current : NULL, NULL);
        if (s != STATUS_SUCCESS) {
            KT_CHECK_STATUS(s, STATUS_END_OF_FILE);
            break;
        }
        same &= iosb.Information <= 7 && total + iosb.Information <= size &&
                memcmp(IoTestBuffer, IoTestExpected + total, iosb.Information) == 0;
        total += (ULONG)iosb.Information;
        if (++pieces > size)
            break;
    }
    KT_CHECK(same);
    KT_CHECK_EQ(total, size);
    KT_CHECK_EQ(pieces, (size + 6) / 7);

    /* Explicit offsets read there and leave the position after the bytes read. */
    LARGE_INTEGER at = {.QuadPart = 10};
    KT_CHECK_STATUS(NtReadFile(h, NULL, NULL, NULL, &iosb, IoTestBuffer, 5, &at, NULL), STATUS_SUCCESS);
    KT_CHECK_EQ(iosb.Information, 5);
    KT_CHECK(memcmp(IoTestBuffer, IoTestExpected + 10, 5) == 0);
    KT_CHECK_EQ(position_of(h), 15);
    at.QuadPart = size - 3; /* a read across the end stops there */
    KT_CHECK_STATUS(NtReadFile(h, NULL, NULL, NULL, &iosb, IoTestBuffer, 100, &at, NULL), STATUS_SUCCESS);
    KT_CHECK_EQ(iosb.Information, 3);
    at.QuadPart = size;
    KT_CHECK_STATUS(NtReadFile(h, NULL, NULL, NULL, &iosb, IoTestBuffer, 1, &at, NULL), STATUS_END_OF_FILE);
    at.QuadPart = 0x100000000LL;
    KT_CHECK_STATUS(NtReadFile(h, NULL, NULL, NULL, &iosb, IoTestBuffer, 1, &at, NULL), STATUS_END_OF_FILE);
    KT_CHECK_EQ(position_of(h), size); /* failed reads leave it */
    at.QuadPart = 0;
    KT_CHECK_STATUS(NtReadFile(h, NULL, NULL, NULL, &iosb, IoTestBuffer, 0, &at, NULL), STATUS_SUCCESS);
    KT_CHECK_EQ(iosb.Information, 0);
    at.QuadPart = -5;
    KT_CHECK_STATUS(NtReadFile(h, NULL, NULL, NULL, &iosb, IoTestBuffer, 1, &at, NULL),
                    STATUS_INVALID_PARAMETER);
    at.LowPart = FILE_WRITE_TO_END_OF_FILE;
    at.HighPart = -1;
    KT_CHECK_STATUS(NtReadFile(h, NULL, NULL, NULL, &iosb, IoTestBuffer, 1, &at, NULL),
                    STATUS_INVALID_PARAMETER);
    KT_CHECK_STATUS(NtReadFile(h, NULL, (PVOID)1, NULL, &iosb, IoTestBuffer, 1, NULL, NULL),
                    STATUS_NOT_IMPLEMENTED);

    /* Unbuffered handles read whole sectors at sector offsets. */
    HANDLE raw;
    KT_CHECK_STATUS(
        open_file(INI, NULL, FILE_GENERIC_READ, READ_SHARED, FILE_NO_INTERMEDIATE_BUFFERING, &raw, &iosb),
        STATUS_SUCCESS);
    at.QuadPart = 0;
    KT_CHECK_STATUS(NtReadFile(raw, NULL, NULL, NULL, &iosb, IoTestBuffer, 16, &at, NULL),
                    STATUS_INVALID_PARAMETER);
    KT_CHECK_STATUS(NtReadFile(raw, NULL, NULL, NULL, &iosb, IoTestBuffer, 512, &at, NULL), STATUS_SUCCESS);
    KT_CHECK_EQ(iosb.Information, size);
    KT_CHECK_STATUS(NtClose(raw), STATUS_SUCCESS);

    /* Position: set, query, and the next read starts there. */
    FILE_POSITION_INFORMATION pos = {.CurrentByteOffset.QuadPart = 3};
    KT_CHECK_STATUS(NtSetInformationFile(h, &iosb, &pos, sizeof pos, FilePositionInformation),
                    STATUS_SUCCESS);
    KT_CHECK_EQ(position_of(h), 3);
    KT_CHECK_STATUS(NtReadFile(h, NULL, NULL, NULL, &iosb, IoTestBuffer, 4, NULL, NULL), STATUS_SUCCESS);
    KT_CHECK(memcmp(IoTestBuffer, IoTestExpected + 3, 4) == 0);
    KT_CHECK_EQ(position_of(h), 7);
    pos.CurrentByteOffset.QuadPart = 100000; /* past the end is allowed */
    KT_CHECK_STATUS(NtSetInformationFile(h, &iosb, &pos, sizeof pos, FilePositionInformation),
                    STATUS_SUCCESS);
    KT_CHECK_STATUS(NtReadFile(h, NULL, NULL, NULL, &iosb, IoTestBuffer, 4, NULL, NULL), STATUS_END_OF_FILE);
    pos.CurrentByteOffset.QuadPart = -1;
    KT_CHECK_STATUS(NtSetInformationFile(h, &iosb, &pos, sizeof pos, FilePositionInformation),
                    STATUS_INVALID_PARAMETER);
    KT_CHECK_STATUS(NtSetInformationFile(h, &iosb, &pos, 4, FilePositionInformation),
                    STATUS_INFO_LENGTH_MISMATCH);
    KT_CHECK_STATUS(NtClose(h), STATUS_SUCCESS);
}

KTEST(io_read_signals_its_event_and_refuses_directories) {
    HANDLE h, ev, dir;
    IO_STATUS_BLOCK iosb;
    KT_CHECK_STATUS(open_file(INI, NULL, FILE_GENERIC_READ, READ_SHARED, 0, &h, &iosb), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtCreateEvent(&ev, EVENT_ALL_ACCESS_FOR_TEST, NULL, NotificationEvent, FALSE),
                    STATUS_SUCCESS);
    LARGE_INTEGER zero = {.QuadPart = 0};
    KT_CHECK_STATUS(NtWaitForSingleObject(ev, FALSE, &zero), STATUS_TIMEOUT);
    KT_CHECK_STATUS(NtReadFile(h, ev, NULL, NULL, &iosb, IoTestBuffer, 8, NULL, NULL), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtWaitForSingleObject(ev, FALSE, &zero), STATUS_WAIT_0);
    KT_CHECK_STATUS(NtReadFile(h, h, NULL, NULL, &iosb, IoTestBuffer, 8, NULL, NULL),
                    STATUS_OBJECT_TYPE_MISMATCH);
    KT_CHECK_EQ(position_of(h), 8); /* the refused read did not move it */
    KT_CHECK_STATUS(NtReadFile(ev, NULL, NULL, NULL, &iosb, IoTestBuffer, 8, NULL, NULL),
                    STATUS_OBJECT_TYPE_MISMATCH);
    KT_CHECK_STATUS(NtReadFile((HANDLE)0x7FFC, NULL, NULL, NULL, &iosb, IoTestBuffer, 8, NULL, NULL),
                    STATUS_INVALID_HANDLE);
    KT_CHECK_STATUS(
        open_file(L"\\SystemRoot\\System32", NULL, FILE_GENERIC_READ, READ_SHARED, 0, &dir, &iosb),
        STATUS_SUCCESS);
    KT_CHECK_STATUS(NtReadFile(dir, NULL, NULL, NULL, &iosb, IoTestBuffer, 8, NULL, NULL),
                    STATUS_INVALID_DEVICE_REQUEST);
    KT_CHECK_STATUS(NtClose(dir), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(ev), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(h), STATUS_SUCCESS);
}

/* ---- information ---- */

KTEST(io_information_classes_describe_the_file) {
    ULONG size = expected_ini();
    HANDLE h;
    IO_STATUS_BLOCK iosb;
    KT_CHECK_STATUS(
        open_file(INI, NULL, FILE_GENERIC_READ, READ_SHARED, FILE_SYNCHRONOUS_IO_NONALERT, &h, &iosb),
        STATUS_SUCCESS);
    FILE_STANDARD_INFORMATION std;
    memset(&std, 0xCC, sizeof std);
    KT_CHECK_STATUS(NtQueryInformationFile(h, &iosb, &std, sizeof std, FileStandardInformation),
                    STATUS_SUCCESS);
    KT_CHECK_EQ(iosb.Information, sizeof std);
    KT_CHECK_EQ(std.EndOfFile.QuadPart, size);
    KT_CHECK_EQ(std.AllocationSize.QuadPart, ALIGN_UP(size, 512u));
    KT_CHECK_EQ(std.NumberOfLinks, 1);
    KT_CHECK_EQ(std.DeletePending, FALSE);
    KT_CHECK_EQ(std.Directory, FALSE);
    FILE_BASIC_INFORMATION basic;
    KT_CHECK_STATUS(NtQueryInformationFile(h, &iosb, &basic, sizeof basic, FileBasicInformation),
                    STATUS_SUCCESS);
    KT_CHECK_EQ(basic.FileAttributes, FILE_ATTRIBUTE_READONLY);
    FILE_MODE_INFORMATION mode;
    KT_CHECK_STATUS(NtQueryInformationFile(h, &iosb, &mode, sizeof mode, FileModeInformation),
                    STATUS_SUCCESS);
    KT_CHECK_EQ(mode.Mode, FILE_SYNCHRONOUS_IO_NONALERT);

    static UCHAR all[sizeof(FILE_ALL_INFORMATION) + 64];
    FILE_ALL_INFORMATION *a = (FILE_ALL_INFORMATION *)all;
    KT_CHECK_STATUS(NtQueryInformationFile(h, &iosb, all, sizeof all, FileAllInformation), STATUS_SUCCESS);
    KT_CHECK_EQ(a->StandardInformation.EndOfFile.QuadPart, size);
    KT_CHECK_EQ(a->AccessInformation.AccessFlags, FILE_GENERIC_READ);
    KT_CHECK(name_is(a->NameInformation.FileName, a->NameInformation.FileNameLength, "\\daytona.ini"));
    KT_CHECK_EQ(iosb.Information, offsetof(FILE_ALL_INFORMATION, NameInformation.FileName) + 24);

    /* A name that does not fit: as much as fits, the full length, a warning. */
    static UCHAR small[8];
    FILE_NAME_INFORMATION *n = (FILE_NAME_INFORMATION *)small;
    KT_CHECK_STATUS(NtQueryInformationFile(h, &iosb, small, sizeof small, FileNameInformation),
                    STATUS_BUFFER_OVERFLOW);
    KT_CHECK_STATUS(iosb.Status, STATUS_BUFFER_OVERFLOW);
    KT_CHECK_EQ(iosb.Information, 8);
    KT_CHECK_EQ(n->FileNameLength, 24);
    KT_CHECK(n->FileName[0] == L'\\' && n->FileName[1] == L'd');
    KT_CHECK_STATUS(
        NtQueryInformationFile(h, &iosb, all, sizeof(FILE_ALL_INFORMATION) + 2, FileAllInformation),
        STATUS_BUFFER_OVERFLOW);

    KT_CHECK_STATUS(NtQueryInformationFile(h, &iosb, &std, sizeof std - 1, FileStandardInformation),
                    STATUS_INFO_LENGTH_MISMATCH);
    KT_CHECK_STATUS(NtQueryInformationFile(h, &iosb, all, sizeof all, 99), STATUS_INVALID_INFO_CLASS);
    KT_CHECK_STATUS(NtQueryInformationFile(h, &iosb, all, sizeof all, FileDirectoryInformation),
                    STATUS_INVALID_INFO_CLASS);

    HANDLE dir;
    KT_CHECK_STATUS(open_file(L"\\SystemRoot\\System32", NULL, FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES,
                              READ_SHARED, 0, &dir, &iosb),
                    STATUS_SUCCESS);
    KT_CHECK_STATUS(NtQueryInformationFile(dir, &iosb, &std, sizeof std, FileStandardInformation),
                    STATUS_SUCCESS);
    KT_CHECK_EQ(std.Directory, TRUE);
    KT_CHECK_EQ(std.EndOfFile.QuadPart, 0);
    KT_CHECK_STATUS(NtQueryInformationFile(dir, &iosb, &basic, sizeof basic, FileBasicInformation),
                    STATUS_SUCCESS);
    KT_CHECK(basic.FileAttributes & FILE_ATTRIBUTE_DIRECTORY);
    KT_CHECK_STATUS(NtClose(dir), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(h), STATUS_SUCCESS);
}

/* ---- directories ---- */

typedef struct _LISTING {
    ULONG Entries;
    BOOLEAN Chained; /* every entry 8-byte aligned, inside the answer */
    BOOLEAN System32IsDir;
    BOOLEAN IniIsFile;
    LONGLONG IniSize;
} LISTING;

/* Walks a FILE_*_INFORMATION answer of Used bytes. */
static void walk(ULONG Class, const UCHAR *Buffer, ULONG Used, LISTING *L) {
    ULONG offset = 0;
    for (;;) {
        const UCHAR *e = Buffer + offset;
        const WCHAR *name;
        ULONG bytes, attributes = 0;
        LONGLONG eof = -1;
        if (Class == FileNamesInformation) {
            const FILE_NAMES_INFORMATION *n = (const FILE_NAMES_INFORMATION *)e;
            name = n->FileName;
            bytes = n->FileNameLength;
        } else {
            const FILE_DIRECTORY_INFORMATION *d = (const FILE_DIRECTORY_INFORMATION *)e;
            ULONG base = Class == FileDirectoryInformation ? offsetof(FILE_DIRECTORY_INFORMATION, FileName)
                         : Class == FileFullDirectoryInformation
                             ? offsetof(FILE_FULL_DIR_INFORMATION, FileName)
                             : offsetof(FILE_BOTH_DIR_INFORMATION, FileName);
            name = (const WCHAR *)(e + base);
            bytes = d->FileNameLength;
            attributes = d->FileAttributes;
            eof = d->EndOfFile.QuadPart;
        }
        L->Entries++;
        if (name_is(name, bytes, "System32"))
            L->System32IsDir = Class == FileNamesInformation || (attributes & FILE_ATTRIBUTE_DIRECTORY);
        if (name_is(name, bytes, "daytona.ini")) {
            L->IniIsFile = Class == FileNamesInformation || !(attributes & FILE_ATTRIBUTE_DIRECTORY);
            L->IniSize = eof;
        }
        ULONG next = *(const ULONG *)e;
        if (!next)
            break;
        offset += next;
        if (offset & 7 || offset >= Used)
            L->Chained = FALSE;
        if (offset >= Used)
            break;
    }
}

/* Lists \SystemRoot in Class with one fresh handle and Pattern. */
static NTSTATUS list_root(ULONG Class, PCWSTR Pattern, LISTING *L, NTSTATUS *Second) {
    HANDLE dir;
    IO_STATUS_BLOCK iosb;
    memset(L, 0, sizeof *L);
    L->Chained = TRUE;
    NTSTATUS s = open_file(L"\\SystemRoot", NULL, FILE_LIST_DIRECTORY | SYNCHRONIZE, READ_SHARED,
                           FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT, &dir, &iosb);
    if (!NT_SUCCESS(s))
        return s;
    UNICODE_STRING pattern;
    RtlInitUnicodeString(&pattern, Pattern);
    s = NtQueryDirectoryFile(dir, NULL, NULL, NULL, &iosb, IoTestBuffer, sizeof IoTestBuffer, Class, FALSE,
                             Pattern ? &pattern : NULL, TRUE);
    if (NT_SUCCESS(s))
        walk(Class, IoTestBuffer, (ULONG)iosb.Information, L);
    *Second = NtQueryDirectoryFile(dir, NULL, NULL, NULL, &iosb, IoTestBuffer, sizeof IoTestBuffer, Class,
                                   FALSE, NULL, FALSE);
    if (!NT_SUCCESS(NtClose(dir)))
        s = STATUS_UNSUCCESSFUL;
    return s;
}

KTEST(io_directory_listing_of_systemroot) {
    LISTING l;
    NTSTATUS second;
    static const ULONG classes[] = {FileDirectoryInformation, FileFullDirectoryInformation,
                                    FileBothDirectoryInformation, FileNamesInformation};
    for (ULONG i = 0; i < ARRAYSIZE(classes); i++) {
        KT_CHECK_STATUS(list_root(classes[i], NULL, &l, &second), STATUS_SUCCESS);
        KT_CHECK(l.Entries >= 2 && l.Chained && l.System32IsDir && l.IniIsFile);
        KT_CHECK_STATUS(second, STATUS_NO_MORE_FILES);
    }
    KT_CHECK_STATUS(list_root(FileDirectoryInformation, L"*.ini", &l, &second), STATUS_SUCCESS);
    KT_CHECK(l.Entries >= 1 && l.IniIsFile && !l.System32IsDir);
    KT_CHECK_EQ(l.IniSize, expected_ini());
    KT_CHECK_STATUS(second, STATUS_NO_MORE_FILES);
    KT_CHECK_STATUS(list_root(FileBothDirectoryInformation, L"DAYTONA.INI", &l, &second), STATUS_SUCCESS);
    KT_CHECK(l.Entries == 1 && l.IniIsFile); /* the name comes back as the volume spells it */
    KT_CHECK_STATUS(list_root(FileNamesInformation, L"?AYTONA.in?", &l, &second), STATUS_SUCCESS);
    KT_CHECK(l.Entries == 1 && l.IniIsFile);
    KT_CHECK_STATUS(list_root(FileDirectoryInformation, L"*.*", &l, &second), STATUS_SUCCESS);
    KT_CHECK(l.Entries >= 2 && l.IniIsFile && l.System32IsDir);
    KT_CHECK_STATUS(list_root(FileDirectoryInformation, L"Sys*", &l, &second), STATUS_SUCCESS);
    KT_CHECK(l.Entries >= 1 && l.System32IsDir && !l.IniIsFile);
    KT_CHECK_STATUS(list_root(FileNamesInformation, L"*3?", &l, &second), STATUS_SUCCESS);
    KT_CHECK(l.System32IsDir && !l.IniIsFile);
    KT_CHECK_STATUS(list_root(FileNamesInformation, L"d*.*", &l, &second), STATUS_SUCCESS);
    KT_CHECK(l.IniIsFile && !l.System32IsDir);
    KT_CHECK_STATUS(list_root(FileNamesInformation, L"*A*", &l, &second), STATUS_SUCCESS);
    KT_CHECK(l.IniIsFile && !l.System32IsDir);
    KT_CHECK_STATUS(list_root(FileNamesInformation, L"daytona", &l, &second), STATUS_NO_SUCH_FILE);
    KT_CHECK_STATUS(list_root(FileNamesInformation, L"daytona.ini?", &l, &second), STATUS_NO_SUCH_FILE);
    KT_CHECK_STATUS(list_root(FileDirectoryInformation, L"nomatch*", &l, &second), STATUS_NO_SUCH_FILE);
    KT_CHECK_STATUS(second, STATUS_NO_MORE_FILES); /* only the first query says "no such file" */
}

KTEST(io_directory_queries_resume_restart_and_overflow) {
    HANDLE dir, file;
    IO_STATUS_BLOCK iosb;
    KT_CHECK_STATUS(open_file(L"\\SystemRoot", NULL, FILE_LIST_DIRECTORY, READ_SHARED, 0, &dir, &iosb),
                    STATUS_SUCCESS);
    FILE_NAMES_INFORMATION *n = (FILE_NAMES_INFORMATION *)IoTestBuffer;
    /* One at a time. */
    ULONG singles = 0;
    NTSTATUS s;
    while ((s = NtQueryDirectoryFile(dir, NULL, NULL, NULL, &iosb, IoTestBuffer, sizeof IoTestBuffer,
                                     FileNamesInformation, TRUE, NULL, FALSE)) == STATUS_SUCCESS) {
        KT_CHECK_EQ(n->NextEntryOffset, 0);
        KT_CHECK_EQ(iosb.Information, offsetof(FILE_NAMES_INFORMATION, FileName) + n->FileNameLength);
        if (++singles > 64)
            break;
    }
    KT_CHECK_STATUS(s, STATUS_NO_MORE_FILES);
    KT_CHECK_STATUS(iosb.Status, STATUS_NO_MORE_FILES);
    KT_CHECK(singles >= 2);
    /* RestartScan starts again; a new pattern with it replaces the old one. */
    KT_CHECK_STATUS(NtQueryDirectoryFile(dir, NULL, NULL, NULL, &iosb, IoTestBuffer, sizeof IoTestBuffer,
                                         FileNamesInformation, TRUE, NULL, TRUE),
                    STATUS_SUCCESS);
    UNICODE_STRING ini;
    RtlInitUnicodeString(&ini, L"daytona.ini");
    KT_CHECK_STATUS(NtQueryDirectoryFile(dir, NULL, NULL, NULL, &iosb, IoTestBuffer, sizeof IoTestBuffer,
                                         FileNamesInformation, FALSE, &ini, TRUE),
                    STATUS_SUCCESS);
    KT_CHECK(n->NextEntryOffset == 0 && name_is(n->FileName, n->FileNameLength, "daytona.ini"));

    /* A buffer that holds the fixed part but not the whole name. */
    KT_CHECK_STATUS(NtQueryDirectoryFile(dir, NULL, NULL, NULL, &iosb, IoTestBuffer,
                                         sizeof(FILE_NAMES_INFORMATION), FileNamesInformation, FALSE, NULL,
                                         TRUE),
                    STATUS_BUFFER_OVERFLOW);
    KT_CHECK_STATUS(iosb.Status, STATUS_BUFFER_OVERFLOW);
    KT_CHECK_EQ(iosb.Information, sizeof(FILE_NAMES_INFORMATION));
    KT_CHECK_EQ(n->FileNameLength, 22); /* the full length of "daytona.ini" */
    KT_CHECK_STATUS(NtQueryDirectoryFile(dir, NULL, NULL, NULL, &iosb, IoTestBuffer, sizeof IoTestBuffer,
                                         FileNamesInformation, FALSE, NULL, FALSE),
                    STATUS_SUCCESS);
    KT_CHECK(name_is(n->FileName, n->FileNameLength, "daytona.ini")); /* the cut entry comes again */
    /* Room for the first entry but not the second: one entry, success, and
     * the second comes first next time. */
    HANDLE fresh;
    KT_CHECK_STATUS(open_file(L"\\SystemRoot", NULL, FILE_LIST_DIRECTORY, READ_SHARED, 0, &fresh, &iosb),
                    STATUS_SUCCESS);
    KT_CHECK_STATUS(NtQueryDirectoryFile(fresh, NULL, NULL, NULL, &iosb, IoTestBuffer, sizeof IoTestBuffer,
                                         FileNamesInformation, TRUE, NULL, FALSE),
                    STATUS_SUCCESS);
    ULONG first = (ULONG)iosb.Information;
    KT_CHECK_STATUS(NtQueryDirectoryFile(fresh, NULL, NULL, NULL, &iosb, IoTestBuffer,
                                         ALIGN_UP(first, 8u) + 12, FileNamesInformation, FALSE, NULL, TRUE),
                    STATUS_SUCCESS);
    KT_CHECK_EQ(iosb.Information, first);
    KT_CHECK_EQ(n->NextEntryOffset, 0);
    KT_CHECK_STATUS(NtQueryDirectoryFile(fresh, NULL, NULL, NULL, &iosb, IoTestBuffer, sizeof IoTestBuffer,
                                         FileNamesInformation, TRUE, NULL, FALSE),
                    STATUS_SUCCESS); /* the entry that did not fit */
    KT_CHECK_EQ(n->FileIndex, 1);
    KT_CHECK_STATUS(NtClose(fresh), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtQueryDirectoryFile(dir, NULL, NULL, NULL, &iosb, IoTestBuffer,
                                         sizeof(FILE_NAMES_INFORMATION) - 1, FileNamesInformation, FALSE,
                                         NULL, TRUE),
                    STATUS_INFO_LENGTH_MISMATCH);
    KT_CHECK_STATUS(NtQueryDirectoryFile(dir, NULL, NULL, NULL, &iosb, IoTestBuffer, sizeof IoTestBuffer,
                                         FileBasicInformation, FALSE, NULL, TRUE),
                    STATUS_INVALID_INFO_CLASS);
    KT_CHECK_STATUS(NtQueryDirectoryFile(dir, NULL, (PVOID)1, NULL, &iosb, IoTestBuffer, sizeof IoTestBuffer,
                                         FileNamesInformation, FALSE, NULL, TRUE),
                    STATUS_NOT_IMPLEMENTED);
    KT_CHECK_STATUS(open_file(INI, NULL, FILE_GENERIC_READ, READ_SHARED, 0, &file, &iosb), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtQueryDirectoryFile(file, NULL, NULL, NULL, &iosb, IoTestBuffer, sizeof IoTestBuffer,
                                         FileNamesInformation, FALSE, NULL, TRUE),
                    STATUS_INVALID_PARAMETER); /* a file is not a directory */
    KT_CHECK_STATUS(NtClose(file), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(dir), STATUS_SUCCESS);
}

/* ---- hostile callers ---- */

/* A page of user memory in the System process, laid out as a program's
 * arguments would be. */
typedef struct _USER_ARGS {
    HANDLE Handle;
    ULONG Pad;
    IO_STATUS_BLOCK Iosb;
    OBJECT_ATTRIBUTES Oa;
    UNICODE_STRING Name;
    LARGE_INTEGER Offset;
    WCHAR NameText[64];
    ULONG Info[64];
    UCHAR Data[1024];
} USER_ARGS;

KTEST(io_user_mode_callers_work_and_hostile_pointers_fail_cleanly) {
    PKTHREAD t = KeGetCurrentThread();
    PVOID base = NULL;
    SIZE_T size = PAGE_SIZE;
    KT_CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size, MEM_RESERVE | MEM_COMMIT,
                                            PAGE_READWRITE),
                    STATUS_SUCCESS);
    if (!base)
        return;
    _Static_assert(sizeof(USER_ARGS) <= PAGE_SIZE, "one page");
    USER_ARGS *u = base;
    memset(u, 0, sizeof *u); /* kernel mode: faults the page in */
    memcpy(u->NameText, INI, sizeof INI);
    u->Name.Length = sizeof INI - sizeof(WCHAR);
    u->Name.MaximumLength = sizeof INI;
    u->Name.Buffer = u->NameText;
    InitializeObjectAttributes(&u->Oa, &u->Name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    ULONG size_ini = expected_ini();

    ULONG files = IoFileObjectType->TotalNumberOfObjects;
    ULONG handles = PsGetCurrentProcess()->ObjectTable.HandleCount;
    static const ULONG tags[] = {NT_TAG('C', 'a', 'p', 't'), NT_TAG('I', 'o', 'R', 'd'),
                                 NT_TAG('I', 'o', 'Q', 'y'), NT_TAG('I', 'o', 'P', 't'),
                                 NT_TAG('I', 'o', 'S', 'h'), NT_TAG('F', 'i', 'l', 'e')};
    ULONG before[ARRAYSIZE(tags)];
    for (ULONG i = 0; i < ARRAYSIZE(tags); i++)
        before[i] = pool_bytes(tags[i]);

    HANDLE kernelDir, attributesOnly, dataOnly;
    IO_STATUS_BLOCK kiosb;
    KT_CHECK_STATUS(
        open_file(L"\\SystemRoot", NULL, FILE_READ_ATTRIBUTES, READ_SHARED, 0, &kernelDir, &kiosb),
        STATUS_SUCCESS);
    KT_CHECK_STATUS(open_file(INI, NULL, FILE_READ_ATTRIBUTES, READ_SHARED, 0, &attributesOnly, &kiosb),
                    STATUS_SUCCESS);
    KT_CHECK_STATUS(open_file(INI, NULL, FILE_READ_DATA, READ_SHARED, 0, &dataOnly, &kiosb), STATUS_SUCCESS);

    UCHAR saved = t->PreviousMode;
    t->PreviousMode = UserMode;
    /* A well-behaved caller. */
    NTSTATUS open = NtOpenFile(&u->Handle, FILE_GENERIC_READ, &u->Oa, &u->Iosb, READ_SHARED, 0);
    HANDLE h = u->Handle;
    NTSTATUS openIosb = u->Iosb.Status;
    ULONG_PTR opened = u->Iosb.Information;
    NTSTATUS read = NtReadFile(h, NULL, NULL, NULL, &u->Iosb, u->Data, sizeof u->Data, NULL, NULL);
    ULONG_PTR readBytes = u->Iosb.Information;
    NTSTATUS query = NtQueryInformationFile(h, &u->Iosb, u->Info, sizeof u->Info, FileStandardInformation);
    /* Hostile ones. */
    NTSTATUS openBadHandle = NtOpenFile(KERNEL_ADDRESS, FILE_GENERIC_READ, &u->Oa, &u->Iosb, READ_SHARED, 0);
    NTSTATUS openBadIosb = NtOpenFile(&u->Handle, FILE_GENERIC_READ, &u->Oa, KERNEL_ADDRESS, READ_SHARED, 0);
    NTSTATUS openUnmappedIosb =
        NtOpenFile(&u->Handle, FILE_GENERIC_READ, &u->Oa, UNMAPPED_USER_ADDRESS, READ_SHARED, 0);
    NTSTATUS openBadOa = NtOpenFile(&u->Handle, FILE_GENERIC_READ, KERNEL_ADDRESS, &u->Iosb, READ_SHARED, 0);
    u->Name.Buffer = KERNEL_ADDRESS;
    NTSTATUS openBadName = NtOpenFile(&u->Handle, FILE_GENERIC_READ, &u->Oa, &u->Iosb, READ_SHARED, 0);
    u->Name.Buffer = u->NameText;
    NTSTATUS createBadEa = NtCreateFile(&u->Handle, FILE_GENERIC_READ, &u->Oa, &u->Iosb, NULL, 0, READ_SHARED,
                                        FILE_OPEN, 0, KERNEL_ADDRESS, 16);
    NTSTATUS readKernelBuffer = NtReadFile(h, NULL, NULL, NULL, &u->Iosb, KERNEL_ADDRESS, 16, NULL, NULL);
    NTSTATUS readUnmappedBuffer =
        NtReadFile(h, NULL, NULL, NULL, &u->Iosb, UNMAPPED_USER_ADDRESS, 16, &u->Offset, NULL);
    NTSTATUS readPastUserSpace =
        NtReadFile(h, NULL, NULL, NULL, &u->Iosb, (PVOID)0x7FFEFFF0, 0x20, &u->Offset, NULL);
    NTSTATUS readBadIosb = NtReadFile(h, NULL, NULL, NULL, KERNEL_ADDRESS, u->Data, 16, &u->Offset, NULL);
    NTSTATUS readBadOffset = NtReadFile(h, NULL, NULL, NULL, &u->Iosb, u->Data, 16, KERNEL_ADDRESS, NULL);
    NTSTATUS readBadKey = NtReadFile(h, NULL, NULL, NULL, &u->Iosb, u->Data, 16, &u->Offset, KERNEL_ADDRESS);
    NTSTATUS readNoAccess =
        NtReadFile(attributesOnly, NULL, NULL, NULL, &u->Iosb, u->Data, 16, &u->Offset, NULL);
    LONGLONG positionAfter = -1;
    NTSTATUS position = NtQueryInformationFile(h, &u->Iosb, u->Info, sizeof(FILE_POSITION_INFORMATION),
                                               FilePositionInformation);
    if (NT_SUCCESS(position))
        positionAfter = ((FILE_POSITION_INFORMATION *)u->Info)->CurrentByteOffset.QuadPart;
    NTSTATUS queryBadBuffer =
        NtQueryInformationFile(h, &u->Iosb, KERNEL_ADDRESS, 64, FileStandardInformation);
    NTSTATUS queryMisaligned =
        NtQueryInformationFile(h, &u->Iosb, (PUCHAR)u->Info + 1, 64, FileStandardInformation);
    NTSTATUS queryBadIosb = NtQueryInformationFile(h, KERNEL_ADDRESS, u->Info, 64, FileStandardInformation);
    NTSTATUS standardNeedsNothing =
        NtQueryInformationFile(attributesOnly, &u->Iosb, u->Info, sizeof u->Info, FileStandardInformation);
    NTSTATUS basicNoAccess =
        NtQueryInformationFile(dataOnly, &u->Iosb, u->Info, sizeof u->Info, FileBasicInformation);
    NTSTATUS setBadBuffer = NtSetInformationFile(h, &u->Iosb, KERNEL_ADDRESS, 8, FilePositionInformation);
    NTSTATUS setBasic =
        NtSetInformationFile(h, &u->Iosb, u->Info, sizeof(FILE_BASIC_INFORMATION), FileBasicInformation);
    NTSTATUS dirBadBuffer = NtQueryDirectoryFile(kernelDir, NULL, NULL, NULL, &u->Iosb, KERNEL_ADDRESS, 256,
                                                 FileNamesInformation, FALSE, NULL, TRUE);
    NTSTATUS dirNoAccess = NtQueryDirectoryFile(kernelDir, NULL, NULL, NULL, &u->Iosb, u->Data,
                                                sizeof u->Data, FileNamesInformation, FALSE, NULL, TRUE);
    u->Name.Buffer = KERNEL_ADDRESS;
    NTSTATUS dirBadPattern =
        NtQueryDirectoryFile(kernelDir, NULL, NULL, NULL, &u->Iosb, u->Data, sizeof u->Data,
                             FileNamesInformation, FALSE, &u->Name, TRUE);
    u->Name.Buffer = u->NameText;
    NTSTATUS close = NtClose(h);
    t->PreviousMode = saved;

    KT_CHECK_STATUS(open, STATUS_SUCCESS);
    KT_CHECK_STATUS(openIosb, STATUS_SUCCESS);
    KT_CHECK_EQ(opened, FILE_OPENED);
    KT_CHECK_STATUS(read, STATUS_SUCCESS);
    KT_CHECK_EQ(readBytes, size_ini);
    KT_CHECK(size_ini && memcmp(u->Data, IoTestExpected, size_ini) == 0);
    KT_CHECK_STATUS(query, STATUS_SUCCESS);
    KT_CHECK_STATUS(openBadHandle, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(openBadIosb, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(openUnmappedIosb, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(openBadOa, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(openBadName, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(createBadEa, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(readKernelBuffer, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(readUnmappedBuffer, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(readPastUserSpace, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(readBadIosb, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(readBadOffset, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(readBadKey, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(readNoAccess, STATUS_ACCESS_DENIED);
    KT_CHECK_STATUS(position, STATUS_SUCCESS);
    KT_CHECK_EQ(positionAfter, size_ini); /* none of the refused reads moved it */
    KT_CHECK_STATUS(queryBadBuffer, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(queryMisaligned, STATUS_DATATYPE_MISALIGNMENT);
    KT_CHECK_STATUS(queryBadIosb, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(standardNeedsNothing, STATUS_SUCCESS); /* FileStandardInformation needs no access */
    KT_CHECK_STATUS(basicNoAccess,
                    STATUS_ACCESS_DENIED); /* FileBasicInformation needs FILE_READ_ATTRIBUTES */
    KT_CHECK_STATUS(setBadBuffer, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(setBasic,
                    STATUS_ACCESS_DENIED); /* a user handle never holds FILE_WRITE_ATTRIBUTES here */
    KT_CHECK_STATUS(dirBadBuffer, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(dirNoAccess, STATUS_ACCESS_DENIED); /* the handle lacks FILE_LIST_DIRECTORY */
    KT_CHECK_STATUS(dirBadPattern, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(close, STATUS_SUCCESS);

    KT_CHECK_STATUS(NtClose(dataOnly), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(attributesOnly), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(kernelDir), STATUS_SUCCESS);
    KT_CHECK_EQ(PsGetCurrentProcess()->ObjectTable.HandleCount, handles);
    KT_CHECK_EQ(IoFileObjectType->TotalNumberOfObjects, files);
    for (ULONG i = 0; i < ARRAYSIZE(tags); i++)
        KT_CHECK_EQ(pool_bytes(tags[i]), before[i]);
    KT_CHECK(t->FaultRecovery == 0);
    size = 0;
    KT_CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &base, &size, MEM_RELEASE), STATUS_SUCCESS);
}

KTEST(io_hostile_kernel_addresses_without_user_memory) {
    /* The same refusals with nothing mapped at all: every pointer is bad. */
    PKTHREAD t = KeGetCurrentThread();
    ULONG handles = PsGetCurrentProcess()->ObjectTable.HandleCount;
    ULONG capt = pool_bytes(NT_TAG('C', 'a', 'p', 't'));
    HANDLE h;
    IO_STATUS_BLOCK iosb;
    KT_CHECK_STATUS(open_file(INI, NULL, FILE_GENERIC_READ, READ_SHARED, 0, &h, &iosb), STATUS_SUCCESS);
    UCHAR saved = t->PreviousMode;
    t->PreviousMode = UserMode;
    NTSTATUS a =
        NtOpenFile(UNMAPPED_USER_ADDRESS, FILE_GENERIC_READ, KERNEL_ADDRESS, UNMAPPED_USER_ADDRESS, 0, 0);
    NTSTATUS b =
        NtReadFile(h, NULL, NULL, NULL, UNMAPPED_USER_ADDRESS, UNMAPPED_USER_ADDRESS, 16, NULL, NULL);
    NTSTATUS c = NtQueryDirectoryFile(h, NULL, NULL, NULL, KERNEL_ADDRESS, KERNEL_ADDRESS, 256,
                                      FileNamesInformation, FALSE, NULL, TRUE);
    NTSTATUS d =
        NtQueryInformationFile(h, UNMAPPED_USER_ADDRESS, UNMAPPED_USER_ADDRESS, 64, FilePositionInformation);
    t->PreviousMode = saved;
    KT_CHECK_STATUS(a, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(b, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(c, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(d, STATUS_ACCESS_VIOLATION);
    KT_CHECK_EQ(position_of(h), 0);
    KT_CHECK_STATUS(NtClose(h), STATUS_SUCCESS);
    KT_CHECK_EQ(PsGetCurrentProcess()->ObjectTable.HandleCount, handles);
    KT_CHECK_EQ(pool_bytes(NT_TAG('C', 'a', 'p', 't')), capt);
    KT_CHECK(t->FaultRecovery == 0);
}
