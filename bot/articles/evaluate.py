"""Score the reader against labelled articles: `python -m bot.articles.evaluate LABELS.json`.

Prints precision/recall/F1 per field (micro-averaged over the set), is_summit accuracy and
the misses of each file. Paths in the labels file are relative to its parent folder's
parent (the shared folder), as samples/labels.json writes them.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.articles.model import Article
from bot.articles.reader import read_article

FIELDS = ("documents", "participants", "countries", "place", "figures")
_NUMBERING_RE = re.compile(r"^\s*(?:[-–—•*]|\(?\d{1,2}[.)])\s+")


def normalise_title(title: str) -> str:
    """Compare titles after collapsing white space, dropping numbering and a trailing ; or ."""
    text = " ".join(title.split())
    text = _NUMBERING_RE.sub("", text)
    return text.rstrip(" ;.")


def _figure_amount(figure: str) -> str:
    amount = figure.split(" — ", 1)[0]
    return re.sub(r"\s+", "", amount).lower()


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: set[str], expected: set[str]) -> tuple[set[str], set[str]]:
        self.tp += len(predicted & expected)
        self.fp += len(predicted - expected)
        self.fn += len(expected - predicted)
        return expected - predicted, predicted - expected

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    scores: dict[str, Score] = field(default_factory=lambda: {f: Score() for f in FIELDS})
    summit_correct: int = 0
    summit_total: int = 0
    misses: dict[str, list[str]] = field(default_factory=dict)


def read_file(path: Path) -> tuple[str, str]:
    """(title, body): the first line is the title when the file has more than one line."""
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = text.split("\n", 1)
    if len(lines) == 2 and lines[1].strip():
        return lines[0].lstrip("# ").strip(), lines[1]
    return "", text


def _values(article: Article, name: str) -> set[str]:
    if name == "documents":
        return {normalise_title(d.title) for d in article.documents}
    if name == "place":
        return {article.place} if article.place else set()
    if name == "figures":
        return {_figure_amount(f) for f in article.figures}
    value = getattr(article, name)
    return {str(v) for v in value}


def _expected(entry: dict[str, object], name: str) -> set[str] | None:
    if name not in entry:
        return None
    raw = entry[name]
    if name == "place":
        return {str(raw)} if raw else set()
    items = [str(v) for v in raw] if isinstance(raw, list) else []
    if name == "documents":
        return {normalise_title(v) for v in items}
    if name == "figures":
        return {_figure_amount(v) for v in items}
    return set(items)


def evaluate(entries: Sequence[dict[str, object]], base: Path) -> Report:
    report = Report()
    for entry in entries:
        name = str(entry["file"])
        title, body = read_file(base / name)
        lang = entry.get("lang")
        article = read_article(title, body, lang=str(lang) if isinstance(lang, str) else None)
        misses: list[str] = []
        for fld in FIELDS:
            expected = _expected(entry, fld)
            if expected is None:
                continue
            missed, extra = report.scores[fld].add(_values(article, fld), expected)
            misses.extend(f"{fld}: missed {m!r}" for m in sorted(missed))
            misses.extend(f"{fld}: extra {e!r}" for e in sorted(extra))
        if "is_summit" in entry:
            report.summit_total += 1
            if bool(entry["is_summit"]) == article.is_summit:
                report.summit_correct += 1
            else:
                misses.append(f"is_summit: got {article.is_summit}")
        report.misses[name] = misses
    return report


def format_report(report: Report) -> Iterable[str]:
    yield f"{'field':<14}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}"
    for name, s in report.scores.items():
        if s.tp + s.fp + s.fn == 0:
            continue
        yield (
            f"{name:<14}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.tp:>5}{s.fp:>5}{s.fn:>5}"
        )
    yield f"is_summit accuracy: {report.summit_correct}/{report.summit_total}"
    for name, misses in report.misses.items():
        yield f"{name}: {'ok' if not misses else ''}"
        for m in misses:
            yield f"    {m}"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m bot.articles.evaluate LABELS.json", file=sys.stderr)
        return 2
    labels = Path(args[0])
    entries = json.loads(labels.read_text(encoding="utf-8"))
    report = evaluate(entries, labels.resolve().parent.parent)
    for line in format_report(report):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
