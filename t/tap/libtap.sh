# libtap.sh: TAP helpers for ward's shell tests (after c-tap-harness's libtap.sh).
#
#   plan N | plan_lazy          announce the number of tests (or at the end)
#   ok "desc" CMD...            passes when CMD exits 0
#   ok_not "desc" CMD...        passes when CMD exits non-zero
#   is "want" "got" "desc"      string equality
#   like "regex" "got" "desc"   grep -E match
#   ok_program "desc" STATUS "OUTPUT" CMD...
#                               CMD's exit status and combined output (stdout and
#                               stderr) must be exactly these
#   skip "why" / skip_all "why" / diag "msg" / bail "msg"
#
# Every assertion counts; none passes without running its command.

_tap_count=0
_tap_failed=0
_tap_planned=
_tap_lazy=

plan() {
	_tap_planned=$1
	echo "1..$1"
}

plan_lazy() {
	_tap_lazy=1
}

skip_all() {
	echo "1..0 # skip $*"
	exit 0
}

_tap_result() {
	_tap_count=$((_tap_count + 1))
	if [ "$1" = 0 ]; then
		echo "ok $_tap_count - $2"
	else
		_tap_failed=$((_tap_failed + 1))
		echo "not ok $_tap_count - $2"
	fi
}

diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

bail() {
	echo "Bail out! $*"
	exit 255
}

# The command's output is kept out of the TAP stream, and shown when it fails.
ok() {
	_d=$1
	shift
	if _out=$("$@" 2>&1); then
		_tap_result 0 "$_d"
	else
		_tap_result 1 "$_d"
		diag "$_out"
		return 1
	fi
}

ok_not() {
	_d=$1
	shift
	if _out=$("$@" 2>&1); then
		_tap_result 1 "$_d"
		diag "$_out"
		return 1
	else
		_tap_result 0 "$_d"
	fi
}

is() {
	if [ "$1" = "$2" ]; then
		_tap_result 0 "$3"
	else
		_tap_result 1 "$3"
		diag "  wanted: $1"
		diag "     got: $2"
		return 1
	fi
}

like() {
	if printf '%s\n' "$2" | grep -Eq -- "$1"; then
		_tap_result 0 "$3"
	else
		_tap_result 1 "$3"
		diag "  wanted to match: $1"
		diag "              got: $2"
		return 1
	fi
}

ok_program() {
	_d=$1
	_want_status=$2
	_want_out=$3
	shift 3
	_got_out=$("$@" 2>&1)
	_got_status=$?
	if [ "$_got_status" = "$_want_status" ] && [ "$_got_out" = "$_want_out" ]; then
		_tap_result 0 "$_d"
	else
		_tap_result 1 "$_d"
		diag "  wanted status $_want_status, output: $_want_out"
		diag "     got status $_got_status, output: $_got_out"
		return 1
	fi
}

skip() {
	_tap_count=$((_tap_count + 1))
	echo "ok $_tap_count # skip $*"
}

_tap_end() {
	if [ -n "$_tap_lazy" ]; then
		echo "1..$_tap_count"
	elif [ -n "$_tap_planned" ] && [ "$_tap_planned" != "$_tap_count" ]; then
		echo "# planned $_tap_planned tests but ran $_tap_count"
		_tap_failed=$((_tap_failed + 1))
	fi
	[ "$_tap_failed" = 0 ]
}
