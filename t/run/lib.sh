# t/run/lib.sh: what the t/3*-run-*.t tests share.
#
#   . "$top_srcdir/t/run/lib.sh"
#
# Gives everything of t/lib.sh, and: $PY (python3), $CHECK (the log checker,
# t/run/logcheck.py), $BIN (the real path of the helpers' folder), and
#
#   std_policy FILE [MORE RULES]   a policy with root = "." (the folder of FILE):
#                                  everything read, docs/ write, secrets/ none, and
#                                  the helpers' folder readable (the build tree may
#                                  be under /tmp, which is closed otherwise)
#   first_session LOG              the session of the first line of LOG
. "$top_srcdir/t/lib.sh"

PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || skip_all "python3 is not installed"
CHECK="$PY $top_srcdir/t/run/logcheck.py"
BIN=$(cd "$top_builddir/t/bin" && pwd -P) || bail "no $top_builddir/t/bin"

std_policy() {
	policy "$1" <<P
root = ".";
rules = (
  { path = "/**"; level = "read"; },
  { path = "$BIN"; level = "read"; justification = "the test helpers of the build tree"; },
  { path = "docs"; level = "write"; },
  { path = "secrets"; level = "none"; }$2
);
P
}

first_session() {
	sed -n '1s/.*"session":"\([0-9a-f]*\)".*/\1/p' "$1"
}
