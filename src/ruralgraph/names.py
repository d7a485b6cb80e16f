"""Names as sources write them: full- and half-width forms, spaces, and "(原…)" former-name notes.

``clean_name`` splits "中国乡村发展基金会(原中国扶贫基金会)" into the name and its former name;
``search_keys`` gives the forms a name is found by (normalised, pinyin, English).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_FORMER = re.compile(r"[（(]\s*原(?:名|称)?[:：]?\s*(?P<former>[^（）()]+?)\s*[）)]")
_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": "", "”": "", "\"": "", "‘": "", "’": "", "'": "", "《": "", "》": "", "「": "", "」": ""})


def normalise(text: str) -> str:
    """The comparison form of a name: NFKC (full-width → half-width), no spaces or quotes, lower case."""
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACES.sub("", folded).lower()


def clean_name(name: str) -> tuple[str, list[str]]:
    """The name without "(原…)" notes, and the former names those notes give."""
    formers = [match.group("former").strip() for match in _FORMER.finditer(name)]
    cleaned = _SPACES.sub(" ", _FORMER.sub("", name)).strip()
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


def pinyin_key(text: str) -> str:
    """Toneless pinyin without spaces: 中国证券业协会 → zhongguozhengquanyexiehui."""
    from pypinyin import lazy_pinyin  # imported on first use: its dictionaries take a moment to load

    return "".join(lazy_pinyin(text)).lower().replace(" ", "")


def search_keys(name: str, aliases: Iterable[str], name_en: str | None = None, *, pinyin: bool = True) -> list[str]:
    """Every form an entity is found by: each name normalised, its pinyin, and its English name."""
    names = [name, *aliases]
    keys = {normalise(n) for n in names}
    if pinyin:
        keys |= {pinyin_key(normalise(n)) for n in names if any("\u4e00" <= ch <= "\u9fff" for ch in n)}
    if name_en:
        keys.add(normalise(name_en))
    return sorted(k for k in keys if k)
