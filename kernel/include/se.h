/*
 * se.h - the security reference monitor, as far as Daytona has one: primary
 * tokens that say whether a process holds the SYSTEM account's rights.
 *
 * Why: NT decides what a process may do from its primary token. Daytona has
 * no users, SIDs or security descriptors yet, but it must still tell a
 * system process (smss, csrss: may create objects in \Windows, shut the
 * machine down, raise fatal hard errors) from an ordinary program, so an
 * ordinary program cannot squat on \Windows\ApiPort. A token here is one
 * bit of that: System or not. Tokens are objects of type "Token", made by
 * NtOpenProcessToken (a copy of the process's token) and NtFilterToken
 * (DISABLE_MAX_PRIVILEGE drops System), and assigned to a process that has
 * not run yet with NtSetInformationProcess(ProcessAccessToken), as NT does.
 * A process inherits its parent's token (EPROCESS.IsSystem).
 */
#ifndef KERNEL_SE_H
#define KERNEL_SE_H

#include "ob.h"

typedef struct _TOKEN {
    BOOLEAN System; /* holds the SYSTEM account's rights */
} TOKEN, *PTOKEN;

extern POBJECT_TYPE SeTokenObjectType;

/* Creates the Token object type (phase 0, after Ob). */
NT_CHECK_RESULT NTSTATUS SeInitSystem(VOID);

#endif
