"""OPML reading and writing on real files: folders, encodings, bad addresses, hostile XML."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.opml import (
    MAX_DEPTH,
    MAX_OPML_BYTES,
    OpmlError,
    OpmlFeed,
    build_opml,
    export_rows,
    name_list,
    parse_opml,
    plan_import,
    read_opml,
)
from storage import Feed, Topic
from tests.conftest import DATA_DIR

OPML = DATA_DIR / "opml"


def opml_bytes(body: str, *, declaration: str = '<?xml version="1.0" encoding="UTF-8"?>') -> bytes:
    return f'{declaration}\n<opml version="2.0"><head/><body>{body}</body></opml>'.encode()


# --- reading ----------------------------------------------------------------------------


def test_nested_folders_become_categories_and_a_repeated_feed_is_kept_once() -> None:
    document = read_opml((OPML / "nested.opml").read_bytes())
    assert document.feeds == (
        OpmlFeed(
            "https://www.inform.kz/rss/rus.xml",
            "Kazinform",
            # both folders it sits in (News/Central-Asia, and Sport for its second listing)
            ("news", "central-asia", "sport"),
        ),
        OpmlFeed(
            "https://asiaplustj.info/ru/rss",
            "Asia-Plus & friends",
            ("news", "central-asia", "politics", "summits", "regional"),
        ),
        OpmlFeed("https://www.heise.de/developer/rss/news-atom.xml", "Heise", ("news",)),
        OpmlFeed("http://sport.example/rss", "Sport feed (title attribute only)", ("sport",)),
    )
    assert document.duplicates == 1
    # relative, ftp:, javascript: and empty addresses are left out and counted
    assert document.skipped == (
        "/feeds/local.xml",
        "ftp://ftp.example/feed.xml",
        "javascript:alert(1)",
        "",
    )


def test_opml_1_0_in_latin_1_with_lower_case_attribute_names() -> None:
    feeds = parse_opml((OPML / "opml1.opml").read_bytes())
    assert [(f.url, f.title) for f in feeds] == [
        ("http://cafe.example/rss.xml", "Café müsli news"),
        ("http://scripting.example/rss.xml", "Scripting News"),
    ]
    assert all(f.categories == () for f in feeds)


def test_windows_1251_as_declared() -> None:
    data = (OPML / "windows1251.opml").read_bytes()
    assert "Новости".encode("cp1251") in data  # the fixture really is windows-1251
    feeds = parse_opml(data)
    assert feeds == [
        OpmlFeed("http://www.oren.ru/rss/news.xml", "Новости Оренбурга", ("центральная азия",)),
        OpmlFeed("https://sport.example/rss", "Спорт: футбол", ("спорт",)),
    ]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-8-sig", "utf-32"])
def test_wide_encodings_and_byte_order_marks(codec: str) -> None:
    encoding = "UTF-16" if "16" in codec else "UTF-32" if "32" in codec else "UTF-8"
    text = opml_bytes(
        '<outline text="Жетысу" xmlUrl="https://zhetysu.example/rss"/>',
        declaration=f'<?xml version="1.0" encoding="{encoding}"?>',
    ).decode()
    (feed,) = parse_opml(text.encode(codec))
    assert (feed.url, feed.title) == ("https://zhetysu.example/rss", "Жетысу")


def test_a_shift_jis_file_is_read_too() -> None:
    """expat itself knows no multi-byte legacy encodings; the reader decodes them first."""
    data = opml_bytes(
        '<outline text="ニュース" xmlUrl="https://jp.example/rss"/>',
        declaration='<?xml version="1.0" encoding="Shift_JIS"?>',
    ).decode()
    (feed,) = parse_opml(data.encode("shift_jis"))
    assert feed.title == "ニュース"


def test_bad_addresses_are_skipped_and_counted() -> None:
    document = read_opml(
        opml_bytes(
            '<outline xmlUrl="feeds/relative.xml"/>'
            '<outline xmlUrl="//no-scheme.example/rss"/>'
            '<outline xmlUrl="ftp://ftp.example/rss"/>'
            '<outline xmlUrl="JavaScript:alert(document.cookie)"/>'
            '<outline xmlUrl="data:text/xml,&lt;rss/&gt;"/>'
            '<outline xmlUrl="file:///etc/passwd"/>'
            '<outline xmlUrl="http://"/>'
            '<outline xmlUrl="http://spaces in.example/rss"/>'
            '<outline xmlUrl="http://[::1/rss"/>'
            f'<outline xmlUrl="https://long.example/{"a" * 3000}"/>'
            '<outline xmlUrl="  HTTPS://ok.example/rss  "/>'
        )
    )
    assert [f.url for f in document.feeds] == ["HTTPS://ok.example/rss"]
    assert len(document.skipped) == 10


def test_duplicates_merge_categories_and_keep_the_first_title() -> None:
    feeds = parse_opml(
        opml_bytes(
            '<outline text="a"><outline xmlUrl="https://x.example/rss" text=""/></outline>'
            '<outline text="b"><outline xmlUrl="https://X.EXAMPLE/rss#top" text="X"/></outline>'
            '<outline xmlUrl="https://x.example:443/rss/" category="b"/>'
            '<outline xmlUrl="https://x.example/rss" text="Y" category="a,c"/>'
        )
    )
    assert feeds == [OpmlFeed("https://x.example/rss", "X", ("a", "b", "c"))]


def test_titles_are_one_line_and_folders_without_names_add_nothing() -> None:
    (feed,) = parse_opml(
        opml_bytes(
            '<outline text="">'
            '<outline text="  Two\nlines &#9; here " xmlUrl="https://t.example/"/>'
            "</outline>"
        )
    )
    assert feed == OpmlFeed("https://t.example/", "Two lines here", ())


@pytest.mark.parametrize(
    "name",
    ["billion_laughs.opml", "external_entity.opml", "parameter_entity.opml"],
)
def test_doctype_documents_are_refused_without_expansion(name: str) -> None:
    data = (OPML / name).read_bytes()
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(OpmlError, match="DOCTYPE"):
            parse_opml(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    # Expanded, lol9 alone would be 3 GB; refused at the DOCTYPE, nothing grows.
    print(f"{name}: refused in {elapsed * 1000:.2f} ms, peak {peak / 1024:.0f} KiB")
    assert peak < 1024 * 1024


def test_an_undeclared_entity_is_broken_xml_not_a_lookup() -> None:
    with pytest.raises(OpmlError, match="broken XML"):
        parse_opml(opml_bytes('<outline text="&secret;" xmlUrl="https://e.example/"/>'))


def test_too_large_is_refused_before_parsing() -> None:
    padding = "<!--" + "x" * MAX_OPML_BYTES + "-->"
    data = opml_bytes(padding + '<outline xmlUrl="https://big.example/"/>')
    with pytest.raises(OpmlError, match="too large"):
        parse_opml(data)
    # the same file passes when the cap allows it: the size was the only reason
    assert len(parse_opml(data, max_bytes=len(data))) == 1


def test_too_many_feeds_is_refused() -> None:
    body = "".join(f'<outline xmlUrl="https://f{i}.example/rss"/>' for i in range(11))
    assert len(parse_opml(opml_bytes(body), max_feeds=11)) == 11
    with pytest.raises(OpmlError, match="more than 10 feeds"):
        parse_opml(opml_bytes(body), max_feeds=10)


def test_deep_nesting_is_refused() -> None:
    deep = '<outline text="f">' * (MAX_DEPTH + 1) + "</outline>" * (MAX_DEPTH + 1)
    with pytest.raises(OpmlError, match="nested"):
        parse_opml(opml_bytes(deep))
    shallow = '<outline text="f">' * 10 + '<outline xmlUrl="https://d.example/"/>'
    (feed,) = parse_opml(opml_bytes(shallow + "</outline>" * 10))
    assert feed.categories == ("f",)  # the same folder name counts once


@pytest.mark.parametrize("data", [b"", b"   \n\t ", b"\n"])
def test_an_empty_file_is_refused(data: bytes) -> None:
    with pytest.raises(OpmlError, match="empty"):
        parse_opml(data)


def test_an_empty_body_has_no_feeds() -> None:
    assert parse_opml(b'<opml version="2.0"><head/><body/></opml>') == []


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"just some text, not XML", "broken XML"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n", "not valid utf-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not valid utf-8"),
        (b"<html><body><p>a web page</p></body></html>", "<html>, not <opml>"),
        (b'<?xml version="1.0" encoding="x-no-such-codec"?><opml/>', "unknown encoding"),
    ],
)
def test_what_is_not_opml_says_so(data: bytes, reason: str) -> None:
    with pytest.raises(OpmlError, match=reason):
        parse_opml(data)


@pytest.mark.parametrize(
    ("name", "reason"), [("broken.opml", "broken XML"), ("rss_not_opml.xml", "<rss>")]
)
def test_broken_and_foreign_files(name: str, reason: str) -> None:
    with pytest.raises(OpmlError, match=reason):
        parse_opml((OPML / name).read_bytes())


# --- planning an import -----------------------------------------------------------------

TOPICS = [
    Topic(1, "central-asia", "Центральная Азия", "Central Asia"),
    Topic(2, "sport", "Спорт", "Sport"),
]


def test_categories_name_topics_by_slug_or_name_and_the_rest_are_reported() -> None:
    feeds = [
        *parse_opml((OPML / "windows1251.opml").read_bytes()),
        OpmlFeed("https://a.example/rss", "A", ("central-asia", "Sport", "misc")),
        OpmlFeed("https://b.example/rss", "B", ("news", "misc")),
    ]
    plan = plan_import(feeds, followed_urls=["https://B.example:443/rss/"], topics=TOPICS)
    assert [(feed.url, ids) for feed, ids in plan.new] == [
        ("http://www.oren.ru/rss/news.xml", (1,)),  # folder "Центральная Азия" = name_ru
        ("https://sport.example/rss", (2,)),  # category "Спорт"
        ("https://a.example/rss", (1, 2)),
    ]
    assert [feed.url for feed in plan.existing] == ["https://b.example/rss"]
    assert plan.unknown_categories == ("misc", "news")


def test_name_list_stays_short() -> None:
    assert name_list(["a", "b"]) == "a, b"
    assert name_list([f"category-{i}" for i in range(500)], limit=60) == (
        "category-0, category-1, category-2, category-3, category-4, … (+495)"
    )
    assert name_list(["x" * 100, "y"], limit=10) == "xxxxxxxxxx… (+1)"


# --- writing ----------------------------------------------------------------------------


def test_built_file_groups_by_first_topic_and_lists_every_topic() -> None:
    data = build_opml(
        [
            ("https://a.example/rss?x=1&y=2", 'A & "B" <c>', ["sport", "central-asia"]),
            ("https://b.example/rss", "B", []),
            ("https://c.example/rss", "C", ["central-asia"]),
        ]
    )
    text = data.decode("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    assert text.count("<?xml") == 1
    # folders by slug: central-asia (holding C), then sport (holding A), then loose B
    assert (
        text.index('text="central-asia"')
        < text.index("c.example")
        < text.index('text="sport"')
        < text.index("a.example")
        < text.index("b.example")
    )
    assert 'category="sport,central-asia"' in text
    assert parse_opml(data) == [
        OpmlFeed("https://c.example/rss", "C", ("central-asia",)),
        OpmlFeed("https://a.example/rss?x=1&y=2", 'A & "B" <c>', ("sport", "central-asia")),
        OpmlFeed("https://b.example/rss", "B", ()),
    ]


def test_characters_xml_cannot_carry_are_dropped_not_written() -> None:
    data = build_opml([("https://a.example/rss", "bell\x07 and nul\x00", ["x"])], title="t\x0b")
    (feed,) = parse_opml(data)
    assert feed.title == "bell and nul"


def stored_feed(feed_id: int, url: str, title: str, topic_ids: tuple[int, ...] = ()) -> Feed:
    return Feed(
        id=feed_id,
        url=url,
        title=title,
        enabled=True,
        fulltext=False,
        etag=None,
        last_modified=None,
        interval_seconds=600,
        next_check_at=0.0,
        primed=False,
        error_count=0,
        last_error=None,
        last_checked_at=None,
        last_ok_at=None,
        added_by=None,
        topic_ids=topic_ids,
        source="admin",
        paused_reason=None,
        alerted=False,
        content_hash=None,
    )


def test_export_rows_use_slugs_in_the_feeds_order() -> None:
    feeds = [
        stored_feed(1, "https://a.example/", "A", (2, 1, 99)),
        stored_feed(2, "https://b.example/", "B"),
    ]
    assert export_rows(feeds, TOPICS) == [
        ("https://a.example/", "A", ("sport", "central-asia")),  # 99: a topic since removed
        ("https://b.example/", "B", ()),
    ]


_SLUG = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,12}", fullmatch=True)
_TITLE = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Co", "Cn"]),
    max_size=80,
)
_URL = st.builds(
    lambda scheme, host, path, query: f"{scheme}://{host}.example/{path}{query}",
    st.sampled_from(["http", "https"]),
    st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9._~/%-]{0,30}", fullmatch=True),
    st.sampled_from(["", "?a=1&b=<2>", "?q=\"x\"&r='y'"]),
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(_URL, _TITLE, st.lists(_SLUG, max_size=3, unique=True)),
        max_size=8,
        unique_by=lambda row: row[0],
    ),
    _TITLE,
)
def test_round_trip(rows: list[tuple[str, str, list[str]]], title: str) -> None:
    parsed = parse_opml(build_opml(rows, title=title))
    expected = {
        url: OpmlFeed(url, " ".join(name.split()), tuple(slugs)) for url, name, slugs in rows
    }
    assert sorted(parsed, key=lambda f: f.url) == sorted(expected.values(), key=lambda f: f.url)
