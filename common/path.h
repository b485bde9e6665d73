/* path.h: lexical path normalisation. */
#ifndef WARD_PATH_H
#define WARD_PATH_H

#include <stddef.h>

#define WN_DOTDOT 1u /* a ".." removed a name of `path` itself: a link there would change the answer */
#define WN_TRAIL 2u  /* `path` ends in "/", "/." or "/..": the object must be a folder */
#define WN_DOT 4u    /* `path` held a "." name that was dropped (empty names set nothing) */

/* Joins the absolute normalised folder `base` (length blen; ignored when `path` is
 * absolute) and `path`, and folds "//", "." and ".." lexically into `out` (size
 * outsz). The result is absolute, has no trailing "/" (except "/" itself) and no "."
 * or ".." names. Sets *flags (WN_*). Returns the length, -ENAMETOOLONG, or -ENOENT
 * for an empty `path`. */
long wn_join(const char *base, size_t blen, const char *path, char *out, size_t outsz,
	     unsigned *flags);

/* Length of the parent of the normalised absolute path s[0..len): "/a/b" -> 2,
 * "/a" -> 1, "/" -> 1. */
size_t wn_parent_len(const char *s, size_t len);

/* Is the normalised path a[0..al) equal to, or beneath, the folder b[0..bl)? */
int wn_is_under(const char *a, size_t al, const char *b, size_t bl);

#endif
