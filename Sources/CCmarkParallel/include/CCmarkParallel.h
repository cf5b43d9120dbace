#ifndef PATELLA_CCMARKPARALLEL_H
#define PATELLA_CCMARKPARALLEL_H

/// How many times cmark-gfm called Patella's replacement of
/// cmark_manage_extensions_special_characters: 0 means the library does not call it
/// through its symbol table, the replacement is not in effect, and parsing must stay
/// serialized.
long patella_cmark_special_character_calls(void);

#endif
