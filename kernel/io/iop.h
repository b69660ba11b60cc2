/*
 * iop.h - what the I/O manager's files (iomgr.c, iofile.c, iodir.c) share
 * and nobody else needs: pool tags, the open packet, probing helpers.
 *
 * Why: NT keeps the I/O manager's internals in iop.h beside its sources;
 * the kernel's public face of Io is kernel/include/io.h. Splitting the
 * services over three files keeps each one about one thing (opening,
 * reading and information, directories) while they agree here on the few
 * rules they share: how a caller's pointer is probed, when an
 * IO_STATUS_BLOCK is written, and which access rights count as writing.
 */
#ifndef KERNEL_IO_IOP_H
#define KERNEL_IO_IOP_H

#include "../include/io.h"
#include <nt/ntio.h>

#define TAG_IO_SHARE NT_TAG('I', 'o', 'S', 'h')   /* share-access records */
#define TAG_IO_READ NT_TAG('I', 'o', 'R', 'd')    /* NtReadFile's bounce buffer */
#define TAG_IO_QUERY NT_TAG('I', 'o', 'Q', 'y')   /* NtQueryDirectoryFile's output buffer */
#define TAG_IO_PATTERN NT_TAG('I', 'o', 'P', 't') /* a directory search pattern */

/* Access a read-only volume can never grant (they would write something). */
#define IO_WRITE_ACCESS                                                                                      \
    (FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA | FILE_WRITE_ATTRIBUTES | FILE_DELETE_CHILD |        \
     DELETE | WRITE_DAC | WRITE_OWNER)
/* What MAXIMUM_ALLOWED yields on a read-only volume. */
#define IO_READ_ONLY_MAXIMUM (FILE_GENERIC_READ | FILE_GENERIC_EXECUTE)

/* The FILE_MODE_INFORMATION bits an open keeps from its options. */
#define IO_MODE_OPTIONS                                                                                      \
    (FILE_WRITE_THROUGH | FILE_SEQUENTIAL_ONLY | FILE_NO_INTERMEDIATE_BUFFERING |                            \
     FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT | FILE_DELETE_ON_CLOSE)

/* With FILE_NO_INTERMEDIATE_BUFFERING, offsets and lengths are in whole
 * sectors; the boot volume's sector is the tar block. */
#define IO_SECTOR_SIZE TAR_BLOCK_SIZE

/* The longest name component and the longest directory search pattern
 * NT accepts (MAXIMUM_FILENAME_LENGTH). */
#define IO_MAXIMUM_FILENAME_LENGTH 256

#define IOP_OPEN_PACKET_MAGIC NT_TAG('O', 'p', 'e', 'n')

/* NT's OPEN_PACKET: NtCreateFile's parameters, carried through the object
 * manager's lookup to the device's parse procedure, and its answer back. */
typedef struct _IOP_OPEN_PACKET {
    ULONG Magic;               /* IOP_OPEN_PACKET_MAGIC: anything else is not an open */
    ACCESS_MASK GrantedAccess; /* generic rights mapped, MAXIMUM_ALLOWED resolved */
    ULONG ShareAccess;
    ULONG Disposition;
    ULONG Options;
    ULONG EaLength;
    BOOLEAN ParseCalled;   /* the open reached the file system */
    ULONG_PTR Information; /* IO_STATUS_BLOCK.Information: FILE_OPENED */
} IOP_OPEN_PACKET;

/* NTSTATUS severity: an error (0xC...) as opposed to success or a warning
 * (a warning such as STATUS_BUFFER_OVERFLOW still returns data). */
static inline BOOLEAN IopIsError(NTSTATUS Status) {
    return ((ULONG)Status >> 30) == 3;
}

/* NT's ProbeForWrite for a caller's buffer: user mode must name user space
 * and every page must take a write (each page's first byte is read and
 * written back). Kernel callers are trusted; a NULL with a length is refused
 * from either. */
NT_CHECK_RESULT NTSTATUS IopProbeForWrite(PVOID Address, SIZE_T Length);
/* Writes Status and Information into the caller's IO_STATUS_BLOCK. */
NT_CHECK_RESULT NTSTATUS IopWriteIoStatus(PIO_STATUS_BLOCK IoStatusBlock, NTSTATUS Status,
                                          ULONG_PTR Information);

/* Takes and drops a file object's I/O lock (see FILE_OBJECT.Lock). */
VOID IopAcquireFileLock(PFILE_OBJECT File);
VOID IopReleaseFileLock(PFILE_OBJECT File);

/* Opens Name on Device for Packet. Name is UTF-16: from the volume root
 * ("\\System32\\ntdll.dll", empty for the root) when RelatedPath is NULL, or
 * relative to the directory RelatedPath (as FILE_OBJECT.FileName holds it)
 * otherwise. Returns a new referenced File object. */
NT_CHECK_RESULT NTSTATUS IopOpenFile(PDEVICE_OBJECT Device, PCSTR RelatedPath, PCUNICODE_STRING Name,
                                     IOP_OPEN_PACKET *Packet, PFILE_OBJECT *Result);

/* What NT's file systems report for an entry of this volume. */
ULONG IopFileAttributes(BOOLEAN IsDirectory);
LONGLONG IopAllocationSize(BOOLEAN IsDirectory, SIZE_T Size);

#endif
