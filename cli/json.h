/* json.h: reading an audit log back (ward report, ward learn), and printing what it
 * holds for a person.
 *
 * A log is any byte sequence: lines are read with a bound (a longer line is skipped
 * whole, never held in memory), and each is parsed strictly by jansson: one JSON
 * object, valid UTF-8, no duplicate keys, no NUL in a string. Whatever a line holds,
 * the printers below never let a name draw a row of its own or reach the terminal as
 * a control sequence. */
#ifndef WARD_CLI_JSON_H
#define WARD_CLI_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

/* The longest line read (the library's lines are at most 4096 bytes, plus the
 * sequence number ward run adds). */
#define JL_LINE_MAX 65536

struct jreader {
	FILE *f;
	char *buf; /* JL_LINE_MAX + 1 bytes */
	bool eof;
};
/* Starts reading `f`; false without memory. */
bool jreader_init(struct jreader *r, FILE *f);
void jreader_free(struct jreader *r);
/* The next line, without its newline, NUL-terminated in r->buf (it may hold other
 * NULs: *len counts them). Returns 1 for a line, 2 for a line too long (skipped to
 * its end; r->buf then holds nothing), 0 at the end, -1 on a read error (errno). */
int jreader_next(struct jreader *r, size_t *len);

/* One line parsed as a JSON object. */
struct jobj {
	json_t *o;
};
/* Parses buf[0..len); false when it is not one valid JSON object (nothing to free). */
bool jparse(const char *buf, size_t len, struct jobj *o);
/* The string value of a key; NULL when absent or not a string. */
const char *jget(const struct jobj *o, const char *k);
/* The integer value of a key; false when absent or not an integer. */
bool jget_int(const struct jobj *o, const char *k, long long *v);
void jfree(struct jobj *o);

/* Prints s for a terminal: printable UTF-8 as it is; "\" as "\\"; newline, tab
 * and carriage return as "\n", "\t", "\r"; other control characters (C0, DEL) and
 * bytes that are not UTF-8 as "\xHH"; the C1 controls and the bidirectional
 * overrides as "\uHHHH". */
void jput_text(FILE *f, const char *s);
/* Prints s as the inside of a libconfig string (a policy file): '"' and '\'
 * escaped, and every byte jput_text would escape as "\xHH" (libconfig reads them
 * back as the same bytes). */
void jput_conf(FILE *f, const char *s);
/* Prints s as a JSON string, quotes included, whole (never cut). */
void jput_json(FILE *f, const char *s);

#endif
