"""Is this article about official talks, a visit or a summit of heads of state/government?

Decided on the headline and lead first (a phone call, decree, interview, briefing or a
ministry's statement says so at the top), then on the kind of event: talks, visits, summits,
a meeting or conversation whose other side is a state leader (not a businessman), or leaders
signing something together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.articles.cues import EVENT_RE, LEADER_TITLE_RE, MEETING_RE
from bot.articles.entities import LeaderMention, leader_mentions
from bot.articles.text import Sentence

_NEGATIVE_RE = re.compile(
    r"\bтелефон\w*|созвонил\w*|"
    r"\bуказ(?:а|у|ом|е|ы|ов|ами|ах)?\b|\bинтервью\b|видеообращени\w*|\bраспоряжени\w*|"
    r"поздравил\w*|поздравительн\w*|соболезновани\w*|подписал\w*\s+(?:федеральн\w+\s+)?закон|"
    r"брифинг\w*|госдеп\w*|государственн\w+\s+департамент\w*|"
    r"\bphone\b|telephone|\bcalls?\b(?!\s+(?:for|on|upon)\b)|executive\s+order|proclamation|"
    r"\binterview\b|spoke\s+(?:today\s+)?(?:by\s+phone\s+)?with|signed\s+into\s+law|\bbill\b|"
    r"\bbriefing\b|press\s+statement|state\s+department|department\s+of\s+state|"
    r"statement\s+(?:by|from)\s+(?:the\s+)?(?:secretary|spokesperson|department)",
    re.IGNORECASE,
)
_SIGNING_RE = re.compile(
    r"подпис(?:ал[аи]?|ан[аоы]?|ани[ея])|заключил[аи]?|\bsigned\b|\bsigning\b|\bconcluded\b",
    re.IGNORECASE,
)
# Two parties sign together: "лидеры подписали", "в присутствии президентов", "the leaders signed".
_JOINT_RE = re.compile(
    r"\b(?:лидер(?:ы|ов|ами)|президент(?:ы|ов|ами)|глав(?:ы|ами)\s+государств|стороны|"
    r"сторонами|в\s+присутствии|leaders|presidents|(?:both|the\s+two)\s+sides|"
    r"in\s+the\s+presence\s+of)\b",
    re.IGNORECASE,
)
_AFTER_WINDOW = 80
_MAY_HAPPEN_RE = re.compile(
    r"\b(?:может|могут|мог(?:ла|ли)?|пройд[её]т|пройдут|состоится|состоятся|планиру\w*|"
    r"запланирован\w*|намечен\w*|будет|будут|will|could|may|might|would|(?:is|are)\s+(?:not\s+)?"
    r"(?:expected|scheduled|set)\s+to)\b",
    re.IGNORECASE,
)
_BETWEEN_SIDES_RE = re.compile(r"\s(?:с|со|и|with|and)\s", re.IGNORECASE)
_NOT_HAPPENED_RE = re.compile(
    r"(?:грядущ|предстоящ|возможн|будущ|планируем|следующ|очередн|upcoming|planned|possible|"
    r"next|future)\w*\s+$",
    re.IGNORECASE,
)


# "готовность к переговорам", "призвал к переговорам", "ready for talks": talks as a topic or
# a wish, not an event that took place.
_TOPIC_BEFORE_RE = re.compile(
    r"(?:\bк|готовност\w*|призыв\w*|призвал\w*|возобновлени\w*|предстоящ\w*|грядущ\w*|подготовк\w*|"
    r"возможн\w*|будущ\w*|\bready\s+for|\bcall(?:s|ed)?\s+for|\breturn\s+to|\bresume|"
    r"\bupcoming|\bpossible|\bfuture)\s+$",
    re.IGNORECASE,
)


# "переговоры с министром обороны", "talks with Foreign Minister …": a minister's talks.
_WITH_MINISTER_RE = re.compile(
    r"\s+(?:с|со|with)\s+(?:\w+\s+){0,2}?(?:министр\w*|глав\w+\s+(?:мид|минобороны|министерств\w*)|"
    r"госсекретар\w*|секретар\w*|minister|secretary)\b",
    re.IGNORECASE,
)


def event_cue(text: str) -> bool:
    """Talks, a visit or a summit that takes place (not one wished for or still to come, not
    a minister's talks)."""
    return any(
        not _TOPIC_BEFORE_RE.search(text, max(0, m.start() - 30), m.start())
        and not _WITH_MINISTER_RE.match(text, m.end())
        for m in EVENT_RE.finditer(text)
    )


def meets_leader(text: str, *, headline: bool = False) -> bool:
    """A meeting or conversation with a state leader, held by a leader.

    "Встреча с Президентом Индонезии …" heading a leader's site has the site's leader as the
    implied host; in running text a leader must stand before the verb too, so "Макрон
    встретился с Илоном Маском" (a businessman) and "Powell met with President Trump" (no
    second leader) are not talks between states.
    """
    matches = list(MEETING_RE.finditer(text))
    if not matches:
        return False
    mentions = [x.offset for x in leader_mentions(text)]
    for m in matches:
        if _NOT_HAPPENED_RE.search(text, max(0, m.start() - 30), m.start()):
            continue
        if _MAY_HAPPEN_RE.search(text, m.end(), m.end() + _AFTER_WINDOW + 20):
            continue  # "встреча Путина и Трампа может пройти в …", "will meet"
        after = [p for p in mentions if m.end() <= p < m.end() + _AFTER_WINDOW]
        if not after:
            continue
        before = any(p < m.start() for p in mentions)
        # "Встреча Владимира Путина с Президентом …": both sides after the noun (a title and
        # its own name, "President Trump", are one side)
        both_after = len(after) >= 2 and _BETWEEN_SIDES_RE.search(text, after[0], after[-1])
        if before or both_after or (headline and m.start() < 3):
            return True
    return False


def _between_states(mentions: Sequence[LeaderMention]) -> bool:
    """Leaders of two states meet: "Встреча с Михаилом Мишустиным … Владимир Путин провёл
    рабочую встречу" is a President with his own Prime Minister. Two leaders of one state
    and none of another make a domestic meeting; anything less certain passes."""
    countries = {x.country for x in mentions if x.country}
    if len(countries) != 1:
        return True
    people = {x.person for x in mentions if x.person}
    return len(people) < 2


def _signed_together(text: str, countries: int) -> bool:
    """Two states or two leaders sign: "подписали 10 документов" after "Лидеры" or "Владимир
    Путин и Шавкат Мирзиёев", "the leaders signed", or a sentence naming two countries."""
    signing = _SIGNING_RE.search(text)
    if signing is None:
        return False
    if countries >= 2 or _JOINT_RE.search(text):
        return True
    signers = [x.offset for x in leader_mentions(text[: signing.start()])]
    return len(signers) >= 2 and _BETWEEN_SIDES_RE.search(text, signers[0], signers[-1]) is not None


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
    # A state leader takes part: named in the lead by title or gazetteer, or titled twice in
    # the body. Names alone are not enough: "Министр обороны Сергей Шойгу провёл переговоры с
    # белорусским коллегой Виктором Хрениным" names two people and no leader.
    has_leader = (
        bool(leader_mentions(lead))
        or len(LEADER_TITLE_RE.findall(body)) >= 2
        or (leaders_named and bool(leader_mentions(body)))
    )
    if not has_leader:
        return False
    # The event word must head the text (the title and the first sentence): "President
    # Putin's visit to Kazan" in a weather item's second sentence is not what it is about.
    head = 1 if title else 2
    if event_cue(" ".join([title, *(s.text for s in sentences[:head])])):
        return True
    # the next sentence when a leader is in it and it reports ("Владимир Путин провёл
    # переговоры с …"), not expects ("… is not expected to be affected")
    nxt = sentences[head].text if len(sentences) > head else ""
    if event_cue(nxt) and leader_mentions(nxt) and not _MAY_HAPPEN_RE.search(nxt):
        return True
    headline = title or (sentences[0].text if sentences else "")
    met = meets_leader(headline, headline=True) or any(meets_leader(t) for t in lead_sentences)
    if met and _between_states(leader_mentions(lead)):
        return True
    event_mentions = sum(
        1
        for s in sentences
        if not s.quote
        and (
            event_cue(s.text) or (meets_leader(s.text) and _between_states(leader_mentions(s.text)))
        )
    )
    interstate_signing = any(
        not s.quote and _signed_together(s.text, n)
        for s, n in zip(sentences, countries_per_sentence, strict=True)
    )
    return event_mentions >= 2 or interstate_signing or has_document_list
