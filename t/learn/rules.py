#!/usr/bin/env python3
"""rules.py: checks of a policy written by `ward learn`, by asking `ward explain`.

    rules.py WARD POLICY ROOT HOME covered
        prints one line per rule that another rule covers (a rule of one of its
        folders, or the same path, of the same or a higher level): the rule is
        taken out, and `ward explain` of its path must then give a lower level, or
        name no rule (a folder on the way to another rule can be seen, but not
        listed beyond it: a view rule of a folder the run listed is not covered).
        Prints nothing and exits 0 when no rule is covered; exits 1 otherwise.
    rules.py WARD POLICY ROOT HOME effective
        prints one line per rule whose own path the whole policy decides at
        another level than the rule's (a later rule undoing it). Exit as above.
    rules.py WARD POLICY ROOT HOME list
        prints LEVEL<TAB>PATH for each rule (the path as an absolute path).

Rules are the lines "  { path = ...; level = ...; ... }" between "rules = (" and
");" (the form ward learn writes, one rule a line); comment lines are kept out.
"""
import os
import re
import subprocess
import sys
import tempfile

LEVELS = {"none": 0, "view": 1, "read": 2, "write": 3}
RULE = re.compile(r'^\s*\{ path = "((?:[^"\\]|\\.)*)"; level = "(\w+)";.*\}\s*,?\s*$')


def conf_unescape(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            if n == "x" and i + 3 < len(s):
                out.append(chr(int(s[i + 2:i + 4], 16)))
                i += 4
                continue
            out.append({"n": "\n", "t": "\t", "r": "\r", "f": "\f"}.get(n, "\\" + n if n not in '\\"' else n))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def glob_literal(p):
    """The path a pattern without wildcards names (its escapes taken out)."""
    out, i = [], 0
    while i < len(p):
        if p[i] == "\\" and i + 1 < len(p):
            out.append(p[i + 1])
            i += 2
            continue
        if p[i] in "*?[":
            raise ValueError("a wildcard in " + p)
        out.append(p[i])
        i += 1
    return "".join(out)


def parse(path):
    lines = open(path, encoding="utf-8", errors="surrogateescape").read().split("\n")
    start = next(i for i, l in enumerate(lines) if l.startswith("rules = ("))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith(");"))
    rules = []
    for i in range(start + 1, end):
        if lines[i].lstrip().startswith("#"):
            continue
        m = RULE.match(lines[i])
        if not m:
            sys.exit("rules.py: not a rule line: %r" % lines[i])
        rules.append((i, conf_unescape(m.group(1)), m.group(2)))
    return lines, start, end, rules


def absolute(pat, root, home):
    p = glob_literal(pat)
    if p.endswith("/") and len(p) > 1:
        p = p[:-1]
    if p == "~" or p.startswith("~/"):
        return home + p[1:] if p != "~" else home
    if p.startswith("/"):
        return p
    return root if p == "." else os.path.join(root, p)


def explain(ward, policy, root, path):
    """The level of path, and the rule that decides it ("default" when none does:
    the default, or a folder seen on the way to a rule)."""
    r = subprocess.run([ward, "explain", "-p", policy, "-r", root, path], capture_output=True)
    if r.returncode != 0:
        sys.exit("rules.py: ward explain failed: " + r.stderr.decode(errors="replace"))
    f = r.stdout.decode(errors="surrogateescape").rstrip("\n").split("\t")
    return f[0], f[-1]


def without(lines, start, end, rules, drop, out):
    kept = [lines[i].rstrip().rstrip(",") for (i, _, _) in rules if i != drop]
    body = lines[:start + 1] + [",\n".join(kept)] + lines[end:]
    with open(out, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write("\n".join(body))


def main():
    ward, policy, root, home, what = sys.argv[1:6]
    lines, start, end, rules = parse(policy)
    bad = 0
    if what == "list":
        for _, pat, lv in rules:
            print("%s\t%s" % (lv, absolute(pat, root, home)))
        return 0
    with tempfile.TemporaryDirectory() as d:
        for (i, pat, lv) in rules:
            path = absolute(pat, root, home)
            if what == "effective":
                got, _ = explain(ward, policy, root, path)
                if got != lv:
                    print("rule %r (%s): the policy gives %s" % (pat, lv, got))
                    bad += 1
                continue
            minus = os.path.join(d, "minus.conf")
            # the same folder as the policy: a relative root means the same
            without(lines, start, end, rules, i, minus)
            got, by = explain(ward, minus, root, path)
            if LEVELS[got] >= LEVELS[lv] and by != "default":
                print("rule %r (%s) is covered: without it, %s is still %s (%s)" % (pat, lv, path, got, by))
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
