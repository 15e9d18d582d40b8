"""/follow, /unfollow, /following: words and phrases a chat follows of its own, beside the
admins' topics, and, where the configuration allows it, feeds of its own.

A phrase is matched as topics' keywords are (bot/follows.py); only items stored after the
follow reach the chat. A user's feed is fetched like the admins' (the same guarded fetcher)
and its items go to the chats following it only. In a group only its administrators change
what it follows, as with subscriptions; anyone may look.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from urllib.parse import urlsplit

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callbacks import Action
from bot.config import feed_url_key, is_http_url
from bot.context import NewsContext
from bot.delivery.render import cut_text
from bot.feeds.fetch import FetchError, UnsafeURLError
from bot.feeds.parse import FeedParseError
from bot.follows import (
    MAX_CHARS,
    MAX_WORDS,
    Refused,
    is_feed_address,
    parse_phrase,
    phrase_key,
    shown_form,
)
from bot.i18n import t, tn
from handlers.common import (
    e,
    echo,
    edit_pressed,
    lang_of,
    may_change_subscriptions,
    reply,
    stale_button,
    thread_of,
)
from storage import Feed, FeedExistsError, Follow

UNFOLLOW = Action("unfollow", (int,))  # ❌ under /unfollow's list: the follow's id
EXAMPLE = {"ru": "Казахстан", "en": "Kazakhstan"}
BUTTON_LABEL = 40  # characters of a phrase or feed title on a button
TOAST_LABEL = 100  # ... in the pop-up that answers a press (Telegram allows 200 in all)


async def follow(update: Update, context: NewsContext) -> None:
    """/follow <word or phrase>, or /follow <feed address> where users may add feeds."""
    lang, args = await lang_of(update, context), context.args or []
    text = " ".join(args)
    if not text.strip():
        await reply(update, _usage(context, lang))
        return
    if not await may_change_subscriptions(update, context):
        return
    if is_feed_address(text):
        await _follow_feed(update, context, lang, args)
    else:
        await _follow_phrase(update, context, lang, text)


def _usage(context: NewsContext, lang: str) -> str:
    text = t(lang, "usage_follow", example=EXAMPLE[lang], words=MAX_WORDS, chars=MAX_CHARS)
    if context.config.follows.users_can_add_feeds:
        text += "\n" + t(lang, "usage_follow_feeds")
    return text


async def _follow_phrase(update: Update, context: NewsContext, lang: str, text: str) -> None:
    # Off the event loop: the first phrase loads the morphology dictionaries.
    parsed = await asyncio.to_thread(parse_phrase, text)
    if isinstance(parsed, Refused):
        await reply(
            update,
            t(
                lang,
                f"follow_{parsed.reason}",
                phrase=echo(shown_form(text)),
                chars=MAX_CHARS,
                words=MAX_WORDS,
                example=EXAMPLE[lang],
            ),
        )
        return
    chat_id = await _register(update, context, lang)
    limit = context.config.follows.per_chat
    outcome = await context.storage.follow_phrase(
        chat_id,
        phrase=parsed.key,
        shown=parsed.shown,
        word_keys=parsed.word_keys,
        limit=limit,
        now=context.now(),
        thread_id=thread_of(update),
    )
    if outcome == "limit":
        await reply(update, tn(lang, "follow_limit_n", limit))
        return
    if outcome == "already":
        await reply(update, t(lang, "follow_already", phrase=e(parsed.shown)))
        return
    count, _ = await context.storage.follow_counts(chat_id)
    await reply(update, t(lang, "follow_added", phrase=e(parsed.shown), count=count, limit=limit))


async def _follow_feed(
    update: Update, context: NewsContext, lang: str, args: Sequence[str]
) -> None:
    user = update.effective_user
    settings = context.config.follows
    if not settings.users_can_add_feeds and not context.config.is_admin(user.id if user else None):
        await reply(update, t(lang, "follow_feeds_off"))
        return
    url = args[0]
    if len(args) != 1 or not is_http_url(url) or "@" in urlsplit(url).netloc:
        await reply(update, t(lang, "follow_bad_url", url=echo(" ".join(args))))
        return
    chat_id = await _register(update, context, lang)
    limit = settings.feeds_per_chat
    _, feeds = await context.storage.follow_counts(chat_id)
    feed = await _feed_at(context, url)
    if feed is None:
        if feeds >= limit:  # before fetching anything
            await reply(update, tn(lang, "follow_feed_limit_n", limit))
            return
        await reply(update, t(lang, "feed_checking"))
        try:
            feed, _ = await context.feeds.add_feed(
                url, added_by=user.id if user else None, by_users=True
            )
        except UnsafeURLError:  # said without the address it resolved to: no probing
            await reply(update, t(lang, "feed_failed", url=echo(url), reason=t(lang, "not_public")))
            return
        except (FetchError, FeedParseError) as exc:
            await reply(update, t(lang, "feed_failed", url=echo(url), reason=e(exc)))
            return
        except FeedExistsError as exc:  # someone added it meanwhile: the same feed, shared
            feed = exc.feed
    outcome = await context.storage.follow_feed(
        chat_id,
        feed.id,
        shown=feed.url,
        limit=limit,
        now=context.now(),
        thread_id=thread_of(update),
    )
    title = e(cut_text(feed.title or feed.url, 100))
    if outcome == "limit":
        await reply(update, tn(lang, "follow_feed_limit_n", limit))
    elif outcome == "already":
        await reply(update, t(lang, "follow_feed_already", title=title))
    else:
        await reply(update, t(lang, "follow_feed_added", title=title, count=feeds + 1, limit=limit))


async def _feed_at(context: NewsContext, url: str) -> Feed | None:
    """The feed already checked at this address (however its case or trailing slash
    differ): following it shares it."""
    key = feed_url_key(url)
    return next((f for f in await context.storage.feeds() if feed_url_key(f.url) == key), None)


async def _register(update: Update, context: NewsContext, lang: str) -> int:
    """The chat the command came from, known to storage (a follow belongs to it)."""
    chat = update.effective_chat
    assert chat is not None  # commands come from a chat
    await context.storage.upsert_chat(chat.id, type=chat.type, language=lang, now=context.now())
    return chat.id


async def following(update: Update, context: NewsContext) -> None:
    """/following: the chat's words, phrases and feeds, numbered as /unfollow takes them."""
    lang, chat = await lang_of(update, context), update.effective_chat
    if chat is None:
        return
    found = await context.storage.follows(chat.id, thread_of(update))
    if not found:
        await reply(update, t(lang, "following_empty", example=EXAMPLE[lang]))
        return
    words, feeds = await context.storage.follow_counts(chat.id)
    settings = context.config.follows
    lines = [t(lang, "following_header")]
    for n, item in enumerate(found, 1):
        if item.feed_id is None and n == 1:
            lines.append(t(lang, "following_words", count=words, limit=settings.per_chat))
        if item.feed_id is not None and (n == 1 or found[n - 2].feed_id is None):
            lines.append(t(lang, "following_feeds", count=feeds, limit=settings.feeds_per_chat))
        lines.append(_line(lang, n, item))
    lines += ["", t(lang, "following_hint")]
    await reply(update, "\n".join(lines))


def _line(lang: str, n: int, item: Follow) -> str:
    if item.feed_id is None:
        return t(lang, "following_line", n=n, phrase=e(item.shown))
    title = e(cut_text(item.feed_title or item.shown, 80))
    return t(lang, "following_feed_line", n=n, title=title, url=e(item.shown))


async def unfollow(update: Update, context: NewsContext) -> None:
    """/unfollow <number, phrase or feed address>; without one, the list with ❌ buttons."""
    lang, chat = await lang_of(update, context), update.effective_chat
    if chat is None:
        return
    text = " ".join(context.args or []).strip()
    found = await context.storage.follows(chat.id, thread_of(update))
    if not text:
        await reply(update, *_picker(lang, found))
        return
    if not await may_change_subscriptions(update, context):
        return
    named = await _named(found, text)
    removed = await context.storage.unfollow(chat.id, named.id) if named else None
    if removed is None:
        await reply(update, t(lang, "unfollow_unknown", phrase=echo(text)))
        return
    await reply(update, t(lang, "unfollowed", phrase=e(_label(removed))))


async def unfollow_pressed(update: Update, context: NewsContext) -> None:
    """❌ under /unfollow's list: that follow stops, and the list shows what is left."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None
    match UNFOLLOW.parse(query.data):
        case (int() as follow_id,) if chat is not None:
            pass
        case _:
            await stale_button(update, context)
            return
    if not await may_change_subscriptions(update, context):
        return
    removed = await context.storage.unfollow(chat.id, follow_id)
    if removed is None:  # removed already (a second tap), or not this chat's
        await stale_button(update, context)
        return
    lang = await lang_of(update, context)
    await query.answer(t(lang, "unfollowed", phrase=cut_text(_label(removed), TOAST_LABEL)))
    left = await context.storage.follows(chat.id, thread_of(update))
    await edit_pressed(update, *_picker(lang, left))


def _picker(lang: str, found: Sequence[Follow]) -> tuple[str, InlineKeyboardMarkup | None]:
    """What /unfollow shows: a ❌ button per follow, numbered as /following numbers them."""
    if not found:
        return t(lang, "following_empty", example=EXAMPLE[lang]), None
    buttons = [
        [
            InlineKeyboardButton(
                f"❌ {n}. {cut_text(_label(item), BUTTON_LABEL)}",
                callback_data=UNFOLLOW.data(item.id),
            )
        ]
        for n, item in enumerate(found, 1)
    ]
    return t(lang, "unfollow_pick"), InlineKeyboardMarkup(buttons)


def _label(item: Follow) -> str:
    return item.shown if item.feed_id is None else item.feed_title or item.shown


async def _named(found: Sequence[Follow], text: str) -> Follow | None:
    """The follow a user names: its number in the list, the feed's address, or the phrase
    in any case or spelling that normalises the same."""
    number = text.lstrip("#№")
    if number.isascii() and number.isdigit():
        index = int(number[:6]) - 1  # a huge number names nothing
        return found[index] if 0 <= index < len(found) else None
    if is_feed_address(text):
        key = feed_url_key(text)
        return next((f for f in found if f.feed_id and feed_url_key(f.shown) == key), None)
    wanted = await asyncio.to_thread(phrase_key, text)
    shown = shown_form(text).casefold()
    return next(
        (
            f
            for f in found
            if f.feed_id is None and (f.phrase == wanted or f.shown.casefold() == shown)
        ),
        None,
    )
