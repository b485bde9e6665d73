# cli/: the ward command. The parts the fuzz targets of t/fuzz/ also run (reading
# audit logs back, the policy event's backstop) are a library of their own.
noinst_LTLIBRARIES += cli/libwardcli.la
cli_libwardcli_la_SOURCES = cli/json.c cli/json.h cli/summary.c cli/summary.h cli/backstop.c
cli_libwardcli_la_CPPFLAGS = $(AM_CPPFLAGS) $(LIBCONFIG_CFLAGS) $(XXHASH_CFLAGS) $(JANSSON_CFLAGS)

bin_PROGRAMS += cli/ward
cli_ward_SOURCES = cli/ward.c cli/ward.h cli/check.c cli/run.c cli/report.c cli/purge.c cli/learn.c
cli_ward_CPPFLAGS = $(AM_CPPFLAGS) $(LIBCONFIG_CFLAGS) $(XXHASH_CFLAGS) $(JANSSON_CFLAGS) \
	-DWARD_BUILDDIR='"$(abs_top_builddir)"' -DWARD_PKGLIBDIR='"$(pkglibdir)"'
cli_ward_LDADD = cli/libwardcli.la conf/libwardconf.la common/libwardcommon.la $(LIBCONFIG_LIBS) $(JANSSON_LIBS)
