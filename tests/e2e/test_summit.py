"""The reference case: a feed carries the Kazakhstan–Tajikistan talks; /summit returns the card."""

from __future__ import annotations

import html
import json

from bot.delivery.render import item_card, render_html
from tests.conftest import shared_file
from tests.e2e.conftest import ADMIN, USER
from tests.support.feeds import FeedItem, rss
from tests.support.harness import RunningBot
from tests.support.telegram_html import telegram_html_problems


def reference_item() -> tuple[FeedItem, list[str]]:
    text = shared_file("samples/kz-tj-talks.ru.txt").read_text(encoding="utf-8")
    labels = json.loads(shared_file("samples/labels.json").read_text(encoding="utf-8"))
    (label,) = [entry for entry in labels if entry["file"] == "samples/kz-tj-talks.ru.txt"]
    title, *lines = text.strip().splitlines()
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines if line.strip())
    return FeedItem("kz-tj", title, body, published=1_700_200_000.0), label["documents"]


async def test_summit_card_for_the_reference_article(running_bot: RunningBot) -> None:
    bot = running_bot
    item, documents = reference_item()
    bot.feeds.put("/asia.xml", rss("Vecher.kz", [FeedItem("old", "Погода", "Тепло.")]))
    await bot.say(f"/addfeed {bot.feeds.url('/asia.xml')}", user=ADMIN, replies=2)
    await bot.say("/subscribe central-asia", user=USER)  # by keyword, not by feed

    bot.feeds.put("/asia.xml", rss("Vecher.kz", [item, FeedItem("old", "Погода", "Тепло.")]))
    bot.clock.advance(601)
    before = len(bot.api.messages_to(USER))  # the sender may deliver as soon as poll() queues
    await bot.poll()
    stored = await bot.storage.latest_summit()
    assert stored is not None and stored.title == item.title
    parts = len(render_html(item_card(stored), "ru", "Europe/Moscow"))
    # Every part of the pushed card first: a late part must not be taken for /summit's answer.
    pushed = await bot.wait_for_messages(USER, before + parts)
    assert "Подписано документов: 9" in "\n".join(m.text for m in pushed[before:])

    messages = await bot.say("/summit", user=USER, replies=parts)  # the whole card, every part
    card = "\n".join(m.text for m in messages)
    for message in messages:
        assert telegram_html_problems(message.text) == []
    assert "Касым-Жомарт Токаев, Эмомали Рахмон — Астана" in card
    assert "Подписано документов: 9" in card
    positions = [
        card.find(f"{n}. {html.escape(title, quote=False)}") for n, title in enumerate(documents, 1)
    ]
    assert -1 not in positions and positions == sorted(positions)
    # Nine documents: one expandable quote, the card short on a phone until it is opened.
    quote_start, quote_end = card.find("<blockquote expandable>1. "), card.find("</blockquote>")
    assert quote_start < positions[0] < positions[-1] < quote_end
    assert 'href="https://news.example/kz-tj"' in card
    # The title is shown once, not again as the summary's first sentence.
    assert card.count(html.escape(item.title, quote=False)) == 1


async def test_documents_command_lists_the_newest_documents(running_bot: RunningBot) -> None:
    bot = running_bot
    item, documents = reference_item()
    bot.feeds.put("/asia.xml", rss("Vecher.kz", [item]))
    await bot.say(f"/addfeed {bot.feeds.url('/asia.xml')}", user=ADMIN, replies=2)
    (answer,) = await bot.say("/documents sport", user=USER)
    assert "Новостей с подписанными документами пока нет" in answer.text
    (card,) = await bot.say("/documents central-asia", user=USER)
    assert "Подписано документов: 9" in card.text
    assert f"9. {html.escape(documents[8], quote=False)}" in card.text


async def test_a_long_summit_card_is_split_between_documents(running_bot: RunningBot) -> None:
    bot = running_bot
    kinds = ["Соглашение", "Меморандум", "Протокол", "Программа"]
    fields = [
        "энергетики",
        "транспорта",
        "образования",
        "науки",
        "культуры",
        "туризма",
        "здравоохранения",
        "сельского хозяйства",
    ]
    titles = [
        f"{kind} о сотрудничестве в области {field} между министерствами Республики Казахстан "
        f"и Республики Таджикистан на 2024–2026 годы, включая обмен опытом, совместные проекты "
        f"и подготовку кадров"
        for kind in kinds
        for field in fields
    ]
    body = (
        "<p>В Астане состоялись переговоры Президента Казахстана Касым-Жомарта Токаева и "
        "Президента Таджикистана Эмомали Рахмона.</p>"
        "<p>По итогам переговоров были подписаны следующие документы:</p>"
        "<ul>" + "".join(f"<li>{t}</li>" for t in titles) + "</ul>"
    )
    item = FeedItem("long", "Переговоры в Астане", body, published=1_700_300_000.0)
    bot.feeds.put("/asia.xml", rss("Vecher.kz", [item]))
    await bot.say(f"/addfeed {bot.feeds.url('/asia.xml')}", user=ADMIN, replies=2)

    stored = await bot.storage.latest_summit()
    assert stored is not None and len(stored.documents) == len(titles)
    parts = len(render_html(item_card(stored), "ru", "Europe/Moscow"))
    assert parts >= 2
    messages = await bot.say("/summit", user=USER, replies=parts)
    for message in messages:
        assert telegram_html_problems(message.text) == []
    card = "\n".join(m.text for m in messages)
    for n, title in enumerate(titles, 1):
        assert sum(f"{n}. {title}" in m.text for m in messages) == 1  # whole, in one message
    assert card.count("Подписано документов: 32") == 1
