#!/bin/sh
# 592-transparency-edges: corners where programs once saw something else under ward
# than natively (found by t/510, CPython's tests), now compared with the native run:
#   - lsetxattr/lremovexattr of a regular file, setxattr of trusted.* (as root)
#   - open("d/new/", O_CREAT) is EISDIR; open("d/file/") is ENOTDIR
#   - ward run leaves no descriptor of the policy memfd at a low number
. "$top_srcdir/t/presets/lib.sh"
[ -n "${PYTHON3:-}" ] && command -v "$PYTHON3" >/dev/null 2>&1 || skip_all "no python3"
PY=$("$PYTHON3" -c 'import sys; print(sys.executable)')
plan 4

cat > "$T/xa.py" <<'X'
import os
open("f", "w").close()
for what, f in [("lsetxattr", lambda: os.setxattr("f", "user.a", b"1", follow_symlinks=False)),
                ("setxattr trusted", lambda: os.setxattr("f", "trusted.b", b"1")),
                ("lremovexattr", lambda: os.removexattr("f", "user.a", follow_symlinks=False))]:
    try:
        f(); print(what, "ok")
    except OSError as e:
        print(what, e.strerror)
X
twice xattr "$PY" "$T/xa.py"
same xattr "l*xattr on a file, trusted.* xattrs: as natively"

cat > "$T/slash.py" <<'X'
import os
open("file", "w").write("data")
for p, m in [("new/", "wb"), ("file/", "rb")]:
    try:
        open(p, m).close(); print(p, m, "opened")
    except OSError as e:
        print(p, m, e.strerror)
print(sorted(os.listdir(".")))
X
twice slash "$PY" "$T/slash.py"
same slash "a trailing slash: EISDIR on create, ENOTDIR on a file, as natively"

twice fds sh -c 'ls /proc/self/fd/ | sort -n | head -4'
same fds "ward run leaves no descriptor of its own at a low number"
got=$("$WARD" run -P development -r "$T" -l "$T/fd.jsonl" -- sh -c 'ls -l /proc/self/fd/' | grep -c memfd)
is 1 "$got" "the program holds one memfd of the policy (WARD_POLICY_FD), not two"
