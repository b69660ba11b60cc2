/*
 * test_services.c - in-kernel checks of the system-service path and of the
 * object services. Calls go through `int 0x2E` (from ring 0, so the
 * service sees PreviousMode == KernelMode) or straight to the Nt function.
 * With PreviousMode forced to UserMode, every hostile pointer must come back
 * as STATUS_ACCESS_VIOLATION with nothing created and nothing leaked.
 */
#include "../../kernel/include/ex.h"
#include "../../kernel/include/kd.h"
#include "../../kernel/include/ktest.h"
#include "../../kernel/include/ob.h"
#include "../../kernel/include/ps.h"
#include "../../kernel/include/rtl.h"
#include <nt/ntapi.h>
#include <nt/rtlstring.h>
#include <nt/services.h>

#define EVENT_ALL_ACCESS_FOR_TEST (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3)

#define SERVICE_INDEX(Name, Bytes) SVC_##Name,
enum { NT_SERVICE_TABLE(SERVICE_INDEX) SVC_COUNT };

#define UNMAPPED_USER_ADDRESS ((PVOID)0x00001000)
#define KERNEL_ADDRESS ((PVOID)0x80100000)

/* Issues `int 0x2E` with EAX = Number and EDX = Args, as ntdll's stubs do. */
static NTSTATUS trap_service(ULONG Number, const ULONG *Args) {
    NTSTATUS status;
    __asm__ volatile("int $0x2E" : "=a"(status) : "a"(Number), "d"(Args) : "memory", "ecx");
    return status;
}

KTEST(int_2e_reaches_services_with_their_arguments) {
    HANDLE ev = NULL;
    ULONG create[5] = {(ULONG)&ev, EVENT_ALL_ACCESS_FOR_TEST, 0, NotificationEvent, FALSE};
    ULONG calls = KiPcr.PrcbData.Counters.SystemCalls, mine = KeGetCurrentThread()->Counters.SystemCalls;
    KT_CHECK_STATUS(trap_service(SVC_NtCreateEvent, create), STATUS_SUCCESS);
    KT_CHECK(ev != NULL);
    LONG previous = -1;
    ULONG set[2] = {(ULONG)ev, (ULONG)&previous};
    KT_CHECK_STATUS(trap_service(SVC_NtSetEvent, set), STATUS_SUCCESS);
    KT_CHECK_EQ(previous, 0);
    LARGE_INTEGER zero = {.QuadPart = 0};
    ULONG wait[3] = {(ULONG)ev, FALSE, (ULONG)&zero};
    KT_CHECK_STATUS(trap_service(SVC_NtWaitForSingleObject, wait), STATUS_WAIT_0);
    ULONG close[1] = {(ULONG)ev};
    KT_CHECK_STATUS(trap_service(SVC_NtClose, close), STATUS_SUCCESS);
    KT_CHECK_STATUS(trap_service(SVC_NtClose, close), STATUS_INVALID_HANDLE);
    KT_CHECK_STATUS(trap_service(SVC_COUNT, close), 0xC000001C);  /* STATUS_INVALID_SYSTEM_SERVICE */
    KT_CHECK_STATUS(trap_service(0x1000 | 1, close), 0xC000001C); /* table 1 is empty in this build */
    /* Every trap above, failed ones included, on the system and on the thread. */
    KT_CHECK_EQ(KiPcr.PrcbData.Counters.SystemCalls - calls, 7);
    KT_CHECK_EQ(KeGetCurrentThread()->Counters.SystemCalls - mine, 7);
}

KTEST(hostile_user_pointers_fail_cleanly_and_leak_nothing) {
    PKTHREAD t = KeGetCurrentThread();
    ULONG events = ExEventObjectType->TotalNumberOfObjects;
    ULONG handles = PsGetCurrentProcess()->ObjectTable.HandleCount;
    POOL_TAG_USAGE before, after;
    KT_CHECK_STATUS(ExQueryPoolTagUsage(NT_TAG('C', 'a', 'p', 't'), &before), STATUS_SUCCESS);
    UCHAR saved = t->PreviousMode;
    t->PreviousMode = UserMode;
    NTSTATUS onUnmapped = NtCreateEvent(UNMAPPED_USER_ADDRESS, 0, NULL, NotificationEvent, FALSE);
    NTSTATUS onKernel = NtCreateEvent(KERNEL_ADDRESS, 0, NULL, NotificationEvent, FALSE);
    NTSTATUS wrapping = NtWaitForMultipleObjects(2, (HANDLE *)0xFFFFFFFC, WaitAny, FALSE, NULL);
    NTSTATUS badTimeout = NtDelayExecution(FALSE, UNMAPPED_USER_ADDRESS);
    NTSTATUS badAttributes = NtOpenEvent(UNMAPPED_USER_ADDRESS, 0, KERNEL_ADDRESS);
    t->PreviousMode = saved;
    KT_CHECK_STATUS(onUnmapped, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(onKernel, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(wrapping, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(badTimeout, STATUS_ACCESS_VIOLATION);
    KT_CHECK_STATUS(badAttributes, STATUS_ACCESS_VIOLATION);
    KT_CHECK_EQ(ExEventObjectType->TotalNumberOfObjects, events);
    KT_CHECK_EQ(PsGetCurrentProcess()->ObjectTable.HandleCount, handles);
    KT_CHECK_STATUS(ExQueryPoolTagUsage(NT_TAG('C', 'a', 'p', 't'), &after), STATUS_SUCCESS);
    KT_CHECK_EQ(after.BytesInUse, before.BytesInUse);
    KT_CHECK(t->FaultRecovery == 0);
}

KTEST(bad_object_attributes_and_arguments_are_refused) {
    HANDLE h;
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    RtlInitUnicodeString(&name, L"\\BaseNamedObjects\\KtSvc");
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    oa.Length = 7;
    KT_CHECK_STATUS(NtCreateEvent(&h, 0, &oa, NotificationEvent, FALSE), STATUS_INVALID_PARAMETER);
    oa.Length = sizeof oa;
    UNICODE_STRING odd = {3, 4, name.Buffer};
    oa.ObjectName = &odd;
    KT_CHECK_STATUS(NtCreateEvent(&h, 0, &oa, NotificationEvent, FALSE), STATUS_INVALID_PARAMETER);
    oa.ObjectName = &name;
    KT_CHECK_STATUS(NtCreateEvent(&h, 0, &oa, 7, FALSE), STATUS_INVALID_PARAMETER);
    KT_CHECK_STATUS(NtCreateSemaphore(&h, 0, NULL, 3, 2), STATUS_INVALID_PARAMETER);
    KT_CHECK_STATUS(NtCreateSemaphore(&h, 0, NULL, 0, 0), STATUS_INVALID_PARAMETER);
    HANDLE dir;
    KT_CHECK_STATUS(NtCreateDirectoryObject(&dir, DIRECTORY_ALL_ACCESS, NULL),
                    STATUS_SUCCESS); /* unnamed is fine */
    KT_CHECK_STATUS(NtWaitForSingleObject(dir, FALSE, NULL), STATUS_OBJECT_TYPE_MISMATCH);
    HANDLE ev;
    KT_CHECK_STATUS(NtCreateEvent(&ev, EVENT_ALL_ACCESS_FOR_TEST, NULL, SynchronizationEvent, TRUE),
                    STATUS_SUCCESS);
    HANDLE twice[2] = {ev, ev};
    KT_CHECK_STATUS(NtWaitForMultipleObjects(2, twice, WaitAll, FALSE, NULL), STATUS_INVALID_PARAMETER_MIX);
    KT_CHECK_STATUS(NtWaitForMultipleObjects(0, twice, WaitAny, FALSE, NULL), STATUS_INVALID_PARAMETER);
    KT_CHECK_STATUS(NtClose(ev), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(dir), STATUS_SUCCESS);
}

KTEST(query_services_describe_objects_and_the_namespace) {
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    HANDLE ev, types, link;
    RtlInitUnicodeString(&name, L"\\BaseNamedObjects\\KtQuery");
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    KT_CHECK_STATUS(NtCreateEvent(&ev, EVENT_ALL_ACCESS_FOR_TEST, &oa, NotificationEvent, FALSE),
                    STATUS_SUCCESS);
    static UCHAR buffer[1024];
    ULONG got = 0;
    KT_CHECK_STATUS(NtQueryObject(ev, 1 /* ObjectNameInformation */, buffer, sizeof buffer, &got),
                    STATUS_SUCCESS);
    UNICODE_STRING expect, *n = (UNICODE_STRING *)buffer;
    RtlInitUnicodeString(&expect, L"\\BaseNamedObjects\\KtQuery");
    KT_CHECK(RtlEqualUnicodeString(n, &expect, FALSE));
    KT_CHECK_STATUS(NtQueryObject(ev, 2 /* ObjectTypeInformation */, buffer, sizeof buffer, &got),
                    STATUS_SUCCESS);
    RtlInitUnicodeString(&expect, L"Event");
    KT_CHECK(RtlEqualUnicodeString((UNICODE_STRING *)buffer, &expect, FALSE));
    KT_CHECK_STATUS(NtQueryObject(ev, 1, buffer, 4, &got), STATUS_INFO_LENGTH_MISMATCH);
    KT_CHECK_STATUS(NtQueryObject(ev, 9, buffer, sizeof buffer, &got), STATUS_INVALID_INFO_CLASS);

    RtlInitUnicodeString(&name, L"\\ObjectTypes");
    KT_CHECK_STATUS(NtOpenDirectoryObject(&types, DIRECTORY_QUERY, &oa), STATUS_SUCCESS);
    ULONG context = 0, seen = 0;
    BOOLEAN sawEvent = FALSE, sawDirectory = FALSE;
    NTSTATUS s;
    while ((s = NtQueryDirectoryObject(types, buffer, sizeof buffer, TRUE, FALSE, &context, &got)) ==
           STATUS_SUCCESS) {
        UNICODE_STRING *entry = (UNICODE_STRING *)buffer;
        UNICODE_STRING ev_name, dir_name;
        RtlInitUnicodeString(&ev_name, L"Event");
        RtlInitUnicodeString(&dir_name, L"Directory");
        sawEvent |= RtlEqualUnicodeString(entry, &ev_name, FALSE);
        sawDirectory |= RtlEqualUnicodeString(entry, &dir_name, FALSE);
        seen++;
    }
    KT_CHECK_STATUS(s, STATUS_NO_MORE_ENTRIES);
    KT_CHECK(sawEvent && sawDirectory && seen >= 10);

    RtlInitUnicodeString(&name, L"\\SystemRoot");
    KT_CHECK_STATUS(NtOpenSymbolicLinkObject(&link, SYMBOLIC_LINK_QUERY, &oa), STATUS_SUCCESS);
    WCHAR target[64];
    UNICODE_STRING t = {0, sizeof target, target};
    KT_CHECK_STATUS(NtQuerySymbolicLinkObject(link, &t, &got), STATUS_SUCCESS);
    RtlInitUnicodeString(&expect, L"\\Device\\BootDevice");
    KT_CHECK(RtlEqualUnicodeString(&t, &expect, FALSE));
    t.MaximumLength = 4;
    KT_CHECK_STATUS(NtQuerySymbolicLinkObject(link, &t, &got), STATUS_BUFFER_TOO_SMALL);
    KT_CHECK_STATUS(NtClose(link), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(types), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(ev), STATUS_SUCCESS);
}

KTEST(duplicated_handles_share_the_object_and_can_close_the_source) {
    HANDLE ev, dup, dup2;
    KT_CHECK_STATUS(NtCreateEvent(&ev, EVENT_ALL_ACCESS_FOR_TEST, NULL, NotificationEvent, FALSE),
                    STATUS_SUCCESS);
    KT_CHECK_STATUS(
        NtDuplicateObject(NtCurrentProcess(), ev, NtCurrentProcess(), &dup, 0, 0, DUPLICATE_SAME_ACCESS),
        STATUS_SUCCESS);
    KT_CHECK(dup != ev);
    KT_CHECK_STATUS(NtSetEvent(dup, NULL), STATUS_SUCCESS);
    LARGE_INTEGER zero = {.QuadPart = 0};
    KT_CHECK_STATUS(NtWaitForSingleObject(ev, FALSE, &zero), STATUS_WAIT_0); /* same event */
    KT_CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), dup, NtCurrentProcess(), &dup2, 0, 0,
                                      DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE),
                    STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(dup), STATUS_INVALID_HANDLE);
    KT_CHECK_STATUS(NtClose(dup2), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(ev), STATUS_SUCCESS);
}

KTEST(semaphore_mutant_and_timer_services) {
    HANDLE sem, mut, tim;
    LONG prev = -1;
    KT_CHECK_STATUS(NtCreateSemaphore(&sem, EVENT_ALL_ACCESS_FOR_TEST, NULL, 1, 2), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtReleaseSemaphore(sem, 1, &prev), STATUS_SUCCESS);
    KT_CHECK_EQ(prev, 1);
    KT_CHECK_STATUS(NtReleaseSemaphore(sem, 1, &prev), STATUS_SEMAPHORE_LIMIT_EXCEEDED);
    KT_CHECK_STATUS(NtCreateMutant(&mut, EVENT_ALL_ACCESS_FOR_TEST, NULL, TRUE), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtReleaseMutant(mut, &prev), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtReleaseMutant(mut, &prev), STATUS_MUTANT_NOT_OWNED);
    KT_CHECK_STATUS(NtCreateTimer(&tim, EVENT_ALL_ACCESS_FOR_TEST, NULL, NotificationTimer), STATUS_SUCCESS);
    LARGE_INTEGER due = {.QuadPart = -20 * 10000LL};
    BOOLEAN state = TRUE;
    KT_CHECK_STATUS(NtSetTimer(tim, &due, NULL, NULL, FALSE, 0, &state), STATUS_SUCCESS);
    KT_CHECK(!state);
    KT_CHECK_STATUS(NtWaitForSingleObject(tim, FALSE, NULL), STATUS_WAIT_0);
    KT_CHECK_STATUS(NtSetTimer(tim, &due, (PVOID)1, NULL, FALSE, 0, NULL), STATUS_NOT_IMPLEMENTED);
    HANDLE all[3] = {sem, mut, tim};
    KT_CHECK_STATUS(NtWaitForMultipleObjects(3, all, WaitAll, FALSE, NULL), STATUS_WAIT_0);
    KT_CHECK_STATUS(NtClose(sem), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(mut), STATUS_SUCCESS); /* owned again by the wait: deleting it must unlink it */
    KT_CHECK_STATUS(NtClose(tim), STATUS_SUCCESS);
    KT_CHECK(IsListEmpty(&KeGetCurrentThread()->MutantListHead));
}

KTEST(every_listed_service_is_implemented) {
    /* svctable.c links each service weakly; a NULL entry is one listed in
     * services.h but not built. */
    const KSERVICE_TABLE_DESCRIPTOR *d = &KeServiceDescriptorTable[0];
    KT_CHECK_EQ(d->Limit, SVC_COUNT);
    for (ULONG i = 0; i < d->Limit; i++) {
        if (!d->Base[i])
            KdPrintComponent("test", "  %s is listed but not built", KiServiceNames[i]);
        KT_CHECK(d->Base[i] != 0);
    }
}
