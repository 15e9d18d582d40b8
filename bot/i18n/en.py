"""English messages."""

MESSAGES: dict[str, str] = {
    "welcome": (
        "Hello! I send you news on the topics you subscribe to, and I read every article: "
        "the gist, who met whom, and which documents were signed.\n\n"
        "Subscribe: /subscribe &lt;topic&gt;\nAll commands: /help"
    ),
    "help": (
        "<b>Commands</b>\n"
        "/topics — list topics (tap one to subscribe)\n"
        "/subscribe &lt;topic&gt; — subscribe to a topic\n"
        "/unsubscribe &lt;topic&gt; — unsubscribe\n"
        "/mysubs — my subscriptions\n"
        "/subscribe @channel &lt;topic&gt; — subscribe a channel you run\n"
        "/follow &lt;word&gt; — follow a word or phrase\n"
        "/following — what you follow\n"
        "/unfollow — stop following\n"
        "/share &lt;topic&gt; — a link that subscribes to a topic\n"
        "/latest [topic] — latest news, page by page\n"
        '/search &lt;words&gt; — search the news (any word form; "quotes" for a phrase)\n'
        "/summit — the latest summit: who, where, outcome, documents\n"
        "/documents [topic] — the latest signed documents\n"
        "/settings — your settings, with buttons: language, delivery, time zone, quiet hours, "
        "link previews\n"
        "/digest 08:00 19:00 — a digest instead of single items\n"
        "/quiet 23:00 07:00 — quiet hours\n"
        "/timezone Asia/Almaty (or /tz) — your time zone\n"
        "/lang — language\n"
        "/help — this help"
    ),
    "help_admin": (
        "\n\n<b>For admins</b>\n"
        "/addfeed &lt;url&gt; [topic ...] — add a feed\n"
        "/removefeed &lt;url|id&gt; — remove a feed\n"
        "/feeds — feeds and their health\n"
        "/feed &lt;id&gt; — one feed in detail\n"
        "/refresh &lt;id&gt; — check a feed now\n"
        "/delivery — delivery: queue, sent, failures\n"
        "/addtopic &lt;slug&gt; | &lt;name ru&gt; | &lt;name en&gt; | &lt;keywords&gt; — add a topic\n"
        "/edittopic &lt;topic&gt; name_ru|name_en|keywords &lt;value&gt; — change a topic\n"
        "/removetopic &lt;topic&gt; — remove a topic (its subscribers are told)\n"
        "/stats — the bot at a glance\n"
        "/announce &lt;text&gt; — a message to every chat, after a preview\n"
        "/export — all feeds as an OPML file\n"
        "Send me an .opml file to follow its feeds"
    ),
    "hint": "I did not understand that. What I can do: /help",
    "cmd_start": "welcome and topics",
    "cmd_help": "all commands",
    "cmd_topics": "topics to subscribe to",
    "cmd_subscribe": "subscribe to a topic",
    "cmd_unsubscribe": "unsubscribe from a topic",
    "cmd_mysubs": "my subscriptions",
    "cmd_latest": "latest news",
    "cmd_summit": "the latest summit",
    "cmd_documents": "signed documents",
    "cmd_digest": "a digest on a schedule",
    "cmd_quiet": "quiet hours",
    "cmd_timezone": "time zone",
    "cmd_settings": "settings",
    "cmd_addfeed": "add a feed",
    "cmd_removefeed": "remove a feed",
    "cmd_feeds": "feeds and their health",
    "cmd_feed": "one feed in detail",
    "cmd_refresh": "check a feed now",
    "cmd_delivery": "how delivery goes",
    "cmd_export": "all feeds as an OPML file",
    "topics_header": "<b>Topics</b>",
    "topics_empty": "There are no topics yet.",
    "topic_line": "• <code>{slug}</code> — {name}",
    "usage_subscribe": (
        "Usage: /subscribe &lt;topic&gt;, e.g. /subscribe {example}\n"
        "For your channel (in a private chat with me): /subscribe @channel &lt;topic&gt;"
    ),
    "group_admins_only": "In a group, only its administrators change its subscriptions.",
    "usage_unsubscribe": "Usage: /unsubscribe &lt;topic&gt; or /unsubscribe @channel &lt;topic&gt;",
    "usage_mysubs": "Usage: /mysubs or /mysubs @channel",
    "channel_from_private_chat": "A channel's subscriptions are changed in a private chat with me.",
    "channel_not_found": "I cannot find the channel {channel}. Add me to it as an administrator.",
    "not_a_channel": "{channel} is not a channel.",
    "channel_bot_cannot_post": (
        "I cannot post in {channel}: make me an administrator allowed to post messages."
    ),
    "channel_admins_only": "Only the administrators of {channel} change its subscriptions.",
    "channel_subscribed": "Done: the channel {channel} is subscribed to “{name}”.",
    "channel_already_subscribed": "The channel {channel} is already subscribed to “{name}”.",
    "channel_unsubscribed": "The channel {channel} has unsubscribed from “{name}”.",
    "channel_not_subscribed": "The channel {channel} was not subscribed to “{name}”.",
    "channel_subs_header": "<b>Subscriptions of {channel}</b>",
    "channel_subs_empty": "The channel {channel} has no subscriptions. Topics: /topics",
    "unknown_topic": "There is no topic “{slug}”. Topics: {available}",
    "subscribed": "Done: you are subscribed to “{name}”.",
    "already_subscribed": "You are already subscribed to “{name}”.",
    "unsubscribed": "You have unsubscribed from “{name}”.",
    "not_subscribed": "You were not subscribed to “{name}”.",
    "mysubs_header": "<b>Your subscriptions</b>",
    "mysubs_empty": "You have no subscriptions. Topics: /topics",
    "summit_empty": "No summits or official talks yet.",
    "documents_empty": "No news with signed documents yet.",
    "latest_empty": "No news yet.",
    "admin_only": "This command is for the bot's admins only.",
    "usage_addfeed": "Usage: /addfeed &lt;url&gt; [topic ...]",
    "usage_removefeed": "Usage: /removefeed &lt;url or id&gt;",
    "bad_url": "Not an http(s) address: {url}",
    "unknown_topics": "Unknown topics: {slugs}. Topics: {available}",
    "feed_checking": "Checking the feed…",
    "feed_added": "Feed added: <b>{title}</b> (#{id}), {count} items. New items will go to subscribers.",
    "feed_exists": "This feed is already followed: <b>{title}</b> (#{id}).",
    "feed_failed": "Could not add the feed {url}: {reason}",
    "feed_removed": "Feed removed: {title} (#{id}).",
    "feed_not_found": "There is no feed {ref}. List: /feeds",
    "feeds_empty": "No feeds yet. Add one: /addfeed &lt;url&gt;",
    "never": "never",
    "none": "none",
    "disabled": "disabled",
    "untitled": "Untitled",
    "read_more": "Read more",
    "documents_signed": "Documents signed: {count}",
    "feeds_header": "<b>Feeds</b>: {total} · failing: {failing} · paused: {paused}\nDetails: /feed &lt;id&gt; · check now: /refresh &lt;id&gt;",
    "feed_line_ok": "✅ #{id} {title} — ok {ok}",
    "feed_line_failing": "⚠️ #{id} {title} — {count} failures in a row: {error}",
    "feed_line_paused": "⏸ #{id} {title} — paused: {reason}",
    "feed_details": "#{id} <b>{title}</b>\n{url}\nadded by: {source} · topics: {topics} · full text: {fulltext}\nitems stored: {items}\nlast success: {ok} · last check: {checked}\nfailures in a row: {failures} · last error: {error}\nnext check: {next}",
    "usage_feed": "Usage: /feed &lt;id or url&gt;",
    "usage_refresh": "Usage: /refresh &lt;id or url&gt;",
    "refresh_done": "Checked #{id} {title}: {new} new, {updated} updated, {queued} deliveries queued.",
    "refresh_failed": "Checked #{id} {title}: failed — {error}",
    "paused": "paused ({reason})",
    "yes": "yes",
    "no": "no",
    "alert_failing": "⚠️ Feed #{id} <b>{title}</b> keeps failing: {reason}\n{url}\nI keep retrying, less and less often. Details: /feed {id}",
    "alert_back": "✅ Feed #{id} <b>{title}</b> works again.",
    "alert_gone": "⏸ Feed #{id} <b>{title}</b> is gone ({reason}); I stopped checking it.\n{url}\nCheck again: /refresh {id} · remove: /removefeed {id}",
    "usage_digest": (
        "Usage: /digest 08:00 19:00 — a digest at these times (up to {most} a day); "
        "/digest off — every item at once"
    ),
    "digest_set": "Done: a digest at {times} ({timezone}). The next one: {next}.",
    "digest_off": "Done: every item comes at once.",
    "usage_quiet": "Usage: /quiet 23:00 07:00 — quiet hours; /quiet off — none",
    "quiet_set": "Done: from {start} to {end} ({timezone}) news waits for the quiet hours to end.",
    "quiet_off": "Quiet hours are off.",
    "usage_timezone": "Usage: /timezone Asia/Almaty — your time zone (IANA)",
    "timezone_set": "Done: time zone {timezone}, your time is {now}.",
    "unknown_timezone": (
        "I do not know the time zone “{name}”. Examples: Europe/London, Asia/Almaty, UTC."
    ),
    "settings": "<b>Settings</b>\nTime zone: {timezone}\nDelivery: {mode}\nQuiet hours: {quiet}",
    "mode_instant": "every item at once",
    "mode_digest": "a digest at {times}",
    "quiet_hours": "from {start} to {end}",
    "quiet_none": "none",
    "delivery_report": (
        "<b>Delivery</b>\nQueued: {due} · waiting for a digest or quiet hours: {held}"
        " · being sent: {sending}\nLast 24 h: sent {sent}, failed {failed}"
        "\nPaused chats (bot blocked or removed): {paused}"
    ),
    "delivery_error": "• {count} × {error}",
    "digest_header": "Digest · {when} · {count} new",
    "digest_other": "Other",
    "digest_more": "{count} more new items",
    "digest_rest": "…and {count} more. The newest: /latest",
    "more_items": "…and {count} more new items from <b>{source}</b>. The newest: /latest",
    "also_in": "Also in: {sources}",
    "opml_imported": "Imported {name}: {added} feeds added, {existing} already followed, {skipped} skipped (not http(s) addresses). Unknown categories: {unknown}. New feeds are checked within minutes; their current items are stored, not sent.",
    "opml_failed": "Could not import {name}: {reason}",
    "opml_not_admin": "Only the bot's admins can import feeds from a file.",
    "opml_exported": "{count} feeds as OPML: any feed reader can import this file.",
    "export_empty": "There are no feeds to export. Add one: /addfeed &lt;url&gt;",
    "internal_error": "Something went wrong on our side. Please try again later.",
    # --- language and buttons ---
    "cmd_lang": "language",
    "language_is": "The chat's language: {language}. Choose:",
    "usage_lang": "I speak Russian and English: /lang ru or /lang en (not “{given}”).",
    "language_set": "Done: I speak English here now.",
    "button_stale": "This button is out of date. Send the command again.",
    # --- preview ---
    "preview_items_n": "{n} item|{n} items",
    "preview_shown_n": "Showing {n} of {total}|Showing {n} of {total}",
    # --- search and pages ---
    "cmd_search": "search the news",
    "usage_search": (
        "Search the stored news: <code>/search words</code>. Each word is found in any form:"
        " <i>Tajikistan</i> also finds <i>Tajik</i>, <i>Таджикистана</i> and"
        " <i>таджикско-казахстанских</i>. Words in quotes are found only together, in that"
        ' order: <code>/search "Central Asia"</code>'
    ),
    "search_none": (
        "Nothing found for “{query}”. Every word must be in an item: try fewer words, or"
        " without quotes."
    ),
    "search_found_n": "Found {n} item for “{query}”|Found {n} items for “{query}”",
    "page_of": "page {page} of {pages}",
    "page": "page {page}",
    "latest_header": "Latest news",
    "latest_topic_header": "Latest news: {topic}",
    "latest_no_more": "There is nothing older.",
    "search_expired": "This search is out of date. Send it again: /search",
    "search_changed": "The results have changed since: here is their last page.",
    "search_gone": "What this search found is gone (its feeds were removed). Search again: /search",
    "item_gone": "This item is no longer stored (its feed was removed).",
    # --- follows ---
    "cmd_follow": "follow a word or phrase",
    "cmd_unfollow": "stop following",
    "cmd_following": "what I follow",
    "usage_follow": (
        "Follow a word or phrase: /follow {example}\n"
        "New items that mention it in any form come here (every word of a phrase, anywhere "
        "in the item). Letters only, up to {words} words and {chars} characters. "
        "What you follow: /following"
    ),
    "usage_follow_feeds": "A feed of your own: /follow https://…",
    "follow_too_long": "That is too long to follow: up to {chars} characters.",
    "follow_too_many_words": "Up to {words} words in one follow: a shorter phrase finds more.",
    "follow_not_words": (
        "I follow words of letters, one word or phrase at a time (no numbers, signs or "
        "patterns), e.g. /follow {example}"
    ),
    "follow_only_stopwords": (
        "“{phrase}” has only words that nearly every text has: follow something more telling."
    ),
    "follow_added": (
        "🔎 You follow “{phrase}” ({count} of {limit}): new items that mention it will come "
        "here. List: /following"
    ),
    "follow_already": "You already follow “{phrase}”.",
    "follow_limit_n": (
        "You follow {n} word or phrase, the most one chat may. Remove it first: /unfollow|"
        "You follow {n} words and phrases, the most one chat may. Remove one first: /unfollow"
    ),
    "follow_feeds_off": "Following feeds of your own is not allowed here. Topics: /topics",
    "follow_bad_url": (
        "I cannot follow {url}: give a feed's http(s) address, without a user name or password."
    ),
    "follow_feed_added": (
        "🔗 You follow the feed <b>{title}</b> ({count} of {limit}): its new items will come "
        "here. List: /following"
    ),
    "follow_feed_already": "You already follow the feed <b>{title}</b>.",
    "follow_feed_limit_n": (
        "You follow {n} feed, the most one chat may. Remove it first: /unfollow|"
        "You follow {n} feeds, the most one chat may. Remove one first: /unfollow"
    ),
    "following_header": "<b>You follow</b>",
    "following_words": "Words and phrases ({count} of {limit}):",
    "following_feeds": "Feeds ({count} of {limit}):",
    "following_line": "{n}. {phrase}",
    "following_feed_line": "{n}. {title} — {url}",
    "following_empty": "You follow nothing yet. Follow a word: /follow {example}",
    "following_hint": "Stop following: /unfollow &lt;number or phrase&gt;, or /unfollow for buttons.",
    "unfollow_pick": "Tap ❌ to stop following it:",
    "unfollowed": "You no longer follow “{phrase}”.",
    "unfollow_unknown": "You do not follow “{phrase}”. List: /following",
    "digest_followed": "🔎 {phrase}",
    "not_public": "the address is not on the public internet",
    "card_followed": "🔎 You follow: {phrase}",
    # --- topic buttons, card buttons, deep links and /share ---
    "cmd_share": "a link that subscribes to a topic",
    "toast_subscribed": "✅ Subscribed: {name}",
    "toast_unsubscribed": "Unsubscribed: {name}",
    "button_documents": "📄 Documents ({count})",
    "button_unsubscribe": "🔕 Unsubscribe: {name}",
    "button_resubscribe": "🔔 Subscribe again: {name}",
    "start_unknown_link": "The link names no topic I know (“{slug}”). Choose one below.",
    "usage_share": (
        "Usage: /share &lt;topic&gt;, e.g. /share {example}: "
        "a link that subscribes whoever opens it"
    ),
    "share_link": (
        "Whoever opens this link gets the news on “{name}”:\n{link}\n\n"
        "To add me to a group with this topic: {group_link}"
    ),
    "share_text": "News on “{name}” in Telegram",
    "button_share": "📤 Share",
    "button_add_to_group": "👥 Add to a group",
    # --- admins in Telegram: topics, announcements, statistics ---
    "cmd_addtopic": "add a topic",
    "cmd_edittopic": "change a topic",
    "cmd_removetopic": "remove a topic",
    "cmd_stats": "the bot at a glance",
    "cmd_announce": "a message to every chat",
    "usage_addtopic": (
        "Add a topic: its slug (2 to 32 latin letters, digits or “-”), its name in Russian and "
        "in English, then keywords, separated by “|” or each on a new line:\n"
        "<code>/addtopic energy | Энергетика | Energy | нефть, газ, электростанция</code>\n"
        "Keywords are words or phrases, matched in any of their forms; no patterns."
    ),
    "topic_bad_slug": (
        "“{slug}” cannot be a topic's slug: 2 to 32 lowercase latin letters, digits or “-”, "
        "e.g. <code>energy</code>."
    ),
    "topic_slug_taken": "There is already a topic <code>{slug}</code>. Change it: /edittopic {slug}",
    "topic_value_missing": "Nothing is given for <code>{field}</code>.",
    "topic_bad_name": (
        "“{name}” cannot be <code>{field}</code>: at most 64 characters, and no control characters."
    ),
    "topic_name_taken": (
        "“{name}” already names the topic <code>{slug}</code>: people could not tell the two "
        "apart when they subscribe."
    ),
    "topic_bad_keyword": (
        "“{keyword}” is not a plain keyword: a word or a phrase of up to 5 words and 60 "
        "characters, letters only: no digits, no patterns such as * or [ ]."
    ),
    "topic_keywords_too_many": "A topic has at most {most} keywords.",
    "topic_added": (
        "Topic added: <b>{name}</b> (<code>{slug}</code>). Keywords: {keywords}.\n"
        "It files the news that arrives from now on. Subscribe: /subscribe {slug}"
    ),
    "usage_edittopic": (
        "Change a topic: <code>/edittopic &lt;topic&gt; name_ru|name_en|keywords "
        "&lt;value&gt;</code>, e.g.\n<code>/edittopic energy name_en Energy and oil</code>\n"
        "Keywords: a list replaces them, <code>+ coal</code> adds, <code>- gas</code> removes, "
        "<code>-</code> removes them all.\n/edittopic &lt;topic&gt; shows the topic."
    ),
    "topic_unknown_field": "A topic has no “{field}”: name_ru, name_en or keywords.",
    "topic_shown": (
        "<b>{name}</b> (<code>{slug}</code>)\nname_ru: {name_ru}\nname_en: {name_en}\n"
        "keywords: {keywords}\nTo change it, send e.g.:\n<code>{example}</code>"
    ),
    "topic_from_config": (
        "It is listed in the configuration file: from now on the changes made here stand, and "
        "the file's entry for it is not applied at start-up."
    ),
    "topic_edited": "Topic <code>{slug}</code> changed: <b>{name}</b>. Keywords: {keywords}.",
    "topic_renamed_told_n": (
        "{n} subscribed chat will be told of the new name.|"
        "{n} subscribed chats will be told of the new name."
    ),
    "topic_unchanged": "Nothing changed: the topic is like that already.",
    "usage_removetopic": (
        "Usage: /removetopic &lt;topic&gt; (its slug or name). Its subscribers are told, and "
        "their subscriptions removed."
    ),
    "removetopic_confirm": (
        "Remove the topic <b>{name}</b> (<code>{slug}</code>)? {subscribers}: they will be "
        "told, and their subscriptions removed. Its news stays stored."
    ),
    "removetopic_subscribers_n": "{n} chat is subscribed|{n} chats are subscribed",
    "button_remove_topic": "🗑 Remove",
    "button_keep_topic": "Keep it",
    "topic_removed_told_n": (
        "Topic <b>{name}</b> (<code>{slug}</code>) removed; {n} chat will be told.|"
        "Topic <b>{name}</b> (<code>{slug}</code>) removed; {n} chats will be told."
    ),
    "topic_kept": "The topic <b>{name}</b> stays.",
    "topic_gone": "This topic is gone already.",
    "notice_topic_removed": (
        "ℹ️ The topic “{name}” has been removed by the bot's admins: its news will no longer "
        "come. Other topics: /topics"
    ),
    "notice_topic_renamed": "ℹ️ The topic “{old}” is now called “{new}”. Your subscription stays.",
    "usage_announce": (
        "Usage: /announce &lt;text&gt;. I show it first, then send it to every active chat "
        "({chats}) once you confirm. The text goes as written; new lines are kept."
    ),
    "chats_n": "{n} chat|{n} chats",
    "announce_no_chats": "There are no active chats yet: nobody to send it to.",
    "announce_too_long_n": (
        "The announcement is {n} character long; at most {most} go in one message.|"
        "The announcement is {n} characters long; at most {most} go in one message."
    ),
    "announce_preview_n": (
        "📢 <b>Preview.</b> This goes to {n} chat, as written below:|"
        "📢 <b>Preview.</b> This goes to {n} chats, as written below:"
    ),
    "announce_send_n": "✅ Send to {n} chat|✅ Send to {n} chats",
    "button_cancel": "Cancel",
    "announce_queued_n": (
        "📢 Queued for {n} chat; it goes out at the pace Telegram allows (/delivery shows "
        "the queue):|"
        "📢 Queued for {n} chats; it goes out at the pace Telegram allows (/delivery shows "
        "the queue):"
    ),
    "announce_cancelled": "Cancelled: nothing was sent.",
    "announce_already_n": "Already sent to {n} chat.|Already sent to {n} chats.",
    "announce_was_cancelled": "This announcement was cancelled.",
    "announce_not_yours": "Only the admin who wrote this announcement can send or cancel it.",
    "stats_header": "📊 <b>Statistics</b>",
    "stats_chats": "Chats: {active} ({kinds}) · {paused}",
    "stats_active_n": "{n} active|{n} active",
    "stats_private_n": "{n} private|{n} private",
    "stats_groups_n": "{n} group|{n} groups",
    "stats_channels_n": "{n} channel|{n} channels",
    "stats_paused_n": "{n} paused|{n} paused",
    "stats_topics": "Subscriptions by topic:",
    "stats_topic_line_n": (
        "• {name} (<code>{slug}</code>): {n} subscription|"
        "• {name} (<code>{slug}</code>): {n} subscriptions"
    ),
    "stats_feeds": "Feeds: {healthy} · {failing} · {paused}",
    "stats_healthy_n": "✅ {n} healthy|✅ {n} healthy",
    "stats_failing_n": "⚠️ {n} failing|⚠️ {n} failing",
    "stats_feeds_paused_n": "⏸ {n} paused|⏸ {n} paused",
    "stats_outbox": "Outbox: {pending} · failed today: {failed}",
    "stats_pending_n": "{n} delivery waiting|{n} deliveries waiting",
    "stats_sent": "Delivered today ({timezone}): {sent}",
    "stats_storage_n": "Stored: {n} item · database {size}|Stored: {n} items · database {size}",
    "size_kb": "{size} KB",
    "size_mb": "{size} MB",
    "size_gb": "{size} GB",
    # --- settings keyboard ---
    "settings_language": "🌐 Language: {language}",
    "settings_delivery": "📬 Delivery",
    "settings_timezone": "🕑 Time zone",
    "settings_quiet": "🌙 Quiet hours",
    "settings_previews_on": "🔗 Link previews: on",
    "settings_previews_off": "🔗 Link previews: off",
    "settings_back": "◀ Back",
    "settings_delivery_page": (
        "<b>Delivery</b>: {mode}.\nChoose, or send your own digest times (up to {most} a day), "
        "for example <code>/digest 07:30 20:00</code>."
    ),
    "settings_instant": "⚡ Every item at once",
    "settings_digest_preset": "📰 Digest at {times}",
    "settings_timezone_page": (
        "<b>Time zone</b>: {timezone}, your time is {now}.\nChoose, or send any other, "
        "for example <code>/tz Asia/Yekaterinburg</code>."
    ),
    "settings_quiet_page": (
        "<b>Quiet hours</b>: {quiet}.\nNews due in them waits for their end. Choose, or send "
        "your own, for example <code>/quiet 23:30 06:30</code>."
    ),
    "settings_quiet_off": "No quiet hours",
}
