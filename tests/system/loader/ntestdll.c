/*
 * ntestdll.c - a DLL that cannot sit at its preferred base.
 *
 * Why: it asks for 0x00400000, where every EXE already sits, so ntdll's
 * loader must map it elsewhere and apply its base relocations. TablePtr is a
 * pointer in data (a relocation), and DllMain must run exactly once before
 * the EXE calls NtestDllCheck.
 */
typedef unsigned long ULONG;
typedef int BOOL;

static int Attached;
static int Table[4] = {1, 2, 3, 4};
static int *TablePtr = Table;

BOOL __attribute__((stdcall)) DllMain(void *Instance, ULONG Reason, void *Reserved) {
    (void)Instance;
    (void)Reserved;
    if (Reason == 1 /* DLL_PROCESS_ATTACH */)
        Attached++;
    return 1;
}

__declspec(dllexport) int __attribute__((stdcall)) NtestDllCheck(void) {
    return (Attached == 1 && TablePtr[2] == 3 && TablePtr == Table) ? 0 : 1;
}
