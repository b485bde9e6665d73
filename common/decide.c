/* decide.c: the decision function (see decide.h).
 *
 * The cost does not grow with the number of rules: each pattern sits in one bucket
 * of a hash index, under a key that any path it can match must present (the literal
 * folder before its first wildcard, or the literal name after a leading `**`), and
 * a query probes only the keys of its own prefixes and names. Chains are in
 * descending rule order, so a chain is left at its first match.
 */
#include "decide.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "path.h"
#include "sys.h"

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
static __thread volatile int memo_busy __attribute__((tls_model("initial-exec")));
static struct memo *tc_memo(void);

static inline uint32_t head_of(const struct wp_hdr *h, uint64_t key)
{
	const struct wp_bucket *b = lookup(h, key);
	return b ? b->head : WP_NONE32;
}

/* The same for the key of a name, which has a filter of its own. */
static inline uint32_t name_head(const struct wp_hdr *h, uint64_t key)
{
	return wp_nbloom(h, key) ? head_of(h, key) : WP_NONE32;
}

static inline void prefetch_name(const struct wp_hdr *h, const struct wp_bucket *B, uint32_t mask,
				 uint64_t key)
{
	if (wp_nbloom(h, key))
		prefetch_key(h, B, mask, key);
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

	/* The closed areas: only rules that name them count there, outside the private
	 * TMPDIR and ROOT's tree when ROOT lies strictly beneath one of them. */
	if (wp_in_closed(s, len)) {
		q.closed = true;
		if (h->root_len && wn_is_under(s, len, WP_STR(h, h->root_off), h->root_len) &&
		    wp_root_is_exempt(WP_STR(h, h->root_off), h->root_len))
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
	struct memo *M = NULL;
	if (use_memo) {
		memo_busy = 1;
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		M = tc_memo();
		if (!M) {
			/* no memory for the thread's caches: decide without them */
			__atomic_signal_fence(__ATOMIC_SEQ_CST);
			memo_busy = 0;
			use_memo = false;
		}
	}
	if (use_memo) {
		if (M->dlen == fl && M->n == fn && M->h == h && M->seed == h->seed &&
		    memcmp(M->dir, s, fl) == 0) {
			memcpy(hp, M->hp, sizeof hp[0] * (fn + 1));
			memcpy(hn, M->hn, sizeof hn[0] * fn);
			memcpy(first, M->first, sizeof first);
			memcpy(last, M->last, sizeof last);
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
		prefetch_name(h, B, mask, wp_tag(nbase[j], WP_TAG_HNAME));
		prefetch_name(h, B, mask, wp_tag(nbase[j], WP_TAG_NAME));
	}
	for (uint32_t k = from_p; k <= p->n && k <= PREHASH; k++) {
		hp[k][0] = head_of(h, wp_tag(pbase[k], WP_TAG_HANCHOR));
		hp[k][1] = head_of(h, wp_tag(pbase[k], WP_TAG_ANCHOR));
	}
	for (uint32_t j = from_n; j < p->n && j < PREHASH; j++) {
		hn[j][0] = name_head(h, wp_tag(nbase[j], WP_TAG_HNAME));
		hn[j][1] = name_head(h, wp_tag(nbase[j], WP_TAG_NAME));
		if (sets && j < fn)
			add_name_chars(first, last, s + p->off[j], p->len[j]);
	}
	if (use_memo) {
		if (from_p == 0) {
			/* remember the folder's part for the next question */
			M->dlen = 0;
			M->h = h;
			M->seed = h->seed;
			M->n = fn;
			memcpy(M->hp, hp, sizeof hp[0] * (fn + 1));
			memcpy(M->hn, hn, sizeof hn[0] * fn);
			memcpy(M->first, first, sizeof first);
			memcpy(M->last, last, sizeof last);
			memcpy(M->dir, s, fl);
			M->dlen = (uint32_t)fl;
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
			scan_hide_from(&q, name_head(h, wp_tag(base, WP_TAG_HNAME)));
			scan_rule_from(&q, name_head(h, wp_tag(base, WP_TAG_NAME)));
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

/* Is the folder `src` a proper parent of /tmp, /var/tmp or /dev/shm whose closed
 * contents would open up if it moved (the closed folder is not writable itself)? */
static bool holds_closed(const struct wp_hdr *h, const struct wg_path *src)
{
	static const char *const roots[] = {"/tmp", "/var/tmp", "/dev/shm"};
	size_t sl = src->n ? (size_t)src->off[src->n - 1] + src->len[src->n - 1] : 1;
	for (size_t i = 0; i < sizeof roots / sizeof *roots; i++) {
		size_t rl = strlen(roots[i]);
		if (rl <= sl || !wn_is_under(roots[i], rl, src->s, sl))
			continue;
		struct wd_out d;
		if (wd_decide_str(h, roots[i], rl, 1, &d) < 0 || d.level < WL_WRITE)
			return true;
	}
	return false;
}

bool wd_move_ok(const struct wp_hdr *h, const struct wg_path *src, const struct wg_path *dst)
{
	const struct wp_rule *R = wp_rules(h);
	const char *base = (const char *)h;
	/* /var -> /x under default = write would make /x/tmp, closed as /var/tmp, write */
	if (holds_closed(h, src))
		return false;
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

/* ---- the entries of one folder ----
 *
 * A listing asks about every entry of one folder. What the folder's own names
 * contribute is the same for all of them, so it is worked out once per folder and
 * thread: the patterns that could decide an entry at all (from the chains of the
 * folder's prefixes and names and the name-glob lists), each one classified as
 * matching every entry (it matches the folder or a folder above it), or some
 * entries (then by the names at its last positions, or by the whole path). Entries
 * then cost a name hash and a few name matches; the entry's own prefix is hashed
 * only when some pattern's literal part ends at an entry of this folder. The plan
 * holds facts of the policy alone, like the memo above. */
#define KIDS_DIR 1024
#define KIDS_MAX 32
#define KIDS_LAST 3
#define KIDS_FULL 0xff /* nlast: match the entry's whole path */
#define KIDS_NAME 255

struct kcand {
	uint32_t rule;
	uint8_t all;   /* matches every entry */
	uint8_t nlast; /* positions in last[], or KIDS_FULL */
	uint16_t last[KIDS_LAST];
};

struct kids {
	const struct wp_hdr *h;
	uint64_t seed;
	uint32_t dl; /* 0: empty */
	uint32_t fn;
	uint8_t usable, closed, own, pad;
	uint16_t nh1, nh2, nh, nr; /* hides: folder prefixes | folder names | name globs */
	struct kcand hide[KIDS_MAX], rule[KIDS_MAX];
	struct wg_path p; /* the folder's names, then the entry's */
	char path[KIDS_DIR + KIDS_NAME + 2];
};
#define KIDS_SLOTS 2
static __thread volatile int kids_busy __attribute__((tls_model("initial-exec")));

/* A thread's caches (the memo and the plans, about 8 KiB) are mapped at its first
 * decision, not kept in static TLS: static TLS is zeroed at every process start and
 * every thread creation, and on a guest where a page fault costs 10 to 20 us its two
 * pages were a measurable part of starting a process. Unmapped when the thread
 * ends (a key destructor); without memory, decisions are made without the caches. */
struct tcache {
	struct memo memo;
	struct kids kids[KIDS_SLOTS];
	unsigned kids_next;
};
#define TC_SIZE ((sizeof(struct tcache) + 4095) & ~(size_t)4095)
static __thread struct tcache *tc __attribute__((tls_model("initial-exec")));
static __thread volatile int tc_making __attribute__((tls_model("initial-exec")));
static __thread int tc_ended __attribute__((tls_model("initial-exec"))); /* freed: none again */
static pthread_key_t tc_key;
static atomic_int tc_key_state; /* 0 none, 1 being made, 2 made, 3 cannot be made */

static void tc_free(void *p)
{
	/* decisions made later in the thread's end (other keys' destructors) go
	 * without the caches, rather than map a block that nothing would free */
	tc_ended = 1;
	if (p == tc)
		tc = NULL;
	if (p)
		ws_sc2(SYS_munmap, p, TC_SIZE);
}

static struct tcache *tc_get(void)
{
	struct tcache *t = tc;
	if (__builtin_expect(t != NULL, 1))
		return t;
	if (tc_making || tc_ended) /* a signal handler that decides while the caches are
				      * being made; a thread whose caches were freed */
		return NULL;
	tc_making = 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	int st = atomic_load_explicit(&tc_key_state, memory_order_acquire);
	if (st == 0) {
		if (atomic_compare_exchange_strong(&tc_key_state, &st, 1)) {
			st = pthread_key_create(&tc_key, tc_free) == 0 ? 2 : 3;
			atomic_store_explicit(&tc_key_state, st, memory_order_release);
		}
	}
	if (st == 2) {
		long a = ws_sc6(SYS_mmap, 0, (long)TC_SIZE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if ((unsigned long)a <= -4096UL) {
			if (pthread_setspecific(tc_key, (void *)a) == 0)
				tc = t = (struct tcache *)a;
			else
				ws_sc2(SYS_munmap, a, TC_SIZE);
		}
	}
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	tc_making = 0;
	return t;
}

static struct memo *tc_memo(void)
{
	struct tcache *t = tc_get();
	return t ? &t->memo : NULL;
}

/* Classifies pattern i for the entries of K's folder: 1 kept (written to *c), 0 it
 * cannot match an entry. */
static int kid_classify(const struct kids *K, const struct wp_hdr *h, uint32_t i, struct kcand *c)
{
	const struct wp_rule *r = &wp_rules(h)[i];
	const struct wg_comp *cc = wp_rule_comps(h, r);
	c->rule = i;
	c->all = 0;
	c->nlast = 0;
	if (wg_match((const char *)h, cc, r->ncomps, r->dironly, &K->p) != WG_NO) {
		c->all = 1; /* the folder or one above it matches: so does all beneath */
		return 1;
	}
	uint32_t pos[KIDS_LAST];
	int n = wg_kid_last((const char *)h, cc, r->ncomps, &K->p, K->fn, pos, KIDS_LAST);
	if (n == 0)
		return 0;
	if (n < 0) {
		c->nlast = KIDS_FULL;
		return 1;
	}
	c->nlast = (uint8_t)n;
	for (int t = 0; t < n; t++)
		c->last[t] = (uint16_t)pos[t];
	return 1;
}

/* Does candidate c match the entry (whose name is x, and whose whole path K->p
 * holds)? is_dir is known. */
static bool kid_match(const struct wp_hdr *h, const struct kids *K, const struct kcand *c,
		      const char *x, size_t xl, int is_dir)
{
	if (c->all)
		return true;
	const struct wp_rule *r = &wp_rules(h)[c->rule];
	if (c->nlast == KIDS_FULL) {
		enum wg_result m = wg_match((const char *)h, wp_rule_comps(h, r), r->ncomps, r->dironly, &K->p);
		return m == WG_YES || (m == WG_IFDIR && is_dir == 1);
	}
	const struct wg_comp *cc = wp_rule_comps(h, r);
	for (uint32_t t = 0; t < c->nlast; t++)
		if (wg_name_match((const char *)h, &cc[c->last[t]], x, xl))
			return !r->dironly || is_dir == 1;
	return false;
}

/* Adds the patterns of a chain (or list) to a candidate array; false when full. */
static bool kid_add(struct kids *K, const struct wp_hdr *h, uint32_t i, struct kcand *arr, uint16_t *n)
{
	struct kcand c;
	if (!kid_classify(K, h, i, &c))
		return true;
	if (*n == KIDS_MAX)
		return false;
	arr[(*n)++] = c;
	return true;
}

static bool kid_add_chain(struct kids *K, const struct wp_hdr *h, uint64_t key, bool rules)
{
	const struct wp_rule *R = wp_rules(h);
	for (uint32_t i = head_of(h, key); i != WP_NONE32; i = R[i].next) {
		if (rules && K->closed && !R[i].closed)
			continue;
		if (!kid_add(K, h, i, rules ? K->rule : K->hide, rules ? &K->nr : &K->nh))
			return false;
	}
	return true;
}

static void kids_build(struct kids *K, const struct wp_hdr *h, const char *dir, size_t dl)
{
	K->usable = 0;
	K->h = h;
	K->seed = h->seed;
	memcpy(K->path, dir, dl);
	K->dl = (uint32_t)dl;
	K->nh = K->nh1 = K->nh2 = K->nr = 0;
	/* "/", "/var" and "/dev" hold the closed areas: their entries differ in that */
	if (dir[0] != '/' || dl == 1 || (dl == 4 && (!memcmp(dir, "/var", 4) || !memcmp(dir, "/dev", 4))))
		return;
	if (wg_split(&K->p, K->path, dl) < 0 || K->p.n + 1 >= WG_MAX_DEPTH)
		return;
	K->fn = K->p.n;
	K->closed = 0;
	if (wp_in_closed(dir, dl)) {
		K->closed = 1;
		const char *ex[2] = {WP_STR(h, h->root_off), WP_STR(h, h->tmpdir_off)};
		uint32_t exl[2] = {h->root_len, h->tmpdir_len};
		if (exl[0] && !wp_root_is_exempt(ex[0], exl[0]))
			exl[0] = 0; /* ROOT is /tmp itself, or above it: no exemption */
		for (int e = 0; e < 2; e++) {
			if (!exl[e])
				continue;
			if (wn_is_under(dir, dl, ex[e], exl[e]))
				K->closed = 0;
			else if (wn_is_under(ex[e], exl[e], dir, dl))
				return; /* the exempt tree starts at one of the entries */
		}
	}
	K->own = lookup(h, wp_key(h, WP_TAG_KIDS, dir, dl)) != NULL;
	const struct wp_rule *R = wp_rules(h);
	for (uint32_t k = 0; k <= K->fn; k++) {
		size_t plen = k ? (size_t)K->p.off[k - 1] + K->p.len[k - 1] : 1;
		if (!kid_add_chain(K, h, wp_key(h, WP_TAG_HANCHOR, dir, plen), false))
			return;
	}
	K->nh1 = K->nh;
	for (uint32_t j = 0; j < K->fn; j++)
		if (!kid_add_chain(K, h, wp_key(h, WP_TAG_HNAME, dir + K->p.off[j], K->p.len[j]), false))
			return;
	K->nh2 = K->nh;
	const uint32_t *L = (const uint32_t *)WP_PTR(h, h->hnamegl);
	for (uint32_t i = 0; i < h->nhnamegl; i++)
		if (!kid_add(K, h, L[i], K->hide, &K->nh))
			return;
	for (uint32_t k = 0; k <= K->fn; k++) {
		size_t plen = k ? (size_t)K->p.off[k - 1] + K->p.len[k - 1] : 1;
		if (!kid_add_chain(K, h, wp_key(h, WP_TAG_ANCHOR, dir, plen), true))
			return;
	}
	for (uint32_t j = 0; j < K->fn; j++)
		if (!kid_add_chain(K, h, wp_key(h, WP_TAG_NAME, dir + K->p.off[j], K->p.len[j]), true))
			return;
	L = (const uint32_t *)WP_PTR(h, h->namegl);
	for (uint32_t i = 0; i < h->nnamegl; i++) {
		if (K->closed && !R[L[i]].closed)
			continue;
		if (!kid_add(K, h, L[i], K->rule, &K->nr))
			return;
	}
	/* rules: in descending order, and none after one that matches every entry for
	 * good (an expiring rule may stop matching while the plan is in use) */
	for (uint16_t a = 1; a < K->nr; a++) {
		struct kcand c = K->rule[a];
		uint16_t b = a;
		while (b > 0 && R[K->rule[b - 1].rule].order < R[c.rule].order) {
			K->rule[b] = K->rule[b - 1];
			b--;
		}
		K->rule[b] = c;
	}
	for (uint16_t a = 0; a < K->nr; a++)
		if (K->rule[a].all && !R[K->rule[a].rule].expires_s) {
			K->nr = (uint16_t)(a + 1);
			break;
		}
	K->usable = 1;
}

static void kids_eval(struct kids *K, const struct wp_hdr *h, const char *x, size_t xl, int is_dir,
		      struct wd_out *out)
{
	/* the entry's whole path, for the chains of its own prefix and name */
	size_t dl = K->dl, len = dl + 1 + xl;
	K->path[dl] = '/';
	memcpy(K->path + dl + 1, x, xl);
	K->p.n = K->fn + 1;
	K->p.off[K->fn] = (uint16_t)(dl + 1);
	K->p.len[K->fn] = (uint16_t)xl;
	struct query q = {
		.h = h, .R = wp_rules(h), .p = &K->p, .is_dir = is_dir, .closed = K->closed, .now = -1,
		.hide_rule = WP_NONE32, .best_order = WP_NONE32, .best_rule = WP_NONE32,
	};
	bool named = wp_name_may_key(h, x, xl);
	uint64_t own_base = 0, name_base = named ? wp_base(h, x, xl) : 0;
	const struct wp_bucket *B = (const struct wp_bucket *)WP_PTR(h, h->idx);
	uint32_t mask = h->idx_cap - 1;
	/* start loading the buckets of the entry's own keys (with many rules, the index
	 * is not in the cache); the folder's candidates are matched meanwhile */
	if (named) {
		prefetch_name(h, B, mask, wp_tag(name_base, WP_TAG_HNAME));
		prefetch_name(h, B, mask, wp_tag(name_base, WP_TAG_NAME));
	}
	if (K->own) {
		own_base = wp_base(h, K->path, len);
		prefetch_key(h, B, mask, wp_tag(own_base, WP_TAG_HANCHOR));
		prefetch_key(h, B, mask, wp_tag(own_base, WP_TAG_ANCHOR));
	}
	/* hides, in the order wd_decide meets them */
	for (uint16_t i = 0; i < K->nh1 && !q.hidden; i++)
		if (kid_match(h, K, &K->hide[i], x, xl, is_dir)) {
			q.hidden = true;
			q.hide_rule = K->hide[i].rule;
		}
	if (K->own)
		scan_hide_chain(&q, wp_tag(own_base, WP_TAG_HANCHOR));
	for (uint16_t i = K->nh1; i < K->nh2 && !q.hidden; i++)
		if (kid_match(h, K, &K->hide[i], x, xl, is_dir)) {
			q.hidden = true;
			q.hide_rule = K->hide[i].rule;
		}
	if (!q.hidden && named)
		scan_hide_from(&q, name_head(h, wp_tag(name_base, WP_TAG_HNAME)));
	for (uint16_t i = K->nh2; i < K->nh && !q.hidden; i++)
		if (kid_match(h, K, &K->hide[i], x, xl, is_dir)) {
			q.hidden = true;
			q.hide_rule = K->hide[i].rule;
		}
	out->closed = q.closed;
	out->need_dir = false;
	if (q.hidden) {
		out->level = WL_NONE;
		out->rule = q.hide_rule;
		out->hidden = true;
		return;
	}
	out->hidden = false;
	/* rules: the first of the descending list that matches, then the entry's own
	 * chains for anything later */
	for (uint16_t i = 0; i < K->nr; i++) {
		const struct wp_rule *r = &q.R[K->rule[i].rule];
		if (expired(&q, r))
			continue;
		if (kid_match(h, K, &K->rule[i], x, xl, is_dir)) {
			q.best_order = r->order;
			q.best_rule = K->rule[i].rule;
			break;
		}
	}
	if (K->own)
		scan_rule_chain(&q, wp_tag(own_base, WP_TAG_ANCHOR));
	if (named)
		scan_rule_from(&q, name_head(h, wp_tag(name_base, WP_TAG_NAME)));
	if (q.best_rule != WP_NONE32) {
		out->level = q.R[q.best_rule].level;
		out->rule = q.best_rule;
		return;
	}
	/* the entry is not /tmp, /var/tmp or /dev/shm itself (see kids_build) */
	out->level = q.closed ? WL_NONE : h->default_level;
	if (out->level == WL_NONE && lookup(h, wp_tag(K->own ? own_base : wp_base(h, K->path, len), WP_TAG_ANC)))
		out->level = WL_VIEW;
	out->rule = WP_NONE32;
}

int wd_decide_kid(const struct wp_hdr *h, const char *dir, size_t dl, const char *name, size_t nl,
		  int is_dir, struct wd_out *out)
{
	if (is_dir < 0 || dl == 0 || dl >= KIDS_DIR || nl == 0 || nl > KIDS_NAME || kids_busy)
		return -1;
	kids_busy = 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	struct tcache *T = tc_get();
	if (!T) {
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		kids_busy = 0;
		return -1;
	}
	struct kids *kids = T->kids;
	struct kids *K = NULL;
	for (int s = 0; s < KIDS_SLOTS; s++)
		if (kids[s].dl == dl && kids[s].h == h && kids[s].seed == h->seed &&
		    memcmp(kids[s].path, dir, dl) == 0) {
			K = &kids[s];
			break;
		}
	if (!K) {
		K = &kids[T->kids_next++ % KIDS_SLOTS];
		K->dl = 0;
		kids_build(K, h, dir, dl);
	}
	int rc = -1;
	if (K->usable) {
		kids_eval(K, h, name, nl, is_dir, out);
		rc = 0;
	}
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	kids_busy = 0;
	return rc;
}
