# t/presets/lib.sh: what the transparency tests (t/51*-transparency-*.t) share.
#
#   . "$top_srcdir/t/presets/lib.sh"
#
# Gives everything of t/lib.sh, and:
#
#   twice NAME CMD...   runs CMD twice, in fresh folders $T/native/NAME and
#                       $T/ward/NAME (its working directory, also in $HERE): natively,
#                       then under `ward run -P development -r $T`; each run's
#                       stdout and stderr go to $T/NAME.native and $T/NAME.ward,
#                       with the run's folder written as @HERE, its TMPDIR as @TMP
#                       and $T as @T; ward's own stderr lines (ward: ...) to
#                       $T/NAME.wardmsg. $T/NAME.status holds both exit statuses.
#   same NAME DESC      a test point: the two outputs and statuses are the same
#   no_denial NAME      a test point: the audit log of the ward run holds no denial
#
# The native run gets TMPDIR=$T/tmp-native/NAME; `ward run` makes its own private one.
# With TWICE_TOGETHER set, the two runs run at the same time (for long suites).
. "$top_srcdir/t/lib.sh"

HOME=$T/home
mkdir -p "$HOME"
export HOME
unset XDG_STATE_HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_DATA_HOME
LC_ALL=C
TZ=UTC
export LC_ALL TZ

twice() {
	_n=$1
	shift
	mkdir -p "$T/native/$_n" "$T/ward/$_n" "$T/tmp-native/$_n"
	(
		HERE=$T/native/$_n
		export HERE
		cd "$HERE" && TMPDIR=$T/tmp-native/$_n "$@"
	) > "$T/$_n.native.raw" 2>&1 &
	_p1=$!
	[ -n "${TWICE_TOGETHER:-}" ] || wait $_p1
	_s1=$?
	(
		HERE=$T/ward/$_n
		export HERE
		cd "$HERE" && "$WARD" run -P development -r "$T" -l "$LOGS/$_n.jsonl" -- \
			sh -c 'echo "@TMPDIR=$TMPDIR" >&9; exec 9>&-; exec "$@"' sh "$@" 9>"$T/$_n.tmpdir"
	) > "$T/$_n.ward.raw" 2>&1
	_s2=$?
	[ -z "${TWICE_TOGETHER:-}" ] || { wait $_p1; _s1=$?; }
	echo "$_s1 $_s2" > "$T/$_n.status"
	_wt=$(sed -n 's/^@TMPDIR=//p' "$T/$_n.tmpdir")
	_norm "$T/native/$_n" "$T/tmp-native/$_n" < "$T/$_n.native.raw" > "$T/$_n.native"
	grep '^ward: ' "$T/$_n.ward.raw" > "$T/$_n.wardmsg"
	grep -v '^ward: ' "$T/$_n.ward.raw" | _norm "$T/ward/$_n" "$_wt" > "$T/$_n.ward"
}

# _norm HERE TMP: stdin to stdout with the run's paths as names
_norm() {
	if [ -n "$2" ]; then
		sed -e "s|$1|@HERE|g" -e "s|$2|@TMP|g" -e "s|$T|@T|g"
	else
		sed -e "s|$1|@HERE|g" -e "s|$T|@T|g"
	fi
}

same() {
	read -r _s1 _s2 < "$T/$1.status"
	if [ "$_s1" = "$_s2" ] && cmp -s "$T/$1.native" "$T/$1.ward"; then
		_tap_result 0 "$2"
	else
		_tap_result 1 "$2"
		diag "exit status natively $_s1, under ward $_s2; diff native ward:"
		diag "$(diff "$T/$1.native" "$T/$1.ward" | head -40)"
		diag "$(cat "$T/$1.wardmsg")"
		return 1
	fi
}

# The README says the .pem hide pattern also hides certificates kept as .pem under
# /etc/ssl: a program (or a .pth file of its python) looking at one is no failure here.
# Attempts on hidden names where nothing exists ("absent":true: a runtime looking for
# package.json up through the closed /tmp) are logged, and refuse nothing.
no_denial() {
	_den=$(grep '"decision":"deny"' "$LOGS/$1.jsonl" | grep -v '"path":"/etc/ssl/[^"]*\.pem"' |
		grep -v '"absent":true')
	is "" "$_den" "$1: ward denied nothing"
}
