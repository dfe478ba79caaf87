#!/usr/bin/env python3
"""Writes names.txt beside this script: the words that English spells only with a capital
(places, people, organisations, brands), lowercased, one per line, sorted.

    apt-get download wamerican && dpkg-deb -x wamerican_*.deb wamerican
    python3 src/text/names/derive.py wamerican/usr/share/dict/american-english

The word list is SCOWL's, as Debian's wamerican package ships it (see README.md here).
"""

import os
import sys

# Dates say when, not what: a month or a weekday in a question is not a thing the FAQ lacks.
CALENDAR = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}


def main() -> None:
    source = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/dict/american-english"
    with open(source, encoding="utf-8") as f:
        words = [line.strip() for line in f if line.strip()]
    lowercase = {w for w in words if w.islower()}
    names = {
        w.lower()
        for w in words
        if w.isalpha()
        and w[0].isupper()
        and not w.isupper()
        and w.lower() not in lowercase
        and w.lower() not in CALENDAR
    }
    out_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "names.txt")
    # Sorted by code point (UTF-8 byte order): the Rust side binary-searches the text as is.
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        f.writelines(f"{w}\n" for w in sorted(names))
    print(f"{len(names)} names -> {out_path} ({os.path.getsize(out_path)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
