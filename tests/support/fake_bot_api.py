"""A fake Telegram Bot API on 127.0.0.1, enough for PTB's polling and sending.

PTB posts form-encoded bodies to <base_url><token>/<method>. getUpdates hands out queued
updates; sendMessage is recorded and answered with a Message, and edits of it change the
record. A test can press an inline button (`press`); answerCallbackQuery is recorded. Unknown
methods get ok/true
(PTB calls a few housekeeping methods, such as deleteWebhook, that tests do not care about).
Messages come from private chats, groups or forum topics; a test may script Bot API errors
for the next sendMessage calls to a chat (`fail_next_send`).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from tests.support.telegram_html import shown_length, telegram_html_problems

BOT_USER = {
    "id": 4242,
    "is_bot": True,
    "first_name": "newsbot",
    "username": "newsbot_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class SentMessage:
    chat_id: int
    text: str
    params: dict[str, Any]
    message_id: int
    edits: int = 0  # how often editMessageText/editMessageReplyMarkup changed it

    @property
    def buttons(self) -> list[list[tuple[str, str]]]:
        """The inline keyboard, row by row: (text, callback_data or url) per button."""
        markup = self.params.get("reply_markup")
        if not markup:
            return []
        rows = (json.loads(markup) if isinstance(markup, str) else markup)["inline_keyboard"]
        return [[(b["text"], b.get("callback_data") or b.get("url", "")) for b in r] for r in rows]

    def button_data(self, label_part: str) -> str:
        """The callback_data of the one button whose text contains `label_part`."""
        found = [data for row in self.buttons for text, data in row if label_part in text]
        if len(found) != 1:
            raise AssertionError(f"{len(found)} buttons with {label_part!r}: {self.buttons}")
        return found[0]

    @property
    def thread_id(self) -> int | None:
        """The forum topic it was sent to (form fields arrive as strings), None for none."""
        value = self.params.get("message_thread_id")
        return int(value) if value not in (None, "") else None


BOT_ID = BOT_USER["id"]
_NO_GIFTS = {
    "unlimited_gifts": False,
    "limited_gifts": False,
    "unique_gifts": False,
    "premium_subscription": False,
    "gifts_from_channels": False,
}
_ADMIN_RIGHTS = [
    "can_be_edited",
    "is_anonymous",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
]


def _member(user: dict[str, Any], status: str, *, can_post: bool = False) -> dict[str, Any]:
    """A ChatMember as the Bot API gives it; an administrator may post (in a channel) or not."""
    member: dict[str, Any] = {"status": status, "user": user}
    if status == "creator":
        member["is_anonymous"] = False
    if status == "kicked":
        member["until_date"] = 0
    if status == "restricted":  # restricted and no longer a member: out, as "left" is
        rights = "change_info invite_users pin_messages send_messages send_polls"
        rights += " send_other_messages add_web_page_previews manage_topics send_audios"
        rights += " send_documents send_photos send_videos send_video_notes send_voice_notes"
        rights += " edit_tag react_to_messages"
        member |= {f"can_{right}": False for right in rights.split()}
        member |= {"is_member": False, "until_date": 0}
    if status == "administrator":
        member |= dict.fromkeys(_ADMIN_RIGHTS, False)
        member["can_post_messages"] = can_post
    return member


def api_error(status: int, description: str) -> tuple[int, dict[str, Any]]:
    """A Bot API error answer: the HTTP status and the body Telegram sends with it."""
    return status, {"ok": False, "error_code": status, "description": description}


def _refusal(params: dict[str, Any], limit: int) -> str | None:
    """Telegram's 400 for text it cannot take: bad HTML, or too long once parsed."""
    text = str(params.get("text", ""))
    if params.get("parse_mode") == "HTML":
        broken = [p for p in telegram_html_problems(text) if "over 4096" not in p]
        if broken:
            return f"Bad Request: can't parse entities: {broken[0]}"
        length = shown_length(text)
    else:
        length = len(text.encode("utf-16-le")) // 2
    if length > limit:
        return "Bad Request: message is too long"
    if not text.strip():
        return "Bad Request: message text is empty"
    return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a broadcast opens many connections at once; 5 would reset some


@dataclass(frozen=True)
class FloodLimits:
    """Telegram's limits as this fake enforces them, on arrival times: at most `per_second`
    messages in any second, one per `chat_interval` to a private chat, `group_count` in any
    `group_window` to a group (negative id). Past them: 429 with retry_after."""

    per_second: int = 30
    chat_interval: float = 1.0
    group_count: int = 20
    group_window: float = 60.0
    retry_after: int = 1


@dataclass
class FakeBotApi:
    token: str = "123456:TEST-TOKEN"
    sent: list[SentMessage] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    # chat id -> (HTTP status, Bot API error body) answered instead of sending, once per entry
    failures: dict[int, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    limits: FloodLimits | None = None  # None: no flood control
    too_many: list[int] = field(default_factory=list)  # chats that got a 429 from the limits
    allowed_updates: set[str] | None = None  # what the bot's getUpdates asked for
    # (chat id, user id) -> status getChatMember answers ("creator", "administrator", ...);
    # anyone else is an ordinary "member".
    members: dict[tuple[int, int], str] = field(default_factory=dict)
    delivered: dict[int, dict[str, Any]] = field(default_factory=dict)  # every update queued
    menus: list[dict[str, Any]] = field(default_factory=list)  # every setMyCommands accepted
    never_wrote: set[int] = field(default_factory=set)  # users with no private chat: no menu
    message_limit: int = 4096  # text longer than this once parsed: 400 "message is too long"
    # getChat: chats by "@username" and by id; the bot's rights there are in `members`
    # under BOT_ID ("administrator" may post unless the chat is in `cannot_post`).
    chats: dict[str, dict[str, Any]] = field(default_factory=dict)
    cannot_post: set[int] = field(default_factory=set)
    # answerCallbackQuery calls: {"callback_query_id", "text", "show_alert"}, in order
    answers: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._updates: list[dict[str, Any]] = []
        self._cond = threading.Condition()
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._chat_types: dict[int, str] = {}  # chats seen in send_command, for answers
        self._arrivals: list[float] = []  # accepted sendMessage arrival times, all chats
        self._chat_arrivals: dict[int, list[float]] = {}
        self._server = _Server(("127.0.0.1", 0), self._handler_class())
        # serve_forever looks at shutdown() every poll_interval: 0.5 s by default, per test.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    # --- lifecycle ----------------------------------------------------------------------

    def start(self) -> FakeBotApi:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/bot"

    # --- what tests do ------------------------------------------------------------------

    def send_command(
        self,
        text: str,
        *,
        user_id: int,
        chat_id: int | None = None,
        language: str = "ru",
        chat_type: str = "private",
        thread_id: int | None = None,
        is_topic_message: bool = True,
        edited: bool = False,
    ) -> int:
        """Queue a message from a user, as Telegram would deliver it (a private chat by default).
        `edited`: the user edited an earlier message into this text.

        `chat_type` "group" or "supergroup" sends it in a group (`chat_id` is then required).
        `thread_id` puts it in a thread: a forum topic (message_thread_id, is_topic_message and
        a forum chat), or with `is_topic_message=False` a chain of replies in an ordinary group,
        which Telegram numbers too although it is no topic.
        """
        if chat_type not in ("private", "group", "supergroup"):
            raise ValueError(f"unknown chat type {chat_type!r}")
        if chat_type != "private" and chat_id is None:
            raise ValueError("a group message needs the group's chat_id")
        command = text.split()[0] if text.startswith("/") else None
        chat: dict[str, Any] = {"id": chat_id or user_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = f"user{user_id}"
        else:
            chat["title"] = f"group{chat_id}"
        fields: dict[str, Any] = {"text": text}
        if thread_id is not None:
            fields["message_thread_id"] = thread_id
            if is_topic_message:
                fields["is_topic_message"] = True
                chat["is_forum"] = True
        if command:
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        kind = "edited_message" if edited else "message"
        return self.deliver(chat, user_id, language, fields, kind=kind)

    def deliver(
        self,
        chat: dict[str, Any],
        user_id: int,
        language: str,
        fields: dict[str, Any],
        *,
        kind: str = "message",
    ) -> int:
        """Queue a message with these `fields` (text, document, ...) from a user in `chat`;
        `kind` "edited_message" makes it an edit of an earlier message."""
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": {
                "id": user_id,
                "is_bot": False,
                "first_name": f"user{user_id}",
                "language_code": language,
            },
            **fields,
        }
        with self._cond:
            update_id = next(self._update_ids)
            self._chat_types[chat["id"]] = chat["type"]
            self._updates.append({"update_id": update_id, kind: message})
            self.delivered[update_id] = {"update_id": update_id, kind: message}
            self._cond.notify_all()
        return update_id

    def add_chat(self, chat_id: int, username: str, *, chat_type: str = "channel") -> None:
        """A chat getChat finds, by "@username" or id (the bot is no member until `members`
        says so)."""
        chat = {"id": chat_id, "type": chat_type, "title": username, "username": username}
        with self._cond:
            self.chats[f"@{username}"] = self.chats[str(chat_id)] = chat

    def membership_change(
        self, chat_id: int, *, user_id: int, old: str, new: str, chat_type: str = "private"
    ) -> int:
        """Queue a my_chat_member update: `user_id` changed the bot's status in the chat from
        `old` to `new` ("member", "administrator", "left", "kicked"; blocking the bot in a
        private chat is "kicked")."""
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = f"user{user_id}"
        else:
            chat["title"] = f"chat {chat_id}"
        change = {
            "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": f"user{user_id}"},
            "date": int(time.time()),
            "old_chat_member": _member(BOT_USER, old, can_post=True),
            "new_chat_member": _member(BOT_USER, new, can_post=True),
        }
        with self._cond:
            update_id = next(self._update_ids)
            self._updates.append({"update_id": update_id, "my_chat_member": change})
            self._cond.notify_all()
        return update_id

    def press(
        self,
        message: SentMessage | int,
        data: str | None,
        *,
        user_id: int,
        language: str = "ru",
        chat_type: str = "private",
        old: bool = False,
    ) -> str:
        """Queue a callback query: `user_id` pressed a button with `data` under the bot's
        `message` (or under a message id the bot never sent: a forged press). Returns the
        query's id, which answerCallbackQuery must name.

        A message sent to a forum thread is pressed there (message_thread_id, as Telegram
        shows it). `old`: a message too old for Telegram to show the bot, which then gets
        only its chat and id (an InaccessibleMessage: date 0, no thread, no text)."""
        with self._cond:
            query_id = f"q{next(self._update_ids)}"
            if isinstance(message, SentMessage):
                chat_id, message_id, text = message.chat_id, message.message_id, message.text
            else:
                chat_id, message_id, text = user_id, message, ""
            chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
            chat |= {"first_name": f"user{user_id}"} if chat_type == "private" else {"title": "g"}
            query: dict[str, Any] = {
                "id": query_id,
                "from": {
                    "id": user_id,
                    "is_bot": False,
                    "first_name": f"user{user_id}",
                    "language_code": language,
                },
                "chat_instance": str(chat_id),
                "message": {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": chat,
                    "from": BOT_USER,
                    "text": text,
                },
            }
            # --- presses in forum threads and under old messages ---
            thread = message.thread_id if isinstance(message, SentMessage) else None
            if thread is not None:
                query["message"] |= {"message_thread_id": thread, "is_topic_message": True}
                chat["is_forum"] = True
            if old:
                query["message"] = {"message_id": message_id, "date": 0, "chat": chat}
            if data is not None:
                query["data"] = data
            update_id = next(self._update_ids)
            self._updates.append({"update_id": update_id, "callback_query": query})
            self.delivered[update_id] = {"update_id": update_id, "callback_query": query}
            self._cond.notify_all()
        return query_id

    def answer_to(self, query_id: str) -> dict[str, Any] | None:
        with self._cond:
            return next((a for a in self.answers if a["callback_query_id"] == query_id), None)

    async def wait_for_answer(self, query_id: str, timeout: float = 10.0) -> dict[str, Any]:
        await self.wait_for(lambda: self.answer_to(query_id) is not None, timeout)
        answer = self.answer_to(query_id)
        assert answer is not None
        return answer

    def message(self, chat_id: int, message_id: int) -> SentMessage:
        with self._cond:
            return next(m for m in self.sent if (m.chat_id, m.message_id) == (chat_id, message_id))

    def fail_next_send(
        self,
        chat_id: int,
        status: int,
        description: str,
        *,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """Answer the next sendMessage to `chat_id` with this Bot API error instead of sending."""
        _, body = api_error(status, description)
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        if migrate_to_chat_id is not None:
            body["parameters"] = {"migrate_to_chat_id": migrate_to_chat_id}
        with self._cond:
            self.failures.setdefault(chat_id, []).append((status, body))

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        with self._cond:
            return [m for m in self.sent if m.chat_id == chat_id]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until `predicate` holds (checked whenever the server records something)."""

        def blocking() -> bool:
            with self._cond:
                return self._cond.wait_for(predicate, timeout)

        if not await asyncio.to_thread(blocking):
            raise AssertionError(f"condition not met within {timeout} s; sent: {self.sent!r}")

    async def wait_for_messages(
        self, chat_id: int, count: int, timeout: float = 10.0
    ) -> list[SentMessage]:
        await self.wait_for(
            lambda: len([m for m in self.sent if m.chat_id == chat_id]) >= count, timeout
        )
        return self.messages_to(chat_id)

    # --- the server ---------------------------------------------------------------------

    def _handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._cond:
            self.calls.append(method)
            self._cond.notify_all()
        if method == "getMe":
            return 200, {"ok": True, "result": BOT_USER}
        if method == "getUpdates":
            return 200, {"ok": True, "result": self._take_updates(params)}
        if method == "sendMessage":
            return self._send_message(params)
        if method in ("editMessageText", "editMessageReplyMarkup"):
            return self._edit_message(params, text=method == "editMessageText")
        if method == "answerCallbackQuery":
            return self._answer_callback(params)
        if method == "getChatMember":
            return 200, {"ok": True, "result": self._chat_member(params)}
        if method == "setMyCommands":
            scope = json.loads(params.get("scope") or '{"type": "default"}')
            if scope.get("chat_id") in self.never_wrote:
                return api_error(400, "Bad Request: chat not found")
            with self._cond:
                self.menus.append(
                    {
                        "scope": scope,
                        "language_code": params.get("language_code") or None,
                        "commands": json.loads(params["commands"]),
                    }
                )
            return 200, {"ok": True, "result": True}
        if method == "getChat":
            chat = self.chats.get(str(params.get("chat_id")))
            if chat is None:
                return api_error(400, "Bad Request: chat not found")
            full = {
                "accent_color_id": 0,
                "max_reaction_count": 11,
                "accepted_gift_types": _NO_GIFTS,
            }
            return 200, {"ok": True, "result": chat | full}
        return 200, {"ok": True, "result": True}

    def _take_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Updates from `offset` on, of the kinds the bot asked for (as Telegram: the last
        allowed_updates sent stays in force; none ever sent means every kind but a few)."""
        offset = int(params.get("offset") or 0)
        if params.get("allowed_updates"):
            self.allowed_updates = set(json.loads(params["allowed_updates"]))
        # Long polling, but short: PTB waits for the running getUpdates when it stops.
        wait = min(float(params.get("timeout") or 0), 0.5)
        with self._cond:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self._updates = [u for u in self._updates if self._wanted(u)]
            self._cond.wait_for(lambda: any(self._wanted(u) for u in self._updates), wait)
            return [u for u in self._updates if self._wanted(u)]

    def _chat_member(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        status = self.members.get((chat_id, user_id), "member")
        if user_id == BOT_ID:
            return _member(BOT_USER, status, can_post=chat_id not in self.cannot_post)
        user = {"id": user_id, "is_bot": False, "first_name": f"user{user_id}"}
        return _member(user, status)

    def _wanted(self, update: dict[str, Any]) -> bool:
        kinds = self.allowed_updates
        return kinds is None or any(kind in update for kind in kinds)

    def _send_message(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id = int(params["chat_id"])
        with self._cond:
            queued = self.failures.get(chat_id)
            if queued:
                status, body = queued.pop(0)
                return status, body
            if self.limits is not None and self._over_limit(chat_id, time.monotonic()):
                self.too_many.append(chat_id)
                self._cond.notify_all()
                retry = self.limits.retry_after
                return 429, {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {retry}",
                    "parameters": {"retry_after": retry},
                }
            refused = _refusal(params, self.message_limit)
            if refused is not None:
                return api_error(400, refused)
            message_id = next(self._message_ids)
            self.sent.append(SentMessage(chat_id, str(params.get("text", "")), params, message_id))
            chat_type = self._chat_types.get(chat_id, "private")
            self._cond.notify_all()
        result: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type},
            "from": BOT_USER,
            "text": params.get("text", ""),
        }
        if params.get("message_thread_id"):
            result["message_thread_id"] = int(params["message_thread_id"])
            result["is_topic_message"] = True
        return 200, {"ok": True, "result": result}

    def _edit_message(self, params: dict[str, Any], *, text: bool) -> tuple[int, dict[str, Any]]:
        """As Telegram: the message must exist, and an edit must change something."""
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        with self._cond:
            found = [m for m in self.sent if (m.chat_id, m.message_id) == (chat_id, message_id)]
            if not found:
                return api_error(400, "Bad Request: message to edit not found")
            message = found[0]
            new_text = str(params.get("text", "")) if text else message.text
            markup = params.get("reply_markup") or None
            if new_text == message.text and markup == (message.params.get("reply_markup") or None):
                return api_error(
                    400,
                    "Bad Request: message is not modified: specified new message content and "
                    "reply markup are exactly the same as a current content and reply markup "
                    "of the message",
                )
            if text:
                refused = _refusal(params, self.message_limit)
                if refused is not None:
                    return api_error(400, refused)
            message.text = new_text
            message.params = {**message.params, "reply_markup": markup}
            message.edits += 1
            self._cond.notify_all()
        result = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": self._chat_types.get(chat_id, "private")},
            "from": BOT_USER,
            "text": new_text,
        }
        return 200, {"ok": True, "result": result}

    def _answer_callback(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Recorded; a query may be answered once (Telegram refuses a second answer)."""
        query_id = str(params["callback_query_id"])
        with self._cond:
            if any(a["callback_query_id"] == query_id for a in self.answers):
                return api_error(
                    400,
                    "Bad Request: query is too old and response timeout expired or query "
                    "ID is invalid",
                )
            self.answers.append(
                {
                    "callback_query_id": query_id,
                    "text": params.get("text"),
                    "show_alert": str(params.get("show_alert", "")).lower() == "true",
                }
            )
            self._cond.notify_all()
        return 200, {"ok": True, "result": True}

    def _over_limit(self, chat_id: int, now: float) -> bool:
        """Whether one more message to `chat_id` now breaks a limit; records it if not."""
        assert self.limits is not None
        limits, mine = self.limits, self._chat_arrivals.setdefault(chat_id, [])
        if (
            sum(1 for t in self._arrivals[-limits.per_second :] if now - t < 1.0)
            >= limits.per_second
        ):
            return True
        if chat_id < 0:
            recent = [t for t in mine[-limits.group_count :] if now - t < limits.group_window]
            if len(recent) >= limits.group_count:
                return True
        elif mine and now - mine[-1] < limits.chat_interval:
            return True
        self._arrivals.append(now)
        mine.append(now)
        return False

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                prefix = f"/bot{api.token}/"
                if not self.path.startswith(prefix):
                    self._answer(*api_error(404, "Not Found"))
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8") if length else ""
                params: dict[str, Any] = {}
                if "json" in (self.headers.get("Content-Type") or ""):
                    params = json.loads(body or "{}")
                else:
                    params = dict(parse_qsl(body, keep_blank_values=True))
                status, answer = api._handle(self.path[len(prefix) :], params)
                self._answer(status, answer)

            do_GET = do_POST

            def _answer(self, status: int, answer: dict[str, Any]) -> None:
                data = json.dumps(answer).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)  # PTB may hang up on a long poll when stopping

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
