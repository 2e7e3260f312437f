"""Collects Markdown documents for the differential test: every `original`
of pulldown-cmark's own test suite (the CommonMark spec examples and the
crate's extension and regression cases, from the sources Debian ships),
plus sample.md. Writes them length-prefixed: "<bytes>\\n<document>"."""
import glob
import re
import sys

out, suite_dir, *extra = sys.argv[1:]
docs = []
for path in sorted(glob.glob(suite_dir + "/*.rs")):
    text = open(path, encoding="utf-8").read()
    docs += re.findall(r'let original = r##"(.*?)"##;', text, flags=re.S)
for path in extra:
    docs.append(open(path, encoding="utf-8").read())
with open(out, "wb") as f:
    for d in docs:
        b = d.encode("utf-8")
        f.write(b"%d\n" % len(b))
        f.write(b)
print(f"{len(docs)} documents", file=sys.stderr)
