# t/run.mk: ward run, the audit log, and confinement that follows every child
# (DESIGN §3, §4, §7): the log under concurrent writers, long paths, a program
# fighting the audit descriptor, every way of starting a child, exit statuses,
# the private TMPDIR, ward report, failing closed.
check_PROGRAMS += t/bin/run_ops
t_bin_run_ops_SOURCES = t/bin/run_ops.c
check_PROGRAMS += t/bin/run_fdfight
t_bin_run_fdfight_SOURCES = t/bin/run_fdfight.c
check_PROGRAMS += t/bin/run_spawn
t_bin_run_spawn_SOURCES = t/bin/run_spawn.c

run_tests = \
	t/300-run-basics.t \
	t/310-run-log-concurrency.t \
	t/320-run-fdfight.t \
	t/330-run-children.t
TESTS += $(run_tests)
EXTRA_DIST += $(run_tests) t/run/lib.sh t/run/logcheck.py t/run/fdscan.py
