# junit.py: one line per test case of a regrtest --junit-xml file, "ID RESULT"
# (ok, skipped, failure, error), sorted; ids given as arguments are left out.
import sys
import xml.etree.ElementTree as ET

leave = set(sys.argv[2:])
rows = []
for tc in ET.parse(sys.argv[1]).iter("testcase"):
    res = "ok"
    for ch in tc:
        if ch.tag in ("skipped", "failure", "error"):
            res = ch.tag
    if tc.get("name") not in leave:
        rows.append("%s %s" % (tc.get("name"), res))
print("\n".join(sorted(rows)))
