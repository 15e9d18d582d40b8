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
        "/latest [topic] — latest news\n"
        "/summit — the latest summit: who, where, outcome, documents\n"
        "/documents [topic] — the latest signed documents\n"
        "/help — this help"
    ),
    "help_admin": (
        "\n\n<b>For admins</b>\n"
        "/addfeed &lt;url&gt; [topic ...] — add a feed\n"
        "/removefeed &lt;url|id&gt; — remove a feed\n"
        "/feeds — feeds and their state"
    ),
    "topics_header": "<b>Topics</b>",
    "topics_empty": "There are no topics yet.",
    "topic_line": "• <code>{slug}</code> — {name}",
    "usage_subscribe": "Usage: /subscribe &lt;topic&gt;, e.g. /subscribe {example}",
    "usage_unsubscribe": "Usage: /unsubscribe &lt;topic&gt;",
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
    "feeds_header": "<b>Feeds</b>",
    "feeds_empty": "No feeds yet. Add one: /addfeed &lt;url&gt;",
    "feed_status": "#{id} <b>{title}</b>\n{url}\ntopics: {topics}\nlast success: {ok} · last error: {error}\nnext check: {next}",
    "never": "never",
    "none": "none",
    "disabled": "disabled",
    "untitled": "Untitled",
    "read_more": "Read more",
    "documents_signed": "Documents signed: {count}",
    "internal_error": "Something went wrong on our side. Please try again later.",
}
