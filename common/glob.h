/* glob.h: ward's path patterns, compiled into components and matched without
 * recursion or allocation.
 *
 * A pattern is an absolute path whose names may hold `*` (any run of characters
 * within one name), `?` (one character), `[...]` (a class, `!` or `^` negates), `\`
 * (takes the next character literally), and the whole name `**` (any number of
 * names, zero included). Unlike a shell, `*` also matches names that begin with a dot.
 */
#ifndef WARD_GLOB_H
#define WARD_GLOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum wg_kind {
	WG_LIT = 0,    /* a literal name, stored unescaped */
	WG_STARSTAR,   /* the whole name `**` */
	WG_PREFIX,     /* `abc*`: stored text is the literal prefix "abc" */
	WG_SUFFIX,     /* `*.pem`: stored text is the literal suffix ".pem" */
	WG_GLOB,       /* anything else: stored text is the raw glob */
	WG_ANY,        /* internal: matches exactly one name of any spelling */
};

/* One compiled name of a pattern: its stored text is base[off .. off+len) for the
 * `base` that the matcher is given (a compiled policy blob, or any string). */
struct wg_comp {
	uint32_t off, len;
	uint8_t kind, pad[3];
};

/* A path split into names: off[i], len[i] give name i within the path string. */
#define WG_MAX_DEPTH 256
struct wg_path {
	const char *s;
	uint32_t n;
	uint16_t off[WG_MAX_DEPTH];
	uint16_t len[WG_MAX_DEPTH];
};

/* Splits the normalised absolute path `s` (length `len`, < 65536) into names.
 * Returns 0, or -1 when it has more than WG_MAX_DEPTH names. */
int wg_split(struct wg_path *p, const char *s, size_t len);

/* Checks the syntax of one name of a pattern (raw, escapes included). Returns NULL
 * when valid, else a static message saying what is wrong. */
const char *wg_check_name(const char *s, size_t len);

/* Classifies a valid raw name and writes its stored text (unescaped literal,
 * prefix, suffix, or the raw glob) to `out` (at least len+1 bytes). Sets *kind and
 * returns the stored length. */
size_t wg_classify(const char *s, size_t len, char *out, uint8_t *kind);

/* Does the compiled name `c` match the name `n` of length `nl`? */
bool wg_name_match(const char *base, const struct wg_comp *c, const char *n, size_t nl);

/* The raw glob matcher for one name (used by WG_GLOB). */
bool wg_fnmatch(const char *pat, size_t pl, const char *s, size_t sl);

enum wg_result { WG_NO = 0, WG_YES = 1, WG_IFDIR = 2 };

/* Does the pattern (np names; dironly when written with a trailing `/`) match the
 * path `p` or one of its parent folders? WG_IFDIR: it matches only the path itself
 * and only if that is a folder (the caller knows or finds out). */
enum wg_result wg_match(const char *base, const struct wg_comp *pat, uint32_t np, bool dironly,
			const struct wg_path *p);

/* Does the pattern match the first `k` names of `p` exactly (no implicit beneath)? */
bool wg_match_exact(const char *base, const struct wg_comp *pat, uint32_t np, const struct wg_path *p,
		    uint32_t k);

/* Could the pattern match some path strictly beneath the first `k` names of `p`
 * (that is, a path that has them as a proper prefix), by a match that uses at least
 * one name beyond them? Used to judge renames of folders. */
bool wg_can_match_beneath(const char *base, const struct wg_comp *pat, uint32_t np, const struct wg_path *p,
			  uint32_t k);

/* For the entries of the folder made of the first k names of `p`, when the pattern
 * matches neither that folder nor a folder above it: an entry named x is matched
 * exactly when the pattern's name at one of the returned positions matches x (the
 * names after it are all `**`). Writes at most `max` positions to pos and returns
 * their count (0: no entry can match), or -1 when that does not hold or there are
 * more (the caller then matches each entry's whole path). */
int wg_kid_last(const char *base, const struct wg_comp *pat, uint32_t np, const struct wg_path *p,
		uint32_t k, uint32_t *pos, int max);

#endif
