"""/search and /latest as a user meets them: items found in any form of their words, five to
a page with snippets, ◀ ▶ that page in place, a button per item for its card; presses that
come late or were never made by the bot are answered harmlessly."""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser

import pytest

from bot.i18n import t, tn
from handlers.common import topic_list
from handlers.news import LATEST_PAGE, SHOW_CARD
from handlers.search import SEARCH_PAGE
from storage import FeedCheck, ItemDraft
from tests.e2e.conftest import ADMIN, USER
from tests.support.fake_bot_api import SentMessage
from tests.support.feeds import FeedItem, rss
from tests.support.harness import RunningBot
from tests.support.telegram_html import telegram_html_problems

GROUP = -100777
DAY = 86400.0
BASE = 1_700_000_000.0


class _Bold(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bold: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._depth += tag == "b"

    def handle_endtag(self, tag: str) -> None:
        self._depth -= tag == "b"

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.bold.append(data)


def bold(message: SentMessage) -> list[str]:
    """The bold runs of a message after its header line."""
    parser = _Bold()
    parser.feed(message.text.split("\n", 1)[1])
    return parser.bold


def numbers(message: SentMessage) -> list[int]:
    """The numbers of the items a list shows, in order."""
    return [int(n) for n in re.findall(r"^(\d+)\. ", message.text, re.MULTILINE)]


async def turn(
    bot: RunningBot, message: SentMessage, label: str, *, user: int = USER, **kw: object
) -> SentMessage:
    """Press the button `label` under `message` and wait for the edit it makes (the press
    is answered first, then the message edited)."""
    edits = message.edits
    answer = await bot.press(message, message.button_data(label), user=user, **kw)
    assert answer["text"] is None, answer
    await bot.wait_for(lambda: bot.api.message(message.chat_id, message.message_id).edits > edits)
    return bot.api.message(message.chat_id, message.message_id)


def labels(message: SentMessage) -> list[list[str]]:
    return [[label for label, _ in row] for row in message.buttons]


async def follow(bot: RunningBot, path: str, items: list[FeedItem], *topics: str) -> None:
    """An admin follows a feed carrying `items` (stored, not pushed)."""
    bot.feeds.put(path, rss("Лента", items))
    (_, added) = await bot.say(
        f"/addfeed {bot.feeds.url(path)} {' '.join(topics)}", user=ADMIN, replies=2
    )
    assert "Лента добавлена" in added.text, added.text


STORIES = [
    "Парламент принял бюджет на следующий год.",
    "В горах выпал первый снег, перевалы закрыты.",
    "Футбольный клуб сменил главного тренера.",
    "Цены на хлеб выросли за месяц на три процента.",
    "Открылся новый мост через реку.",
    "Учёные нашли в пустыне древний город.",
    "Авиакомпания запустила рейсы в Стамбул.",
    "Школьники победили на олимпиаде по химии.",
    "Театр показал премьеру оперы.",
    "Фермеры собрали рекордный урожай пшеницы.",
    "Метро продлят до аэропорта.",
    "Музей получил в дар коллекцию монет.",
]


def numbered(n: int, *, title: str = "Саммит номер") -> list[FeedItem]:
    """`n` items, the higher the number the newer, each its own story."""
    return [
        FeedItem(f"i-{k}", f"{title} {k}", STORIES[k - 1], published=BASE + k * 60)
        for k in range(1, n + 1)
    ]


TALKS = [
    FeedItem(
        "a",
        "Делегация Таджикистана прибыла в Астану",
        "Визит продлится два дня.",
        published=BASE,
    ),
    FeedItem(
        "b",
        "Переговоры президентов",
        "Стороны обсудили развитие таджикско-казахстанских отношений и торговлю.",
        published=BASE + DAY,
    ),
    FeedItem("c", "Погода в Москве", "Снег и гололёд.", published=BASE + 2 * DAY),
]


async def test_search_finds_inflected_forms(running_bot: RunningBot) -> None:
    bot = running_bot
    await follow(bot, "/talks.xml", TALKS)
    (found,) = await bot.say("/search Таджикистан", user=USER)
    header = tn("ru", "search_found_n", 2, query="Таджикистан")
    assert found.text.startswith(f"<b>{header}</b>\n\n1. ")
    assert numbers(found) == [1, 2]
    lines = found.text.split("\n\n")[1:]
    assert "Переговоры президентов" in lines[0] and "Делегация Таджикистана" in lines[1]
    assert bold(found) == ["таджикско-казахстанских"]  # the snippet of the text; titles are links
    assert 'href="https://news.example/b"' in lines[0]
    assert telegram_html_problems(found.text) == []
    assert labels(found) == [["1", "2"]]  # one page: no ◀ ▶


async def test_search_without_words_or_without_results(running_bot: RunningBot) -> None:
    bot = running_bot
    await follow(bot, "/talks.xml", TALKS)
    for typed in ("/search", "/search   ", "/search 2024 !!!"):
        (usage,) = await bot.say(typed, user=USER)
        assert usage.text == t("ru", "usage_search"), typed
    (none,) = await bot.say('/search Бишкек "<b>" и', user=USER)
    assert none.text == t("ru", "search_none", query='Бишкек "b"')  # as searched
    assert none.buttons == []


async def test_results_page_in_place(running_bot: RunningBot) -> None:
    bot = running_bot
    await follow(bot, "/news.xml", numbered(12))
    (shown,) = await bot.say("/search саммиты", user=USER)
    assert shown.text.startswith(
        "<b>" + tn("ru", "search_found_n", 12, query="саммиты") + " · "
        + t("ru", "page_of", page=1, pages=3) + "</b>"
    )  # fmt: skip
    assert numbers(shown) == [1, 2, 3, 4, 5]
    assert "Саммит номер 12" in shown.text.split("\n\n")[1]  # newest first
    assert labels(shown) == [["1", "2", "3", "4", "5"], ["▶"]]
    page = await turn(bot, shown, "▶")
    assert page.edits == 1 and numbers(page) == [6, 7, 8, 9, 10]
    assert t("ru", "page_of", page=2, pages=3) in page.text
    assert labels(page) == [["6", "7", "8", "9", "10"], ["◀", "▶"]]
    last = await turn(bot, page, "▶")
    assert numbers(last) == [11, 12] and labels(last) == [["11", "12"], ["◀"]]
    assert "Саммит номер 1</a>" in last.text and "Саммит номер 2</a>" in last.text
    assert numbers(await turn(bot, last, "◀")) == [6, 7, 8, 9, 10]
    assert len(bot.api.messages_to(USER)) == 1  # one message, edited
    assert all(telegram_html_problems(m.text) == [] for m in bot.api.messages_to(USER))


async def test_pages_keep_their_results_while_news_arrives(running_bot: RunningBot) -> None:
    bot = running_bot
    await follow(bot, "/news.xml", numbered(7))
    (shown,) = await bot.say("/search саммит", user=USER)
    await bot.publish("/news.xml", numbered(9))  # two newer summits since
    page = await turn(bot, shown, "▶")
    assert numbers(page) == [6, 7]
    assert tn("ru", "search_found_n", 7, query="саммит") in page.text
    assert "Саммит номер 2</a>" in page.text and "Саммит номер 1</a>" in page.text
    (again,) = await bot.say("/search саммит", user=USER)  # a new search sees them
    assert tn("ru", "search_found_n", 9, query="саммит") in again.text


async def test_presses_after_the_results_went_away(running_bot: RunningBot) -> None:
    bot = running_bot
    await follow(bot, "/a.xml", numbered(7, title="Саммит А"))
    await follow(bot, "/b.xml", numbered(5, title="Саммит Б"))
    (shown,) = await bot.say("/search саммит", user=USER)
    assert t("ru", "page_of", page=1, pages=3) in shown.text
    feeds = {f.url: f.id for f in await bot.storage.feeds()}
    await bot.say(f"/removefeed {feeds[bot.feeds.url('/b.xml')]}", user=ADMIN)
    # Page 3 no longer exists: the last page there is, and a word why.
    answer = await bot.press(shown, SEARCH_PAGE.data(_search_id(shown), 3), user=USER)
    assert answer["text"] == t("ru", "search_changed")
    await bot.wait_for(lambda: bot.api.message(USER, shown.message_id).edits == 1)
    page = bot.api.message(USER, shown.message_id)
    assert numbers(page) == [6, 7] and t("ru", "page_of", page=2, pages=2) in page.text
    await bot.say(f"/removefeed {feeds[bot.feeds.url('/a.xml')]}", user=ADMIN)
    answer = await bot.press(page, page.button_data("◀"), user=USER)
    assert (answer["text"], answer["show_alert"]) == (t("ru", "search_gone"), True)
    assert bot.api.message(USER, shown.message_id).edits == 1
    # The cards of what is gone are gone too.
    answer = await bot.press(page, page.button_data("6"), user=USER)
    assert (answer["text"], answer["show_alert"]) == (t("ru", "item_gone"), True)


def _search_id(message: SentMessage) -> int:
    (data,) = [d for row in message.buttons for _, d in row if d.startswith("srch:")]
    parsed = SEARCH_PAGE.parse(data)
    assert parsed is not None
    return int(parsed[0])


async def test_a_number_sends_that_items_card(running_bot: RunningBot) -> None:
    bot = running_bot
    await follow(bot, "/talks.xml", TALKS)
    (shown,) = await bot.say("/search Таджикистан", user=USER)
    before = len(bot.api.messages_to(USER))
    answer = await bot.press(shown, shown.button_data("2"), user=USER)
    assert answer["text"] is None
    (card,) = (await bot.wait_for_messages(USER, before + 1))[before:]
    assert card.text.startswith("<b>Делегация Таджикистана прибыла в Астану</b>")
    assert t("ru", "read_more") in card.text
    assert bot.api.message(USER, shown.message_id).edits == 0  # the list stays


FORGED = [
    "srch", "srch:1", "srch:x:1", "srch:1:1:1", "srch:01:1", "late:0:1", "late:a:b:c",
    "card", "card:", "card:1:2", "card:-", "srch:" + "9" * 30 + ":1",
]  # fmt: skip


async def test_forged_or_foreign_presses_are_answered_harmlessly(running_bot: RunningBot) -> None:
    bot = running_bot
    await follow(bot, "/news.xml", numbered(7))
    (mine,) = await bot.say("/search саммит", user=USER)
    for data in FORGED:
        answer = await bot.press(mine, data, user=USER)
        assert answer["text"] == t("ru", "button_stale"), data
    for data, key, alert in [
        (SEARCH_PAGE.data(_search_id(mine) + 100, 2), "search_expired", True),  # never made
        (SEARCH_PAGE.data(_search_id(mine), 0), "button_stale", False),  # no page 0
        (SHOW_CARD.data(987654), "item_gone", True),
    ]:
        answer = await bot.press(mine, data, user=USER)
        assert (answer["text"], answer["show_alert"]) == (t("ru", key), alert), data
    # Another chat's search, pressed here: its query stays its own.
    (theirs,) = await bot.say("/search саммит", user=ADMIN)
    answer = await bot.press(mine, SEARCH_PAGE.data(_search_id(theirs), 2), user=USER)
    assert answer["text"] == t("ru", "search_expired")
    assert bot.api.message(USER, mine.message_id).edits == 0
    assert bot.api.message(ADMIN, theirs.message_id).edits == 0
    assert not [m for m in bot.api.sent if m.text == t("ru", "internal_error")]


async def test_anyone_in_a_group_may_turn_the_pages(running_bot: RunningBot) -> None:
    bot = running_bot
    await follow(bot, "/news.xml", numbered(7))
    (shown,) = await bot.say("/search саммит", user=USER, chat_id=GROUP, chat_type="group")
    page = await turn(bot, shown, "▶", chat_type="group")
    assert numbers(page) == [6, 7]


HOSTILE = {
    "huge": "ж" * 4000,
    "many words": "саммит " * 600,
    "fts syntax": 'NEAR("a" b) AND (c OR d) NOT e* ^f words:g {keys}:h',
    "markup": "<b>&amp;</b><a href='x'>",
    "quotes": '""«»„“"',
    "controls": "a\x01b\x07c\u200b",
    "right-to-left": "\u202eсаммит\u202c",
    "emoji": "🙂🇰🇿 саммит",
}


@pytest.mark.parametrize("name", list(HOSTILE))
async def test_search_answers_hostile_input_sensibly(running_bot: RunningBot, name: str) -> None:
    bot = running_bot
    await follow(bot, "/news.xml", numbered(7))
    (answer,) = await bot.say(f"/search {HOSTILE[name]}", user=USER)
    assert answer.text != t("ru", "internal_error")
    assert telegram_html_problems(answer.text) == []
    assert len(answer.text) < 3000
    assert answer.text == t("ru", "usage_search") or "<b>" in answer.text or "«" in answer.text


async def test_items_stored_before_the_index_are_found_after_the_backlog_job(
    running_bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot = running_bot
    await follow(bot, "/talks.xml", TALKS[:1])
    (feed,) = await bot.storage.feeds()
    assert bot.app.job_queue is not None
    (job,) = bot.app.job_queue.get_jobs_by_name("search-backlog")
    job.enabled = False  # it runs here, when the test says
    unindexed = ItemDraft(
        "old", None, "Саммит в Бишкеке", BASE - DAY, text="Итоги.", fingerprint="x"
    )
    await bot.storage.store_items(
        feed.id, [unindexed], now=BASE, check=FeedCheck(next_check_at=BASE + 600),
        queue=False, push_limit=20,
    )  # fmt: skip
    (none,) = await bot.say("/search Бишкек", user=USER)
    assert none.text == t("ru", "search_none", query="Бишкек")

    def said() -> list[str]:
        return [r.getMessage() for r in caplog.records if r.name == "handlers.search"]

    with caplog.at_level(logging.INFO, logger="handlers.search"):
        await job.run(bot.app)
        assert said() == ["search index: 1 more items indexed"]
        await job.run(bot.app)  # nothing left: nothing to say
        assert said() == ["search index: 1 more items indexed"]
    (found,) = await bot.say("/search Бишкек", user=USER)
    assert "Саммит в Бишкеке" in found.text


# --- /latest -----------------------------------------------------------------------------


async def test_latest_lists_headlines_that_page_in_place(running_bot: RunningBot) -> None:
    bot = running_bot
    await follow(bot, "/news.xml", numbered(7))
    (shown,) = await bot.say("/latest", user=USER)
    assert shown.text.startswith(f"<b>{t('ru', 'latest_header')}</b>\n\n1. ")
    assert numbers(shown) == [1, 2, 3, 4, 5]
    first = shown.text.split("\n\n")[1]
    assert "Саммит номер 7" in first and STORIES[6] in first  # the lead under the headline
    assert labels(shown) == [["1", "2", "3", "4", "5"], ["▶"]]
    await bot.publish("/news.xml", numbered(9))  # news since: the pages stay put
    page = await turn(bot, shown, "▶")
    assert page.text.startswith(f"<b>{t('ru', 'latest_header')} · {t('ru', 'page', page=2)}</b>")
    assert numbers(page) == [6, 7] and labels(page) == [["6", "7"], ["◀"]]
    assert "Саммит номер 1</a>" in page.text
    answer = await bot.press(shown, LATEST_PAGE.data(0, 7, 9), user=USER)
    assert answer["text"] == t("ru", "latest_no_more")
    assert numbers(await turn(bot, page, "◀")) == [1, 2, 3, 4, 5]


async def test_latest_takes_a_topic_by_its_name(running_bot: RunningBot) -> None:
    bot = running_bot
    await follow(bot, "/asia.xml", numbered(2, title="Казахстан: новость"), "central-asia")
    await follow(bot, "/sport.xml", numbered(2, title="Футбол: матч"), "sport")
    header = t("ru", "latest_topic_header", topic="Центральная Азия")
    for typed in ("/latest Центральная Азия", "/latest «central asia»", "/latest CENTRAL-ASIA"):
        (shown,) = await bot.say(typed, user=USER)
        assert shown.text.startswith(f"<b>{header}</b>"), typed
        assert "Казахстан: новость" in shown.text and "Футбол" not in shown.text
    # A topic and a word more: the topic (as before names were taken).
    (shown,) = await bot.say("/latest sport сегодня", user=USER)
    assert "Футбол: матч" in shown.text and "Казахстан" not in shown.text
    (refusal,) = await bot.say("/latest Центральная Африка", user=USER)
    available = topic_list(await bot.storage.topics(), "ru")
    assert refusal.text == t("ru", "unknown_topic", slug="Центральная Африка", available=available)


async def test_latest_with_nothing_stored(running_bot: RunningBot) -> None:
    (empty,) = await running_bot.say("/latest", user=USER)
    assert empty.text == t("ru", "latest_empty") and empty.buttons == []
