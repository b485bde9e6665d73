# t/escape.mk: the escape tests. Each tries a way around a denial (links, "..",
# /proc magic links, races, renames, children, raw system calls, namespaces) and
# passes only when the denial holds, nothing was changed, and no hidden content was
# ever printed.
check_PROGRAMS += t/bin/race t/bin/esc_probe
t_bin_race_SOURCES = t/bin/race.c
t_bin_race_LDADD = -lpthread
t_bin_esc_probe_SOURCES = t/bin/esc_probe.c
t_bin_esc_probe_LDADD = -ldl -lpthread

escape_tests = \
	t/200-escape-links.t \
	t/201-escape-race.t \
	t/202-escape-names.t \
	t/203-escape-late.t \
	t/204-escape-children.t \
	t/205-escape-raw.t \
	t/206-escape-libc.t
TESTS += $(escape_tests)
EXTRA_DIST += $(escape_tests) t/escape/libc_routes.py t/escape/lib.sh t/escape/carrier.c t/escape/interp.S
