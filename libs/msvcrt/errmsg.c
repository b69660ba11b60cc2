/*
 * errmsg.c - the text of each errno value, for strerror and perror.
 *
 * Why: mingw's own printf (libmingwex) calls strerror for %m, and programs
 * print errors with it; the messages are Microsoft's wording so output reads
 * as it does on Windows. Pure: no KERNEL32 calls.
 */
#include "crtlib.h"

static const char *const messages[] = {
    "No error",
    "Operation not permitted",
    "No such file or directory",
    "No such process",
    "Interrupted function call",
    "Input/output error",
    "No such device or address",
    "Arg list too long",
    "Exec format error",
    "Bad file descriptor",
    "No child processes",
    "Resource temporarily unavailable",
    "Not enough space",
    "Permission denied",
    "Bad address",
    "Unknown error",
    "Resource device",
    "File exists",
    "Improper link",
    "No such device",
    "Not a directory",
    "Is a directory",
    "Invalid argument",
    "Too many open files in system",
    "Too many open files",
    "Inappropriate I/O control operation",
    "Unknown error",
    "File too large",
    "No space left on device",
    "Invalid seek",
    "Read-only file system",
    "Too many links",
    "Broken pipe",
    "Domain error",
    "Result too large",
    "Unknown error",
    "Resource deadlock avoided",
    "Unknown error",
    "Filename too long",
    "No locks available",
    "Function not implemented",
    "Directory not empty",
    "Illegal byte sequence",
};

const char *crt_error_text(int Error) {
    if (Error < 0 || (size_t)Error >= sizeof messages / sizeof messages[0])
        return "Unknown error";
    return messages[Error];
}

char *strerror(int Error) {
    return (char *)crt_error_text(Error);
}
