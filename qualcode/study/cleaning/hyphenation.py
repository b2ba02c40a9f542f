"""Words hyphenated across a line break.

A line that ends in a hyphen directly after a word is joined with the first word of the next line
(the rest of that line stays where it was). The hyphen is removed (`arbeids-` + `giver` →
`arbeidsgiver`) unless the hyphen belongs to the word, which is assumed when

- the part before it is an abbreviation in capitals (`NAV-` + `kontor` → `NAV-kontor`), contains
  a digit (`4-` + `årig`), or is a single letter (`e-` + `post`);
- the part after it starts with a digit (`covid-` + `19`);
- the part after it starts with a capital letter and the part before is capitalised or a prefix
  that keeps its hyphen (`Nord-` + `Norge`, `ikke-` + `NAV`). When the part before is an ordinary
  lower-case word and the next line starts with a capital, the hyphen is most likely a dash
  before a new sentence, so the lines are left alone;
- the part before is a prefix that is written with a hyphen (`ikke-vestlig`, `self-employed`), or
  the part after is a word that usually follows a hyphen in English (`long-term`,
  `skills-based`).

For the other words the dictionary of the transcript's language (simplemma's, the one the
suggestions use) decides: a word the dictionary knows with its hyphen (`well-known`,
`follow-up`) keeps it; a word it knows joined (`Trondheim`, `something`) is joined. Then

- a capitalised word, most likely a name, before a word of its own keeps the hyphen
  (`Oslo-` + `kontoret` → `Oslo-kontoret`); before anything else it is joined, and the join is
  listed among the things to check, since a name in a compound and a split name look alike;
- in English, two words that are each a word keep the hyphen (`user-` + `friendly`), because
  English writes such compounds with a hyphen; Norwegian writes them as one word, so Norwegian
  parts are joined (`leder-` + `møte` → `ledermøte`).

When the next line starts with a conjunction (`arbeids-` + `og velferdsetaten`), the hyphen
stands for a shared ending and the lines are left alone. A soft hyphen (U+00AD) at the end of a
line always means the word was split, so those words are joined without a hyphen.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from qualcode.study.cleaning.excerpts import tail
from qualcode.study.cleaning.lines import Line
from qualcode.study.cleaning.report import ChangeLog
from qualcode.study.cleaning.text import SENTENCE_END
from qualcode.study.speakers import SpeakerLabels

_CONJUNCTIONS = frozenset({"og", "eller", "enn", "samt", "til", "and", "or", "nor", "to"})
_HYPHEN_PREFIXES = frozenset({"ikke", "self", "anti", "pro", "post", "pre", "non"})
_HYPHEN_SECOND_PARTS = frozenset(
    {"based", "related", "level", "term", "oriented", "specific", "friendly", "wide", "led"}
)
_CAPITALS = frozenset({"Lu", "Lt"})
"""Unicode categories of capital (upper- and title-case) letters."""
_LETTERS = _CAPITALS | {"Ll"}
"""Unicode categories of cased letters."""


@dataclass(frozen=True, slots=True)
class _Join:
    keep_hyphen: bool
    reason: str
    to_check: bool = False
    """The join may be wrong (a name before the hyphen): list it among the things to check."""


def join_split_words(
    lines: list[Line], log: ChangeLog, label: SpeakerLabels, language: str = "nb"
) -> bool:
    """Join words split by a hyphen at the end of a line; True if any were joined.

    Also removes soft hyphens at the end of a line that no word is joined across. `language`
    (`nb` or `en`) chooses the dictionary that tells words from fragments.
    """
    changed = False
    i = 0
    while i < len(lines):
        current = lines[i]
        text = current.text
        soft = text.endswith("\u00ad")
        if not (soft or (text.endswith("-") and not text.endswith("--"))):
            i += 1
            continue
        head = text.rstrip("\u00ad") if soft else text[:-1]
        fragment_start = len(head)
        while fragment_start > 0 and head[fragment_start - 1].isalnum():
            fragment_start -= 1
        before = head[fragment_start:]
        following = lines[i + 1] if i + 1 < len(lines) else None
        decision: _Join | None = None
        token = ""
        if (
            before
            and following is not None
            and following.text.strip()
            and not label.match(following.text)
        ):
            token = following.text.split()[0]
            word = re.match(r"[^\W\d_]*", token)
            assert word is not None
            if soft and unicodedata.category(token[0]) in _LETTERS:
                decision = _Join(False, "")
            elif not soft:
                name = before[0].isupper() and not _starts_sentence(lines, i, fragment_start)
                decision = _join_decision(before, word.group(), token[0], language, name)
        if decision is None:
            if soft:
                current.text = head.rstrip()
                log.add(
                    "soft-hyphen",
                    current.orig,
                    tail(text),
                    tail(current.text),
                    "Removed a soft hyphen (U+00AD) at the end of the line.",
                )
                changed = True
                continue
            i += 1
            continue
        assert following is not None
        joined = (text if decision.keep_hyphen else head) + token
        indent = following.text[: len(following.text) - len(following.text.lstrip())]
        rest = following.text.lstrip()[len(token) :].lstrip()
        whole = (before + "-" if decision.keep_hyphen else before) + token
        if decision.keep_hyphen:
            kind = "line-break-compound"
            description = (
                f"Joined “{before}-” and “{token}” across a line break into “{whole}”, keeping "
                f"the hyphen because {decision.reason}."
            )
        else:
            kind = "line-break-hyphen"
            how = "at a soft hyphen" if soft else "at the end of the line"
            description = (
                f"Joined “{before}-” and “{token}” into “{whole}”: the word was split {how}."
            )
        log.add(kind, current.orig, f"{tail(text)}\n{token}", tail(joined), description)
        if decision.to_check:
            log.add(
                "hyphen-check",
                current.orig,
                whole,
                whole,
                f"“{before}” looks like a name: if “{whole}” is a name followed by a word "
                f"(as in Oslo-området), put the hyphen back ({before}-{token}).",
            )
        current.text = joined
        if rest:
            following.text = indent + rest
        else:
            del lines[i + 1]
        changed = True
        # Stay on this line: the joined word may itself end in a hyphen.
    return changed


def _starts_sentence(lines: list[Line], i: int, start: int) -> bool:
    """True when the word at `lines[i].text[start:]` is the first of a sentence."""
    before = lines[i].text[:start].rstrip(" \t\"'«“‘(–-")
    if not before and i > 0:
        before = lines[i - 1].text.rstrip()
    return not before or before[-1] in SENTENCE_END + ":"


def _join_decision(
    before: str, word: str, after_first: str, language: str, name: bool = False
) -> _Join | None:
    """Whether (and how) `before-` at a line end joins the first word of the next line.

    `before` is the word part before the hyphen, `word` the letters that start the next line,
    `after_first` the first character of the next line, and `name` says that `before` is
    capitalised inside a sentence.
    """
    category = unicodedata.category(after_first)
    if category == "Nd":
        return _Join(True, "the part after the line break starts with a digit")
    if category not in _LETTERS:
        return None
    folded = before.casefold()
    if category in _CAPITALS:
        if before[0].isupper() or any(ch.isdigit() for ch in before) or folded in _HYPHEN_PREFIXES:
            return _Join(True, "the part after the line break starts with a capital letter")
        return None  # an ordinary word, then a capital: a dash before a new sentence
    if word.casefold() in _CONJUNCTIONS and len(word) <= 5:
        return None
    if any(ch.isdigit() for ch in before):
        return _Join(True, f"“{before}” contains a digit")
    if len(before) >= 2 and before.isupper():
        return _Join(True, f"“{before}” is an abbreviation in capitals")
    if len(before) == 1:
        return _Join(True, f"“{before}-” is a single letter")
    return _dictionary_decision(before, word, language, name)


def _dictionary_decision(before: str, word: str, language: str, name: bool) -> _Join:
    """Decide with the language's dictionary and the rules for prefixes and names."""
    hyphenated = f"{before}-{word}"
    if _known(hyphenated, language):
        return _Join(True, f"“{hyphenated}” is written with a hyphen")
    if _known(before + word, language):
        return _Join(False, "")
    if before.casefold() in _HYPHEN_PREFIXES:
        return _Join(True, f"“{before}-” is a prefix written with a hyphen")
    if word.casefold() in _HYPHEN_SECOND_PARTS:
        return _Join(True, f"“-{word}” is usually written with a hyphen")
    if name:
        if word and _known(word, language):
            return _Join(
                True, f"“{before}” is capitalised, most likely a name, and “{word}” is a word"
            )
        return _Join(False, "", to_check=True)
    if language == "en" and word and _known(before, language) and _known(word, language):
        return _Join(True, f"“{before}” and “{word}” are both English words")
    return _Join(False, "")


def _known(form: str, language: str) -> bool:
    """Whether the language's dictionary knows the word (as written or in lower case)."""
    from qualcode.language.lemmas import is_known

    return is_known(form, language) or is_known(form.lower(), language)
