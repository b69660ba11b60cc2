/*
 * sysroot.c - \SystemRoot: the boot file system mounted from GRUB's module.
 *
 * Why: NT finds its system files under \SystemRoot. Here the system image is
 * the multiboot2 module whose command line is "SystemRoot"; it is mapped into
 * system space and mounted read-only. Until the object manager exists
 * (issue 3, where \SystemRoot becomes a symbolic link) the prefix is matched
 * here.
 */
#define KD_COMPONENT "io"
#include "../include/io.h"
#include "../include/kd.h"
#include "../include/mm.h"
#include "../include/rtl.h"

#define SYSTEMROOT_PREFIX "\\SystemRoot"
#define SYSTEMROOT_MODULE "SystemRoot"

static BFS_VOLUME IopSystemRoot;
static BOOLEAN IopSystemRootMounted;

NTSTATUS IoMountSystemRoot(const LOADER_PARAMETER_BLOCK *LoaderBlock) {
    const BOOT_MODULE *module = NULL;
    for (ULONG i = 0; i < LoaderBlock->ModuleCount; i++)
        if (strcmp(LoaderBlock->Modules[i].Name, SYSTEMROOT_MODULE) == 0)
            module = &LoaderBlock->Modules[i];
    if (!module) {
        KdPrint("no multiboot2 module named \"%s\": nothing to mount as \\SystemRoot", SYSTEMROOT_MODULE);
        return STATUS_OBJECT_NAME_NOT_FOUND;
    }
    SIZE_T size = module->End - module->Start;
    PVOID image = MmMapIoSpace(module->Start, size);
    if (!image)
        return STATUS_INSUFFICIENT_RESOURCES;
    PCSTR reason = "";
    NTSTATUS status = BfsMount(&IopSystemRoot, image, size, &reason);
    if (!NT_SUCCESS(status)) {
        KdPrint("system image refused (status 0x%08X): %s", (ULONG)status, reason);
        MmUnmapIoSpace(image, size);
        return status;
    }
    IopSystemRootMounted = TRUE;
    KdPrint("\\SystemRoot: USTAR image of %u KiB at phys 0x%08X, %u files, %u directories",
            (ULONG)(size / 1024), module->Start, IopSystemRoot.FileCount, IopSystemRoot.DirectoryCount);
    return STATUS_SUCCESS;
}

const BFS_VOLUME *IoGetSystemRootVolume(VOID) {
    return IopSystemRootMounted ? &IopSystemRoot : NULL;
}

/* The path under \SystemRoot, or NULL if NtPath does not start with it. */
static PCSTR strip_prefix(PCSTR NtPath) {
    SIZE_T n = strlen(SYSTEMROOT_PREFIX);
    for (SIZE_T i = 0; i < n; i++) {
        char a = NtPath[i], b = SYSTEMROOT_PREFIX[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z')
            b = (char)(b - 'A' + 'a');
        if (a != b)
            return NULL;
    }
    if (NtPath[n] != '\0' && NtPath[n] != '\\')
        return NULL;
    return NtPath + n;
}

NTSTATUS IoOpenSystemFile(PCSTR NtPath, BFS_FILE *File) {
    PCSTR rest = strip_prefix(NtPath);
    if (!IopSystemRootMounted)
        return STATUS_OBJECT_PATH_NOT_FOUND;
    if (!rest)
        return STATUS_OBJECT_PATH_NOT_FOUND;
    return BfsOpen(&IopSystemRoot, rest, File);
}

NTSTATUS IoQuerySystemDirectory(PCSTR NtPath, ULONG Index, BFS_DIRENT *Entry) {
    PCSTR rest = strip_prefix(NtPath);
    if (!IopSystemRootMounted || !rest)
        return STATUS_OBJECT_PATH_NOT_FOUND;
    return BfsQueryDirectory(&IopSystemRoot, rest, Index, Entry);
}
