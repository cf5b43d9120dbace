// cmark-gfm 0.29 keeps the table of characters that start inline syntax in one global
// array. Every parse adds its inline extensions' characters (`~` for strikethrough,
// `:` and `w` for autolinks) when it starts on inlines and removes them when it is
// done (cmark_parser_finish -> cmark_manage_extensions_special_characters(parser, 1),
// then (parser, 0)), so a parse on another thread can find them missing half-way:
// that is the wrong HTML measured when several threads parse at once.
//
// The library calls that function through its own exported symbol, which a definition
// in the executable takes over (ELF symbol interposition, as malloc replacements do).
// This one adds each parser's characters (through the library's own function, found
// with dlsym(RTLD_NEXT)) and never removes them: every parser Patella makes attaches
// the same extensions, so the table only ever holds the same characters, and parses
// on separate threads no longer disturb each other. Swift checks that this function
// was called before it lets parses run at once (patella_cmark_special_character_calls).
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include "CCmarkParallel.h"

struct cmark_parser;
typedef void (*manage_function)(struct cmark_parser *, int);

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static manage_function library_function;
static atomic_long calls;

void cmark_manage_extensions_special_characters(struct cmark_parser *parser, int add) {
    atomic_fetch_add(&calls, 1);
    if (!add) return;
    pthread_mutex_lock(&lock);
    if (!library_function) library_function = (manage_function)dlsym(RTLD_NEXT, "cmark_manage_extensions_special_characters");
    // Setting table entries that are already set changes nothing another parse can see.
    if (library_function) library_function(parser, 1);
    pthread_mutex_unlock(&lock);
}

long patella_cmark_special_character_calls(void) {
    return atomic_load(&calls);
}
