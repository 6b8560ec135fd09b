#include <zlib.h>

/* inflateInit2 is a macro over inflateInit2_ that Swift cannot call. */
static inline int nerq_inflate_init2(z_streamp strm, int window_bits) {
    return inflateInit2_(strm, window_bits, ZLIB_VERSION, (int)sizeof(z_stream));
}
