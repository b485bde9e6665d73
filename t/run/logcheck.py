#!/usr/bin/env python3
"""logcheck.py: checks an audit log against DESIGN §7.

  logcheck.py validate LOG [--ops N] [--max-line 4096] [--count WANT CONDS]...
      every line is one JSON object (strict UTF-8, json module) with the fields
      of its event; with --ops, exactly N "op" events; with --count, exactly WANT
      op lines match CONDS (comma-separated KEY=VALUE or KEY~SUFFIX). Prints a
      summary.
  logcheck.py count LOG KEY=VALUE...
      prints the number of "op" lines where every KEY equals VALUE
      (KEY~VALUE: the field ends with VALUE).
  logcheck.py child LOG PARENT CHILD
      a denied op whose path ends with PARENT and a denied op whose path ends with
      CHILD (errno ENOENT) exist, from different pids, with the same session, and
      every line of the log has that session.
  logcheck.py line LOG KEY=VALUE...
      prints the first matching op line as JSON (exit 1 when none).
Exit 0 when the check holds; 1 with the reasons on stderr otherwise.
"""
import json
import re
import sys

TS = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$')
SESSION = re.compile(r'^[0-9a-f]{16}$')
ACCESS = {'read', 'write', 'create', 'delete', 'list', 'stat', 'exec', 'connect'}
DECISION = {'allow', 'deny', 'would-deny'}
LEVEL = {'none', 'view', 'read', 'write'}
ERRNO = re.compile(r'^E[A-Z0-9]+$')


def load(path, problems, max_line=4096):
    """Returns the list of (raw bytes, object) of a log."""
    out = []
    with open(path, 'rb') as f:
        data = f.read()
    if data and not data.endswith(b'\n'):
        problems.append('the log does not end with a newline')
    rows = data.split(b'\n')
    if rows and rows[-1] == b'':
        rows.pop()
    for no, raw in enumerate(rows, 1):
        if len(raw) + 1 > max_line:
            problems.append('line %d: %d bytes with its newline (> %d)' % (no, len(raw) + 1, max_line))
        try:
            text = raw.decode('utf-8', 'strict')
            obj = json.loads(text)
        except (UnicodeDecodeError, ValueError) as e:
            problems.append('line %d: not JSON (%s): %r' % (no, e, raw[:200]))
            out.append((raw, None))
            continue
        if not isinstance(obj, dict):
            problems.append('line %d: not an object' % no)
            out.append((raw, None))
            continue
        out.append((raw, obj))
    return out


def check_fields(no, o, problems):
    def bad(msg):
        problems.append('line %d: %s: %s' % (no, msg, json.dumps(o)[:300]))

    if not isinstance(o.get('ts'), str) or not TS.match(o['ts']):
        bad('ts is not RFC 3339 UTC with microseconds')
    if not isinstance(o.get('session'), str) or not SESSION.match(o['session']):
        bad('session is not 16 hex digits')
    if not isinstance(o.get('pid'), int) or isinstance(o.get('pid'), bool) or o['pid'] <= 0:
        bad('pid is not a positive integer')
    ev = o.get('event')
    if ev == 'op':
        for k in ('op', 'path', 'real'):
            if k == 'path' and 'path' not in o and str(o.get('op', '')).startswith('f'):
                continue  # fexecve, futimens...: a descriptor, no path was given
            if not isinstance(o.get(k), str) or not o[k]:
                bad('no %s' % k)
        if isinstance(o.get('real'), str) and not o['real'].startswith('/'):
            bad('real is not absolute')
        if o.get('access') not in ACCESS:
            bad('access')
        if o.get('decision') not in DECISION:
            bad('decision')
        if o.get('level') not in LEVEL:
            bad('level')
        if not isinstance(o.get('rule'), str) or not o['rule']:
            bad('rule')
        if o.get('decision') in ('deny', 'would-deny'):
            if not isinstance(o.get('errno'), str) or not ERRNO.match(o['errno']):
                bad('no symbolic errno on a denial')
        elif 'errno' in o:
            bad('errno on an allowed operation')
    elif ev == 'policy':
        for k in ('source', 'hash', 'mode'):
            if k not in o:
                bad('no %s' % k)
        if not re.match(r'^xxh3:[0-9a-f]{16}$', str(o.get('hash'))):
            bad('hash')
        if not isinstance(o.get('grants'), list):
            bad('grants')
        if 'backstop' not in o:
            bad('no backstop')
    elif ev == 'end':
        # ward run's last line of a session: the command's status, the denials
        for k in ('status', 'denied'):
            if not isinstance(o.get(k), int) or isinstance(o.get(k), bool) or o[k] < 0:
                bad('end: no %s' % k)
    elif ev in ('purge', 'unparsed', 'supervisor-lost'):
        pass
    else:
        bad('unknown event')


def matches(o, conds):
    for c in conds:
        if '~' in c and ('=' not in c or c.index('~') < c.index('=')):
            k, v = c.split('~', 1)
            if not isinstance(o.get(k), str) or not o[k].endswith(v):
                return False
        else:
            k, v = c.split('=', 1)
            got = o.get(k)
            if isinstance(got, bool):
                got = 'true' if got else 'false'
            if str(got) != v:
                return False
    return True


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, path, rest = argv[1], argv[2], argv[3:]
    problems = []
    if cmd == 'validate':
        want_ops = None
        max_line = 4096
        counts = []
        i = 0
        while i < len(rest):
            if rest[i] == '--ops':
                want_ops = int(rest[i + 1])
                i += 2
            elif rest[i] == '--count':
                counts.append((int(rest[i + 1]), rest[i + 2].split(',')))
                i += 3
            elif rest[i] == '--max-line':
                max_line = int(rest[i + 1])
                i += 2
            else:
                print('validate: unknown %s' % rest[i], file=sys.stderr)
                return 2
        lines = load(path, problems, max_line)
        nops = 0
        for no, (raw, o) in enumerate(lines, 1):
            if o is None:
                continue
            check_fields(no, o, problems)
            if o.get('event') == 'op':
                nops += 1
        if want_ops is not None and nops != want_ops:
            problems.append('%d op lines, wanted %d' % (nops, want_ops))
        for want, conds in counts:
            got = sum(1 for raw, o in lines if o and o.get('event') == 'op' and matches(o, conds))
            if got != want:
                problems.append('%d op lines match %s, wanted %d' % (got, ','.join(conds), want))
        print('%d lines, %d op lines' % (len(lines), nops))
    elif cmd in ('count', 'line'):
        lines = load(path, problems, 1 << 30)
        hits = [o for raw, o in lines if o and o.get('event') == 'op' and matches(o, rest)]
        if cmd == 'count':
            print(len(hits))
            return 0
        if not hits:
            return 1
        print(json.dumps(hits[0]))
        return 0
    elif cmd == 'child':
        parent, child = rest
        lines = load(path, problems, 1 << 30)
        objs = [o for raw, o in lines if o]
        par = [o for o in objs if o.get('event') == 'op' and o.get('decision') == 'deny'
               and str(o.get('path', '')).endswith(parent)]
        chi = [o for o in objs if o.get('event') == 'op' and o.get('decision') == 'deny'
               and str(o.get('path', '')).endswith(child)]
        if not par:
            problems.append('no denial of %s (the parent)' % parent)
        if not chi:
            problems.append('no denial of %s (the child)' % child)
        elif any(o.get('errno') != 'ENOENT' for o in chi):
            problems.append('the child was not denied with ENOENT')
        if par and chi:
            if par[0]['pid'] == chi[0]['pid']:
                problems.append('parent and child have the same pid %s' % par[0]['pid'])
            s = par[0].get('session')
            others = sorted({str(o.get('session')) for o in objs if o.get('session') != s})
            if others:
                problems.append('sessions other than the parent\'s %s: %s' % (s, ' '.join(others)))
    else:
        print('unknown command %s' % cmd, file=sys.stderr)
        return 2
    for p in problems[:20]:
        print(p, file=sys.stderr)
    if len(problems) > 20:
        print('... and %d more problems' % (len(problems) - 20), file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
