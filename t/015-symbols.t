#!/bin/sh
# 015-symbols: the interposed surface as a whole (DESIGN §3, §5; shim/symbols.def).
# (a) libward.so exports exactly the names of symbols.def, no more, no fewer;
# (b) t/bin/surface calls each of them, found with dlsym and checked with dladdr to
# be libward.so's, on a hidden path (ENOENT, or absent from a listing), on a
# read-level file for the calls that write (EACCES, the file unchanged), on the
# library's own descriptor (EBADF, the descriptor kept), and on an allowed path as
# the control; (c) every name of symbols.def was tested, so that a name added there
# without a test fails here.
. "$top_srcdir/t/lib.sh"
need_cmd nm
plan_lazy

DEF=$top_srcdir/shim/symbols.def
SURFACE=$top_builddir/t/bin/surface
[ -x "$SURFACE" ] || bail "no $SURFACE"
BIN=$(cd "$top_builddir/t/bin" && pwd -P)
LIBDIR=$(cd "$(dirname "$WARD_LIB")" && pwd -P)

want=$(sed -n 's/^WARD_\(SYM\|ALIAS\|PRIV\|GUARD\)(\([A-Za-z_0-9]*\),.*$/\2/p' "$DEF" | LC_ALL=C sort)
[ -n "$want" ] || bail "no names in $DEF"
diag "symbols.def: $(printf '%s\n' "$want" | wc -l | tr -d ' ') names"
is "" "$(printf '%s\n' "$want" | uniq -d)" "symbols.def lists each name once"

# -- (a) the dynamic exports ---------------------------------------------------------------
# nm -D --defined-only: "ADDR TYPE NAME[@VERSION]"; version nodes are absolute (A).
exports=$(nm -D --defined-only "$WARD_LIB" | awk 'NF >= 3 && $2 != "A" { sub(/@.*/, "", $3); print $3 }' |
	LC_ALL=C sort -u)
printf '%s\n' "$want" > want.txt
printf '%s\n' "$exports" > exports.txt
is "" "$(LC_ALL=C comm -23 want.txt exports.txt | tr '\n' ' ')" \
	"every name of symbols.def is exported by libward.so (missing: none)"
is "" "$(LC_ALL=C comm -13 want.txt exports.txt | tr '\n' ' ')" \
	"libward.so exports no name that symbols.def lacks (extra: none)"

# -- the tree -------------------------------------------------------------------------------
#   w write, r read, v view, n none; ROOT ($T) is under the read rule too.
mkdir -p w r/dir v n/dir
echo W > w/file
echo R > r/file
echo V > v/file
echo N > n/file
ln -s file r/link
ln -s file n/link
cp /bin/true n/true
cp /bin/true v/true
# a small library to dlopen: one of glibc's stubs, next to the libc the program uses
libc=$(ldd "$SURFACE" 2>/dev/null | awk '$1 ~ /^libc\.so/ { print $3 }')
lib=
for l in libdl.so.2 libutil.so.1 libanl.so.1 librt.so.1; do
	if [ -n "$libc" ] && [ -f "$(dirname "$libc")/$l" ]; then
		lib=$(dirname "$libc")/$l
		break
	fi
done
[ -n "$lib" ] || bail "no small library to copy next to $libc"
cp "$lib" n/lib.so
cp "$lib" r/lib.so
cp "$lib" v/lib.so
"$SURFACE" setup || bail "surface setup (the sockets of the tree) failed"

policy p.conf <<P
root = ".";
rules = (
  { path = "/**"; level = "read"; },
  { path = "$BIN"; level = "read"; justification = "the test helpers of the build tree"; },
  { path = "$LIBDIR"; level = "read"; justification = "libward.so itself (dladdr, dlopen RTLD_NOLOAD)"; },
  { path = "w"; level = "write"; },
  { path = "r"; level = "read"; },
  { path = "v"; level = "view"; },
  { path = "n"; level = "none"; }
);
limits = { max_file_size = "1K"; };
P
ok "the policy is valid" "$WARD" check p.conf

# What a denied call must not change: everything in n/, r/ and v/.
snap() {
	find n r v -printf '%p %y %s %m %u %T@ %C@ %l\n' | LC_ALL=C sort
	find n r v -type f -exec md5sum {} + | LC_ALL=C sort
}
before=$(snap)

# -- (b) every name, called ------------------------------------------------------------------
# fd 3: the audit log (the library's own descriptor), a FIFO: a log file could not
# grow past max_file_size, and the library fails closed when it cannot log. 7 and 8:
# n/ and n/file, opened here, outside the library. TMPDIR points at the read-level
# folder: tmpfile must not get a file there (nor in the closed /tmp).
mkfifo log.fifo || bail "mkfifo"
cat log.fifo > audit.jsonl &
catpid=$!
out=$(TMPDIR=$T/r WARD_LOG_FD=3 && export TMPDIR WARD_LOG_FD &&
	under p.conf "$SURFACE" log.fifo 3>log.fifo 7<n 8<n/file 2>stderr.txt)
status=$?
wait "$catpid"
printf '%s\n' "$out" > surface.out

nl='
'
tested=
notok=0
while IFS= read -r line; do
	case $line in
	"ok "*)
		name=${line#ok }
		_tap_result 0 "$name"
		;;
	"not ok "*)
		rest=${line#not ok }
		name=${rest%%:*}
		_tap_result 1 "$name"
		diag "${rest#*: }"
		notok=$((notok + 1))
		;;
	"todo "*) # a known gap of the library (KNOWN_GAPS in t/bin/surface.c)
		rest=${line#todo }
		name=${rest%%:*}
		_tap_count=$((_tap_count + 1))
		echo "not ok $_tap_count - $name # TODO ${rest#*: }"
		;;
	*)
		name=
		diag "unexpected output: $line"
		;;
	esac
	[ -n "$name" ] && tested=$tested$name$nl
done < surface.out

if [ "$notok" = 0 ]; then
	is 0 "$status" "surface exits 0 when every name is ok"
else
	is 1 "$status" "surface exits 1 when a name is not ok"
fi
ok "no sanitizer report" sh -c '! grep -E "AddressSanitizer|runtime error:|LeakSanitizer" stderr.txt'
[ -s stderr.txt ] && [ "$status" != 0 ] && diag "$(head -20 stderr.txt)"

# -- (c) every name was tested ---------------------------------------------------------------
tested=$(printf '%s' "$tested" | LC_ALL=C sort)
printf '%s\n' "$tested" > tested.txt
is "" "$(LC_ALL=C comm -23 want.txt tested.txt | tr '\n' ' ')" \
	"every name of symbols.def was called by t/bin/surface (untested: none)"
is "" "$(LC_ALL=C comm -13 want.txt tested.txt | tr '\n' ' ')" \
	"t/bin/surface tests no name that symbols.def lacks"
is "" "$(printf '%s\n' "$tested" | uniq -d | tr '\n' ' ')" "each name is reported once"

# -- nothing hidden or read-only changed, and the denials were logged -------------------------
is "$before" "$(snap)" "n/, r/ and v/ are as they were: no denied call had an effect"
like '"decision":"deny"' "$(cat audit.jsonl)" "the denials are in the audit log (WARD_LOG_FD kept working)"
