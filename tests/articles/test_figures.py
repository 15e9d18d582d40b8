"""Figures (amounts with what they measure) on the failure classes seen in unseen text: a scale
written as a letter, a day after its month, a code with a leading zero, a foreign month."""

from __future__ import annotations

import pytest

from bot.articles import read_article


def figures(text: str, lang: str = "en") -> tuple[str, ...]:
    return read_article("Title", text + " Second sentence here.", lang=lang).figures


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The UK will invest £27.6m in flood defences.", ("£27.6m",)),
        ("The fund holds $3bn and €40k more.", ("$3bn — fund", "€40k — fund")),
        ("Ministers pledged £27.6 million to reach the target.", ("£27.6 million — target",)),
        ("The firm paid $5 mln to settle.", ("$5 mln",)),
        ("A $2 box of matches.", ("$2",)),  # no letter after it: no scale
        ("It cost $12 more.", ("$12",)),  # "more" is a word, not the scale "m"
    ],
)
def test_a_scale_written_as_a_letter_stays_with_its_amount(
    text: str, expected: tuple[str, ...]
) -> None:
    assert figures(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Police arrested Jan. 6 rioters, officials said.",  # "Jan." taken for a sentence end
        "Prosecutors charged Sept. 11 plotters in absentia.",
        "The court heard March 15 witnesses in one day.",
        "Call 020 numbers for the helpline, the council said.",
        "The army said 18 грудня new troops arrived.",
    ],
)
def test_dates_and_codes_are_not_counts(text: str) -> None:
    assert figures(text) == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It was May. 40 delegations came.", ("40 delegations",)),  # a full month name ends it
        ("The summit saw 120 delegates and 0 observers.", ("120 delegates",)),
        ("They met on 6 January, and 300 farmers came.", ("300 farmers",)),
        ("Officials counted 10 000 visitors.", ("10 000 visitors",)),
    ],
)
def test_counts_next_to_dates_and_zeros_are_kept(text: str, expected: tuple[str, ...]) -> None:
    assert figures(text) == expected


def test_russian_amounts_are_unchanged() -> None:
    text = "Товарооборот достиг 2 млрд долларов, а цель — 5 млрд долларов."
    assert figures(text, "ru") == ("2 млрд долларов — товарооборот", "5 млрд долларов")
