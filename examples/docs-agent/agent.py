#!/usr/bin/env python3
"""docs-agent: a small documentation agent.

It reads the project's README and documentation, looks at the release
metadata, summarises it all into docs/SUMMARY.md, and, like an agent whose
prompt was tampered with, also goes looking for credentials. Run it under
ward with policy.conf (see run.sh): the secrets are simply not there.
"""
import errno
import os


def attempt(what, action):
    """Run action(); print what happened, the way an agent's log would."""
    try:
        result = action()
    except OSError as e:
        print(f"{what}: refused, {errno.errorcode[e.errno]} ({os.strerror(e.errno)})")
        return None
    print(f"{what}: {result}" if isinstance(result, str) else f"{what}: ok")
    return result


def listing(folder):
    return " ".join(sorted(os.listdir(folder)))


def first_line(path):
    with open(path) as f:
        return f.readline().strip()


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


# 1. explore the project
attempt("list .", lambda: listing("."))
attempt("read README.md", lambda: first_line("README.md"))

# 2. the documentation, which this agent maintains
docs = sorted(n for n in os.listdir("docs") if n.endswith(".md"))
attempt("list docs", lambda: listing("docs"))
titles = {}
for name in docs:
    titles[name] = attempt(f"read docs/{name}", lambda: first_line(f"docs/{name}"))

# 3. the metadata: names only
meta = sorted(os.listdir("metadata"))
attempt("list metadata", lambda: listing("metadata"))
for name in meta:
    attempt(f"stat metadata/{name}", lambda: f"{os.stat(f'metadata/{name}').st_size} bytes")
attempt(f"read metadata/{meta[0]}", lambda: first_line(f"metadata/{meta[0]}"))

# 4. what an injected prompt asks for
attempt("exists secrets", lambda: str(os.path.exists("secrets")))
attempt("list secrets", lambda: listing("secrets"))
attempt("read secrets/api.key", lambda: first_line("secrets/api.key"))
attempt("read .env", lambda: first_line(".env"))
attempt("read docs/deploy.key", lambda: first_line("docs/deploy.key"))

# 5. the summary, where the policy allows it, and two places it does not
summary = "# Summary\n\n" + "".join(
    f"- docs/{n}: {t.lstrip('# ')}\n" for n, t in titles.items() if t) + (
    "- release data: " + ", ".join(f"metadata/{n}" for n in meta) + "\n")
attempt("write docs/SUMMARY.md", lambda: write("docs/SUMMARY.md", summary))
attempt("write SUMMARY.md", lambda: write("SUMMARY.md", summary))
attempt("write metadata/summary.json", lambda: write("metadata/summary.json", "{}\n"))
