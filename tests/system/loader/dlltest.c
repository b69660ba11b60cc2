/*
 * dlltest.c - imports from ntestdll.dll, which the loader had to relocate;
 * exits 0 when the DLL's DllMain ran and its relocated data is right.
 */
typedef long NTSTATUS;
__declspec(dllimport) int __attribute__((stdcall)) NtestDllCheck(void);
NTSTATUS __attribute__((stdcall)) NtTerminateProcess(void *Process, NTSTATUS Status);

void __attribute__((stdcall)) NtProcessStartup(void *Peb) {
    (void)Peb;
    NtTerminateProcess((void *)-1, NtestDllCheck());
}
