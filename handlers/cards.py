"""The buttons under a pushed card (bot/delivery/render.py card_keyboard): the documents it
folds into a quote, as a list of their own; and leaving the topic that brought the card, with
an undo in the same place.

Cards are pressed long after they were sent: the item or the topic may be gone (the press is
then out of date), and Telegram may no longer show the message (the button carries its
thread, and the keyboard is not redrawn).
"""

from __future__ import annotations

from telegram import Chat, Update
from telegram.constants import ParseMode

from bot.callbacks import Action
from bot.context import NewsContext
from bot.delivery.render import (
    CARD_DOCUMENTS,
    CARD_RESUBSCRIBE,
    CARD_UNSUBSCRIBE,
    card_keyboard,
    item_card,
    render_documents,
)
from bot.i18n import t
from handlers.common import lang_of, stale_button
from handlers.subscriptions import edit_keyboard, may_press_here, pressed_thread, set_subscription

# The actions whose presses this module handles (made in render.py, where the cards are).
__all__ = [
    "CARD_DOCUMENTS",
    "CARD_RESUBSCRIBE",
    "CARD_UNSUBSCRIBE",
    "documents_pressed",
    "resubscribe_pressed",
    "unsubscribe_pressed",
]


async def documents_pressed(update: Update, context: NewsContext) -> None:
    """📄 Documents: every document of the item, numbered, as messages below the card. Anyone
    may press it, in a group too; channels get no buttons."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None
    match CARD_DOCUMENTS.parse(query.data):
        case (int() as item_id, int() as carried) if chat is not None:
            item = await context.storage.item_shown_to(item_id, chat.id)
        case _:
            item = None
    if item is None or not item_card(item).documents or chat is None or chat.type == Chat.CHANNEL:
        await stale_button(update, context)
        return
    lang, thread = await lang_of(update, context), pressed_thread(update, carried)
    await query.answer()
    for text in render_documents(item, lang):
        await context.bot.send_message(
            chat.id, text, parse_mode=ParseMode.HTML, message_thread_id=thread or None
        )


async def unsubscribe_pressed(update: Update, context: NewsContext) -> None:
    """🔕 Unsubscribe: <topic>. Done at once, told in a toast, and the button becomes its
    undo."""
    await _subscription_pressed(update, context, CARD_UNSUBSCRIBE, subscribe=False)


async def resubscribe_pressed(update: Update, context: NewsContext) -> None:
    """🔔 Subscribe again: the undo of the button above."""
    await _subscription_pressed(update, context, CARD_RESUBSCRIBE, subscribe=True)


async def _subscription_pressed(
    update: Update, context: NewsContext, action: Action, *, subscribe: bool
) -> None:
    query = update.callback_query
    assert query is not None
    match action.parse(query.data):
        case (int() as item_id, int() as topic_id, int() as carried):
            topic = await context.storage.topic_by_id(topic_id)
        case _:
            topic = None
    if topic is None:  # forged, or the topic was removed since the card was sent
        await stale_button(update, context)
        return
    if not await may_press_here(update, context):
        return
    lang, thread = await lang_of(update, context), pressed_thread(update, carried)
    await set_subscription(update, context, topic, thread, subscribe=subscribe)
    toast = "toast_subscribed" if subscribe else "toast_unsubscribed"
    await query.answer(t(lang, toast, name=topic.name(lang)))
    item = await context.storage.item(item_id)
    documents = item_card(item).documents if item is not None else ()  # gone: none to show
    markup = card_keyboard(
        item_id, len(documents), topic, lang, thread=thread, subscribed=subscribe
    )
    await edit_keyboard(update, markup)
