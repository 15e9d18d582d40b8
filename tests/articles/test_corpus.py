"""Real articles: all read without error; the labelled set meets the quality targets."""

from __future__ import annotations

import json

import pytest

from bot.articles import read_article
from bot.articles.evaluate import evaluate, main, read_file
from tests.conftest import shared_file


def test_every_news_article_reads() -> None:
    folder = shared_file("corpora/news-articles")
    files = sorted(folder.glob("*.txt"))
    assert len(files) == 22
    for path in files:
        title, body = read_file(path)
        article = read_article(title, body)
        assert article.lang in ("ru", "en"), path.name
        assert article.summary, path.name
        assert len(article.summary) <= 600, path.name


def test_labelled_set_meets_targets() -> None:
    labels = shared_file("samples/labels.json")
    report = evaluate(json.loads(labels.read_text(encoding="utf-8")), labels.parent.parent)
    assert report.scores["documents"].f1 >= 0.97
    assert report.scores["participants"].f1 >= 0.93
    assert report.summit_correct == report.summit_total


def test_evaluate_command(capsys: pytest.CaptureFixture[str]) -> None:
    labels = shared_file("samples/labels.json")
    assert main([str(labels)]) == 0
    out = capsys.readouterr().out
    assert "documents" in out and "is_summit accuracy" in out
