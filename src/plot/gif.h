/* gif.h — joining animated GIFs drawn in parts (an animation's frames spread over several
 * gnuplot processes) */
#ifndef LSC_PLOT_GIF_H
#define LSC_PLOT_GIF_H

#include <stddef.h>

/* Where the frames of the GIF89a b[0..n) begin (its first block after the header, the
 * global colour table and any application extension such as the loop count) and where its
 * trailer is. With own_colours set, every image must carry its own colour table (so that
 * it can follow another file's header). Returns 0, or -1 for bytes that are not such a
 * GIF (every length is checked against n). */
int plot_gif_scan(const unsigned char *b, size_t n, int own_colours, size_t *frames_at,
                  size_t *trailer_at);

/* Join the animated GIFs parts[0..nparts) into out (a plain file in a private directory):
 * the first file up to its trailer, then each further file's frames, then the trailer.
 * gnuplot's GIFs (libgd) write every frame whole with its own colour table, so the result
 * is the file one process would have drawn. Returns 0, or -1 with errno set (EINVAL: a
 * part is not a GIF that can be joined). */
int plot_gif_join(const char *const *parts, int nparts, const char *out);

#endif
