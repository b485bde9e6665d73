# t/presets.mk: the presets (DESIGN §6) and drop-in use by real tools: every secret
# of §6 invisible under every preset but full-access, to python3, node and
# coreutils, also in writable folders; and real programs (CPython's regression tests,
# node fs and child_process, git, tar, sqlite3) giving under `ward run -P
# development` what they give natively.

check_PROGRAMS += t/bin/vfork_cwd
t_bin_vfork_cwd_SOURCES = t/bin/vfork_cwd.c

presets_tests = \
	t/500-presets-secrets.t \
	t/510-transparency-python.t \
	t/511-transparency-node.t \
	t/512-transparency-git.t \
	t/513-transparency-tar.t \
	t/514-transparency-sqlite.t \
	t/591-backstop-view-list.t \
	t/592-transparency-edges.t
TESTS += $(presets_tests)
EXTRA_DIST += $(presets_tests) \
	t/presets/lib.sh t/presets/probe.py t/presets/probe.js t/presets/probe.sh \
	t/presets/fs-ops.js t/presets/junit.py
