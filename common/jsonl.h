/* jsonl.h: building one audit event, a JSON object on one line of at most 4096 bytes
 * (newline included), in a caller's buffer, without allocation. Strings that would
 * not fit are cut and end in "[...]"; the event then carries "cut": true. */
#ifndef WARD_JSONL_H
#define WARD_JSONL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WJ_LINE_MAX 4096

struct wj {
	char *p;
	size_t n, cap; /* cap leaves room for "}\n" */
	bool cut;   /* something was cut or left out */
	bool first;
	bool fail;  /* the field being written does not fit */
};

/* Starts an object in buf (size: at least 32 bytes; at most WJ_LINE_MAX are used). */
void wj_begin(struct wj *j, char *buf, size_t size);
/* "key": "string", escaped; at most `limit` bytes of output for the value. */
void wj_str(struct wj *j, const char *key, const char *s, size_t len, size_t limit);
void wj_cstr(struct wj *j, const char *key, const char *s);
void wj_int(struct wj *j, const char *key, long long v);
void wj_null(struct wj *j, const char *key);
void wj_bool(struct wj *j, const char *key, bool v);
/* "key": followed by raw JSON text (already valid). */
void wj_raw(struct wj *j, const char *key, const char *raw, size_t len);
/* Ends the object with "}\n"; returns the length. */
size_t wj_end(struct wj *j);

/* A JSON string value alone, quotes included, into out (at most `size` bytes, no
 * NUL added): cut and ending in "[...]" (with *cut set) when it would not fit.
 * Returns its length, or 0 when `size` is too small for even the mark. */
size_t wj_quote(char *out, size_t size, const char *s, size_t len, bool *cut);
/* One character of s (at most `left` bytes) as it goes in a JSON string: written to
 * esc, its length returned, *adv set to the bytes of s it stands for. Bytes that are
 * not UTF-8 become U+00XX. */
size_t wj_esc(const unsigned char *s, size_t left, char esc[8], size_t *adv);
/* The length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
size_t wj_utf8_len(const unsigned char *s, size_t n);

/* RFC 3339 UTC with microseconds: "2026-11-22T05:23:01.123456Z" (27 bytes + NUL). */
void wj_ts(char out[32], int64_t unix_us);
int64_t wj_now_us(void);

/* "EACCES" and so on; "E<number>" for the rare ones. */
const char *wj_errno_name(int e, char tmp[16]);

#endif
