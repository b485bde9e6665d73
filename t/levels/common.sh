# t/levels/common.sh: the tree, policy and checks shared by the t/1*-levels-*.t tests.
#
# Sourced after t/lib.sh. In $T it builds four folders, one per level, each holding
# the same objects, and a policy p.conf that gives each folder its level:
#
#   LEVEL/f          a file ("data")            LEVEL/x   an executable (a copy of true)
#   LEVEL/d/{a,b}    a folder with two files    LEVEL/l   a symlink to f
#   LEVEL/s          a Unix socket (no listener)
#   mix/{n,v,r,w}    files of each level, and folders mix/{dn,dv,dr,dw}
#   none/vis/a       a view-level folder beneath the none folder
#
# lv_want NEED LEVEL [OK] prints what an operation that needs NEED (view, read or
# write) must answer at LEVEL: ENOENT at none, EACCES below the need, else OK ("ok").
# lv_snap prints the state of the whole tree (type, mode, owner, size, inode, links,
# mtime and ctime to the nanosecond, link target), to prove that a denied operation
# changed nothing. Every file's mtime is set in 2001, so a write to a file shows.

LEVELS="none view read write"

lv_policy() {
	policy "$T/p.conf" <<'P'
root = ".";
rules = (
  { path = "/**";       level = "read"; },
  { path = "/dev/null"; level = "write"; },
  { path = "write";     level = "write"; },
  { path = "read";      level = "read"; },
  { path = "view";      level = "view"; },
  { path = "none";      level = "none"; },
  { path = "none/vis";  level = "view"; },
  { path = "mix/n";     level = "none"; },
  { path = "mix/dn";    level = "none"; },
  { path = "mix/v";     level = "view"; },
  { path = "mix/dv";    level = "view"; },
  { path = "mix/w";     level = "write"; },
  { path = "mix/dw";    level = "write"; }
);
P
}

# lv_setup: the tree and the policy, made natively (outside ward).
lv_setup() {
	lv_policy
	for _l in $LEVELS; do
		mkdir -p "$T/$_l/d"
		echo data > "$T/$_l/f"
		echo a > "$T/$_l/d/a"
		echo b > "$T/$_l/d/b"
		cp /bin/true "$T/$_l/x"
		chmod 755 "$T/$_l/x"
		ln -s f "$T/$_l/l"
		"$CALL" bind ok "$_l/s" >/dev/null || bail "cannot make a socket in $_l"
	done
	mkdir -p "$T/mix/dn" "$T/mix/dv" "$T/mix/dr" "$T/mix/dw" "$T/none/vis"
	for _n in n v r w; do echo "$_n" > "$T/mix/$_n"; done
	echo a > "$T/none/vis/a"
	lv_age
}

# lv_files NAME...: a file NAME ("data") in every level folder.
lv_files() {
	for _l in $LEVELS; do
		for _n in "$@"; do echo data > "$T/$_l/$_n"; done
	done
	lv_age
}

# lv_dirs NAME...: an empty folder NAME in every level folder.
lv_dirs() {
	for _l in $LEVELS; do
		for _n in "$@"; do mkdir -p "$T/$_l/$_n"; done
	done
	lv_age
}

# Old mtimes, and a pause so that any later change gets a later ctime (ext4 keeps
# ctime at the clock tick).
lv_age() {
	find "$T/none" "$T/view" "$T/read" "$T/write" "$T/mix" -exec touch -h -d '2001-02-03 04:05:06' {} +
	sleep 0.03
}

lv_want() {
	case $2:$1 in
	none:*) echo ENOENT ;;
	view:view | read:view | read:read | write:*) echo "${3:-ok}" ;;
	*) echo EACCES ;;
	esac
}

lv_snap() {
	(
		cd "$T" || exit 1
		find none view read write mix -printf '%p|%y|%m|%U:%G|%s|%i|%n|%T@|%C@|%l\n' | LC_ALL=C sort
	)
}

# lv_same DESC BEFORE AFTER: two snapshots are the same, else show the difference.
lv_same() {
	if [ "$2" = "$3" ]; then
		_tap_result 0 "$1"
	else
		_tap_result 1 "$1"
		printf '%s\n' "$2" > "$T/.snap-a"
		printf '%s\n' "$3" > "$T/.snap-b"
		diag "$(diff "$T/.snap-a" "$T/.snap-b")"
		rm -f "$T/.snap-a" "$T/.snap-b"
		return 1
	fi
}

# lv_objs SNAP OBJ...: the lines of SNAP about these objects (not what is beneath).
lv_objs() {
	_s=$1
	shift
	for _o in "$@"; do
		printf '%s\n' "$_s" | awk -F'|' -v o="$_o" '$1 == o'
	done
}

# lv_mode PATH / lv_ctime PATH / lv_mtime PATH / lv_size PATH: native stat.
lv_mode() { stat -c %a "$1"; }
lv_ctime() { stat -c %z "$1"; }
lv_mtime() { stat -c %Y "$1"; }
lv_size() { stat -c %s "$1"; }

# The interpreters the tests use: python3 and node as make found them, and python
# past a pyenv-style shim (a shell script that would run under ward too).
lv_python() {
	[ -n "${PYTHON3:-}" ] || skip_all "no python3 (PYTHON3 is empty)"
	command -v "$PYTHON3" >/dev/null 2>&1 || skip_all "$PYTHON3 is not installed"
	PY=$("$PYTHON3" -c 'import sys; print(sys.executable)') || skip_all "$PYTHON3 does not run"
	[ -x "$PY" ] || skip_all "no python3 executable"
}
lv_node() {
	[ -n "${NODE:-}" ] || skip_all "no node (NODE is empty)"
	command -v "$NODE" >/dev/null 2>&1 || skip_all "$NODE is not installed"
}

# --- batches: one program run per level, for the interpreters -----------------------
#
# b CLASS OK OP ARG...        queue "OP ARG..." for level $L; its answer must be
#                             lv_want CLASS $L OK
# bd CLASS OK DENIED OP ARG...  the same, but a refusal answers DENIED (for calls
#                             that return a boolean, like os.access)
# lv_batches NAME CMD...      runs CMD under p.conf once per level, the ops on its
#                             stdin, one answer a line on its stdout, and checks the
#                             answers; then that each refused operation of class write
#                             (at none, view, read) left its objects (arguments with a
#                             "/") as they were, and that the whole tree is unchanged
#                             after the none, view and read runs. The write run comes
#                             last; the caller then checks its effects.
#   CLASS "fixed": the answer is OK at every level.
US=$(printf '\037')
LV=$T/.lv

b() {
	_class=$1
	_okv=$2
	shift 2
	bd "$_class" "$_okv" "" "$@"
}

bd() {
	[ -d "$LV" ] || mkdir "$LV"
	_class=$1
	if [ "$_class" = fixed ]; then
		_want=$2
	else
		_want=$(lv_want "$1" "$L" "$2")
		[ -z "$3" ] || [ "$_want" = "$2" ] || _want=$3
	fi
	shift 3
	_objs=-
	if [ "$_class" = write ] && [ "$L" != write ]; then
		_objs=
		for _a in "$@"; do
			case $_a in */* | none | view | read | write) _objs="$_objs $_a" ;; esac
		done
		_objs=${_objs# }
		[ -n "$_objs" ] || _objs=-
	fi
	printf '%s\n' "$*" >> "$LV/ops-$L"
	printf '%s\t%s\t%s\n' "$_want" "$*" "$_objs" >> "$LV/meta-$L"
}

_lv_check() {
	# _lv_check NAME LEVEL STATUS [S0 S1]: one awk pass finds, for each operation
	# with objects, whether they changed between the snapshots S0 and S1.
	ok "$1 $2: the program ran to the end" test "$3" = 0
	if [ $# -ge 5 ]; then
		printf '%s\n' "$4" > "$LV/s0"
		printf '%s\n' "$5" > "$LV/s1"
	else
		: > "$LV/s0"
		: > "$LV/s1"
	fi
	awk -F'|' -v US="$US" '
		FILENAME == ARGV[1] { s0[$1] = $0; next }
		FILENAME == ARGV[2] { s1[$1] = $0; next }
		FILENAME == ARGV[3] { got[FNR] = $0; next }
		{
			split($0, m, "\t")
			r = "-"
			if (m[3] != "-") {
				d = ""
				n = split(m[3], o, " ")
				for (i = 1; i <= n; i++)
					if (s0[o[i]] != s1[o[i]])
						d = d o[i] " before: [" s0[o[i]] "] after: [" s1[o[i]] "] "
				r = d == "" ? "same" : d
			}
			print m[1] US m[2] US r US got[FNR]
		}' "$LV/s0" "$LV/s1" "$LV/got-$2" "$LV/meta-$2" > "$LV/cmp-$2"
	while IFS=$US read -r _w _d _r _g; do
		is "$_w" "$_g" "$1 $2: $_d is $_w"
		[ "$_r" = - ] || is same "$_r" "$1 $2: $_d left no trace"
	done < "$LV/cmp-$2"
}

lv_batches() {
	_name=$1
	shift
	_s0=$(lv_snap)
	for _l in none view read; do
		under "$T/p.conf" "$@" < "$LV/ops-$_l" > "$LV/got-$_l" 2> "$LV/err-$_l"
		eval "_st_$_l=\$?"
	done
	_s1=$(lv_snap)
	for _l in none view read; do
		eval "_lv_check \"\$_name\" $_l \"\$_st_$_l\" \"\$_s0\" \"\$_s1\""
		[ ! -s "$LV/err-$_l" ] || diag "$(head -20 "$LV/err-$_l")"
	done
	lv_same "$_name: refused operations at none, view and read left the tree as it was" "$_s0" "$_s1"
	under "$T/p.conf" "$@" < "$LV/ops-write" > "$LV/got-write" 2> "$LV/err-write"
	_lv_check "$_name" write $?
	[ ! -s "$LV/err-write" ] || diag "$(head -20 "$LV/err-write")"
}
