# lib.sh: what every shell test of ward starts with.
#
#   . "$top_srcdir/t/lib.sh"
#
# Gives: the TAP helpers; $WARD (the command), $WARD_LIB (libward.so), $WARD_PRELOAD
# (what LD_PRELOAD must hold to load it: use this, not $WARD_LIB), $CALL (the
# t/bin/call driver); a private folder $T (real path, removed at the end unless a
# test failed) that is also the working directory, and $LOGS beside it for audit logs
# that must lie outside $T (ward run refuses a log in a write area); and
#
#   under POLICY CMD...     run CMD with libward.so and the policy file POLICY
#   under_preset NAME CMD...
#   policy FILE <<EOF ...   write a policy file (root defaults to $T)
#
# Set WARD_LIB and WARD_BIN to test an installed build instead of the build tree.

: "${top_srcdir:?run through make check, or set top_srcdir and top_builddir}"
: "${top_builddir:?}"
. "$top_srcdir/t/tap/libtap.sh"

WARD_LIB=${WARD_LIB:-$top_builddir/shim/.libs/libward.so}
WARD=${WARD_BIN:-$top_builddir/cli/ward}
CALL=$top_builddir/t/bin/call
# What to put in LD_PRELOAD: the library, after the ASan runtime in a sanitizer
# build (which must come first). ward run preloads $WARD_LIBRARY when it is set.
WARD_PRELOAD=${WARD_PRELOAD_PREFIX:+$WARD_PRELOAD_PREFIX:}$WARD_LIB
WARD_LIBRARY=$WARD_PRELOAD
export WARD_LIB WARD_PRELOAD WARD_LIBRARY
if [ -n "${WARD_PRELOAD_PREFIX:-}" ]; then
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0:exitcode=99}
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=99}
	export ASAN_OPTIONS UBSAN_OPTIONS
fi

[ -f "$WARD_LIB" ] || bail "no libward.so at $WARD_LIB"

_t_base=${WARD_TEST_TMP:-/tmp}
T=$(mktemp -d "$_t_base/ward-t.XXXXXX") || bail "mktemp"
T=$(cd "$T" && pwd -P)
# $LOGS: a private folder beside $T for the audit logs of runs whose policy writes
# $T (ward run refuses a log inside a write area)
LOGS=$(mktemp -d "$_t_base/ward-logs.XXXXXX") || bail "mktemp"
LOGS=$(cd "$LOGS" && pwd -P)
cd "$T" || bail "cd $T"
# The tests must not inherit a ward of the caller.
unset LD_PRELOAD WARD_POLICY WARD_LOG_FD WARD_MODE WARD_POLICY_FD WARD_POLICY_HASH WARD_ROOT

_t_cleanup() {
	_t_rc=$?
	cd /
	if _tap_end; then
		rm -rf "$T" "$LOGS"
		exit 0
	fi
	echo "# left $T and $LOGS for inspection"
	exit 1
}
trap _t_cleanup EXIT

under() {
	_p=$1
	shift
	LD_PRELOAD=$WARD_PRELOAD WARD_POLICY=$_p "$@"
}

under_preset() {
	_p=$1
	shift
	printf 'version = 1;\nextends = "%s";\nrules = ( );\n' "$_p" > "$T/.preset-$_p.conf"
	LD_PRELOAD=$WARD_PRELOAD WARD_POLICY=$T/.preset-$_p.conf "$@"
}

# policy FILE: writes stdin to FILE, after a "version = 1;" line.
policy() {
	{ echo 'version = 1;'; cat; } > "$1"
}

# need_cmd NAME...: skip the whole file when a program is missing.
need_cmd() {
	for _c in "$@"; do
		command -v "$_c" >/dev/null 2>&1 || skip_all "$_c is not installed"
	done
}
