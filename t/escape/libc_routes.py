"""libc_routes.py: routes into libc that reach files, tried as a hostile prompt would
try them from Python: through libc's own handle (ctypes), its other names, its
GLIBC_PRIVATE functions, and the functions that open files inside libc.

    python3 libc_routes.py LOGNAME [child]

Run in t/206's tree, under libward.so: n/ is none (n/secret, n/sock), r/ read
(r/file, r/.env hidden by a hide pattern), w/ write. LOGNAME is the name of the
audit log file (to find the library's descriptor of it). Prints "ok NAME" or
"not ok NAME: DETAIL" per check; with "child", the same checks run again in a child
started with an empty environment.
"""
import ctypes
import ctypes.util
import errno
import fcntl
import os
import socket
import struct
import subprocess
import sys

libc = ctypes.CDLL("libc.so.6", use_errno=True)
ENOENT, EACCES, EBADF, EPERM = errno.ENOENT, errno.EACCES, errno.EBADF, errno.EPERM
results = []


def report(name, good, detail=""):
    results.append(name)
    print(("ok " if good else "not ok ") + name + ("" if good else ": " + detail), flush=True)


def fails_with(name, want, rc, bad=-1):
    e = ctypes.get_errno()
    report(name, rc == bad and e == want, f"returned {rc}, errno {errno.errorcode.get(e, e)}, wanted {bad} and {errno.errorcode.get(want, want)}")


def call(fn, argtypes, restype, *args):
    f = getattr(libc, fn)
    f.argtypes = argtypes
    f.restype = restype
    ctypes.set_errno(0)
    return f(*args)


B = ctypes.c_char_p
I = ctypes.c_int
P = ctypes.c_void_p

# ---- libc's own handle, its other names, dlsym ----
for fn in ("open", "open64", "__open", "__open64", "__open_nocancel", "__open64_nocancel"):
    fails_with(f"ctypes {fn} n/secret", ENOENT, call(fn, [B, I], I, b"n/secret", os.O_RDONLY))
fails_with("ctypes openat n/secret", ENOENT, call("openat", [I, B, I], I, -100, b"n/secret", 0))
for fn in ("fopen", "fopen64", "_IO_fopen"):
    r = call(fn, [B, B], P, b"n/secret", b"r")
    fails_with(f"ctypes {fn} n/secret", ENOENT, r if r else -1)
buf = ctypes.create_string_buffer(256)
fails_with("ctypes __statfs n/ (existence oracle)", ENOENT, call("__statfs", [B, P], I, b"n", buf))
fails_with("ctypes __statfs n/absent", ENOENT, call("__statfs", [B, P], I, b"n/absent", buf))

dlsym = libc.dlsym
dlsym.argtypes = [P, B]
dlsym.restype = P
dlvsym = libc.dlvsym
dlvsym.argtypes = [P, B, B]
dlvsym.restype = P
OPEN = ctypes.CFUNCTYPE(I, B, I, use_errno=True)
for how, addr in (("dlsym(libc handle, open)", dlsym(libc._handle, b"open")),
                  ("dlsym(libc handle, __open_nocancel)", dlsym(libc._handle, b"__open_nocancel")),
                  ("dlvsym(libc handle, open, GLIBC_2.2.5)", dlvsym(libc._handle, b"open", b"GLIBC_2.2.5")),
                  ("dlsym(RTLD_DEFAULT, __open64)", dlsym(None, b"__open64"))):
    if not addr:
        report(how, False, "not found")
        continue
    ctypes.set_errno(0)
    fails_with(how + " then n/secret", ENOENT, OPEN(addr)(b"n/secret", 0))


def sun(path):
    b = path.encode()
    return struct.pack("H", socket.AF_UNIX) + b + b"\0" * (108 - len(b))


s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
addr = sun("n/sock")
fails_with("ctypes __connect to n/sock", ENOENT, call("__connect", [I, B, I], I, s.fileno(), addr, len(addr)))
s.close()
d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
try:
    d.sendto(b"x", "n/dg")
    report("sendto n/dg (plain python)", False, "sent")
except OSError as e:
    report("sendto n/dg (plain python)", e.errno == ENOENT, str(e))
# sendmmsg: struct mmsghdr {struct msghdr; unsigned len}, msghdr of 56 bytes
name = ctypes.create_string_buffer(sun("n/dg"), 110)
data = ctypes.create_string_buffer(b"x")
iov = struct.pack("PN", ctypes.addressof(data), 1)
iovb = ctypes.create_string_buffer(iov, len(iov))
msg = struct.pack("PIxxxxPNPNixxxx", ctypes.addressof(name), 110, ctypes.addressof(iovb), 1, 0, 0, 0)
mm = ctypes.create_string_buffer(msg + b"\0" * 8, 64)
fails_with("ctypes sendmmsg to n/dg", ENOENT, call("sendmmsg", [I, P, ctypes.c_uint, I], I, d.fileno(), mm, 1, 0))
fails_with("ctypes __sendmmsg to n/dg", ENOENT, call("__sendmmsg", [I, P, ctypes.c_uint, I], I, d.fileno(), mm, 1, 0))
fails_with("syscall(SYS_sendmmsg) to n/dg", ENOENT, call("syscall", [ctypes.c_long, I, P, ctypes.c_uint, I], ctypes.c_long, 307, d.fileno(), mm, 1, 0))
d.close()

# ---- the library's descriptors: numbers that fstat sees (reviewed harmless) and
# every other call refuses; the policy is the memfd (no link count) ----
logname = sys.argv[1]
own = []
for fd in range(3, 4096):
    try:
        st = os.fstat(fd)
    except OSError:
        continue
    try:
        fcntl.fcntl(fd, fcntl.F_GETFD)
    except OSError as e:
        if e.errno == EBADF:
            own.append((fd, "memfd:ward-policy" if st.st_nlink == 0 else logname))
report("the library's descriptors are there (log, policy)", len(own) >= 2, repr(own))
report("/proc/self/fd does not list them", all(str(fd) not in os.listdir("/proc/self/fd") for fd, _ in own), "listed")
for fd, link in own:
    what = "log" if "ward-policy" not in link else "policy"
    if "ward-policy" not in link and what == "log" and not logname.endswith(".jsonl"):
        pass
    for how, f in (("os.write", lambda: os.write(fd, b'{"event":"op","decision":"allow"}\n')),
                   ("os.pwrite", lambda: os.pwrite(fd, b"x", 0)),
                   ("os.read", lambda: os.read(fd, 10)),
                   ("os.lseek", lambda: os.lseek(fd, 0, 0)),
                   ("fcntl F_SETFL", lambda: fcntl.fcntl(fd, fcntl.F_SETFL, 0)),
                   ("os.close", lambda: os.close(fd)),
                   ("open /proc/self/fd/N", lambda: os.open(f"/proc/self/fd/{fd}", os.O_RDWR)),
                   ("open /dev/fd/N", lambda: os.open(f"/dev/fd/{fd}", os.O_WRONLY)),
                   ("open /proc/PID/fd/N", lambda: os.open(f"/proc/{os.getpid()}/fd/{fd}", os.O_WRONLY))):
        try:
            r = f()
            report(f"{how} on the {what} descriptor", False, f"returned {r}")
        except OSError as e:
            report(f"{how} on the {what} descriptor", e.errno in (EBADF, ENOENT), str(e))
    for fn, args, types in (("__write", (fd, b"{}\n", 3), [I, B, ctypes.c_size_t]),
                            ("__write_nocancel", (fd, b"{}\n", 3), [I, B, ctypes.c_size_t]),
                            ("__close_nocancel", (fd,), [I]),
                            ("__fcntl", (fd, fcntl.F_SETFL, 0), [I, I, I]),
                            ("__libc_fcntl64", (fd, fcntl.F_SETFL, 0), [I, I, I]),
                            ("shutdown", (fd, socket.SHUT_RDWR), [I, I]),
                            ("dprintf", (fd, b"{}\n"), [I, B])):
        fails_with(f"ctypes {fn} on the {what} descriptor", EBADF, call(fn, types, I, *args))
    try:
        os.fstat(fd)
        report(f"the {what} descriptor is still open", True)
    except OSError as e:
        report(f"the {what} descriptor is still open", False, str(e))
# the program asks for the library's numbers: it gets them, the library moves
for fd, link in own:
    w = os.open("w/mine", os.O_WRONLY | os.O_CREAT, 0o644)
    r = os.dup2(w, fd)
    report(f"dup2 onto the library's number {fd} gives that number", r == fd, f"gave {r}")
    os.write(fd, b"mine\n")
    os.close(w)
try:
    os.open("n/after-move", os.O_RDONLY)
    report("a hidden name after the moves", False, "opened")
except OSError as e:
    report("a hidden name after the moves", e.errno == ENOENT, str(e))
try:
    out = subprocess.run(["cat", "n/secret"], capture_output=True)
    report("a child after the moves is still confined", out.returncode != 0 and b"SECRET" not in out.stdout,
           f"status {out.returncode}, {out.stdout!r}")
except OSError as e:
    report("a child after the moves is still confined", False, str(e))

# ---- what libc opens inside ----
for pat in (b"n/*", b"r/.e*", b"r/*"):
    class WordExp(ctypes.Structure):
        _fields_ = [("wordc", ctypes.c_size_t), ("wordv", ctypes.POINTER(ctypes.c_char_p)),
                    ("offs", ctypes.c_size_t)]
    we = WordExp()
    rc = call("wordexp", [B, ctypes.POINTER(WordExp), I], I, pat, ctypes.byref(we), 1 << 2)  # WRDE_NOCMD
    words = [we.wordv[i] for i in range(we.wordc)] if rc == 0 else []
    leaked = [w for w in words if b"secret" in w or b".env" in w]
    report(f"wordexp {pat.decode()} names no hidden file", not leaked, repr(words))
    if rc == 0:
        call("wordfree", [ctypes.POINTER(WordExp)], None, ctypes.byref(we))
env = dict(os.environ)
os.environ.pop("LD_PRELOAD", None)
we = WordExp()
rc = call("wordexp", [B, ctypes.POINTER(WordExp), I], I, b"$(cat n/secret)", ctypes.byref(we), 0)
words = [we.wordv[i] for i in range(we.wordc)] if rc == 0 else []
report("wordexp $(cat n/secret) with LD_PRELOAD unset runs a confined shell", b"SECRET" not in b" ".join(words), repr(words))
os.environ.update(env)

fd = os.open("r", os.O_RDONLY | os.O_DIRECTORY)
b = ctypes.create_string_buffer(8192)
base = ctypes.c_long(0)
n = call("getdirentries64", [I, P, ctypes.c_size_t, P], ctypes.c_long, fd, b, 8192, ctypes.byref(base))
names, o = [], 0
while n > 0 and o < n:
    reclen = struct.unpack_from("H", b.raw, o + 16)[0]
    names.append(b.raw[o + 19:o + reclen].split(b"\0")[0])
    o += reclen
report("getdirentries64 of r/ does not list .env", n > 0 and b".env" not in names and b"file" in names, repr(names))
os.close(fd)

# fts: past the library's table of walks, a walk is refused, never made unfiltered
ArgV = ctypes.c_char_p * 2
argv_r = ArgV(b"r", None)
argv_dot = ArgV(b".", None)
held = []
for i in range(16):
    f = call("fts_open", [ctypes.POINTER(ctypes.c_char_p), I, P], P, argv_r, 0x0010, None)  # FTS_PHYSICAL
    if f:
        held.append(f)
f = call("fts_open", [ctypes.POINTER(ctypes.c_char_p), I, P], P, argv_dot, 0x0010, None)
names = []
if f:
    while True:
        e = call("fts_read", [P], P, f)
        if not e:
            break
        names.append(ctypes.c_char_p.from_address(e + 48).value)
    call("fts_close", [P], I, f)
report("fts_open of . with 16 walks already open lists nothing hidden",
       not any(b"secret" in (x or b"") or b".env" in (x or b"") for x in names) and (f is None or names),
       repr(names[:20]))
for h in held:
    call("fts_close", [P], I, h)

r = call("setmntent", [B, B], P, b"n/secret", b"r")
fails_with("setmntent n/secret", ENOENT, r if r else -1)
fails_with("ftok n/secret (existence oracle)", ENOENT, call("ftok", [B, I], I, b"n/secret", 1))
fails_with("ftok n/absent", ENOENT, call("ftok", [B, I], I, b"n/absent", 1))
fails_with("catopen n/secret", ENOENT, call("catopen", [B, I], ctypes.c_long, b"n/secret", 0))
t = ctypes.create_string_buffer(b"n/XXXXXX")
call("mktemp", [B], B, t)
report("mktemp n/XXXXXX tells nothing of n/ (a name, as for a missing folder)", t.value != b"n/XXXXXX" and len(t.value) == 8, repr(t.value))
r = call("tempnam", [B, B], B, b"n", b"x")
report("tempnam(n, x) does not use the hidden folder", r is None or not r.startswith(b"n/"), repr(r))

fails_with("shm_open in the closed /dev/shm", ENOENT, call("shm_open", [B, I, I], I, b"/ward-t206", os.O_CREAT | os.O_RDWR, 0o600))
fails_with("shm_unlink in the closed /dev/shm", ENOENT, call("shm_unlink", [B], I, b"/ward-t206"))
r = call("sem_open", [B, I, I, ctypes.c_uint], P, b"/ward-t206", os.O_CREAT, 0o600, 1)
fails_with("sem_open in the closed /dev/shm", ENOENT, r if r else -1)
try:
    import multiprocessing
    multiprocessing.Lock()
    report("multiprocessing.Lock() without a /dev/shm rule", False, "made a semaphore")
except OSError as e:
    report("multiprocessing.Lock() without a /dev/shm rule", True)

# NSS: the files backend reads /etc/shadow inside libc (hidden by the policy)
r = call("getspnam", [B], P, b"root")
report("getspnam(root) finds nothing (the shadow file is hidden)", not r, "found an entry")
r = call("_nss_files_getspnam_r", [B, P, P, ctypes.c_size_t, P], I, b"root", buf, buf, 256, None)
fails_with("ctypes _nss_files_getspnam_r (GLIBC_PRIVATE)", EPERM, r)
try:
    import spwd
    try:
        spwd.getspnam("root")
        report("python spwd.getspnam(root)", False, "found an entry")
    except (KeyError, FileNotFoundError):
        report("python spwd.getspnam(root)", True)
except ImportError:
    pass
out = subprocess.run(["getent", "shadow", "root"], capture_output=True)
report("getent shadow root prints nothing", out.stdout == b"" and out.returncode != 0, repr(out.stdout[:40]))

# login records: a read-level file is not written, a name in a write area is refused
ut = ctypes.create_string_buffer(384)
before = open("r/wtmp", "rb").read()
call("updwtmp", [B, P], None, b"r/wtmp", ut)
report("updwtmp(r/wtmp) changes nothing", open("r/wtmp", "rb").read() == before, "written")
fails_with("utmpname(w/utmp) is refused (libc opens it later, by name)", EACCES, call("utmpname", [B], I, b"w/utmp"))

# refused outright
for fn in ("open_tree", "fsopen", "move_mount", "mount_setattr", "pivot_root", "quotactl", "uselib"):
    fails_with(f"ctypes {fn}", EPERM, call(fn, [B, B], I, b"n", b"n"))
fails_with("ctypes rexec (reads ~/.netrc)", EPERM, call("rexec", [P, I, B, B, B, P], I, None, 512, b"u", b"p", b"c", None))
fails_with("ctypes ruserok (reads ~/.rhosts)", EPERM, call("ruserok", [B, I, B, B], I, b"h", 0, b"u", b"u"))
CLONE_NEWUSER = 0x10000000
fails_with("ctypes __clone with CLONE_NEWUSER", EPERM, call("__clone", [P, P, I, P], I, None, None, CLONE_NEWUSER, None))

# chattr on a read-level file through a read-only descriptor
fd = os.open("r/file", os.O_RDONLY)
flags = ctypes.c_int(0x10)  # FS_IMMUTABLE_FL
fails_with("ioctl FS_IOC_SETFLAGS on a read-level file", EACCES, call("ioctl", [I, ctypes.c_ulong, P], I, fd, 0x40086602, ctypes.byref(flags)))
os.close(fd)

# paths libc takes from the environment
cwd = os.getcwd()
for var, val in (("GCONV_PATH", f"{cwd}/n"), ("LOCPATH", f"{cwd}/n"), ("TZ", f":{cwd}/n/secret"),
                 ("HOSTALIASES", f"{cwd}/n/secret"), ("DATEMSK", f"{cwd}/n/secret"),
                 ("GCONV_PATH", f"{cwd}/w"), ("LC_ALL", f"{cwd}/n"), ("LANGUAGE", "de:../../n")):
    try:
        os.environ[var] = val
        report(f"os.environ[{var}] = a hidden or changeable path", False, "set")
        del os.environ[var]
    except OSError as e:
        report(f"os.environ[{var}] = a hidden or changeable path", e.errno == EACCES, str(e))
import locale
try:
    locale.setlocale(locale.LC_ALL, f"{cwd}/n")
    report("setlocale(LC_ALL, hidden folder)", False, "set")
except locale.Error:
    report("setlocale(LC_ALL, hidden folder)", True)

# the loader's variables, for a child
for envs, what in (({"LD_LIBRARY_PATH": "n"}, "a relative LD_LIBRARY_PATH into n/"),
                   ({"LD_DEBUG": "files", "LD_DEBUG_OUTPUT": "r/dbg"}, "a relative LD_DEBUG_OUTPUT in r/"),
                   ({"LD_PROFILE": "libc.so.6"}, "LD_PROFILE (its output is in the closed /var/tmp)")):
    e = dict(os.environ)
    e.update(envs)
    try:
        p = subprocess.run(["/bin/true"], env=e, capture_output=True)
        report(f"exec with {what}", p.returncode != 0, f"status {p.returncode}")
    except OSError as ex:
        report(f"exec with {what}", ex.errno in (ENOENT, EACCES), str(ex))
report("no r/dbg.* was written", not any(n.startswith("dbg") for n in os.listdir("r")), repr(os.listdir("r")))

if len(sys.argv) > 2 and sys.argv[2] == "child":
    p = subprocess.run([sys.executable, __file__, logname], env={}, capture_output=True)
    for line in p.stdout.decode(errors="replace").splitlines():
        print(line.replace("ok ", "ok (child) ", 1) if line.startswith("ok ") else
              line.replace("not ok ", "not ok (child) ", 1), flush=True)
    if p.returncode != 0 and not p.stdout:
        print(f"not ok (child) ran: status {p.returncode}: {p.stderr[-300:]!r}")
