/* decide.c: the decision function (see decide.h).
 *
 * The cost does not grow with the number of rules: each pattern sits in one bucket
 * of a hash index, under a key that any path it can match must present (the literal
 * folder before its first wildcard, or the literal name after a leading `**`), and
 * a query probes only the keys of its own prefixes and names. Chains are in
 * descending rule order, so a chain is left at its first match.
 */
#include "decide.h"

#include <string.h>
#include <time.h>

#include "path.h"

static int64_t now_bt_ns(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_BOOTTIME, &ts) != 0)
		return INT64_MAX; /* no clock: treat every expiring rule as expired */
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

bool wd_rule_has_expired(const struct wp_hdr *h, const struct wp_rule *r)
{
	if (!r->expires_s)
		return false;
	return now_bt_ns() >= h->start_bt_ns + (int64_t)r->expires_s * 1000000000;
}

/* Matches one candidate; returns 1 match, 0 no, and sets *need when it would match
 * only if the path were a folder and that is not known. */
static int try_rule(const struct wp_hdr *h, const struct wp_rule *r, const struct wg_path *p,
		    int is_dir, bool *need)
{
	enum wg_result m = wg_match((const char *)h, wp_rule_comps(h, r), r->ncomps, r->dironly, p);
	if (m == WG_YES)
		return 1;
	if (m == WG_IFDIR) {
		if (is_dir == 1)
			return 1;
		if (is_dir < 0)
			*need = true;
	}
	return 0;
}

static const struct wp_bucket *lookup(const struct wp_hdr *h, uint64_t key)
{
	if (!wp_bloom(h, key))
		return NULL;
	const struct wp_bucket *B = (const struct wp_bucket *)WP_PTR(h, h->idx);
	uint32_t mask = h->idx_cap - 1;
	uint32_t slot = (uint32_t)key & mask;
	for (uint32_t probes = 0; probes <= mask; probes++) {
		if (B[slot].key == key)
			return &B[slot];
		if (!B[slot].key)
			return NULL;
		slot = (slot + 1) & mask;
	}
	return NULL;
}

#define PREHASH 32

/* Starts loading the bucket of a key that may be in the index. */
static inline void prefetch_key(const struct wp_hdr *h, const struct wp_bucket *B, uint32_t mask,
				uint64_t key)
{
	if (wp_bloom(h, key))
		__builtin_prefetch(&B[(uint32_t)key & mask]);
}

struct query {
	const struct wp_hdr *h;
	const struct wp_rule *R;
	const struct wg_path *p;
	int is_dir;
	bool closed;
	bool need;
	int64_t now; /* -1 until read */
	/* hides */
	bool hidden;
	uint32_t hide_rule;
	/* rules */
	uint32_t best_order;
	uint32_t best_rule;
};

static bool expired(struct query *q, const struct wp_rule *r)
{
	if (!r->expires_s)
		return false;
	if (q->now < 0)
		q->now = now_bt_ns();
	return q->now >= q->h->start_bt_ns + (int64_t)r->expires_s * 1000000000;
}

static void scan_hide_chain(struct query *q, uint64_t key)
{
	if (q->hidden)
		return;
	const struct wp_bucket *b = lookup(q->h, key);
	for (uint32_t i = b ? b->head : WP_NONE32; i != WP_NONE32; i = q->R[i].next) {
		if (try_rule(q->h, &q->R[i], q->p, q->is_dir, &q->need)) {
			q->hidden = true;
			q->hide_rule = i;
			return;
		}
	}
}

static void consider(struct query *q, uint32_t i)
{
	const struct wp_rule *r = &q->R[i];
	if (q->closed && !r->closed)
		return;
	if (expired(q, r))
		return;
	bool need = false;
	if (try_rule(q->h, r, q->p, q->is_dir, &need)) {
		q->best_order = r->order;
		q->best_rule = i;
	} else if (need) {
		q->need = true;
	}
}

static void scan_rule_chain(struct query *q, uint64_t key)
{
	const struct wp_bucket *b = lookup(q->h, key);
	for (uint32_t i = b ? b->head : WP_NONE32; i != WP_NONE32; i = q->R[i].next) {
		const struct wp_rule *r = &q->R[i];
		if (q->best_order != WP_NONE32 && r->order <= q->best_order)
			return;
		uint32_t before = q->best_rule;
		consider(q, i);
		if (q->best_rule != before)
			return; /* the first match of a descending chain is its best */
	}
}

/* Quick test: can the glob name `c` match some name of the path at all? */
static bool name_possible(const struct wp_hdr *h, const struct wg_comp *c, const uint64_t first[4],
			  const uint64_t last[4])
{
	if (c->len == 0)
		return true;
	const char *cs = WP_STR(h, c->off);
	unsigned char ch;
	if (c->kind == WG_PREFIX) {
		ch = (unsigned char)cs[0];
		return (first[ch >> 6] >> (ch & 63)) & 1;
	}
	if (c->kind == WG_SUFFIX) {
		ch = (unsigned char)cs[c->len - 1];
		return (last[ch >> 6] >> (ch & 63)) & 1;
	}
	return true;
}

/* The chain heads of a folder's prefixes and names, kept per thread for the last
 * folder asked about: consecutive questions about entries of one folder (a listing,
 * git status, find) then hash and look up only the entry's own prefix and name. The
 * memo holds facts of the policy alone (no answers, no file system state), so it is
 * right in every process that maps the same policy; a signal handler that decides
 * while the memo is being written leaves it alone. */
#define MEMO_PATH 1024
struct memo {
	const struct wp_hdr *h;
	uint64_t seed;
	uint32_t dlen; /* 0: empty */
	uint32_t n;    /* names of the folder */
	uint32_t hp[PREHASH + 1][2]; /* prefixes 0..n: hide anchor, rule anchor */
	uint32_t hn[PREHASH][2];     /* names 0..n-1: hide name, rule name */
	uint64_t first[4], last[4];  /* first and last characters of the folder's names */
	char dir[MEMO_PATH];
};
static __thread struct memo memo __attribute__((tls_model("initial-exec")));
static __thread volatile int memo_busy __attribute__((tls_model("initial-exec")));

static inline uint32_t head_of(const struct wp_hdr *h, uint64_t key)
{
	const struct wp_bucket *b = lookup(h, key);
	return b ? b->head : WP_NONE32;
}

static void scan_hide_from(struct query *q, uint32_t head)
{
	for (uint32_t i = head; i != WP_NONE32 && !q->hidden; i = q->R[i].next) {
		if (try_rule(q->h, &q->R[i], q->p, q->is_dir, &q->need)) {
			q->hidden = true;
			q->hide_rule = i;
		}
	}
}

static void scan_rule_from(struct query *q, uint32_t head)
{
	for (uint32_t i = head; i != WP_NONE32; i = q->R[i].next) {
		const struct wp_rule *r = &q->R[i];
		if (q->best_order != WP_NONE32 && r->order <= q->best_order)
			return;
		uint32_t before = q->best_rule;
		consider(q, i);
		if (q->best_rule != before)
			return; /* the first match of a descending chain is its best */
	}
}

static inline void add_name_chars(uint64_t first[4], uint64_t last[4], const char *nm, uint32_t len)
{
	if (!len)
		return;
	unsigned char f = (unsigned char)nm[0], l = (unsigned char)nm[len - 1];
	first[f >> 6] |= 1ull << (f & 63);
	last[l >> 6] |= 1ull << (l & 63);
}

void wd_decide(const struct wp_hdr *h, const struct wg_path *p, int is_dir, struct wd_out *out)
{
	struct query q = {
		.h = h, .R = wp_rules(h), .p = p, .is_dir = is_dir, .now = -1,
		.hide_rule = WP_NONE32, .best_order = WP_NONE32, .best_rule = WP_NONE32,
	};
	const char *s = p->s;
	size_t len = p->n ? (size_t)p->off[p->n - 1] + p->len[p->n - 1] : 1;

	/* The closed areas: only rules that name them count there, outside ROOT's tree
	 * and the private TMPDIR. */
	if (wp_in_closed(s, len)) {
		q.closed = true;
		if (h->root_len && wn_is_under(s, len, WP_STR(h, h->root_off), h->root_len))
			q.closed = false;
		if (h->tmpdir_len && wn_is_under(s, len, WP_STR(h, h->tmpdir_off), h->tmpdir_len))
			q.closed = false;
	}

	uint64_t first[4] = {0}, last[4] = {0};
	bool sets = h->nnamegl || h->nhnamegl;
	uint64_t full_base = 0;
	/* Prefixes: "/" then "/a", "/a/b", ... and names, each hashed once. All keys are
	 * hashed first and their buckets prefetched, so that with a large index (which
	 * does not fit in the cache) the misses overlap instead of adding up. Names beyond
	 * PREHASH are hashed when they are reached (the stack stays small). */
	uint32_t hp[PREHASH + 1][2], hn[PREHASH][2];
	uint64_t pbase[PREHASH + 1], nbase[PREHASH];
	const struct wp_bucket *B = (const struct wp_bucket *)WP_PTR(h, h->idx);
	uint32_t mask = h->idx_cap - 1;

	/* the folder of the path: its names 0..fn-1, its text s[0..fl) */
	uint32_t fn = p->n ? p->n - 1 : 0;
	size_t fl = fn ? (size_t)p->off[fn - 1] + p->len[fn - 1] : 1;
	uint32_t from_p = 0, from_n = 0; /* what the memo gave */
	bool use_memo = !memo_busy && p->n && p->n <= PREHASH && fl < MEMO_PATH;
	if (use_memo) {
		memo_busy = 1;
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		if (memo.dlen == fl && memo.n == fn && memo.h == h && memo.seed == h->seed &&
		    memcmp(memo.dir, s, fl) == 0) {
			memcpy(hp, memo.hp, sizeof hp[0] * (fn + 1));
			memcpy(hn, memo.hn, sizeof hn[0] * fn);
			memcpy(first, memo.first, sizeof first);
			memcpy(last, memo.last, sizeof last);
			from_p = fn + 1;
			from_n = fn;
		}
	}
	for (uint32_t k = from_p; k <= p->n && k <= PREHASH; k++) {
		size_t plen = k ? (size_t)p->off[k - 1] + p->len[k - 1] : 1;
		pbase[k] = wp_base(h, s, plen);
		prefetch_key(h, B, mask, wp_tag(pbase[k], WP_TAG_HANCHOR));
		prefetch_key(h, B, mask, wp_tag(pbase[k], WP_TAG_ANCHOR));
	}
	for (uint32_t j = from_n; j < p->n && j < PREHASH; j++) {
		nbase[j] = wp_base(h, s + p->off[j], p->len[j]);
		prefetch_key(h, B, mask, wp_tag(nbase[j], WP_TAG_HNAME));
		prefetch_key(h, B, mask, wp_tag(nbase[j], WP_TAG_NAME));
	}
	for (uint32_t k = from_p; k <= p->n && k <= PREHASH; k++) {
		hp[k][0] = head_of(h, wp_tag(pbase[k], WP_TAG_HANCHOR));
		hp[k][1] = head_of(h, wp_tag(pbase[k], WP_TAG_ANCHOR));
	}
	for (uint32_t j = from_n; j < p->n && j < PREHASH; j++) {
		hn[j][0] = head_of(h, wp_tag(nbase[j], WP_TAG_HNAME));
		hn[j][1] = head_of(h, wp_tag(nbase[j], WP_TAG_NAME));
		if (sets && j < fn)
			add_name_chars(first, last, s + p->off[j], p->len[j]);
	}
	if (use_memo) {
		if (from_p == 0) {
			/* remember the folder's part for the next question */
			memo.dlen = 0;
			memo.h = h;
			memo.seed = h->seed;
			memo.n = fn;
			memcpy(memo.hp, hp, sizeof hp[0] * (fn + 1));
			memcpy(memo.hn, hn, sizeof hn[0] * fn);
			memcpy(memo.first, first, sizeof first);
			memcpy(memo.last, last, sizeof last);
			memcpy(memo.dir, s, fl);
			memo.dlen = (uint32_t)fl;
		}
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		memo_busy = 0;
	}
	full_base = p->n <= PREHASH ? pbase[p->n] : 0; /* the whole path's own prefix */
	for (uint32_t k = 0; k <= p->n; k++) {
		if (k <= PREHASH) {
			if (!q.hidden)
				scan_hide_from(&q, hp[k][0]);
			scan_rule_from(&q, hp[k][1]);
		} else {
			uint64_t base = wp_base(h, s, (size_t)p->off[k - 1] + p->len[k - 1]);
			full_base = base;
			scan_hide_chain(&q, wp_tag(base, WP_TAG_HANCHOR));
			scan_rule_chain(&q, wp_tag(base, WP_TAG_ANCHOR));
		}
	}
	for (uint32_t j = 0; j < p->n; j++) {
		const char *nm = s + p->off[j];
		if (j < PREHASH) {
			if (!q.hidden)
				scan_hide_from(&q, hn[j][0]);
			scan_rule_from(&q, hn[j][1]);
		} else {
			uint64_t base = wp_base(h, nm, p->len[j]);
			scan_hide_chain(&q, wp_tag(base, WP_TAG_HNAME));
			scan_rule_chain(&q, wp_tag(base, WP_TAG_NAME));
		}
		if (sets && (j >= fn || j >= PREHASH))
			add_name_chars(first, last, nm, p->len[j]);
	}
	if (h->nhnamegl && !q.hidden) {
		const uint32_t *L = (const uint32_t *)WP_PTR(h, h->hnamegl);
		for (uint32_t i = 0; i < h->nhnamegl && !q.hidden; i++) {
			const struct wp_rule *r = &q.R[L[i]];
			if (!name_possible(h, wp_rule_comps(h, r) + r->anchor + 1, first, last))
				continue;
			if (try_rule(h, r, p, is_dir, &q.need)) {
				q.hidden = true;
				q.hide_rule = L[i];
			}
		}
	}
	if (h->nnamegl) {
		const uint32_t *L = (const uint32_t *)WP_PTR(h, h->namegl);
		for (uint32_t i = 0; i < h->nnamegl; i++) {
			const struct wp_rule *r = &q.R[L[i]];
			if (q.best_order != WP_NONE32 && r->order <= q.best_order)
				break;
			if (!name_possible(h, wp_rule_comps(h, r) + r->anchor + 1, first, last))
				continue;
			uint32_t before = q.best_rule;
			consider(&q, L[i]);
			if (q.best_rule != before)
				break;
		}
	}

	out->closed = q.closed;
	out->need_dir = q.need;
	if (q.hidden) {
		out->level = WL_NONE;
		out->rule = q.hide_rule;
		out->hidden = true;
		return;
	}
	out->hidden = false;
	if (q.best_rule != WP_NONE32) {
		out->level = q.R[q.best_rule].level;
		out->rule = q.best_rule;
	} else {
		/* The closed folders themselves may be looked at (bash and others stat /tmp
		 * at every start); everything in them stays invisible unless named. */
		if (q.closed)
			out->level = wp_is_closed_root(s, len) ? WL_VIEW : WL_NONE;
		else
			out->level = h->default_level;
		/* a folder on the way to a granted area can be seen, not listed beyond it */
		if (out->level == WL_NONE && lookup(h, wp_tag(full_base, WP_TAG_ANC)))
			out->level = WL_VIEW;
		out->rule = WP_NONE32;
	}
}

int wd_decide_str(const struct wp_hdr *h, const char *path, size_t len, int is_dir,
		  struct wd_out *out)
{
	struct wg_path p;
	if (wg_split(&p, path, len) < 0)
		return -1;
	wd_decide(h, &p, is_dir, out);
	return 0;
}

bool wd_exec_allowed(const struct wp_hdr *h, const struct wg_path *p)
{
	if (!h->has_exec)
		return true;
	const uint32_t *L = (const uint32_t *)WP_PTR(h, h->exec);
	const struct wp_rule *R = wp_rules(h);
	for (uint32_t i = 0; i < h->nexec; i++) {
		const struct wp_rule *r = &R[L[i]];
		if (wg_match((const char *)h, wp_rule_comps(h, r), r->ncomps, r->dironly, p) == WG_YES)
			return true;
	}
	return false;
}

/* For a hide pattern `/ ** /X1/.../Xk`: the bit set of j (1..k-1) such that the last
 * j names of `s` match X1..Xj: where a match could straddle the moved folder's name. */
static uint64_t straddle_bits(const char *base, const struct wg_comp *c, uint32_t n,
			      const struct wg_path *s)
{
	uint64_t bits = 0;
	/* c[0] is `**`; X1..Xk are c[1..n) */
	for (uint32_t j = 1; j < n && j < 64 && j <= s->n; j++) {
		bool ok = true;
		for (uint32_t t = 0; t < j && ok; t++) {
			uint32_t name = s->n - j + t;
			ok = wg_name_match(base, &c[1 + t], s->s + s->off[name], s->len[name]);
		}
		if (ok)
			bits |= 1ull << j;
	}
	return bits;
}

bool wd_move_ok(const struct wp_hdr *h, const struct wg_path *src, const struct wg_path *dst)
{
	const struct wp_rule *R = wp_rules(h);
	const char *base = (const char *)h;
	for (uint32_t i = 0; i < h->nrules; i++) {
		const struct wp_rule *r = &R[i];
		if (r->kind == WK_EXEC || (r->kind == WK_RULE && r->level == WL_WRITE))
			continue;
		const struct wg_comp *comps = wp_rule_comps(h, r);
		uint32_t n = r->ncomps;
		if (!wg_can_match_beneath(base, comps, n, src, src->n))
			continue;
		/* A hide pattern that holds anywhere (leading `**`) hides the same names
		 * beneath the destination, unless a match that straddles the moved folder's
		 * name at the source has no counterpart at the destination (more hidden
		 * after the move is fine: levels only go down). */
		bool anywhere = true;
		for (uint32_t t = 0; t < n; t++)
			if (comps[t].kind == WG_STARSTAR && t > 0)
				anywhere = false;
		if (r->kind == WK_HIDE && n >= 2 && comps[0].kind == WG_STARSTAR && anywhere &&
		    (straddle_bits(base, comps, n, src) & ~straddle_bits(base, comps, n, dst)) == 0)
			continue;
		return false;
	}
	return true;
}

const char *wd_rule_label(const struct wp_hdr *h, uint32_t rule, uint32_t *len)
{
	if (rule == WP_NONE32 || rule >= h->nrules) {
		*len = 7;
		return "default";
	}
	const struct wp_rule *r = &wp_rules(h)[rule];
	*len = r->src_len;
	return WP_STR(h, r->src_off);
}
