/*
 * ntlpc.h - the LPC message formats shared by the kernel and user mode.
 *
 * Why: a port message crosses the kernel boundary as raw bytes, so both the
 * kernel (kernel/lpc) and its callers (ntdll, csrss, kernel32) must agree on
 * one layout. These are NT's: a 24-byte PORT_MESSAGE header followed by the
 * data, at most PORT_MAXIMUM_MESSAGE_LENGTH bytes in all, and the PORT_VIEW /
 * REMOTE_PORT_VIEW descriptors of the shared sections ports can carry.
 */
#ifndef NT_NTLPC_H
#define NT_NTLPC_H

#include <nt/ntdef.h>

/* Message types (PORT_MESSAGE.Type), NT's values. */
#define LPC_REQUEST            1
#define LPC_REPLY              2
#define LPC_DATAGRAM           3
#define LPC_LOST_REPLY         4
#define LPC_PORT_CLOSED        5
#define LPC_CLIENT_DIED        6
#define LPC_EXCEPTION          7
#define LPC_DEBUG_EVENT        8
#define LPC_ERROR_EVENT        9
#define LPC_CONNECTION_REQUEST 10

/* Access rights on a port object. */
#define PORT_CONNECT    0x0001
#define PORT_ALL_ACCESS (0x000F0000 | 0x00100000 | 0x1)

typedef struct _PORT_MESSAGE {
    USHORT DataLength;     /* bytes of data after the header */
    USHORT TotalLength;    /* header + data */
    USHORT Type;           /* LPC_xxx, set by the kernel */
    USHORT DataInfoOffset;
    CLIENT_ID ClientId;    /* the sender, filled in by the kernel */
    ULONG MessageId;       /* assigned by the kernel; a reply carries its request's */
    union {
        ULONG ClientViewSize; /* in a connection request */
        ULONG CallbackId;
    };
} PORT_MESSAGE, *PPORT_MESSAGE;

/* The sizes are NT's i386 ones; host-built unit tests see 64-bit handles. */
#ifdef __i386__
_Static_assert(sizeof(PORT_MESSAGE) == 24, "PORT_MESSAGE is NT's 24-byte header");
#endif

/* The largest message, header included (DESIGN.md section 7). */
#define PORT_MAXIMUM_MESSAGE_LENGTH 256
#define PORT_MAXIMUM_DATA_LENGTH    (PORT_MAXIMUM_MESSAGE_LENGTH - sizeof(PORT_MESSAGE))

/* A section the caller offers to map into both ends of a connection. */
typedef struct _PORT_VIEW {
    ULONG Length;          /* sizeof(PORT_VIEW) */
    HANDLE SectionHandle;
    ULONG SectionOffset;
    SIZE_T ViewSize;
    PVOID ViewBase;        /* out: where it is mapped in the caller */
    PVOID ViewRemoteBase;  /* out: where it is mapped in the peer */
} PORT_VIEW, *PPORT_VIEW;

#ifdef __i386__
_Static_assert(sizeof(PORT_VIEW) == 24, "PORT_VIEW is NT's 24-byte i386 layout");
#endif

/* The peer's view as this side sees it. */
typedef struct _REMOTE_PORT_VIEW {
    ULONG Length;          /* sizeof(REMOTE_PORT_VIEW) */
    SIZE_T ViewSize;
    PVOID ViewBase;
} REMOTE_PORT_VIEW, *PREMOTE_PORT_VIEW;

#ifdef __i386__
_Static_assert(sizeof(REMOTE_PORT_VIEW) == 12, "REMOTE_PORT_VIEW is NT's 12-byte i386 layout");
#endif

#endif
