#ifndef PATELLA_CPLATFORM_H
#define PATELLA_CPLATFORM_H
/// Atomically swaps two directory entries (Linux renameat2 RENAME_EXCHANGE).
/// Returns 0 on success, -1 with errno set otherwise.
int patella_exchange_paths(const char *a, const char *b);
/// Deletes a folder and everything in it without following symlinks.
/// Returns 0 on success, -1 with errno set otherwise.
int patella_remove_tree(const char *path);
#endif
