"""fdscan.py DEV INO LOG: run under ward run. Fails when the program holds a
descriptor of the file DEV:INO (the audit log), found by the names in /proc/self/fd
and by fstat of every descriptor number up to the soft limit, or when the log LOG
is visible: stat, open and its folder's listing must not show it."""
import os
import resource
import sys

dev, ino, log = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
bad = []
for f in os.listdir('/proc/self/fd'):
    try:
        t = os.readlink('/proc/self/fd/' + f)
    except OSError:
        continue
    if t == log or t.startswith(log + ' '):
        bad.append('/proc/self/fd/%s -> %s' % (f, t))
lim = min(resource.getrlimit(resource.RLIMIT_NOFILE)[0], 1 << 16)
for fd in range(lim):
    try:
        st = os.fstat(fd)
    except OSError:
        continue
    if (st.st_dev, st.st_ino) == (dev, ino):
        bad.append('descriptor %d is the log' % fd)
try:
    os.stat(log)
    bad.append('stat of the log succeeded')
except FileNotFoundError:
    pass
try:
    open(log, 'rb').close()
    bad.append('open of the log succeeded')
except FileNotFoundError:
    pass
try:
    open(log, 'ab').close()
    bad.append('open of the log for appending succeeded')
except FileNotFoundError:
    pass
try:
    if os.path.basename(log) in os.listdir(os.path.dirname(log)):
        bad.append('the log is listed in its folder')
except FileNotFoundError:
    pass  # the folder itself cannot be seen (a folder of /tmp outside ROOT)
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
