#!/bin/sh
# 511-transparency-node: a Node program using fs (sync, callbacks, promises) and
# child_process (spawnSync, execSync, execFileSync, spawn, exec) gives the same
# output under `ward run -P development` as natively (t/presets/fs-ops.js), and
# leaves the same tree behind.
. "$top_srcdir/t/presets/lib.sh"
[ -n "${NODE:-}" ] && command -v "$NODE" >/dev/null 2>&1 || skip_all "no node"
NODEX=$(command -v "$NODE")
plan 5

cp "$top_srcdir/t/presets/fs-ops.js" "$T/fs-ops.js"
twice fsops "$NODEX" "$T/fs-ops.js"
is "0 0" "$(cat "$T/fsops.status")" "fs-ops.js ends with status 0, natively and under ward"
like '^final tree' "$(cat "$T/fsops.native")" "the native run got to its end"
same fsops "fs and child_process: the same output as natively"
no_denial fsops
tree() { (cd "$1" && find . -printf '%p %y %m %s %l\n' | sort); }
is "$(tree "$T/native/fsops")" "$(tree "$T/ward/fsops")" "the same tree is left behind"
