/*
 * test_bootfs.c - in-kernel checks of \SystemRoot: the build's own files are
 * there with the right bytes, and a damaged copy of the image is refused.
 */
#include "../../kernel/include/ex.h"
#include "../../kernel/include/io.h"
#include "../../kernel/include/ke.h"
#include "../../kernel/include/ktest.h"
#include "../../kernel/include/rtl.h"

#define TAG_TEST NT_TAG('K', 't', 'F', 's')

KTEST(systemroot_holds_the_build_stamp) {
    BFS_FILE f;
    char text[256], want[32];
    SIZE_T got = 0;
    KT_CHECK_STATUS(IoOpenSystemFile("\\SystemRoot\\daytona.ini", &f), STATUS_SUCCESS);
    KT_CHECK(!f.IsDirectory && f.Size > 0 && f.Size < sizeof text);
    KT_CHECK_STATUS(BfsRead(&f, 0, text, sizeof text - 1, &got), STATUS_SUCCESS);
    KT_CHECK_EQ(got, f.Size);
    text[got < sizeof text ? got : sizeof text - 1] = '\0';
    RtlFormatString(want, sizeof want, "Build=%u\r\n", NtBuildNumber);
    BOOLEAN found = FALSE;
    for (SIZE_T i = 0; i + strlen(want) <= got; i++)
        found |= memcmp(text + i, want, strlen(want)) == 0;
    KT_CHECK(found);
    /* NT names are case-insensitive. */
    KT_CHECK_STATUS(IoOpenSystemFile("\\SYSTEMROOT\\DAYTONA.INI", &f), STATUS_SUCCESS);
    KT_CHECK_STATUS(IoOpenSystemFile("\\SystemRoot\\no-such-file", &f), STATUS_OBJECT_NAME_NOT_FOUND);
    KT_CHECK_STATUS(IoOpenSystemFile("\\Elsewhere\\daytona.ini", &f), STATUS_OBJECT_PATH_NOT_FOUND);
}

KTEST(systemroot_lists_its_directory) {
    BFS_DIRENT e;
    BOOLEAN sawIni = FALSE, sawSystem32 = FALSE;
    ULONG i = 0;
    for (; i < 64 && NT_SUCCESS(IoQuerySystemDirectory("\\SystemRoot", i, &e)); i++) {
        if (strcmp(e.Name, "daytona.ini") == 0)
            sawIni = !e.IsDirectory;
        if (strcmp(e.Name, "System32") == 0)
            sawSystem32 = e.IsDirectory;
    }
    KT_CHECK(sawIni);
    KT_CHECK(sawSystem32);
    KT_CHECK_STATUS(IoQuerySystemDirectory("\\SystemRoot", i, &e), STATUS_NO_MORE_FILES);
    KT_CHECK_STATUS(IoQuerySystemDirectory("\\SystemRoot\\daytona.ini", 0, &e), STATUS_NOT_A_DIRECTORY);
}

KTEST(damaged_copies_of_the_system_image_are_refused) {
    const BFS_VOLUME *v = IoGetSystemRootVolume();
    KT_CHECK(v != NULL);
    if (!v)
        return;
    SIZE_T size = v->DataEnd + 2 * TAR_BLOCK_SIZE;
    UCHAR *copy = ExAllocatePoolWithTag(NonPagedPool, size, TAG_TEST);
    KT_CHECK(copy != NULL);
    if (!copy)
        return;
    BFS_VOLUME test;
    PCSTR reason = "";
    memcpy(copy, v->Image, size);
    KT_CHECK_STATUS(BfsMount(&test, copy, size, &reason), STATUS_SUCCESS);
    copy[3] ^= 0x20; /* a name byte: the header checksum no longer matches */
    KT_CHECK_STATUS(BfsMount(&test, copy, size, &reason), STATUS_FILE_CORRUPT_ERROR);
    KT_CHECK(reason[0] != '\0');
    copy[3] ^= 0x20;
    KT_CHECK_STATUS(BfsMount(&test, copy, v->DataEnd - 100, &reason), STATUS_FILE_CORRUPT_ERROR);
    ExFreePoolWithTag(copy, TAG_TEST);
}
