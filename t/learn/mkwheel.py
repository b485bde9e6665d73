#!/usr/bin/env python3
"""mkwheel.py NAME VERSION FOLDER: writes FOLDER/NAME-VERSION-py3-none-any.whl, a
pure-Python wheel of one module NAME whose hello() returns "NAME VERSION". Made with
zipfile alone (no setuptools, no network); it holds no .pem or .key file."""
import base64
import hashlib
import os
import sys
import zipfile

name, version, folder = sys.argv[1:4]
info = "%s-%s.dist-info" % (name, version)
files = {
    name + "/__init__.py": "def hello():\n    return %r\n" % ("%s %s" % (name, version)),
    info + "/METADATA": "Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (name, version),
    info + "/WHEEL": "Wheel-Version: 1.0\nGenerator: ward-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}
record = []
for path, text in files.items():
    digest = hashlib.sha256(text.encode()).digest()
    b64 = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    record.append("%s,sha256=%s,%d" % (path, b64, len(text.encode())))
record.append(info + "/RECORD,,")
files[info + "/RECORD"] = "\n".join(record) + "\n"
out = os.path.join(folder, "%s-%s-py3-none-any.whl" % (name, version))
with zipfile.ZipFile(out, "w") as z:
    for path, text in files.items():
        z.writestr(path, text)
print(out)
