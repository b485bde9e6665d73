#!/bin/sh
# 592-transparency-edges: corners where programs once saw something else under ward
# than natively (found by t/510, CPython's tests), now compared with the native run:
#   - lsetxattr/lremovexattr of a regular file, setxattr of trusted.* (as root)
#   - open("d/new/", O_CREAT) is EISDIR; open("d/file/") is ENOTDIR
#   - ward run leaves no descriptor of the policy memfd at a low number
#   - calls relative to a descriptor of a folder that another process moved, or
#     this one renamed, reach the folder where it is now; the same for the working
#     directory, also when a new folder took the old name (guards against caching
#     names that go stale)
#   - a listing goes on while children started for each entry close descriptors
#     (subprocess's vfork child shares the parent's memory; a fork child does not)
#   - thousands of short threads that list and stat: the same answers in each, and
#     the caches each thread maps at its first decision are unmapped when it ends,
#     also when a thread key of the program's own decides again in its destructor
#   - a recursive mkdir (node, Python) of a hidden name ends: a single mkdir gets
#     ENOENT, the retry after its parent was found gets EACCES (node looped forever)
. "$top_srcdir/t/presets/lib.sh"
[ -n "${PYTHON3:-}" ] && command -v "$PYTHON3" >/dev/null 2>&1 || skip_all "no python3"
PY=$("$PYTHON3" -c 'import sys; print(sys.executable)')
plan 19

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
"$WARD" run -P development -r "$T" -l "$LOGS/fd.jsonl" -- sh -c 'echo $$ > "$1"; exec sleep 3' - "$T/fd.pid" &
fdbg=$!
for _i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$T/fd.pid" ] && break; sleep 0.3; done
got=$(ls -l "/proc/$(cat "$T/fd.pid")/fd/" 2>/dev/null | grep -c memfd)
wait "$fdbg"
is 1 "$got" "the program holds one memfd of the policy (WARD_POLICY_FD), not two (seen from outside)"
got=$("$WARD" run -P development -r "$T" -l "$LOGS/fd.jsonl" -- sh -c 'ls -l /proc/self/fd/' | grep -c 'memfd\|fd.jsonl')
is 0 "$got" "... which the program itself does not see in /proc/self/fd"

cat > "$T/dirfd.py" <<'X'
import os
os.mkdir("a")
open("a/f", "w").write("one")
fd = os.open("a", os.O_RDONLY)
print("stat", os.stat("f", dir_fd=fd).st_size)
pid = os.fork()  # another process moves it: this one cannot know
if pid == 0:
    os.rename("a", "b")
    os._exit(0)
os.waitpid(pid, 0)
print("moved: stat", os.stat("f", dir_fd=fd).st_size)
g = os.open("f", os.O_RDONLY, dir_fd=fd)
print("moved: read", os.read(g, 10))
os.close(g)
os.close(os.open("new", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd))
os.mkdir("sub", dir_fd=fd)
print("moved: listing", sorted(os.listdir("b")), sorted(os.listdir(fd)))
os.rename("b", "c")  # this process
print("renamed: stat", os.stat("new", dir_fd=fd).st_size, os.path.isdir("c/sub"))
for p in ("missing", "f/x"):
    try:
        os.stat(p, dir_fd=fd)
    except OSError as e:
        print(p, e.strerror)
os.close(fd)
fd2 = os.open("c/f", os.O_RDONLY)  # the number again, now of a file
try:
    os.stat("f", dir_fd=fd2)
    print("a file as a folder: found")
except OSError as e:
    print("a file as a folder:", e.strerror)
X
twice dirfd "$PY" "$T/dirfd.py"
same dirfd "calls relative to a moved folder's descriptor reach it where it is now, as natively"

cat > "$T/cwd.py" <<'X'
import os  # started in w: the library learns that name at start
open("f", "w").write("one")
print("stat", os.stat("f").st_size)
pid = os.fork()  # another process moves the working directory
if pid == 0:
    os.rename("../w", "../v")
    os._exit(0)
os.waitpid(pid, 0)
print("moved: stat", os.stat("f").st_size, open("f").read())
open("g", "w").write("two")
os.mkdir("sub")
print("moved: listing", sorted(os.listdir(".")), sorted(os.listdir("../v")))
os.rename("../v", "../u")  # this process
print("renamed: stat", os.stat("g").st_size, os.path.isdir("../u/sub"))
for p in ("missing", "f/x"):
    try:
        os.stat(p)
    except OSError as e:
        print(p, e.strerror)
os.chdir("sub")
open("h", "w").close()
print("chdir:", sorted(os.listdir(".")), os.path.exists("../h"))
X
twice cwd sh -c 'mkdir w && cd w && exec "$0" "$1"' "$PY" "$T/cwd.py"
same cwd "relative calls after the working directory moved reach it where it is now, as natively"

VF=$T/vfork_cwd  # a copy under ROOT: the build tree may be in the closed /tmp
cp "$top_builddir/t/bin/vfork_cwd" "$VF"
for how in exit Exit; do
	twice "vfork$how" sh -c 'mkdir -p r && echo R > r/file && exec "$0" "$1"' "$VF" "$how"
	same "vfork$how" "a vfork child that moved and left with _$how leaves the parent where it was, as natively"
done

cat > "$T/reuse.py" <<'X'
import os
os.mkdir("A")
open("A/f", "w").write("old")
d = os.open("A", os.O_RDONLY)
print("before:", os.read(os.open("f", os.O_RDONLY, dir_fd=d), 10))
pid = os.fork()  # another process moves A away and makes a new A
if pid == 0:
    os.rename("A", "C")
    os.mkdir("A")
    open("A/f", "w").write("new")
    os._exit(0)
os.waitpid(pid, 0)
print("after:", os.read(os.open("f", os.O_RDONLY, dir_fd=d), 10))
os.unlink("f", dir_fd=d)
print(sorted(os.listdir("A")), sorted(os.listdir("C")))
X
twice reuse "$PY" "$T/reuse.py"
same reuse "a descriptor's folder moved and its name reused: calls reach the moved folder, as natively"

cat > "$T/spawn.py" <<'X'
import os, subprocess
os.mkdir("L")
for i in range(40):
    open("L/f%02d" % i, "w").close()
seen = []
with os.scandir("L") as it:
    for e in it:
        subprocess.run(["true"], close_fds=True)  # vfork, close_range in the child
        if os.fork() == 0:
            os.closerange(3, 1024)
            os._exit(0)
        os.wait()
        seen.append(e.name)
print(len(seen), sorted(seen)[:3])
X
twice spawn "$PY" "$T/spawn.py"
same spawn "a listing read while each entry starts a child that closes descriptors: whole, as natively"

cat > "$T/threads.py" <<'X'
import os, threading
os.mkdir("T")
for i in range(5):
    open("T/f%d" % i, "w").write("x" * i)
def vm():
    for l in open("/proc/self/status"):
        if l.startswith("VmRSS:"):
            return int(l.split()[1])
seen = []
def work():
    seen.append((tuple(sorted(os.listdir("T"))), os.stat("T/f3").st_size))
def run(n):
    for _ in range(n):
        t = threading.Thread(target=work)
        t.start()
        t.join()
run(3000)  # malloc's arenas and the stack cache grow to their size here
a = vm()
run(3000)
b = vm()
print(len(seen), len(set(seen)), seen[0])
if os.environ.get("T592_RSS") == "1":
    print("VmRSS grew less than 8 MiB over the second 3000 threads:", b - a < 8192)
X
# A sanitizer build's allocator keeps freed memory aside (its quarantine): there the
# resident memory says nothing of the library's, and only the answers are compared.
if [ -z "${WARD_PRELOAD_PREFIX:-}" ]; then T592_RSS=1; else T592_RSS=0; fi
export T592_RSS
twice threads "$PY" "$T/threads.py"
same threads "6,000 threads that list and stat: the same answers, no memory kept per ended thread"

EP=$T/esc_probe  # a copy under ROOT, as for vfork_cwd
cp "$top_builddir/t/bin/esc_probe" "$EP"
if [ -n "${WARD_PRELOAD_PREFIX:-}" ]; then
	skip "resident memory is not measured in a sanitizer build"
	skip "resident memory is not measured in a sanitizer build"
else
	is "ok
less than 8 MiB" "$("$EP" threadkeys ok 4000 2>&1)" "natively: 4,000 threads ending with a key destructor that stats"
	is "ok
less than 8 MiB" "$(cd "$T" && "$WARD" run -P development -r "$T" -l "$LOGS/keys.jsonl" -- "$EP" threadkeys ok 4000 2>&1)" \
		"under ward: the same, no caches made again (and kept) after their destructor"
fi

# A recursive mkdir of a hidden name: node's fs.mkdirSync retries the name after making
# its parent; it must end with an error and leave nothing behind.
mkdir -p "$T/mk/w"
policy "$T/mk.conf" <<'P'
extends = "agent-safe";
rules = ( { path = "w/"; level = "write"; } );
P
if command -v node >/dev/null 2>&1; then
	got=$(cd "$T/mk" && timeout 60 "$WARD" run -p "$T/mk.conf" -l "$T/mk.jsonl" -- node -e '
for (const p of ["w/.ssh", "w/.ssh/x"]) {
  try { require("fs").mkdirSync(p, {recursive: true}); console.log(p, "made"); }
  catch (e) { console.log(p, e.code); }
}' 2>/dev/null; echo "rc=$?")
	is "w/.ssh EACCES
w/.ssh/x EACCES
rc=0" "$got" "node: a recursive mkdir of a hidden name ends with EACCES"
else
	skip "node is not installed"
fi
got=$(cd "$T/mk" && timeout 60 "$WARD" run -p "$T/mk.conf" -l "$T/mk.jsonl" -- "$PY" -c '
import os
for p in ("w/.ssh", "w/.env/x"):
    try: os.makedirs(p); print(p, "made")
    except OSError as e: print(p, e.strerror)
try: os.mkdir("w/.ssh")
except OSError as e: print("mkdir", e.strerror)
' 2>/dev/null; echo "rc=$?")
is "w/.ssh No such file or directory
w/.env/x No such file or directory
mkdir No such file or directory
rc=0" "$got" "python: makedirs ends; a single mkdir of a hidden name is ENOENT"
is "" "$(ls -A "$T/mk/w")" "nothing was made in w"
got=$(grep '"op":"mkdir"' "$T/mk.jsonl" | grep -c '"decision":"deny"')
ok "the attempts are logged as denials ($got)" test "$got" -ge 5
got=$(grep '"op":"mkdir"' "$T/mk.jsonl" | grep -c '"errno":"EACCES"')
ok "the refused retries are logged with the errno the program saw ($got)" test "$got" -ge 2
