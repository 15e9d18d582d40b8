"""Admin commands: /addfeed, /removefeed, /feeds."""

from __future__ import annotations

from telegram import Update

from bot.config import is_http_url
from bot.context import NewsContext
from bot.delivery.render import Block, format_date, pack_messages
from bot.feeds.fetch import FetchError
from bot.feeds.parse import FeedParseError
from bot.i18n import t
from handlers.common import admin_only, e, lang_of, reply, reply_all, topic_list
from storage import FeedExistsError


@admin_only
async def addfeed(update: Update, context: NewsContext) -> None:
    lang = lang_of(update, context)
    args = context.args or []
    if not args:
        await reply(update, t(lang, "usage_addfeed"))
        return
    url, slugs = args[0], [s.lower() for s in args[1:]]
    if not is_http_url(url):
        await reply(update, t(lang, "bad_url", url=e(url)))
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
                slugs=e(", ".join(unknown)),
                available=topic_list(available, lang),
            ),
        )
        return
    existing = await context.storage.feed_by_url(url)
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
        await reply(update, t(lang, "feed_failed", url=e(url), reason=e(exc)))
        return
    except FeedExistsError as exc:
        await reply(update, t(lang, "feed_exists", title=e(exc.feed.title), id=exc.feed.id))
        return
    await reply(update, t(lang, "feed_added", title=e(feed.title), id=feed.id, count=count))


@admin_only
async def removefeed(update: Update, context: NewsContext) -> None:
    lang = lang_of(update, context)
    args = context.args or []
    if len(args) != 1:
        await reply(update, t(lang, "usage_removefeed"))
        return
    ref = args[0].lstrip("#№")
    feed = await (
        context.storage.feed(int(ref)) if ref.isdigit() else context.storage.feed_by_url(ref)
    )
    if feed is None or not await context.storage.remove_feed(feed.id):
        await reply(update, t(lang, "feed_not_found", ref=e(args[0])))
        return
    await reply(update, t(lang, "feed_removed", title=e(feed.title), id=feed.id))


@admin_only
async def feeds(update: Update, context: NewsContext) -> None:
    lang = lang_of(update, context)
    found = await context.storage.feeds()
    if not found:
        await reply(update, t(lang, "feeds_empty"))
        return
    topics = {tp.id: tp.slug for tp in await context.storage.topics()}
    tz = context.config.timezone
    blocks = [Block(t(lang, "feeds_header"))]
    for feed in found:
        blocks.append(
            Block(
                t(
                    lang,
                    "feed_status",
                    id=feed.id,
                    title=e(feed.title or feed.url),
                    url=e(feed.url),
                    topics=e(", ".join(topics[i] for i in feed.topic_ids if i in topics))
                    or t(lang, "none"),
                    ok=format_date(feed.last_ok_at, tz) or t(lang, "never"),
                    error=e(feed.last_error) if feed.last_error else t(lang, "none"),
                    next=format_date(feed.next_check_at, tz)
                    if feed.enabled
                    else t(lang, "disabled"),
                )
            )
        )
    await reply_all(update, pack_messages(blocks))
