#!/usr/bin/env python3
"""Writes words.txt beside this script: the most frequent English words in wordfreq,
one `word<TAB>zipf` per line, most frequent first.

    pip install wordfreq==3.1.1
    python3 src/text/english/derive.py

The data is derived from wordfreq's and stays under CC BY-SA 4.0 (see README.md here).
"""

import os
import sys
from importlib.metadata import version

import wordfreq

# How many of wordfreq's top words to read. About 40,000 survive the filter below, and the file
# stays near 550 KB; words past that point are rare (Zipf under ~2.7) and are treated as unlisted.
TOP_N = 42_000


def keep(word: str) -> bool:
    """Letters, digits and apostrophes only, with at least one letter or digit."""
    return any(c != "'" for c in word) and all(
        c.isalpha() or c in "0123456789'" for c in word
    )


def main() -> None:
    out_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "words.txt")
    seen = set()
    lines = []
    for word in wordfreq.top_n_list("en", TOP_N):
        word = word.lower()
        if word in seen or not keep(word):
            continue
        seen.add(word)
        lines.append(f"{word}\t{wordfreq.zipf_frequency(word, 'en'):.2f}\n")
    # Sorted by word (code point order, which is UTF-8 byte order): the Rust side binary-searches
    # the text as it is embedded, with nothing to build at start-up.
    lines.sort(key=lambda line: line.split("\t")[0])
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        f.writelines(lines)
    print(
        f"wordfreq {version('wordfreq')}: "
        f"{len(lines)} words -> {out_path} ({os.path.getsize(out_path)} bytes)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
