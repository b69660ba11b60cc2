/*
 * probe.c - taking arguments from the caller of a system service.
 *
 * Why: NT's rule is that a service never touches a user pointer directly:
 * it checks the range lies in user space, then copies through a routine
 * that survives a fault (KiSafeCopy), and from then on works on its own
 * kernel copy, so the caller cannot change the data under it. When the
 * caller is kernel code (PreviousMode == KernelMode, NT's Zw* path), the
 * pointers are trusted and copied plainly.
 */
#include "../include/probe.h"
#include "../include/ex.h"
#include "../include/ke.h"
#include "../include/mm.h"
#include "../include/rtl.h"

NTSTATUS KiSafeCopy(PVOID Dest, const VOID *Src, ULONG Count, ULONG_PTR *RecoverySlot);

#define TAG_CAPTURE NT_TAG('C', 'a', 'p', 't')

BOOLEAN ExIsUserRange(const VOID *Address, SIZE_T Length) {
    ULONG_PTR a = (ULONG_PTR)Address;
    return a + Length >= a && a + Length <= MM_USER_PROBE_ADDRESS;
}

NTSTATUS ExCopyFromCaller(PVOID Dest, const VOID *Src, SIZE_T Length) {
    if (Length == 0)
        return STATUS_SUCCESS;
    if (KeGetPreviousMode() == KernelMode) {
        memcpy(Dest, Src, Length);
        return STATUS_SUCCESS;
    }
    if (!ExIsUserRange(Src, Length))
        return STATUS_ACCESS_VIOLATION;
    return KiSafeCopy(Dest, Src, (ULONG)Length, &KeGetCurrentThread()->FaultRecovery);
}

NTSTATUS ExCopyToCaller(PVOID Dest, const VOID *Src, SIZE_T Length) {
    if (Length == 0)
        return STATUS_SUCCESS;
    if (KeGetPreviousMode() == KernelMode) {
        memcpy(Dest, Src, Length);
        return STATUS_SUCCESS;
    }
    if (!ExIsUserRange(Dest, Length))
        return STATUS_ACCESS_VIOLATION;
    return KiSafeCopy(Dest, Src, (ULONG)Length, &KeGetCurrentThread()->FaultRecovery);
}

NTSTATUS ExProbeForWrite(PVOID Address, SIZE_T Length, ULONG Alignment) {
    if (Length == 0 || KeGetPreviousMode() == KernelMode)
        return STATUS_SUCCESS;
    if ((ULONG_PTR)Address & (Alignment - 1))
        return STATUS_DATATYPE_MISALIGNMENT;
    if (!ExIsUserRange(Address, Length))
        return STATUS_ACCESS_VIOLATION;
    /* As NT's probe: the first byte of each page the range touches is read
     * and written back, which faults in a page that is absent and fails on
     * one that is read-only; the rest of the range is left alone, so a
     * write another thread makes to it meanwhile is never undone. */
    PUCHAR p = Address, last = p + Length - 1;
    for (;;) {
        NTSTATUS status = KiSafeCopy(p, p, 1, &KeGetCurrentThread()->FaultRecovery);
        if (!NT_SUCCESS(status))
            return status;
        p = (PUCHAR)(((ULONG_PTR)p & ~(ULONG_PTR)(PAGE_SIZE - 1)) + PAGE_SIZE);
        if (p > last || p == NULL)
            return STATUS_SUCCESS;
    }
}

NTSTATUS ExCaptureUnicodeString(const UNICODE_STRING *CallerString, PUNICODE_STRING Captured) {
    UNICODE_STRING s;
    Captured->Buffer = NULL;
    Captured->Length = Captured->MaximumLength = 0;
    NTSTATUS status = ExCopyFromCaller(&s, CallerString, sizeof s);
    if (!NT_SUCCESS(status))
        return status;
    if ((s.Length & 1) || s.Length > s.MaximumLength)
        return STATUS_INVALID_PARAMETER;
    if (s.Length == 0)
        return STATUS_SUCCESS;
    PWCHAR buffer = ExAllocatePoolWithTag(PagedPool, s.Length, TAG_CAPTURE);
    if (!buffer)
        return STATUS_INSUFFICIENT_RESOURCES;
    status = ExCopyFromCaller(buffer, s.Buffer, s.Length);
    if (!NT_SUCCESS(status)) {
        ExFreePoolWithTag(buffer, TAG_CAPTURE);
        return status;
    }
    Captured->Buffer = buffer;
    Captured->Length = Captured->MaximumLength = s.Length;
    return STATUS_SUCCESS;
}

VOID ExReleaseCapturedUnicodeString(PUNICODE_STRING Captured) {
    if (Captured->Buffer)
        ExFreePoolWithTag(Captured->Buffer, TAG_CAPTURE);
    Captured->Buffer = NULL;
    Captured->Length = Captured->MaximumLength = 0;
}

NTSTATUS ExCaptureObjectAttributes(const OBJECT_ATTRIBUTES *CallerAttributes, POBJECT_ATTRIBUTES Captured,
                                   PUNICODE_STRING CapturedName) {
    CapturedName->Buffer = NULL;
    CapturedName->Length = CapturedName->MaximumLength = 0;
    if (!CallerAttributes) {
        memset(Captured, 0, sizeof *Captured);
        Captured->Length = sizeof *Captured;
        return STATUS_SUCCESS;
    }
    NTSTATUS status = ExCopyFromCaller(Captured, CallerAttributes, sizeof *Captured);
    if (!NT_SUCCESS(status))
        return status;
    if (Captured->Length != sizeof *Captured)
        return STATUS_INVALID_PARAMETER;
    if (KeGetPreviousMode() == UserMode)
        Captured->Attributes &= ~OBJ_KERNEL_HANDLE; /* user mode cannot ask for kernel handles */
    if (Captured->ObjectName) {
        status = ExCaptureUnicodeString(Captured->ObjectName, CapturedName);
        if (!NT_SUCCESS(status))
            return status;
        Captured->ObjectName = CapturedName;
    }
    Captured->SecurityDescriptor = NULL; /* no security descriptors yet: everything is granted */
    Captured->SecurityQualityOfService = NULL;
    return STATUS_SUCCESS;
}

NTSTATUS ExReturnInformation(PVOID CallerBuffer, ULONG CallerLength, const VOID *Data, ULONG Needed,
                             PULONG CallerReturnLength) {
    NTSTATUS status =
        Needed > CallerLength ? STATUS_INFO_LENGTH_MISMATCH : ExCopyToCaller(CallerBuffer, Data, Needed);
    if (CallerReturnLength && !NT_SUCCESS(ExCopyToCaller(CallerReturnLength, &Needed, sizeof Needed)))
        status = STATUS_ACCESS_VIOLATION;
    return status;
}
