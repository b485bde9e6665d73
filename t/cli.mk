TESTS += t/001-smoke.t
EXTRA_DIST += t/001-smoke.t
