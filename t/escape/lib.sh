# t/escape/lib.sh: what the escape tests share; sourced after t/lib.sh.
#
# Gives $PROBE (t/bin/esc_probe), $RACE (t/bin/race), and:
#
#   escape_tree            the standard tree and policy p.conf in $T (see below)
#   denied DESC ERR CMD OP ARG...
#                          under p.conf, `CMD OP ERR ARG...` (a call or esc_probe
#                          operation) must answer ERR and print nothing else: an exact
#                          output, so that no byte of a hidden file can slip through
#   allowed DESC OUT CMD OP ARG...
#                          the same for a control that must succeed and print OUT
#   snap                   a listing of $T (names, types, modes, sizes, link targets
#                          and the checksum of every file), to prove "no side effect"
#   noleak DESC TEXT       TEXT holds no "SECRET" (every hidden file's content does)
#
# The tree: everything is `read`, but
#   w/        write          w/hid/ and w/src/private/ none (hidden folders inside a
#                            writable one), w/src/ro read
#   /**/vault/*.txt hidden
#   v/        view           v/f
#   n/        none           n/secret, n/sub/f
#   ro/f, pub/f              read
#   /**/*.pem hidden         w/k.pem
# Every hidden file holds "SECRET"; nothing readable does.

PROBE=$top_builddir/t/bin/esc_probe
RACE=$top_builddir/t/bin/race
POL=p.conf

escape_tree() {
	mkdir -p pub ro w/hid v n/sub
	echo public > pub/f
	echo READONLY > ro/f
	echo view-only > v/f
	echo SECRET-n > n/secret
	echo SECRET-nsub > n/sub/f
	echo SECRET-whid > w/hid/s
	echo SECRET-pem > w/k.pem
	policy p.conf <<'P'
root = ".";
hide = ( "/**/*.pem", "/**/vault/*.txt" );
rules = (
  { path = "/**"; level = "read"; },
  { path = "w"; level = "write"; },
  { path = "v"; level = "view"; },
  { path = "n"; level = "none"; },
  { path = "w/hid"; level = "none"; },
  { path = "w/src/private"; level = "none"; },
  { path = "w/src/ro"; level = "read"; }
);
P
}

denied() {
	_dd=$1
	_de=$2
	_dc=$3
	_do=$4
	shift 4
	ok_program "$_dd" 0 "$_de" under "$POL" "$_dc" "$_do" "$_de" "$@"
}

allowed() {
	_ad=$1
	_ao=$2
	_ac=$3
	_aop=$4
	shift 4
	if [ -n "$_ao" ]; then
		_ao="ok
$_ao"
	else
		_ao=ok
	fi
	ok_program "$_ad" 0 "$_ao" under "$POL" "$_ac" "$_aop" ok "$@"
}

snap() {
	(
		cd "$T" || exit 1
		find . -name '.snap*' -prune -o -printf '%p %y %m %s %l\n'
		find . -name '.snap*' -prune -o -type f -exec md5sum {} +
	) | LC_ALL=C sort
}

noleak() {
	case $2 in
	*SECRET*)
		_tap_result 1 "$1"
		diag "hidden content was printed: $2"
		return 1
		;;
	esac
	_tap_result 0 "$1"
}
