#!/bin/sh
# 203-escape-late: files, links and moves that happen after the program started are judged like any other (patterns are matched at every call).
. "$top_srcdir/t/lib.sh"
. "$top_srcdir/t/escape/lib.sh"
plan_lazy

escape_tree
mkdir -p w/c1 w/c2 w/c3 w/c4 w/c5 w/keys
for d in c1 c2 c3 c4 c5; do echo "SECRET-$d" > "w/$d/f"; done
echo key > w/keys/f

# late DESC EXPECT ACTION OP ARG...: starts `esc_probe OP EXPECT ARG...` under the
# policy, waits until it has done its first step and says "ready", runs ACTION
# natively (not under ward), then lets the probe go on. The probe's whole output
# must be "ready" and EXPECT.
late() {
	_ld=$1
	_le=$2
	_la=$3
	_lop=$4
	shift 4
	rm -f .snap-go .snap-out
	mkfifo .snap-go
	under p.conf "$PROBE" "$_lop" "$_le" "$@" < .snap-go > .snap-out 2>&1 &
	_lp=$!
	exec 9> .snap-go
	_li=0
	while ! grep -q ready .snap-out 2>/dev/null && [ $_li -lt 200 ]; do
		sleep 0.05
		_li=$((_li + 1))
	done
	eval "$_la"
	echo go >&9
	exec 9>&-
	wait $_lp
	_ls=$?
	_lo=$(cat .snap-out)
	if [ "$_ls" = 0 ] && [ "$_lo" = "ready
$_le" ]; then
		_tap_result 0 "$_ld"
	else
		_tap_result 1 "$_ld"
		diag "  wanted status 0, output: ready $_le"
		diag "     got status $_ls, output: $_lo"
	fi
	rm -f .snap-go .snap-out
}

# ---- 10. files created after the start under a hidden pattern ----
late "a *.pem created natively after the start is hidden" ENOENT \
	'echo SECRET-late > w/new.pem' wait-cat w/new.pem
late "a vault/*.txt created natively after the start is hidden" ENOENT \
	'mkdir w/vault && echo SECRET-vault > w/vault/a.txt' wait-cat w/vault/a.txt
late "a folder renamed natively to *.pem after the start hides its files" ENOENT \
	'mv w/keys w/keys.pem && echo SECRET-keys > w/keys.pem/f' wait-cat w/keys.pem/f
late "a link to a none file made natively after the start" ENOENT \
	'ln -s ../n/secret w/late-link' wait-cat w/late-link
late "the program creating a *.pem after the start" ENOENT \
	':' wait-create w/made.pem
ok "... and it was not created" test ! -e w/made.pem
denied "the program creating a *.pem" ENOENT "$CALL" create w/x.pem
denied "the program creating a *.pem with creat()" ENOENT "$CALL" creat w/x.pem
denied "the program creating a *.pem with fopen(\"w\")" ENOENT "$CALL" fopen w/x.pem w
denied "the program creating a temporary file in a *.pem folder" ENOENT "$PROBE" mkstemp w/keys.pem/tXXXXXX
is "f" "$(ls w/keys.pem)" "... and nothing was created in it"
denied "the program creating a *.pem folder" ENOENT "$CALL" mkdir w/x.pem
denied "the program creating a *.pem by rename" ENOENT "$CALL" rename w/c5/f w/x.pem
ok "... and no *.pem was made by the program" test ! -e w/x.pem

# ---- the working directory or a descriptor's folder moves into a hidden place ----
late "the working directory moved into a none folder, then a relative read" ENOENT \
	'mv w/c1 n/c1' cwd-moved w/c1 f
late "the working directory moved into a none folder in w, then a relative read" ENOENT \
	'mv w/c2 w/hid/c2' cwd-moved w/c2 f
late "a dirfd's folder moved into a none folder, then openat" ENOENT \
	'mv w/c3 n/c3' dirfd-moved w/c3 f
late "a read descriptor's file moved to a read folder, then reopened O_RDWR" EACCES \
	'mv w/c4 ro/c4' fd-moved w/c4/f
late "a read descriptor's file moved into a none folder, then reopened O_RDWR" ENOENT \
	'mv ro/c4 n/c4' fd-moved ro/c4/f
is "SECRET-c4" "$(cat n/c4/f)" "the moved file is unchanged"
