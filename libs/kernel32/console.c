/*
 * console.c - standard handles and console handles, before consoles exist.
 *
 * Why: a Win32 program writes its output to GetStdHandle(STD_OUTPUT_HANDLE).
 * On NT those are console handles, which kernel32 recognises by their low
 * two bits (real handles are multiples of four) and sends to the console
 * server instead of the I/O manager. Daytona keeps that convention: a
 * process whose creator gave it no standard handles gets the console
 * pseudo-handles 3, 7 and 11 in its process parameters (so its children
 * inherit them), and what is written to 7 or 11 goes to the serial debug log
 * through ntdll's DbgPrint, a line at a time (conbuf.c holds partial lines;
 * ExitProcess flushes them). When consrv arrives, these handles become real
 * console handles and this file talks to it instead. Reading console input
 * answers end of file: there is no keyboard for a console yet.
 */
#include "k32p.h"

#define STD_INPUT_HANDLE ((DWORD)-10)
#define STD_OUTPUT_HANDLE ((DWORD)-11)
#define STD_ERROR_HANDLE ((DWORD)-12)

#define ENABLE_PROCESSED_INPUT 0x0001
#define ENABLE_LINE_INPUT 0x0002
#define ENABLE_ECHO_INPUT 0x0004
#define ENABLE_PROCESSED_OUTPUT 0x0001
#define ENABLE_WRAP_AT_EOL_OUTPUT 0x0002

static BASEP_LINE_BUFFER BasepConsoleLines[2]; /* output, error */
static DWORD BasepConsoleModes[3] = {ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT,
                                     ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT,
                                     ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT};
static PHANDLER_ROUTINE BasepCtrlHandlers[8];
static ULONG BasepCtrlHandlerCount;
static BOOLEAN BasepIgnoreCtrlC;

/* Which of the three pseudo-handles H is: 0 input, 1 output, 2 error; -1 otherwise. */
static int console_index(HANDLE H) {
    if (H == BASEP_CONSOLE_INPUT)
        return 0;
    if (H == BASEP_CONSOLE_OUTPUT)
        return 1;
    if (H == BASEP_CONSOLE_ERROR)
        return 2;
    return -1;
}

static VOID to_debug_log(PVOID Context, PCSTR Text, ULONG Length) {
    (void)Context;
    DbgPrint("%.*s", (int)Length, Text);
}

VOID BasepInitializeStdHandles(VOID) {
    PRTL_USER_PROCESS_PARAMETERS pp = NtCurrentPeb()->ProcessParameters;
    if (pp == NULL)
        return;
    if (pp->StandardInput == NULL && pp->StandardOutput == NULL && pp->StandardError == NULL) {
        pp->StandardInput = BASEP_CONSOLE_INPUT;
        pp->StandardOutput = BASEP_CONSOLE_OUTPUT;
        pp->StandardError = BASEP_CONSOLE_ERROR;
    }
}

BOOL BasepConsoleWrite(HANDLE Console, LPCVOID Buffer, DWORD Bytes, LPDWORD Written) {
    int index = console_index(Console);
    if (index < 1) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    RtlEnterCriticalSection(&BaseDllLock);
    BasepLineBufferWrite(&BasepConsoleLines[index - 1], Buffer, Bytes, to_debug_log, NULL);
    RtlLeaveCriticalSection(&BaseDllLock);
    if (Written != NULL)
        *Written = Bytes;
    return TRUE;
}

VOID BasepConsoleFlushAll(VOID) {
    RtlEnterCriticalSection(&BaseDllLock);
    for (ULONG i = 0; i < ARRAYSIZE(BasepConsoleLines); i++)
        BasepLineBufferFlush(&BasepConsoleLines[i], to_debug_log, NULL);
    RtlLeaveCriticalSection(&BaseDllLock);
}

HANDLE WINAPI GetStdHandle(DWORD StdHandle) {
    PRTL_USER_PROCESS_PARAMETERS pp = NtCurrentPeb()->ProcessParameters;
    if (pp != NULL) {
        switch (StdHandle) {
        case STD_INPUT_HANDLE: return pp->StandardInput;
        case STD_OUTPUT_HANDLE: return pp->StandardOutput;
        case STD_ERROR_HANDLE: return pp->StandardError;
        }
    }
    SetLastError(ERROR_INVALID_HANDLE);
    return INVALID_HANDLE_VALUE;
}

BOOL WINAPI SetStdHandle(DWORD StdHandle, HANDLE Handle) {
    PRTL_USER_PROCESS_PARAMETERS pp = NtCurrentPeb()->ProcessParameters;
    if (pp != NULL) {
        switch (StdHandle) {
        case STD_INPUT_HANDLE: pp->StandardInput = Handle; return TRUE;
        case STD_OUTPUT_HANDLE: pp->StandardOutput = Handle; return TRUE;
        case STD_ERROR_HANDLE: pp->StandardError = Handle; return TRUE;
        }
    }
    SetLastError(ERROR_INVALID_HANDLE);
    return FALSE;
}

BOOL WINAPI WriteConsoleA(HANDLE Console, const VOID *Buffer, DWORD Chars, LPDWORD Written, LPVOID Reserved) {
    (void)Reserved;
    return BasepConsoleWrite(Console, Buffer, Chars, Written);
}

/* The text goes out in the ANSI code page, a chunk at a time. */
BOOL WINAPI WriteConsoleW(HANDLE Console, const VOID *Buffer, DWORD Chars, LPDWORD Written, LPVOID Reserved) {
    (void)Reserved;
    const WCHAR *text = Buffer;
    CHAR chunk[128];
    DWORD done = 0;
    while (done < Chars) {
        DWORD n = Chars - done < sizeof chunk ? Chars - done : (DWORD)sizeof chunk;
        int bytes = WideCharToMultiByte(CP_ACP, 0, text + done, (int)n, chunk, sizeof chunk, NULL, NULL);
        if (bytes <= 0 || !BasepConsoleWrite(Console, chunk, (DWORD)bytes, NULL))
            return FALSE;
        done += n;
    }
    if (Written != NULL)
        *Written = Chars;
    return TRUE;
}

BOOL WINAPI GetConsoleMode(HANDLE Console, LPDWORD Mode) {
    int index = console_index(Console);
    if (index < 0 || Mode == NULL) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    *Mode = BasepConsoleModes[index];
    return TRUE;
}

BOOL WINAPI SetConsoleMode(HANDLE Console, DWORD Mode) {
    int index = console_index(Console);
    if (index < 0) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    BasepConsoleModes[index] = Mode;
    return TRUE;
}

/* Input: nothing is ever typed into a console yet, so a read ends at once. */
BOOL WINAPI ReadConsoleA(HANDLE Console, LPVOID Buffer, DWORD Chars, LPDWORD Read, LPVOID InputControl) {
    (void)Buffer;
    (void)Chars;
    (void)InputControl;
    if (console_index(Console) != 0) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    if (Read != NULL)
        *Read = 0;
    return TRUE;
}

BOOL WINAPI ReadConsoleW(HANDLE Console, LPVOID Buffer, DWORD Chars, LPDWORD Read, LPVOID InputControl) {
    return ReadConsoleA(Console, Buffer, Chars, Read, InputControl);
}

UINT WINAPI GetConsoleCP(VOID) {
    return BASEP_ACP;
}

UINT WINAPI GetConsoleOutputCP(VOID) {
    return BASEP_ACP;
}

/* A handler NULL with Add TRUE/FALSE turns the ignoring of Ctrl+C on/off. No
 * Ctrl+C or close event is delivered yet: the handlers are only kept. */
BOOL WINAPI SetConsoleCtrlHandler(PHANDLER_ROUTINE HandlerRoutine, BOOL Add) {
    BOOL ok = TRUE;
    RtlEnterCriticalSection(&BaseDllLock);
    if (HandlerRoutine == NULL) {
        BasepIgnoreCtrlC = Add ? TRUE : FALSE;
    } else if (Add) {
        if (BasepCtrlHandlerCount < ARRAYSIZE(BasepCtrlHandlers))
            BasepCtrlHandlers[BasepCtrlHandlerCount++] = HandlerRoutine;
        else
            ok = FALSE;
    } else {
        ok = FALSE;
        for (ULONG i = BasepCtrlHandlerCount; i-- > 0;) {
            if (BasepCtrlHandlers[i] == HandlerRoutine) {
                for (ULONG j = i; j + 1 < BasepCtrlHandlerCount; j++)
                    BasepCtrlHandlers[j] = BasepCtrlHandlers[j + 1];
                BasepCtrlHandlerCount--;
                ok = TRUE;
                break;
            }
        }
    }
    RtlLeaveCriticalSection(&BaseDllLock);
    if (!ok)
        SetLastError(HandlerRoutine != NULL && Add ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER);
    return ok;
}

/* No console to allocate or free yet: a process "has" the debug-log one. */
BOOL WINAPI AllocConsole(VOID) {
    SetLastError(ERROR_ACCESS_DENIED);
    return FALSE;
}

BOOL WINAPI FreeConsole(VOID) {
    return TRUE;
}

BOOL WINAPI SetConsoleTitleA(LPCSTR Title) {
    (void)Title;
    return TRUE;
}

BOOL WINAPI SetConsoleTitleW(LPCWSTR Title) {
    (void)Title;
    return TRUE;
}

BOOL WINAPI FlushConsoleInputBuffer(HANDLE Console) {
    return console_index(Console) == 0 ? TRUE : (SetLastError(ERROR_INVALID_HANDLE), FALSE);
}
