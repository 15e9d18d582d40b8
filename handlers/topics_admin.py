"""Topics managed in Telegram: /addtopic, /edittopic, /removetopic (with a confirmation).

A topic added or edited here is the admins' from then on: the configuration file no longer
changes it at start-up, and one removed here is not brought back by the file (bot/feeds/
sync.py). Subscribers hear of a rename and of a removal, in their language, through the
outbox.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callbacks import Action
from bot.config import TopicConfig
from bot.context import NewsContext
from bot.delivery import notices
from bot.i18n import t, tn
from bot.topic_forms import (
    EditForm,
    Problem,
    clash,
    command_text,
    edited,
    parse_edit,
    parse_new_topic,
)
from bot.topics import topic_named
from handlers.common import (
    admin_only,
    e,
    echo,
    edit_pressed,
    lang_of,
    reply,
    stale_button,
    topic_list,
)
from storage import Topic

REMOVE_TOPIC = Action("tdel", (int, str))  # topic id and slug: a reused id is not enough
KEEP_TOPIC = Action("tkeep", (int, str))


def _problem(lang: str, problem: Problem) -> str:
    return t(lang, problem.key, **{k: echo(v) for k, v in problem.values.items()})


def _keywords(keywords: tuple[str, ...], lang: str) -> str:
    return e(", ".join(keywords)) or t(lang, "none")


def _text(update: Update) -> str:
    message = update.effective_message
    return command_text(message.text or "") if message is not None else ""


@admin_only
async def addtopic(update: Update, context: NewsContext) -> None:
    lang = await lang_of(update, context)
    parsed = parse_new_topic(_text(update))
    if parsed is None:
        await reply(update, t(lang, "usage_addtopic"))
        return
    if isinstance(parsed, Problem):
        await reply(update, _problem(lang, parsed) + "\n\n" + t(lang, "usage_addtopic"))
        return
    topics = await context.storage.topics()
    if any(tp.slug == parsed.slug for tp in topics):
        await reply(update, t(lang, "topic_slug_taken", slug=e(parsed.slug)))
        return
    taken = clash(parsed, topics)
    if taken is not None:
        await reply(update, _problem(lang, taken))
        return
    added = await context.storage.add_topic(
        parsed.slug, parsed.name_ru, parsed.name_en, parsed.keywords
    )
    if added is None:  # another admin took the slug a moment ago
        await reply(update, t(lang, "topic_slug_taken", slug=e(parsed.slug)))
        return
    await reply(
        update,
        t(
            lang,
            "topic_added",
            name=e(added.name(lang)),
            slug=e(added.slug),
            keywords=_keywords(added.keywords, lang),
        ),
    )


@admin_only
async def edittopic(update: Update, context: NewsContext) -> None:
    lang = await lang_of(update, context)
    parsed = parse_edit(_text(update))
    if parsed is None:
        await reply(update, t(lang, "usage_edittopic"))
        return
    if isinstance(parsed, Problem):
        await reply(update, _problem(lang, parsed) + "\n\n" + t(lang, "usage_edittopic"))
        return
    topics = await context.storage.topics()
    topic = topic_named(parsed.topic, topics)
    if topic is None:
        await reply(
            update,
            t(lang, "unknown_topic", slug=echo(parsed.topic), available=topic_list(topics, lang)),
        )
        return
    if not parsed.field:
        await reply(update, _shown(topic, lang))
        return
    await _apply(update, context, lang, topic, parsed, topics)


async def _apply(
    update: Update,
    context: NewsContext,
    lang: str,
    topic: Topic,
    edit: EditForm,
    topics: list[Topic],
) -> None:
    form = edited(topic, edit)
    if isinstance(form, Problem):
        await reply(update, _problem(lang, form))
        return
    if form == TopicConfig(topic.slug, topic.name_ru, topic.name_en, topic.keywords):
        await reply(update, t(lang, "topic_unchanged"))
        return
    taken = clash(form, topics, topic_id=topic.id)
    if taken is not None:
        await reply(update, _problem(lang, taken))
        return
    renamed = Topic(topic.id, form.slug, form.name_ru, form.name_en, form.keywords)
    notice, tell = notices.topic_renamed(topic, renamed)
    outcome = await context.storage.edit_topic(
        topic.id,
        name_ru=form.name_ru,
        name_en=form.name_en,
        keywords=form.keywords,
        now=context.now(),
        notice=notice,
        tell=tell,
    )
    if outcome is None:  # removed meanwhile
        await reply(update, t(lang, "topic_gone"))
        return
    changed, told = outcome
    lines = [
        t(
            lang,
            "topic_edited",
            slug=e(changed.slug),
            name=e(changed.name(lang)),
            keywords=_keywords(changed.keywords, lang),
        )
    ]
    if told:
        lines.append(tn(lang, "topic_renamed_told_n", told))
        context.sender.wake()
    if any(configured.slug == topic.slug for configured in context.config.topics):
        lines.append(t(lang, "topic_from_config"))
    await reply(update, "\n".join(lines))


def _shown(topic: Topic, lang: str) -> str:
    """The topic as it is, with a line to copy and change."""
    example = f"/edittopic {topic.slug} keywords {', '.join(topic.keywords)}".strip()
    return t(
        lang,
        "topic_shown",
        name=e(topic.name(lang)),
        slug=e(topic.slug),
        name_ru=e(topic.name_ru),
        name_en=e(topic.name_en),
        keywords=_keywords(topic.keywords, lang),
        example=e(example),
    )


@admin_only
async def removetopic(update: Update, context: NewsContext) -> None:
    """Asks first: removing a topic removes every subscription to it."""
    lang = await lang_of(update, context)
    wanted = _text(update)
    if not wanted:
        await reply(update, t(lang, "usage_removetopic"))
        return
    topics = await context.storage.topics()
    topic = topic_named(wanted, topics)
    if topic is None:
        await reply(
            update, t(lang, "unknown_topic", slug=echo(wanted), available=topic_list(topics, lang))
        )
        return
    subscribers = await context.storage.topic_subscribers(topic.id)
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(lang, "button_remove_topic"),
                    callback_data=REMOVE_TOPIC.data(topic.id, topic.slug),
                ),
                InlineKeyboardButton(
                    t(lang, "button_keep_topic"),
                    callback_data=KEEP_TOPIC.data(topic.id, topic.slug),
                ),
            ]
        ]
    )
    text = t(
        lang,
        "removetopic_confirm",
        name=e(topic.name(lang)),
        slug=e(topic.slug),
        subscribers=tn(lang, "removetopic_subscribers_n", subscribers),
    )
    await reply(update, text, buttons)


async def _pressed_topic(
    update: Update, context: NewsContext, action: Action
) -> tuple[Topic, str] | None:
    """The topic a confirmation button names (by id and slug, so a slug reused since is not
    mistaken for it), with the chat's language; None, answered, if it is gone or the data is
    not the bot's."""
    query = update.callback_query
    assert query is not None
    match action.parse(query.data):
        case (int() as topic_id, str() as slug):
            pass
        case _:
            await stale_button(update, context)
            return None
    lang = await lang_of(update, context)
    topic = await context.storage.topic_by_id(topic_id)
    if topic is None or topic.slug != slug:
        await query.answer(t(lang, "topic_gone"))
        return None
    return topic, lang


@admin_only
async def remove_pressed(update: Update, context: NewsContext) -> None:
    query = update.callback_query
    assert query is not None
    pressed = await _pressed_topic(update, context, REMOVE_TOPIC)
    if pressed is None:
        return
    topic, lang = pressed
    told = await context.storage.remove_topic(
        topic.id, topic.slug, now=context.now(), notice=notices.topic_removed(topic)
    )
    if told is None:  # a second press, or another admin, came first
        await query.answer(t(lang, "topic_gone"))
        return
    context.sender.wake()
    text = tn(lang, "topic_removed_told_n", told, name=e(topic.name(lang)), slug=e(topic.slug))
    await edit_pressed(update, text)
    await query.answer()  # after the edit: when the button stops spinning, the message says why


@admin_only
async def keep_pressed(update: Update, context: NewsContext) -> None:
    query = update.callback_query
    assert query is not None
    pressed = await _pressed_topic(update, context, KEEP_TOPIC)
    if pressed is None:
        return
    topic, lang = pressed
    await edit_pressed(update, t(lang, "topic_kept", name=e(topic.name(lang))))
    await query.answer()
