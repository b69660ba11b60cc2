/*
 * csrmsg.h - the CSR API protocol: how a Win32 client talks to csrss.
 *
 * Why: on NT 3.51 every Win32 process is a client of csrss.exe. Its kernel32
 * connects once to the LPC port \Windows\ApiPort (offering a port view, a
 * 64 KiB section mapped into both processes) and then sends CSR_API_MESSAGEs:
 * a PORT_MESSAGE header, the API number (ServerId << 16) | ApiId, the status
 * csrss answers, and the arguments of that one API in a union. Arguments too
 * big for the 256-byte message (strings, buffers) travel in a capture buffer
 * the client builds inside its port view; the message then holds pointers
 * into that buffer, and the capture buffer lists where those pointers sit so
 * csrss can check each one against the view and rebase it into its own
 * mapping (CSR_CAPTURE_BUFFER below).
 *
 * This one header is the protocol; ntdll's client (libs/ntdll/csrclient.c)
 * and csrsrv (subsys/csrss) are both written against it, and every message
 * structure's size is pinned with _Static_assert.
 */
#ifndef CSR_CSRMSG_H
#define CSR_CSRMSG_H

#include <nt/ntdef.h>
#include <nt/ntlpc.h>

#define CSR_API_PORT_NAME L"\\Windows\\ApiPort"
#define CSR_SBAPI_PORT_NAME L"\\Windows\\SbApiPort"
/* smss waits for this notification event after starting csrss; csrss sets
 * it once its ports listen (the Win32 subsystem is "up"). */
#define CSR_READY_EVENT_NAME L"\\Windows\\CsrReady"

/* The port view each client offers at connect time (DESIGN.md section 7). */
#define CSR_PORT_VIEW_SIZE (64 * 1024)

/* Server module indexes: the ServerId half of an API number. */
#define CSRSRV_SERVERDLL_INDEX 0
#define BASESRV_SERVERDLL_INDEX 1
#define CONSRV_SERVERDLL_INDEX 2
#define USERSRV_SERVERDLL_INDEX 3
#define GDISRV_SERVERDLL_INDEX 4
#define CSR_SERVER_DLL_MAX 5

#define CSR_MAKE_API_NUMBER(ServerId, ApiId) ((((ULONG)(ServerId)) << 16) | (ULONG)(ApiId))
#define CSR_API_NUMBER_TO_SERVER_ID(ApiNumber) ((ULONG)(ApiNumber) >> 16)
#define CSR_API_NUMBER_TO_API_ID(ApiNumber) ((ULONG)(ApiNumber)&0xFFFF)

/* What a client sends with NtConnectPort to \Windows\ApiPort, and what
 * csrss answers in the same buffer. */
typedef struct _CSR_API_CONNECTINFO {
    ULONG Version;         /* in: CSR_VERSION */
    ULONG ServerProcessId; /* out: csrss's process id */
    PVOID ServerViewBase;  /* out: where csrss mapped the client's view */
} CSR_API_CONNECTINFO, *PCSR_API_CONNECTINFO;

#define CSR_VERSION 0x0351

/*
 * A capture buffer lives inside the client's port view. The client
 * allocates it (CsrAllocateCaptureBuffer), copies arguments into it
 * (CsrCaptureMessageBuffer / CsrCaptureMessageString), and each copy stores
 * a pointer into the message and records that pointer's offset in the
 * message in MessagePointerOffsets. csrss checks that the buffer and every
 * recorded pointer lie within the view, then rebases them to its mapping.
 */
typedef struct _CSR_CAPTURE_BUFFER {
    ULONG Length;                                     /* bytes, this header included */
    struct _CSR_CAPTURE_BUFFER *RelatedCaptureBuffer; /* unused, NT's field */
    ULONG CountMessagePointers;                       /* used entries of MessagePointerOffsets */
    PCHAR FreeSpace;                                  /* next free byte (client side only) */
    ULONG_PTR MessagePointerOffsets[1];               /* CountMessagePointers entries follow */
} CSR_CAPTURE_BUFFER, *PCSR_CAPTURE_BUFFER;

/* The most pointers one message may carry in its capture buffer. */
#define CSR_MAX_CAPTURE_POINTERS 8

/* csrsrv's own APIs (ServerId CSRSRV_SERVERDLL_INDEX). */
#define CSRSRV_API_LIST(API)                                                                                 \
    API(CsrpClientConnect, CSR_CLIENT_CONNECT_MSG, ClientConnect)                                            \
    API(CsrpThreadConnect, CSR_THREAD_CONNECT_MSG, ThreadConnect)                                            \
    API(CsrpNullApi, CSR_NULL_API_MSG, NullApi)                                                              \
    API(CsrpChecksum, CSR_CHECKSUM_MSG, Checksum)

/* CsrClientConnectToServer for one server module: its connect data goes
 * to that module's connect routine. */
typedef struct _CSR_CLIENT_CONNECT_MSG {
    ULONG ServerId;
    PVOID ConnectionInformation; /* in the capture buffer */
    ULONG ConnectionInformationLength;
} CSR_CLIENT_CONNECT_MSG;

/* Quick LPC (DESIGN.md section 7): the calling thread asks for its own
 * 64 KiB shared window, event pair and csrss server thread. The client
 * passes a section it created (CSR_QLPC_WINDOW_SIZE bytes, committed) and
 * an event pair; csrss duplicates both, maps the window and starts the
 * thread. */
typedef struct _CSR_THREAD_CONNECT_MSG {
    HANDLE SectionHandle;   /* in: the client's handle */
    HANDLE EventPairHandle; /* in: the client's handle */
    PVOID ServerWindowBase; /* out: the window in csrss */
} CSR_THREAD_CONNECT_MSG;

/* Does nothing and answers STATUS_SUCCESS: the null LPC benchmark. */
typedef struct _CSR_NULL_API_MSG {
    ULONG Value; /* echoed back plus one */
} CSR_NULL_API_MSG;

/* Reads a captured buffer and answers the byte sum: bulk data through the
 * port view (tests and the 4 KiB transfer benchmark). */
typedef struct _CSR_CHECKSUM_MSG {
    PVOID Buffer; /* in the capture buffer */
    ULONG Length;
    ULONG Sum; /* out */
} CSR_CHECKSUM_MSG;

#define CSR_QLPC_WINDOW_SIZE (64 * 1024)

/* The quick-LPC window's layout: the client writes ApiNumber and Length
 * bytes of Data, calls CsrQuickLpcCall, and finds the answer in the same
 * place. csrss reads the header once, so a client changing it under the
 * server's feet only confuses its own request. */
typedef struct _CSR_QLPC_MESSAGE {
    ULONG ApiNumber;      /* (ServerId << 16) | ApiId */
    NTSTATUS ReturnValue; /* out */
    ULONG Length;         /* bytes of Data in use, in and out */
    ULONG Reserved;
    UCHAR Data[CSR_QLPC_WINDOW_SIZE - 16];
} CSR_QLPC_MESSAGE, *PCSR_QLPC_MESSAGE;

/* csrsrv's quick-LPC APIs: QlpcNull adds one to the ULONG in Data. */
#define CSRSRV_QLPC_NULL 0

/* The session manager's port (\Windows\SbApiPort): smss alone may
 * connect. One API: shut the Win32 processes down (the skeleton of
 * shutdown: each server module's shutdown routine, highest
 * SetProcessShutdownParameters level first). */
typedef struct _SB_API_MESSAGE {
    PORT_MESSAGE h;
    ULONG ApiNumber; /* SbShutdownProcesses */
    NTSTATUS ReturnValue;
    ULONG ProcessesEnded; /* out */
} SB_API_MESSAGE, *PSB_API_MESSAGE;

#define SbShutdownProcesses 1

#define CSR_DECLARE_API_ID(Name, Type, Field) Name,
typedef enum _CSRSRV_API_NUMBER { CSRSRV_API_LIST(CSR_DECLARE_API_ID) CsrpMaxApiNumber } CSRSRV_API_NUMBER;

#include <csr/basemsg.h>

/* The message every CSR API call sends and receives. */
typedef struct _CSR_API_MESSAGE {
    PORT_MESSAGE h;
    PCSR_CAPTURE_BUFFER CaptureBuffer; /* client-view address, or NULL */
    ULONG ApiNumber;
    NTSTATUS ReturnValue;
    ULONG Reserved;
    union {
#define CSR_API_UNION_MEMBER(Name, Type, Field) Type Field;
        CSRSRV_API_LIST(CSR_API_UNION_MEMBER)
        BASESRV_API_LIST(CSR_API_UNION_MEMBER)
#undef CSR_API_UNION_MEMBER
        UCHAR Raw[PORT_MAXIMUM_MESSAGE_LENGTH - 40];
    } u;
} CSR_API_MESSAGE, *PCSR_API_MESSAGE;

/* The header part before the union, which every call sends. */
#define CSR_API_MESSAGE_HEADER_SIZE 40

#ifdef __i386__
_Static_assert(__builtin_offsetof(CSR_API_MESSAGE, u) == CSR_API_MESSAGE_HEADER_SIZE,
               "CSR header is 40 bytes");
_Static_assert(sizeof(CSR_API_MESSAGE) == PORT_MAXIMUM_MESSAGE_LENGTH, "a CSR message fills one LPC message");
_Static_assert(sizeof(CSR_API_CONNECTINFO) == 12, "CSR connect info layout");
_Static_assert(sizeof(CSR_CAPTURE_BUFFER) == 20, "CSR capture buffer header layout");
_Static_assert(sizeof(CSR_CLIENT_CONNECT_MSG) == 12, "CsrpClientConnect arguments");
_Static_assert(sizeof(CSR_THREAD_CONNECT_MSG) == 12, "CsrpThreadConnect arguments");
_Static_assert(sizeof(CSR_NULL_API_MSG) == 4, "CsrpNullApi arguments");
_Static_assert(sizeof(CSR_CHECKSUM_MSG) == 12, "CsrpChecksum arguments");
_Static_assert(sizeof(CSR_QLPC_MESSAGE) == CSR_QLPC_WINDOW_SIZE, "the quick-LPC message fills its window");
_Static_assert(sizeof(SB_API_MESSAGE) == 36, "SB_API_MESSAGE layout");
#endif

#endif
