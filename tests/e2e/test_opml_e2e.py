"""OPML end to end: documents sent to the real Application, /export, and the two CLI commands."""

from __future__ import annotations

import asyncio
import html
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.i18n import t
from bot.opml import MAX_OPML_BYTES, OpmlFeed, build_opml, parse_opml
from bot.opml_cli import export_opml, import_opml
from storage import open_storage
from tests.conftest import DATA_DIR
from tests.support.fake_bot_api import SentMessage
from tests.support.fake_bot_files import FakeBotFiles
from tests.support.feeds import FeedItem, rss
from tests.support.harness import ADMIN, USER, RunningBot, running_bot_against

OPML = DATA_DIR / "opml"


@pytest.fixture
async def files_bot(tmp_path: Path) -> AsyncIterator[RunningBot]:
    """The real Application against a fake Bot API that also handles files."""
    api = FakeBotFiles()
    async with running_bot_against(api, tmp_path) as bot:
        # Downloads must reach the fake server too, never api.telegram.org.
        assert bot.app.bot.base_file_url == api.file_base_url + api.token
        yield bot


def api_of(bot: RunningBot) -> FakeBotFiles:
    assert isinstance(bot.api, FakeBotFiles)
    return bot.api


async def send_file(
    bot: RunningBot, data: bytes, name: str, *, user: int, **kw: object
) -> SentMessage:
    """Send a document as `user` and return the bot's one text answer."""
    before = len(bot.api.messages_to(user))
    api_of(bot).send_document(data, user_id=user, file_name=name, **kw)  # type: ignore[arg-type]
    messages = await bot.wait_for_messages(user, before + 1)
    return messages[before]


def template_parts(lang: str, key: str, **values: object) -> tuple[str, str]:
    """The message around its {reason}: tests check the frame, not the wording."""
    prefix, _, suffix = t(lang, key, reason="\0", **values).partition("\0")
    return prefix, suffix


# --- import from a chat -----------------------------------------------------------------


async def test_an_admin_imports_a_file_and_the_feeds_are_checked_later(
    files_bot: RunningBot,
) -> None:
    bot = files_bot
    for path, title in (("/a.xml", "Лента A"), ("/b.xml", "Лента B"), ("/c.xml", "Лента C")):
        bot.feeds.put(path, rss(title, [FeedItem(path + "-1", "Казахстан: новость", "футбол")]))
    followed = await bot.storage.add_feed(
        bot.feeds.url("/old.xml"),
        title="Old",
        interval_seconds=600,
        next_check_at=bot.clock.now + 600,  # not due: only the imported feeds are
        now=bot.clock.now,
    )
    await bot.say("/subscribe central-asia", user=USER)
    a, b, c = (bot.feeds.url(p) for p in ("/a.xml", "/b.xml", "/c.xml"))
    data = f"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>export</title></head><body>
  <outline text="Central-Asia">
    <outline type="rss" text="A from the file" xmlUrl="{a}"/>
    <outline type="rss" text="Old, again" xmlUrl="{followed.url}"/>
  </outline>
  <outline text="misc"><outline type="rss" text="C" xmlUrl="{c}" category="Sport"/></outline>
  <outline type="rss" text="B" xmlUrl="{b}" category="спорт,/central-asia"/>
  <outline type="rss" text="ftp" xmlUrl="ftp://files.example/rss"/>
  <outline type="rss" text="relative" xmlUrl="/rss.xml"/>
</body></opml>""".encode()

    answer = await send_file(bot, data, "feeds.opml", user=ADMIN, mime_type="text/x-opml")

    assert answer.text == t(
        "ru", "opml_imported", name="feeds.opml", added=3, existing=1, skipped=2, unknown="misc"
    )
    stored = {f.url: f for f in await bot.storage.feeds()}
    topics = {tp.slug: tp.id for tp in await bot.storage.topics()}
    assert set(stored) == {a, b, c, followed.url}
    assert (stored[a].title, set(stored[a].topic_ids)) == (
        "A from the file",
        {topics["central-asia"]},
    )
    assert set(stored[b].topic_ids) == {topics["sport"], topics["central-asia"]}
    assert set(stored[c].topic_ids) == {topics["sport"]}
    assert stored[followed.url].title == "Old"  # already followed: left as it was
    for url in (a, b, c):
        assert stored[url].next_check_at == bot.clock.now  # due at once ...
        assert stored[url].added_by == ADMIN
        assert not stored[url].primed
    assert bot.feeds.log == []  # ... but nothing was fetched during the import

    await bot.poll()
    for url in (a, b, c):
        feed = await bot.storage.feed(stored[url].id)
        assert feed is not None and feed.primed and feed.last_error is None
    assert sorted(path for path, _ in bot.feeds.log) == ["/a.xml", "/b.xml", "/c.xml"]
    assert len(await bot.storage.latest_items(limit=10)) == 3
    # the first check of a new feed stores its items and pushes none
    assert await bot.storage.outbox_counts() == {}


async def test_a_non_admin_document_is_refused_and_not_even_downloaded(
    files_bot: RunningBot,
) -> None:
    bot = files_bot
    data = (OPML / "nested.opml").read_bytes()
    answer = await send_file(bot, data, "nested.opml", user=USER, language="en")
    assert answer.text == t("en", "opml_not_admin")
    assert await bot.storage.feeds() == []
    assert api_of(bot).downloads == [] and "getFile" not in bot.api.calls


@pytest.mark.parametrize(
    ("file", "reason"),
    [
        ("broken.opml", "broken XML"),
        ("rss_not_opml.xml", "not <opml>"),
        ("billion_laughs.opml", "DOCTYPE"),
    ],
)
async def test_a_file_that_is_not_usable_opml_gets_a_clear_answer(
    files_bot: RunningBot, file: str, reason: str
) -> None:
    bot = files_bot
    answer = await send_file(bot, (OPML / file).read_bytes(), file, user=ADMIN)
    prefix, suffix = template_parts("ru", "opml_failed", name=file)
    assert answer.text.startswith(prefix) and answer.text.endswith(suffix)
    assert reason in html.unescape(answer.text)
    assert api_of(bot).downloads == ["documents/file_1.bin"]
    assert await bot.storage.feeds() == []


async def test_a_binary_document_and_a_huge_one(files_bot: RunningBot) -> None:
    bot = files_bot
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    answer = await send_file(bot, pdf, "report.pdf", user=ADMIN, mime_type="application/pdf")
    assert "not valid utf-8" in answer.text
    # Telegram announces the size: a huge file is refused without being downloaded.
    downloads = len(api_of(bot).downloads)
    answer = await send_file(bot, b"<opml/>", "huge.opml", user=ADMIN, file_size=50_000_000)
    prefix, suffix = template_parts("ru", "opml_failed", name="huge.opml")
    assert answer.text.startswith(prefix) and answer.text.endswith(suffix)
    assert "too large: 50000000 bytes" in answer.text
    assert len(api_of(bot).downloads) == downloads
    assert await bot.storage.feeds() == []


async def test_a_file_announced_at_the_size_limit_is_read(files_bot: RunningBot) -> None:
    bot = files_bot
    data = build_opml([("https://a.example/rss", "A", [])])
    answer = await send_file(bot, data, "edge.opml", user=ADMIN, file_size=MAX_OPML_BYTES)
    none = t("ru", "none")
    imported = t(
        "ru", "opml_imported", name="edge.opml", added=1, existing=0, skipped=0, unknown=none
    )
    assert answer.text == imported
    assert api_of(bot).downloads == ["documents/file_1.bin"]
    assert [f.url for f in await bot.storage.feeds()] == ["https://a.example/rss"]


async def test_a_download_telegram_refuses_gets_a_clear_answer(files_bot: RunningBot) -> None:
    bot = files_bot
    api_of(bot).get_file_error = "Bad Request: file is too big"
    answer = await send_file(bot, b"<opml/>", "big.opml", user=ADMIN, file_size=None)
    # PTB drops the "Bad Request: " prefix of the description.
    assert answer.text == t("ru", "opml_failed", name="big.opml", reason="File is too big")
    assert api_of(bot).downloads == []
    assert await bot.storage.feeds() == []
    # The bot goes on answering.
    (topics,) = await bot.say("/topics", user=ADMIN)
    assert topics.text.startswith(t("ru", "topics_header"))


# --- export to a chat -------------------------------------------------------------------


async def test_export_sends_a_document_that_parses_back_to_the_stored_feeds(
    files_bot: RunningBot,
) -> None:
    bot = files_bot
    (empty,) = await bot.say("/export", user=ADMIN)
    assert empty.text == t("ru", "export_empty")
    topics = {tp.slug: tp.id for tp in await bot.storage.topics()}
    rows = [
        ("https://a.example/rss", "Новости & <события>", ("sport", "central-asia")),
        ("https://b.example/feed?x=1&y=2", "B", ()),
        ("https://c.example/atom", "C", ("central-asia",)),
    ]
    for url, title, topic_slugs in rows:
        await bot.storage.add_feed(
            url,
            title=title,
            interval_seconds=600,
            next_check_at=0,
            now=0,
            topic_ids=[topics[s] for s in topic_slugs],
        )

    bot.api.send_command("/export", user_id=ADMIN)
    (document,) = await api_of(bot).wait_for_documents(ADMIN, 1)

    assert document.file_name.endswith(".opml")
    assert document.params["caption"] == t("ru", "opml_exported", count=3)
    assert "reply_parameters" not in document.params  # like every reply: no quote
    exported = {f.url: f for f in parse_opml(document.data)}
    stored = await bot.storage.feeds()
    slugs = {tp.id: tp.slug for tp in await bot.storage.topics()}
    assert exported == {
        f.url: OpmlFeed(f.url, f.title, tuple(slugs[i] for i in f.topic_ids)) for f in stored
    }
    assert set(exported["https://a.example/rss"].categories) == {"sport", "central-asia"}


async def test_export_is_for_admins_only(files_bot: RunningBot) -> None:
    bot = files_bot
    await bot.storage.add_feed(
        "https://a.example/rss", title="A", interval_seconds=600, next_check_at=0, now=0
    )
    (answer,) = await bot.say("/export", user=USER)
    assert answer.text == t("ru", "admin_only")
    assert api_of(bot).documents == []


# --- the command line -------------------------------------------------------------------


def write_config(tmp_path: Path, database: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f"""[bot]
admins = [1]
database = "{database.as_posix()}"
poll_interval = 600

[[topics]]
slug = "central-asia"
name_ru = "Центральная Азия"
name_en = "Central Asia"
keywords = ["Казахстан"]

[[topics]]
slug = "sport"
name_ru = "Спорт"
name_en = "Sport"
keywords = ["футбол"]
""",
        encoding="utf-8",
    )
    return path


def stored_feeds(database: Path) -> list[OpmlFeed]:
    """The feeds a database holds, read through the production opener."""

    async def read() -> list[OpmlFeed]:
        storage = await open_storage(database)
        try:
            slugs = {tp.id: tp.slug for tp in await storage.topics()}
            return [
                OpmlFeed(f.url, f.title, tuple(slugs[i] for i in f.topic_ids))
                for f in await storage.feeds()
            ]
        finally:
            await storage.close()

    return asyncio.run(read())


def test_cli_import_then_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "cli.db"
    config = str(write_config(tmp_path, database))
    nested = str(OPML / "nested.opml")

    assert import_opml(config, nested) == 0
    out = capsys.readouterr()
    assert out.out == (
        f"{nested}: 4 added, 0 already followed, 4 skipped (not http(s)); "
        "unknown categories: news, politics, regional, summits\n"
    )
    assert out.err == ""
    feeds = stored_feeds(database)
    assert {(f.url, f.title): set(f.categories) for f in feeds} == {
        ("https://www.inform.kz/rss/rus.xml", "Kazinform"): {"central-asia", "sport"},
        ("https://asiaplustj.info/ru/rss", "Asia-Plus & friends"): {"central-asia"},
        ("https://www.heise.de/developer/rss/news-atom.xml", "Heise"): set(),
        ("http://sport.example/rss", "Sport feed (title attribute only)"): {"sport"},
    }

    assert import_opml(config, nested) == 0  # a second time: all already followed
    assert " 0 added, 4 already followed, " in capsys.readouterr().out

    exported = tmp_path / "out.opml"
    assert export_opml(config, str(exported)) == 0
    assert capsys.readouterr().out == f"{exported}: 4 feeds exported\n"
    assert sorted(parse_opml(exported.read_bytes()), key=lambda f: f.url) == sorted(
        feeds, key=lambda f: f.url
    )

    # The exported file imported into another database gives the same feeds and topics.
    other = tmp_path / "other"
    other.mkdir()
    other_config = str(write_config(other, other / "other.db"))
    assert import_opml(other_config, str(exported)) == 0
    assert " 4 added, 0 already followed, 0 skipped " in capsys.readouterr().out
    again = stored_feeds(other / "other.db")
    assert sorted(again, key=lambda f: f.url) == sorted(feeds, key=lambda f: f.url)


def test_cli_export_to_stdout(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    database = tmp_path / "cli.db"
    config = str(write_config(tmp_path, database))
    assert import_opml(config, str(OPML / "opml1.opml")) == 0
    capsysbinary.readouterr()
    assert export_opml(config, None) == 0
    out = capsysbinary.readouterr()
    assert [f.title for f in parse_opml(out.out)] == ["Café müsli news", "Scripting News"]
    assert out.err == b"2 feeds exported\n"


@pytest.mark.parametrize(
    ("file", "error"),
    [
        ("broken.opml", "broken XML"),
        ("external_entity.opml", "DOCTYPE"),
        ("no-such-file.opml", "cannot read"),
    ],
)
def test_cli_import_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], file: str, error: str
) -> None:
    database = tmp_path / "cli.db"
    config = str(write_config(tmp_path, database))
    assert import_opml(config, str(OPML / file)) == 1
    out = capsys.readouterr()
    assert out.out == ""
    (line,) = out.err.splitlines()
    assert line.startswith("error: ") and error in line
    if database.exists():
        assert stored_feeds(database) == []


def test_cli_refuses_a_huge_file_and_a_bad_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(write_config(tmp_path, tmp_path / "cli.db"))
    huge = tmp_path / "huge.opml"
    huge.write_bytes(build_opml([("https://a.example/", "x" * 100, ())]) * 30_000)
    assert import_opml(config, str(huge)) == 1
    assert "too large" in capsys.readouterr().err

    bad = tmp_path / "bad.toml"
    bad.write_text('[bot]\npoll_interval = 5\ncolour = "red"\n', encoding="utf-8")
    assert import_opml(str(bad), str(OPML / "nested.opml")) == 1
    assert export_opml(str(bad), None) == 1
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == 4 and all(line.startswith("error: [bot]") for line in errors)

    assert export_opml(config, None) == 1  # no database yet: nothing to export, none created
    assert "no such database" in capsys.readouterr().err
    assert not (tmp_path / "cli.db").exists()
