/* t/unit/conf.c: loading policy files (DESIGN.md section 5): every kind of error
 * names its file and line; the policy hash depends on the rules, not on how they are
 * written; the presets compile. */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/policy.h"
#include "conf/load.h"
#include "t/tap/basic.h"

static const struct wc_libconfig lc = {config_init, config_destroy, config_read_string};
static const char *tmp;
static char err[4096];

static void write_file(const char *name, const char *text)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", tmp, name);
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0)
		bail("cannot write %s", path);
}

static void opts(struct wc_opts *o)
{
	memset(o, 0, sizeof *o);
	o->cwd = tmp;
	o->home = "/home/tester";
	o->state = "/home/tester/.local/state/ward";
	o->mode = -1;
}

/* Compiles tmp/NAME; returns the blob or NULL with err set. */
static struct wp_hdr *compile(const char *name)
{
	char path[4096];
	struct wc_opts o;
	size_t size;
	opts(&o);
	snprintf(path, sizeof path, "%s/%s", tmp, name);
	return wc_compile(&lc, path, false, &o, &size, err, sizeof err);
}

static struct wp_hdr *compile_text(const char *name, const char *text)
{
	write_file(name, text);
	return compile(name);
}

static int nfile;

/* Writes `text` to a fresh file, compiles it, and checks that it fails with
 * "FILE:LINE: " followed by a message that matches the regular expression `like`. */
static void error_at(const char *desc, const char *text, unsigned line, const char *like)
{
	char name[64], want[4200];
	snprintf(name, sizeof name, "e%02d.conf", ++nfile);
	struct wp_hdr *h = compile_text(name, text);
	if (h) {
		ok(false, "%s: is an error", desc);
		free(h);
		return;
	}
	snprintf(want, sizeof want, "%s/%s:%u: ", tmp, name, line);
	if (!ok(strncmp(err, want, strlen(want)) == 0, "%s: error at %s:%u", desc, name, line))
		diag("got: %s", err);
	regex_t re;
	if (regcomp(&re, like, REG_EXTENDED | REG_ICASE | REG_NOSUB) != 0)
		bail("bad regex %s", like);
	if (!ok(regexec(&re, err, 0, NULL, 0) == 0, "%s: the message says /%s/", desc, like))
		diag("got: %s", err);
	regfree(&re);
}

/* The same, when the error may sit on any of the lines lo..hi (a rule written over
 * several lines). */
static void error_between(const char *desc, const char *text, unsigned lo, unsigned hi,
			  const char *like)
{
	char name[64], want[4200];
	snprintf(name, sizeof name, "e%02d.conf", ++nfile);
	struct wp_hdr *h = compile_text(name, text);
	if (h) {
		ok(false, "%s: is an error", desc);
		free(h);
		return;
	}
	bool placed = false;
	for (unsigned l = lo; l <= hi && !placed; l++) {
		snprintf(want, sizeof want, "%s/%s:%u: ", tmp, name, l);
		placed = strncmp(err, want, strlen(want)) == 0;
	}
	if (!ok(placed, "%s: error at %s, line %u to %u", desc, name, lo, hi))
		diag("got: %s", err);
	regex_t re;
	if (regcomp(&re, like, REG_EXTENDED | REG_ICASE | REG_NOSUB) != 0)
		bail("bad regex %s", like);
	if (!ok(regexec(&re, err, 0, NULL, 0) == 0, "%s: the message says /%s/", desc, like))
		diag("got: %s", err);
	regfree(&re);
}

static void valid(const char *desc, const char *text)
{
	char name[64];
	snprintf(name, sizeof name, "v%02d.conf", ++nfile);
	struct wp_hdr *h = compile_text(name, text);
	if (!ok(h != NULL, "%s: valid", desc))
		diag("got: %s", err);
	free(h);
}

static uint64_t hash_of(const char *name, const char *text)
{
	struct wp_hdr *h = compile_text(name, text);
	if (!h) {
		diag("%s: %s", name, err);
		return 0;
	}
	uint64_t v = h->hash;
	free(h);
	return v;
}

int main(void)
{
	plan_lazy();
	tmp = test_tmpdir();

	/* durations and sizes */
	is_int(90, wc_parse_duration("90s"), "90s");
	is_int(900, wc_parse_duration("15m"), "15m");
	is_int(7200, wc_parse_duration("2h"), "2h");
	is_int(86400, wc_parse_duration("1d"), "1d");
	is_int(-1, wc_parse_duration("15"), "a duration needs a unit");
	is_int(-1, wc_parse_duration("m"), "a duration needs a number");
	is_int(-1, wc_parse_duration("1.5h"), "no fractions");
	is_int(-1, wc_parse_duration("15M"), "units are s, m, h, d");
	is_int(-1, wc_parse_duration("15mm"), "one unit");
	is_int(-1, wc_parse_duration(""), "empty duration");
	is_int(512, wc_parse_size("512"), "512 bytes");
	is_int(65536, wc_parse_size("64K"), "64K is 64 * 1024");
	is_int(10485760, wc_parse_size("10M"), "10M is 10 * 1024^2");
	is_int(1073741824, wc_parse_size("1G"), "1G is 1024^3");
	is_int(-1, wc_parse_size("10k"), "units are K, M, G");
	is_int(-1, wc_parse_size("10MB"), "one unit letter");
	is_int(-1, wc_parse_size("M"), "a size needs a number");
	is_int(-1, wc_parse_size(""), "empty size");

	/* a valid policy, and its rule count */
	struct wp_hdr *h = compile_text("ok.conf", "version = 1;\n"
						   "rules = (\n"
						   "  { path = \"/**\"; level = \"read\"; },\n"
						   "  { path = \"docs\"; level = \"write\"; }\n"
						   ");\n");
	if (!ok(h != NULL, "a valid policy compiles"))
		diag("%s", err);
	else {
		const struct wp_rule *R = wp_rules(h);
		int n = 0;
		for (uint32_t i = 0; i < h->nrules; i++)
			n += R[i].kind == WK_RULE && !R[i].implicit;
		is_int(2, n, "... with its two rules (%u with the built-in ones)", h->nordered);
	}
	free(h);
	valid("an empty rules list", "version = 1;\nrules = ( );\n");
	valid("every key of the contract",
	      "version = 1;\n"
	      "root = \".\";\n"
	      "extends = \"agent-safe\";\n"
	      "mode = \"audit\";\n"
	      "default = \"none\";\n"
	      "hide = ( \"/**/*.secret\" );\n"
	      "unhide = ( \"/**/*.key\" );\n"
	      "rules = (\n"
	      "  { path = \"/**\"; level = \"read\"; },\n"
	      "  { path = \"docs\"; level = \"write\"; },\n"
	      "  { path = \"metadata\"; level = \"view\"; },\n"
	      "  { path = \"secrets\"; level = \"none\"; },\n"
	      "  { path = \"/**/.env\"; level = \"none\"; },\n"
	      "  { path = \"scratch/\"; level = \"write\"; ttl = \"15m\"; },\n"
	      "  { path = \"reports\"; level = \"write\"; expires = \"30m\"; },\n"
	      "  { path = \"/tmp/exports\"; level = \"write\"; justification = \"the export tool\"; }\n"
	      ");\n"
	      "exec = ( \"/usr/bin/*\", \"/bin/*\" );\n"
	      "limits = { max_file_size = \"10M\"; };\n"
	      "log = { reads = false; };\n"
	      "backstop = \"auto\";\n");
	valid("a none rule on /tmp needs no justification",
	      "version = 1;\nrules = ( { path = \"/tmp/x\"; level = \"none\"; } );\n");
	valid("/** and /t*/** do not name /tmp: no justification",
	      "version = 1;\nrules = ( { path = \"/**\"; level = \"write\"; },\n"
	      "  { path = \"/t*/**\"; level = \"write\"; } );\n");
	/* the test folder lies in /tmp; it is ROOT here */
	valid("a root-relative rule under a ROOT in /tmp needs no justification",
	      "version = 1;\nrules = ( { path = \"out\"; level = \"write\"; },\n"
	      "  { path = \"**\"; level = \"read\"; } );\n");

	/* errors: each with its file and line */
	error_at("unknown top-level key",
		 "version = 1;\n"
		 "rules = ( );\n"
		 "colour = \"red\";\n",
		 3, "colour");
	error_at("unknown key in a rule",
		 "version = 1;\n"
		 "rules = (\n"
		 "  { path = \"/a\"; level = \"read\"; },\n"
		 "  { path = \"/b\";\n"
		 "    levle = \"read\"; }\n"
		 ");\n",
		 5, "levle");
	error_at("unknown key in limits",
		 "version = 1;\nrules = ( );\n\nlimits = {\n  max_size = \"10M\";\n};\n", 5, "max_size");
	error_at("unknown level in a rule",
		 "version = 1;\n"
		 "rules = (\n"
		 "  { path = \"/a\";\n"
		 "    level = \"all\"; }\n"
		 ");\n",
		 4, "level.*all|all.*level");
	error_at("unknown default level", "version = 1;\n\ndefault = \"readonly\";\nrules = ( );\n", 3,
		 "readonly");
	error_at("bad glob: an open class",
		 "version = 1;\n"
		 "rules = (\n"
		 "  { path = \"/a\"; level = \"read\"; },\n"
		 "  { path = \"/a/[bc\"; level = \"read\"; }\n"
		 ");\n",
		 4, "\\[bc|class|glob|pattern");
	error_at("bad glob: ** inside a name",
		 "version = 1;\nrules = (\n  { path = \"/a/b**\"; level = \"read\"; }\n);\n", 3,
		 "b\\*\\*|\\*\\*");
	error_between("bad glob in a rule written over several lines",
		      "version = 1;\n"
		      "rules = (\n"
		      "  {\n"
		      "    path = \"/a/x]\";\n"
		      "    level = \"read\";\n"
		      "  }\n"
		      ");\n",
		      3, 4, "x\\]|\\]");
	error_at("bad glob in hide",
		 "version = 1;\n"
		 "hide = ( \"/**/.env\",\n"
		 "         \"/**/[ab\" );\n"
		 "rules = ( );\n",
		 3, "\\[ab|class|glob|pattern");
	error_at("bad glob in exec",
		 "version = 1;\nrules = ( );\nexec = ( \"/usr/bin/*\",\n\n  \"/bin/a\\\\\" );\n", 5,
		 "pattern|glob|backslash|escape|\\\\");
	error_at("'..' in a pattern",
		 "version = 1;\nrules = (\n  { path = \"/a/../etc\"; level = \"read\"; }\n);\n", 3, "\\.\\.");
	error_at("~user is not understood",
		 "version = 1;\nrules = (\n  { path = \"~root/x\"; level = \"read\"; }\n);\n", 3, "~");
	error_at("bad duration for ttl",
		 "version = 1;\n"
		 "rules = (\n"
		 "  { path = \"scratch\"; level = \"write\";\n"
		 "    ttl = \"15x\"; }\n"
		 ");\n",
		 4, "15x");
	error_at("bad duration for expires",
		 "version = 1;\nrules = (\n  { path = \"r\"; level = \"write\"; expires = \"soon\"; }\n);\n", 3,
		 "soon");
	error_at("a zero duration",
		 "version = 1;\nrules = (\n  { path = \"r\"; level = \"write\"; expires = \"0m\"; }\n);\n", 3,
		 "0m");
	error_at("bad size",
		 "version = 1;\nrules = ( );\nlimits = {\n  max_file_size = \"10Q\";\n};\n", 4,
		 "size|10Q");
	error_at("a zero size", "version = 1;\nrules = ( );\nlimits = { max_file_size = 0; };\n", 3,
		 "size");
	error_at("ttl on a read rule",
		 "version = 1;\nrules = (\n  { path = \"r\"; level = \"read\"; ttl = \"1h\"; }\n);\n", 3, "ttl");
	error_at("rule without path",
		 "version = 1;\n"
		 "rules = (\n"
		 "  { path = \"/a\"; level = \"read\"; },\n"
		 "  { level = \"read\"; }\n"
		 ");\n",
		 4, "path");
	error_at("rule without level",
		 "version = 1;\n"
		 "rules = (\n"
		 "  { path = \"/a\"; level = \"read\"; },\n"
		 "  { path = \"/b\"; },\n"
		 "  { path = \"/c\"; level = \"read\"; }\n"
		 ");\n",
		 4, "level");
	error_at("/tmp rule without justification",
		 "version = 1;\n"
		 "rules = (\n"
		 "  { path = \"/**\"; level = \"read\"; },\n"
		 "  { path = \"/tmp/exports\"; level = \"write\"; }\n"
		 ");\n",
		 4, "justification");
	error_at("/tmp rule with an empty justification",
		 "version = 1;\nrules = (\n  { path = \"/tmp/x/**\"; level = \"read\"; justification = \"\"; }\n);\n",
		 3, "justification");
	error_at("/var/tmp rule without justification",
		 "version = 1;\nrules = (\n  { path = \"/var/tmp\"; level = \"view\"; }\n);\n", 3,
		 "justification");
	error_at("/dev/shm rule without justification",
		 "version = 1;\nrules = (\n  { path = \"/dev/shm/**\"; level = \"write\"; }\n);\n", 3,
		 "justification");
	error_at("/tmp/** rule without justification",
		 "version = 1;\nrules = (\n  { path = \"/tmp/**\"; level = \"read\"; }\n);\n", 3,
		 "justification");
	error_at("unknown preset",
		 "version = 1;\nextends = \"no-such-preset\";\nrules = ( );\n", 2, "no-such-preset");
	error_at("missing extends file",
		 "version = 1;\n\nextends = \"./missing.conf\";\nrules = ( );\n", 3, "missing\\.conf");
	error_at("unhide of a pattern no inherited list holds",
		 "version = 1;\nextends = \"agent-safe\";\nunhide = ( \"/**/*.key\",\n  \"/**/*.crt\" );\nrules = ( );\n",
		 4, "\\*\\.crt");
	error_at("version 2", "version = 2;\nrules = ( );\n", 1, "version");
	error_at("unknown mode", "version = 1;\nrules = ( );\nmode = \"permissive\";\n", 3, "permissive");
	error_at("unknown backstop", "version = 1;\nrules = ( );\nbackstop = \"maybe\";\n", 3, "maybe");
	error_at("log.reads not a boolean", "version = 1;\nrules = ( );\nlog = {\n  reads = \"yes\";\n};\n", 4,
		 "reads");
	error_at("rules not a list", "version = 1;\n\nrules = \"all\";\n", 3, "rules");
	error_at("a level that is not a string",
		 "version = 1;\nrules = (\n  { path = \"/a\"; level = 3; }\n);\n", 3, "level");
	error_at("syntax error", "version = 1;\nrules = (\n  { path = = \"/a\"; level = \"read\"; }\n);\n", 3,
		 ".");
	error_at("@include is refused", "version = 1;\n@include \"other.conf\"\nrules = ( );\n", 2, "include");

	/* missing rules: a place in the file, and the message names the key */
	{
		struct wp_hdr *x = compile_text("norules.conf", "version = 1;\ndefault = \"read\";\n");
		char want1[4200], want2[4200];
		snprintf(want1, sizeof want1, "%s/norules.conf:1: ", tmp);
		snprintf(want2, sizeof want2, "%s/norules.conf:2: ", tmp);
		ok(!x && (strncmp(err, want1, strlen(want1)) == 0 || strncmp(err, want2, strlen(want2)) == 0) &&
			   strstr(err, "rules"),
		   "missing rules: FILE:LINE and a message naming 'rules' (%s)", err);
		free(x);
	}

	/* errors inside an extended file name that file */
	{
		write_file("badbase.conf", "version = 1;\n"
					   "rules = (\n"
					   "  { path = \"/a\"; level = \"read\"; },\n"
					   "  { path = \"/b\"; level = \"writable\"; }\n"
					   ");\n");
		char want[4200];
		struct wp_hdr *x = compile_text("usesbad.conf", "version = 1;\nextends = \"badbase.conf\";\nrules = ( );\n");
		snprintf(want, sizeof want, "%s/badbase.conf:4: ", tmp);
		ok(!x && strncmp(err, want, strlen(want)) == 0, "an error in an extended file names that file and line (%s)",
		   err);
		free(x);
	}

	/* loops of extends */
	{
		char want[4200];
		write_file("loop-a.conf", "version = 1;\nextends = \"loop-b.conf\";\nrules = ( );\n");
		write_file("loop-b.conf", "version = 1;\nrules = ( );\n\nextends = \"loop-a.conf\";\n");
		struct wp_hdr *x = compile("loop-a.conf");
		snprintf(want, sizeof want, "%s/loop-b.conf:4: ", tmp);
		ok(!x && strncmp(err, want, strlen(want)) == 0, "a loop of two: the extends line that closes it (%s)", err);
		ok(!x && strstr(err, "loop"), "... the message says loop");
		free(x);
		write_file("self.conf", "version = 1;\n\n\nextends = \"self.conf\";\nrules = ( );\n");
		x = compile("self.conf");
		snprintf(want, sizeof want, "%s/self.conf:4: ", tmp);
		ok(!x && strncmp(err, want, strlen(want)) == 0, "a policy that extends itself (%s)", err);
		free(x);
	}

	/* wc_compile of an unknown preset, and of a missing file: a message, no line */
	{
		struct wc_opts o;
		size_t size;
		opts(&o);
		void *x = wc_compile(&lc, "no-such-preset", true, &o, &size, err, sizeof err);
		ok(!x && strstr(err, "no-such-preset"), "an unknown preset by name: an error naming it (%s)", err);
		free(x);
		char path[4096];
		snprintf(path, sizeof path, "%s/absent.conf", tmp);
		x = wc_compile(&lc, path, false, &o, &size, err, sizeof err);
		ok(!x && strstr(err, "absent.conf"), "a missing policy file: an error naming it (%s)", err);
		free(x);
	}

	/* the hash: the same rules written otherwise give the same hash */
	{
		uint64_t a = hash_of("h-a.conf", "version = 1;\n"
						 "default = \"view\";\n"
						 "hide = ( \"/**/*.pem\" );\n"
						 "rules = (\n"
						 "  { path = \"/**\"; level = \"read\"; },\n"
						 "  { path = \"docs\"; level = \"write\"; ttl = \"15m\"; },\n"
						 "  { path = \"/tmp/x\"; level = \"write\"; justification = \"why\"; }\n"
						 ");\n");
		uint64_t b = hash_of("h-b.conf", "# the same policy, written otherwise\n"
						 "version=1;\n"
						 "\n"
						 "rules=( {path=\"/**\";level=\"read\";}, // broad\n"
						 "        { level = \"write\" ; ttl = \"15m\" ; path = \"./docs\" ; } ,\n"
						 "  /* a C comment */ { justification = \"why\"; path = \"/tmp//x\"; level = \"write\"; }\n"
						 ") ;\n"
						 "hide =   [ \"/**/*.pem\" ];\n"
						 "default : \"view\";\n");
		uint64_t a2 = hash_of("h-a2.conf", "version = 1;\n"
						   "default = \"view\";\n"
						   "hide = ( \"/**/*.pem\" );\n"
						   "rules = (\n"
						   "  { path = \"/**\"; level = \"read\"; },\n"
						   "  { path = \"docs\"; level = \"write\"; ttl = \"15m\"; },\n"
						   "  { path = \"/tmp/x\"; level = \"write\"; justification = \"why\"; }\n"
						   ");\n");
		uint64_t c = hash_of("h-c.conf", "version = 1;\n"
						 "default = \"view\";\n"
						 "hide = ( \"/**/*.pem\" );\n"
						 "rules = (\n"
						 "  { path = \"/**\"; level = \"view\"; },\n"
						 "  { path = \"docs\"; level = \"write\"; ttl = \"15m\"; },\n"
						 "  { path = \"/tmp/x\"; level = \"write\"; justification = \"why\"; }\n"
						 ");\n");
		uint64_t d = hash_of("h-d.conf", "version = 1;\n"
						 "default = \"view\";\n"
						 "hide = ( \"/**/*.pem\" );\n"
						 "rules = (\n"
						 "  { path = \"/**\"; level = \"read\"; },\n"
						 "  { path = \"docs2\"; level = \"write\"; ttl = \"15m\"; },\n"
						 "  { path = \"/tmp/x\"; level = \"write\"; justification = \"why\"; }\n"
						 ");\n");
		uint64_t e = hash_of("h-e.conf", "version = 1;\n"
						 "default = \"view\";\n"
						 "hide = ( \"/**/*.pem\" );\n"
						 "rules = (\n"
						 "  { path = \"docs\"; level = \"write\"; ttl = \"15m\"; },\n"
						 "  { path = \"/**\"; level = \"read\"; },\n"
						 "  { path = \"/tmp/x\"; level = \"write\"; justification = \"why\"; }\n"
						 ");\n");
		uint64_t f = hash_of("h-f.conf", "version = 1;\n"
						 "default = \"view\";\n"
						 "hide = ( \"/**/*.pem\" );\n"
						 "rules = (\n"
						 "  { path = \"/**\"; level = \"read\"; },\n"
						 "  { path = \"docs\"; level = \"write\"; ttl = \"20m\"; },\n"
						 "  { path = \"/tmp/x\"; level = \"write\"; justification = \"why\"; }\n"
						 ");\n");
		uint64_t g = hash_of("h-g.conf", "version = 1;\n"
						 "default = \"view\";\n"
						 "hide = ( \"/**/*.key\" );\n"
						 "rules = (\n"
						 "  { path = \"/**\"; level = \"read\"; },\n"
						 "  { path = \"docs\"; level = \"write\"; ttl = \"15m\"; },\n"
						 "  { path = \"/tmp/x\"; level = \"write\"; justification = \"why\"; }\n"
						 ");\n");
		ok(a != 0 && b != 0 && c != 0 && d != 0 && e != 0 && f != 0 && g != 0, "the hash policies compile");
		ok(a == a2, "the same text in another file: the same hash");
		ok(a == b, "other spacing, comments, key order, ./ and //: the same hash (%016llx, %016llx)",
		   (unsigned long long)a, (unsigned long long)b);
		ok(a != c, "a rule's level changes: another hash");
		ok(a != d, "a rule's path changes: another hash");
		ok(a != e, "the order of two rules changes: another hash");
		ok(a != f, "a rule's ttl changes: another hash");
		ok(a != g, "a hide pattern changes: another hash");
	}

	/* the presets all compile, alone and extended */
	ok(wc_npresets >= 5, "at least the five presets of the contract (%zu)", wc_npresets);
	static const char *const names[] = {"agent-safe", "read-only", "development", "strict", "full-access"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		ok(wc_preset_find(names[i]) != NULL, "preset %s exists", names[i]);
	for (size_t i = 0; i < wc_npresets; i++) {
		struct wc_opts o;
		size_t size;
		opts(&o);
		struct wp_hdr *x = wc_compile(&lc, wc_presets[i].name, true, &o, &size, err, sizeof err);
		if (!ok(x != NULL, "preset %s compiles", wc_presets[i].name))
			diag("%s", err);
		else
			ok(wp_verify(x, size) == NULL && x->nordered > 0, "preset %s: a consistent table with rules",
			   wc_presets[i].name);
		free(x);
		char name[64], text[256];
		snprintf(name, sizeof name, "ext-%s.conf", wc_presets[i].name);
		snprintf(text, sizeof text, "version = 1;\nextends = \"%s\";\nrules = ( );\n", wc_presets[i].name);
		x = compile_text(name, text);
		if (!ok(x != NULL, "a policy that extends %s compiles", wc_presets[i].name))
			diag("%s", err);
		free(x);
	}
	return tap_failures() ? 1 : 0;
}
