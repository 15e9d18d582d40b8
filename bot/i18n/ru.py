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
        "/subscribe @канал &lt;тема&gt; — подписать свой канал\n"
        "/digest 08:00 19:00 — дайджест вместо отдельных новостей\n"
        "/quiet 23:00 07:00 — тихие часы\n"
        "/timezone Asia/Almaty — часовой пояс\n"
        "/settings — настройки\n"
        "/latest [тема] — последние новости\n"
        "/summit — последний саммит: кто, где, итоги, документы\n"
        "/documents [тема] — последние подписанные документы\n"
        "/help — эта справка"
    ),
    "help_admin": (
        "\n\n<b>Для администраторов</b>\n"
        "/addfeed &lt;url&gt; [тема ...] — добавить ленту\n"
        "/removefeed &lt;url|id&gt; — удалить ленту\n"
        "/feeds — ленты и их состояние\n"
        "/feed &lt;номер&gt; — одна лента подробно\n"
        "/refresh &lt;номер&gt; — проверить ленту сейчас\n"
        "/delivery — доставка: очередь, отправлено, ошибки\n"
        "/export — все ленты файлом OPML\n"
        "Пришлите файл .opml — добавлю ленты из него"
    ),
    "hint": "Не понимаю. Что я умею: /help",
    "cmd_start": "начало и список тем",
    "cmd_help": "все команды",
    "cmd_topics": "темы для подписки",
    "cmd_subscribe": "подписаться на тему",
    "cmd_unsubscribe": "отписаться от темы",
    "cmd_mysubs": "мои подписки",
    "cmd_latest": "последние новости",
    "cmd_summit": "последний саммит",
    "cmd_documents": "подписанные документы",
    "cmd_digest": "дайджест по расписанию",
    "cmd_quiet": "тихие часы",
    "cmd_timezone": "часовой пояс",
    "cmd_settings": "настройки",
    "cmd_addfeed": "добавить ленту",
    "cmd_removefeed": "удалить ленту",
    "cmd_feeds": "ленты и их состояние",
    "cmd_feed": "одна лента подробно",
    "cmd_refresh": "проверить ленту сейчас",
    "cmd_delivery": "как идёт доставка",
    "cmd_export": "все ленты файлом OPML",
    "topics_header": "<b>Темы</b>",
    "topics_empty": "Тем пока нет.",
    "topic_line": "• <code>{slug}</code> — {name}",
    "usage_subscribe": (
        "Использование: /subscribe &lt;тема&gt;, например /subscribe {example}\n"
        "Для своего канала (в личном чате со мной): /subscribe @канал &lt;тема&gt;"
    ),
    "group_admins_only": "В группе подписку меняют только её администраторы.",
    "usage_unsubscribe": "Использование: /unsubscribe &lt;тема&gt; или /unsubscribe @канал &lt;тема&gt;",
    "usage_mysubs": "Использование: /mysubs или /mysubs @канал",
    "channel_from_private_chat": "Подписку канала меняют в личном чате со мной.",
    "channel_not_found": "Не нахожу канал {channel}. Добавьте меня в него администратором.",
    "not_a_channel": "{channel} — не канал.",
    "channel_bot_cannot_post": (
        "Я не могу публиковать в {channel}: сделайте меня администратором с правом публикации."
    ),
    "channel_admins_only": "Подписку канала {channel} меняют только его администраторы.",
    "channel_subscribed": "Готово: канал {channel} подписан на тему «{name}».",
    "channel_already_subscribed": "Канал {channel} уже подписан на тему «{name}».",
    "channel_unsubscribed": "Канал {channel} отписан от темы «{name}».",
    "channel_not_subscribed": "Канал {channel} не был подписан на тему «{name}».",
    "channel_subs_header": "<b>Подписки канала {channel}</b>",
    "channel_subs_empty": "У канала {channel} нет подписок. Темы: /topics",
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
    "feeds_empty": "Лент пока нет. Добавить: /addfeed &lt;url&gt;",
    "never": "никогда",
    "none": "нет",
    "disabled": "отключена",
    "untitled": "Без заголовка",
    "read_more": "Читать полностью",
    "documents_signed": "Подписано документов: {count}",
    "feeds_header": "<b>Ленты</b>: {total} · с ошибками: {failing} · остановлены: {paused}\nПодробно: /feed &lt;номер&gt; · проверить сейчас: /refresh &lt;номер&gt;",
    "feed_line_ok": "✅ №{id} {title} — успех {ok}",
    "feed_line_failing": "⚠️ №{id} {title} — ошибок подряд: {count}: {error}",
    "feed_line_paused": "⏸ №{id} {title} — остановлена: {reason}",
    "feed_details": "№{id} <b>{title}</b>\n{url}\nисточник: {source} · темы: {topics} · полный текст: {fulltext}\nзаписей: {items}\nуспех: {ok} · проверка: {checked}\nошибок подряд: {failures} · ошибка: {error}\nследующая проверка: {next}",
    "usage_feed": "Использование: /feed &lt;номер или url&gt;",
    "usage_refresh": "Использование: /refresh &lt;номер или url&gt;",
    "refresh_done": "Проверил №{id} {title}: новых {new}, обновлено {updated}, к отправке {queued}.",
    "refresh_failed": "Проверил №{id} {title}: ошибка — {error}",
    "paused": "остановлена ({reason})",
    "yes": "да",
    "no": "нет",
    "alert_failing": "⚠️ Лента №{id} <b>{title}</b> не читается: {reason}\n{url}\nПробую снова, всё реже. Подробно: /feed {id}",
    "alert_back": "✅ Лента №{id} <b>{title}</b> снова работает.",
    "alert_gone": "⏸ Лента №{id} <b>{title}</b> удалена на сервере ({reason}); я перестал её проверять.\n{url}\nПроверить снова: /refresh {id} · удалить: /removefeed {id}",
    "usage_digest": (
        "Использование: /digest 08:00 19:00 — дайджест в это время (до {most} раз в день); "
        "/digest off — каждая новость сразу"
    ),
    "digest_set": "Готово: дайджест в {times} ({timezone}). Следующий — {next}.",
    "digest_off": "Готово: каждая новость приходит сразу.",
    "usage_quiet": "Использование: /quiet 23:00 07:00 — тихие часы; /quiet off — без них",
    "quiet_set": (
        "Готово: с {start} до {end} ({timezone}) новости не приходят, а ждут конца тихих часов."
    ),
    "quiet_off": "Тихие часы выключены.",
    "usage_timezone": "Использование: /timezone Asia/Almaty — часовой пояс (IANA)",
    "timezone_set": "Готово: часовой пояс {timezone}, у вас сейчас {now}.",
    "unknown_timezone": (
        "Не знаю часового пояса «{name}». Примеры: Europe/Moscow, Asia/Almaty, Asia/Dushanbe."
    ),
    "settings": "<b>Настройки</b>\nЧасовой пояс: {timezone}\nДоставка: {mode}\nТихие часы: {quiet}",
    "mode_instant": "каждая новость сразу",
    "mode_digest": "дайджест в {times}",
    "quiet_hours": "с {start} до {end}",
    "quiet_none": "нет",
    "delivery_report": (
        "<b>Доставка</b>\nВ очереди: {due} · ждут дайджеста или конца тихих часов: {held}"
        " · отправляются: {sending}\nЗа сутки: отправлено {sent}, не доставлено {failed}"
        "\nЧатов на паузе (бот заблокирован или удалён): {paused}"
    ),
    "delivery_error": "• {count} × {error}",
    "digest_header": "Дайджест · {when} · новостей: {count}",
    "digest_other": "Другое",
    "digest_more": "ещё {count} новых записей",
    "digest_rest": "…и ещё {count}. Самые свежие: /latest",
    "more_items": "…и ещё {count} новых записей из <b>{source}</b>. Самые свежие: /latest",
    "also_in": "Также в: {sources}",
    "opml_imported": "Импорт {name}: добавлено лент — {added}, уже были — {existing}, пропущено (не адреса http(s)) — {skipped}. Неизвестные категории: {unknown}. Новые ленты проверю в ближайшие минуты; их текущие записи сохраню без рассылки.",
    "opml_failed": "Не удалось импортировать {name}: {reason}",
    "opml_not_admin": "Импортировать ленты из файла могут только администраторы бота.",
    "opml_exported": "Лент: {count}, в формате OPML — этот файл примет любая программа для чтения лент.",
    "export_empty": "Экспортировать нечего: лент пока нет. Добавить: /addfeed &lt;url&gt;",
    "internal_error": "Что-то пошло не так. Мы уже разбираемся; попробуйте позже.",
    # --- language and buttons ---
    "cmd_lang": "язык",
    "language_is": "Язык чата: {language}. Выберите:",
    "usage_lang": "Я говорю по-русски и по-английски: /lang ru или /lang en (не «{given}»).",
    "language_set": "Готово: теперь я говорю здесь по-русски.",
    "button_stale": "Эта кнопка устарела. Отправьте команду ещё раз.",
    # --- settings keyboard ---
    "settings_language": "🌐 Язык: {language}",
    "settings_delivery": "📬 Доставка",
    "settings_timezone": "🕑 Часовой пояс",
    "settings_quiet": "🌙 Тихие часы",
    "settings_previews_on": "🔗 Превью ссылок: вкл",
    "settings_previews_off": "🔗 Превью ссылок: выкл",
    "settings_back": "◀ Назад",
    "settings_delivery_page": (
        "<b>Доставка</b>: {mode}.\nВыберите или задайте своё время дайджеста (до {most} раз "
        "в день), например <code>/digest 07:30 20:00</code>."
    ),
    "settings_instant": "⚡ Каждая новость сразу",
    "settings_digest_preset": "📰 Дайджест в {times}",
    "settings_timezone_page": (
        "<b>Часовой пояс</b>: {timezone}, у вас сейчас {now}.\nВыберите или задайте любой "
        "другой, например <code>/tz Asia/Yekaterinburg</code>."
    ),
    "settings_quiet_page": (
        "<b>Тихие часы</b>: {quiet}.\nНовости, пришедшие в это время, ждут их конца. "
        "Выберите или задайте свои, например <code>/quiet 23:30 06:30</code>."
    ),
    "settings_quiet_off": "Без тихих часов",
}
