"""Russian messages."""

MESSAGES: dict[str, str] = {
    "welcome": (
        "Здравствуйте! Я присылаю новости по темам, на которые вы подпишетесь, "
        "и читаю каждую статью: кратко, кто с кем встретился и какие документы подписаны.\n\n"
        "Подписаться: /subscribe &lt;тема&gt;\nВсе команды: /help"
    ),
    "help": (
        "<b>Команды</b>\n"
        "/topics — список тем (нажмите, чтобы подписаться)\n"
        "/subscribe &lt;тема&gt; — подписаться на тему\n"
        "/unsubscribe &lt;тема&gt; — отписаться\n"
        "/mysubs — мои подписки\n"
        "/subscribe @канал &lt;тема&gt; — подписать свой канал\n"
        "/follow &lt;слово&gt; — следить за словом или фразой\n"
        "/following — за чем вы следите\n"
        "/unfollow — перестать следить\n"
        "/share &lt;тема&gt; — ссылка, открыв которую подписываются на тему\n"
        "/latest [тема] — свежие новости, по страницам\n"
        "/search &lt;слова&gt; — поиск по новостям (любая форма слова; «кавычки» — точная фраза)\n"
        "/summit — последний саммит: кто, где, итоги, документы\n"
        "/documents [тема] — последние подписанные документы\n"
        "/settings — настройки кнопками: язык, доставка, часовой пояс, тихие часы, превью ссылок\n"
        "/digest 08:00 19:00 — дайджест вместо отдельных новостей\n"
        "/quiet 23:00 07:00 — тихие часы\n"
        "/timezone Asia/Almaty (или /tz) — часовой пояс\n"
        "/lang — язык\n"
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
        "/addtopic &lt;код&gt; | &lt;название ru&gt; | &lt;название en&gt; | &lt;ключевые слова&gt; "
        "— добавить тему\n"
        "/edittopic &lt;тема&gt; name_ru|name_en|keywords &lt;значение&gt; — изменить тему\n"
        "/removetopic &lt;тема&gt; — удалить тему (подписчики получат уведомление)\n"
        "/stats — бот в цифрах\n"
        "/announce &lt;текст&gt; — сообщение во все чаты, после предпросмотра\n"
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
    # --- preview ---
    "preview_items_n": "{n} новость|{n} новости|{n} новостей",
    "preview_shown_n": "Показана {n} из {total}|Показаны {n} из {total}|Показано {n} из {total}",
    # --- search and pages ---
    "cmd_search": "поиск по новостям",
    "usage_search": (
        "Поиск по сохранённым новостям: <code>/search слова</code>. Слово найдётся в любой"
        " форме: <i>Таджикистан</i> найдёт и <i>Таджикистана</i>, и"
        " <i>таджикско-казахстанских</i>, и <i>Tajikistan</i>. Слова в кавычках ищутся только"
        ' вместе и в этом порядке: <code>/search "Центральная Азия"</code>'
    ),
    "search_none": (
        "По запросу «{query}» ничего не нашлось. В новости должно быть каждое слово:"
        " попробуйте меньше слов или без кавычек."
    ),
    "search_found_n": (
        "Нашлась {n} новость по запросу «{query}»|Нашлись {n} новости по запросу «{query}»"
        "|Нашлось {n} новостей по запросу «{query}»"
    ),
    "page_of": "стр. {page} из {pages}",
    "page": "стр. {page}",
    "latest_header": "Свежие новости",
    "latest_topic_header": "Свежие новости: {topic}",
    "latest_no_more": "Более ранних новостей нет.",
    "search_expired": "Этот поиск устарел. Отправьте его ещё раз: /search",
    "search_changed": "Результаты с тех пор изменились: вот их последняя страница.",
    "search_gone": "Найденного этим поиском больше нет (его ленты удалены). Поищите снова: /search",
    "item_gone": "Этой новости больше нет (её ленту удалили).",
    # --- follows ---
    "cmd_follow": "следить за словом или фразой",
    "cmd_unfollow": "перестать следить",
    "cmd_following": "за чем я слежу",
    "usage_follow": (
        "Следить за словом или фразой: /follow {example}\n"
        "Сюда придут новые записи, где оно упомянуто в любой форме (все слова фразы, в любом "
        "месте записи). Только буквы, до {words} слов и {chars} символов. "
        "За чем вы следите: /following"
    ),
    "usage_follow_feeds": "Своя лента: /follow https://…",
    "follow_too_long": "Слишком длинно: не больше {chars} символов.",
    "follow_too_many_words": "Не больше {words} слов за раз: короткая фраза найдёт больше.",
    "follow_not_words": (
        "Я слежу за словами из букв, по одному слову или фразе за раз (без цифр, знаков и "
        "шаблонов), например: /follow {example}"
    ),
    "follow_only_stopwords": (
        "«{phrase}» — только слова, которые есть почти в любом тексте: выберите что-то точнее."
    ),
    "follow_added": (
        "🔎 Вы следите за «{phrase}» ({count} из {limit}): новые записи, где это упомянуто, "
        "придут сюда. Список: /following"
    ),
    "follow_already": "Вы уже следите за «{phrase}».",
    "follow_limit_n": (
        "В одном чате можно следить не больше чем за {n} словом или фразой. "
        "Сначала уберите что-нибудь: /unfollow|"
        "В одном чате можно следить не больше чем за {n} словами или фразами. "
        "Сначала уберите что-нибудь: /unfollow|"
        "В одном чате можно следить не больше чем за {n} словами или фразами. "
        "Сначала уберите что-нибудь: /unfollow"
    ),
    "follow_feeds_off": "Следить за своими лентами здесь нельзя. Темы: /topics",
    "follow_bad_url": (
        "Не могу следить за {url}: нужен адрес ленты http(s), без имени пользователя и пароля."
    ),
    "follow_feed_added": (
        "🔗 Вы следите за лентой <b>{title}</b> ({count} из {limit}): её новые записи придут "
        "сюда. Список: /following"
    ),
    "follow_feed_already": "Вы уже следите за лентой <b>{title}</b>.",
    "follow_feed_limit_n": (
        "В одном чате можно следить не больше чем за {n} лентой. "
        "Сначала уберите что-нибудь: /unfollow|"
        "В одном чате можно следить не больше чем за {n} лентами. "
        "Сначала уберите что-нибудь: /unfollow|"
        "В одном чате можно следить не больше чем за {n} лентами. "
        "Сначала уберите что-нибудь: /unfollow"
    ),
    "following_header": "<b>Вы следите</b>",
    "following_words": "Слова и фразы ({count} из {limit}):",
    "following_feeds": "Ленты ({count} из {limit}):",
    "following_line": "{n}. {phrase}",
    "following_feed_line": "{n}. {title} — {url}",
    "following_empty": "Вы пока ни за чем не следите. Следить за словом: /follow {example}",
    "following_hint": (
        "Перестать следить: /unfollow &lt;номер или фраза&gt;, или /unfollow — с кнопками."
    ),
    "unfollow_pick": "Нажмите ❌, чтобы перестать следить:",
    "unfollowed": "Вы больше не следите за «{phrase}».",
    "unfollow_unknown": "Вы не следите за «{phrase}». Список: /following",
    "digest_followed": "🔎 {phrase}",
    "not_public": "адрес не в публичном интернете",
    "card_followed": "🔎 Вы следите: {phrase}",
    # --- topic buttons, card buttons, deep links and /share ---
    "cmd_share": "ссылка-подписка на тему",
    "toast_subscribed": "✅ Подписка: {name}",
    "toast_unsubscribed": "Подписка отменена: {name}",
    "button_documents": "📄 Документы ({count})",
    "button_unsubscribe": "🔕 Отписаться: {name}",
    "button_resubscribe": "🔔 Подписаться снова: {name}",
    "start_unknown_link": "В ссылке нет знакомой мне темы («{slug}»). Выберите тему ниже.",
    "usage_share": (
        "Использование: /share &lt;тема&gt;, например /share {example}: "
        "ссылка, открыв которую подписываются на тему"
    ),
    "share_link": (
        "Кто откроет эту ссылку, будет получать новости по теме «{name}»:\n{link}\n\n"
        "Чтобы добавить меня в группу с этой темой: {group_link}"
    ),
    "share_text": "Новости по теме «{name}» в Telegram",
    "button_share": "📤 Поделиться",
    "button_add_to_group": "👥 Добавить в группу",
    # --- admins in Telegram: topics, announcements, statistics ---
    "cmd_addtopic": "добавить тему",
    "cmd_edittopic": "изменить тему",
    "cmd_removetopic": "удалить тему",
    "cmd_stats": "бот в цифрах",
    "cmd_announce": "сообщение во все чаты",
    "usage_addtopic": (
        "Добавить тему: её код (от 2 до 32 латинских букв, цифр или «-»), название по-русски и "
        "по-английски, затем ключевые слова — через «|» или каждое с новой строки:\n"
        "<code>/addtopic energy | Энергетика | Energy | нефть, газ, электростанция</code>\n"
        "Ключевые слова — слова или фразы, они находятся в любой форме; шаблонов нет."
    ),
    "topic_bad_slug": (
        "«{slug}» не годится как код темы: от 2 до 32 строчных латинских букв, цифр или «-», "
        "например <code>energy</code>."
    ),
    "topic_slug_taken": "Тема <code>{slug}</code> уже есть. Изменить её: /edittopic {slug}",
    "topic_value_missing": "Для <code>{field}</code> ничего не указано.",
    "topic_bad_name": (
        "«{name}» не годится для <code>{field}</code>: не длиннее 64 символов и без "
        "управляющих символов."
    ),
    "topic_name_taken": (
        "«{name}» — уже название темы <code>{slug}</code>: подписчики не отличат одну тему от "
        "другой."
    ),
    "topic_bad_keyword": (
        "«{keyword}» — не простое ключевое слово: слово или фраза до 5 слов и 60 символов, "
        "только буквы — без цифр и шаблонов вроде * или [ ]."
    ),
    "topic_keywords_too_many": "У темы не больше {most} ключевых слов.",
    "topic_added": (
        "Тема добавлена: <b>{name}</b> (<code>{slug}</code>). Ключевые слова: {keywords}.\n"
        "В неё попадут новости, которые придут с этого момента. Подписаться: /subscribe {slug}"
    ),
    "usage_edittopic": (
        "Изменить тему: <code>/edittopic &lt;тема&gt; name_ru|name_en|keywords "
        "&lt;значение&gt;</code>, например\n<code>/edittopic energy name_ru Энергетика и нефть"
        "</code>\nКлючевые слова: список заменяет их, <code>+ уголь</code> добавляет, "
        "<code>- газ</code> убирает, <code>-</code> убирает все.\n"
        "/edittopic &lt;тема&gt; показывает тему."
    ),
    "topic_unknown_field": "У темы нет «{field}»: есть name_ru, name_en и keywords.",
    "topic_shown": (
        "<b>{name}</b> (<code>{slug}</code>)\nname_ru: {name_ru}\nname_en: {name_en}\n"
        "keywords: {keywords}\nЧтобы изменить, отправьте, например:\n<code>{example}</code>"
    ),
    "topic_from_config": (
        "Она есть в файле конфигурации: теперь действуют изменения, сделанные здесь, а запись "
        "в файле при запуске к ней не применяется."
    ),
    "topic_edited": "Тема <code>{slug}</code> изменена: <b>{name}</b>. Ключевые слова: {keywords}.",
    "topic_renamed_told_n": (
        "О новом названии узнает {n} чат-подписчик.|"
        "О новом названии узнают {n} чата-подписчика.|"
        "О новом названии узнают {n} чатов-подписчиков."
    ),
    "topic_unchanged": "Ничего не изменилось: тема уже такая.",
    "usage_removetopic": (
        "Как пользоваться: /removetopic &lt;тема&gt; (код или название). Подписчики получат "
        "уведомление, их подписки на неё будут удалены."
    ),
    "removetopic_confirm": (
        "Удалить тему <b>{name}</b> (<code>{slug}</code>)? {subscribers}: они получат "
        "уведомление, а подписки будут удалены. Новости темы останутся в базе."
    ),
    "removetopic_subscribers_n": (
        "На неё подписан {n} чат|На неё подписаны {n} чата|На неё подписаны {n} чатов"
    ),
    "button_remove_topic": "🗑 Удалить",
    "button_keep_topic": "Оставить",
    "topic_removed_told_n": (
        "Тема <b>{name}</b> (<code>{slug}</code>) удалена; уведомление получит {n} чат.|"
        "Тема <b>{name}</b> (<code>{slug}</code>) удалена; уведомление получат {n} чата.|"
        "Тема <b>{name}</b> (<code>{slug}</code>) удалена; уведомление получат {n} чатов."
    ),
    "topic_kept": "Тема <b>{name}</b> остаётся.",
    "topic_gone": "Этой темы уже нет.",
    "notice_topic_removed": (
        "ℹ️ Администраторы бота удалили тему «{name}»: её новости больше не придут. "
        "Другие темы: /topics"
    ),
    "notice_topic_renamed": "ℹ️ Тема «{old}» теперь называется «{new}». Подписка сохраняется.",
    "usage_announce": (
        "Как пользоваться: /announce &lt;текст&gt;. Сначала я покажу его, а после "
        "подтверждения отправлю во все активные чаты ({chats}). Текст уйдёт как написан, "
        "с переносами строк."
    ),
    "chats_n": "{n} чат|{n} чата|{n} чатов",
    "announce_no_chats": "Активных чатов пока нет: отправлять некому.",
    "announce_too_long_n": (
        "В объявлении {n} символ; в одно сообщение помещается не больше {most}.|"
        "В объявлении {n} символа; в одно сообщение помещается не больше {most}.|"
        "В объявлении {n} символов; в одно сообщение помещается не больше {most}."
    ),
    "announce_preview_n": (
        "📢 <b>Предпросмотр.</b> Уйдёт в {n} чат в таком виде:|"
        "📢 <b>Предпросмотр.</b> Уйдёт в {n} чата в таком виде:|"
        "📢 <b>Предпросмотр.</b> Уйдёт в {n} чатов в таком виде:"
    ),
    "announce_send_n": "✅ Отправить в {n} чат|✅ Отправить в {n} чата|✅ Отправить в {n} чатов",
    "button_cancel": "Отмена",
    "announce_queued_n": (
        "📢 В очереди для {n} чата; уходит с той скоростью, что позволяет Telegram "
        "(очередь — в /delivery):|"
        "📢 В очереди для {n} чатов; уходит с той скоростью, что позволяет Telegram "
        "(очередь — в /delivery):|"
        "📢 В очереди для {n} чатов; уходит с той скоростью, что позволяет Telegram "
        "(очередь — в /delivery):"
    ),
    "announce_cancelled": "Отменено: ничего не отправлено.",
    "announce_already_n": (
        "Уже отправлено в {n} чат.|Уже отправлено в {n} чата.|Уже отправлено в {n} чатов."
    ),
    "announce_was_cancelled": "Это объявление отменено.",
    "announce_not_yours": "Отправить или отменить объявление может только написавший его администратор.",
    "stats_header": "📊 <b>Статистика</b>",
    "stats_chats": "Чаты: {active} ({kinds}) · {paused}",
    "stats_active_n": "{n} активный|{n} активных|{n} активных",
    "stats_private_n": "{n} личный|{n} личных|{n} личных",
    "stats_groups_n": "{n} группа|{n} группы|{n} групп",
    "stats_channels_n": "{n} канал|{n} канала|{n} каналов",
    "stats_paused_n": "{n} на паузе|{n} на паузе|{n} на паузе",
    "stats_topics": "Подписки по темам:",
    "stats_topic_line_n": (
        "• {name} (<code>{slug}</code>): {n} подписка|"
        "• {name} (<code>{slug}</code>): {n} подписки|"
        "• {name} (<code>{slug}</code>): {n} подписок"
    ),
    "stats_feeds": "Ленты: {healthy} · {failing} · {paused}",
    "stats_healthy_n": "✅ {n} в порядке|✅ {n} в порядке|✅ {n} в порядке",
    "stats_failing_n": "⚠️ {n} с ошибками|⚠️ {n} с ошибками|⚠️ {n} с ошибками",
    "stats_feeds_paused_n": "⏸ {n} на паузе|⏸ {n} на паузе|⏸ {n} на паузе",
    "stats_outbox": "Очередь: {pending} · не доставлено сегодня: {failed}",
    "stats_pending_n": "ждёт {n} доставка|ждут {n} доставки|ждут {n} доставок",
    "stats_sent": "Доставлено сегодня ({timezone}): {sent}",
    "stats_storage_n": (
        "В базе {n} новость · файл базы {size}|В базе {n} новости · файл базы {size}|"
        "В базе {n} новостей · файл базы {size}"
    ),
    "size_kb": "{size} КБ",
    "size_mb": "{size} МБ",
    "size_gb": "{size} ГБ",
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
