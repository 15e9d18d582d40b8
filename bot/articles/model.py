"""Result types of the article reader: frozen, JSON-friendly, safe to share between threads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DOCUMENT_KINDS: tuple[str, ...] = (
    "declaration",
    "memorandum",
    "agreement",
    "treaty",
    "protocol",
    "roadmap",
    "plan",
    "programme",
    "concept",
    "statement",
    "contract",
    "other",
)


@dataclass(frozen=True)
class Document:
    """A document signed or adopted at the event, titled as the text gives it."""

    title: str
    kind: str


@dataclass(frozen=True)
class Article:
    """What the reader found in one article; empty fields mean "nothing found", never "failed"."""

    lang: str
    title: str
    summary: str
    documents: tuple[Document, ...] = ()
    participants: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    place: str | None = None
    figures: tuple[str, ...] = ()
    is_summit: bool = False
    keywords: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        """Plain dict for storage (JSON column) and APIs; `from_json` is its inverse."""
        return {
            "lang": self.lang,
            "title": self.title,
            "summary": self.summary,
            "documents": [{"title": d.title, "kind": d.kind} for d in self.documents],
            "participants": list(self.participants),
            "countries": list(self.countries),
            "place": self.place,
            "figures": list(self.figures),
            "is_summit": self.is_summit,
            "keywords": list(self.keywords),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Article:
        """Rebuild an Article from `to_json` output; tolerant of missing keys from older rows."""
        documents: list[Document] = []
        raw_docs = data.get("documents")
        if isinstance(raw_docs, list):
            for item in raw_docs:
                if isinstance(item, Mapping):
                    kind = str(item.get("kind", "other"))
                    documents.append(
                        Document(
                            title=str(item.get("title", "")),
                            kind=kind if kind in DOCUMENT_KINDS else "other",
                        )
                    )
        place = data.get("place")
        return cls(
            lang=str(data.get("lang", "")),
            title=str(data.get("title", "")),
            summary=str(data.get("summary", "")),
            documents=tuple(documents),
            participants=_strings(data.get("participants")),
            countries=_strings(data.get("countries")),
            place=str(place) if place is not None else None,
            figures=_strings(data.get("figures")),
            is_summit=bool(data.get("is_summit", False)),
            keywords=_strings(data.get("keywords")),
        )


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return ()
