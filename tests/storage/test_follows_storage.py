"""Follows in storage, on a real temporary SQLite file: phrases matched by index exactly as the
pure rule says, once per chat however an item reaches it, within each chat's limits; users'
feeds for their followers only, and gone with their last follower."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.articles import phrase_matches
from bot.follows import Phrase, mentions, parse_phrase
from bot.topics import item_keys
from storage import Feed, FeedCheck, ItemDraft, Storage, open_storage
from storage.store import MATCH_PHRASES

NOW = 1_800_000_000.0
CHECK = FeedCheck(next_check_at=NOW + 600)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Storage]:
    storage = await open_storage(tmp_path / "test.db")
    yield storage
    await storage.close()


def phrase(text: str) -> Phrase:
    parsed = parse_phrase(text)
    assert isinstance(parsed, Phrase), text
    return parsed


async def follow(store: Storage, chat: int, text: str, *, limit: int = 20, thread: int = 0) -> str:
    await store.upsert_chat(chat, type="private", language="ru", now=NOW)
    p = phrase(text)
    return await store.follow_phrase(
        chat,
        phrase=p.key,
        shown=p.shown,
        word_keys=p.word_keys,
        limit=limit,
        now=NOW,
        thread_id=thread,
    )


def item(key: str, title: str, text: str = "", **kw: Any) -> ItemDraft:
    """An item as the reader hands it over: with the keys of its title and text."""
    return ItemDraft(
        key=key,
        url=f"https://e.x/{key}",
        title=title,
        published_at=None,
        text=text,
        word_keys=item_keys(title, text),
        **kw,
    )


async def feed(store: Storage, url: str = "https://e.x/rss", **kw: Any) -> Feed:
    return await store.add_feed(
        url, title="F", interval_seconds=60, next_check_at=NOW, now=NOW, **kw
    )


async def publish(store: Storage, feed_id: int, drafts: list[ItemDraft], **kw: Any) -> int:
    """Store a check's items as the poll cycle does after the first check; how many queued."""
    kw.setdefault("push_limit", 20)
    kw.setdefault("queue", True)
    outcome = await store.store_items(feed_id, drafts, now=NOW, check=CHECK, **kw)
    return outcome.queued


async def queued(store: Storage) -> list[tuple[int, str, str | None]]:
    """(chat, card title, the follow it names) of every row, in the order they go out."""
    rows = await store.claim_deliveries(NOW, limit=1000)
    return [(r.chat_id, r.item.title, r.followed) for r in rows]


async def test_a_new_item_reaches_the_chats_following_a_phrase_it_mentions(
    store: Storage,
) -> None:
    f = await feed(store)
    await publish(store, f.id, [item("old", "Казахстан и Таджикистан")], queue=False)
    assert await follow(store, 1, "Таджикистан") == "added"
    assert await follow(store, 2, "саммит ШОС") == "added"
    assert await follow(store, 3, "нефть") == "added"
    count = await publish(
        store,
        f.id,
        [
            item("a", "Переговоры в Душанбе", "Президенты таджикско-казахстанских отношений."),
            item("b", "Итоги саммита", "Лидеры ШОС подписали декларацию."),
            item("c", "Саммит G7", "О нефти ни слова."),  # "ШОС" missing: no match for 2
        ],
    )
    assert count == 3
    assert await queued(store) == [
        (1, "Переговоры в Душанбе", "Таджикистан"),
        (2, "Итоги саммита", "саммит ШОС"),
        (3, "Саммит G7", "нефть"),
    ]


async def test_only_items_stored_after_the_follow_are_pushed(store: Storage) -> None:
    f = await feed(store)
    await publish(store, f.id, [item("a", "Нефть дорожает")])
    await follow(store, 1, "нефть")
    await publish(store, f.id, [item("a", "Нефть дорожает"), item("b", "Нефть дешевеет")])
    assert [title for _, title, _ in await queued(store)] == ["Нефть дешевеет"]


async def test_an_item_for_a_topic_and_a_follow_is_queued_once(store: Storage) -> None:
    f = await feed(store)
    topic = await store.sync_topic("asia", "Азия", "Asia", ["Казахстан"])
    await follow(store, 1, "Казахстан")
    await store.add_subscription(1, topic.id, now=NOW)
    await follow(store, 1, "Астана")
    await store.upsert_chat(2, type="private", language="ru", now=NOW)
    await store.add_subscription(2, topic.id, now=NOW)
    count = await publish(
        store, f.id, [item("a", "Астана", "Казахстан принял гостей.", topic_ids=(topic.id,))]
    )
    assert count == 2
    # The subscriber first (subscriptions before follows), the card names the first follow.
    assert await queued(store) == [(1, "Астана", "Казахстан"), (2, "Астана", None)]


async def test_a_story_a_chat_had_through_a_topic_does_not_come_again_through_a_follow(
    store: Storage,
) -> None:
    one, two = await feed(store), await feed(store, "https://e.x/two")
    topic = await store.sync_topic("asia", "Азия", "Asia", [])
    await store.upsert_chat(1, type="private", language="ru", now=NOW)
    await store.add_subscription(1, topic.id, now=NOW)
    await follow(store, 1, "нефть")
    story: dict[str, Any] = {"signature": b"s", "story_bands": (7,)}
    same = {"same_story": lambda a, b: True}
    first = [item("a", "Нефть", topic_ids=(topic.id,), **story)]
    assert await publish(store, one.id, first, **same) == 1
    assert await publish(store, two.id, [item("b", "Нефть", **story)], **same) == 0
    assert await publish(store, two.id, [item("c", "Нефть и газ")], **same) == 1  # another story


async def test_a_forum_thread_follows_on_its_own(store: Storage) -> None:
    f = await feed(store)
    await follow(store, -100, "нефть", thread=7)
    oil = phrase("нефть")  # no thread named: the chat itself
    await store.follow_phrase(
        -100, phrase=oil.key, shown=oil.shown, word_keys=oil.word_keys, limit=5, now=NOW
    )
    assert [x.thread_id for x in await store.follows(-100)] == [0]
    assert [x.thread_id for x in await store.follows(-100, 7)] == [7]
    await publish(store, f.id, [item("a", "Нефть")])
    rows = await store.claim_deliveries(NOW)
    assert sorted(r.thread_id for r in rows) == [0, 7]


async def test_phrases_are_stored_once_and_forgotten_with_their_last_follower(
    store: Storage,
) -> None:
    for chat in (1, 2, 3):
        await follow(store, chat, "Нефть")
    await follow(store, 3, "газ")
    assert await store.phrase_count() == 2
    (oil,) = await store.follows(1)
    assert (oil.shown, oil.phrase, oil.feed_id) == ("Нефть", "нефть", None)
    assert await store.unfollow(2, oil.id) is None  # not chat 2's follow
    removed = await store.unfollow(1, oil.id)
    assert removed is not None and removed.shown == "Нефть"
    assert await store.unfollow(1, oil.id) is None
    assert await store.phrase_count() == 2
    for chat in (2, 3):
        (mine, *_) = await store.follows(chat)
        await store.unfollow(chat, mine.id)
    assert await store.phrase_count() == 1  # "газ" is still followed
    f = await feed(store)
    await publish(store, f.id, [item("a", "Нефть и газ")])
    assert await queued(store) == [(3, "Нефть и газ", "газ")]


async def test_limits_count_a_whole_chat_and_already_comes_before_limit(store: Storage) -> None:
    assert await follow(store, 1, "нефть", limit=2) == "added"
    assert await follow(store, 1, "газ", limit=2, thread=5) == "added"
    assert await follow(store, 1, "уголь", limit=2) == "limit"
    assert await follow(store, 1, "НЕФТЬ", limit=2) == "already"
    assert await follow(store, 2, "уголь", limit=2) == "added"
    assert await store.follow_counts(1) == (2, 0)
    assert await store.phrase_count() == 3  # a refused phrase leaves nothing behind


async def test_a_users_feed_is_its_followers_only_and_goes_with_the_last(store: Storage) -> None:
    topic = await store.sync_topic("asia", "Азия", "Asia", ["Казахстан"])
    mine = await feed(store, by_users=True)
    admins = await feed(store, "https://e.x/admins")
    await store.upsert_chat(1, type="private", language="ru", now=NOW)
    await store.upsert_chat(2, type="private", language="ru", now=NOW)
    await store.add_subscription(2, topic.id, now=NOW)
    await follow(store, 2, "Казахстан")
    assert await store.follow_feed(1, mine.id, shown=mine.url, limit=5, now=NOW) == "added"
    assert await store.follow_feed(1, mine.id, shown=mine.url, limit=5, now=NOW) == "already"
    assert await store.follow_feed(1, admins.id, shown=admins.url, limit=1, now=NOW) == "limit"
    assert await store.feed(admins.id) is not None  # an admin's feed is never dropped
    tagged = item("a", "Казахстан", topic_ids=(topic.id,))
    assert await publish(store, mine.id, [tagged]) == 1
    assert await queued(store) == [(1, "Казахстан", None)]
    assert await store.latest_items(topic.id) == []  # filed under no topic
    assert await store.latest_items() == []  # and not everyone's news
    assert await store.follow_counts(1) == (0, 1)
    (followed,) = await store.follows(1)
    assert (followed.feed_id, followed.feed_title, followed.phrase) == (mine.id, "F", None)
    await store.unfollow(1, followed.id)
    assert await store.feed(mine.id) is None  # nobody follows it: not checked again


async def test_a_users_feed_joins_no_story_of_another_feed(store: Storage) -> None:
    mine = await feed(store, by_users=True)
    public = await feed(store, "https://e.x/public")
    await store.upsert_chat(1, type="private", language="ru", now=NOW)
    await store.follow_feed(1, mine.id, shown=mine.url, limit=5, now=NOW)
    story: dict[str, Any] = {"signature": b"s", "story_bands": (7,)}
    same = {"same_story": lambda a, b: True}
    await publish(store, mine.id, [item("a", "Саммит", is_summit=True, **story)], **same)
    await publish(store, public.id, [item("b", "Саммит", is_summit=True, **story)], **same)
    (latest,) = await store.latest_items()
    assert (latest.title, latest.feed_id, latest.other_sources) == ("Саммит", public.id, ())
    summit = await store.latest_summit()
    assert summit is not None and summit.feed_id == public.id


async def test_a_feed_refused_for_the_limit_is_dropped_if_nobody_follows_it(store: Storage) -> None:
    await store.upsert_chat(1, type="private", language="ru", now=NOW)
    first, second = (
        await feed(store, by_users=True),
        await feed(store, "https://e.x/2", by_users=True),
    )
    await store.follow_feed(1, first.id, shown=first.url, limit=1, now=NOW)
    assert await store.follow_feed(1, second.id, shown=second.url, limit=1, now=NOW) == "limit"
    assert await store.feed(second.id) is None
    assert await store.feed(first.id) is not None


async def test_the_configuration_taking_over_a_users_feed_makes_it_everyones(
    store: Storage,
) -> None:
    topic = await store.sync_topic("asia", "Азия", "Asia", [])
    mine = await feed(store, by_users=True)
    await store.upsert_chat(1, type="private", language="ru", now=NOW)
    await store.upsert_chat(2, type="private", language="ru", now=NOW)
    await store.add_subscription(2, topic.id, now=NOW)
    await store.follow_feed(1, mine.id, shown=mine.url, limit=5, now=NOW)
    await store.update_feed_settings(mine.id, topic_ids=[topic.id], fulltext=False, source="config")
    assert await publish(store, mine.id, [item("a", "Новость", topic_ids=(topic.id,))]) == 2
    (followed,) = await store.follows(1)
    await store.unfollow(1, followed.id)
    assert await store.feed(mine.id) is not None


async def test_a_flood_past_the_bound_is_one_more_row_for_followers_too(store: Storage) -> None:
    f = await feed(store)
    await follow(store, 1, "нефть")
    drafts = [item(f"n{i}", f"Нефть {i}") for i in range(5)]
    assert await publish(store, f.id, drafts, push_limit=2) == 3
    rows = await store.claim_deliveries(NOW)
    assert [(r.more, r.followed) for r in rows] == [(0, "нефть"), (0, "нефть"), (3, None)]


async def test_a_digest_files_what_a_follow_brought_under_the_phrase(store: Storage) -> None:
    f = await feed(store)
    topic = await store.sync_topic("asia", "Азия", "Asia", [])
    await follow(store, 1, "Нефть")
    await store.add_subscription(1, topic.id, now=NOW)
    await store.set_digest_times(1, [480], next_at=NOW + 3600, now=NOW)
    drafts = [item("a", "Нефть в Азии", topic_ids=(topic.id,)), item("b", "Нефть дешевеет")]
    assert await publish(store, f.id, drafts) == 2
    await store.release_digest(1, now=NOW + 3600, next_at=None)
    (digest,) = await store.claim_deliveries(NOW + 3600)
    lines = [(x.title, x.topic and x.topic.slug, x.followed) for x in digest.digest]
    # A topic the chat subscribed to comes first; the phrase files the rest.
    assert lines == [("Нефть в Азии", "asia", None), ("Нефть дешевеет", None, "Нефть")]


async def test_a_migrated_group_takes_its_follows_along(store: Storage) -> None:
    await follow(store, -100, "нефть")
    await store.migrate_chat(-100, -100_555)
    assert await store.follows(-100) == []
    assert [x.shown for x in await store.follows(-100_555)] == ["нефть"]


async def test_a_paused_chat_gets_nothing_through_its_follows(store: Storage) -> None:
    f = await feed(store)
    await follow(store, 1, "нефть")
    await store.deactivate_chat(1)
    assert await publish(store, f.id, [item("a", "Нефть")]) == 0


async def test_matching_probes_the_phrase_index_by_key(store: Storage) -> None:
    plan = await store._conn.execute_fetchall(f"EXPLAIN QUERY PLAN {MATCH_PHRASES}", (1, '["a"]'))
    details = " | ".join(str(row[3]) for row in plan)
    assert "SEARCH pk USING PRIMARY KEY (key=?)" in details, details
    assert "SCAN pk" not in details, details


TEXTS = [
    "Президенты Казахстана и Таджикистана подписали соглашение о транзите нефти.",
    "Саммит ШОС в Астане: лидеры обсудили безопасность.",
    "The state visit ended with talks on oil and gas supplies to Kazakhstan.",
    "Переговоры о поставках газа продолжатся в Ташкенте.",
    "Football: the summit of the league table.",
]
PHRASES = [
    "Казахстан",
    "Таджикистан",
    "нефть",
    "саммит ШОС",
    "state visit",
    "talks",
    "газ",
    "Ташкент",
    "Kazakhstan",
    "поставки газа",
    "oil supplies",
    "summits",
    "безопасности",
]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.sampled_from(TEXTS),
    chosen=st.lists(st.sampled_from(PHRASES), min_size=1, max_size=5, unique=True),
)
async def test_the_index_matches_exactly_as_the_pure_rule_and_admin_topics_do(
    tmp_path_factory: pytest.TempPathFactory, text: str, chosen: list[str]
) -> None:
    storage = await open_storage(tmp_path_factory.mktemp("m") / "test.db")
    try:
        f = await feed(storage)
        for chat, words in enumerate(chosen, 1):
            await follow(storage, chat, words)
        await publish(storage, f.id, [item("a", "", text)])
        got = {chat for chat, _, _ in await queued(storage)}
        keys = item_keys("", text)
        expected = {chat for chat, words in enumerate(chosen, 1) if mentions(phrase(words), keys)}
        assert got == expected
        # The same as an admin topic's keyword (stopwords aside, which these phrases lack).
        assert expected == {c for c, w in enumerate(chosen, 1) if phrase_matches(w, keys)}
    finally:
        await storage.close()
