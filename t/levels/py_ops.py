"""py_ops.py: runs file operations the way Python programs do, one per input line.

Each line of stdin is "OP ARG..."; for each, one line is printed: "ok", "ok:DATA"
for operations that return data, or the errno name (ENOENT, EACCES...) of the
OSError raised. Used by t/110-levels-python.t under libward.so.
"""
import errno
import glob
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile

START = os.getcwd()


def names(it):
    return "ok:" + ",".join(sorted(it))


def op_open(path, flags):
    fd = os.open(path, flags, 0o644)
    os.close(fd)


def run_exec(path):
    r = subprocess.run([path], stdin=subprocess.DEVNULL)
    return "ok" if r.returncode == 0 else "status %d" % r.returncode


def run_spawn(path):
    pid = os.posix_spawn(path, [path], os.environ)
    os.waitpid(pid, 0)


def chdir(path):
    try:
        os.chdir(path)
        return "ok:" + os.getcwd()
    finally:
        os.chdir(START)


def unix(kind, path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        if kind == "connect":
            s.connect(path)
        else:
            s.bind(path)
    finally:
        s.close()


def connect_live(path):
    """bind and listen on PATH, then connect to it: a live socket."""
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        srv.bind(path)
        srv.listen(1)
        unix("connect", path)
    finally:
        srv.close()


def getxattr(path):
    try:
        os.getxattr(path, "user.ward")
    except OSError as e:
        if e.errno != errno.ENODATA:
            raise


def mkstemp(folder):
    fd, name = tempfile.mkstemp(dir=folder, prefix="mkstemp")
    os.close(fd)
    return "ok"


def tmpfile(folder):
    with tempfile.TemporaryFile(dir=folder) as f:
        f.write(b"x")


def write(path, mode, text="data2"):
    with open(path, mode) as f:
        if "w" in mode or "a" in mode or "x" in mode or "+" in mode:
            f.write(text)


OPS = {
    # see: stat, lstat, access(F_OK), readlink
    "stat": lambda p: os.stat(p),
    "lstat": lambda p: os.lstat(p),
    "exists": lambda p: "ok" if os.path.exists(p) else "ENOENT",
    "isdir": lambda p: "ok" if os.path.isdir(p) else "no",
    "access": lambda p, m: "ok" if os.access(p, {"F": os.F_OK, "R": os.R_OK, "W": os.W_OK, "X": os.X_OK}[m]) else "no",
    "readlink": lambda p: "ok:" + os.readlink(p),
    "realpath": lambda p: "ok:" + os.path.realpath(p, strict=True),
    "getxattr": getxattr,
    "listxattr": lambda p: os.listxattr(p),
    "chdir": chdir,
    "path-stat": lambda p: pathlib.Path(p).stat(),
    # list a folder
    "os-open-dir": lambda p: op_open(p, os.O_RDONLY | os.O_DIRECTORY),
    "listdir": lambda p: names(os.listdir(p)),
    "scandir": lambda p: names(e.name for e in os.scandir(p)),
    "iterdir": lambda p: names(x.name for x in pathlib.Path(p).iterdir()),
    "glob": lambda p: names(glob.glob(p)),
    "walk": lambda p: names(n for _, ds, fs in os.walk(p) for n in ds + fs),
    # read, exec
    "read": lambda p: "ok:" + open(p).read().strip(),
    "read-bytes": lambda p: "ok:" + pathlib.Path(p).read_bytes().decode().strip(),
    "os-open-r": lambda p: op_open(p, os.O_RDONLY),
    "copy-from": lambda s: shutil.copyfile(s, "/dev/null") and None,
    "exec": run_exec,
    "spawn": run_spawn,
    # write, create, truncate
    "os-open-w": lambda p: op_open(p, os.O_WRONLY),
    "os-open-rw": lambda p: op_open(p, os.O_RDWR),
    "os-open-trunc": lambda p: op_open(p, os.O_WRONLY | os.O_TRUNC),
    "os-open-creat": lambda p: op_open(p, os.O_WRONLY | os.O_CREAT),
    "os-open-excl": lambda p: op_open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL),
    "open-w": lambda p: write(p, "w"),
    "open-a": lambda p: write(p, "a"),
    "open-rplus": lambda p: write(p, "r+"),
    "open-x": lambda p: write(p, "x"),
    "write-text": lambda p: pathlib.Path(p).write_text("data2"),
    "touch": lambda p: pathlib.Path(p).touch(),
    "truncate": lambda p: os.truncate(p, 0),
    "mkstemp": mkstemp,
    "tmpfile": tmpfile,
    "copy-to": lambda s, d: shutil.copyfile(s, d) and None,
    # names and attributes
    "unlink": lambda p: os.unlink(p),
    "remove": lambda p: os.remove(p),
    "path-unlink": lambda p: pathlib.Path(p).unlink(),
    "rmdir": lambda p: os.rmdir(p),
    "rmtree": lambda p: shutil.rmtree(p),
    "mkdir": lambda p: os.mkdir(p),
    "rename": lambda a, b: os.rename(a, b),
    "replace": lambda a, b: os.replace(a, b),
    "link": lambda a, b: os.link(a, b),
    "symlink": lambda t, p: os.symlink(t, p),
    "mkfifo": lambda p: os.mkfifo(p),
    "mknod": lambda p: os.mknod(p),
    "chmod": lambda p: os.chmod(p, 0o640),
    "chown": lambda p: os.chown(p, os.getuid(), os.getgid()),
    "lchown": lambda p: os.chown(p, os.getuid(), os.getgid(), follow_symlinks=False),
    "utime": lambda p: os.utime(p),
    "setxattr": lambda p: os.setxattr(p, "user.ward", b"1"),
    "removexattr": lambda p: os.removexattr(p, "user.ward"),
    # Unix sockets
    "connect": lambda p: unix("connect", p),
    "bind": lambda p: unix("bind", p),
    "connect-live": connect_live,
}


def main():
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        try:
            r = OPS[words[0]](*words[1:])
            out = r if isinstance(r, str) else "ok"
        except OSError as e:
            out = errno.errorcode.get(e.errno, "E%s" % e.errno)
        except Exception as e:  # a bug of the test: say so, and go on
            out = "error: %r" % e
        print(out, flush=True)


main()
