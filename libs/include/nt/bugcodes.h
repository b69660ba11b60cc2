/*
 * bugcodes.h - STOP codes, with NT's numbers and names.
 *
 * Why: the STOP screen prints the code and its name exactly as NT did, so a
 * reader can look the code up in Microsoft's bug check reference. The name
 * table is an X-macro so that the numbers and the names cannot drift apart.
 */
#ifndef NT_BUGCODES_H
#define NT_BUGCODES_H

#define BUGCODE_LIST(X)                                  \
    X(0x00000005, INVALID_PROCESS_ATTACH_ATTEMPT)        \
    X(0x0000000A, IRQL_NOT_LESS_OR_EQUAL)                \
    X(0x0000001E, KMODE_EXCEPTION_NOT_HANDLED)           \
    X(0x0000004E, PFN_LIST_CORRUPT)                      \
    X(0x00000050, PAGE_FAULT_IN_NONPAGED_AREA)           \
    X(0x0000005C, HAL_INITIALIZATION_FAILED)             \
    X(0x00000067, CONFIG_INITIALIZATION_FAILED)          \
    X(0x0000006B, PROCESS1_INITIALIZATION_FAILED)        \
    X(0x0000007D, INSTALL_MORE_MEMORY)                   \
    X(0x0000007F, UNEXPECTED_KERNEL_MODE_TRAP)           \
    X(0x0000008E, KERNEL_MODE_EXCEPTION_NOT_HANDLED)     \
    X(0x00000019, BAD_POOL_HEADER)                       \
    X(0x00000041, MUST_SUCCEED_POOL_EMPTY)               \
    X(0x00000012, TRAP_CAUSE_UNKNOWN)                    \
    X(0x0000001A, MEMORY_MANAGEMENT)                     \
    X(0x0000005D, UNSUPPORTED_PROCESSOR)                 \
    X(0x00000078, PHASE0_EXCEPTION)                      \
    X(0x0000007B, INACCESSIBLE_BOOT_DEVICE)              \
    X(0x000000C2, BAD_POOL_CALLER)                       \
    X(0x000000E2, MANUALLY_INITIATED_CRASH)              \
    X(0xC000021A, STATUS_SYSTEM_PROCESS_TERMINATED)

#define BUGCODE_ENUM(code, name) name = code,
enum { BUGCODE_LIST(BUGCODE_ENUM) };
#undef BUGCODE_ENUM

#endif
