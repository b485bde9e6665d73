#!/bin/sh
# 016-libc-surface: the interposed surface against the installed glibc (DESIGN §1).
# shim/libc-surface.py reads glibc's libraries (their symbol tables, with the
# detached debug symbols of libc6-dbg, and their machine code) and lists every
# exported function that can reach a system call ward judges: a path, a folder or
# socket descriptor, a socket address, a program to start, a library to load, a
# namespace or mount call, and the descriptors of the library itself. Each must be
# interposed (shim/symbols.def) or reviewed safe with a reason (shim/surface.safe);
# a fixed path that libc opens by itself must be reviewed too, or its callers are
# counted as reachable; another name of an interposed function must be interposed;
# and syscall() must decode every judged system call number (shim/sys.c).
. "$top_srcdir/t/lib.sh"
plan_lazy
need_cmd objdump cpp
[ -n "$PYTHON3" ] || skip_all "python3 is not installed"

SCRIPT=$top_srcdir/shim/libc-surface.py
libc=$(ldd /bin/sh | awk '$1 ~ /^libc\.so/ { print $3 }')
[ -n "$libc" ] || bail "cannot find the libc of /bin/sh"
id=$(readelf -n "$libc" 2>/dev/null | awk '/Build ID/ { print $3 }')
dbg=/usr/lib/debug/.build-id/$(printf %s "$id" | cut -c1-2)/$(printf %s "$id" | cut -c3-).debug
ok "libc's detached debug symbols are installed ($dbg; Debian's libc6-dbg): the analysis needs libc's internal functions" test -f "$dbg"

"$PYTHON3" "$SCRIPT" --interposed "$top_srcdir/shim/symbols.def" --check "$top_srcdir/shim/surface.safe" \
	> check.txt 2> check.err
rc=$?
while IFS= read -r line; do diag "$line"; done < check.txt
[ -s check.err ] && diag "$(head -20 check.err)"
is 0 "$rc" "every exported glibc function that reaches a judged call is interposed or reviewed"
reach=$(sed -n 's/^# path, socket.*: \([0-9]*\) reachable.*, \([0-9]*\) interposed, \([0-9]*\) unclassified$/\1 \2 \3/p' check.txt)
set -- $reach
ok "the counts are printed (reachable $1, interposed $2, unclassified $3)" test -n "$reach"
is 0 "${3:-x}" "0 unclassified path, socket, exec, loader and namespace calls"
fdl=$(sed -n 's/^# descriptor calls.*, \([0-9]*\) unclassified$/\1/p' check.txt)
is 0 "${fdl:-x}" "0 unclassified calls on descriptors (the library's own cannot be reached)"
is "" "$(grep -E '^(UNCLASSIFIED|UNINTERPOSED-ALIAS|CONTRADICTION)' check.txt | head -5)" "no unclassified name, no uninterposed alias, no contradiction"
like "reviewed safe" "$(cat check.txt)" "the reviewed functions are counted"

"$PYTHON3" "$SCRIPT" --sys "$top_srcdir/shim/sys.c" > sys.txt 2>&1
rc=$?
while IFS= read -r line; do diag "$line"; done < sys.txt
is 0 "$rc" "syscall() decodes every system call number ward judges (shim/sys.c)"

# The analysis is a method that can fail: it must find what it claims to find. A
# list that interposes nothing leaves open, libc, stat and connect unclassified,
# and fopen's internal open is seen by argument.
: > empty.def
"$PYTHON3" "$SCRIPT" --interposed empty.def --check "$top_srcdir/shim/surface.safe" \
	--why fopen --why getspnam > none.txt 2>&1
for n in open openat fopen stat connect execve dlopen wordexp getspnam shm_open __open_nocancel _IO_fopen; do
	ok "without interposers, $n is unclassified" grep -q "^UNCLASSIFIED $n:" none.txt
done
ok "without interposers, write on a descriptor is unclassified" grep -q "^UNCLASSIFIED write:" none.txt
ok "fopen passes its caller's path to the kernel (the analysis follows arguments)" \
	grep -q '^fopen \[path/arg\]' none.txt
ok "getspnam reaches /etc/shadow through NSS's files backend" grep -q '^getspnam \[path//etc/shadow\]' none.txt
