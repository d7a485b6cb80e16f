"""Sources → a bibliography: BibTeX (bibtexparser), CSL-JSON (plain JSON) and RIS (rispy).

Each row is a Source as the ``sources`` query returns it (id, name, url, ref, published,
publisher, grade, reprint_of). A source known only by its address has its ref or url as ``name``;
it is written without a title, with the address where the format has a place for it. The grade,
and the original a reprint copies, go in a note: no bibliography format has a field for them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

CITATION_FORMATS = ("bibtex", "csl-json", "ris")
# Every source of the graph, with the columns of the ``sources`` query (``cite --all``).
ALL_SOURCES_QUERY = (
    "MATCH (s:Source) RETURN s.id AS id, s.name AS name, s.url AS url, s.ref AS ref, s.published AS published, "
    "s.publisher AS publisher, s.grade AS grade, s.reprint_of AS reprint_of ORDER BY id"
)


@dataclass(frozen=True)
class Citation:
    """One source, as a bibliography entry needs it."""

    id: str
    title: str | None
    url: str | None
    ref: str | None
    published: str | None
    publisher: str | None
    grade: str | None
    reprint_of: str | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Citation:
        """A citation from a source's row; a name that is only its address is no title."""
        name = row.get("name")
        title = None if name in (row.get("url"), row.get("ref")) else name
        fields = ("url", "ref", "published", "publisher", "grade", "reprint_of")
        return cls(row["id"], title, *(row.get(field) for field in fields))

    @property
    def date_parts(self) -> list[int]:
        """The publication date's known parts: [2017], [2017, 12] or [2017, 12, 1]; [] when unknown."""
        return [int(part) for part in self.published.split("-")] if self.published else []

    @property
    def doi(self) -> str | None:
        """The DOI, when the ref is one (doi:10.… or 10.…)."""
        return _ref_value(self.ref, "doi:", ("10.",))

    @property
    def isbn(self) -> str | None:
        """The ISBN, when the ref is one (isbn:…)."""
        return _ref_value(self.ref, "isbn:", ())

    @property
    def other_ref(self) -> str | None:
        """A ref that is neither a DOI nor an ISBN: a file in a repository, an archive number."""
        return self.ref if self.ref and not (self.doi or self.isbn) else None

    @property
    def note(self) -> str | None:
        """What no format has a field for: the grade and the original a reprint copies."""
        parts = [f"grade: {self.grade}"] if self.grade else []
        if self.reprint_of:
            parts.append(f"reprint of {self.reprint_of}")
        return "; ".join(parts) or None


def _ref_value(ref: str | None, prefix: str, bare_starts: tuple[str, ...]) -> str | None:
    if not ref:
        return None
    if ref.lower().startswith(prefix):
        return ref[len(prefix) :].strip()
    return ref if ref.startswith(bare_starts) else None


def csl_json(citations: Iterable[Citation]) -> str:
    """CSL-JSON (the format of Zotero, Pandoc and citeproc): a JSON list of items."""
    items = []
    for cite in citations:
        item: dict[str, Any] = {
            "id": cite.id,
            "type": "article-newspaper" if cite.grade == "press" else ("webpage" if cite.url else "document"),
            "title": cite.title,
            "URL": cite.url,
            "DOI": cite.doi,
            "ISBN": cite.isbn,
            "archive_location": cite.other_ref,
            "publisher": cite.publisher,
            "issued": {"date-parts": [cite.date_parts]} if cite.published else None,
            "note": cite.note,
        }
        items.append({key: value for key, value in item.items() if value is not None})
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def bibtex(citations: Iterable[Citation]) -> str:
    """BibTeX: one @misc entry per source, keyed by its id (UTF-8, for biber/biblatex or BibTeX 8-bit)."""
    from bibtexparser.entrypoint import write_string
    from bibtexparser.library import Library
    from bibtexparser.model import Entry, Field

    library = Library()
    for cite in citations:
        values = {
            "title": cite.title,
            "url": cite.url,
            "doi": cite.doi,
            "isbn": cite.isbn,
            "howpublished": cite.other_ref,
            "publisher": cite.publisher,
            "year": str(cite.date_parts[0]) if cite.published else None,
            "date": cite.published,  # biblatex reads the partial date with its precision
            "note": cite.note,
        }
        fields = [Field(key, _braces_dropped(value)) for key, value in values.items() if value is not None]
        library.add(Entry("misc", cite.id, fields))
    return write_string(library)


def _braces_dropped(value: str) -> str:
    # A brace in a value would unbalance the entry; sources' titles and addresses almost never hold one.
    return value.replace("{", "").replace("}", "")


def ris(citations: Iterable[Citation]) -> str:
    """RIS (EndNote, Zotero, Mendeley), written by rispy."""
    import rispy

    entries = []
    for cite in citations:
        kind = "NEWS" if cite.grade == "press" else ("ELEC" if cite.url else "GEN")
        parts = [f"{part:02d}" if index else str(part) for index, part in enumerate(cite.date_parts)]
        entry: dict[str, Any] = {
            "type_of_reference": kind,
            "id": cite.id,
            "title": cite.title,
            "urls": [cite.url] if cite.url else None,
            "doi": cite.doi,
            "issn": cite.isbn,  # SN holds an ISBN or an ISSN
            "accession_number": cite.other_ref,
            "publisher": cite.publisher,
            "year": parts[0] if parts else None,
            "date": "/".join([*parts, "", "", ""][:3]) + "/" if parts else None,
            "notes": [cite.note] if cite.note else None,
        }
        entries.append({key: value for key, value in entry.items() if value is not None})
    return str(rispy.dumps(entries, implementation=_ris_writer()))


def _ris_writer() -> type:
    import rispy

    class RisWriter(rispy.RisWriter):  # type: ignore[misc]  # rispy has no type hints
        """rispy's writer without its "1." line before each entry (no RIS reader needs it)."""

        def set_header(self, count: int) -> str:
            return ""

    return RisWriter


WRITERS: dict[str, Callable[[Iterable[Citation]], str]] = {"bibtex": bibtex, "csl-json": csl_json, "ris": ris}


def bibliography(rows: Iterable[Mapping[str, Any]], fmt: str) -> str:
    """The sources as a bibliography in ``fmt`` (bibtex, csl-json or ris), in the order given."""
    return WRITERS[fmt](Citation.from_row(row) for row in rows)
