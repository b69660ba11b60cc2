/*
 * basemsg.h - basesrv's part of the CSR API: what kernel32 tells csrss.
 *
 * Why: NT's kernel32 creates processes and threads itself, with Nt*
 * services, and then tells csrss through basesrv so the Win32 subsystem
 * knows about them (BasepCreateProcess, BasepCreateThread); ExitProcess
 * says goodbye (BasepExitProcess) before the process ends. Handles in these
 * messages are the caller's; csrss duplicates them from the caller's
 * process. Included by csrmsg.h, which builds the message union from
 * BASESRV_API_LIST.
 */
#ifndef CSR_BASEMSG_H
#define CSR_BASEMSG_H

#include <nt/ntdef.h>

/* kernel32's connect data for basesrv (CsrClientConnectToServer). */
typedef struct _BASESRV_API_CONNECTINFO {
    ULONG ExpectedVersion; /* in: BASESRV_VERSION */
    ULONG ProcessCount;    /* out: Win32 processes csrss knows of */
} BASESRV_API_CONNECTINFO, *PBASESRV_API_CONNECTINFO;

#define BASESRV_VERSION 0x0351

#define BASESRV_API_LIST(API)                                                                                \
    API(BasepCreateProcess, BASE_CREATEPROCESS_MSG, CreateProcess)                                           \
    API(BasepCreateThread, BASE_CREATETHREAD_MSG, CreateThread)                                              \
    API(BasepExitProcess, BASE_EXITPROCESS_MSG, ExitProcess)                                                 \
    API(BasepSetProcessShutdownParam, BASE_SHUTDOWNPARAM_MSG, ShutdownParam)                                 \
    API(BasepGetProcessShutdownParam, BASE_SHUTDOWNPARAM_MSG, ShutdownParamQuery)

/* A new process (still suspended) and its first thread. */
typedef struct _BASE_CREATEPROCESS_MSG {
    HANDLE ProcessHandle; /* the caller's handle */
    HANDLE ThreadHandle;  /* the caller's handle */
    CLIENT_ID ClientId;   /* the new process and thread */
    ULONG CreationFlags;
} BASE_CREATEPROCESS_MSG;

/* A new thread in the caller's process. */
typedef struct _BASE_CREATETHREAD_MSG {
    HANDLE ThreadHandle; /* the caller's handle */
    CLIENT_ID ClientId;
} BASE_CREATETHREAD_MSG;

typedef struct _BASE_EXITPROCESS_MSG {
    ULONG ExitCode;
} BASE_EXITPROCESS_MSG;

/* SetProcessShutdownParameters: levels 0x100-0x3FF, NT's meaning. */
typedef struct _BASE_SHUTDOWNPARAM_MSG {
    ULONG ShutdownLevel;
    ULONG ShutdownFlags;
} BASE_SHUTDOWNPARAM_MSG;

#define BASE_DECLARE_API_ID(Name, Type, Field) Name,
typedef enum _BASESRV_API_NUMBER {
    BASESRV_API_LIST(BASE_DECLARE_API_ID) BasepMaxApiNumber
} BASESRV_API_NUMBER;

#ifdef __i386__
_Static_assert(sizeof(BASESRV_API_CONNECTINFO) == 8, "basesrv connect info layout");
_Static_assert(sizeof(BASE_CREATEPROCESS_MSG) == 20, "BasepCreateProcess arguments");
_Static_assert(sizeof(BASE_CREATETHREAD_MSG) == 12, "BasepCreateThread arguments");
_Static_assert(sizeof(BASE_EXITPROCESS_MSG) == 4, "BasepExitProcess arguments");
_Static_assert(sizeof(BASE_SHUTDOWNPARAM_MSG) == 8, "shutdown parameter arguments");
#endif

#endif
