# t/: TAP tests. C unit tests of common/ and conf/, and shell scripts that run real
# programs under libward.so. Each family of tests keeps its list in its own file
# (t/*.mk), so that they can grow apart.
noinst_LTLIBRARIES += t/tap/libtap.la
t_tap_libtap_la_SOURCES = t/tap/basic.c t/tap/basic.h

LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
TEST_EXTENSIONS = .t
T_LOG_DRIVER = $(LOG_DRIVER)
T_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)'; top_builddir='$(abs_top_builddir)'; \
	PYTHON3='$(PYTHON3)'; NODE='$(NODE)'; GIT='$(GIT)'; \
	WARD_PRELOAD_PREFIX='$(WARD_PRELOAD_PREFIX)'; \
	export top_srcdir top_builddir PYTHON3 NODE GIT WARD_PRELOAD_PREFIX;
EXTRA_DIST += t/lib.sh t/tap/libtap.sh

# the driver program of the integration tests
check_PROGRAMS += t/bin/call
t_bin_call_SOURCES = t/bin/call.c

unit_ldadd = t/tap/libtap.la common/libwardcommon.la
check_PROGRAMS += t/unit/glob
t_unit_glob_LDADD = $(unit_ldadd)
TESTS += t/unit/glob

include t/unit.mk
include t/levels.mk
include t/escape.mk
include t/cli.mk
include t/learn.mk
include t/run.mk
include t/policy.mk
include t/presets.mk
include t/examples.mk
include t/surface.mk
include t/fuzz/local.mk
