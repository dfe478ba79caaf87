#!/usr/bin/env python3
"""Writes names.txt beside this script: the words that English spells only with a capital
(places, organisations, brands), lowercased, one per line, sorted, less common first names.

    apt-get download wamerican && dpkg-deb -x wamerican_*.deb wamerican
    pip download names==0.3.0 --no-deps && tar xzf names-0.3.0.tar.gz
    python3 src/text/names/derive.py wamerican/usr/share/dict/american-english names-0.3.0/names

The word list is SCOWL's, as Debian's wamerican package ships it; the first names are the 1990
US Census's, as the PyPI package `names` ships them (see README.md here).
"""

import os
import sys

# Dates say when, not what: a month or a weekday in a question is not a thing the FAQ lacks.
CALENDAR = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}


# A first name at least this common (percent of the census's men or women) is a person in a
# caregiver's story ("my wife Sarah"), not a thing the question asks about. Rarer ones are kept:
# "Houston" and "Florida" are first names too, but seldom.
FIRST_NAME_MIN_PERCENT = 0.02


def first_names(census_dir: str) -> set:
    """The common first names of the census files `dist.male.first` and `dist.female.first`
    (lines `NAME percent cumulative rank`)."""
    found = set()
    for sex in ("male", "female"):
        with open(os.path.join(census_dir, f"dist.{sex}.first"), encoding="ascii") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2 and float(parts[1]) >= FIRST_NAME_MIN_PERCENT:
                    found.add(parts[0].lower())
    return found


def main() -> None:
    source = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/dict/american-english"
    people = first_names(sys.argv[2]) if len(sys.argv) > 2 else set()
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
        and w.lower() not in people
    }
    out_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "names.txt")
    # Sorted by code point (UTF-8 byte order): the Rust side binary-searches the text as is.
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        f.writelines(f"{w}\n" for w in sorted(names))
    print(f"{len(names)} names -> {out_path} ({os.path.getsize(out_path)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
