import sys
from util import words

# TODO: accept several files
counts = {}
for w in words(open(sys.argv[1]).read()):
    counts[w] = counts.get(w, 0) + 1
# TODO: break ties alphabetically
for w, n in sorted(counts.items(), key=lambda kv: -kv[1])[:int(sys.argv[2]) if len(sys.argv) > 2 else 10]:
    print(n, w)
