/* summary.h: ward report's reading of an audit log and what it prints. */
#ifndef WARD_CLI_SUMMARY_H
#define WARD_CLI_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>

/* Reads the log `in` (any bytes: a line that is not an audit event is counted as
 * unreadable) and prints its summary on `out`, as text for a person (every value
 * escaped) or as one JSON object (`json`). `name` is the log's name as printed.
 * Returns 0; or 1, after a "ward: ..." line on stderr and with nothing printed, when
 * reading failed or when the log has lines but none of them is an audit event.
 * `alive` (may be NULL: no session is running) tells whether the ward run of a
 * session still runs, so that a log without its end event is shown running, not
 * incomplete. */
int cli_summary(FILE *in, const char *name, bool json, FILE *out, bool (*alive)(const char *session));

#endif
