/*
 * test_tar.c - the boot file system serves archives made by GNU tar and
 * refuses every corrupt one before any lookup trusts it.
 *
 * Why: \SystemRoot is a stock `tar --format=ustar` archive, so the first half
 * builds a real directory tree, archives it with GNU tar and checks that what
 * went in comes back out (names folded for case and '\\', partial reads,
 * directory listings, a path long enough to need the ustar prefix field). The
 * second half starts from a small archive built here, header by header, and
 * breaks one thing at a time, recomputing the checksum so that only the
 * intended fault is present. Every image is copied into a malloc'd buffer of
 * exactly its size, so ASan turns any read past the image into a failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../kernel/include/io.h"
#include "unit.h"

/* ---- helpers ---- */

static UCHAR *copy_image(const void *Image, SIZE_T Size) {
    UCHAR *copy = malloc(Size ? Size : 1);
    if (Size)
        memcpy(copy, Image, Size);
    return copy;
}

/* ustar header fields used here. */
#define H_NAME 0
#define H_MODE 100
#define H_UID 108
#define H_GID 116
#define H_SIZE 124
#define H_MTIME 136
#define H_CHKSUM 148
#define H_TYPEFLAG 156
#define H_LINKNAME 157
#define H_MAGIC 257
#define H_VERSION 263
#define H_PREFIX 345

/* Recomputes a header's checksum: the sum of its 512 bytes with the checksum
 * field counted as eight spaces, stored as six octal digits, NUL, space. */
static void tar_fix_checksum(UCHAR *Header) {
    memset(Header + H_CHKSUM, ' ', 8);
    ULONG sum = 0;
    for (int i = 0; i < TAR_BLOCK_SIZE; i++)
        sum += Header[i];
    char field[8];
    snprintf(field, sizeof field, "%06o", (unsigned)sum);
    memcpy(Header + H_CHKSUM, field, 6);
    Header[H_CHKSUM + 6] = '\0';
    Header[H_CHKSUM + 7] = ' ';
}

typedef struct _TAR_BUILDER {
    UCHAR Data[65536];
    SIZE_T Length;
} TAR_BUILDER;

static void tar_begin(TAR_BUILDER *t) {
    memset(t->Data, 0, sizeof t->Data);
    t->Length = 0;
}

/* Appends a ustar header (and the data, padded to a block); returns the
 * header's offset. */
static SIZE_T tar_add(TAR_BUILDER *t, const char *Name, char Type, const void *Data, SIZE_T Size) {
    SIZE_T at = t->Length;
    UCHAR *h = t->Data + at;
    memcpy(h + H_NAME, Name, strlen(Name));
    memcpy(h + H_MODE, Type == '5' ? "0000755" : "0000644", 8);
    memcpy(h + H_UID, "0000000", 8);
    memcpy(h + H_GID, "0000000", 8);
    char size[12];
    snprintf(size, sizeof size, "%011lo", (unsigned long)Size);
    memcpy(h + H_SIZE, size, 12);
    memcpy(h + H_MTIME, "00000000000", 12);
    h[H_TYPEFLAG] = (UCHAR)Type;
    memcpy(h + H_MAGIC, "ustar", 6);
    memcpy(h + H_VERSION, "00", 2);
    tar_fix_checksum(h);
    t->Length += TAR_BLOCK_SIZE;
    if (Size) {
        memcpy(t->Data + t->Length, Data, Size);
        t->Length += ALIGN_UP(Size, (SIZE_T)TAR_BLOCK_SIZE);
    }
    return at;
}

static void tar_end(TAR_BUILDER *t) {
    t->Length += 2 * TAR_BLOCK_SIZE;
}

/* The small archive the corruption tests break:
 *   a.txt (600 bytes), dir/b.txt (10 bytes), dir/c.txt (empty), end marker.
 * No header names "dir" itself: it exists only through its children. */
static UCHAR SmallA[600];
static SIZE_T SmallHeaderA, SmallHeaderB, SmallHeaderC, SmallEnd;

static void build_small(TAR_BUILDER *t) {
    for (int i = 0; i < 600; i++)
        SmallA[i] = (UCHAR)(i * 13 + 1);
    tar_begin(t);
    SmallHeaderA = tar_add(t, "a.txt", '0', SmallA, sizeof SmallA);
    SmallHeaderB = tar_add(t, "dir/b.txt", '0', "0123456789", 10);
    SmallHeaderC = tar_add(t, "dir/c.txt", '0', NULL, 0);
    SmallEnd = t->Length;
    tar_end(t);
}

/* Mounts a private copy of exactly Size bytes. Checks that a refused image
 * leaves the volume untouched and comes with a reason. */
static NTSTATUS mount_copy(const UCHAR *Image, SIZE_T Size, PCSTR *Reason) {
    UCHAR *copy = copy_image(Image, Size);
    BFS_VOLUME volume, before;
    memset(&volume, 0xA5, sizeof volume);
    before = volume;
    *Reason = NULL;
    NTSTATUS status = BfsMount(&volume, copy, Size, Reason);
    if (!NT_SUCCESS(status)) {
        CHECK(memcmp(&volume, &before, sizeof volume) == 0);
        CHECK(*Reason != NULL && (*Reason)[0] != '\0');
    }
    free(copy);
    return status;
}

#define CHECK_CORRUPT(image, size)                                                                           \
    do {                                                                                                     \
        PCSTR reason_;                                                                                       \
        CHECK_STATUS(mount_copy((image), (size), &reason_), STATUS_FILE_CORRUPT_ERROR);                      \
    } while (0)

/* ---- the archive GNU tar makes ---- */

#define NTDLL_SIZE 3000
#define README_SIZE 1000
#define SYSTEM_INI "[boot]\r\nshell=csrss.exe\r\n"
#define LONG_DIR1 "LongDirectoryName_0123456789abcdefghijklmnopqrstuvwxyz"
#define LONG_DIR2 "SecondLongDirectoryName_0123456789abcdefghij"
#define LONG_DIR3 "ThirdLevel_0123456789"
#define LONG_FILE "deep_file_with_a_long_name.txt"
#define LONG_PATH LONG_DIR1 "/" LONG_DIR2 "/" LONG_DIR3 "/" LONG_FILE
#define LONG_TEXT "deep down\n"

static UCHAR *GnuImage;
static SIZE_T GnuSize;

static UCHAR ntdll_byte(SIZE_T i) {
    return i == 0 ? 'M' : i == 1 ? 'Z' : (UCHAR)(i * 31 + 7);
}
static UCHAR readme_byte(SIZE_T i) {
    return (UCHAR)('A' + i % 26);
}

static BOOLEAN write_file(const char *Dir, const char *Name, const void *Data, SIZE_T Size) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", Dir, Name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return FALSE;
    BOOLEAN ok = fwrite(Data, 1, Size, f) == Size;
    return fclose(f) == 0 && ok;
}

static BOOLEAN make_dir(const char *Dir, const char *Name) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", Dir, Name);
    return mkdir(path, 0755) == 0;
}

/* Builds the tree, archives it with `tar --format=ustar` and loads the
 * archive into GnuImage (malloc'd to exactly its size). */
static BOOLEAN build_gnu_archive(void) {
    char dir[] = "/tmp/daytona-bfs-XXXXXX";
    if (!mkdtemp(dir))
        return FALSE;
    char tree[1100], tarfile[1100], command[4096];
    snprintf(tree, sizeof tree, "%s/tree", dir);
    snprintf(tarfile, sizeof tarfile, "%s/system.tar", dir);
    UCHAR ntdll[NTDLL_SIZE], readme[README_SIZE];
    for (SIZE_T i = 0; i < NTDLL_SIZE; i++)
        ntdll[i] = ntdll_byte(i);
    for (SIZE_T i = 0; i < README_SIZE; i++)
        readme[i] = readme_byte(i);
    BOOLEAN ok =
        mkdir(tree, 0755) == 0 && make_dir(tree, "System32") && make_dir(tree, "System32/config") &&
        make_dir(tree, "Empty") && make_dir(tree, LONG_DIR1) && make_dir(tree, LONG_DIR1 "/" LONG_DIR2) &&
        make_dir(tree, LONG_DIR1 "/" LONG_DIR2 "/" LONG_DIR3) &&
        write_file(tree, "System32/ntdll.dll", ntdll, sizeof ntdll) &&
        write_file(tree, "System32/config/system.ini", SYSTEM_INI, strlen(SYSTEM_INI)) &&
        write_file(tree, "readme.txt", readme, sizeof readme) && write_file(tree, "empty.txt", "", 0) &&
        write_file(tree, LONG_PATH, LONG_TEXT, strlen(LONG_TEXT));
    if (ok) {
        snprintf(command, sizeof command, "tar --format=ustar -cf '%s' -C '%s' .", tarfile, tree);
        ok = system(command) == 0;
    }
    if (ok) {
        FILE *f = fopen(tarfile, "rb");
        ok = f != NULL && fseek(f, 0, SEEK_END) == 0;
        long size = ok ? ftell(f) : -1;
        ok = ok && size > 0 && fseek(f, 0, SEEK_SET) == 0;
        if (ok) {
            GnuSize = (SIZE_T)size;
            GnuImage = malloc(GnuSize);
            ok = fread(GnuImage, 1, GnuSize, f) == GnuSize;
        }
        if (f)
            fclose(f);
    }
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    if (system(command) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    if (!ok)
        fprintf(stderr, "building the GNU tar archive failed\n");
    return ok;
}

static BOOLEAN mount_gnu(BFS_VOLUME *Volume) {
    PCSTR reason = NULL;
    if (!CHECK(GnuImage != NULL))
        return FALSE;
    NTSTATUS status = BfsMount(Volume, GnuImage, GnuSize, &reason);
    if (!CHECK_STATUS(status, STATUS_SUCCESS)) {
        printf("  mount refused: %s\n", reason ? reason : "(no reason)");
        return FALSE;
    }
    return TRUE;
}

typedef struct _EXPECTED_CHILD {
    const char *Name;
    BOOLEAN IsDirectory;
    SIZE_T Size;
} EXPECTED_CHILD;

/* Lists Path and checks it holds exactly the Expected children, each once,
 * in any order, followed by STATUS_NO_MORE_FILES. */
static void check_listing(const BFS_VOLUME *Volume, PCSTR Path, const EXPECTED_CHILD *Expected, ULONG Count) {
    ULONG seen[16] = {0};
    ULONG index = 0;
    BFS_DIRENT entry;
    NTSTATUS status;
    while ((status = BfsQueryDirectory(Volume, Path, index, &entry)) == STATUS_SUCCESS && index < 64) {
        index++;
        BOOLEAN known = FALSE;
        for (ULONG i = 0; i < Count; i++) {
            if (strcmp(entry.Name, Expected[i].Name) != 0)
                continue;
            known = TRUE;
            seen[i]++;
            CHECK_EQ(entry.IsDirectory, Expected[i].IsDirectory);
            CHECK_EQ(entry.Size, Expected[i].Size);
        }
        if (!CHECK(known))
            printf("  unexpected child \"%s\" in \"%s\"\n", entry.Name, Path);
    }
    CHECK_STATUS(status, STATUS_NO_MORE_FILES);
    CHECK_EQ(index, Count);
    for (ULONG i = 0; i < Count; i++)
        if (!CHECK_EQ(seen[i], 1))
            printf("  child \"%s\" of \"%s\" listed %u times\n", Expected[i].Name, Path, seen[i]);
    CHECK_STATUS(BfsQueryDirectory(Volume, Path, index + 1, &entry), STATUS_NO_MORE_FILES);
}

/* ---- GNU tar archives ---- */

TEST(gnu_tar_archive_mounts_with_its_file_and_directory_counts) {
    BFS_VOLUME v;
    if (!mount_gnu(&v))
        return;
    CHECK_EQ(v.FileCount, 5); /* ntdll.dll, system.ini, readme.txt, empty.txt, the deep file */
    /* Directory headers: System32, config, Empty and the three long ones (tar's own "./" is the root). */
    CHECK_EQ(v.DirectoryCount, 6); /* the "./" root entry is not counted */
    CHECK(v.Image == GnuImage);
    CHECK_EQ(v.Size, GnuSize);
    CHECK(v.DataEnd > 0 && v.DataEnd + 2 * TAR_BLOCK_SIZE <= GnuSize);
}

TEST(open_ignores_case_and_accepts_backslashes) {
    BFS_VOLUME v;
    if (!mount_gnu(&v))
        return;
    static const char *const spellings[] = {
        "\\SYSTEM32\\NTDLL.DLL", "System32/ntdll.dll",   "system32\\Ntdll.Dll",
        "/System32/ntdll.dll",   "./System32/ntdll.dll",
    };
    for (ULONG i = 0; i < ARRAYSIZE(spellings); i++) {
        BFS_FILE f;
        CHECK_STATUS(BfsOpen(&v, spellings[i], &f), STATUS_SUCCESS);
        CHECK(!f.IsDirectory);
        CHECK_EQ(f.Size, NTDLL_SIZE);
    }
    BFS_FILE f;
    CHECK_STATUS(BfsOpen(&v, "\\System32\\CONFIG\\System.INI", &f), STATUS_SUCCESS);
    CHECK_EQ(f.Size, strlen(SYSTEM_INI));
}

TEST(whole_file_reads_back_what_went_in) {
    BFS_VOLUME v;
    if (!mount_gnu(&v))
        return;
    BFS_FILE f;
    static UCHAR buffer[NTDLL_SIZE + 100];
    SIZE_T read = 0;
    CHECK_STATUS(BfsOpen(&v, "\\SYSTEM32\\NTDLL.DLL", &f), STATUS_SUCCESS);
    memset(buffer, 0xEE, sizeof buffer);
    CHECK_STATUS(BfsRead(&f, 0, buffer, sizeof buffer, &read), STATUS_SUCCESS);
    CHECK_EQ(read, NTDLL_SIZE);
    SIZE_T wrong = 0;
    for (SIZE_T i = 0; i < NTDLL_SIZE; i++)
        wrong += buffer[i] != ntdll_byte(i);
    CHECK_EQ(wrong, 0);
    CHECK_EQ(buffer[NTDLL_SIZE], 0xEE); /* nothing written past what was read */

    CHECK_STATUS(BfsOpen(&v, "System32\\config\\system.ini", &f), STATUS_SUCCESS);
    char text[64] = {0};
    CHECK_STATUS(BfsRead(&f, 0, text, sizeof text - 1, &read), STATUS_SUCCESS);
    CHECK_EQ(read, strlen(SYSTEM_INI));
    CHECK(strcmp(text, SYSTEM_INI) == 0);
}

TEST(partial_reads_honour_offset_length_and_end_of_file) {
    BFS_VOLUME v;
    if (!mount_gnu(&v))
        return;
    BFS_FILE f;
    UCHAR buffer[200];
    SIZE_T read = 12345;
    CHECK_STATUS(BfsOpen(&v, "readme.txt", &f), STATUS_SUCCESS);
    CHECK_EQ(f.Size, README_SIZE);

    CHECK_STATUS(BfsRead(&f, 100, buffer, 50, &read), STATUS_SUCCESS);
    CHECK_EQ(read, 50);
    SIZE_T wrong = 0;
    for (SIZE_T i = 0; i < 50; i++)
        wrong += buffer[i] != readme_byte(100 + i);
    CHECK_EQ(wrong, 0);

    CHECK_STATUS(BfsRead(&f, 990, buffer, sizeof buffer, &read), STATUS_SUCCESS);
    CHECK_EQ(read, 10); /* clipped at the end of the file */
    CHECK_EQ(buffer[9], readme_byte(999));

    read = 12345;
    CHECK_STATUS(BfsRead(&f, README_SIZE, buffer, sizeof buffer, &read), STATUS_END_OF_FILE);
    CHECK_EQ(read, 0);
    read = 12345;
    CHECK_STATUS(BfsRead(&f, README_SIZE + 5000, buffer, 1, &read), STATUS_END_OF_FILE);
    CHECK_EQ(read, 0);
    CHECK_STATUS(BfsRead(&f, 0, buffer, 0, &read), STATUS_SUCCESS);
    CHECK_EQ(read, 0);
}

TEST(empty_file_opens_and_reads_end_of_file) {
    BFS_VOLUME v;
    if (!mount_gnu(&v))
        return;
    BFS_FILE f;
    UCHAR buffer[8];
    SIZE_T read = 1;
    CHECK_STATUS(BfsOpen(&v, "EMPTY.TXT", &f), STATUS_SUCCESS);
    CHECK(!f.IsDirectory);
    CHECK_EQ(f.Size, 0);
    CHECK_STATUS(BfsRead(&f, 0, buffer, sizeof buffer, &read), STATUS_END_OF_FILE);
    CHECK_EQ(read, 0);
}

TEST(reading_a_directory_is_refused) {
    BFS_VOLUME v;
    if (!mount_gnu(&v))
        return;
    static const char *const dirs[] = {"System32", "\\system32\\", "Empty", "", "\\", LONG_DIR1};
    for (ULONG i = 0; i < ARRAYSIZE(dirs); i++) {
        BFS_FILE f;
        UCHAR buffer[8];
        SIZE_T read = 1;
        CHECK_STATUS(BfsOpen(&v, dirs[i], &f), STATUS_SUCCESS);
        CHECK(f.IsDirectory);
        CHECK_STATUS(BfsRead(&f, 0, buffer, sizeof buffer, &read), STATUS_FILE_IS_A_DIRECTORY);
        CHECK_EQ(read, 0);
    }
}

TEST(missing_names_are_not_found) {
    BFS_VOLUME v;
    if (!mount_gnu(&v))
        return;
    static const char *const missing[] = {
        "System32\\missing.dll",
        "nosuchdir\\ntdll.dll",
        "System3",
        "System32\\ntdll.dl",
        "ntdll.dll",
        "readme.txt\\more",
        "System32\\config\\system.ini.bak",
    };
    for (ULONG i = 0; i < ARRAYSIZE(missing); i++) {
        BFS_FILE f;
        if (!CHECK_STATUS(BfsOpen(&v, missing[i], &f), STATUS_OBJECT_NAME_NOT_FOUND))
            printf("  path \"%s\"\n", missing[i]);
    }
    char tooLong[BFS_MAX_PATH + 40];
    memset(tooLong, 'x', sizeof tooLong - 1);
    tooLong[sizeof tooLong - 1] = '\0';
    BFS_FILE f;
    CHECK_STATUS(BfsOpen(&v, tooLong, &f), STATUS_OBJECT_NAME_INVALID);
}

TEST(root_listing_names_each_child_once) {
    BFS_VOLUME v;
    if (!mount_gnu(&v))
        return;
    static const EXPECTED_CHILD root[] = {
        {"System32", TRUE, 0},   {"readme.txt", FALSE, README_SIZE},
        {"empty.txt", FALSE, 0}, {"Empty", TRUE, 0},
        {LONG_DIR1, TRUE, 0},
    };
    check_listing(&v, "", root, ARRAYSIZE(root));
    check_listing(&v, "\\", root, ARRAYSIZE(root));
}

TEST(subdirectory_listing_names_each_child_once) {
    BFS_VOLUME v;
    if (!mount_gnu(&v))
        return;
    static const EXPECTED_CHILD system32[] = {{"ntdll.dll", FALSE, NTDLL_SIZE}, {"config", TRUE, 0}};
    check_listing(&v, "System32", system32, ARRAYSIZE(system32));
    check_listing(&v, "\\SYSTEM32\\", system32, ARRAYSIZE(system32));
    static const EXPECTED_CHILD config[] = {{"system.ini", FALSE, sizeof SYSTEM_INI - 1}};
    check_listing(&v, "system32/CONFIG", config, ARRAYSIZE(config));
    check_listing(&v, "Empty", NULL, 0);
}

TEST(listing_a_file_or_a_missing_directory_is_refused) {
    BFS_VOLUME v;
    if (!mount_gnu(&v))
        return;
    BFS_DIRENT entry;
    CHECK_STATUS(BfsQueryDirectory(&v, "readme.txt", 0, &entry), STATUS_NOT_A_DIRECTORY);
    CHECK_STATUS(BfsQueryDirectory(&v, "\\System32\\ntdll.dll", 0, &entry), STATUS_NOT_A_DIRECTORY);
    CHECK_STATUS(BfsQueryDirectory(&v, "NoSuchDirectory", 0, &entry), STATUS_OBJECT_NAME_NOT_FOUND);
}

TEST(path_longer_than_100_characters_opens_through_the_prefix_field) {
    BFS_VOLUME v;
    if (!mount_gnu(&v))
        return;
    CHECK(strlen("./" LONG_PATH) > 100);
    /* Prove GNU tar really split this path into prefix and name. */
    BOOLEAN usedPrefix = FALSE;
    for (SIZE_T off = 0; off + TAR_BLOCK_SIZE <= GnuSize; off += TAR_BLOCK_SIZE) {
        const UCHAR *h = GnuImage + off;
        if (memcmp(h + H_MAGIC, "ustar", 6) == 0 && h[H_PREFIX] != 0 &&
            strstr((const char *)h + H_NAME, LONG_FILE) != NULL)
            usedPrefix = TRUE;
    }
    CHECK(usedPrefix);

    BFS_FILE f;
    char text[32] = {0};
    SIZE_T read = 0;
    CHECK_STATUS(BfsOpen(&v, LONG_PATH, &f), STATUS_SUCCESS);
    CHECK(!f.IsDirectory);
    CHECK_EQ(f.Size, strlen(LONG_TEXT));
    CHECK_STATUS(BfsRead(&f, 0, text, sizeof text - 1, &read), STATUS_SUCCESS);
    CHECK(strcmp(text, LONG_TEXT) == 0);

    char backslashed[] = "\\" LONG_PATH;
    for (char *p = backslashed; *p; p++)
        if (*p == '/')
            *p = '\\';
    CHECK_STATUS(BfsOpen(&v, backslashed, &f), STATUS_SUCCESS);
    CHECK_EQ(f.Size, strlen(LONG_TEXT));

    static const EXPECTED_CHILD deep[] = {{LONG_FILE, FALSE, sizeof LONG_TEXT - 1}};
    check_listing(&v, LONG_DIR1 "\\" LONG_DIR2 "\\" LONG_DIR3, deep, ARRAYSIZE(deep));
}

TEST(flipped_byte_in_a_gnu_tar_header_is_corrupt) {
    if (!CHECK(GnuImage != NULL))
        return;
    UCHAR *image = copy_image(GnuImage, GnuSize);
    PCSTR reason;
    CHECK_STATUS(mount_copy(image, GnuSize, &reason), STATUS_SUCCESS);
    /* The second header (after "./") is System32's or a file's: flip its mtime. */
    SIZE_T second = TAR_BLOCK_SIZE;
    image[second + H_MTIME + 3] ^= 0x01;
    CHECK_CORRUPT(image, GnuSize);
    free(image);
}

/* ---- hand-built archives: accepted ---- */

TEST(hand_built_archive_mounts_and_reads) {
    static TAR_BUILDER t;
    build_small(&t);
    UCHAR *image = copy_image(t.Data, t.Length);
    BFS_VOLUME v;
    PCSTR reason = NULL;
    CHECK_STATUS(BfsMount(&v, image, t.Length, &reason), STATUS_SUCCESS);
    CHECK_EQ(v.FileCount, 3);
    CHECK_EQ(v.DirectoryCount, 0);
    CHECK_EQ(v.DataEnd, SmallEnd);
    BFS_FILE f;
    UCHAR buffer[700];
    SIZE_T read = 0;
    CHECK_STATUS(BfsOpen(&v, "A.TXT", &f), STATUS_SUCCESS);
    CHECK_STATUS(BfsRead(&f, 0, buffer, sizeof buffer, &read), STATUS_SUCCESS);
    CHECK_EQ(read, sizeof SmallA);
    CHECK(memcmp(buffer, SmallA, sizeof SmallA) == 0);
    free(image);
}

TEST(directory_named_only_by_its_children_opens_and_lists_once) {
    static TAR_BUILDER t;
    build_small(&t);
    UCHAR *image = copy_image(t.Data, t.Length);
    BFS_VOLUME v;
    PCSTR reason = NULL;
    CHECK_STATUS(BfsMount(&v, image, t.Length, &reason), STATUS_SUCCESS);
    BFS_FILE f;
    CHECK_STATUS(BfsOpen(&v, "DIR", &f), STATUS_SUCCESS);
    CHECK(f.IsDirectory);
    static const EXPECTED_CHILD root[] = {{"a.txt", FALSE, 600}, {"dir", TRUE, 0}};
    check_listing(&v, "", root, ARRAYSIZE(root));
    static const EXPECTED_CHILD dir[] = {{"b.txt", FALSE, 10}, {"c.txt", FALSE, 0}};
    check_listing(&v, "\\dir", dir, ARRAYSIZE(dir));
    free(image);
}

TEST(empty_archive_of_two_zero_blocks_mounts) {
    UCHAR zeros[2 * TAR_BLOCK_SIZE] = {0};
    PCSTR reason;
    CHECK_STATUS(mount_copy(zeros, sizeof zeros, &reason), STATUS_SUCCESS);
}

TEST(old_and_contiguous_file_types_are_files) {
    static TAR_BUILDER t;
    tar_begin(&t);
    tar_add(&t, "old.txt", '\0', "old", 3);
    tar_add(&t, "contig.bin", '7', "contiguous", 10);
    tar_end(&t);
    UCHAR *image = copy_image(t.Data, t.Length);
    BFS_VOLUME v;
    PCSTR reason = NULL;
    CHECK_STATUS(BfsMount(&v, image, t.Length, &reason), STATUS_SUCCESS);
    CHECK_EQ(v.FileCount, 2);
    BFS_FILE f;
    CHECK_STATUS(BfsOpen(&v, "contig.bin", &f), STATUS_SUCCESS);
    CHECK_EQ(f.Size, 10);
    free(image);
}

/* ---- hand-built archives: corrupt ---- */

TEST(image_smaller_than_1024_bytes_is_corrupt) {
    static TAR_BUILDER t;
    build_small(&t);
    static const SIZE_T sizes[] = {0, 1, 511, 512, 1023};
    for (ULONG i = 0; i < ARRAYSIZE(sizes); i++)
        CHECK_CORRUPT(t.Data, sizes[i]);
    UCHAR zeros[2 * TAR_BLOCK_SIZE - 1] = {0};
    CHECK_CORRUPT(zeros, sizeof zeros);
    PCSTR reason = NULL;
    BFS_VOLUME v;
    CHECK_STATUS(BfsMount(&v, NULL, 4096, &reason), STATUS_FILE_CORRUPT_ERROR);
}

TEST(flipped_header_byte_fails_the_checksum) {
    static TAR_BUILDER t;
    build_small(&t);
    t.Data[SmallHeaderB + H_NAME] ^= 0x20; /* "dir/b.txt" -> "Dir/b.txt", checksum left stale */
    CHECK_CORRUPT(t.Data, t.Length);
    build_small(&t);
    t.Data[SmallHeaderA + 500] ^= 0x01; /* unused padding at the end of the header */
    CHECK_CORRUPT(t.Data, t.Length);
}

TEST(bad_magic_is_corrupt) {
    static TAR_BUILDER t;
    build_small(&t);
    memcpy(t.Data + SmallHeaderA + H_MAGIC, "ustaX", 6);
    tar_fix_checksum(t.Data + SmallHeaderA);
    CHECK_CORRUPT(t.Data, t.Length);
    /* The old GNU magic "ustar  \0" is not POSIX ustar either. */
    build_small(&t);
    memcpy(t.Data + SmallHeaderB + H_MAGIC, "ustar  ", 8);
    tar_fix_checksum(t.Data + SmallHeaderB);
    CHECK_CORRUPT(t.Data, t.Length);
    /* Right magic, wrong version. */
    build_small(&t);
    memcpy(t.Data + SmallHeaderC + H_VERSION, "01", 2);
    tar_fix_checksum(t.Data + SmallHeaderC);
    CHECK_CORRUPT(t.Data, t.Length);
}

TEST(checksum_field_not_octal_is_corrupt) {
    static TAR_BUILDER t;
    static const char *const fields[] = {"0012x4\0 ", "        ", "\0\0\0\0\0\0\0\0", "001234 9"};
    for (ULONG i = 0; i < ARRAYSIZE(fields); i++) {
        build_small(&t);
        memcpy(t.Data + SmallHeaderA + H_CHKSUM, fields[i], 8);
        CHECK_CORRUPT(t.Data, t.Length);
    }
}

TEST(size_field_with_a_non_octal_character_is_corrupt) {
    static TAR_BUILDER t;
    static const char *const fields[] = {"00000001180", "0000000113x", "00000 01130", "-0000001130"};
    for (ULONG i = 0; i < ARRAYSIZE(fields); i++) {
        build_small(&t);
        memcpy(t.Data + SmallHeaderA + H_SIZE, fields[i], 11);
        tar_fix_checksum(t.Data + SmallHeaderA);
        CHECK_CORRUPT(t.Data, t.Length);
    }
}

TEST(name_field_without_nul_is_corrupt) {
    static TAR_BUILDER t;
    build_small(&t);
    memset(t.Data + SmallHeaderB + H_NAME, 'n', 100);
    tar_fix_checksum(t.Data + SmallHeaderB);
    CHECK_CORRUPT(t.Data, t.Length);
}

TEST(symlink_and_other_entry_types_are_corrupt) {
    static TAR_BUILDER t;
    static const char types[] = {'2', '1', '3', '4', '6', 'L', 'x', 'g'};
    for (ULONG i = 0; i < ARRAYSIZE(types); i++) {
        build_small(&t);
        t.Data[SmallHeaderC + H_TYPEFLAG] = (UCHAR)types[i];
        if (types[i] == '2')
            memcpy(t.Data + SmallHeaderC + H_LINKNAME, "a.txt", 6);
        tar_fix_checksum(t.Data + SmallHeaderC);
        CHECK_CORRUPT(t.Data, t.Length);
    }
}

TEST(dot_dot_component_in_a_name_is_corrupt) {
    static TAR_BUILDER t;
    static const char *const names[] = {"../evil", "dir/../../evil", "./../evil", "..", "dir/.."};
    for (ULONG i = 0; i < ARRAYSIZE(names); i++) {
        build_small(&t);
        memset(t.Data + SmallHeaderB + H_NAME, 0, 100);
        memcpy(t.Data + SmallHeaderB + H_NAME, names[i], strlen(names[i]));
        tar_fix_checksum(t.Data + SmallHeaderB);
        CHECK_CORRUPT(t.Data, t.Length);
    }
    /* ".." hidden in the prefix field. */
    build_small(&t);
    memcpy(t.Data + SmallHeaderB + H_PREFIX, "..", 3);
    tar_fix_checksum(t.Data + SmallHeaderB);
    CHECK_CORRUPT(t.Data, t.Length);
    /* Names that merely contain dots are fine. */
    build_small(&t);
    memset(t.Data + SmallHeaderB + H_NAME, 0, 100);
    memcpy(t.Data + SmallHeaderB + H_NAME, "dir/..b...txt", 13);
    tar_fix_checksum(t.Data + SmallHeaderB);
    PCSTR reason;
    CHECK_STATUS(mount_copy(t.Data, t.Length, &reason), STATUS_SUCCESS);
}

TEST(archive_truncated_inside_file_data_is_corrupt) {
    static TAR_BUILDER t;
    build_small(&t);
    CHECK_CORRUPT(t.Data, SmallHeaderA + TAR_BLOCK_SIZE + 512); /* half of a.txt's two blocks */
    CHECK_CORRUPT(t.Data, SmallHeaderB + TAR_BLOCK_SIZE + 100); /* inside b.txt's block */
    CHECK_CORRUPT(t.Data, SmallHeaderB + 100);                  /* inside b.txt's header */
}

TEST(archive_truncated_after_the_last_file_is_corrupt) {
    static TAR_BUILDER t;
    build_small(&t);
    CHECK_CORRUPT(t.Data, SmallEnd);
}

TEST(end_marker_of_one_zero_block_is_corrupt) {
    static TAR_BUILDER t;
    build_small(&t);
    CHECK_CORRUPT(t.Data, SmallEnd + TAR_BLOCK_SIZE);
    CHECK_CORRUPT(t.Data, SmallEnd + TAR_BLOCK_SIZE + 511);
    /* A zero block followed by a non-zero one is no end marker either. */
    static TAR_BUILDER u;
    tar_begin(&u);
    tar_add(&u, "a.txt", '0', "a", 1);
    u.Length += TAR_BLOCK_SIZE;
    u.Data[u.Length] = 'x';
    u.Length += TAR_BLOCK_SIZE;
    CHECK_CORRUPT(u.Data, u.Length);
}

TEST(size_field_beyond_the_image_is_corrupt) {
    static TAR_BUILDER t;
    static const char *const sizes[] = {"00000077777", "77777777777", "00000006001"};
    for (ULONG i = 0; i < ARRAYSIZE(sizes); i++) {
        build_small(&t);
        memcpy(t.Data + SmallHeaderC + H_SIZE, sizes[i], 11);
        tar_fix_checksum(t.Data + SmallHeaderC);
        CHECK_CORRUPT(t.Data, t.Length);
    }
}

int main(void) {
    if (!build_gnu_archive())
        GnuImage = NULL; /* the GNU tar tests then fail their first check */
    RUN(gnu_tar_archive_mounts_with_its_file_and_directory_counts);
    RUN(open_ignores_case_and_accepts_backslashes);
    RUN(whole_file_reads_back_what_went_in);
    RUN(partial_reads_honour_offset_length_and_end_of_file);
    RUN(empty_file_opens_and_reads_end_of_file);
    RUN(reading_a_directory_is_refused);
    RUN(missing_names_are_not_found);
    RUN(root_listing_names_each_child_once);
    RUN(subdirectory_listing_names_each_child_once);
    RUN(listing_a_file_or_a_missing_directory_is_refused);
    RUN(path_longer_than_100_characters_opens_through_the_prefix_field);
    RUN(flipped_byte_in_a_gnu_tar_header_is_corrupt);
    RUN(hand_built_archive_mounts_and_reads);
    RUN(directory_named_only_by_its_children_opens_and_lists_once);
    RUN(empty_archive_of_two_zero_blocks_mounts);
    RUN(old_and_contiguous_file_types_are_files);
    RUN(image_smaller_than_1024_bytes_is_corrupt);
    RUN(flipped_header_byte_fails_the_checksum);
    RUN(bad_magic_is_corrupt);
    RUN(checksum_field_not_octal_is_corrupt);
    RUN(size_field_with_a_non_octal_character_is_corrupt);
    RUN(name_field_without_nul_is_corrupt);
    RUN(symlink_and_other_entry_types_are_corrupt);
    RUN(dot_dot_component_in_a_name_is_corrupt);
    RUN(archive_truncated_inside_file_data_is_corrupt);
    RUN(archive_truncated_after_the_last_file_is_corrupt);
    RUN(end_marker_of_one_zero_block_is_corrupt);
    RUN(size_field_beyond_the_image_is_corrupt);
    int failed = UtFinish();
    free(GnuImage);
    return failed;
}
