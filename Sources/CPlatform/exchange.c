#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/fs.h>
#include "CPlatform.h"

// Swift's Glibc overlay does not expose renameat2, and syscall() is variadic.
int patella_exchange_paths(const char *a, const char *b) {
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
}

#include <ftw.h>
#include <stdio.h>

static int remove_entry(const char *path, const struct stat *status, int flag, struct FTW *walk) {
    (void)status; (void)flag; (void)walk;
    return remove(path);
}

// Foundation's removeItem stats and checks every entry on the way; nftw with
// FTW_PHYS never follows a symlink out of the tree and is several times faster.
int patella_remove_tree(const char *path) {
    return nftw(path, remove_entry, 64, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}
