/*
 * bootfs.c - the boot file system: a read-only view of a USTAR archive.
 *
 * Why: the system image is made by the stock `tar --format=ustar`, so anyone
 * can list or rebuild it with standard tools (no home-made format). GRUB
 * loads it as a multiboot2 module and the kernel serves it as \SystemRoot.
 * BfsMount walks every header once and refuses the whole archive if any of
 * them is malformed (bad magic or checksum, a non-octal number, a name with
 * no terminator, data that runs past the image, no end marker); after that
 * the lookups can trust what they walk. Lookups are linear scans: the image
 * holds tens of files and is read a few times at boot.
 */
#include "../include/io.h"
#include "../include/rtl.h"

/* Field offsets and sizes of a POSIX ustar header (POSIX.1-1988). */
#define TAR_NAME 0
#define TAR_NAME_LEN 100
#define TAR_MODE 100
#define TAR_SIZE 124
#define TAR_SIZE_LEN 12
#define TAR_MTIME 136
#define TAR_CHKSUM 148
#define TAR_CHKSUM_LEN 8
#define TAR_TYPEFLAG 156
#define TAR_LINKNAME 157
#define TAR_MAGIC 257
#define TAR_VERSION 263
#define TAR_PREFIX 345
#define TAR_PREFIX_LEN 155

#define TAR_TYPE_FILE '0'
#define TAR_TYPE_OLDFILE '\0'
#define TAR_TYPE_CONTIGUOUS '7'
#define TAR_TYPE_DIRECTORY '5'

typedef struct _TAR_ENTRY {
    CHAR Path[BFS_MAX_PATH]; /* normalised: no leading "./" or "/", no trailing "/" */
    BOOLEAN IsDirectory;
    SIZE_T DataOffset;
    SIZE_T Size;
    SIZE_T NextOffset; /* header of the following entry */
} TAR_ENTRY;

static BOOLEAN is_zero_block(const UCHAR *b) {
    for (ULONG i = 0; i < TAR_BLOCK_SIZE; i++)
        if (b[i])
            return FALSE;
    return TRUE;
}

/* Parses an octal field: optional leading spaces, at least one digit, then
 * only NUL or space to the end of the field. FALSE on anything else. */
static BOOLEAN parse_octal(const UCHAR *Field, ULONG Length, ULONGLONG *Value) {
    ULONG i = 0;
    ULONGLONG v = 0;
    while (i < Length && Field[i] == ' ')
        i++;
    ULONG digits = 0;
    for (; i < Length && Field[i] >= '0' && Field[i] <= '7'; i++, digits++) {
        if (v >> 60)
            return FALSE;
        v = v * 8 + (Field[i] - '0');
    }
    if (digits == 0)
        return FALSE;
    for (; i < Length; i++)
        if (Field[i] != '\0' && Field[i] != ' ')
            return FALSE;
    *Value = v;
    return TRUE;
}

static BOOLEAN field_terminated(const UCHAR *Field, ULONG Length) {
    for (ULONG i = 0; i < Length; i++)
        if (Field[i] == '\0')
            return TRUE;
    return FALSE;
}

static char fold(char c) {
    if (c == '\\')
        return '/';
    if (c >= 'A' && c <= 'Z')
        return (char)(c - 'A' + 'a');
    return c;
}

/* Strips "./" and "/" prefixes and trailing "/" in place. */
static void normalise(char *Path) {
    char *p = Path;
    for (;;) {
        if (p[0] == '.' && (p[1] == '/' || p[1] == '\\'))
            p += 2;
        else if (p[0] == '/' || p[0] == '\\')
            p++;
        else
            break;
    }
    if (p[0] == '.' && p[1] == '\0')
        p++;
    SIZE_T n = strlen(p);
    memmove(Path, p, n + 1);
    while (n > 0 && (Path[n - 1] == '/' || Path[n - 1] == '\\'))
        Path[--n] = '\0';
}

/* Case-insensitive compare of the first Count characters, '\\' == '/'. */
static BOOLEAN same_prefix(PCSTR A, PCSTR B, SIZE_T Count) {
    for (SIZE_T i = 0; i < Count; i++)
        if (fold(A[i]) != fold(B[i]))
            return FALSE;
    return TRUE;
}

static NTSTATUS corrupt(PCSTR *Reason, PCSTR Why) {
    if (Reason)
        *Reason = Why;
    return STATUS_FILE_CORRUPT_ERROR;
}

/* Reads and checks the header at Offset. STATUS_NO_MORE_FILES at the end
 * marker (two zero blocks). */
static NTSTATUS read_entry(const UCHAR *Image, SIZE_T Size, SIZE_T Offset, TAR_ENTRY *E, PCSTR *Reason) {
    if (Offset > Size || Size - Offset < TAR_BLOCK_SIZE)
        return corrupt(Reason, "archive is truncated: no end-of-archive marker");
    const UCHAR *h = Image + Offset;
    if (is_zero_block(h)) {
        if (Size - Offset < 2 * TAR_BLOCK_SIZE || !is_zero_block(h + TAR_BLOCK_SIZE))
            return corrupt(Reason, "archive is truncated: end marker has one zero block, not two");
        return STATUS_NO_MORE_FILES;
    }
    if (memcmp(h + TAR_MAGIC, "ustar\0", 6) != 0 || memcmp(h + TAR_VERSION, "00", 2) != 0)
        return corrupt(Reason, "header is not POSIX ustar (bad magic or version)");
    ULONGLONG stored, size;
    if (!parse_octal(h + TAR_CHKSUM, TAR_CHKSUM_LEN, &stored))
        return corrupt(Reason, "header checksum field is not octal");
    ULONG sum = 0;
    for (ULONG i = 0; i < TAR_BLOCK_SIZE; i++)
        sum += (i >= TAR_CHKSUM && i < TAR_CHKSUM + TAR_CHKSUM_LEN) ? ' ' : h[i];
    if (sum != stored)
        return corrupt(Reason, "header checksum does not match");
    if (!field_terminated(h + TAR_NAME, TAR_NAME_LEN) || !field_terminated(h + TAR_PREFIX, TAR_PREFIX_LEN) ||
        !field_terminated(h + TAR_LINKNAME, TAR_NAME_LEN))
        return corrupt(Reason, "a name field is not NUL-terminated");
    if (!parse_octal(h + TAR_SIZE, TAR_SIZE_LEN, &size))
        return corrupt(Reason, "size field is not octal");
    UCHAR type = h[TAR_TYPEFLAG];
    if (type != TAR_TYPE_FILE && type != TAR_TYPE_OLDFILE && type != TAR_TYPE_CONTIGUOUS &&
        type != TAR_TYPE_DIRECTORY)
        return corrupt(Reason, "entry type is not a regular file or a directory");

    const char *prefix = (const char *)h + TAR_PREFIX, *name = (const char *)h + TAR_NAME;
    if (prefix[0])
        RtlFormatString(E->Path, sizeof E->Path, "%s/%s", prefix, name);
    else
        RtlStringCopy(E->Path, name, sizeof E->Path);
    normalise(E->Path);
    if (name[0] == '\0')
        return corrupt(Reason, "entry has an empty name");
    for (const char *p = E->Path; *p; p++) {
        if (p[0] == '.' && p[1] == '.' && (p == E->Path || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
            return corrupt(Reason, "entry name contains a '..' component");
    }
    E->IsDirectory = type == TAR_TYPE_DIRECTORY;
    if (E->IsDirectory)
        size = 0;
    SIZE_T data = Offset + TAR_BLOCK_SIZE;
    ULONGLONG padded = (size + TAR_BLOCK_SIZE - 1) / TAR_BLOCK_SIZE * TAR_BLOCK_SIZE;
    if (padded > Size - data)
        return corrupt(Reason, "archive is truncated: an entry's data runs past the end of the image");
    E->DataOffset = data;
    E->Size = (SIZE_T)size;
    E->NextOffset = data + (SIZE_T)padded;
    return STATUS_SUCCESS;
}

NTSTATUS BfsMount(BFS_VOLUME *Volume, const void *Image, SIZE_T Size, PCSTR *Reason) {
    if (Image == NULL || Size < 2 * TAR_BLOCK_SIZE)
        return corrupt(Reason, "archive is smaller than an end-of-archive marker");
    TAR_ENTRY e;
    SIZE_T off = 0;
    ULONG files = 0, dirs = 0;
    for (;;) {
        NTSTATUS status = read_entry(Image, Size, off, &e, Reason);
        if (status == STATUS_NO_MORE_FILES)
            break;
        if (!NT_SUCCESS(status))
            return status;
        if (e.IsDirectory && e.Path[0] != '\0') /* "./" is the root itself */
            dirs++;
        else if (!e.IsDirectory)
            files++;
        off = e.NextOffset;
    }
    Volume->Image = Image;
    Volume->Size = Size;
    Volume->DataEnd = off;
    Volume->FileCount = files;
    Volume->DirectoryCount = dirs;
    return STATUS_SUCCESS;
}

/* Walks the (already validated) archive: *Offset is the next header. */
static BOOLEAN next_entry(const BFS_VOLUME *V, SIZE_T *Offset, TAR_ENTRY *E) {
    if (*Offset >= V->DataEnd || !NT_SUCCESS(read_entry(V->Image, V->Size, *Offset, E, NULL)))
        return FALSE;
    *Offset = E->NextOffset;
    return TRUE;
}

static void normalise_request(PCSTR In, char *Out) {
    RtlStringCopy(Out, In, BFS_MAX_PATH);
    normalise(Out);
}

static BOOLEAN path_equal(PCSTR A, PCSTR B) {
    SIZE_T n = strlen(A);
    return strlen(B) == n && same_prefix(A, B, n);
}

/* TRUE when Path lies inside directory Dir; *Rest is the part after it. */
static BOOLEAN path_inside(PCSTR Path, PCSTR Dir, PCSTR *Rest) {
    SIZE_T n = strlen(Dir);
    if (n == 0) {
        *Rest = Path;
        return Path[0] != '\0';
    }
    if (strlen(Path) <= n + 1 || !same_prefix(Path, Dir, n) || Path[n] != '/')
        return FALSE;
    *Rest = Path + n + 1;
    return TRUE;
}

NTSTATUS BfsOpen(const BFS_VOLUME *Volume, PCSTR Path, BFS_FILE *File) {
    char want[BFS_MAX_PATH];
    if (strnlen(Path, BFS_MAX_PATH) == BFS_MAX_PATH)
        return STATUS_OBJECT_NAME_INVALID;
    normalise_request(Path, want);
    File->Volume = Volume;
    File->DataOffset = 0;
    File->Size = 0;
    File->IsDirectory = TRUE;
    if (want[0] == '\0')
        return STATUS_SUCCESS; /* the root */
    TAR_ENTRY e;
    PCSTR rest;
    BOOLEAN implied = FALSE;
    for (SIZE_T off = 0; next_entry(Volume, &off, &e);) {
        if (path_equal(e.Path, want)) {
            File->IsDirectory = e.IsDirectory;
            File->DataOffset = e.DataOffset;
            File->Size = e.Size;
            return STATUS_SUCCESS;
        }
        if (path_inside(e.Path, want, &rest))
            implied = TRUE; /* a directory named only by its children's paths */
    }
    return implied ? STATUS_SUCCESS : STATUS_OBJECT_NAME_NOT_FOUND;
}

NTSTATUS BfsRead(const BFS_FILE *File, SIZE_T Offset, PVOID Buffer, SIZE_T Length, SIZE_T *BytesRead) {
    *BytesRead = 0;
    if (File->IsDirectory)
        return STATUS_FILE_IS_A_DIRECTORY;
    if (Offset >= File->Size)
        return Length == 0 ? STATUS_SUCCESS : STATUS_END_OF_FILE;
    SIZE_T n = File->Size - Offset;
    if (n > Length)
        n = Length;
    memcpy(Buffer, File->Volume->Image + File->DataOffset + Offset, n);
    *BytesRead = n;
    return STATUS_SUCCESS;
}

/* The first path component of Rest into Name; TRUE if more follows it. */
static BOOLEAN first_component(PCSTR Rest, char *Name) {
    SIZE_T n = 0;
    while (Rest[n] && Rest[n] != '/')
        n++;
    memcpy(Name, Rest, n);
    Name[n] = '\0';
    return Rest[n] == '/';
}

NTSTATUS BfsQueryDirectory(const BFS_VOLUME *Volume, PCSTR Path, ULONG Index, BFS_DIRENT *Entry) {
    BFS_FILE dir;
    char want[BFS_MAX_PATH];
    NTSTATUS status = BfsOpen(Volume, Path, &dir);
    if (!NT_SUCCESS(status))
        return status;
    if (!dir.IsDirectory)
        return STATUS_NOT_A_DIRECTORY;
    normalise_request(Path, want);

    TAR_ENTRY e, earlier;
    char child[BFS_MAX_PATH], seen[BFS_MAX_PATH];
    ULONG unique = 0;
    PCSTR rest;
    for (SIZE_T off = 0; next_entry(Volume, &off, &e);) {
        if (!path_inside(e.Path, want, &rest))
            continue;
        BOOLEAN deeper = first_component(rest, child);
        /* Count the child only at its first appearance in the archive. */
        BOOLEAN duplicate = FALSE;
        SIZE_T header = e.DataOffset - TAR_BLOCK_SIZE;
        for (SIZE_T o2 = 0; o2 < header && next_entry(Volume, &o2, &earlier);) {
            PCSTR r2;
            if (path_inside(earlier.Path, want, &r2)) {
                first_component(r2, seen);
                if (path_equal(seen, child)) {
                    duplicate = TRUE;
                    break;
                }
            }
        }
        if (duplicate)
            continue;
        if (unique++ == Index) {
            RtlStringCopy(Entry->Name, child, sizeof Entry->Name);
            Entry->IsDirectory = deeper || e.IsDirectory;
            Entry->Size = Entry->IsDirectory ? 0 : e.Size;
            return STATUS_SUCCESS;
        }
    }
    return STATUS_NO_MORE_FILES;
}
