"""Word cues shared by the extractors: leader titles and event words (ru and en)."""

from __future__ import annotations

import re

# Titles of heads of state or government. "вице-президент", "Vice President" and "вице-премьер"
# are deputies, not leaders: a hyphen or "Vice" right before the title word rules it out.
# "шейх", "Sheikh" are honorifics (a crown prince of one emirate is a sheikh too), not posts.
_NOT_DEPUTY = r"(?<![-‐‑])(?<!vice\s)"  # the pattern is case-insensitive: Vice, VICE too
LEADER_TITLE_RE = re.compile(
    r"\b"
    + _NOT_DEPUTY
    + r"(?:президент\w*|премьер\w*|канцлер\w*|корол[ьяюеё]\w*|султан\w*|эмир\w*|"
    r"председател\w*\s+(?:кнр|китай\w*|правительств\w*|совета\s+министров|"
    r"государственн\w*)|генеральн\w*\s+секретар\w*\s+(?:цк|центральн\w*)|"
    r"глав\w*\s+(?:государств\w*|правительств\w*)|наследн\w*\s+принц\w*|лидер\w*|"
    r"president|prime\s+minister|premier|chancellor|king|queen|crown\s+prince|emir|amir|sultan|"
    r"general\s+secretary|head\s+of\s+(?:state|government)|leaders?)\b",
    re.IGNORECASE,
)
EVENT_RE = re.compile(
    r"переговор\w*|саммит\w*|\bвизит\w*|встреч\w*\s+на\s+высшем\s+уровне|"
    r"в\s+(?:узком|расширенном)\s+(?:составе|формате)|заседани\w+\s+(?:высшего|совета\s+глав)|"
    r"\bsummit\w*|\btalks\b|\bvisit\w*|bilateral\s+meeting|leaders[’']?\s+meeting|"
    r"meeting\s+between\s+the\s+leaders",
    re.IGNORECASE,
)
# A meeting or a conversation that took place: a summit only when both sides are state
# leaders (summit.meets_leader checks the words around the cue), never a businessman. Nouns in
# the nominative, past verbs: "готовность к встрече", "встретится", "will meet" speak of a
# meeting that has not happened (so does "грядущая встреча": summit.meets_leader).
MEETING_RE = re.compile(
    r"\b(?:(?:встреча|беседа)(?:\s+со?\b)?|в\s+ходе\s+(?:встречи|беседы)\s+с|"
    r"встретил(?:ся|ась|ись)\s+с|побеседовал[аи]?\s+с|пров[её]л[аи]?\s+(?:встречу|беседу)\s+с|"
    r"(?<!will\s)(?<!to\s)met\b(?:\s+(?:today|in\s+[A-Z][\w-]+))?(?:\s+with)?|meets(?:\s+with)?|"
    r"meeting\s+with|hosted|hosts|welcomed|welcomes)\s*",
    re.IGNORECASE,
)
