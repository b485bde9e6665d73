#!/bin/sh
# 421-closure-root: ROOT's exemption from the /tmp closure (DESIGN §5 "/tmp, /var/tmp,
# /dev/shm") holds only for a ROOT strictly beneath /tmp, /var/tmp or /dev/shm, and
# only for ROOT's tree: with ROOT at / (running from /) or /tmp itself, /tmp/x stays
# none and a rule naming /tmp still needs a justification. The fixed part of a
# pattern is read with its escapes: /tm\p/x names /tmp/x (so it needs a
# justification, and then works), and a ROOT under /tmp whose name holds glob
# characters needs none for its root-relative rules.
. "$top_srcdir/t/policy/lib.sh"
plan_lazy
tab=$(printf '\t')

O=$(mktemp -d /tmp/ward-closure-root.XXXXXX) || bail "mktemp in /tmp"
O=$(cd "$O" && pwd -P)
trap 'rm -rf "$O"; _t_cleanup' EXIT
echo TMP-SECRET > "$O/f"

# -- ward explain with ROOT above or at a closed folder --------------------------------
for r in / /var; do
	out=$("$WARD" explain -r "$r" /tmp/x 2>&1)
	is "none${tab}/tmp/x${tab}default" "$out" "ward explain -r $r /tmp/x: none (ROOT $r exempts nothing)"
	out=$("$WARD" explain -r "$r" "$O/f" 2>&1)
	is "none${tab}$O/f${tab}default" "$out" "ward explain -r $r: a file in /tmp is none"
done
out=$("$WARD" explain -r /tmp /tmp/x 2>&1)
is 1 $? "ward explain -r /tmp: the preset's output/ rule opens /tmp/output: invalid"
like "^ward: preset agent-safe:[0-9]+: .*justification.*ROOT /tmp is not exempt" "$out" "... and the message says why"
policy tmp-root-ok.conf <<'P'
root = "/tmp";
rules = ( { path = "/**"; level = "read"; } );
P
out=$("$WARD" explain -p tmp-root-ok.conf /tmp/x 2>&1)
is "none${tab}/tmp/x${tab}default" "$out" "root = \"/tmp\": /tmp/x is none (ROOT /tmp exempts nothing)"
out=$(cd / && "$WARD" explain /tmp/x 2>&1)
is "none${tab}/tmp/x${tab}default" "$out" "ward explain run from / (ROOT / by default): /tmp/x is none"
out=$("$WARD" explain -r "$O" "$O/f" 2>&1)
like "^read${tab}$O/f${tab}preset agent-safe:" "$out" "control: ROOT strictly beneath /tmp: its tree follows the rules"
out=$("$WARD" explain -r "$O" /tmp/x 2>&1)
is "none${tab}/tmp/x${tab}default" "$out" "... and only its tree"

# -- under the library, with root = "/" ------------------------------------------------
policy slash.conf <<P
root = "/";
rules = (
$(helpers_rule)
  { path = "/**"; level = "read"; }
);
P
ok "root = \"/\": the policy is valid" "$WARD" check slash.conf
ok "root = \"/\": control, /etc/passwd is read" under slash.conf "$CALL" read ok /etc/passwd
ok "root = \"/\": a file in /tmp is ENOENT" under slash.conf "$CALL" read ENOENT "$O/f"
ok "root = \"/\": it is not even seen" under slash.conf "$CALL" stat ENOENT "$O/f"

# -- the justification check with ROOT above /tmp ---------------------------------------
# rejected NAME ROOT RULE: that policy (RULE on line 4) is invalid at NAME:4
rejected() {
	policy "$1" <<P
root = "$2";
rules = (
$3
);
P
	_err=$("$WARD" check "$1" 2>&1)
	is 1 $? "root = \"$2\", $3: ward check exits 1"
	like "^ward: (\\./)?$1:4: .*justification" "$_err" "... with $1:4: and why"
	_err=$(LD_PRELOAD=$WARD_PRELOAD WARD_POLICY=$1 "$CALL" read ok /etc/passwd 2>&1)
	is 126 $? "... and the library refuses to run (126)"
}
rejected slash-exports.conf / '  { path = "/tmp/exports"; level = "write"; }'
rejected slash-rel.conf / '  { path = "tmp/exports"; level = "write"; }'
rejected tmp-root.conf /tmp '  { path = "exports"; level = "write"; }'
rejected escaped.conf . '  { path = "/tm\\p/x"; level = "write"; }'
rejected escaped2.conf . '  { path = "/var/t\\mp/cache/**"; level = "read"; }'

# -- an escaped character: a justified /tm\p rule names /tmp and works -------------------
mkdir "$O/x"
echo IN-X > "$O/x/f"
esc=$(printf '%s' "$O" | sed 's|^/tmp/|/tm\\\\p/|')
policy esc-just.conf <<P
rules = (
$(helpers_rule)
  { path = "$esc/x"; level = "read"; justification = "the test reads there"; }
);
P
grep -q 'tm\\\\p' esc-just.conf || bail "the escaped pattern was not written"
ok "a justified rule written /tm\\p/...: valid" "$WARD" check esc-just.conf
ok "... it opens what it names" under esc-just.conf "$CALL" read ok "$O/x/f"
ok "... and no more" under esc-just.conf "$CALL" read ENOENT "$O/f"

# -- a ROOT under /tmp whose name holds glob characters ------------------------------------
G=$(mktemp -d "$O/ws[1]*?.XXXXXX") || bail "mktemp"
mkdir "$G/out"
policy "$G/p.conf" <<P
root = ".";
rules = (
$(helpers_rule)
  { path = "**"; level = "read"; },
  { path = "out"; level = "write"; }
);
P
ok "ROOT $G (glob characters): its root-relative rules need no justification" "$WARD" check "$G/p.conf"
out=$("$WARD" explain -p "$G/p.conf" "$G/out/f" 2>&1)
is "write${tab}$G/out/f${tab}$G/p.conf:6" "$out" "... and they apply to ROOT's tree"
ok "... create in ROOT/out" under "$G/p.conf" "$CALL" create ok "$G/out/new"
ok "... the rest of /tmp stays closed" under "$G/p.conf" "$CALL" read ENOENT "$O/f"
