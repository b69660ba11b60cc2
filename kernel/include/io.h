/*
 * io.h - boot video, the boot screen and the boot file system.
 *
 * Why: NT draws its boot screen through bootvid (Vid*) driven by the
 * kernel's Inbv* layer; we keep that split. The boot file system (Bfs*) is the
 * read-only USTAR system image GRUB loads as a module, mounted as \SystemRoot.
 * Its parser is pure code so the host tests can hand it corrupt archives.
 */
#ifndef KERNEL_IO_H
#define KERNEL_IO_H

#include <nt/ntstatus.h>
#include "arc.h"

/* ---- bootvid.c: pixels and text on the linear framebuffer ---- */

#define VID_FONT_WIDTH  8
#define VID_FONT_HEIGHT 16

/* Colours are 0x00RRGGBB; the driver packs them for 16, 24 or 32 bpp. */
#define VID_NT_BLUE  0x000000AAu /* the blue of NT's boot and STOP screens */
#define VID_WHITE    0x00FFFFFFu
#define VID_GREY     0x00AAAAAAu

/* Uses the loader's RGB framebuffer at Va; FALSE (and a log line) if its
 * format cannot be drawn, in which case every Vid* call does nothing. */
BOOLEAN VidInitialize(const FRAMEBUFFER_INFO *Info, PVOID Va);
BOOLEAN VidIsEnabled(VOID);
ULONG VidWidth(VOID);
ULONG VidHeight(VOID);
VOID VidSolidColorFill(ULONG Left, ULONG Top, ULONG Right, ULONG Bottom, ULONG Color);
VOID VidResetDisplay(ULONG Background);
VOID VidSetTextColor(ULONG Foreground);
/* Writes text at the cursor, wrapping and scrolling inside the text area. */
VOID VidDisplayString(PCSTR Text);
VOID VidSetCursor(ULONG Column, ULONG Row);
VOID VidDrawStringAt(ULONG X, ULONG Y, PCSTR Text, ULONG Foreground, ULONG Background);
ULONG VidReadPixel(ULONG X, ULONG Y);

/* ---- inbv.c: the boot screen ---- */

VOID InbvShowBootScreen(const LOADER_PARAMETER_BLOCK *LoaderBlock);
/* One step of the progress indicator: a dot, as NT printed them. */
VOID InbvProgress(PCSTR Phase);
VOID InbvDisplayString(PCSTR Text);
/* NT's names: the display driver in csrss has taken the screen (the first
 * user view of \Device\Video0); the boot screen stops drawing on it. The
 * STOP screen takes it back regardless. */
VOID InbvNotifyDisplayOwnershipLost(VOID);
BOOLEAN InbvCheckDisplayOwnership(VOID);

/* ---- bootfs.c: the USTAR system image ---- */

#define BFS_MAX_PATH 260 /* MAX_PATH: prefix(155) + "/" + name(100) fits */
#define TAR_BLOCK_SIZE 512

typedef struct _BFS_VOLUME {
    const UCHAR *Image;
    SIZE_T Size;      /* bytes available at Image */
    SIZE_T DataEnd;   /* offset of the end-of-archive marker */
    ULONG FileCount;
    ULONG DirectoryCount;
} BFS_VOLUME;

typedef struct _BFS_FILE {
    const BFS_VOLUME *Volume;
    SIZE_T DataOffset;
    SIZE_T Size;
    BOOLEAN IsDirectory;
} BFS_FILE;

typedef struct _BFS_DIRENT {
    CHAR Name[BFS_MAX_PATH]; /* the last path component */
    BOOLEAN IsDirectory;
    SIZE_T Size;
} BFS_DIRENT;

/* Validates every header of the archive (magic, checksum, octal fields,
 * terminated names, sizes inside the image, the end marker) before accepting
 * it. STATUS_FILE_CORRUPT_ERROR with *Reason set, and Volume untouched, on
 * any fault. */
NT_CHECK_RESULT NTSTATUS BfsMount(BFS_VOLUME *Volume, const void *Image, SIZE_T Size, PCSTR *Reason);
/* Path is relative to the volume root; '\\' or '/' separate components and
 * the match ignores case, as NT's does. "" or "\\" opens the root. */
NT_CHECK_RESULT NTSTATUS BfsOpen(const BFS_VOLUME *Volume, PCSTR Path, BFS_FILE *File);
NT_CHECK_RESULT NTSTATUS BfsRead(const BFS_FILE *File, SIZE_T Offset, PVOID Buffer, SIZE_T Length,
                                 SIZE_T *BytesRead);
/* The Index-th distinct child of directory Path; STATUS_NO_MORE_FILES past
 * the last one. */
NT_CHECK_RESULT NTSTATUS BfsQueryDirectory(const BFS_VOLUME *Volume, PCSTR Path, ULONG Index,
                                           BFS_DIRENT *Entry);

/* ---- sysroot.c: \SystemRoot ---- */

NT_CHECK_RESULT NTSTATUS IoMountSystemRoot(const LOADER_PARAMETER_BLOCK *LoaderBlock);
/* video.c: \Device\Video0, the framebuffer as a section for csrss's
 * display driver; and the mode for NtQuerySystemInformation. */
struct _DISPLAY_INFORMATION;
NT_CHECK_RESULT NTSTATUS IoCreateVideoDevice(const FRAMEBUFFER_INFO *Fb);
BOOLEAN IoQueryDisplayInformation(struct _DISPLAY_INFORMATION *Info);
const BFS_VOLUME *IoGetSystemRootVolume(VOID);
/* Opens "\\SystemRoot\\..." (the prefix is required, case-insensitive). */
NT_CHECK_RESULT NTSTATUS IoOpenSystemFile(PCSTR NtPath, BFS_FILE *File);
NT_CHECK_RESULT NTSTATUS IoQuerySystemDirectory(PCSTR NtPath, ULONG Index, BFS_DIRENT *Entry);

/* ---- iomgr.c, iofile.c, iodir.c: NT's file services over the boot file system ----
 *
 * The I/O manager here is NT's, cut down to what a read-only, in-memory
 * volume needs: \Device\BootDevice is a device object whose parse procedure
 * opens a name under it as a File object; the Nt*File services work on File
 * objects synchronously (no IRPs: the volume answers at once). The public
 * structures and flags are in <nt/ntio.h>. */

#include "ketypes.h"

#define FILE_READ_ONLY_DEVICE 0x00000002 /* DEVICE_OBJECT.Characteristics (NT's value) */

typedef struct _DEVICE_OBJECT {
    const BFS_VOLUME *Volume; /* the file system mounted on it */
    ULONG Characteristics;
} DEVICE_OBJECT, *PDEVICE_OBJECT;

/* NT's SHARE_ACCESS: the accesses and sharing of every open of one file. */
typedef struct _SHARE_ACCESS {
    ULONG OpenCount;
    ULONG Readers, Writers, Deleters;
    ULONG SharedRead, SharedWrite, SharedDelete;
} SHARE_ACCESS;

struct _IO_SHARE_RECORD;

typedef struct _FILE_OBJECT {
    PDEVICE_OBJECT DeviceObject; /* referenced for the file object's life */
    BFS_FILE File;
    /* The name from the volume root as opened ("\System32\ntdll.dll"; "\"
     * for the root), no trailing backslash: FileNameInformation. */
    CHAR FileName[BFS_MAX_PATH];
    LARGE_INTEGER CurrentByteOffset;
    ACCESS_MASK GrantedAccess;
    ULONG Mode; /* the FILE_MODE_INFORMATION bits of the open options */
    /* Serialises I/O on this object, as NT does for synchronous file objects
     * (a synchronization event: signalled = free). */
    KEVENT Lock;
    /* Share access this open holds (NULL: it asked for no read, write or
     * delete access, so it takes no share slot). */
    struct _IO_SHARE_RECORD *Share;
    BOOLEAN ReadAccess, WriteAccess, DeleteAccess;
    BOOLEAN SharedRead, SharedWrite, SharedDelete;
    /* NtQueryDirectoryFile state: the next BfsQueryDirectory index and the
     * pattern fixed by the first query (upcased; NULL matches everything). */
    BOOLEAN QueryStarted;
    ULONG DirectoryIndex;
    PWCHAR SearchPattern;
    USHORT SearchPatternLength; /* bytes */
} FILE_OBJECT, *PFILE_OBJECT;

extern struct _OBJECT_TYPE *IoDeviceObjectType, *IoFileObjectType;

/* Creates the Device and File types and \Device\BootDevice over the mounted
 * \SystemRoot volume (IoMountSystemRoot must have succeeded). */
NT_CHECK_RESULT NTSTATUS IoInitSystem(VOID);

#endif
