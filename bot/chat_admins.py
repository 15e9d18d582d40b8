"""Who may change a group's subscriptions: its administrators, asked of Telegram, briefly cached.

A group's subscriptions decide what every member receives, so an ordinary member may not
change them. Telegram is asked (getChatMember) at most once a minute per user and group.
"""

from __future__ import annotations

from collections.abc import Callable

from telegram import Bot
from telegram.constants import ChatMemberStatus

CACHE_SECONDS = 60.0
MAX_ENTRIES = 10_000  # a bound on memory, not a policy
ADMIN_STATUSES = frozenset({ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER})


class ChatAdmins:
    def __init__(
        self,
        clock: Callable[[], float],
        cache_seconds: float = CACHE_SECONDS,
        max_entries: int = MAX_ENTRIES,
    ) -> None:
        self._clock = clock
        self._cache_seconds = cache_seconds
        self._max_entries = max_entries
        self._known: dict[tuple[int, int], tuple[bool, float]] = {}

    async def is_admin(self, bot: Bot, chat_id: int, user_id: int) -> bool:
        key, now = (chat_id, user_id), self._clock()
        cached = self._known.get(key)
        if cached is not None and cached[1] > now:
            return cached[0]
        member = await bot.get_chat_member(chat_id, user_id)
        answer = member.status in ADMIN_STATUSES
        if len(self._known) > self._max_entries:  # old answers are cheap to ask again
            self._known.clear()
        self._known[key] = (answer, now + self._cache_seconds)
        return answer
