#!/bin/sh
# 602-backstop-terminal: a program cannot type into its terminal (DESIGN §5 "The
# kernel backstop"): ioctl TIOCSTI, which pushes a character into the terminal's
# input as if the user had typed it (the next command of the user's shell), fails
# with EPERM and types nothing: under `ward run` for Python's fcntl.ioctl, ctypes'
# ioctl and syscall, and a program that makes its own system call (the seccomp
# filter); by hand (LD_PRELOAD) for every libc route (the library). The terminal is a
# pty made by the test (Python's pty module), whose input queue is read back
# (FIONREAD) after the attempt.
. "$top_srcdir/t/lib.sh"
plan_lazy
need_cmd "$PYTHON3"

HOME=$T/home
export HOME
mkdir -p "$HOME"
unset XDG_STATE_HOME
RAW=$top_builddir/t/bin/rawsys
STATIC=
if ${CC:-cc} -static -O2 -o "$T/rawsys-static" "$top_srcdir/t/bin/rawsys.c" 2>/dev/null; then
	STATIC=$T/rawsys-static
fi

# sti.py [raw PROG]: in raw mode on its terminal (stdin), tries TIOCSTI by every
# route, then prints what each gave and how many bytes wait in the input queue
cat > sti.py <<'P'
import ctypes, errno, fcntl, os, struct, subprocess, sys, termios, tty
tty.setraw(0)
res = []
def attempt(f):
    try:
        f()
        res.append("ok")
    except OSError as e:
        res.append(errno.errorcode.get(e.errno, str(e.errno)))
attempt(lambda: fcntl.ioctl(0, termios.TIOCSTI, b"X"))
libc = ctypes.CDLL(None, use_errno=True)
c = ctypes.c_char(b"Y")
def via(fn):
    if fn(*args) != 0:
        raise OSError(ctypes.get_errno(), "")
args = (0, termios.TIOCSTI, ctypes.byref(c))
attempt(lambda: via(libc.ioctl))
args = (16 if os.uname().machine == "x86_64" else 29, 0, termios.TIOCSTI, ctypes.byref(c))
attempt(lambda: via(libc.syscall))
for prog in sys.argv[1:]:
    r = subprocess.run([prog, "tiocsti", "0"], capture_output=True, text=True)
    res.append(r.stdout.strip())
n = struct.unpack("i", fcntl.ioctl(0, termios.FIONREAD, b"\0\0\0\0"))[0]
res.append("pending=%d" % n)
os.write(1, (" ".join(res) + "\r\n").encode())
P
# onpty CMD...: runs CMD with a new pty as its controlling terminal, prints its output
cat > onpty.py <<'P'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b""
while True:
    try:
        d = os.read(fd, 4096)
    except OSError:
        break
    if not d:
        break
    out += d
os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
P

raws="$RAW $STATIC"
nraw=$(echo $raws | wc -w)
native=$("$PYTHON3" onpty.py "$PYTHON3" "$T/sti.py" $raws 2>&1 | grep 'pending=')
case $native in
"ok ok ok"*) ;;
*) skip_all "TIOCSTI is not allowed here even natively ($native)" ;;
esac
like "pending=[1-9]" "$native" "control: natively, TIOCSTI types into the pty ($native)"

eperm="EPERM EPERM EPERM"
for r in $raws; do eperm="$eperm EPERM"; done
out=$("$PYTHON3" onpty.py "$WARD" run -l "$T/a.jsonl" -- "$PYTHON3" "$T/sti.py" $raws 2>&1 | grep 'pending=')
is "$eperm pending=0" "$out" "under ward run: fcntl.ioctl, ctypes ioctl and syscall, and $nraw raw program(s): EPERM, nothing typed"
like '"op":"ioctl".*"decision":"deny".*"errno":"EPERM"' "$(grep '"op":"ioctl"' a.jsonl | head -n 1)" \
	"... the library's refusals are logged"
like '"tiocsti":"EPERM"' "$(grep '"event":"policy"' a.jsonl)" "... the policy event says the filter is on"

out=$("$PYTHON3" onpty.py env LD_PRELOAD="$WARD_PRELOAD" WARD_POLICY="$top_srcdir/conf/presets/agent-safe.conf" \
	"$PYTHON3" "$T/sti.py" 2>&1 | grep 'pending=')
is "EPERM EPERM EPERM pending=0" "$out" "by hand (LD_PRELOAD): fcntl.ioctl, ctypes ioctl and syscall: EPERM, nothing typed"

# TIOCLINUX (its paste subcode reads the console's selection into the input)
out=$("$PYTHON3" onpty.py "$WARD" run -l "$T/b.jsonl" -- "$PYTHON3" -c '
import ctypes, errno
libc = ctypes.CDLL(None, use_errno=True)
b = ctypes.create_string_buffer(b"\x03")
r = libc.ioctl(0, 0x541C, b)
print("ok" if r == 0 else errno.errorcode[ctypes.get_errno()])' 2>&1 | tr -d '\r' | head -n 1)
is "EPERM" "$out" "under ward run: TIOCLINUX fails with EPERM"
