/*
 * missexp.c - imports a name ntdll.dll does not export: the loader must
 * report it and end the process with STATUS_ENTRYPOINT_NOT_FOUND.
 */
__declspec(dllimport) int __attribute__((stdcall)) NoSuchNtdllExport(void);
long __attribute__((stdcall)) NtTerminateProcess(void *Process, long Status);

void __attribute__((stdcall)) NtProcessStartup(void *Peb) {
    (void)Peb;
    NtTerminateProcess((void *)-1, NoSuchNtdllExport());
}
