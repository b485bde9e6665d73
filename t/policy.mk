# t/policy.mk: grants that end (DESIGN §3, §5, §7): transient areas and their purge,
# expiring rules, /tmp, /var/tmp and /dev/shm closed unless justified, the private
# TMPDIR, the exec allowlist and limits.max_file_size; and the report-generator
# example of examples/.
check_PROGRAMS += t/bin/pol_probe
t_bin_pol_probe_SOURCES = t/bin/pol_probe.c

policy_tests = \
	t/400-ttl-purge.t \
	t/410-expires.t \
	t/420-closure.t \
	t/421-closure-root.t \
	t/430-tmpdir.t \
	t/440-exec-allowlist.t \
	t/450-size-limit.t \
	t/460-example-report.t \
	t/409-ttl-rounding.t \
	t/470-purge-schedules.t
TESTS += $(policy_tests)
EXTRA_DIST += $(policy_tests) t/policy/lib.sh
