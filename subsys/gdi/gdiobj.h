/*
 * gdiobj.h - GDI's handle manager: every pen, brush, font, bitmap, region
 * and DC is named by a 32-bit handle that says what it is and whose it is.
 *
 * Why: GDI objects are not kernel objects (NT never made them so): they live
 * in the engine's own table, in csrss (NT 3.51) or the kernel (NT 4.0). A
 * client holds only numbers, so every number it sends must be checked: in
 * range, of the type the call wants, still alive (the uniqueness byte
 * changes each time a slot is reused), and owned by the caller's process or
 * a stock object everyone may use. Each process may own at most
 * GDI_PROCESS_QUOTA objects; creating one more fails cleanly, and everything
 * a process owns is freed when it ends (GdiCleanupProcess).
 *
 * The handle's layout is NT's: bits 0-15 the table index, bits 16-22 the
 * object type (GDI_OBJECT_TYPE_*), bit 23 "stock object", bits 24-31 the
 * uniqueness count.
 */
#ifndef GDI_GDIOBJ_H
#define GDI_GDIOBJ_H

#include "gdikernel.h"

typedef uint32_t GDI_HANDLE;

/* NT's type codes (as GetObjectType's internal numbering in the handle). */
#define GDI_OBJECT_TYPE_DC 0x01
#define GDI_OBJECT_TYPE_REGION 0x04
#define GDI_OBJECT_TYPE_BITMAP 0x05
#define GDI_OBJECT_TYPE_FONT 0x0A
#define GDI_OBJECT_TYPE_BRUSH 0x10
#define GDI_OBJECT_TYPE_PEN 0x30

#define GDI_HANDLE_INDEX(h) ((h)&0xFFFFu)
#define GDI_HANDLE_TYPE(h) (((h) >> 16) & 0x7Fu)
#define GDI_HANDLE_STOCK 0x00800000u
#define GDI_HANDLE_UNIQUE(h) ((h) >> 24)

#define GDI_MAX_HANDLES 16384       /* the table's size */
#define GDI_PROCESS_QUOTA 4000      /* objects one process may own (NT 4.0's default was 10,000) */
#define GDI_OWNER_STOCK 0xFFFFFFFFu /* stock objects: owned by nobody, usable by all */
#define GDI_OWNER_ANY 0xFFFFFFFEu   /* GdiLookupHandle: whoever owns it (the engine's own bookkeeping) */
/* The bytes of DIB sections one process may own: their bits are committed
 * for as long as they live, in the host's space too (csrss's, or the
 * kernel's system space, where win32k also has a budget for everyone). */
#define GDI_PROCESS_SHARED_QUOTA (32u * 1024 * 1024)

/* Sets the table up; FALSE when out of memory. */
int GdiInitHandleTable(void);
/* Installs Object (engine memory, freed with Destroy when its handle is
 * deleted) under a new handle of Type owned by Owner; 0 when the table is
 * full or Owner's quota is used up (the object is then not installed, and
 * the caller still owns it). Stock objects: Owner GDI_OWNER_STOCK. */
GDI_HANDLE GdiCreateHandle(void *Object, uint32_t Type, uint32_t Owner, void (*Destroy)(void *Object));
/* The object behind Handle if it is alive, of Type (0: any type) and
 * usable by Owner (its own, or stock); NULL otherwise. */
void *GdiLookupHandle(GDI_HANDLE Handle, uint32_t Type, uint32_t Owner);
/* Deletes Handle (not stock, owned by Owner): its Destroy runs. FALSE if
 * the handle is not Owner's to delete. */
int GdiDeleteHandle(GDI_HANDLE Handle, uint32_t Owner);
/* Deletes every handle Owner owns (its process ended); returns how many. */
uint32_t GdiCleanupProcess(uint32_t Owner);
/* How many handles Owner holds (for tests and the quota). */
uint32_t GdiOwnerHandleCount(uint32_t Owner);
/* The bytes of shared memory (DIB sections' bits) charged to Owner, and
 * the charge and its return. A charge needs Owner to hold a handle (the
 * DIB section's own); when Owner's last handle goes, so does the count,
 * and a late return finds nothing to take from. */
uint32_t GdiOwnerSharedBytes(uint32_t Owner);
void GdiChargeShared(uint32_t Owner, uint32_t Bytes);
void GdiReturnShared(uint32_t Owner, uint32_t Bytes);

#endif
