# t/unit.mk: C unit tests of common/ and conf/, and the shell tests of ward check,
# ward explain, failing closed, and the audit lines.
unit_conf_ldadd = t/tap/libtap.la conf/libwardconf.la common/libwardcommon.la $(LIBCONFIG_LIBS)

check_PROGRAMS += t/unit/decide
t_unit_decide_SOURCES = t/unit/decide.c
t_unit_decide_CPPFLAGS = $(AM_CPPFLAGS) $(LIBCONFIG_CFLAGS)
t_unit_decide_LDADD = $(unit_conf_ldadd)
TESTS += t/unit/decide
