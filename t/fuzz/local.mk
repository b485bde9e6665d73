# t/fuzz/: the fuzz targets (make fuzz, make fuzz-smoke) and, in make check, the
# replay of their saved inputs (seeds and the regression input of every finding)
# through the same entry points, without the fuzzer.
fuzz_targets = policy glob path decide jsonl report
fuzz_lib_srcs = common/path.c common/glob.c common/policy.c common/decide.c common/jsonl.c \
	common/audit.c conf/load.c cli/json.c cli/summary.c cli/backstop.c
fuzz_cppflags = $(AM_CPPFLAGS) $(LIBCONFIG_CFLAGS) $(XXHASH_CFLAGS) $(JANSSON_CFLAGS)
fuzz_replay_ldadd = t/tap/libtap.la cli/libwardcli.la conf/libwardconf.la common/libwardcommon.la \
	$(LIBCONFIG_LIBS) $(JANSSON_LIBS)

check_PROGRAMS += t/fuzz/replay-policy t/fuzz/replay-glob t/fuzz/replay-path t/fuzz/replay-decide \
	t/fuzz/replay-jsonl t/fuzz/replay-report
TESTS += t/fuzz/replay-policy t/fuzz/replay-glob t/fuzz/replay-path t/fuzz/replay-decide \
	t/fuzz/replay-jsonl t/fuzz/replay-report
fuzz_replay_srcs = t/fuzz/fuzz.c t/fuzz/fuzz.h t/fuzz/replay.c
t_fuzz_replay_policy_SOURCES = t/fuzz/policy.c $(fuzz_replay_srcs)
t_fuzz_replay_policy_CPPFLAGS = $(fuzz_cppflags) -DFUZZ_NAME='"policy"'
t_fuzz_replay_policy_LDADD = $(fuzz_replay_ldadd)
t_fuzz_replay_glob_SOURCES = t/fuzz/glob.c $(fuzz_replay_srcs)
t_fuzz_replay_glob_CPPFLAGS = $(fuzz_cppflags) -DFUZZ_NAME='"glob"'
t_fuzz_replay_glob_LDADD = $(fuzz_replay_ldadd)
t_fuzz_replay_path_SOURCES = t/fuzz/path.c $(fuzz_replay_srcs)
t_fuzz_replay_path_CPPFLAGS = $(fuzz_cppflags) -DFUZZ_NAME='"path"'
t_fuzz_replay_path_LDADD = $(fuzz_replay_ldadd)
t_fuzz_replay_decide_SOURCES = t/fuzz/decide.c $(fuzz_replay_srcs)
t_fuzz_replay_decide_CPPFLAGS = $(fuzz_cppflags) -DFUZZ_NAME='"decide"'
t_fuzz_replay_decide_LDADD = $(fuzz_replay_ldadd)
t_fuzz_replay_jsonl_SOURCES = t/fuzz/jsonl.c $(fuzz_replay_srcs)
t_fuzz_replay_jsonl_CPPFLAGS = $(fuzz_cppflags) -DFUZZ_NAME='"jsonl"'
t_fuzz_replay_jsonl_LDADD = $(fuzz_replay_ldadd)
t_fuzz_replay_report_SOURCES = t/fuzz/report.c $(fuzz_replay_srcs)
t_fuzz_replay_report_CPPFLAGS = $(fuzz_cppflags) -DFUZZ_NAME='"report"'
t_fuzz_replay_report_LDADD = $(fuzz_replay_ldadd)

# the saved inputs: t/fuzz/inputs/NAME/seed (minimised) and .../regress (findings)
EXTRA_DIST += t/fuzz/run.sh t/fuzz/inputs $(addprefix t/fuzz/,$(addsuffix .dict,$(fuzz_targets)))

# make fuzz: the targets, with clang and libFuzzer, everything they run instrumented
FUZZ_CFLAGS = -std=gnu11 -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
fuzz_bins = $(addprefix t/fuzz/bin/,$(fuzz_targets))
fuzz_deps = $(addprefix $(top_srcdir)/,$(fuzz_lib_srcs)) conf/presets.c \
	$(top_srcdir)/t/fuzz/fuzz.c $(top_srcdir)/t/fuzz/fuzz.h
fuzz_unavailable = { echo "make fuzz is unavailable: configure found no clang that links libFuzzer (Debian: apt-get install clang libclang-rt-dev; or ./configure FUZZ_CC=...)" >&2; exit 1; }

# The reference matcher and the helpers (fuzz.c) are the oracle, not code under
# test: built without coverage, they leave the fuzzer's time to ward's code.
FUZZ_REF_CFLAGS = -std=gnu11 -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined
fuzz: $(fuzz_bins)
t/fuzz/bin/fuzz-ref.o: $(top_srcdir)/t/fuzz/fuzz.c $(top_srcdir)/t/fuzz/fuzz.h
	@test -n "$(FUZZ_CC)" || $(fuzz_unavailable)
	@$(MKDIR_P) t/fuzz/bin
	$(AM_V_CC)$(FUZZ_CC) $(FUZZ_REF_CFLAGS) $(fuzz_cppflags) -c -o $@ $(top_srcdir)/t/fuzz/fuzz.c
t/fuzz/bin/%: $(top_srcdir)/t/fuzz/%.c $(fuzz_deps) t/fuzz/bin/fuzz-ref.o
	@test -n "$(FUZZ_CC)" || $(fuzz_unavailable)
	@$(MKDIR_P) t/fuzz/bin
	$(AM_V_CC)$(FUZZ_CC) $(FUZZ_CFLAGS) $(filter-out -Werror,$(WARN_CFLAGS)) $(fuzz_cppflags) -o $@ $< \
		t/fuzz/bin/fuzz-ref.o $(addprefix $(top_srcdir)/,$(fuzz_lib_srcs)) conf/presets.c \
		$(LIBCONFIG_LIBS) $(JANSSON_LIBS)

# make fuzz-smoke: each target for FUZZ_SECONDS (60) on one core, from its seeds and
# regression inputs (t/fuzz/inputs/NAME), in t/fuzz/work/; one line each; a finding
# fails.
# FUZZ_TARGETS picks some.
FUZZ_SECONDS = 60
FUZZ_TARGETS = $(fuzz_targets)
fuzz-smoke: $(fuzz_bins)
	@st=0; for t in $(FUZZ_TARGETS); do \
		$(SHELL) $(top_srcdir)/t/fuzz/run.sh run "$$t" $(FUZZ_SECONDS) t/fuzz/bin/$$t \
			$(top_srcdir)/t/fuzz t/fuzz/work || st=1; \
	done; exit $$st
# make fuzz-min: the seeds of each target merged down to a minimal set that keeps
# their coverage (after a run, with what it found); review, then commit
# t/fuzz/inputs/*/seed.
fuzz-min: $(fuzz_bins)
	@for t in $(FUZZ_TARGETS); do \
		$(SHELL) $(top_srcdir)/t/fuzz/run.sh min "$$t" 0 t/fuzz/bin/$$t $(top_srcdir)/t/fuzz t/fuzz/work || exit 1; \
	done
.PHONY: fuzz fuzz-smoke fuzz-min
