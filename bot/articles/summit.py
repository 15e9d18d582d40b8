"""Is this article about official talks, a visit or a summit of heads of state/government?

Decided on the headline and lead first (a phone call, decree or interview says so at the
top), then on the body: event words, or two states signing something, with a leader named.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.articles.cues import EVENT_RE, LEADER_TITLE_RE
from bot.articles.text import Sentence

_NEGATIVE_RE = re.compile(
    r"телефонн\w+\s+разговор\w*|по\s+телефону|телефонн\w+\s+беседа|\bуказ\w*\b|"
    r"\bинтервью\b|видеообращени\w*|\bраспоряжени\w*|поздравил\w*|поздравительн\w*|"
    r"соболезновани\w*|\bphone\b|telephone|\bcall\b|\bcalls\b|executive\s+order|proclamation|"
    r"\binterview\b|spoke\s+(?:by\s+phone\s+)?with|signed\s+into\s+law|\bbill\b",
    re.IGNORECASE,
)
_SIGNING_RE = re.compile(
    r"подпис(?:ал[аи]?|ан[аоы]?|ани[ея])|заключил[аи]?|\bsigned\b|\bsigning\b|\bconcluded\b",
    re.IGNORECASE,
)


def detect_summit(
    title: str,
    sentences: Sequence[Sentence],
    *,
    countries_per_sentence: Sequence[int],
    has_document_list: bool,
    leaders_named: bool,
) -> bool:
    """True for official talks/visits/summits; phone calls, decrees and interviews are not."""
    lead_sentences = [s.text for s in sentences[:2]]
    lead = " ".join([title, *lead_sentences])[:600]
    if _NEGATIVE_RE.search(title) or _NEGATIVE_RE.search(lead):
        return False
    body = " ".join(s.text for s in sentences if not s.quote)
    has_leader = (
        leaders_named
        or LEADER_TITLE_RE.search(lead) is not None
        or (len(LEADER_TITLE_RE.findall(body)) >= 2)
    )
    if not has_leader:
        return False
    if EVENT_RE.search(lead):
        return True
    event_mentions = sum(1 for s in sentences if not s.quote and EVENT_RE.search(s.text))
    interstate_signing = any(
        n >= 2 and _SIGNING_RE.search(s.text) and not s.quote
        for s, n in zip(sentences, countries_per_sentence, strict=True)
    )
    return event_mentions >= 2 or interstate_signing or has_document_list
