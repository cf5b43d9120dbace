// libFuzzer's driver entry point (compiler-rt, FuzzerInterface.h). The library itself
// is linked by `-sanitize=fuzzer`; this header only declares the function for Swift.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
