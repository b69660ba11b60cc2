/*
 * svctable.c - the executive's system service table, from nt/services.h.
 *
 * Why: one list makes both this table and ntdll's stubs (see services.h).
 * The functions are only named here, not called, so their real prototypes
 * are not needed: each entry is an address and an argument size in bytes.
 * Entries are weak references: a service listed but not yet built is a NULL
 * entry, which KiSystemService answers with STATUS_NOT_IMPLEMENTED, and the
 * self-test `every_listed_service_is_implemented` names it.
 */
#include "../include/ke.h"
#include <nt/services.h>

#define DECLARE_SERVICE(Name, Bytes) extern void Name(void) __attribute__((weak));
NT_SERVICE_TABLE(DECLARE_SERVICE)
#undef DECLARE_SERVICE

#define SERVICE_ADDRESS(Name, Bytes) (ULONG_PTR) Name,
const ULONG_PTR KiServiceTable[] = {NT_SERVICE_TABLE(SERVICE_ADDRESS)};
#undef SERVICE_ADDRESS

#define SERVICE_BYTES(Name, Bytes) Bytes,
const UCHAR KiArgumentTable[] = {NT_SERVICE_TABLE(SERVICE_BYTES)};
#undef SERVICE_BYTES

#define SERVICE_NAME(Name, Bytes) #Name,
const char *const KiServiceNames[] = {NT_SERVICE_TABLE(SERVICE_NAME)};
#undef SERVICE_NAME

const ULONG KiServiceLimit = ARRAYSIZE(KiServiceTable);

/* Table 0 is the executive; table 1 is GDI in the kernel, added by
 * KeAddSystemServiceTable in the GDI=kernel build (kernel/win32k). */
KSERVICE_TABLE_DESCRIPTOR KeServiceDescriptorTable[KE_SERVICE_TABLES] = {
    {KiServiceTable, KiArgumentTable, ARRAYSIZE(KiServiceTable)},
};

/* NT's KeAddSystemServiceTable: a kernel-mode subsystem brings its own
 * table. Index 0 is the executive's and a table is added once. */
BOOLEAN KeAddSystemServiceTable(const ULONG_PTR *Base, const UCHAR *Arguments, ULONG Limit, ULONG Index) {
    if (Index == 0 || Index >= KE_SERVICE_TABLES || KeServiceDescriptorTable[Index].Base || Limit > 0x1000)
        return FALSE;
    for (ULONG i = 0; i < Limit; i++)
        if (Arguments[i] > 64 || (Arguments[i] & 3))
            return FALSE; /* KiSystemService copies at most 16 arguments */
    KeServiceDescriptorTable[Index] = (KSERVICE_TABLE_DESCRIPTOR){Base, Arguments, Limit};
    return TRUE;
}

_Static_assert(ARRAYSIZE(KiServiceTable) < 0x1000, "table 0 holds at most 4096 services");
