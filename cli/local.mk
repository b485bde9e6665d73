# cli/: the ward command.
bin_PROGRAMS += cli/ward
cli_ward_SOURCES = cli/ward.c cli/ward.h cli/check.c cli/run.c cli/report.c cli/purge.c cli/json.c cli/json.h cli/learn.c cli/backstop.c
cli_ward_CPPFLAGS = $(AM_CPPFLAGS) $(LIBCONFIG_CFLAGS) $(XXHASH_CFLAGS) \
	-DWARD_BUILDDIR='"$(abs_top_builddir)"' -DWARD_PKGLIBDIR='"$(pkglibdir)"'
cli_ward_LDADD = conf/libwardconf.la common/libwardcommon.la $(LIBCONFIG_LIBS)
