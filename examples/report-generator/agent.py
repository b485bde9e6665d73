#!/usr/bin/env python3
"""agent.py: a small report generator, the kind of agent ward was made for.

It reads sales figures (data/sales.csv), sums them by region, and writes its CSV
report to the transient area (transient/report-<pid>.csv by default, or --out PATH).
Under policy.conf it may write there and nowhere else, and the report is purged once
older than the area's ttl.
"""
import argparse
import csv
import os
import sys
from collections import defaultdict


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="data/sales.csv")
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    out = a.out or os.path.join("transient", "report-%d.csv" % os.getpid())

    totals = defaultdict(int)
    with open(a.data, newline="") as f:
        for row in csv.DictReader(f):
            totals[row["region"]] += int(row["amount"])

    try:
        with open(out, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["region", "total"])
            for region in sorted(totals):
                w.writerow([region, totals[region]])
    except OSError as e:
        print("agent: cannot write %s: %s" % (out, e.strerror), file=sys.stderr)
        return 1
    print("agent: wrote %s (%d regions)" % (out, len(totals)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
