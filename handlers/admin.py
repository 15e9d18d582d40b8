"""Admin commands: /addfeed, /removefeed, /feeds, /feed, /refresh, /delivery, /stats."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from telegram import Update

from bot.config import feed_url_key, is_http_url
from bot.context import NewsContext
from bot.delivery.render import Block, cut_text, format_date, pack_messages
from bot.feeds.fetch import FetchError
from bot.feeds.parse import FeedParseError
from bot.i18n import t, tn
from handlers.common import (
    admin_only,
    e,
    echo,
    lang_of,
    only_argument,
    reply,
    reply_all,
    topic_list,
)
from storage import BotStats, Feed, FeedExistsError

TITLE_IN_LISTS = 80


@admin_only
async def addfeed(update: Update, context: NewsContext) -> None:
    lang = await lang_of(update, context)
    args = context.args or []
    if not args:
        await reply(update, t(lang, "usage_addfeed"))
        return
    url, slugs = args[0], [s.lower() for s in args[1:]]
    if not is_http_url(url):
        await reply(update, t(lang, "bad_url", url=echo(url)))
        return
    available = await context.storage.topics()
    by_slug = {tp.slug: tp for tp in available}
    unknown = [s for s in slugs if s not in by_slug]
    if unknown:
        await reply(
            update,
            t(
                lang,
                "unknown_topics",
                slugs=echo(", ".join(unknown)),
                available=topic_list(available, lang),
            ),
        )
        return
    existing = await _followed(context, url)
    if existing is not None:
        await reply(update, t(lang, "feed_exists", title=e(existing.title), id=existing.id))
        return
    await reply(update, t(lang, "feed_checking"))
    user = update.effective_user
    try:
        feed, count = await context.feeds.add_feed(
            url, topic_ids=[by_slug[s].id for s in slugs], added_by=user.id if user else None
        )
    except (FetchError, FeedParseError) as exc:
        await reply(update, t(lang, "feed_failed", url=echo(url), reason=e(exc)))
        return
    except FeedExistsError as exc:
        await reply(update, t(lang, "feed_exists", title=e(exc.feed.title), id=exc.feed.id))
        return
    await reply(update, t(lang, "feed_added", title=e(feed.title), id=feed.id, count=count))


@admin_only
async def removefeed(update: Update, context: NewsContext) -> None:
    lang = await lang_of(update, context)
    argument = only_argument(context)
    if argument is None:
        await reply(update, t(lang, "usage_removefeed"))
        return
    feed = await _feed_argument(context, argument)
    if feed is None or not await context.storage.remove_feed(feed.id):
        await reply(update, t(lang, "feed_not_found", ref=echo(argument)))
        return
    await reply(update, t(lang, "feed_removed", title=e(feed.title), id=feed.id))


async def _followed(context: NewsContext, url: str) -> Feed | None:
    """The feed already followed at this address, however its case or trailing slash differ."""
    key = feed_url_key(url)
    return next((f for f in await context.storage.feeds() if feed_url_key(f.url) == key), None)


async def _feed_argument(context: NewsContext, ref: str) -> Feed | None:
    """A feed named by its number (#3, №3, 3) or its address."""
    number = ref.lstrip("#№")
    if number.isascii() and number.isdigit() and len(number) < 19:  # not "²": int() refuses it
        return await context.storage.feed(int(number))
    return await _followed(context, ref) if is_http_url(ref) else None


async def _the_feed_named(
    update: Update, context: NewsContext, lang: str, usage_key: str
) -> Feed | None:
    """The one feed the command's argument names; otherwise the usage or "no such feed"."""
    argument = only_argument(context)
    if argument is None:
        await reply(update, t(lang, usage_key))
        return None
    found = await _feed_argument(context, argument)
    if found is None:
        await reply(update, t(lang, "feed_not_found", ref=echo(argument)))
    return found


def _health(feed: Feed, lang: str, tz: str) -> str:
    """One line a glance can read: state, number, title, and what is wrong if anything."""
    title = e(cut_text(feed.title or feed.url, TITLE_IN_LISTS))
    if not feed.enabled:
        return t(lang, "feed_line_paused", id=feed.id, title=title, reason=e(feed.paused_reason))
    if feed.error_count:
        return t(
            lang,
            "feed_line_failing",
            id=feed.id,
            title=title,
            count=feed.error_count,
            error=e(cut_text(feed.last_error or "", 120)),
        )
    ok = format_date(feed.last_ok_at, tz) or t(lang, "never")
    return t(lang, "feed_line_ok", id=feed.id, title=title, ok=ok)


@admin_only
async def feeds(update: Update, context: NewsContext) -> None:
    lang = await lang_of(update, context)
    found = await context.storage.feeds()
    if not found:
        await reply(update, t(lang, "feeds_empty"))
        return
    tz = context.config.timezone
    failing = sum(1 for f in found if f.enabled and f.error_count)
    paused = sum(1 for f in found if not f.enabled)
    header = t(lang, "feeds_header", total=len(found), failing=failing, paused=paused)
    blocks = [Block(header)]
    blocks += [Block(_health(f, lang, tz), tight=True) for f in found]
    await reply_all(update, pack_messages(blocks))


@admin_only
async def feed(update: Update, context: NewsContext) -> None:
    """Everything about one feed: address, topics, schedule, the last error."""
    lang = await lang_of(update, context)
    found = await _the_feed_named(update, context, lang, "usage_feed")
    if found is None:
        return
    topics = {tp.id: tp.slug for tp in await context.storage.topics()}
    tz = context.config.timezone
    state = (
        t(lang, "paused", reason=e(found.paused_reason))
        if not found.enabled
        else format_date(found.next_check_at, tz)
    )
    text = t(
        lang,
        "feed_details",
        id=found.id,
        title=e(cut_text(found.title or found.url, 300)),
        url=e(found.url),
        source=e(found.source),
        topics=e(", ".join(topics[i] for i in found.topic_ids if i in topics)) or t(lang, "none"),
        fulltext=t(lang, "yes" if found.fulltext else "no"),
        items=await context.storage.item_count(found.id),
        ok=format_date(found.last_ok_at, tz) or t(lang, "never"),
        checked=format_date(found.last_checked_at, tz) or t(lang, "never"),
        failures=found.error_count,
        error=e(found.last_error) if found.last_error else t(lang, "none"),
        next=state,
    )
    await reply(update, text)


@admin_only
async def refresh(update: Update, context: NewsContext) -> None:
    """Check a feed now (resuming it if it was paused) and say what came of it."""
    lang = await lang_of(update, context)
    found = await _the_feed_named(update, context, lang, "usage_refresh")
    if found is None:
        return
    outcome = await context.feeds.check_now(found.id)
    title = e(cut_text(found.title or found.url, TITLE_IN_LISTS))
    if outcome.error:
        await reply(
            update, t(lang, "refresh_failed", id=found.id, title=title, error=e(outcome.error))
        )
        return
    await reply(
        update,
        t(
            lang,
            "refresh_done",
            id=found.id,
            title=title,
            new=outcome.new_items,
            updated=outcome.updated,
            queued=outcome.queued,
        ),
    )


@admin_only
async def delivery(update: Update, context: NewsContext) -> None:
    """How delivery goes: the queue now, and the last day's cards sent and failed, with why."""
    lang, now = await lang_of(update, context), context.now()
    stats = await context.storage.delivery_stats(since=now - 24 * 3600, now=now)
    lines = [
        t(
            lang,
            "delivery_report",
            due=stats.due,
            held=stats.held,
            sending=stats.sending,
            sent=stats.sent,
            failed=stats.failed,
            paused=stats.paused_chats,
        )
    ]
    lines += [
        t(lang, "delivery_error", count=count, error=e(cut_text(error, 200)))
        for error, count in stats.errors
    ]
    await reply(update, "\n".join(lines))


@admin_only
async def stats(update: Update, context: NewsContext) -> None:
    """The bot at a glance: chats, subscriptions per topic, feeds, the outbox, today."""
    lang, now, tz = await lang_of(update, context), context.now(), context.config.timezone
    found = await context.storage.bot_stats(since=day_start(now, tz))
    # One message, unless there are so many topics that it must be split between lines.
    lines = stats_lines(found, lang, tz)
    await reply_all(update, pack_messages([Block(line, tight=True) for line in lines]))


def day_start(now: float, timezone: str) -> float:
    """The last local midnight (in `timezone`) at or before `now`."""
    local = datetime.fromtimestamp(now, UTC).astimezone(ZoneInfo(timezone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def stats_lines(found: BotStats, lang: str, timezone: str) -> list[str]:
    kinds = ", ".join(
        (
            tn(lang, "stats_private_n", found.chats_private),
            tn(lang, "stats_groups_n", found.chats_groups),
            tn(lang, "stats_channels_n", found.chats_channels),
        )
    )
    lines = [
        t(lang, "stats_header"),
        t(
            lang,
            "stats_chats",
            active=tn(lang, "stats_active_n", found.chats_active),
            kinds=kinds,
            paused=tn(lang, "stats_paused_n", found.chats_paused),
        ),
        t(lang, "stats_topics") if found.topics else "",
        *(
            tn(lang, "stats_topic_line_n", count, name=e(topic.name(lang)), slug=e(topic.slug))
            for topic, count in found.topics
        ),
        t(
            lang,
            "stats_feeds",
            healthy=tn(lang, "stats_healthy_n", found.feeds_healthy),
            failing=tn(lang, "stats_failing_n", found.feeds_failing),
            paused=tn(lang, "stats_feeds_paused_n", found.feeds_paused),
        ),
        t(
            lang,
            "stats_outbox",
            pending=tn(lang, "stats_pending_n", found.outbox_pending),
            failed=found.failed_today,
        ),
        t(lang, "stats_sent", timezone=e(timezone), sent=found.sent_today),
        tn(lang, "stats_storage_n", found.items, size=size_text(found.database_bytes, lang)),
    ]
    return [line for line in lines if line]


def size_text(size: int, lang: str) -> str:
    """A file's size as people read it: 512 KB, 45.2 MB (45,2 МБ), 1.3 GB."""
    for key, unit in (("size_gb", 1024**3), ("size_mb", 1024**2)):
        if size >= unit:
            number = f"{size / unit:.1f}"
            return t(lang, key, size=number.replace(".", ",") if lang == "ru" else number)
    return t(lang, "size_kb", size=max(1, round(size / 1024)))
