# t/policy/lib.sh: what the t/4xx policy tests (ttl, expires, the /tmp closure, the
# private TMPDIR, exec and limits: DESIGN §3, §5) share.
#
#   . "$top_srcdir/t/policy/lib.sh"
#
# Gives everything of t/lib.sh, and: $PY (python3, empty when it is missing), $BIN
# (the real path of the helpers' folder), $PROBE (t/bin/pol_probe), and
#
#   helpers_rule        the rule that keeps the helpers' folder readable (the build
#                       tree may lie under /tmp, which is closed otherwise)
#   need_py             skip the whole file when python3 is missing
#   field LOG EVENT KEY VALUE...
#                       prints the lines of LOG whose event is EVENT and whose KEYs
#                       have these string VALUEs
. "$top_srcdir/t/lib.sh"

PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || PY=
BIN=$(cd "$top_builddir/t/bin" && pwd -P) || bail "no $top_builddir/t/bin"
PROBE=$BIN/pol_probe

helpers_rule() {
	printf '  { path = "%s"; level = "read"; justification = "the test helpers of the build tree"; },\n' "$BIN"
}

need_py() {
	[ -n "$PY" ] || skip_all "python3 is not installed"
}

# field LOG EVENT [KEY VALUE]...: the lines of LOG with "event":"EVENT" and
# "KEY":"VALUE" for each pair (plain string match on the JSON text)
field() {
	_log=$1
	_ev=$2
	shift 2
	_pat="\"event\":\"$_ev\""
	grep -F "$_pat" "$_log" 2>/dev/null | {
		_lines=$(cat)
		while [ $# -ge 2 ]; do
			_lines=$(printf '%s\n' "$_lines" | grep -F "\"$1\":\"$2\"")
			shift 2
		done
		[ -n "$_lines" ] && printf '%s\n' "$_lines"
	}
}

# grant_of LOG PATH: the id of the grant whose path is PATH, from the first policy
# event of LOG
grant_of() {
	grep -m1 '"event":"policy"' "$1" | tr '{' '\n' | grep -F "\"path\":\"$2\"," |
		sed -n '1s/.*"id":"\(g[0-9]*\)".*/\1/p'
}
