/*
 * missdll.c - imports from a DLL that is not on the system image: the loader
 * must report it by name and end the process with STATUS_DLL_NOT_FOUND.
 */
__declspec(dllimport) int __attribute__((stdcall)) NothingHere(void);
long __attribute__((stdcall)) NtTerminateProcess(void *Process, long Status);

void __attribute__((stdcall)) NtProcessStartup(void *Peb) {
    (void)Peb;
    NtTerminateProcess((void *)-1, NothingHere());
}
