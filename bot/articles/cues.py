"""Word cues shared by the extractors: leader titles and event words (ru and en)."""

from __future__ import annotations

import re

LEADER_TITLE_RE = re.compile(
    r"\b(?:президент\w*|премьер\w*|канцлер\w*|корол[ьяюе]\w*|султан\w*|эмир\w*|шейх\w*|"
    r"председател\w*\s+(?:кнр|китай\w*|правительств\w*|совета\s+министров|государственн\w*)|"
    r"глав\w*\s+(?:государств\w*|правительств\w*)|наследн\w*\s+принц\w*|лидер\w*|"
    r"president|prime\s+minister|premier|chancellor|king|crown\s+prince|emir|sultan|"
    r"head\s+of\s+(?:state|government)|leaders?)\b",
    re.IGNORECASE,
)
EVENT_RE = re.compile(
    r"переговор\w*|саммит\w*|\bвизит\w*|встреч\w*\s+на\s+высшем\s+уровне|в\s+(?:узком|расширенном)\s+"
    r"(?:составе|формате)|заседани\w+\s+(?:высшего|совета\s+глав)|встретил\w*\s+с|"
    r"\bsummit\w*|\btalks\b|\bvisit\w*|bilateral\s+meeting|\bmet\s+(?:with|in)\b|"
    r"meeting\s+(?:with|between)\s+(?:president|prime|king|crown|the\s+leaders)",
    re.IGNORECASE,
)
