"""/announce: an admin's text to every active chat, through the outbox, once confirmed.

The command stores a draft and shows it as it will be read, with "Send to N chats" and
"Cancel". Only the admin who wrote it can press them; the draft's status makes a second
press harmless (it is sent once), and the fan-out is one INSERT … SELECT, however many
chats there are, so the bot keeps answering while it is queued.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callbacks import Action
from bot.context import NewsContext
from bot.delivery import notices
from bot.i18n import t, tn
from bot.topic_forms import command_text
from handlers.common import admin_only, edit_pressed, lang_of, refuse, reply, stale_button
from storage import Notice

SEND_ANNOUNCEMENT = Action("annsend", (int,))
DROP_ANNOUNCEMENT = Action("anndrop", (int,))


@admin_only
async def announce(update: Update, context: NewsContext) -> None:
    lang, message, user = (
        await lang_of(update, context),
        update.effective_message,
        update.effective_user,
    )
    text = command_text(message.text or "") if message is not None else ""
    chats = await context.storage.active_chats()
    if not text:
        await reply(update, t(lang, "usage_announce", chats=tn(lang, "chats_n", chats)))
        return
    length = notices.announcement_length(text)
    if length > notices.ANNOUNCEMENT_LIMIT:
        await reply(
            update,
            tn(lang, "announce_too_long_n", length, most=notices.ANNOUNCEMENT_LIMIT),
        )
        return
    if chats == 0:
        await reply(update, t(lang, "announce_no_chats"))
        return
    assert user is not None  # admin_only let the user through
    body = notices.announcement(text)
    notice_id = await context.storage.draft_notice(body, created_by=user.id, now=context.now())
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    tn(lang, "announce_send_n", chats),
                    callback_data=SEND_ANNOUNCEMENT.data(notice_id),
                )
            ],
            [
                InlineKeyboardButton(
                    t(lang, "button_cancel"), callback_data=DROP_ANNOUNCEMENT.data(notice_id)
                )
            ],
        ]
    )
    await reply(update, tn(lang, "announce_preview_n", chats) + "\n\n" + body.ru, buttons)


async def _draft_pressed(update: Update, context: NewsContext, action: Action) -> Notice | None:
    """The announcement a press names, if the presser may act on it; else answered here."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    match action.parse(query.data):
        case (int() as notice_id,):
            notice = await context.storage.notice(notice_id)
        case _:
            notice = None
    if notice is None or notice.kind != "announcement":
        await stale_button(update, context)
        return None
    lang = await lang_of(update, context)
    if notice.created_by != user.id:
        await refuse(update, t(lang, "announce_not_yours"))
        return None
    if notice.status == "cancelled":
        await query.answer(t(lang, "announce_was_cancelled"))
        return None
    if notice.status == "queued":
        await query.answer(tn(lang, "announce_already_n", notice.chats))
        return None
    return notice


@admin_only
async def send_pressed(update: Update, context: NewsContext) -> None:
    notice = await _draft_pressed(update, context, SEND_ANNOUNCEMENT)
    if notice is None:
        return
    query = update.callback_query
    assert query is not None
    lang = await lang_of(update, context)
    queued = await context.storage.queue_notice(notice.id, now=context.now())
    if queued is None:  # a press a moment earlier queued or cancelled it
        await stale_button(update, context)
        return
    context.sender.wake()
    await edit_pressed(update, tn(lang, "announce_queued_n", queued) + "\n\n" + notice.text.ru)
    await query.answer()  # after the edit: when the button stops spinning, the message says so


@admin_only
async def drop_pressed(update: Update, context: NewsContext) -> None:
    notice = await _draft_pressed(update, context, DROP_ANNOUNCEMENT)
    if notice is None:
        return
    query = update.callback_query
    assert query is not None
    lang = await lang_of(update, context)
    if not await context.storage.cancel_notice(notice.id):
        await stale_button(update, context)
        return
    await edit_pressed(update, t(lang, "announce_cancelled"))
    await query.answer()
