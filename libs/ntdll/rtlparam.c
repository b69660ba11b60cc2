/*
 * rtlparam.c - RTL_USER_PROCESS_PARAMETERS: building the block a new
 * process finds at PEB->ProcessParameters, and converting it between its two
 * forms.
 *
 * Why: a process's image path, command line, current directory and
 * environment are handed from creator to child as one block of memory,
 * header and strings together, so it can be copied into another address
 * space in one write. While it travels the string buffers are offsets from
 * the block's start (DENORMALIZED, position independent); where it lives they
 * are addresses (NORMALIZED). NT's RtlCreateProcessParameters returns the
 * travelling form, RtlCreateUserProcess writes the block into the child
 * already normalized for the address it lands at, and the child's loader
 * normalizes whatever it finds (a no-op then). The environment is a block of
 * its own and its pointer is always an address.
 *
 * Layout of a block: the header, then ImagePathName, DllPath, the current
 * directory (with room for MAX_PATH characters, so it can be changed in
 * place), CommandLine, WindowTitle, DesktopInfo, ShellInfo, RuntimeData, each
 * NUL-terminated and 4-byte aligned.
 */
#include <nt/ntrtl.h>
#include <nt/rtlheap.h>
#include <nt/rtlstring.h>

#define PARAMS_ALIGNMENT sizeof(ULONG)
/* The longest string a block holds: its NUL must still fit a USHORT MaximumLength. */
#define PARAMS_MAX_STRING_BYTES 0xFFFCu

/* The counted strings in a block, in layout order. */
#define PARAMS_STRING_COUNT 8
static void params_strings(PRTL_USER_PROCESS_PARAMETERS Params,
                           PUNICODE_STRING Strings[PARAMS_STRING_COUNT]) {
    Strings[0] = &Params->ImagePathName;
    Strings[1] = &Params->DllPath;
    Strings[2] = &Params->CurrentDirectory.DosPath;
    Strings[3] = &Params->CommandLine;
    Strings[4] = &Params->WindowTitle;
    Strings[5] = &Params->DesktopInfo;
    Strings[6] = &Params->ShellInfo;
    Strings[7] = &Params->RuntimeData;
}

static BOOLEAN string_valid(PCUNICODE_STRING String) {
    return (String->Length & 1) == 0 && String->Length <= PARAMS_MAX_STRING_BYTES &&
           (String->Length == 0 || String->Buffer != NULL);
}

PRTL_USER_PROCESS_PARAMETERS NTAPI RtlNormalizeProcessParams(PRTL_USER_PROCESS_PARAMETERS ProcessParameters) {
    PUNICODE_STRING strings[PARAMS_STRING_COUNT];
    if (ProcessParameters == NULL || (ProcessParameters->Flags & RTL_USER_PROC_PARAMS_NORMALIZED))
        return ProcessParameters;
    params_strings(ProcessParameters, strings);
    for (ULONG i = 0; i < PARAMS_STRING_COUNT; i++)
        if (strings[i]->Buffer != NULL)
            strings[i]->Buffer = (PWSTR)((PUCHAR)ProcessParameters + (ULONG_PTR)strings[i]->Buffer);
    ProcessParameters->Flags |= RTL_USER_PROC_PARAMS_NORMALIZED;
    return ProcessParameters;
}

PRTL_USER_PROCESS_PARAMETERS NTAPI
RtlDeNormalizeProcessParams(PRTL_USER_PROCESS_PARAMETERS ProcessParameters) {
    PUNICODE_STRING strings[PARAMS_STRING_COUNT];
    if (ProcessParameters == NULL || !(ProcessParameters->Flags & RTL_USER_PROC_PARAMS_NORMALIZED))
        return ProcessParameters;
    params_strings(ProcessParameters, strings);
    for (ULONG i = 0; i < PARAMS_STRING_COUNT; i++)
        if (strings[i]->Buffer != NULL)
            strings[i]->Buffer = (PWSTR)((PUCHAR)strings[i]->Buffer - (PUCHAR)ProcessParameters);
    ProcessParameters->Flags &= ~(ULONG)RTL_USER_PROC_PARAMS_NORMALIZED;
    return ProcessParameters;
}

/* Bytes a string takes in the block: at least its text and a NUL, at least
 * Minimum, rounded to the alignment. */
static ULONG string_room(PCUNICODE_STRING String, ULONG Minimum) {
    ULONG bytes = String->Length + (ULONG)sizeof(WCHAR);
    if (bytes < Minimum)
        bytes = Minimum;
    return (ULONG)ALIGN_UP(bytes, (ULONG)PARAMS_ALIGNMENT);
}

/* Copies Source to *Cursor as Destination (NUL-terminated, MaximumLength
 * Room) and advances *Cursor past it. */
static void place_string(PUNICODE_STRING Destination, PCUNICODE_STRING Source, ULONG Room, PUCHAR *Cursor) {
    WCHAR *buffer = (WCHAR *)*Cursor;
    if (Source->Length != 0)
        __builtin_memcpy(buffer, Source->Buffer, Source->Length);
    buffer[Source->Length / sizeof(WCHAR)] = UNICODE_NULL;
    Destination->Buffer = buffer;
    Destination->Length = Source->Length;
    Destination->MaximumLength = (USHORT)(Room > 0xFFFEu ? 0xFFFEu : Room); /* still >= Length + 2 */
    *Cursor += Room;
}

NTSTATUS NTAPI RtlCreateProcessParameters(PRTL_USER_PROCESS_PARAMETERS *ProcessParameters,
                                          PUNICODE_STRING ImagePathName, PUNICODE_STRING DllPath,
                                          PUNICODE_STRING CurrentDirectory, PUNICODE_STRING CommandLine,
                                          PVOID Environment, PUNICODE_STRING WindowTitle,
                                          PUNICODE_STRING DesktopInfo, PUNICODE_STRING ShellInfo,
                                          PUNICODE_STRING RuntimeData) {
    static const UNICODE_STRING empty = {0, 0, NULL};
    PPEB peb = NtCurrentPeb();
    PRTL_USER_PROCESS_PARAMETERS current = RtlNormalizeProcessParams(peb->ProcessParameters);

    if (ProcessParameters == NULL || ImagePathName == NULL)
        return STATUS_INVALID_PARAMETER;
    /* What the block will hold, in layout order; NULLs take their defaults. */
    PCUNICODE_STRING sources[PARAMS_STRING_COUNT] = {
        ImagePathName,
        DllPath   ? DllPath
        : current ? &current->DllPath
                  : &empty,
        CurrentDirectory ? CurrentDirectory
        : current        ? &current->CurrentDirectory.DosPath
                         : &empty,
        CommandLine ? CommandLine : ImagePathName,
        WindowTitle ? WindowTitle : &empty,
        DesktopInfo ? DesktopInfo : &empty,
        ShellInfo ? ShellInfo : &empty,
        RuntimeData ? RuntimeData : &empty,
    };
    ULONG rooms[PARAMS_STRING_COUNT];
    ULONG size = sizeof(RTL_USER_PROCESS_PARAMETERS);
    for (ULONG i = 0; i < PARAMS_STRING_COUNT; i++) {
        if (!string_valid(sources[i]))
            return STATUS_INVALID_PARAMETER;
        rooms[i] = string_room(sources[i], i == 2 ? (ULONG)RTL_CURDIR_MAXIMUM_LENGTH : 0);
        size += rooms[i]; /* at most 8 * 64 KiB: no overflow */
    }

    PRTL_USER_PROCESS_PARAMETERS params = RtlAllocateHeap(peb->ProcessHeap, HEAP_ZERO_MEMORY, size);
    if (params == NULL)
        return STATUS_NO_MEMORY;
    params->MaximumLength = size;
    params->Length = size;
    params->Flags = RTL_USER_PROC_PARAMS_NORMALIZED; /* addresses while it is being filled */
    params->Environment = Environment ? Environment : current ? current->Environment : NULL;

    PUNICODE_STRING strings[PARAMS_STRING_COUNT];
    params_strings(params, strings);
    PUCHAR cursor = (PUCHAR)(params + 1);
    for (ULONG i = 0; i < PARAMS_STRING_COUNT; i++)
        place_string(strings[i], sources[i], rooms[i], &cursor);

    *ProcessParameters = RtlDeNormalizeProcessParams(params);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlDestroyProcessParameters(PRTL_USER_PROCESS_PARAMETERS ProcessParameters) {
    if (!RtlFreeHeap(NtCurrentPeb()->ProcessHeap, 0, ProcessParameters))
        return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}
