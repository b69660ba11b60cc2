/*
 * string.c - the memory, byte-string and wide-string routines.
 *
 * Why: these are the most called functions of any C program and gcc emits
 * calls to memcpy, memmove, memset and memcmp on its own (structure copies),
 * so they must be here under their real names. They are written as plain
 * byte loops: clear, easy to check, and fast enough for a hobby system; the
 * build's -fno-tree-loop-distribute-patterns keeps gcc from turning memset's
 * loop back into a call to memset. Pure: no KERNEL32 calls, so the host
 * tests compare each one with glibc's.
 *
 * strtok keeps its position in one static pointer, not per thread as
 * Microsoft's does.
 */
#include "crtlib.h"

/* ---- memory ---- */

void *memcpy(void *Destination, const void *Source, size_t Count) {
    unsigned char *d = Destination;
    const unsigned char *s = Source;
    while (Count--)
        *d++ = *s++;
    return Destination;
}

/* Copies forwards or backwards so overlapping ranges come out right. */
void *memmove(void *Destination, const void *Source, size_t Count) {
    unsigned char *d = Destination;
    const unsigned char *s = Source;
    if (d < s || d >= s + Count) {
        while (Count--)
            *d++ = *s++;
    } else {
        while (Count--)
            d[Count] = s[Count];
    }
    return Destination;
}

void *memset(void *Destination, int Value, size_t Count) {
    unsigned char *d = Destination;
    while (Count--)
        *d++ = (unsigned char)Value;
    return Destination;
}

int memcmp(const void *Left, const void *Right, size_t Count) {
    const unsigned char *a = Left, *b = Right;
    for (size_t i = 0; i < Count; i++) {
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    }
    return 0;
}

void *memchr(const void *Buffer, int Value, size_t Count) {
    const unsigned char *p = Buffer;
    for (size_t i = 0; i < Count; i++) {
        if (p[i] == (unsigned char)Value)
            return (void *)(p + i);
    }
    return NULL;
}

static int fold(int c) {
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* memcmp ignoring ASCII case, as the "C" locale's _memicmp. */
int _memicmp(const void *Left, const void *Right, size_t Count) {
    const unsigned char *a = Left, *b = Right;
    for (size_t i = 0; i < Count; i++) {
        int x = fold(a[i]), y = fold(b[i]);
        if (x != y)
            return x - y;
    }
    return 0;
}

/* ---- byte strings ---- */

size_t strlen(const char *String) {
    size_t n = 0;
    while (String[n])
        n++;
    return n;
}

size_t strnlen(const char *String, size_t Maximum) {
    size_t n = 0;
    while (n < Maximum && String[n])
        n++;
    return n;
}

char *strcpy(char *Destination, const char *Source) {
    char *d = Destination;
    while ((*d++ = *Source++) != '\0')
        ;
    return Destination;
}

/* Copies at most Count characters and pads with NULs up to Count; no NUL
 * is added when Source is Count characters or longer (C's contract). */
char *strncpy(char *Destination, const char *Source, size_t Count) {
    size_t i = 0;
    for (; i < Count && Source[i]; i++)
        Destination[i] = Source[i];
    for (; i < Count; i++)
        Destination[i] = '\0';
    return Destination;
}

char *strcat(char *Destination, const char *Source) {
    strcpy(Destination + strlen(Destination), Source);
    return Destination;
}

/* Appends at most Count characters of Source, and always a NUL. */
char *strncat(char *Destination, const char *Source, size_t Count) {
    char *d = Destination + strlen(Destination);
    while (Count-- && *Source)
        *d++ = *Source++;
    *d = '\0';
    return Destination;
}

int strcmp(const char *Left, const char *Right) {
    const unsigned char *a = (const unsigned char *)Left, *b = (const unsigned char *)Right;
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b ? 0 : *a < *b ? -1 : 1;
}

int strncmp(const char *Left, const char *Right, size_t Count) {
    const unsigned char *a = (const unsigned char *)Left, *b = (const unsigned char *)Right;
    for (size_t i = 0; i < Count; i++) {
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
        if (a[i] == '\0')
            break;
    }
    return 0;
}

/* The "C" locale collates by byte value. */
int strcoll(const char *Left, const char *Right) {
    return strcmp(Left, Right);
}

int _stricmp(const char *Left, const char *Right) {
    const unsigned char *a = (const unsigned char *)Left, *b = (const unsigned char *)Right;
    for (;; a++, b++) {
        int x = fold(*a), y = fold(*b);
        if (x != y || x == 0)
            return x - y;
    }
}

int _strnicmp(const char *Left, const char *Right, size_t Count) {
    const unsigned char *a = (const unsigned char *)Left, *b = (const unsigned char *)Right;
    for (size_t i = 0; i < Count; i++) {
        int x = fold(a[i]), y = fold(b[i]);
        if (x != y || x == 0)
            return x - y;
    }
    return 0;
}

char *strchr(const char *String, int Character) {
    for (;; String++) {
        if (*String == (char)Character)
            return (char *)String;
        if (*String == '\0')
            return NULL;
    }
}

char *strrchr(const char *String, int Character) {
    const char *found = NULL;
    for (;; String++) {
        if (*String == (char)Character)
            found = String;
        if (*String == '\0')
            return (char *)found;
    }
}

char *strstr(const char *Haystack, const char *Needle) {
    size_t n = strlen(Needle);
    for (; *Haystack; Haystack++) {
        if (strncmp(Haystack, Needle, n) == 0)
            return (char *)Haystack;
    }
    return n == 0 ? (char *)Haystack : NULL;
}

/* Length of the leading run of String made of (Accept != 0) or not made of
 * (Accept == 0) characters from Set. */
static size_t span(const char *String, const char *Set, int Accept) {
    size_t n = 0;
    for (; String[n]; n++) {
        int inSet = strchr(Set, String[n]) != NULL;
        if (inSet != Accept)
            break;
    }
    return n;
}

size_t strspn(const char *String, const char *Set) {
    return span(String, Set, 1);
}

size_t strcspn(const char *String, const char *Set) {
    return span(String, Set, 0);
}

char *strpbrk(const char *String, const char *Set) {
    String += span(String, Set, 0);
    return *String ? (char *)String : NULL;
}

char *strtok(char *String, const char *Delimiters) {
    static char *next;
    if (String == NULL)
        String = next;
    if (String == NULL)
        return NULL;
    String += span(String, Delimiters, 1);
    if (*String == '\0') {
        next = NULL;
        return NULL;
    }
    char *end = String + span(String, Delimiters, 0);
    if (*end) {
        *end = '\0';
        next = end + 1;
    } else {
        next = NULL;
    }
    return String;
}

char *_strlwr(char *String) {
    for (char *p = String; *p; p++)
        *p = (char)fold((unsigned char)*p);
    return String;
}

char *_strupr(char *String) {
    for (char *p = String; *p; p++) {
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - ('a' - 'A'));
    }
    return String;
}

char *_strrev(char *String) {
    size_t n = strlen(String);
    for (size_t i = 0; i < n / 2; i++) {
        char c = String[i];
        String[i] = String[n - 1 - i];
        String[n - 1 - i] = c;
    }
    return String;
}

/* ---- wide strings ---- */

size_t wcslen(const crt_wchar *String) {
    size_t n = 0;
    while (String[n])
        n++;
    return n;
}

crt_wchar *wcscpy(crt_wchar *Destination, const crt_wchar *Source) {
    crt_wchar *d = Destination;
    while ((*d++ = *Source++) != 0)
        ;
    return Destination;
}

crt_wchar *wcsncpy(crt_wchar *Destination, const crt_wchar *Source, size_t Count) {
    size_t i = 0;
    for (; i < Count && Source[i]; i++)
        Destination[i] = Source[i];
    for (; i < Count; i++)
        Destination[i] = 0;
    return Destination;
}

crt_wchar *wcscat(crt_wchar *Destination, const crt_wchar *Source) {
    wcscpy(Destination + wcslen(Destination), Source);
    return Destination;
}

int wcscmp(const crt_wchar *Left, const crt_wchar *Right) {
    while (*Left && *Left == *Right) {
        Left++;
        Right++;
    }
    return *Left == *Right ? 0 : *Left < *Right ? -1 : 1;
}

int wcsncmp(const crt_wchar *Left, const crt_wchar *Right, size_t Count) {
    for (size_t i = 0; i < Count; i++) {
        if (Left[i] != Right[i])
            return Left[i] < Right[i] ? -1 : 1;
        if (Left[i] == 0)
            break;
    }
    return 0;
}

int _wcsicmp(const crt_wchar *Left, const crt_wchar *Right) {
    for (;; Left++, Right++) {
        int x = *Left < 0x80 ? fold(*Left) : *Left;
        int y = *Right < 0x80 ? fold(*Right) : *Right;
        if (x != y || x == 0)
            return x - y;
    }
}

crt_wchar *wcschr(const crt_wchar *String, crt_wchar Character) {
    for (;; String++) {
        if (*String == Character)
            return (crt_wchar *)String;
        if (*String == 0)
            return NULL;
    }
}

crt_wchar *wcsrchr(const crt_wchar *String, crt_wchar Character) {
    const crt_wchar *found = NULL;
    for (;; String++) {
        if (*String == Character)
            found = String;
        if (*String == 0)
            return (crt_wchar *)found;
    }
}

crt_wchar *wcsstr(const crt_wchar *Haystack, const crt_wchar *Needle) {
    size_t n = wcslen(Needle);
    for (; *Haystack; Haystack++) {
        if (wcsncmp(Haystack, Needle, n) == 0)
            return (crt_wchar *)Haystack;
    }
    return n == 0 ? (crt_wchar *)Haystack : NULL;
}
