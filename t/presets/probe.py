# probe.py: what a Python program sees of some paths (t/500-presets-secrets.t).
#
#   python3 probe.py MODE PATH [MODE PATH]...
#
# One line per pair, "PATH WHAT=ANSWER...", ANSWER being ok, present, absent or the
# errno name:
#   r PATH   open=  (read the file; a folder: list it)  stat=  lstat=
#            list=  (is the name in its folder's os.listdir, os.scandir, glob)
#   w PATH   wopen= (open an existing file to append, without creating it)
#   c PATH   creat= (create a new file, O_EXCL)
#   d PATH   mkdir=
import errno
import glob
import os
import sys


def err(e):
    return errno.errorcode.get(e.errno, str(e.errno))


def attempt(f):
    try:
        f()
        return "ok"
    except OSError as e:
        return err(e)


def read(p):
    try:
        with open(p, "rb") as f:
            f.read()
    except IsADirectoryError:
        os.listdir(p)


def listed(p):
    d, n = os.path.split(p)
    d = d or "."
    try:
        a = n in os.listdir(d)
        b = n in [e.name for e in os.scandir(d)]
    except OSError as e:
        return err(e)
    c = os.path.join(glob.escape(d), glob.escape(n)) in glob.glob(
        os.path.join(glob.escape(d), "*"), include_hidden=True) \
        if sys.version_info >= (3, 11) else a
    if a == b == c:
        return "present" if a else "absent"
    return "listdir:%s,scandir:%s,glob:%s" % (a, b, c)


def wopen(p):
    os.close(os.open(p, os.O_WRONLY | os.O_APPEND))


def creat(p):
    os.close(os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


args = sys.argv[1:]
for i in range(0, len(args), 2):
    m, p = args[i], args[i + 1]
    if m == "r":
        print(p, "open=" + attempt(lambda: read(p)), "stat=" + attempt(lambda: os.stat(p)),
              "lstat=" + attempt(lambda: os.lstat(p)), "list=" + listed(p))
    elif m == "w":
        print(p, "wopen=" + attempt(lambda: wopen(p)))
    elif m == "c":
        print(p, "creat=" + attempt(lambda: creat(p)))
    elif m == "d":
        print(p, "mkdir=" + attempt(lambda: os.mkdir(p)))
    else:
        sys.exit("probe.py: unknown mode " + m)
