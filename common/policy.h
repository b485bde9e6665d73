/* policy.h: the compiled rule table.
 *
 * A policy is compiled once per session into one position-independent blob (offsets,
 * never pointers) so that it can be sealed in a memfd and mapped read-only by every
 * process of the session. The builder (load time, may allocate) and the reader (hot
 * path: no allocation, no lock) live here; the decision itself is in decide.h.
 */
#ifndef WARD_POLICY_H
#define WARD_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "glob.h"

enum wp_level { WL_NONE = 0, WL_VIEW = 1, WL_READ = 2, WL_WRITE = 3 };
enum wp_mode { WM_ENFORCE = 0, WM_AUDIT = 1 };
enum wp_backstop { WB_AUTO = 0, WB_REQUIRED = 1, WB_OFF = 2 };
enum wp_kind { WK_RULE = 0, WK_HIDE = 1, WK_EXEC = 2 };

const char *wp_level_name(int level);
int wp_level_parse(const char *s); /* -1 when unknown */

#define WP_MAGIC 0x314c4f5044524157ull /* "WARDPOL1" */
#define WP_VERSION 1
#define WP_NONE32 UINT32_MAX
#define WP_BLOOM_WORDS 64 /* 4096 bits */

/* One pattern: a rule, a hide pattern or an exec pattern. */
struct wp_rule {
	uint32_t pat_off, pat_len;   /* normalised absolute pattern, as logged */
	uint32_t comps, ncomps;      /* its names, in the comps array */
	uint32_t anchor;             /* names before the first wildcard */
	uint32_t src_off, src_len;   /* "FILE:LINE" or "preset NAME:N" */
	uint32_t just_off, just_len; /* justification, or empty */
	uint32_t next;               /* next pattern of the same index bucket (descending order) */
	uint32_t order;              /* position among the rules (rules only) */
	uint32_t ttl_s;              /* 0: not transient */
	uint32_t expires_s;          /* 0: never expires */
	uint32_t grant;              /* grant number, 0 when this rule is not a grant */
	uint8_t level, kind, dironly, closed;
	uint8_t implicit, pad[3];
};

/* A pattern's names are matcher components whose offsets are relative to the blob. */
#define wp_comp wg_comp

struct wp_bucket {
	uint64_t key; /* 0: empty */
	uint32_t head, pad;
};

struct wp_hdr {
	uint64_t magic;
	uint32_t version, size;
	uint64_t hash;      /* xxh3 of the normalised rule table */
	uint64_t seed;      /* seed of the index hashes */
	uint64_t session;   /* session id (set when the session starts) */
	int64_t start_rt_us; /* session start, wall clock, microseconds */
	int64_t start_bt_ns; /* session start, CLOCK_BOOTTIME, nanoseconds */
	uint64_t max_file_size; /* 0: no limit */
	uint32_t nrules, rules;  /* all patterns (rules, hides, exec) */
	uint32_t nordered;       /* rules proper, in order */
	uint32_t ncomps_total, comps;
	uint32_t strings, strings_len;
	uint32_t idx, idx_cap;   /* open-addressing index (power of two) */
	uint32_t namegl, nnamegl; /* rules "A/ ** / glob-name": uint32 ids, descending order */
	uint32_t hnamegl, nhnamegl; /* the same for hide patterns */
	uint32_t exec, nexec;      /* exec allowlist ids */
	uint32_t root_off, root_len;
	uint32_t home_off, home_len;
	uint32_t source_off, source_len;
	uint32_t tmpdir_off, tmpdir_len; /* private TMPDIR of `ward run`, or empty */
	uint32_t state_off, state_len;   /* ward's own state folder */
	uint8_t default_level, mode, backstop, log_reads;
	uint8_t has_exec, has_expires, abstract_sockets, pad;
	uint32_t nbloom, nbloom_words; /* the names' own filter (a power of two of words) */
	uint64_t nfirst[4]; /* first characters of the names keyed in the index */
	uint64_t nlens;     /* their lengths (bit 63: 63 or more) */
	uint64_t bloom[WP_BLOOM_WORDS];
};

#define WP_PTR(h, off) ((const void *)((const char *)(h) + (off)))
#define WP_STR(h, off) ((const char *)(h) + (off))

static inline const struct wp_rule *wp_rules(const struct wp_hdr *h)
{
	return (const struct wp_rule *)WP_PTR(h, h->rules);
}
static inline const struct wp_comp *wp_comps(const struct wp_hdr *h)
{
	return (const struct wp_comp *)WP_PTR(h, h->comps);
}

/* Index key tags: keys of different kinds never meet in a bucket. */
enum { WP_TAG_ANCHOR = 1, WP_TAG_NAME = 2, WP_TAG_HANCHOR = 3, WP_TAG_HNAME = 4, WP_TAG_ANC = 5,
       WP_TAG_KIDS = 6 /* a folder some pattern's literal part ends just beneath (its parent) */ };
/* The index key of a string: a seeded xxh3 (wp_base), then a cheap mix with the tag,
 * so that one hash of a path prefix serves the rule and the hide index alike. */
uint64_t wp_base(const struct wp_hdr *h, const char *s, size_t len);
static inline uint64_t wp_tag(uint64_t base, int tag)
{
	uint64_t k = base ^ ((uint64_t)tag * 0x9E3779B97F4A7C15ull);
	k ^= k >> 31;
	k *= 0xD6E8FEB86659FD93ull;
	k ^= k >> 32;
	return k ? k : 1;
}
static inline bool wp_bloom(const struct wp_hdr *h, uint64_t key)
{
	return (h->bloom[(key >> 6) % WP_BLOOM_WORDS] >> (key & 63)) & 1;
}
uint64_t wp_key(const struct wp_hdr *h, int tag, const char *s, size_t len);
/* A second filter for the keys of names (WP_TAG_NAME and WP_TAG_HNAME), sized to the
 * policy (16 bits a pattern, two bits a key), so that the names of a large policy
 * are told apart without touching the index. */
static inline void wp_nbloom_bits(uint64_t key, uint32_t words, uint32_t *w1, uint32_t *w2, unsigned *b1,
				  unsigned *b2)
{
	*w1 = (uint32_t)(key >> 6) & (words - 1);
	*b1 = (unsigned)(key & 63);
	*w2 = (uint32_t)(key >> 38) & (words - 1);
	*b2 = (unsigned)((key >> 32) & 63);
}
/* Could a name of this spelling be keyed in the index at all (first character and
 * length)? Most names of a listing are not, and are then not hashed. */
static inline bool wp_name_may_key(const struct wp_hdr *h, const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];
	unsigned l = len < 63 ? (unsigned)len : 63;
	return ((h->nfirst[c >> 6] >> (c & 63)) & 1) && ((h->nlens >> l) & 1);
}
static inline bool wp_nbloom(const struct wp_hdr *h, uint64_t key)
{
	const uint64_t *w = (const uint64_t *)WP_PTR(h, h->nbloom);
	uint32_t w1, w2;
	unsigned b1, b2;
	wp_nbloom_bits(key, h->nbloom_words, &w1, &w2, &b1, &b2);
	return ((w[w1] >> b1) & 1) && ((w[w2] >> b2) & 1);
}

/* Checks that a blob received from elsewhere is whole and consistent (bounds of every
 * offset). Returns NULL or a message. */
const char *wp_verify(const void *blob, size_t size);

static inline const struct wg_comp *wp_rule_comps(const struct wp_hdr *h, const struct wp_rule *r)
{
	return wp_comps(h) + r->comps;
}

/* ---- builder (load time only; allocates) ---- */

struct wp_builder;
struct wp_builder *wpb_new(void);
void wpb_free(struct wp_builder *b);

/* The longest pattern, after ROOT or HOME is put in front (PATH_MAX). */
#define WP_PATTERN_MAX 4096
/* Adds a pattern. `pattern` is absolute and may end in "/", and shorter than
 * WP_PATTERN_MAX. Returns 0, or -1 with a message in err. */
int wpb_add(struct wp_builder *b, int kind, const char *pattern, int level, uint32_t ttl_s,
	    uint32_t expires_s, const char *justification, const char *source, bool implicit,
	    char *err, size_t errsz);
/* Removes an inherited hide pattern written exactly as `pattern`; returns 0, or -1 when
 * no inherited hide pattern reads so. */
int wpb_unhide(struct wp_builder *b, const char *pattern);
void wpb_set(struct wp_builder *b, int default_level, int mode, int backstop, bool log_reads,
	     uint64_t max_file_size, bool has_exec);
/* abstract_sockets = true: under ward run, Landlock does not keep abstract Unix
 * sockets inside the session. */
void wpb_set_abstract_sockets(struct wp_builder *b, bool allow);
void wpb_set_paths(struct wp_builder *b, const char *root, const char *home, const char *source,
		   const char *tmpdir, const char *state);

/* Builds the blob (malloc'd; the caller frees it). Returns NULL with err set. */
void *wpb_finish(struct wp_builder *b, size_t *size, char *err, size_t errsz);

/* Normalises a pattern string: folds "//" and "/./", refuses "..". Writes to out,
 * keeping a trailing "/". Returns the length or -1 with a message. */
long wp_norm_pattern(const char *in, char *out, size_t outsz, const char **msg);

/* The fixed part of a normalised absolute pattern: its names before the first one
 * that holds a wildcard, with escapes read ("/tm\\p/x/a?c" -> "/tmp/x"). Writes it
 * to out and returns its length (1 for "/"), or -1 when it does not fit in outsz. */
long wp_fixed_part(const char *pattern, size_t len, char *out, size_t outsz);
/* Does the normalised absolute pattern name /tmp, /var/tmp or /dev/shm (its fixed
 * part is one of them or lies beneath one)? */
bool wp_names_closed(const char *pattern, size_t len);
/* Is ROOT's tree exempt from the closure? Only when ROOT lies strictly beneath
 * /tmp, /var/tmp or /dev/shm (a mktemp -d workspace); a ROOT that is one of them or
 * lies above them (/) exempts nothing. */
bool wp_root_is_exempt(const char *root, size_t len);
/* Is the path exactly /tmp, /var/tmp or /dev/shm? */
bool wp_is_closed_root(const char *path, size_t len);
/* Is the normalised absolute path under /tmp, /var/tmp or /dev/shm? */
bool wp_in_closed(const char *path, size_t len);

#endif
