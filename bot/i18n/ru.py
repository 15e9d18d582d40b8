"""Russian messages."""

MESSAGES: dict[str, str] = {
    "welcome": (
        "Здравствуйте! Я присылаю новости по темам, на которые вы подпишетесь, "
        "и читаю каждую статью: кратко, кто с кем встретился и какие документы подписаны.\n\n"
        "Подписаться: /subscribe &lt;тема&gt;\nВсе команды: /help"
    ),
    "help": (
        "<b>Команды</b>\n"
        "/topics — список тем\n"
        "/subscribe &lt;тема&gt; — подписаться на тему\n"
        "/unsubscribe &lt;тема&gt; — отписаться\n"
        "/mysubs — мои подписки\n"
        "/latest [тема] — последние новости\n"
        "/summit — последний саммит: кто, где, итоги, документы\n"
        "/documents [тема] — последние подписанные документы\n"
        "/help — эта справка"
    ),
    "help_admin": (
        "\n\n<b>Для администраторов</b>\n"
        "/addfeed &lt;url&gt; [тема ...] — добавить ленту\n"
        "/removefeed &lt;url|id&gt; — удалить ленту\n"
        "/feeds — ленты и их состояние"
    ),
    "topics_header": "<b>Темы</b>",
    "topics_empty": "Тем пока нет.",
    "topic_line": "• <code>{slug}</code> — {name}",
    "usage_subscribe": "Использование: /subscribe &lt;тема&gt;, например /subscribe {example}",
    "usage_unsubscribe": "Использование: /unsubscribe &lt;тема&gt;",
    "unknown_topic": "Темы «{slug}» нет. Доступные темы: {available}",
    "subscribed": "Готово: вы подписаны на тему «{name}».",
    "already_subscribed": "Вы уже подписаны на тему «{name}».",
    "unsubscribed": "Вы отписались от темы «{name}».",
    "not_subscribed": "Вы не были подписаны на тему «{name}».",
    "mysubs_header": "<b>Ваши подписки</b>",
    "mysubs_empty": "У вас нет подписок. Темы: /topics",
    "summit_empty": "Саммитов и официальных переговоров пока не было.",
    "documents_empty": "Новостей с подписанными документами пока нет.",
    "latest_empty": "Новостей пока нет.",
    "admin_only": "Эта команда только для администраторов бота.",
    "usage_addfeed": "Использование: /addfeed &lt;url&gt; [тема ...]",
    "usage_removefeed": "Использование: /removefeed &lt;url или номер&gt;",
    "bad_url": "Это не адрес http(s): {url}",
    "unknown_topics": "Неизвестные темы: {slugs}. Доступные: {available}",
    "feed_checking": "Проверяю ленту…",
    "feed_added": "Лента добавлена: <b>{title}</b> (№{id}), записей: {count}. Новые записи буду присылать подписчикам.",
    "feed_exists": "Эта лента уже есть: <b>{title}</b> (№{id}).",
    "feed_failed": "Не удалось добавить ленту {url}: {reason}",
    "feed_removed": "Лента удалена: {title} (№{id}).",
    "feed_not_found": "Ленты {ref} нет. Список: /feeds",
    "feeds_header": "<b>Ленты</b>",
    "feeds_empty": "Лент пока нет. Добавить: /addfeed &lt;url&gt;",
    "feed_status": "№{id} <b>{title}</b>\n{url}\nтемы: {topics}\nуспех: {ok} · ошибка: {error}\nследующая проверка: {next}",
    "never": "никогда",
    "none": "нет",
    "disabled": "отключена",
    "untitled": "Без заголовка",
    "read_more": "Читать полностью",
    "documents_signed": "Подписано документов: {count}",
    "internal_error": "Что-то пошло не так. Мы уже разбираемся; попробуйте позже.",
}
