/* gif.c — joining animated GIFs drawn in parts (gif.h)
 *
 * The GIF89a format (CompuServe 1990): "GIF89a", the logical screen descriptor (7 bytes;
 * bit 7 of byte 10 says a global colour table of 3 * 2^(1 + (byte 10 & 7)) bytes
 * follows), then blocks until the trailer 0x3B: extensions (0x21, a label, data
 * sub-blocks ended by a zero length) and images (0x2C, a 9-byte descriptor whose last byte
 * says a local colour table as above, the LZW minimum code size, data sub-blocks). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gif.h"

/* Past the data sub-blocks starting at p, or 0 when they run past n. */
static size_t skip_subblocks(const unsigned char *b, size_t n, size_t p)
{
    while (p < n && b[p])
        p += 1 + (size_t)b[p];
    return p < n ? p + 1 : 0;
}

int plot_gif_scan(const unsigned char *b, size_t n, int own_colours, size_t *frames_at,
                  size_t *trailer_at)
{
    if (n < 13 || memcmp(b, "GIF89a", 6) != 0)
        return -1;
    size_t p = 13, first = 0;
    if (b[10] & 0x80)
        p += (size_t)3 << ((b[10] & 7) + 1);
    while (p < n) {
        if (b[p] == 0x3B) {
            if (!first)
                return -1; /* no frame at all */
            *frames_at = first;
            *trailer_at = p;
            return 0;
        }
        if (b[p] == 0x21) { /* an extension: the application extension (0xFF) precedes */
            if (p + 2 > n)
                return -1;
            if (b[p + 1] != 0xFF && !first)
                first = p;
            if (!(p = skip_subblocks(b, n, p + 2)))
                return -1;
        } else if (b[p] == 0x2C) { /* an image */
            if (!first)
                first = p;
            if (p + 11 > n || (own_colours && !(b[p + 9] & 0x80)))
                return -1;
            size_t lct = b[p + 9] & 0x80 ? (size_t)3 << ((b[p + 9] & 7) + 1) : 0;
            if (!(p = skip_subblocks(b, n, p + 10 + lct + 1)))
                return -1;
        } else {
            return -1;
        }
    }
    return -1; /* no trailer */
}

/* The whole file path, malloc'ed, in *buf and *len. */
static int slurp(const char *path, unsigned char **buf, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    int rc = -1;
    if (fseek(fp, 0, SEEK_END) == 0) {
        long n = ftell(fp);
        if (n >= 0 && fseek(fp, 0, SEEK_SET) == 0 && (*buf = malloc((size_t)n + 1))) {
            if (fread(*buf, 1, (size_t)n, fp) == (size_t)n) {
                *len = (size_t)n;
                rc = 0;
            } else {
                free(*buf);
            }
        }
    }
    fclose(fp);
    return rc;
}

int plot_gif_join(const char *const *parts, int nparts, const char *out)
{
    FILE *fp = fopen(out, "wb");
    if (!fp)
        return -1;
    int rc = 0, e = 0;
    for (int k = 0; k < nparts && rc == 0; k++) {
        unsigned char *b = NULL;
        size_t n = 0, at, end;
        if (slurp(parts[k], &b, &n) != 0) {
            e = errno;
            rc = -1;
        } else if (plot_gif_scan(b, n, k > 0, &at, &end) != 0) {
            e = EINVAL;
            rc = -1;
        } else if (fwrite(b + (k ? at : 0), 1, end - (k ? at : 0), fp) != end - (k ? at : 0)) {
            e = errno;
            rc = -1;
        }
        free(b);
    }
    if (rc == 0 && fputc(0x3B, fp) == EOF) {
        e = errno;
        rc = -1;
    }
    if (fclose(fp) != 0 && rc == 0) {
        e = errno;
        rc = -1;
    }
    if (rc != 0)
        errno = e ? e : EIO;
    return rc;
}
