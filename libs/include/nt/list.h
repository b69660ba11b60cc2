/*
 * list.h - NT's doubly linked lists (LIST_ENTRY), as inline functions.
 *
 * Why: NT threads every queue (ready lists, wait lists, handle tables,
 * process lists) through LIST_ENTRY; the same helpers serve kernel and ntdll.
 */
#ifndef NT_LIST_H
#define NT_LIST_H

#include <nt/ntdef.h>

static inline void InitializeListHead(PLIST_ENTRY Head) { Head->Flink = Head->Blink = Head; }

static inline BOOLEAN IsListEmpty(const LIST_ENTRY *Head) { return Head->Flink == Head; }

static inline void InsertTailList(PLIST_ENTRY Head, PLIST_ENTRY Entry) {
    PLIST_ENTRY last = Head->Blink;
    Entry->Flink = Head;
    Entry->Blink = last;
    last->Flink = Entry;
    Head->Blink = Entry;
}

static inline void InsertHeadList(PLIST_ENTRY Head, PLIST_ENTRY Entry) {
    PLIST_ENTRY first = Head->Flink;
    Entry->Flink = first;
    Entry->Blink = Head;
    first->Blink = Entry;
    Head->Flink = Entry;
}

/* Unlinks Entry; returns TRUE when the list it was on is now empty. */
static inline BOOLEAN RemoveEntryList(PLIST_ENTRY Entry) {
    PLIST_ENTRY next = Entry->Flink, prev = Entry->Blink;
    prev->Flink = next;
    next->Blink = prev;
    Entry->Flink = Entry->Blink = Entry;
    return next == prev;
}

static inline PLIST_ENTRY RemoveHeadList(PLIST_ENTRY Head) {
    PLIST_ENTRY e = Head->Flink;
    RemoveEntryList(e);
    return e;
}

#endif
