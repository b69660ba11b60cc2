/*
 * except.c - exceptions and debugging: SetUnhandledExceptionFilter,
 * UnhandledExceptionFilter, RaiseException, OutputDebugString, the error
 * mode.
 *
 * Why: NT raises an exception by handing it to the kernel, which dispatches
 * it back to user mode through the frames of structured exception handling;
 * an exception nobody handles reaches the top-level filter a program set
 * with SetUnhandledExceptionFilter. Daytona does not dispatch user-mode
 * exceptions yet - a fault ends its process with the exception code - so:
 * the filter is stored and returned as NT does, and RaiseException (which
 * cannot unwind through frames that are never searched) offers the
 * exception to that filter directly, returns if the filter says "continue
 * execution" for a continuable exception, and otherwise ends the process
 * with the exception code, after a line on the debug log. Debug output goes
 * to the kernel's log through ntdll's DbgPrint.
 */
#include "k32p.h"

#define EXCEPTION_NONCONTINUABLE 0x1
#define EXCEPTION_MAXIMUM_PARAMETERS 15
#define EXCEPTION_EXECUTE_HANDLER 1
#define EXCEPTION_CONTINUE_SEARCH 0
#define EXCEPTION_CONTINUE_EXECUTION (-1)

typedef struct _EXCEPTION_RECORD {
    DWORD ExceptionCode;
    DWORD ExceptionFlags;
    struct _EXCEPTION_RECORD *ExceptionRecord;
    PVOID ExceptionAddress;
    DWORD NumberParameters;
    ULONG_PTR ExceptionInformation[EXCEPTION_MAXIMUM_PARAMETERS];
} EXCEPTION_RECORD, *PEXCEPTION_RECORD;

typedef struct _EXCEPTION_POINTERS {
    PEXCEPTION_RECORD ExceptionRecord;
    PCONTEXT ContextRecord;
} EXCEPTION_POINTERS, *PEXCEPTION_POINTERS;

static LPTOP_LEVEL_EXCEPTION_FILTER BasepTopLevelFilter;
static UINT BasepErrorMode;

LPTOP_LEVEL_EXCEPTION_FILTER WINAPI SetUnhandledExceptionFilter(LPTOP_LEVEL_EXCEPTION_FILTER Filter) {
    return __atomic_exchange_n(&BasepTopLevelFilter, Filter, __ATOMIC_SEQ_CST);
}

/* The top-level filter's verdict, or EXCEPTION_EXECUTE_HANDLER (end the
 * process) when there is none. */
LONG WINAPI UnhandledExceptionFilter(PEXCEPTION_POINTERS ExceptionInfo) {
    LPTOP_LEVEL_EXCEPTION_FILTER filter = BasepTopLevelFilter;
    if (filter != NULL)
        return filter(ExceptionInfo);
    DbgPrint("KERNEL32: unhandled exception 0x%08x at %p\n",
             (ULONG)ExceptionInfo->ExceptionRecord->ExceptionCode,
             ExceptionInfo->ExceptionRecord->ExceptionAddress);
    return EXCEPTION_EXECUTE_HANDLER;
}

VOID WINAPI RaiseException(DWORD ExceptionCode, DWORD ExceptionFlags, DWORD NumberOfArguments,
                           const ULONG_PTR *Arguments) {
    EXCEPTION_RECORD record;
    CONTEXT context;
    __builtin_memset(&record, 0, sizeof record);
    __builtin_memset(&context, 0, sizeof context);
    record.ExceptionCode = ExceptionCode;
    record.ExceptionFlags = ExceptionFlags & EXCEPTION_NONCONTINUABLE;
    record.ExceptionAddress = __builtin_return_address(0);
    if (Arguments != NULL) {
        record.NumberParameters = NumberOfArguments < EXCEPTION_MAXIMUM_PARAMETERS
                                      ? NumberOfArguments
                                      : EXCEPTION_MAXIMUM_PARAMETERS;
        for (ULONG i = 0; i < record.NumberParameters; i++)
            record.ExceptionInformation[i] = Arguments[i];
    }
    context.ContextFlags = CONTEXT_CONTROL;
    context.Eip = (ULONG)(ULONG_PTR)record.ExceptionAddress;
    EXCEPTION_POINTERS pointers = {&record, &context};
    LPTOP_LEVEL_EXCEPTION_FILTER filter = BasepTopLevelFilter;
    if (filter != NULL && filter(&pointers) == EXCEPTION_CONTINUE_EXECUTION &&
        !(ExceptionFlags & EXCEPTION_NONCONTINUABLE))
        return;
    DbgPrint(
        "KERNEL32: RaiseException(0x%08x) at %p: exceptions are not dispatched yet; ending the process\n",
        (ULONG)ExceptionCode, record.ExceptionAddress);
    BasepConsoleFlushAll();
    for (;;)
        (void)NtTerminateProcess(NtCurrentProcess(), (NTSTATUS)ExceptionCode);
}

VOID WINAPI OutputDebugStringA(LPCSTR OutputString) {
    if (OutputString != NULL)
        DbgPrint("%s", OutputString);
}

VOID WINAPI OutputDebugStringW(LPCWSTR OutputString) {
    CHAR chunk[256];
    if (OutputString == NULL)
        return;
    int length = lstrlenW(OutputString);
    for (int done = 0; done < length;) {
        int n = length - done < 255 ? length - done : 255;
        int bytes = WideCharToMultiByte(CP_ACP, 0, OutputString + done, n, chunk, 255, NULL, NULL);
        if (bytes <= 0)
            return;
        chunk[bytes] = 0;
        DbgPrint("%s", chunk);
        done += n;
    }
}

BOOL WINAPI IsDebuggerPresent(VOID) {
    return NtCurrentPeb()->BeingDebugged;
}

/* A breakpoint is an exception like any other: it ends the process. */
VOID WINAPI DebugBreak(VOID) {
    RaiseException((DWORD)STATUS_BREAKPOINT, 0, 0, NULL);
}

UINT WINAPI SetErrorMode(UINT Mode) {
    return __atomic_exchange_n(&BasepErrorMode, Mode, __ATOMIC_SEQ_CST);
}

UINT WINAPI GetErrorMode(VOID) {
    return BasepErrorMode;
}
