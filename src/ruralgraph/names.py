"""Names as sources write them: full- and half-width forms, spaces, "(原…)" and "(现…)" name notes.

``clean_name`` splits "中国乡村发展基金会(原中国扶贫基金会)" and "中国扶贫基金会(现中国乡村发展基金会)"
into the current name and the former one;
``search_keys`` gives the forms a name is found by (normalised, pinyin, English).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_FORMER = re.compile(r"[（(]\s*原(?:名|称)?[:：]?\s*(?P<former>[^（）()]+?)\s*[）)]")
# "X(现Y)": X is the name as the text writes it (a former one) and Y the current name (现名, "now called").
_CURRENT = re.compile(r"[（(]\s*现(?:名|称|更名为|已更名为)?[:：]?\s*(?P<current>[^（）()]+?)\s*[）)]")
_SPACES = re.compile(r"\s+")
_HAN = re.compile("[\u4e00-\u9fff]")
_QUOTES = str.maketrans({"“": "", "”": "", '"': "", "‘": "", "’": "", "'": "", "《": "", "》": "", "「": "", "」": ""})


@lru_cache(maxsize=65536)  # a bulk load normalises each name several times, close together
def normalise(text: str) -> str:
    """The comparison form of a name: NFKC (full-width → half-width), no spaces or quotes, lower case."""
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACES.sub("", folded).lower()


def clean_name(name: str) -> tuple[str, list[str]]:
    """The current name, and the former names its notes give.

    "X(原Y)" is name X, formerly Y; "X(现Y)" is name Y, formerly X (现 = "now called").

    >>> clean_name("中国乡村发展基金会(原中国扶贫基金会)")
    ('中国乡村发展基金会', ['中国扶贫基金会'])
    >>> clean_name("中国扶贫基金会（现中国乡村发展基金会）")
    ('中国乡村发展基金会', ['中国扶贫基金会'])
    """
    if "原" not in name and "现" not in name:  # the common case, without the regular expressions
        return (" ".join(name.split()) or name), []
    formers = [match.group("former").strip() for match in _FORMER.finditer(name)]
    currents = [match.group("current").strip() for match in _CURRENT.finditer(name)]
    cleaned = _SPACES.sub(" ", _CURRENT.sub("", _FORMER.sub("", name))).strip()
    if currents and cleaned:
        return currents[-1], [cleaned, *formers]
    return (cleaned or name), formers


def merged_aliases(name: str, aliases: Iterable[str]) -> list[str]:
    """Aliases in first-seen order, without repeats or the name itself (compared in normalised form)."""
    seen = {normalise(name)}
    kept: list[str] = []
    for alias in aliases:
        key = normalise(alias)
        if alias and key not in seen:
            seen.add(key)
            kept.append(alias)
    return kept


@lru_cache(maxsize=65536)
def pinyin_key(text: str) -> str:
    """Toneless pinyin without spaces: 重庆市中国证券业协会 → chongqingshizhongguozhengquanyexiehui.

    pypinyin's dictionaries, read by greedy longest match over its phrase list (so polyphones in
    known phrases read right: 重庆 → chongqing) with its single-character readings otherwise. This
    is far faster than ``lazy_pinyin``, which matters when a bulk load indexes 10^5 names.
    """
    return "".join(pinyin_syllables(text)).lower().replace(" ", "")


def pinyin_syllables(text: str) -> list[str]:
    """The toneless reading of each character of ``text`` (a character without one stays itself).

    No phrase of pypinyin's holds an ASCII character and no ASCII character has a reading
    (tests/test_columnar.py checks both), so each run between ASCII characters is read on its
    own, and once: names that differ only in a number (基金会1, 基金会2) share their reading.

    >>> pinyin_syllables("重庆乡村")
    ['chong', 'qing', 'xiang', 'cun']
    """
    words: list[str] = []
    for run in _ASCII_OR_NOT.findall(text):
        if run[0] < "\x80":
            words.extend(run)  # each ASCII character stays itself
        else:
            words.extend(_run_syllables(run))
    return words


_ASCII_OR_NOT = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")


@lru_cache(maxsize=65536)
def _run_syllables(text: str) -> tuple[str, ...]:
    """Greedy longest match over pypinyin's phrase list, a character's own reading otherwise."""
    phrases = _pinyin_tables()[0]
    starts = _phrase_starts()
    words: list[str] = []
    position = 0
    end = len(text)
    while position < end:
        longest = min(_LONGEST_PHRASE, end - position) if text[position : position + 2] in starts else 1
        for length in range(longest, 1, -1):
            piece = text[position : position + length]
            if piece in phrases:
                words.extend(_phrase_reading(piece))
                position += length
                break
        else:
            words.append(_character_reading(text[position]))
            position += 1
    return tuple(words)


_SLUG_SEPARATORS = re.compile(r"[^a-z0-9]+")
SLUG_MAX = 60  # leaves room in an id (80 characters) for a prefix and a suffix


def slug(text: str) -> str:
    """A readable ASCII id from a name: pinyin syllables for Chinese, lower case, joined by hyphens.

    Empty when the name has nothing to read (only punctuation); cut at a word boundary after
    ``SLUG_MAX`` characters.

    >>> slug("中国乡村发展基金会")
    'zhong-guo-xiang-cun-fa-zhan-ji-jin-hui'
    >>> slug("Tencent 公益 Foundation（深圳）")
    'tencent-gong-yi-foundation-shen-zhen'
    """
    folded = unicodedata.normalize("NFKC", text)
    parts: list[str] = []
    for run in re.findall(r"[\u4e00-\u9fff]+|[^\u4e00-\u9fff]+", folded):
        parts.extend(pinyin_syllables(run) if _HAN.match(run) else [run])
    words = [w for w in _SLUG_SEPARATORS.split(" ".join(parts).lower()) if w]
    kept: list[str] = []
    for word in words:
        if len("-".join([*kept, word])) > SLUG_MAX:
            break
        kept.append(word)
    return "-".join(kept) or ("-".join(words)[:SLUG_MAX].strip("-") if words else "")


_LONGEST_PHRASE = 4


@lru_cache(maxsize=1)
def _pinyin_tables() -> tuple[dict[str, list[list[str]]], dict[int, str]]:
    from pypinyin.constants import PHRASES_DICT  # imported on first use: the dictionaries are large
    from pypinyin.pinyin_dict import pinyin_dict

    return PHRASES_DICT, pinyin_dict


@lru_cache(maxsize=1)
def _phrase_starts() -> frozenset[str]:
    """The first two characters of every phrase: where no phrase can start, a character is read alone."""
    return frozenset(phrase[:2] for phrase in _pinyin_tables()[0])


@lru_cache(maxsize=65536)
def _phrase_reading(phrase: str) -> tuple[str, ...]:
    """A known phrase's toneless pinyin (the first reading of each of its syllables)."""
    return tuple(_toneless(options[0]) for options in _pinyin_tables()[0][phrase])


@lru_cache(maxsize=65536)
def _character_reading(char: str) -> str:
    """A character's first toneless reading; a character without one (a digit, a letter) stays itself."""
    reading = _pinyin_tables()[1].get(ord(char))
    return _toneless(reading.split(",")[0]) if reading else char


@lru_cache(maxsize=4096)
def _toneless(syllable: str) -> str:
    # ü is typed as v (as pypinyin writes it): 略 → lve
    folded = unicodedata.normalize("NFD", syllable).replace("u\u0308", "v")
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def search_keys(name: str, aliases: Iterable[str], name_en: str | None = None, *, pinyin: bool = True) -> list[str]:
    """Every form an entity is found by: each name normalised, its pinyin, and its English name."""
    normalised = {normalise(n) for n in (name, *aliases)}
    keys = set(normalised)
    if pinyin:
        keys |= {pinyin_key(n) for n in normalised if _HAN.search(n)}
    if name_en:
        keys.add(normalise(name_en))
    return sorted(k for k in keys if k)
