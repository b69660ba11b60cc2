/*
 * test_gdi_obj.c - GDI's handle table refuses every handle a client could
 * forge or keep too long, enforces the per-process quota, and frees what a
 * process owned when it ends.
 *
 * Why: every GDI call from a client starts with a handle lookup, and the
 * client controls the number; a lookup that accepts a stale, foreign or
 * mistyped handle lets one process draw into (or free) another's objects.
 */
#include <stdlib.h>

#include "../../subsys/gdi/gdiobj.c"
#include "unit.h"

void *GdiHostAlloc(size_t Bytes) {
    return calloc(1, Bytes);
}
void GdiHostFree(void *Block) {
    free(Block);
}

static int Destroyed;
static void destroy(void *Object) {
    Destroyed++;
    free(Object);
}

static void *object(void) {
    return calloc(1, 16);
}

TEST(handles_carry_type_and_are_found_only_by_their_type_and_owner) {
    CHECK(GdiInitHandleTable());
    void *pen = object();
    GDI_HANDLE h = GdiCreateHandle(pen, GDI_OBJECT_TYPE_PEN, 7, destroy);
    CHECK(h != 0);
    CHECK_EQ(GDI_HANDLE_TYPE(h), GDI_OBJECT_TYPE_PEN);
    CHECK(GdiLookupHandle(h, GDI_OBJECT_TYPE_PEN, 7) == pen);
    CHECK(GdiLookupHandle(h, 0, 7) == pen);
    CHECK(GdiLookupHandle(h, GDI_OBJECT_TYPE_BRUSH, 7) == NULL);         /* wrong type */
    CHECK(GdiLookupHandle(h, GDI_OBJECT_TYPE_PEN, 8) == NULL);           /* another process's */
    CHECK(!GdiDeleteHandle(h, 8));                                       /* nor may it delete it */
    CHECK(GdiLookupHandle(h ^ 0x00300000u ^ 0x00100000u, 0, 7) == NULL); /* type bits changed */
    CHECK(GdiLookupHandle(0, 0, 7) == NULL);
    CHECK(GdiLookupHandle(0xFFFFFFFFu, 0, 7) == NULL);
    CHECK(GdiDeleteHandle(h, 7));
    CHECK_EQ(Destroyed, 1);
}

TEST(a_deleted_handle_stays_dead_when_its_slot_is_reused) {
    CHECK(GdiInitHandleTable());
    GDI_HANDLE old = GdiCreateHandle(object(), GDI_OBJECT_TYPE_BRUSH, 1, destroy);
    CHECK(GdiDeleteHandle(old, 1));
    CHECK(!GdiDeleteHandle(old, 1)); /* twice: refused, nothing freed twice */
    void *fresh = object();
    GDI_HANDLE h = GdiCreateHandle(fresh, GDI_OBJECT_TYPE_BRUSH, 1, destroy);
    CHECK_EQ(GDI_HANDLE_INDEX(h), GDI_HANDLE_INDEX(old)); /* the slot is reused... */
    CHECK(h != old);                                      /* ...under a new uniqueness */
    CHECK(GdiLookupHandle(old, 0, 1) == NULL);
    CHECK(GdiLookupHandle(h, 0, 1) == fresh);
}

TEST(stock_objects_are_everyones_and_nobody_deletes_them) {
    CHECK(GdiInitHandleTable());
    void *font = object();
    GDI_HANDLE h = GdiCreateHandle(font, GDI_OBJECT_TYPE_FONT, GDI_OWNER_STOCK, destroy);
    CHECK(h & GDI_HANDLE_STOCK);
    CHECK(GdiLookupHandle(h, GDI_OBJECT_TYPE_FONT, 1) == font);
    CHECK(GdiLookupHandle(h, GDI_OBJECT_TYPE_FONT, 99) == font);
    CHECK(!GdiDeleteHandle(h, 1));
    CHECK(!GdiDeleteHandle(h, GDI_OWNER_STOCK));
    CHECK_EQ(GdiCleanupProcess(1), 0);
    CHECK(GdiLookupHandle(h, 0, 1) == font);
}

TEST(the_quota_stops_one_process_without_touching_others) {
    CHECK(GdiInitHandleTable());
    uint32_t made = 0;
    while (made < GDI_PROCESS_QUOTA + 10) {
        void *o = object();
        if (!GdiCreateHandle(o, GDI_OBJECT_TYPE_REGION, 5, destroy)) {
            free(o); /* not installed: still the caller's */
            break;
        }
        made++;
    }
    CHECK_EQ(made, GDI_PROCESS_QUOTA);
    CHECK_EQ(GdiOwnerHandleCount(5), GDI_PROCESS_QUOTA);
    GDI_HANDLE other = GdiCreateHandle(object(), GDI_OBJECT_TYPE_REGION, 6, destroy);
    CHECK(other != 0); /* another process still can */
    CHECK_EQ(GdiCleanupProcess(5), GDI_PROCESS_QUOTA);
    CHECK_EQ(GdiOwnerHandleCount(5), 0);
    CHECK(GdiLookupHandle(other, 0, 6) != NULL);
    GDI_HANDLE again = GdiCreateHandle(object(), GDI_OBJECT_TYPE_REGION, 5, destroy);
    CHECK(again != 0); /* its quota is back */
}

TEST(shared_bytes_are_charged_per_owner_and_go_with_its_last_handle) {
    CHECK(GdiInitHandleTable());
    CHECK_EQ(GdiOwnerSharedBytes(9), 0);
    GdiChargeShared(9, 100); /* no handle yet: nothing to charge to */
    CHECK_EQ(GdiOwnerSharedBytes(9), 0);
    GDI_HANDLE a = GdiCreateHandle(object(), GDI_OBJECT_TYPE_BITMAP, 9, destroy);
    GDI_HANDLE b = GdiCreateHandle(object(), GDI_OBJECT_TYPE_BITMAP, 10, destroy);
    GdiChargeShared(9, 4096);
    GdiChargeShared(9, 8192);
    GdiChargeShared(10, 1);
    CHECK_EQ(GdiOwnerSharedBytes(9), 12288);
    CHECK_EQ(GdiOwnerSharedBytes(10), 1); /* apart */
    GdiReturnShared(9, 4096);
    CHECK_EQ(GdiOwnerSharedBytes(9), 8192);
    GdiReturnShared(9, 99999); /* never below zero */
    CHECK_EQ(GdiOwnerSharedBytes(9), 0);
    GdiChargeShared(9, 500);
    CHECK(GdiDeleteHandle(a, 9));
    GdiReturnShared(9, 500); /* after the last handle: a late return finds nothing */
    GDI_HANDLE c = GdiCreateHandle(object(), GDI_OBJECT_TYPE_BITMAP, 9, destroy);
    CHECK(c != 0);
    CHECK_EQ(GdiOwnerSharedBytes(9), 0); /* a new slot starts from nothing */
    CHECK(GdiDeleteHandle(b, 10));
    CHECK(GdiDeleteHandle(c, 9));
}

TEST(a_full_table_fails_cleanly) {
    CHECK(GdiInitHandleTable());
    uint32_t n = 0;
    for (uint32_t owner = 100; n < GDI_MAX_HANDLES; owner++) {
        uint32_t i = 0;
        for (; i < GDI_PROCESS_QUOTA; i++) {
            void *o = object();
            if (!GdiCreateHandle(o, GDI_OBJECT_TYPE_PEN, owner, destroy)) {
                free(o);
                break;
            }
            n++;
        }
        if (i < GDI_PROCESS_QUOTA)
            break; /* the table ran out before this owner's quota */
    }
    CHECK_EQ(n, GDI_MAX_HANDLES - 1); /* slot 0 is never used */
    void *o = object();
    CHECK(GdiCreateHandle(o, GDI_OBJECT_TYPE_PEN, 1, destroy) == 0);
    free(o);
}

TEST(cleanup_frees_exactly_the_owners_objects) {
    CHECK(GdiInitHandleTable());
    GDI_HANDLE mine[10], theirs[10];
    for (int i = 0; i < 10; i++) {
        mine[i] = GdiCreateHandle(object(), GDI_OBJECT_TYPE_BITMAP, 3, destroy);
        theirs[i] = GdiCreateHandle(object(), GDI_OBJECT_TYPE_BITMAP, 4, destroy);
    }
    Destroyed = 0;
    CHECK_EQ(GdiCleanupProcess(3), 10);
    CHECK_EQ(Destroyed, 10);
    for (int i = 0; i < 10; i++) {
        CHECK(GdiLookupHandle(mine[i], 0, 3) == NULL);
        CHECK(GdiLookupHandle(theirs[i], 0, 4) != NULL);
    }
}

int main(void) {
    RUN(handles_carry_type_and_are_found_only_by_their_type_and_owner);
    RUN(a_deleted_handle_stays_dead_when_its_slot_is_reused);
    RUN(stock_objects_are_everyones_and_nobody_deletes_them);
    RUN(the_quota_stops_one_process_without_touching_others);
    RUN(shared_bytes_are_charged_per_owner_and_go_with_its_last_handle);
    RUN(a_full_table_fails_cleanly);
    RUN(cleanup_frees_exactly_the_owners_objects);
    return UtFinish();
}
