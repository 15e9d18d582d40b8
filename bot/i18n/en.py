"""English messages."""

MESSAGES: dict[str, str] = {
    "welcome": (
        "Hello! I send you news on the topics you subscribe to, and I read every article: "
        "the gist, who met whom, and which documents were signed.\n\n"
        "Subscribe: /subscribe &lt;topic&gt;\nAll commands: /help"
    ),
    "help": (
        "<b>Commands</b>\n"
        "/topics — list topics\n"
        "/subscribe &lt;topic&gt; — subscribe to a topic\n"
        "/unsubscribe &lt;topic&gt; — unsubscribe\n"
        "/mysubs — my subscriptions\n"
        "/subscribe @channel &lt;topic&gt; — subscribe a channel you run\n"
        "/digest 08:00 19:00 — a digest instead of single items\n"
        "/quiet 23:00 07:00 — quiet hours\n"
        "/timezone Asia/Almaty — your time zone\n"
        "/settings — your settings\n"
        "/latest [topic] — latest news\n"
        "/summit — the latest summit: who, where, outcome, documents\n"
        "/documents [topic] — the latest signed documents\n"
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
