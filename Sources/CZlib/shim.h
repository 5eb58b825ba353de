#ifndef MMETL_CZLIB_SHIM_H
#define MMETL_CZLIB_SHIM_H
#include <zlib.h>

/* deflateInit2 / inflateInit2 are function-like macros: Swift cannot see them. */
static inline int mm_deflateInit2(z_streamp s, int level, int method, int windowBits, int memLevel, int strategy) {
    return deflateInit2(s, level, method, windowBits, memLevel, strategy);
}
static inline int mm_inflateInit2(z_streamp s, int windowBits) { return inflateInit2(s, windowBits); }
#endif
