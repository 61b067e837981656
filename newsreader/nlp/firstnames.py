"""A weak prior on a person's gender from their first name.

The data are the US Census Bureau's 1990 first-name frequency lists (public domain),
as shipped by the ``names`` package (MIT): 1,219 male and 4,275 female names, each
with its share of the population of that sex. A name counts only when it is
unambiguous, at least 95 % of its bearers being of one sex ("James", "Michelle");
"Leslie", "Jordan" or "Pat" say nothing, nor do names the lists lack.
"""
from __future__ import annotations

import importlib.resources
from functools import lru_cache

UNAMBIGUOUS = 0.95


@lru_cache(maxsize=1)
def _shares() -> dict[str, list[float]]:
    """First name → [share of men, share of women] bearing it, in per cent."""
    shares: dict[str, list[float]] = {}
    for k, sex in enumerate(("male", "female")):
        text = importlib.resources.files("names").joinpath(f"dist.{sex}.first").read_text(encoding="ascii")
        for line in text.splitlines():
            parts = line.split()
            if len(parts) >= 2:
                shares.setdefault(parts[0].lower(), [0.0, 0.0])[k] = float(parts[1])
    return shares


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    out = {}
    for name, (m, f) in _shares().items():
        if m / (m + f) >= UNAMBIGUOUS:
            out[name] = "m"
        elif f / (m + f) >= UNAMBIGUOUS:
            out[name] = "f"
    return out


def gender_of_first_name(name: str) -> str | None:
    """'m' or 'f' for an unambiguous first name ("Barack Obama" → None: not in the lists;
    "Michelle Obama" → 'f'), else None. Initials and one-word names say nothing."""
    words = name.split()
    if len(words) < 2 or len(words[0].rstrip(".")) < 2 or words[0].endswith("."):
        return None
    return _table().get(words[0].lower())


GIVEN_OVER_SURNAME = 10  # a lone word is taken for a first name when it is this much commoner as one


@lru_cache(maxsize=1)
def _surname_shares() -> dict[str, float]:
    """Surname → share of the population bearing it, in per cent (the same lists)."""
    text = importlib.resources.files("names").joinpath("dist.all.last").read_text(encoding="ascii")
    return {p[0].lower(): float(p[1]) for p in (line.split() for line in text.splitlines()) if len(p) >= 2}


def gender_of_given_name(word: str) -> str | None:
    """'m' or 'f' for one word that is an unambiguous first name and far commoner as a
    first name than as a surname, for a person the article names by it alone ("Kevin
    was snoring"); "Clinton", "Warren" or "Scott" alone are surnames and say nothing."""
    low = word.lower()
    gender = _table().get(low) if len(word) > 1 and word.isalpha() else None
    if gender is None:
        return None
    first = max(_shares()[low]) / 2  # a share of one sex: about half of everyone
    return gender if first >= GIVEN_OVER_SURNAME * max(_surname_shares().get(low, 0.0), 1e-4) else None


def is_first_name(word: str) -> bool:
    """A first name of either sex in the lists ("Jessica", "Leslie")."""
    return word.lower() in _shares()
