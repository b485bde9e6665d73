# conf/: policy files (libconfig) and presets, compiled into a rule table.
noinst_LTLIBRARIES += conf/libwardconf.la
conf_libwardconf_la_SOURCES = conf/load.c conf/load.h
nodist_conf_libwardconf_la_SOURCES = conf/presets.c
conf_libwardconf_la_CPPFLAGS = $(AM_CPPFLAGS) $(LIBCONFIG_CFLAGS)
conf_libwardconf_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
ward_presets = \
	conf/presets/agent-safe.conf \
	conf/presets/read-only.conf \
	conf/presets/development.conf \
	conf/presets/strict.conf \
	conf/presets/full-access.conf
presetsdir = $(pkgdatadir)/presets
dist_presets_DATA = $(ward_presets)
EXTRA_DIST += conf/mkpresets.sh
BUILT_SOURCES += conf/presets.c
CLEANFILES += conf/presets.c
conf/presets.c: $(ward_presets) $(top_srcdir)/conf/mkpresets.sh
	$(AM_V_GEN)$(MKDIR_P) conf && \
	$(SHELL) $(top_srcdir)/conf/mkpresets.sh $(addprefix $(top_srcdir)/,$(ward_presets)) > $@.tmp && mv $@.tmp $@
