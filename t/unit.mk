# t/unit.mk: C unit tests of common/ and conf/, and the shell tests of ward check,
# ward explain, failing closed, and the audit lines.
unit_conf_ldadd = t/tap/libtap.la conf/libwardconf.la common/libwardcommon.la $(LIBCONFIG_LIBS)

check_PROGRAMS += t/unit/path
t_unit_path_SOURCES = t/unit/path.c
t_unit_path_LDADD = $(unit_ldadd)
TESTS += t/unit/path

check_PROGRAMS += t/unit/decide
t_unit_decide_SOURCES = t/unit/decide.c
t_unit_decide_CPPFLAGS = $(AM_CPPFLAGS) $(LIBCONFIG_CFLAGS)
t_unit_decide_LDADD = $(unit_conf_ldadd)
TESTS += t/unit/decide

check_PROGRAMS += t/unit/conf
t_unit_conf_SOURCES = t/unit/conf.c
t_unit_conf_CPPFLAGS = $(AM_CPPFLAGS) $(LIBCONFIG_CFLAGS)
t_unit_conf_LDADD = $(unit_conf_ldadd)
TESTS += t/unit/conf

# t/unit/jsonl checks its lines alone, and t/013-jsonl.t parses them back with python3
check_PROGRAMS += t/unit/jsonl
t_unit_jsonl_SOURCES = t/unit/jsonl.c
t_unit_jsonl_LDADD = $(unit_ldadd)
TESTS += t/unit/jsonl

TESTS += t/010-check.t t/011-explain.t t/012-failclosed.t t/013-jsonl.t t/014-bad-input.t
EXTRA_DIST += t/010-check.t t/011-explain.t t/012-failclosed.t t/013-jsonl.t t/014-bad-input.t \
	t/data/bad-policies.sh t/data/jsonl-check.py
