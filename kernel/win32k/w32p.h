/*
 * w32p.h - what the kernel-mode GDI host's files share (GDI=kernel).
 *
 * Why: in the GDI=kernel build the engine (subsys/gdi, unchanged) runs in
 * the kernel, as win32k.sys made it do in NT 4.0. This folder is its host:
 * w32host.c supplies the engine's GdiHost* functions with the kernel's
 * pool, a mutant and system-space views; ntgdi.c is service table 1, the
 * NtGdi* system services gdi32 calls, and the start-up that installs it.
 */
#ifndef KERNEL_WIN32K_W32P_H
#define KERNEL_WIN32K_W32P_H

#include "../include/ex.h"
#include "../include/ke.h"
#include "../include/mm.h"
#include "../include/ps.h"

#include "../../subsys/gdi/gdi.h"

#define TAG_GDI NT_TAG('G', 'd', 'i', ' ')

/* w32host.c */
NTSTATUS W32pInitializeHost(VOID);
/* The display, mapped in system space from \Device\Video0; FALSE if none. */
BOOLEAN W32pMapDisplay(GDI_DISPLAY *Display);

#endif
