/* policy.c: the builder and the reader of the compiled rule table (see policy.h). */
#include "policy.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

static const char *const level_names[] = {"none", "view", "read", "write"};

const char *wp_level_name(int level)
{
	return level >= 0 && level <= 3 ? level_names[level] : "?";
}

int wp_level_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, level_names[i]) == 0)
			return i;
	return -1;
}

uint64_t wp_base(const struct wp_hdr *h, const char *s, size_t len)
{
	return XXH3_64bits_withSeed(s, len, h->seed);
}

uint64_t wp_key(const struct wp_hdr *h, int tag, const char *s, size_t len)
{
	return wp_tag(wp_base(h, s, len), tag);
}

static const char *const closed_roots[] = {"/tmp", "/var/tmp", "/dev/shm"};

bool wp_in_closed(const char *path, size_t len)
{
	for (size_t i = 0; i < sizeof closed_roots / sizeof *closed_roots; i++) {
		size_t cl = strlen(closed_roots[i]);
		if (len >= cl && memcmp(path, closed_roots[i], cl) == 0 && (len == cl || path[cl] == '/'))
			return true;
	}
	return false;
}

bool wp_is_closed_root(const char *path, size_t len)
{
	for (size_t i = 0; i < sizeof closed_roots / sizeof *closed_roots; i++)
		if (len == strlen(closed_roots[i]) && memcmp(path, closed_roots[i], len) == 0)
			return true;
	return false;
}

bool wp_root_is_exempt(const char *root, size_t len)
{
	return wp_in_closed(root, len) && !wp_is_closed_root(root, len);
}

long wp_fixed_part(const char *pattern, size_t len, char *out, size_t outsz)
{
	/* names up to the first one that holds a wildcard; an escaped character is a
	 * plain one ("/tm\\p" is the fixed name "/tmp") */
	size_t o = 0, i = 0;
	if (outsz < 2)
		return -1;
	out[o++] = '/';
	while (i < len) {
		while (i < len && pattern[i] == '/')
			i++;
		if (i >= len)
			break;
		size_t st = i, end = i;
		bool wild = false;
		while (end < len && pattern[end] != '/') {
			char c = pattern[end];
			if (c == '\\' && end + 1 < len)
				end++;
			else if (c == '*' || c == '?' || c == '[')
				wild = true;
			end++;
		}
		if (wild)
			break;
		if (o > 1) {
			if (o + 1 >= outsz)
				return -1;
			out[o++] = '/';
		}
		for (size_t j = st; j < end; j++) {
			if (pattern[j] == '\\' && j + 1 < end)
				j++;
			if (o + 1 >= outsz)
				return -1;
			out[o++] = pattern[j];
		}
		i = end;
	}
	out[o] = 0;
	return (long)o;
}

bool wp_names_closed(const char *pattern, size_t len)
{
	/* Only the first two names can make a closed area: the start of the fixed part
	 * is enough (cut inside a longer name, it still tells /tmp/x from /tmpx). */
	char fixed[64];
	size_t n = len < sizeof fixed - 1 ? len : sizeof fixed - 1;
	long fl = wp_fixed_part(pattern, n, fixed, sizeof fixed);
	if (fl < 0)
		return false;
	return wp_in_closed(fixed, (size_t)fl);
}

long wp_norm_pattern(const char *in, char *out, size_t outsz, const char **msg)
{
	size_t o = 0;
	bool dironly = false;
	*msg = NULL;
	if (in[0] != '/') {
		*msg = "a pattern must be absolute here";
		return -1;
	}
	size_t n = strlen(in);
	if (n > 1 && in[n - 1] == '/')
		dironly = true;
	const char *p = in;
	bool prev_starstar = false;
	out[o++] = '/';
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *st = p;
		while (*p && *p != '/')
			p++;
		size_t nl = (size_t)(p - st);
		if (nl == 1 && st[0] == '.')
			continue;
		if (nl == 2 && st[0] == '.' && st[1] == '.') {
			*msg = "'..' is not allowed in a pattern";
			return -1;
		}
		const char *bad = wg_check_name(st, nl);
		if (bad) {
			*msg = bad;
			return -1;
		}
		bool ss = nl == 2 && st[0] == '*' && st[1] == '*';
		if (ss && prev_starstar)
			continue;
		prev_starstar = ss;
		if (o > 1) {
			if (o + 1 >= outsz)
				goto toolong;
			out[o++] = '/';
		}
		if (o + nl >= outsz)
			goto toolong;
		memcpy(out + o, st, nl);
		o += nl;
	}
	if (dironly && o > 1) {
		if (o + 1 >= outsz)
			goto toolong;
		out[o++] = '/';
	}
	out[o] = 0;
	return (long)o;
toolong:
	*msg = "the pattern is too long";
	return -1;
}

/* ---- builder ---- */

struct bcomp {
	char *text;
	uint32_t len;
	uint8_t kind;
};

struct brule {
	char *pattern; /* normalised, trailing '/' kept */
	char *source;
	char *just;
	struct bcomp *comps;
	uint32_t ncomps, anchor;
	uint32_t ttl_s, expires_s;
	int level, kind;
	bool dironly, closed, implicit, removed;
};

struct wp_builder {
	struct brule *r;
	size_t n, cap;
	int default_level, mode, backstop;
	bool abstract_sockets;
	bool log_reads, has_exec;
	uint64_t max_file_size;
	char *root, *home, *source, *tmpdir, *state;
};

struct wp_builder *wpb_new(void)
{
	struct wp_builder *b = calloc(1, sizeof *b);
	if (b)
		b->default_level = WL_NONE;
	return b;
}

void wpb_free(struct wp_builder *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++) {
		for (uint32_t j = 0; j < b->r[i].ncomps; j++)
			free(b->r[i].comps[j].text);
		free(b->r[i].comps);
		free(b->r[i].pattern);
		free(b->r[i].source);
		free(b->r[i].just);
	}
	free(b->r);
	free(b->root);
	free(b->home);
	free(b->source);
	free(b->tmpdir);
	free(b->state);
	free(b);
}

int wpb_add(struct wp_builder *b, int kind, const char *pattern, int level, uint32_t ttl_s,
	    uint32_t expires_s, const char *justification, const char *source, bool implicit,
	    char *err, size_t errsz)
{
	size_t plen = strlen(pattern);
	if (plen >= WP_PATTERN_MAX) {
		/* no real path is that long (PATH_MAX); the index has room for no more */
		snprintf(err, errsz, "the pattern is longer than %d bytes: %.60s...", WP_PATTERN_MAX - 1, pattern);
		return -1;
	}
	char *norm = malloc(plen + 2);
	const char *msg;
	if (!norm) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	long nl = wp_norm_pattern(pattern, norm, plen + 2, &msg);
	if (nl < 0) {
		snprintf(err, errsz, "%s: %s", msg, pattern);
		free(norm);
		return -1;
	}
	if (b->n == b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 64;
		struct brule *nr = realloc(b->r, nc * sizeof *nr);
		if (!nr) {
			free(norm);
			snprintf(err, errsz, "out of memory");
			return -1;
		}
		b->r = nr;
		b->cap = nc;
	}
	struct brule *r = &b->r[b->n];
	memset(r, 0, sizeof *r);
	r->pattern = norm;
	r->dironly = nl > 1 && norm[nl - 1] == '/';
	r->level = level;
	r->kind = kind;
	r->ttl_s = ttl_s;
	r->expires_s = expires_s;
	r->implicit = implicit;
	r->source = strdup(source ? source : "");
	r->just = strdup(justification ? justification : "");
	r->closed = wp_names_closed(norm, (size_t)nl);
	/* split into names */
	size_t cap = 8;
	r->comps = malloc(cap * sizeof *r->comps);
	if (!r->source || !r->just || !r->comps) {
		snprintf(err, errsz, "out of memory");
		return -1; /* the builder frees what it holds */
	}
	b->n++;
	const char *p = norm;
	bool in_anchor = true;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *st = p;
		while (*p && *p != '/')
			p++;
		size_t len = (size_t)(p - st);
		if (r->ncomps == cap) {
			cap *= 2;
			struct bcomp *nc = realloc(r->comps, cap * sizeof *nc);
			if (!nc) {
				snprintf(err, errsz, "out of memory");
				return -1;
			}
			r->comps = nc;
		}
		if (r->ncomps >= WG_MAX_DEPTH) {
			snprintf(err, errsz, "the pattern has too many names: %s", pattern);
			return -1;
		}
		struct bcomp *c = &r->comps[r->ncomps];
		c->text = malloc(len + 1);
		if (!c->text) {
			snprintf(err, errsz, "out of memory");
			return -1;
		}
		c->len = (uint32_t)wg_classify(st, len, c->text, &c->kind);
		r->ncomps++;
		if (in_anchor && c->kind == WG_LIT)
			r->anchor = r->ncomps;
		else
			in_anchor = false;
	}
	if (ttl_s && r->anchor != r->ncomps) {
		snprintf(err, errsz, "a ttl rule needs a path without wildcards: %s", pattern);
		return -1;
	}
	return 0;
}

int wpb_unhide(struct wp_builder *b, const char *pattern)
{
	size_t plen = strlen(pattern);
	char *norm = malloc(plen + 2);
	const char *msg;
	int found = -1;
	if (!norm)
		return -1;
	if (wp_norm_pattern(pattern, norm, plen + 2, &msg) >= 0) {
		for (size_t i = 0; i < b->n; i++)
			if (b->r[i].kind == WK_HIDE && !b->r[i].removed && strcmp(b->r[i].pattern, norm) == 0) {
				b->r[i].removed = true;
				found = 0;
			}
	}
	free(norm);
	return found;
}

void wpb_set(struct wp_builder *b, int default_level, int mode, int backstop, bool log_reads,
	     uint64_t max_file_size, bool has_exec)
{
	b->default_level = default_level;
	b->mode = mode;
	b->backstop = backstop;
	b->log_reads = log_reads;
	b->max_file_size = max_file_size;
	b->has_exec = has_exec;
}

void wpb_set_abstract_sockets(struct wp_builder *b, bool allow)
{
	b->abstract_sockets = allow;
}

static char *dupnull(const char *s) { return s ? strdup(s) : strdup(""); }

void wpb_set_paths(struct wp_builder *b, const char *root, const char *home, const char *source,
		   const char *tmpdir, const char *state)
{
	free(b->root);
	free(b->home);
	free(b->source);
	free(b->tmpdir);
	free(b->state);
	b->root = dupnull(root);
	b->home = dupnull(home);
	b->source = dupnull(source);
	b->tmpdir = dupnull(tmpdir);
	b->state = dupnull(state);
}

/* A growable byte buffer for the string pool and the normalised text. */
struct buf {
	char *p;
	size_t n, cap;
	bool oom;
};

static uint32_t buf_add(struct buf *b, const void *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 4096;
		while (b->n + n + 1 > nc)
			nc *= 2;
		char *np = realloc(b->p, nc);
		if (!np) {
			b->oom = true;
			return 0;
		}
		b->p = np;
		b->cap = nc;
	}
	uint32_t off = (uint32_t)b->n;
	if (n)
		memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n++] = 0;
	return off;
}

static void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_printf(struct buf *b, const char *fmt, ...)
{
	char tmp[8192];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof tmp)
		n = sizeof tmp - 1;
	buf_add(b, tmp, (size_t)n);
	b->n--; /* no separator: this buffer is one text */
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static uint32_t align8(uint32_t x) { return (x + 7u) & ~7u; }

/* Puts a key without patterns in the index (its bucket's chain is empty). Returns
 * false when the index is full. */
static bool anc_add(struct wp_hdr *h, struct wp_bucket *B, uint32_t cap, uint64_t key)
{
	uint32_t slot = (uint32_t)(key & (cap - 1));
	for (uint32_t n = 0; n < cap; n++) {
		if (B[slot].key == key)
			return true;
		if (!B[slot].key) {
			B[slot].key = key;
			B[slot].head = WP_NONE32;
			h->bloom[(key >> 6) % WP_BLOOM_WORDS] |= 1ull << (key & 63);
			return true;
		}
		slot = (slot + 1) & (cap - 1);
	}
	return false;
}

void *wpb_finish(struct wp_builder *b, size_t *size, char *err, size_t errsz)
{
	size_t nr = 0, ncomps = 0;
	for (size_t i = 0; i < b->n; i++)
		if (!b->r[i].removed) {
			nr++;
			ncomps += b->r[i].ncomps;
		}
	if (nr + ncomps > (1u << 26)) {
		snprintf(err, errsz, "the policy is too large");
		return NULL;
	}

	/* The normalised rule table, for the hash: rules in order, hide and exec
	 * patterns sorted (their order means nothing), then the settings. Implicit
	 * rules of the session (the private TMPDIR) are not part of the policy. */
	struct buf norm = {0};
	char **sorted = calloc(nr + 1, sizeof *sorted);
	size_t ns = 0;
	if (!sorted) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < b->n; i++) {
		const struct brule *r = &b->r[i];
		if (r->removed || r->implicit)
			continue;
		if (r->kind == WK_RULE)
			buf_printf(&norm, "rule %s %s ttl=%u expires=%u just=%zu:%s\n", wp_level_name(r->level),
				   r->pattern, r->ttl_s, r->expires_s, strlen(r->just), r->just);
		else
			sorted[ns++] = r->pattern;
	}
	/* hides and exec patterns: separate sorted groups */
	{
		size_t k = 0;
		for (size_t i = 0; i < b->n; i++)
			if (!b->r[i].removed && !b->r[i].implicit && b->r[i].kind == WK_HIDE)
				sorted[k++] = b->r[i].pattern;
		qsort(sorted, k, sizeof *sorted, cmp_str);
		for (size_t i = 0; i < k; i++)
			if (i == 0 || strcmp(sorted[i], sorted[i - 1]) != 0)
				buf_printf(&norm, "hide %s\n", sorted[i]);
		k = 0;
		for (size_t i = 0; i < b->n; i++)
			if (!b->r[i].removed && b->r[i].kind == WK_EXEC)
				sorted[k++] = b->r[i].pattern;
		qsort(sorted, k, sizeof *sorted, cmp_str);
		for (size_t i = 0; i < k; i++)
			if (i == 0 || strcmp(sorted[i], sorted[i - 1]) != 0)
				buf_printf(&norm, "exec %s\n", sorted[i]);
	}
	free(sorted);
	buf_printf(&norm, "default %s\nmode %s\nexec %s\nmax_file_size %llu\nlog.reads %d\nbackstop %d\n",
		   wp_level_name(b->default_level), b->mode == WM_AUDIT ? "audit" : "enforce",
		   b->has_exec ? "list" : "any", (unsigned long long)b->max_file_size, (int)b->log_reads,
		   b->backstop);
	/* only when set: the hashes of policies without it stay what they were */
	if (b->abstract_sockets)
		buf_printf(&norm, "abstract_sockets allow\n");
	if (norm.oom) {
		free(norm.p);
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	uint64_t hash = XXH3_64bits(norm.p, norm.n);
	free(norm.p);

	/* Strings. */
	struct buf str = {0};
	buf_add(&str, "", 0); /* offset 0 is the empty string */
	uint32_t *pat_off = calloc(nr, sizeof *pat_off), *src_off = calloc(nr, sizeof *src_off);
	uint32_t *just_off = calloc(nr, sizeof *just_off);
	uint32_t *comp_off = calloc(ncomps + 1, sizeof *comp_off);
	if (!pat_off || !src_off || !just_off || !comp_off) {
		free(pat_off);
		free(src_off);
		free(just_off);
		free(comp_off);
		free(str.p);
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	{
		size_t k = 0, kc = 0;
		for (size_t i = 0; i < b->n; i++) {
			const struct brule *r = &b->r[i];
			if (r->removed)
				continue;
			pat_off[k] = buf_add(&str, r->pattern, strlen(r->pattern));
			src_off[k] = buf_add(&str, r->source, strlen(r->source));
			just_off[k] = buf_add(&str, r->just, strlen(r->just));
			for (uint32_t j = 0; j < r->ncomps; j++)
				comp_off[kc++] = buf_add(&str, r->comps[j].text, r->comps[j].len);
			k++;
		}
	}
	uint32_t root_off = buf_add(&str, b->root ? b->root : "", b->root ? strlen(b->root) : 0);
	uint32_t home_off = buf_add(&str, b->home ? b->home : "", b->home ? strlen(b->home) : 0);
	uint32_t source_off = buf_add(&str, b->source ? b->source : "", b->source ? strlen(b->source) : 0);
	uint32_t tmpdir_off = buf_add(&str, b->tmpdir ? b->tmpdir : "", b->tmpdir ? strlen(b->tmpdir) : 0);
	uint32_t state_off = buf_add(&str, b->state ? b->state : "", b->state ? strlen(b->state) : 0);
	if (str.oom) {
		free(pat_off);
		free(src_off);
		free(just_off);
		free(comp_off);
		free(str.p);
		snprintf(err, errsz, "out of memory");
		return NULL;
	}

	/* Index capacity: a power of two at least twice the number of keys (a key per
	 * pattern, one per pattern's anchor parent, and one per folder on the way to a
	 * granted area). */
	size_t nkeys = 2 * nr + 64;
	for (size_t i = 0; i < b->n; i++)
		if (!b->r[i].removed)
			nkeys += b->r[i].anchor;
	uint32_t cap = 64;
	while (cap < nkeys * 2)
		cap *= 2;

	size_t nnamegl = 0, nhnamegl = 0, nexec = 0;
	/* layout */
	uint32_t off = align8(sizeof(struct wp_hdr));
	uint32_t rules_o = off;
	off = align8(off + (uint32_t)(nr * sizeof(struct wp_rule)));
	uint32_t comps_o = off;
	off = align8(off + (uint32_t)(ncomps * sizeof(struct wp_comp)));
	uint32_t idx_o = off;
	off = align8(off + cap * (uint32_t)sizeof(struct wp_bucket));
	uint32_t lists_o = off;
	off = align8(off + (uint32_t)(nr * 3 * sizeof(uint32_t)));
	uint32_t nbw = 8;
	while (nbw < nr / 4)
		nbw *= 2;
	uint32_t nbloom_o = off;
	off = align8(off + nbw * (uint32_t)sizeof(uint64_t));
	uint32_t str_o = off;
	off = align8(off + (uint32_t)str.n);
	uint64_t total = off;
	if (total >= (1ull << 31)) {
		snprintf(err, errsz, "the policy is too large");
		free(pat_off);
		free(src_off);
		free(just_off);
		free(comp_off);
		free(str.p);
		return NULL;
	}
	char *blob = calloc(1, (size_t)total);
	if (!blob) {
		snprintf(err, errsz, "out of memory");
		free(pat_off);
		free(src_off);
		free(just_off);
		free(comp_off);
		free(str.p);
		return NULL;
	}
	struct wp_hdr *h = (struct wp_hdr *)blob;
	h->magic = WP_MAGIC;
	h->version = WP_VERSION;
	h->size = (uint32_t)total;
	h->hash = hash;
	h->seed = XXH3_64bits(&hash, sizeof hash) ^ 0x5741524453454544ull;
	h->nrules = (uint32_t)nr;
	h->rules = rules_o;
	h->ncomps_total = (uint32_t)ncomps;
	h->comps = comps_o;
	h->strings = str_o;
	h->strings_len = (uint32_t)str.n;
	h->idx = idx_o;
	h->idx_cap = cap;
	h->nbloom = nbloom_o;
	h->nbloom_words = nbw;
	h->default_level = (uint8_t)b->default_level;
	h->mode = (uint8_t)b->mode;
	h->backstop = (uint8_t)b->backstop;
	h->log_reads = b->log_reads;
	h->has_exec = b->has_exec;
	h->abstract_sockets = b->abstract_sockets;
	h->max_file_size = b->max_file_size;
	h->root_off = str_o + root_off;
	h->root_len = b->root ? (uint32_t)strlen(b->root) : 0;
	h->home_off = str_o + home_off;
	h->home_len = b->home ? (uint32_t)strlen(b->home) : 0;
	h->source_off = str_o + source_off;
	h->source_len = b->source ? (uint32_t)strlen(b->source) : 0;
	h->tmpdir_off = str_o + tmpdir_off;
	h->tmpdir_len = b->tmpdir ? (uint32_t)strlen(b->tmpdir) : 0;
	h->state_off = str_o + state_off;
	h->state_len = b->state ? (uint32_t)strlen(b->state) : 0;
	memcpy(blob + str_o, str.p, str.n);
	free(str.p);

	struct wp_rule *R = (struct wp_rule *)(blob + rules_o);
	struct wp_comp *C = (struct wp_comp *)(blob + comps_o);
	struct wp_bucket *B = (struct wp_bucket *)(blob + idx_o);
	uint32_t *lists = (uint32_t *)(blob + lists_o);
	uint32_t *namegl = lists, *hnamegl = lists + nr, *execl = lists + 2 * nr;

	size_t k = 0, kc = 0;
	uint32_t order = 0, grant = 0;
	for (size_t i = 0; i < b->n; i++) {
		const struct brule *r = &b->r[i];
		if (r->removed)
			continue;
		struct wp_rule *w = &R[k];
		w->pat_off = str_o + pat_off[k];
		w->pat_len = (uint32_t)strlen(r->pattern);
		w->src_off = str_o + src_off[k];
		w->src_len = (uint32_t)strlen(r->source);
		w->just_off = str_o + just_off[k];
		w->just_len = (uint32_t)strlen(r->just);
		w->comps = (uint32_t)kc;
		w->ncomps = r->ncomps;
		w->anchor = r->anchor;
		w->ttl_s = r->ttl_s;
		w->expires_s = r->expires_s;
		w->level = (uint8_t)r->level;
		w->kind = (uint8_t)r->kind;
		w->dironly = r->dironly;
		w->closed = r->closed;
		w->implicit = r->implicit;
		w->next = WP_NONE32;
		w->order = WP_NONE32;
		if (r->kind == WK_RULE) {
			w->order = order++;
			if (r->level == WL_WRITE || r->ttl_s || r->expires_s || r->just[0])
				w->grant = ++grant;
			if (r->expires_s)
				h->has_expires = 1;
		}
		for (uint32_t j = 0; j < r->ncomps; j++, kc++) {
			C[kc].off = str_o + comp_off[kc];
			C[kc].len = r->comps[j].len;
			C[kc].kind = r->comps[j].kind;
		}
		k++;
	}
	h->nordered = order;
	free(pat_off);
	free(src_off);
	free(just_off);
	free(comp_off);

	/* The index: each pattern goes under one key, chosen so that any path it can
	 * match presents that key (see decide.c); chains are in descending order. */
	for (uint32_t i = 0; i < nr; i++) {
		struct wp_rule *w = &R[i];
		if (w->kind == WK_EXEC) {
			execl[nexec++] = i;
			continue;
		}
		bool hide = w->kind == WK_HIDE;
		const struct wp_comp *wc = C + w->comps;
		uint64_t key, kids_key = 0;
		if (w->anchor < w->ncomps && wc[w->anchor].kind == WG_STARSTAR && w->anchor + 1 < w->ncomps) {
			const struct wp_comp *nx = &wc[w->anchor + 1];
			if (nx->kind != WG_LIT) {
				if (hide)
					hnamegl[nhnamegl++] = i;
				else
					namegl[nnamegl++] = i;
				continue;
			}
			key = wp_key(h, hide ? WP_TAG_HNAME : WP_TAG_NAME, blob + nx->off, nx->len);
			kids_key = 0;
			uint64_t *nb = (uint64_t *)(blob + nbloom_o);
			uint32_t w1, w2;
			unsigned b1, b2;
			wp_nbloom_bits(key, nbw, &w1, &w2, &b1, &b2);
			nb[w1] |= 1ull << b1;
			nb[w2] |= 1ull << b2;
			if (nx->len) {
				unsigned char c0 = (unsigned char)blob[nx->off];
				h->nfirst[c0 >> 6] |= 1ull << (c0 & 63);
				h->nlens |= 1ull << (nx->len < 63 ? nx->len : 63);
			}
		} else {
			/* the anchor path: "/" followed by the anchor names */
			const char *pat = blob + w->pat_off;
			size_t alen = 1;
			if (w->anchor) {
				/* the literal names of the pattern are unescaped in comps; rebuild */
				char tmp[4096];
				size_t t = 0;
				for (uint32_t j = 0; j < w->anchor; j++) {
					if (t + 1 + wc[j].len >= sizeof tmp) {
						snprintf(err, errsz, "the pattern is too long: %s", pat);
						free(blob);
						return NULL;
					}
					if (j + 1 == w->anchor)
						kids_key = wp_key(h, WP_TAG_KIDS, t ? tmp : "/", t ? t : 1);
					tmp[t++] = '/';
					memcpy(tmp + t, blob + wc[j].off, wc[j].len);
					t += wc[j].len;
				}
				key = wp_key(h, hide ? WP_TAG_HANCHOR : WP_TAG_ANCHOR, tmp, t);
			} else {
				key = wp_key(h, hide ? WP_TAG_HANCHOR : WP_TAG_ANCHOR, "/", alen);
			}
		}
		h->bloom[(key >> 6) % WP_BLOOM_WORDS] |= 1ull << (key & 63);
		uint32_t slot = (uint32_t)(key & (cap - 1));
		while (B[slot].key && B[slot].key != key)
			slot = (slot + 1) & (cap - 1);
		if (!B[slot].key) {
			B[slot].key = key;
			B[slot].head = WP_NONE32;
		}
		w->next = B[slot].head;
		B[slot].head = i;
		/* the folder whose entries include this anchor: a listing of any other
		 * folder need not hash each entry's whole path (decide.c) */
		if (kids_key && !anc_add(h, B, cap, kids_key)) {
			snprintf(err, errsz, "internal error: the rule index is full");
			free(blob);
			return NULL;
		}
	}
	/* The folders on the way to a granted area (above a rule's literal folder, ROOT
	 * or the private TMPDIR): where the default would hide them, they can be seen,
	 * so that programs that resolve a path one name at a time reach the area. */
	for (uint32_t i = 0; i < nr; i++) {
		struct wp_rule *w = &R[i];
		if (w->kind != WK_RULE || w->level == WL_NONE)
			continue;
		const struct wp_comp *wc = C + w->comps;
		char tmp[4096];
		size_t t = 0;
		for (uint32_t j = 0; j + 1 <= w->anchor && t < sizeof tmp - 1; j++) {
			/* the prefix of j names (j < anchor) is an ancestor */
			uint64_t key = wp_tag(wp_base(h, j ? tmp : "/", j ? t : 1), WP_TAG_ANC);
			if (!anc_add(h, B, cap, key))
				break;
			if (t + 1 + wc[j].len >= sizeof tmp)
				break;
			tmp[t++] = '/';
			memcpy(tmp + t, blob + wc[j].off, wc[j].len);
			t += wc[j].len;
		}
	}
	const char *extra[2] = {b->root, b->tmpdir};
	for (int e = 0; e < 2; e++) {
		const char *pth = extra[e];
		if (!pth || pth[0] != '/')
			continue;
		size_t L = strlen(pth);
		anc_add(h, B, cap, wp_tag(wp_base(h, "/", 1), WP_TAG_ANC));
		for (size_t c = 1; c < L; c++)
			if (pth[c] == '/')
				anc_add(h, B, cap, wp_tag(wp_base(h, pth, c), WP_TAG_ANC));
	}
	/* descending order in the glob-name lists */
	for (size_t a = 0, z = nnamegl; a + 1 < z; a++, z--) {
		uint32_t t = namegl[a];
		namegl[a] = namegl[z - 1];
		namegl[z - 1] = t;
	}
	h->namegl = lists_o;
	h->nnamegl = (uint32_t)nnamegl;
	h->hnamegl = lists_o + (uint32_t)(nr * sizeof(uint32_t));
	h->nhnamegl = (uint32_t)nhnamegl;
	h->exec = lists_o + (uint32_t)(2 * nr * sizeof(uint32_t));
	h->nexec = (uint32_t)nexec;
	*size = (size_t)total;
	return blob;
}

const char *wp_verify(const void *blob, size_t size)
{
	const struct wp_hdr *h = blob;
	if (size < sizeof *h || h->magic != WP_MAGIC)
		return "not a ward policy";
	if (h->version != WP_VERSION)
		return "a ward policy of another version";
	if (h->size != size)
		return "a truncated ward policy";
#define INB(o, n) ((uint64_t)(o) + (uint64_t)(n) <= (uint64_t)size)
	if (!INB(h->rules, (uint64_t)h->nrules * sizeof(struct wp_rule)) ||
	    !INB(h->comps, (uint64_t)h->ncomps_total * sizeof(struct wp_comp)) ||
	    !INB(h->idx, (uint64_t)h->idx_cap * sizeof(struct wp_bucket)) ||
	    !INB(h->strings, h->strings_len) || !INB(h->namegl, h->nnamegl * 4ull) ||
	    !INB(h->hnamegl, h->nhnamegl * 4ull) || !INB(h->exec, h->nexec * 4ull) ||
	    !INB(h->root_off, h->root_len + 1ull) || !INB(h->home_off, h->home_len + 1ull) ||
	    !INB(h->source_off, h->source_len + 1ull) || !INB(h->tmpdir_off, h->tmpdir_len + 1ull) ||
	    !INB(h->state_off, h->state_len + 1ull) || !INB(h->nbloom, h->nbloom_words * 8ull))
		return "a damaged ward policy";
	if (h->nbloom_words == 0 || (h->nbloom_words & (h->nbloom_words - 1)) || (h->nbloom & 7))
		return "a damaged ward policy";
	/* every table where its type can be read (a blob from elsewhere: fuzzed) */
	if ((h->rules % _Alignof(struct wp_rule)) || (h->comps % _Alignof(struct wp_comp)) ||
	    (h->idx % _Alignof(struct wp_bucket)) || (h->namegl & 3) || (h->hnamegl & 3) || (h->exec & 3))
		return "a damaged ward policy";
	if (h->idx_cap == 0 || (h->idx_cap & (h->idx_cap - 1)))
		return "a damaged ward policy";
	if (h->default_level > WL_WRITE || h->mode > WM_AUDIT)
		return "a damaged ward policy";
	const struct wp_rule *R = wp_rules(h);
	for (uint32_t i = 0; i < h->nrules; i++) {
		const struct wp_rule *r = &R[i];
		if (!INB(r->pat_off, r->pat_len + 1ull) || !INB(r->src_off, r->src_len + 1ull) ||
		    !INB(r->just_off, r->just_len + 1ull) ||
		    (uint64_t)r->comps + r->ncomps > h->ncomps_total || r->ncomps > WG_MAX_DEPTH ||
		    r->anchor > r->ncomps || r->level > WL_WRITE || r->kind > WK_EXEC ||
		    (r->next != WP_NONE32 && r->next >= i))
			return "a damaged ward policy";
	}
	const struct wp_comp *C = wp_comps(h);
	for (uint32_t i = 0; i < h->ncomps_total; i++)
		if (!INB(C[i].off, C[i].len + 1ull) || C[i].kind > WG_GLOB)
			return "a damaged ward policy";
	const struct wp_bucket *B = (const struct wp_bucket *)WP_PTR(h, h->idx);
	for (uint32_t i = 0; i < h->idx_cap; i++)
		if (B[i].key && B[i].head != WP_NONE32 && B[i].head >= h->nrules)
			return "a damaged ward policy";
	const uint32_t *lists[3] = {WP_PTR(h, h->namegl), WP_PTR(h, h->hnamegl), WP_PTR(h, h->exec)};
	uint32_t ns[3] = {h->nnamegl, h->nhnamegl, h->nexec};
	/* the name-glob lists hold patterns "A/ ** /glob...": decide.c reads the name
	 * after the `**` */
	static const uint8_t kinds[3] = {WK_RULE, WK_HIDE, WK_EXEC};
	for (int l = 0; l < 3; l++)
		for (uint32_t i = 0; i < ns[l]; i++) {
			if (lists[l][i] >= h->nrules)
				return "a damaged ward policy";
			const struct wp_rule *r = &R[lists[l][i]];
			if (r->kind != kinds[l] || (l < 2 && (uint64_t)r->anchor + 1 >= r->ncomps))
				return "a damaged ward policy";
		}
#undef INB
	return NULL;
}
