/*
 * ldrcore.c - the loader core: load, bind, initialize and unload images, and
 * keep the PEB's three module lists.
 *
 * Why: every user process starts with a loader run (LdrInitializeThunk) and
 * every LoadLibrary/GetProcAddress/FreeLibrary ends up here. The core does
 * NT 3.51's job in NT's shape, against the small mapper of ldrp.h, so the
 * host unit tests drive it with real mingw-built images:
 *
 *  - A load is an OPERATION: modules it maps are flagged
 *    LDRP_LOAD_IN_PROGRESS and the dependency edges it records are pending.
 *    If anything fails (a DLL or export missing, a bad image) the operation
 *    is rolled back - its modules unmapped, its edges dropped - and nothing
 *    else has changed. If it succeeds it is committed: edges become load
 *    counts, and the new modules are pinned (process start-up) or counted
 *    (LdrLoadDll). Only then do entry points run, so no DllMain ever sees a
 *    half-bound process.
 *  - Binding is depth first: a module's imports are bound before it is put
 *    on the initialization-order list, so that list has dependencies first
 *    (post-order), and a cycle (A imports B imports A) ends because A is on
 *    the load-order list, mapped, before its imports are looked at.
 *  - Forwarders ("DLL.Name", "DLL.#N") load their DLL like an import of the
 *    module being bound; the edge goes from that importer.
 *  - Load counts: LDRP_LOAD_COUNT_PINNED for everything loaded with the
 *    process (never unloaded, as NT); otherwise one per LdrLoadDll plus one
 *    per module that imports it. Unloading to zero drops the counts the
 *    module held, recursively, then calls DLL_PROCESS_DETACH on everything
 *    that reached zero (reverse initialization order) and unmaps it. Cycles
 *    between dynamically loaded DLLs keep each other loaded, as on NT.
 *  - Lists are re-scanned from their head after every entry-point call, so a
 *    DllMain that loads or unloads a DLL cannot leave the loader walking a
 *    freed entry. (A DllMain that calls LdrLoadDll during start-up therefore
 *    also initializes the start-up DLLs still waiting, in the same order,
 *    only with Reserved = NULL.)
 *  - Detaching is strictly the reverse of initialization order. A DLL loaded
 *    later because another's export forwards to it is detached first, as on
 *    NT: the forwarding DLL never calls it, its callers did.
 *
 * The caller holds the loader lock (ldrinit.c); nothing here locks.
 */
#include <nt/list.h>
#include <nt/rtlheap.h>
#include <nt/rtlstring.h>

#include "ldrp.h"

#define SYSTEM_DIRECTORY_CHARS (sizeof(LDRP_SYSTEM_DIRECTORY) / sizeof(WCHAR) - 1)
/* A full path: the system directory, a name, ".dll". */
#define LDRP_PATH_CHARS (SYSTEM_DIRECTORY_CHARS + LDRP_MAX_NAME + 4)

/* A DLL name turned into what the loader looks for: the NT path it is
 * mapped from, and the base name modules are matched by. */
typedef struct _LDRP_NAME {
    WCHAR Buffer[LDRP_PATH_CHARS + 1];
    UNICODE_STRING FullPath;
    UNICODE_STRING BaseName; /* points into FullPath */
} LDRP_NAME;

/* ---- small helpers ---- */

static PLDRP_MODULE module_of_load_link(PLIST_ENTRY Link) {
    return CONTAINING_RECORD(Link, LDRP_MODULE, Entry.InLoadOrderLinks);
}

static PLDRP_MODULE module_of_init_link(PLIST_ENTRY Link) {
    return CONTAINING_RECORD(Link, LDRP_MODULE, Entry.InInitializationOrderLinks);
}

static ULONG run_address(PVOID Base, ULONG Rva) {
    return (ULONG)(ULONG_PTR)Base + Rva;
}

static BOOLEAN is_separator(WCHAR c) {
    return c == u'\\' || c == u'/';
}

static void heap_free(PLDRP_LOADER Loader, PVOID Block) {
    if (Block != NULL && !RtlFreeHeap(Loader->Heap, 0, Block))
        DbgPrint("LDR: the heap refused to free %p\n", Block);
}

/*
 * Builds Out from Chars characters of Name, NT's way: a base name without a
 * '.' gets ".dll", a trailing '.' means "no extension" and is dropped; a name
 * that starts with '\' and contains a separator is a full NT path, anything
 * else is looked for under \SystemRoot\System32. STATUS_INVALID_PARAMETER
 * for an empty name or one ending in a separator, STATUS_NAME_TOO_LONG.
 */
static NTSTATUS make_name(const WCHAR *Name, ULONG Chars, LDRP_NAME *Out) {
    LONG last_separator = -1;
    for (ULONG i = 0; i < Chars; i++)
        if (is_separator(Name[i]))
            last_separator = (LONG)i;
    ULONG base_start = (ULONG)(last_separator + 1);
    if (Chars == 0 || base_start == Chars)
        return STATUS_INVALID_PARAMETER;

    BOOLEAN has_dot = FALSE;
    for (ULONG i = base_start; i < Chars; i++)
        if (Name[i] == u'.')
            has_dot = TRUE;
    ULONG copy = Chars;
    const WCHAR *extension = u"";
    if (!has_dot)
        extension = u".dll";
    else if (Name[Chars - 1] == u'.')
        copy--; /* "name." : no extension at all */
    ULONG extension_chars = has_dot ? 0 : 4;
    if (copy == base_start)
        return STATUS_INVALID_PARAMETER; /* the name was just "." */

    BOOLEAN absolute = last_separator >= 0 && Name[0] == u'\\';
    ULONG prefix = absolute ? 0 : (ULONG)SYSTEM_DIRECTORY_CHARS;
    ULONG base_chars = copy - base_start + extension_chars;
    ULONG total = prefix + copy + extension_chars;
    if (base_chars > LDRP_MAX_NAME || total > LDRP_PATH_CHARS)
        return STATUS_NAME_TOO_LONG;

    WCHAR *out = Out->Buffer;
    for (ULONG i = 0; i < prefix; i++)
        *out++ = LDRP_SYSTEM_DIRECTORY[i];
    for (ULONG i = 0; i < copy; i++)
        *out++ = Name[i];
    for (ULONG i = 0; i < extension_chars; i++)
        *out++ = extension[i];
    *out = UNICODE_NULL;
    Out->FullPath.Buffer = Out->Buffer;
    Out->FullPath.Length = (USHORT)(total * sizeof(WCHAR));
    Out->FullPath.MaximumLength = (USHORT)((total + 1) * sizeof(WCHAR));
    Out->BaseName.Buffer = Out->Buffer + (total - base_chars);
    Out->BaseName.Length = (USHORT)(base_chars * sizeof(WCHAR));
    Out->BaseName.MaximumLength = (USHORT)((base_chars + 1) * sizeof(WCHAR));
    return STATUS_SUCCESS;
}

/* make_name for an ANSI (Latin-1) name from an image or a forwarder. */
static NTSTATUS make_name_from_ansi(PCSTR Name, LDRP_NAME *Out) {
    WCHAR wide[LDRP_PATH_CHARS];
    ULONG chars = 0;
    while (Name[chars] != '\0') {
        if (chars == ARRAYSIZE(wide))
            return STATUS_NAME_TOO_LONG;
        wide[chars] = (UCHAR)Name[chars];
        chars++;
    }
    return make_name(wide, chars, Out);
}

/* make_name for a caller's counted string. */
static NTSTATUS make_name_from_unicode(PCUNICODE_STRING Name, LDRP_NAME *Out) {
    if (Name == NULL || Name->Buffer == NULL || (Name->Length & 1) != 0)
        return STATUS_INVALID_PARAMETER;
    return make_name(Name->Buffer, Name->Length / sizeof(WCHAR), Out);
}

static PLDRP_MODULE find_module_by_name(PLDRP_LOADER Loader, PCUNICODE_STRING BaseName) {
    PLIST_ENTRY head = &Loader->Ldr->InLoadOrderModuleList;
    for (PLIST_ENTRY link = head->Flink; link != head; link = link->Flink) {
        PLDRP_MODULE module = module_of_load_link(link);
        if (RtlEqualUnicodeString(&module->Entry.BaseDllName, BaseName, TRUE))
            return module;
    }
    return NULL;
}

PLDRP_MODULE LdrpFindModuleByBase(PLDRP_LOADER Loader, PVOID Base) {
    PLIST_ENTRY head = &Loader->Ldr->InLoadOrderModuleList;
    for (PLIST_ENTRY link = head->Flink; link != head; link = link->Flink) {
        PLDRP_MODULE module = module_of_load_link(link);
        if (module->Entry.DllBase == Base)
            return module;
    }
    return NULL;
}

/* ---- module records ---- */

/*
 * A new LDRP_MODULE for the image mapped at Base (ViewSize bytes, or 0 when
 * the size is not known and SizeOfImage is trusted), named FullPath. It is on
 * no list yet; every link points at itself, so unlinking is always safe.
 */
static NTSTATUS create_module(PLDRP_LOADER Loader, PVOID Base, SIZE_T ViewSize, PCUNICODE_STRING FullPath,
                              PLDRP_MODULE *Out) {
    PIMAGE_NT_HEADERS32 nt = RtlImageNtHeader(Base);
    if (nt == NULL)
        return STATUS_INVALID_IMAGE_FORMAT;
    ULONG size_of_image = nt->OptionalHeader.SizeOfImage;
    if (size_of_image < IMAGE_PAGE_SIZE || (ViewSize != 0 && ViewSize < size_of_image) ||
        (ULONGLONG)(ULONG_PTR)Base + size_of_image > 0x100000000ull)
        return STATUS_INVALID_IMAGE_FORMAT;
    if ((FullPath->Length & 1) != 0 || FullPath->Length == 0)
        return STATUS_INVALID_PARAMETER;

    SIZE_T bytes = sizeof(LDRP_MODULE) + FullPath->Length + sizeof(WCHAR);
    PLDRP_MODULE module = RtlAllocateHeap(Loader->Heap, HEAP_ZERO_MEMORY, bytes);
    if (module == NULL)
        return STATUS_NO_MEMORY;
    PLDR_DATA_TABLE_ENTRY entry = &module->Entry;
    InitializeListHead(&entry->InLoadOrderLinks);
    InitializeListHead(&entry->InMemoryOrderLinks);
    InitializeListHead(&entry->InInitializationOrderLinks);
    InitializeListHead(&entry->HashLinks);
    entry->DllBase = Base;
    entry->SizeOfImage = size_of_image;
    entry->TimeDateStamp = nt->FileHeader.TimeDateStamp;
    if (nt->OptionalHeader.AddressOfEntryPoint != 0)
        entry->EntryPoint = (PVOID)(ULONG_PTR)run_address(Base, nt->OptionalHeader.AddressOfEntryPoint);
    if (nt->FileHeader.Characteristics & IMAGE_FILE_DLL)
        entry->Flags |= LDRP_IMAGE_DLL;

    /* The names live right after the record; BaseDllName is FullDllName's tail. */
    WCHAR *names = (WCHAR *)(module + 1);
    ULONG chars = FullPath->Length / sizeof(WCHAR);
    __builtin_memcpy(names, FullPath->Buffer, FullPath->Length);
    names[chars] = UNICODE_NULL;
    entry->FullDllName.Buffer = names;
    entry->FullDllName.Length = FullPath->Length;
    entry->FullDllName.MaximumLength = (USHORT)(FullPath->Length + sizeof(WCHAR));
    ULONG base_start = 0;
    for (ULONG i = 0; i < chars; i++)
        if (is_separator(names[i]))
            base_start = i + 1;
    entry->BaseDllName.Buffer = names + base_start;
    entry->BaseDllName.Length = (USHORT)((chars - base_start) * sizeof(WCHAR));
    entry->BaseDllName.MaximumLength = (USHORT)(entry->BaseDllName.Length + sizeof(WCHAR));

    ULONG ansi = 0;
    for (ULONG i = base_start; i < chars && ansi < LDRP_MAX_NAME; i++)
        module->AnsiName[ansi++] = names[i] <= 0xFF ? (CHAR)names[i] : '?';
    module->AnsiName[ansi] = '\0';
    *Out = module;
    return STATUS_SUCCESS;
}

static void insert_module(PLDRP_LOADER Loader, PLDRP_MODULE Module) {
    InsertTailList(&Loader->Ldr->InLoadOrderModuleList, &Module->Entry.InLoadOrderLinks);
    InsertTailList(&Loader->Ldr->InMemoryOrderModuleList, &Module->Entry.InMemoryOrderLinks);
}

/* Unlinks Module from every list, gives its view back to the mapper (when
 * the mapper made it) and frees the record. */
static void destroy_module(PLDRP_LOADER Loader, PLDRP_MODULE Module) {
    RemoveEntryList(&Module->Entry.InLoadOrderLinks);
    RemoveEntryList(&Module->Entry.InMemoryOrderLinks);
    RemoveEntryList(&Module->Entry.InInitializationOrderLinks);
    if (Module->Mapped) {
        NTSTATUS status = Loader->Mapper->UnmapImage(Loader->Mapper->Context, Module->Entry.DllBase);
        if (!NT_SUCCESS(status))
            DbgPrint("LDR: unmapping %s failed: status 0x%08x\n", Module->AnsiName, (ULONG)status);
    }
    heap_free(Loader, Module->Dependencies);
    heap_free(Loader, Module);
}

/* Records that From holds a count on To (pending until the operation
 * commits). Repeats and self-references are ignored. */
static NTSTATUS add_dependency(PLDRP_LOADER Loader, PLDRP_MODULE From, PLDRP_MODULE To) {
    if (From == To)
        return STATUS_SUCCESS;
    for (ULONG i = 0; i < From->DependencyCount; i++)
        if (From->Dependencies[i] == To)
            return STATUS_SUCCESS;
    if (From->DependencyCount == From->DependencyCapacity) {
        ULONG capacity = From->DependencyCapacity ? From->DependencyCapacity * 2 : 4;
        PLDRP_MODULE *grown = RtlAllocateHeap(Loader->Heap, 0, capacity * sizeof(PLDRP_MODULE));
        if (grown == NULL)
            return STATUS_NO_MEMORY;
        if (From->DependencyCount != 0)
            __builtin_memcpy(grown, From->Dependencies, From->DependencyCount * sizeof(PLDRP_MODULE));
        heap_free(Loader, From->Dependencies);
        From->Dependencies = grown;
        From->DependencyCapacity = capacity;
    }
    From->Dependencies[From->DependencyCount++] = To;
    return STATUS_SUCCESS;
}

/* ---- operations: commit and roll back ---- */

/* Makes the operation's edges load counts and its modules ordinary loaded
 * modules; Pin makes them permanent (process start-up). */
static void commit_operation(PLDRP_LOADER Loader, BOOLEAN Pin) {
    PLIST_ENTRY head = &Loader->Ldr->InLoadOrderModuleList;
    for (PLIST_ENTRY link = head->Flink; link != head; link = link->Flink) {
        PLDRP_MODULE module = module_of_load_link(link);
        if ((module->Entry.Flags & LDRP_LOAD_IN_PROGRESS) && Pin) {
            module->Entry.LoadCount = LDRP_LOAD_COUNT_PINNED;
            module->Entry.Flags |= LDRP_STATIC_LINK;
        }
    }
    for (PLIST_ENTRY link = head->Flink; link != head; link = link->Flink) {
        PLDRP_MODULE module = module_of_load_link(link);
        for (ULONG i = module->CommittedDependencies; i < module->DependencyCount; i++) {
            PLDRP_MODULE target = module->Dependencies[i];
            if (target->Entry.LoadCount != LDRP_LOAD_COUNT_PINNED)
                target->Entry.LoadCount++;
        }
        module->CommittedDependencies = module->DependencyCount;
        module->Entry.Flags &= ~(ULONG)LDRP_LOAD_IN_PROGRESS;
    }
}

/* Undoes the operation: pending edges dropped, its modules unmapped. */
static void rollback_operation(PLDRP_LOADER Loader) {
    PLIST_ENTRY head = &Loader->Ldr->InLoadOrderModuleList;
    for (PLIST_ENTRY link = head->Flink; link != head; link = link->Flink) {
        PLDRP_MODULE module = module_of_load_link(link);
        module->DependencyCount = module->CommittedDependencies;
    }
    for (;;) {
        PLDRP_MODULE victim = NULL;
        for (PLIST_ENTRY link = head->Flink; link != head && victim == NULL; link = link->Flink)
            if (module_of_load_link(link)->Entry.Flags & LDRP_LOAD_IN_PROGRESS)
                victim = module_of_load_link(link);
        if (victim == NULL)
            break;
        destroy_module(Loader, victim);
    }
}

/* ---- binding ---- */

static NTSTATUS snap_module(PLDRP_LOADER Loader, PLDRP_MODULE Module);

/*
 * Maps the image at Name->FullPath as a module of the operation in progress,
 * relocating it if it is not at its preferred base. The mapper's status on
 * failure.
 */
static NTSTATUS map_module(PLDRP_LOADER Loader, const LDRP_NAME *Name, PLDRP_MODULE *Out) {
    PVOID base = NULL;
    SIZE_T view_size = 0;
    NTSTATUS status = Loader->Mapper->MapImage(Loader->Mapper->Context, &Name->FullPath, &base, &view_size);
    if (!NT_SUCCESS(status))
        return status;

    PLDRP_MODULE module;
    status = create_module(Loader, base, view_size, &Name->FullPath, &module);
    if (!NT_SUCCESS(status)) {
        NTSTATUS unmap = Loader->Mapper->UnmapImage(Loader->Mapper->Context, base);
        if (!NT_SUCCESS(unmap))
            DbgPrint("LDR: unmapping a rejected image failed: status 0x%08x\n", (ULONG)unmap);
        return status;
    }
    module->Mapped = TRUE;
    module->Entry.Flags |= LDRP_LOAD_IN_PROGRESS;
    insert_module(Loader, module);

    /* The kernel says STATUS_IMAGE_NOT_AT_BASE, but the headers are the
     * authority: relocate whenever the image is not where it was linked. */
    PIMAGE_NT_HEADERS32 nt = RtlImageNtHeader(base);
    if (nt->OptionalHeader.ImageBase != (ULONG)(ULONG_PTR)base) {
        status = LdrRelocateImageTo(base, module->Entry.SizeOfImage, (ULONG)(ULONG_PTR)base);
        if (!NT_SUCCESS(status)) {
            DbgPrint("LDR: %s cannot be relocated to %p: status 0x%08x\n", module->AnsiName, base,
                     (ULONG)status);
            return status; /* the rollback unmaps it */
        }
        module->Entry.Flags |= LDRP_IMAGE_NOT_AT_BASE;
    }
    *Out = module;
    return STATUS_SUCCESS;
}

/*
 * The module AnsiName names (an import's DLL or a forwarder's), loading and
 * binding it as part of the operation when it is not loaded yet, and
 * recording that Importer depends on it. Failures are DbgPrinted, naming the
 * DLL and Importer.
 */
static NTSTATUS load_dependency(PLDRP_LOADER Loader, PCSTR AnsiName, PLDRP_MODULE Importer,
                                PLDRP_MODULE *Out) {
    LDRP_NAME name;
    NTSTATUS status = make_name_from_ansi(AnsiName, &name);
    if (!NT_SUCCESS(status)) {
        DbgPrint("LDR: DLL name %s is not valid (needed by %s)\n", AnsiName, Importer->AnsiName);
        return status == STATUS_NAME_TOO_LONG ? status : STATUS_DLL_NOT_FOUND;
    }
    PLDRP_MODULE module = find_module_by_name(Loader, &name.BaseName);
    if (module == NULL) {
        status = map_module(Loader, &name, &module);
        if (status == STATUS_DLL_NOT_FOUND) {
            DbgPrint("LDR: DLL %s not found (needed by %s)\n", AnsiName, Importer->AnsiName);
            return status;
        }
        if (!NT_SUCCESS(status)) {
            DbgPrint("LDR: DLL %s could not be loaded (needed by %s): status 0x%08x\n", AnsiName,
                     Importer->AnsiName, (ULONG)status);
            return status;
        }
        status = snap_module(Loader, module);
        if (!NT_SUCCESS(status))
            return status;
        /* Its imports are bound: it goes after all of them. */
        InsertTailList(&Loader->Ldr->InInitializationOrderModuleList,
                       &module->Entry.InInitializationOrderLinks);
    }
    status = add_dependency(Loader, Importer, module);
    if (!NT_SUCCESS(status))
        return status;
    *Out = module;
    return STATUS_SUCCESS;
}

/* Parses the decimal ordinal of a "DLL.#N" forwarder; 0 when malformed. */
static ULONG parse_ordinal(PCSTR Text) {
    ULONG value = 0;
    if (*Text == '\0')
        return 0;
    for (; *Text != '\0'; Text++) {
        if (*Text < '0' || *Text > '9')
            return 0;
        value = value * 10 + (ULONG)(*Text - '0');
        if (value > 0xFFFF)
            return 0;
    }
    return value;
}

/*
 * The run address of export Name (or, Name NULL, Ordinal) of Dll, following
 * forwarders (loading their DLLs on behalf of Importer). Unless Quiet, a
 * missing export is DbgPrinted. STATUS_ENTRYPOINT_NOT_FOUND (by name),
 * STATUS_ORDINAL_NOT_FOUND (by ordinal), STATUS_INVALID_IMAGE_FORMAT (a bad
 * export table or forwarder, a forwarder loop), or a dependency's failure.
 */
static NTSTATUS resolve_export(PLDRP_LOADER Loader, PLDRP_MODULE Dll, PCSTR Name, ULONG Ordinal,
                               PLDRP_MODULE Importer, BOOLEAN Quiet, ULONG *Address) {
    CHAR dll_name[LDRP_MAX_NAME + 1];

    for (ULONG depth = 0; depth <= LDRP_MAX_FORWARDER_DEPTH; depth++) {
        ULONG rva;
        PCSTR forwarder;
        NTSTATUS status =
            LdrFindExportRva(Dll->Entry.DllBase, Dll->Entry.SizeOfImage, Name, Ordinal, &rva, &forwarder);
        if (status == STATUS_ENTRYPOINT_NOT_FOUND) {
            if (Name != NULL) {
                if (!Quiet)
                    DbgPrint("LDR: entry point %s not found in %s\n", Name, Dll->AnsiName);
                return STATUS_ENTRYPOINT_NOT_FOUND;
            }
            if (!Quiet)
                DbgPrint("LDR: entry point #%u not found in %s\n", (unsigned)Ordinal, Dll->AnsiName);
            return STATUS_ORDINAL_NOT_FOUND;
        }
        if (!NT_SUCCESS(status)) {
            DbgPrint("LDR: the export table of %s is malformed: status 0x%08x\n", Dll->AnsiName,
                     (ULONG)status);
            return status;
        }
        if (forwarder == NULL) {
            *Address = run_address(Dll->Entry.DllBase, rva);
            return STATUS_SUCCESS;
        }

        /* "DLL.Name" or "DLL.#N": the DLL part (up to the first '.') gets ".dll". */
        ULONG dot = 0;
        while (forwarder[dot] != '.')
            dot++; /* LdrFindExportRva guarantees a '.' with text after it */
        if (dot + 4 > LDRP_MAX_NAME) {
            DbgPrint("LDR: forwarder %s in %s is too long\n", forwarder, Dll->AnsiName);
            return STATUS_INVALID_IMAGE_FORMAT;
        }
        __builtin_memcpy(dll_name, forwarder, dot);
        __builtin_memcpy(dll_name + dot, ".dll", 5);
        PCSTR target = forwarder + dot + 1;
        if (target[0] == '#') {
            Ordinal = parse_ordinal(target + 1);
            Name = NULL;
            if (Ordinal == 0) {
                DbgPrint("LDR: forwarder %s in %s is malformed\n", forwarder, Dll->AnsiName);
                return STATUS_INVALID_IMAGE_FORMAT;
            }
        } else {
            Name = target;
            Ordinal = 0;
        }
        status = load_dependency(Loader, dll_name, Importer, &Dll);
        if (!NT_SUCCESS(status))
            return status;
    }
    DbgPrint("LDR: forwarders loop resolving an import of %s\n", Importer->AnsiName);
    return STATUS_INVALID_IMAGE_FORMAT;
}

typedef struct _SNAP_CONTEXT {
    PLDRP_LOADER Loader;
    PLDRP_MODULE Importer;
    PCSTR DllName;    /* the descriptor last seen (LdrEnumerateImports reuses the pointer) */
    PLDRP_MODULE Dll; /* ... and its module */
} SNAP_CONTEXT;

static NTSTATUS snap_one(PVOID Context, PCSTR DllName, PCSTR ImportName, USHORT Hint, ULONG Ordinal,
                         ULONG *IatSlot) {
    SNAP_CONTEXT *snap = Context;
    (void)Hint; /* the name table is binary-searched anyway */
    if (DllName != snap->DllName) {
        NTSTATUS status = load_dependency(snap->Loader, DllName, snap->Importer, &snap->Dll);
        if (!NT_SUCCESS(status))
            return status;
        snap->DllName = DllName;
    }
    ULONG address;
    NTSTATUS status =
        resolve_export(snap->Loader, snap->Dll, ImportName, Ordinal, snap->Importer, FALSE, &address);
    if (!NT_SUCCESS(status))
        return status;
    *IatSlot = address;
    return STATUS_SUCCESS;
}

/* Binds every import of Module, loading what it needs. */
static NTSTATUS snap_module(PLDRP_LOADER Loader, PLDRP_MODULE Module) {
    SNAP_CONTEXT snap = {Loader, Module, NULL, NULL};
    NTSTATUS status = LdrEnumerateImports(Module->Entry.DllBase, Module->Entry.SizeOfImage, snap_one, &snap);
    if (status == STATUS_INVALID_IMAGE_FORMAT)
        DbgPrint("LDR: the import table of %s is malformed\n", Module->AnsiName);
    return status;
}

/* ---- entry points ---- */

static BOOLEAN call_entry(PLDRP_LOADER Loader, PLDRP_MODULE Module, ULONG Reason, PVOID Reserved) {
    return Loader->Mapper->CallEntry(Loader->Mapper->Context, Module->Entry.EntryPoint, Module->Entry.DllBase,
                                     Reason, Reserved);
}

static BOOLEAN wants_entry_calls(PLDRP_MODULE Module) {
    return Module->Entry.EntryPoint != NULL && (Module->Entry.Flags & LDRP_IMAGE_DLL);
}

/* DLL_PROCESS_ATTACH to every module on the initialization-order list that
 * has not had it, in list order. STATUS_DLL_INIT_FAILED when one returns
 * FALSE (the rest are left for later). */
static NTSTATUS run_init_routines(PLDRP_LOADER Loader, PVOID Reserved) {
    PLIST_ENTRY head = &Loader->Ldr->InInitializationOrderModuleList;
    for (;;) {
        PLDRP_MODULE module = NULL;
        for (PLIST_ENTRY link = head->Flink; link != head && module == NULL; link = link->Flink)
            if (!(module_of_init_link(link)->Entry.Flags & LDRP_ENTRY_PROCESSED))
                module = module_of_init_link(link);
        if (module == NULL)
            return STATUS_SUCCESS;
        module->Entry.Flags |= LDRP_ENTRY_PROCESSED;
        if (!wants_entry_calls(module) || Loader->ShutdownInProgress)
            continue;
        if (!call_entry(Loader, module, DLL_PROCESS_ATTACH, Reserved)) {
            DbgPrint("LDR: %s failed to initialize (DllMain returned FALSE)\n", module->AnsiName);
            return STATUS_DLL_INIT_FAILED;
        }
        module->Entry.Flags |= LDRP_PROCESS_ATTACH_CALLED;
    }
}

/* The attached module latest on the initialization-order list among those
 * with all of Flags set, or NULL. */
static PLDRP_MODULE last_attached_with(PLDRP_LOADER Loader, ULONG Flags) {
    PLIST_ENTRY head = &Loader->Ldr->InInitializationOrderModuleList;
    for (PLIST_ENTRY link = head->Blink; link != head; link = link->Blink) {
        PLDRP_MODULE module = module_of_init_link(link);
        if ((module->Entry.Flags & (Flags | LDRP_PROCESS_ATTACH_CALLED)) ==
            (Flags | LDRP_PROCESS_ATTACH_CALLED))
            return module;
    }
    return NULL;
}

/* ---- unloading ---- */

/* Drops one count; at zero marks the module for unloading and drops the
 * counts it held. */
static void dereference_module(PLDRP_MODULE Module) {
    if (Module->Entry.LoadCount == LDRP_LOAD_COUNT_PINNED || (Module->Entry.Flags & LDRP_UNLOAD_IN_PROGRESS))
        return;
    if (Module->Entry.LoadCount != 0)
        Module->Entry.LoadCount--;
    if (Module->Entry.LoadCount != 0)
        return;
    Module->Entry.Flags |= LDRP_UNLOAD_IN_PROGRESS;
    for (ULONG i = 0; i < Module->CommittedDependencies; i++)
        dereference_module(Module->Dependencies[i]);
}

/* Detaches and unmaps every module marked LDRP_UNLOAD_IN_PROGRESS. */
static void unload_marked_modules(PLDRP_LOADER Loader) {
    PLDRP_MODULE module;
    while ((module = last_attached_with(Loader, LDRP_UNLOAD_IN_PROGRESS)) != NULL) {
        module->Entry.Flags &= ~(ULONG)LDRP_PROCESS_ATTACH_CALLED;
        if (!Loader->ShutdownInProgress)
            (void)call_entry(Loader, module, DLL_PROCESS_DETACH, NULL); /* NT ignores DETACH's result */
    }
    PLIST_ENTRY head = &Loader->Ldr->InLoadOrderModuleList;
    for (;;) {
        module = NULL;
        for (PLIST_ENTRY link = head->Flink; link != head && module == NULL; link = link->Flink)
            if (module_of_load_link(link)->Entry.Flags & LDRP_UNLOAD_IN_PROGRESS)
                module = module_of_load_link(link);
        if (module == NULL)
            return;
        destroy_module(Loader, module);
    }
}

/* ---- the entry points of the core ---- */

VOID LdrpInitializeLoader(PLDRP_LOADER Loader, PPEB_LDR_DATA Ldr, PVOID Heap, const LDRP_MAPPER *Mapper) {
    Ldr->Length = sizeof(PEB_LDR_DATA);
    Ldr->Initialized = FALSE;
    Ldr->SsHandle = NULL;
    InitializeListHead(&Ldr->InLoadOrderModuleList);
    InitializeListHead(&Ldr->InMemoryOrderModuleList);
    InitializeListHead(&Ldr->InInitializationOrderModuleList);
    Loader->Ldr = Ldr;
    Loader->Heap = Heap;
    Loader->Mapper = Mapper;
    Loader->ShutdownInProgress = FALSE;
}

NTSTATUS LdrpAddMappedModule(PLDRP_LOADER Loader, PVOID Base, PCUNICODE_STRING FullPath, BOOLEAN IsNtdll,
                             PLDRP_MODULE *Module) {
    if (FullPath == NULL)
        return STATUS_INVALID_PARAMETER;
    if (FullPath->Length > 0xFFFC)
        return STATUS_NAME_TOO_LONG; /* FullDllName.MaximumLength must hold the NUL too */
    PLDRP_MODULE module;
    NTSTATUS status = create_module(Loader, Base, 0, FullPath, &module);
    if (!NT_SUCCESS(status))
        return status;
    module->Entry.Flags |= LDRP_STATIC_LINK;
    module->Entry.LoadCount = LDRP_LOAD_COUNT_PINNED;
    insert_module(Loader, module);
    if (IsNtdll) {
        module->Entry.Flags |= LDRP_ENTRY_PROCESSED;
        InsertTailList(&Loader->Ldr->InInitializationOrderModuleList,
                       &module->Entry.InInitializationOrderLinks);
    }
    *Module = module;
    return STATUS_SUCCESS;
}

NTSTATUS LdrpInitializeProcessImports(PLDRP_LOADER Loader, PLDRP_MODULE Image) {
    NTSTATUS status = snap_module(Loader, Image);
    if (!NT_SUCCESS(status)) {
        rollback_operation(Loader);
        return status;
    }
    commit_operation(Loader, TRUE);
    Loader->Ldr->Initialized = TRUE;
    return run_init_routines(Loader, (PVOID)1);
}

NTSTATUS LdrpLoadDll(PLDRP_LOADER Loader, PCUNICODE_STRING DllName, PVOID *DllHandle) {
    LDRP_NAME name;
    if (DllHandle == NULL)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = make_name_from_unicode(DllName, &name);
    if (!NT_SUCCESS(status))
        return status;

    PLDRP_MODULE module = find_module_by_name(Loader, &name.BaseName);
    if (module != NULL) {
        if (module->Entry.LoadCount != LDRP_LOAD_COUNT_PINNED)
            module->Entry.LoadCount++;
        *DllHandle = module->Entry.DllBase;
        return STATUS_SUCCESS;
    }

    status = map_module(Loader, &name, &module);
    if (NT_SUCCESS(status))
        status = snap_module(Loader, module);
    if (!NT_SUCCESS(status)) {
        rollback_operation(Loader);
        return status;
    }
    InsertTailList(&Loader->Ldr->InInitializationOrderModuleList, &module->Entry.InInitializationOrderLinks);
    commit_operation(Loader, FALSE);
    module->Entry.LoadCount++;

    status = run_init_routines(Loader, NULL);
    if (!NT_SUCCESS(status)) {
        /* Drop this load's count: what it brought in is detached and unmapped. */
        dereference_module(module);
        unload_marked_modules(Loader);
        return status;
    }
    *DllHandle = module->Entry.DllBase;
    return STATUS_SUCCESS;
}

NTSTATUS LdrpGetDllHandle(PLDRP_LOADER Loader, PCUNICODE_STRING DllName, PVOID *DllHandle) {
    LDRP_NAME name;
    if (DllHandle == NULL)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = make_name_from_unicode(DllName, &name);
    if (!NT_SUCCESS(status))
        return status;
    PLDRP_MODULE module = find_module_by_name(Loader, &name.BaseName);
    if (module == NULL)
        return STATUS_DLL_NOT_FOUND;
    *DllHandle = module->Entry.DllBase;
    return STATUS_SUCCESS;
}

NTSTATUS LdrpGetProcedureAddress(PLDRP_LOADER Loader, PVOID DllHandle, PCSTR Name, ULONG Ordinal,
                                 PVOID *Address) {
    if (Address == NULL)
        return STATUS_INVALID_PARAMETER;
    PLDRP_MODULE module = LdrpFindModuleByBase(Loader, DllHandle);
    if (module == NULL)
        return STATUS_DLL_NOT_FOUND;
    ULONG address;
    NTSTATUS status = resolve_export(Loader, module, Name, Ordinal, module, TRUE, &address);
    if (!NT_SUCCESS(status)) {
        rollback_operation(Loader);
        return status;
    }
    /* Forwarders may have loaded DLLs: they join the process like imports
     * of the module and are initialized before their export is used. */
    commit_operation(Loader, FALSE);
    status = run_init_routines(Loader, NULL);
    if (!NT_SUCCESS(status))
        return status;
    *Address = (PVOID)(ULONG_PTR)address;
    return STATUS_SUCCESS;
}

NTSTATUS LdrpUnloadDll(PLDRP_LOADER Loader, PVOID DllHandle) {
    PLDRP_MODULE module = LdrpFindModuleByBase(Loader, DllHandle);
    if (module == NULL)
        return STATUS_DLL_NOT_FOUND;
    dereference_module(module);
    unload_marked_modules(Loader);
    return STATUS_SUCCESS;
}

NTSTATUS LdrpDisableThreadCallouts(PLDRP_LOADER Loader, PVOID DllHandle) {
    PLDRP_MODULE module = LdrpFindModuleByBase(Loader, DllHandle);
    if (module == NULL)
        return STATUS_DLL_NOT_FOUND;
    module->Entry.Flags |= LDRP_DONT_CALL_FOR_THREADS;
    return STATUS_SUCCESS;
}

VOID LdrpCallThreadRoutines(PLDRP_LOADER Loader, ULONG Reason) {
    PLIST_ENTRY head = &Loader->Ldr->InInitializationOrderModuleList;
    BOOLEAN forward = Reason == DLL_THREAD_ATTACH;
    if (Loader->ShutdownInProgress)
        return;
    for (PLIST_ENTRY link = forward ? head->Flink : head->Blink; link != head;) {
        PLDRP_MODULE module = module_of_init_link(link);
        link = forward ? link->Flink : link->Blink;
        if ((module->Entry.Flags & LDRP_PROCESS_ATTACH_CALLED) &&
            !(module->Entry.Flags & LDRP_DONT_CALL_FOR_THREADS) && wants_entry_calls(module))
            (void)call_entry(Loader, module, Reason, NULL); /* thread calls' results mean nothing */
    }
}

VOID LdrpShutdownProcess(PLDRP_LOADER Loader) {
    PLDRP_MODULE module;
    Loader->ShutdownInProgress = TRUE;
    while ((module = last_attached_with(Loader, 0)) != NULL) {
        module->Entry.Flags &= ~(ULONG)LDRP_PROCESS_ATTACH_CALLED;
        (void)call_entry(Loader, module, DLL_PROCESS_DETACH, (PVOID)1);
    }
}
