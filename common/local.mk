# common/: pure code shared by the library and the command (paths, globs, the rule
# table, decisions, audit events). Built position-independent for the library.
noinst_LTLIBRARIES += common/libwardcommon.la
common_libwardcommon_la_SOURCES = \
	common/sys.h common/hash.h \
	common/path.c common/path.h \
	common/glob.c common/glob.h \
	common/policy.c common/policy.h \
	common/decide.c common/decide.h \
	common/jsonl.c common/jsonl.h \
	common/audit.c common/audit.h
common_libwardcommon_la_CPPFLAGS = $(AM_CPPFLAGS) $(XXHASH_CFLAGS)
common_libwardcommon_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
