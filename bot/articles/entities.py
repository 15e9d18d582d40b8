"""People, countries, the event's city and figures (amounts with what they measure).

People come three ways, each giving one nominative name: the gazetteer of leaders in data/
(the frequent cases made reliable), a leader title followed by its country and a name
("Президентом Республики Индонезии Прабово Субианто", "President of Egypt Abdel Fattah
el-Sisi"), and a first name + surname pair in an event lead. Inflected names are put in the
nominative by morphology, in the case their title word is in; names with Arabic particles
(бен, бин, Аль, al) keep the parts and spelling the text gives them.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from bot.articles import resources
from bot.articles.cues import EVENT_RE, LEADER_TITLE_RE, MEETING_RE
from bot.articles.lemmas import WORD_RE, is_cyrillic, lemma, morph, norm, parses
from bot.articles.resources import word_set
from bot.articles.text import Sentence

_RU_CASE_SUFFIXES = frozenset(["", "а", "у", "ом", "ым", "е", "ой", "ою", "ем", "ым"])
_POSSESSIVE_RE = re.compile(r"[’']s?$")

# Particles stand between the parts of a name and are never declined ("Хейсамом Бен Тареком
# Аль Саидом"); after a family particle (Аль, ас-, al) one last word ends the name.
_RU_PARTICLES = word_set(
    "бен бин ибн бинт аль ал ас аш ад ат аз ар эль эд эш эт да де дос дель ван фон дер ди"
)
_EN_PARTICLES = word_set("bin bint ibn ben al el da de dos del van von der")
_FAMILY_PARTICLES = word_set("аль ал ас аш ад ат аз ар эль эд эш эт al el")
_PATRONYMIC_PARTICLES = word_set("бен бин ибн бинт bin bint ibn ben")
_PARTICLES = _RU_PARTICLES | _EN_PARTICLES
_MAX_NAME_WORDS = 6


@dataclass(frozen=True)
class _Person:
    name: str  # nominative full name
    surname: str  # normalised word that counts a mention (the given name for particle names)
    second: str  # first letters of the father's name after "bin"/"бен"; "" without particle
    country: str | None


@dataclass
class _Found:
    """One person while reading: every nominative form met, the best chosen at the end."""

    key: str  # the word that counts a mention
    country: str | None
    rank: int  # 0 gazetteer, 1 title + name, 2 name pair or a monarch's one name
    forms: Counter[str] = field(default_factory=Counter)
    verbatim: set[str] = field(default_factory=set)

    def name(self) -> str:
        """A form the text itself writes in the nominative wins; then the most frequent."""
        written = [f for f in self.forms if f in self.verbatim]
        pool = written or list(self.forms)
        order = list(self.forms)
        return max(pool, key=lambda f: (self.forms[f], -order.index(f)))


_RU_A_SUFFIXES = frozenset(["а", "я", "ы", "и", "е", "у", "ю", "ой", "ою", "ей", "ею"])


def _surname_hit(token: str, surname: str) -> bool:
    """The token is the surname in some case: Токаев(а|у|ым…), Мнангагв(а|ы|ой…), Putin."""
    t = norm(token)
    if not is_cyrillic(t):
        return t == surname
    if t.startswith(surname) and t[len(surname) :] in _RU_CASE_SUFFIXES:
        return True
    # names in -а/-я decline like nouns of that ending, whatever the person's sex
    return (
        surname[-1:] in ("а", "я")
        and len(surname) > 3
        and t.startswith(surname[:-1])
        and t[len(surname) - 1 :] in _RU_A_SUFFIXES
    )


@dataclass(frozen=True)
class _Leader:
    """A gazetteer leader as one language names them in running text."""

    key: str  # normalised word that names them: the surname, or the given name of "X bin Y"
    second: str  # first letters of the father's name after "bin"/"бен"; "" without particle
    ru: str
    en: str
    country: str

    @property
    def ident(self) -> str:
        return f"{self.key} {self.second}" if self.second else self.key


_SECOND_LETTERS = 2  # "Тарек"/"Тарик", "Заид"/"Зайед": transliterations differ after that


def _second_of(name: str) -> str:
    words = name.split()
    for k, w in enumerate(words[:-1]):
        if norm(w) in _PATRONYMIC_PARTICLES:
            return norm(words[k + 1])[:_SECOND_LETTERS]
    return ""


@cache
def _leader_keys() -> dict[str, list[_Leader]]:
    """Key word -> the gazetteer leaders it names (several "Мухаммед бен …" share one).

    "Мохаммед" alone names many people: a leader whose name has "bin"/"бен" is only named by
    the given name followed by the particle and their father's name.
    """
    index: dict[str, list[_Leader]] = {}
    for leader in resources.leaders():
        for key, name in ((leader.ru_key, leader.ru), (leader.en_key, leader.en)):
            entry = _Leader(norm(key), _second_of(name), leader.ru, leader.en, leader.country)
            entries = index.setdefault(entry.key, [])
            if all(e.second != entry.second for e in entries):
                entries.append(entry)
    return index


@cache
def _leaders_by_prefix() -> dict[str, list[_Leader]]:
    """Cyrillic leader keys grouped by their first three letters (fast token lookup)."""
    table: dict[str, list[_Leader]] = {}
    for key, entries in _leader_keys().items():
        if is_cyrillic(key):
            table.setdefault(key[:3], []).extend(entries)
    return table


_DEPENDENT_RE = re.compile(
    r"(?:помощник\w*|советник\w*|пресс-секретар\w*|заместител\w*|администраци\w*|"
    r"аппарат\w*|супруг\w*|сын\w*|доч\w*|спецпредставител\w*|посл\w*|"
    r"adviser|advisor|spokesperson|secretary|deputy|envoy|wife|son|daughter|"
    r"ambassador|of\s+the)\s+$",
    re.IGNORECASE,
)


# After a title, a company's post or name: "Президентом, Председателем правления ПАО
# «Сбербанк»", "президент компании", "President and CEO of …".
_COMPANY_AFTER_RE = re.compile(
    r"[,\s]*(?:[\w-]+\s+){0,3}?(?:правлени|директор|компани|корпораци|банк|концерн|фонд|"
    r"ассоциаци|клуб|университет|ПАО|ОАО|АО|ЗАО|«|CEO|chief|company|corporation|bank|group|"
    r"inc\b|club|university|foundation|association)",
    re.IGNORECASE,
)


def _is_leader_title(text: str, m: re.Match[str]) -> bool:
    """A LEADER_TITLE_RE match that names a state's leader: not an aide's post before it
    ("помощник Президента"), not a company's after it."""
    if _DEPENDENT_RE.search(text[max(0, m.start() - 40) : m.start()]):
        return False
    return _COMPANY_AFTER_RE.match(text, m.end(), m.end() + 60) is None


def _titled_before(text: str, pos: int) -> bool:
    """A leader title (президент, King ...) heads the words just before a name."""
    window = text[max(0, pos - 60) : pos]
    for m in LEADER_TITLE_RE.finditer(window):
        between = window[m.end() :]
        if len(WORD_RE.findall(between)) > 4:
            continue
        if not _is_leader_title(window, m):
            continue
        return True
    return False


_Span = tuple[str, int, int]  # a WORD_RE word with its start and end in the sentence


def _word_spans(s: Sentence) -> list[_Span]:
    """The sentence's WORD_RE words with their offsets.

    split_sentences already found the words (s.words); locating them in order with str.find
    gives the same offsets as WORD_RE.finditer at a fraction of the cost (the text between
    two words holds no letters, so the next word is always the first occurrence).
    """
    text = s.text
    spans: list[_Span] = []
    if s.words:
        pos = 0
        for w in s.words:
            start = text.find(w, pos)
            if start < 0:  # words not taken from this text: fall back to the regex
                break
            pos = start + len(w)
            spans.append((w, start, pos))
        else:
            return spans
    return [(m.group(), m.start(), m.end()) for m in WORD_RE.finditer(text)]


def _title_case(word: str) -> str:
    return "-".join(p[:1].upper() + p[1:] for p in word.split("-"))


def _capitalised(word: str) -> bool:
    """A name word: capitalised, or a particle glued by a hyphen to one ("ас-Сиси", "al-Assad")."""
    if word[:1].isupper():
        return not (word.isupper() and len(word) > 1)
    head, sep, tail = word.partition("-")
    return bool(sep) and norm(head) in _PARTICLES and tail[:1].isupper()


def _space_gap(gap: str) -> bool:
    """Only spaces (a hard-wrapped line counts as one) separate two words of a name."""
    return 0 < len(gap) <= 3 and not gap.strip() and gap.count("\n") <= 1


# --- gazetteer --------------------------------------------------------------------------


def _particle_follows(tokens: list[_Span], i: int, second: str) -> bool:
    """tokens[i] is followed by "bin"/"бен" and a word starting like the father's name."""
    if i + 2 >= len(tokens):
        return False
    return norm(tokens[i + 1][0]) in _PATRONYMIC_PARTICLES and norm(tokens[i + 2][0]).startswith(
        second
    )


@lru_cache(maxsize=50_000)
def _leader_candidates(word: str) -> tuple[_Leader, ...]:
    """Gazetteer leaders a word may name (any case form), before the particle check."""
    if not _capitalised(word):
        return ()
    if is_cyrillic(word):
        return tuple(
            e for e in _leaders_by_prefix().get(norm(word)[:3], ()) if _surname_hit(word, e.key)
        )
    return tuple(_leader_keys().get(norm(_POSSESSIVE_RE.sub("", word)), ()))


def _gazetteer_hit(tokens: list[_Span], i: int) -> _Leader | None:
    """The gazetteer leader that tokens[i] names, in any case form, or None."""
    for leader in _leader_candidates(tokens[i][0]):
        if not leader.second or _particle_follows(tokens, i, leader.second):
            return leader
    return None


def _gazetteer_hits(tokens: list[_Span]) -> dict[int, _Leader]:
    """Token index -> the gazetteer leader it names, for one sentence."""
    hits: dict[int, _Leader] = {}
    for i, (word, _start, _end) in enumerate(tokens):
        if word[:1].isupper() or "-" in word:
            leader = _gazetteer_hit(tokens, i)
            if leader is not None:
                hits[i] = leader
    return hits


# --- Russian names in the nominative -----------------------------------------------------

_CASES = frozenset(["nomn", "gent", "datv", "accs", "ablt", "loct", "voct"])
_CASE_ALIASES = {"gen2": "gent", "acc2": "accs", "loc2": "loct", "gen1": "gent", "loc1": "loct"}
_NAME_TAGS = frozenset(["Name", "Surn", "Patr"])
# Endings a masculine name takes in each case, for words morphology does not know.
_MASC_ENDINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "gent": (("ии", "ия"), ("ия", "ий"), ("а", "")),  # Бжании <- Бжания, Георгия <- Георгий
    "accs": (("ию", "ия"), ("ия", "ий"), ("а", "")),
    "datv": (("ии", "ия"), ("ию", "ий"), ("у", "")),
    "ablt": (("ием", "ий"), ("ом", ""), ("ым", "")),
    "loct": (("ии", "ий"), ("е", "")),
}
_FEM_ENDINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "ablt": (("ией", "ия"), ("ой", "а"), ("ей", "я")),
    "datv": (("ие", "ия"),),
}


def _grammeme_case(grammemes: frozenset[str]) -> str | None:
    for g in grammemes:
        if g in _CASES:
            return g
        if g in _CASE_ALIASES:
            return _CASE_ALIASES[g]
    return None


@lru_cache(maxsize=20_000)
def _word_cases(word: str) -> frozenset[str]:
    """Cases a title word (Президентом, Султана, Генеральным) can stand in."""
    cases = set()
    for p in parses(norm(word)):
        if p.pos in ("NOUN", "ADJF"):
            case = _grammeme_case(p.grammemes)
            if case:
                cases.add(case)
    return frozenset(cases)


@lru_cache(maxsize=20_000)
def _given_name_info(word: str, cases: frozenset[str]) -> tuple[frozenset[str], bool]:
    """(cases, feminine) of a given name, narrowed to the title's cases when it agrees."""
    part = word.rpartition("-")[2].lower()
    found: list[tuple[str, bool]] = []
    for p in morph().parse(part):
        tag = p.tag
        if "Name" not in tag or tag.number == "plur":
            continue
        case = _CASE_ALIASES.get(str(tag.case), str(tag.case))
        if not cases or case in cases:
            found.append((case, tag.gender == "femn"))
    if not found:
        return cases, False
    feminine = found[0][1]
    narrowed = frozenset(c for c, f in found if f == feminine)
    return (narrowed & cases if cases and narrowed & cases else narrowed), feminine


@lru_cache(maxsize=20_000)
def _ru_nominative(word: str, cases: frozenset[str], feminine: bool) -> str:
    """One name word in the nominative, given the cases it stands in and the person's sex."""
    if not cases or "nomn" in cases:
        return word
    head, sep, tail = word.rpartition("-")
    if sep and norm(head) not in _PARTICLES:  # only the last part of "Касым-Жомартом" declines
        return head + sep + _ru_nominative(tail, cases, feminine)
    best = None
    best_rank = 9
    for p in morph().parse(tail.lower()):
        tag = p.tag
        case = _CASE_ALIASES.get(str(tag.case), str(tag.case))
        if tag.POS != "NOUN" or case not in cases or tag.number == "plur":
            continue
        if "Abbr" in tag:
            continue
        if "Fixd" in tag:
            return word  # indeclinable: Субианто, Эмомали
        # a man's name in -а declines as "Лулой", "Мнангагвой" (the instrumental is unambiguous;
        # "Тани" after a title in the genitive is an undeclined name, not "Таня")
        a_noun = case == "ablt" and str(p.normal_form)[-1:] in ("а", "я")
        if (tag.gender == "femn") != feminine and "ms-f" not in tag and not a_noun:
            continue
        rank = 0 if _NAME_TAGS & set(str(tag).replace(" ", ",").split(",")) else 1
        if rank < best_rank:
            best, best_rank = p, rank
    if best is not None:
        normal = str(best.normal_form)
        if feminine and "Surn" in best.tag:
            inflected = best.inflect({"nomn", "femn"})
            normal = str(inflected.word) if inflected else normal
        nominative = _title_case(normal) if tail[:1].isupper() else normal
    else:
        nominative = tail
        table = _FEM_ENDINGS if feminine else _MASC_ENDINGS
        for case in sorted(cases):
            for ending, replacement in table.get(case, ()):
                if tail.endswith(ending) and len(tail) - len(ending) >= 2:
                    nominative = tail[: len(tail) - len(ending)] + replacement
                    break
            if nominative != tail:
                break
    return head + sep + nominative if sep else nominative


def _ru_name(words: Sequence[str], cases: frozenset[str]) -> str:
    """A Russian name run in the nominative, particles kept as written."""
    given = next((k for k, w in enumerate(words) if norm(w) not in _PARTICLES), 0)
    name_cases, feminine = _given_name_info(words[given], cases)
    out = []
    for k, w in enumerate(words):
        if norm(w) in _PARTICLES:
            out.append(w)
        elif k == given or not _patronymic(w):  # names go without the patronymic
            out.append(_ru_nominative(w, name_cases, feminine))
    return " ".join(out)


@lru_cache(maxsize=20_000)
def _patronymic(word: str) -> bool:
    return any("Patr" in p.grammemes for p in parses(norm(word)))


# --- name runs -----------------------------------------------------------------------------

_NOT_NAME_POS = frozenset(["VERB", "INFN", "GRND", "PRTF", "PRTS", "ADVB", "PREP"])
_EN_NOT_NAMES = word_set(
    "the his her their our this that these those majesty highness excellency royal mr mrs ms "
    "dr jr sr ii iii iv today tonight yesterday tomorrow monday tuesday wednesday thursday "
    "friday saturday sunday january february march april may june july august september "
    "october november december administration government office house department ministry "
    "council summit meeting visit statement readout joint international airport park center "
    "centre financial district city foundation fund university hospital street road avenue "
    "square bridge tower palace mosque museum library institute college school prize award "
    "bay port island project program programme initiative act law bank company corporation "
    "group highway medal order cup trophy stadium hall gate causeway reserve forum conference "
    "agreement treaty declaration memorandum fact sheet secures announces signs visits meets "
    "welcomes hosts holds commission parliament union court committee assembly senate congress "
    "board federation association society league party federal central european national world"
)


@lru_cache(maxsize=20_000)
def _ru_name_word(word: str) -> bool:
    """Capitalised and not a verb or adverb of the dictionary ("… Рахмоном Стороны обсудили"
    with the full stop lost); a word morphology only guesses at (Руто) may be a name."""
    if not _capitalised(word) or LEADER_TITLE_RE.match(word):
        return False
    low = norm(word)
    ps = parses(low)
    if not ps or not all(p.pos in _NOT_NAME_POS for p in ps):
        return True
    return not morph().word_is_known(low)


def _en_name_word(word: str) -> bool:
    if not _capitalised(word) or norm(word) in _EN_NOT_NAMES or LEADER_TITLE_RE.fullmatch(word):
        return False
    return not _en_country_regex()[0].fullmatch(word)


def _name_run(
    text: str, tokens: list[_Span], j: int, gap_from: int, lang: str
) -> tuple[list[str], int]:
    """The words of the name starting at tokens[j] and the index of the token after it:
    capitalised words and particles, up to a comma, a lower-case word, an initial of the
    next name ("В.Путин") or a repeat (glossary pop-ups write "Тамим Бен Хамад Аль Тани Аль
    Тани Тамим ..."). English middle initials (Donald J. Trump) are read past, not kept."""
    particles = _RU_PARTICLES if lang == "ru" else _EN_PARTICLES
    words: list[str] = []
    prev_end = gap_from
    k = after = j
    family = False
    while k < len(tokens) and len(words) < _MAX_NAME_WORDS:
        word, start, end = tokens[k]
        if not _space_gap(text[prev_end:start]) and not (k == j and start == prev_end):
            break
        low = norm(word)
        if len(word) == 1:
            if lang == "en" and words and text[end : end + 2] in (". ", ".\n"):
                prev_end, k = end + 1, k + 1  # a middle initial: Donald J. Trump
                continue
            break
        if low in particles and (words or not word[:1].isupper()):
            words.append(word)
            family = low in _FAMILY_PARTICLES
            prev_end, k = end, k + 1
            continue  # a trailing particle is dropped below, so `after` stays put
        bare = _POSSESSIVE_RE.sub("", word) if lang == "en" else word
        if any(norm(w) == norm(bare) for w in words):
            break
        if not (_ru_name_word(bare) if lang == "ru" else _en_name_word(bare)):
            break
        words.append(bare)
        prev_end, k, after = end, k + 1, k + 1
        if bare != word or family:
            break  # "President Trump’s America First ..." ends at the possessive
    while words and norm(words[-1]) in particles:
        words.pop()
    return words, after


_RU_STATE_RE = re.compile(
    r"(?:республик|федераци|государств|королевств|султанат|эмират|княжеств|штат|союз|"
    r"соедин[её]нн|объедин[её]нн|америк|арабск|исламск|народн|демократическ|социалистическ|"
    r"федеративн|боливарианск|многонациональн|хашимитск|кооперативн|федеральн|правительств|"
    r"совет|министр|кабинет|парти|коммунистическ|центральн|комитет|переходн|суверенн)",
)


@cache
def _country_lemmas() -> frozenset[str]:
    lemmas: set[str] = set()
    for c in resources.countries():
        for name in (c.ru, *c.ru_aliases, *c.ru_adj):
            lemmas.update(lemma(w) for w in WORD_RE.findall(name))
    return frozenset(lemmas)


def _ru_complement_word(word: str) -> bool:
    """A word of the state a title names: "Республики Казахстан", "КНР", "Государства Катар"."""
    if word.isupper() and len(word) > 1:
        return True
    low = norm(word)
    if _RU_STATE_RE.match(low) or lemma(word) in _country_lemmas():
        return True
    if word.islower():  # "Государственного административного совета": the state's name runs on
        return any("gent" in p.grammemes and p.pos in ("NOUN", "ADJF") for p in parses(low))
    return word[:1].isupper() and any(
        "Geox" in p.grammemes and "gent" in p.grammemes for p in parses(low)
    )


# Honorifics between a title and the name: "Президентом ОАЭ шейхом Мухаммедом …".
_RU_HONORIFICS = word_set("шейх шейха шейху шейхом шейхе господин господина господину господином")
_EN_HONORIFICS_RE = re.compile(
    r"\s+(?:Sheikh|His\s+(?:Majesty|Highness|Excellency)|Her\s+(?:Majesty|Highness|Excellency)|"
    r"Mr\.?|Mrs\.?|Ms\.?|Dr\.?)(?=\s)"
)


def _ru_titled(
    s: Sentence, tokens: list[_Span]
) -> Iterator[tuple[int, list[str], frozenset[str], bool]]:
    """(token index, name words, cases, a state's leader) of each name after a leader title;
    "наследный принц Абу-Даби" is a city's prince, not a state's leader."""
    text = s.text
    starts: list[int] = []
    for m in LEADER_TITLE_RE.finditer(text):
        if not is_cyrillic(m.group()) or not _is_leader_title(text, m):
            continue
        cases = _word_cases(WORD_RE.findall(m.group())[0])
        starts = starts or [t[1] for t in tokens]
        j = bisect_left(starts, m.end())
        if j > 0 and tokens[j - 1][2] > m.end():  # "Премьер-министр": the title's whole word
            j -= 1
            cases = _word_cases(tokens[j][0])
            pos = tokens[j][2]
            j += 1
        else:
            pos = m.end()
        steps = 0
        city = False
        while j < len(tokens) and steps < 7 and _space_gap(text[pos : tokens[j][1]]):
            word = tokens[j][0]
            if word[:1].isupper() and _city_of(word) is not None:
                city = True
            elif not _ru_complement_word(word) and norm(word) not in _RU_HONORIFICS:
                break
            pos, j, steps = tokens[j][2], j + 1, steps + 1
        if j >= len(tokens) or not _space_gap(text[pos : tokens[j][1]]):
            continue
        words, _after = _name_run(text, tokens, j, pos, "ru")
        if words:
            yield j, words, cases, not city


_EN_TITLE_RE = re.compile(
    r"(?<![-‐‑])(?<!Vice\s)(?<!VICE\s)\b(President|Prime\s+Minister|Premier|Chancellor|King|Queen|"
    r"Crown\s+Prince|Emir|Amir|Sultan|General\s+Secretary)\b"
)
_EN_ROYAL = frozenset(["King", "Queen", "Emir", "Amir", "Sultan", "Crown Prince"])
_EN_OF_RE = re.compile(r"\s+of\s+(?:the\s+)?")
_EN_ONE_STATE_RE = re.compile(r"([A-Z][a-z]{2,})(?=\s+[A-Z][a-z])")
_EN_STATE_WORD_RE = re.compile(
    r"(?:Republic|Kingdom|State|Sultanate|Federation|Emirate|Principality|Commonwealth|Islamic|"
    r"People[’']s|Democratic|Socialist|Federal|Arab|United|Bolivarian|Hashemite|Plurinational|"
    r"Co-?operative|Federative|Union)\s+(?:of\s+(?:the\s+)?)?"
)


def _en_after_country(text: str, pos: int) -> int | None:
    """End of "of (the Republic of) <Country>" after a title at pos; pos when there is none."""
    of = _EN_OF_RE.match(text, pos)
    if of is None:
        return pos
    pattern = _en_country_regex()[0]
    at = of.end()
    for _ in range(5):
        country = pattern.match(text, at)
        if country is not None:
            return country.end()
        state = _EN_STATE_WORD_RE.match(text, at)
        if state is None:
            break
        at = state.end()
    words = text[at : at + 40].split()[:2]
    if any(norm(" ".join(words[:n])) in _city_index() for n in (1, 2)):
        return None  # "Crown Prince of Abu Dhabi": a city's, not a state's
    # a state the gazetteer does not know: one capitalised word, a name after it
    unknown = _EN_ONE_STATE_RE.match(text, at)
    return unknown.end(1) if unknown is not None else None


_TITLE_CASE_SMALL = word_set(
    "a an the and or nor of in on at to for with by from as but vs via per"
)


def _headline_case(text: str) -> bool:
    """Title Case headlines capitalise all but small words: a name's end cannot be told there."""
    words = WORD_RE.findall(text)
    capitalised = sum(w[:1].isupper() for w in words)
    return capitalised >= 3 and all(w[:1].isupper() or w in _TITLE_CASE_SMALL for w in words)


# --- finding people ------------------------------------------------------------------------


class _People:
    """People found so far, by identity: the counting key, plus the father's name's first
    letters for "X bin Y" names (two Mohammeds in one text stay two people)."""

    def __init__(self) -> None:
        self.found: dict[str, _Found] = {}

    def add(self, ident: str, name: str, country: str | None, rank: int, verbatim: bool) -> None:
        person = self.found.get(ident)
        if person is None and " " not in ident:  # "Бжании" and "Бжания": one surname
            ident = next((k for k in self.found if _same_surname(k, ident)), ident)
            person = self.found.get(ident)
        if person is None or rank < person.rank:
            person = self.found[ident] = _Found(ident.split()[0], country, rank)
        elif rank > person.rank:
            return
        person.forms[name] += 1
        if verbatim:
            person.verbatim.add(name)

    def known(self, word: str) -> bool:
        """The word names someone already found (in any case form)."""
        low = norm(word)
        return any(_surname_hit(low, p.key) for p in self.found.values() if p.key[:2] == low[:2])

    def result(self) -> list[_Person]:
        return [
            _Person(p.name(), p.key, ident.partition(" ")[2], p.country)
            for ident, p in self.found.items()
        ]


def _same_surname(a: str, b: str) -> bool:
    return " " not in a and (_surname_hit(a, b) or _surname_hit(b, a))


def _key_of(words: Sequence[str], lang: str) -> str:
    """The counting key of a name: its surname, or the given name of a particle name."""
    particles = _RU_PARTICLES if lang == "ru" else _EN_PARTICLES
    core = [w for w in words if norm(w) not in particles]
    if len(core) < len(words) and any(norm(w) in _PATRONYMIC_PARTICLES for w in words):
        return f"{norm(core[0])} {_second_of(' '.join(words))}"
    return norm(core[-1])


def _ru_sentence_people(s: Sentence, tokens: list[_Span], people: _People, pair_ok: bool) -> None:
    text = s.text
    covered: set[int] = set()  # tokens inside a name already read: no pair is taken from them
    hits = _gazetteer_hits(tokens)
    # 1. gazetteer leaders, particle names as the text writes them
    for i, leader in hits.items():
        if leader.second:
            words, _after = _name_run(text, tokens, i, tokens[i][1], "ru")
            covered.update(range(i, i + len(words)))
            cases = _given_name_info(words[0], frozenset())[0] if words else frozenset()
            name = _ru_name(words, cases) if len(words) > 2 else leader.ru
            people.add(leader.ident, name, leader.country, 0, name == " ".join(words))
        else:
            people.add(leader.ident, leader.ru, leader.country, 0, False)
    # 2. a leader title, its state, then a name: "Президентом Индонезии Прабово Субианто"
    for j, words, cases, state in _ru_titled(s, tokens):
        covered.update(range(j, j + len(words)))
        if not state or any(k in hits for k in range(j, j + len(words))):
            continue
        core = [w for w in words if norm(w) not in _RU_PARTICLES]
        if len(core) < 2:
            continue
        name = _ru_name(words, cases)
        people.add(_key_of(name.split(), "ru"), name, None, 1, name == " ".join(words))
    # 3. a first name + surname pair in an event lead or after a title
    last = len(tokens) - 1
    in_event: bool | None = None if pair_ok else False
    for i, (word, start, end) in enumerate(tokens[:-1] if last > 0 else ()):
        if not word[:1].isupper() or word.isupper() or i in covered or i + 1 in covered:
            continue
        nxt_word, nxt_start, nxt_end = tokens[i + 1]
        if text[end:nxt_start] != " " or not nxt_word[:1].isupper() or len(nxt_word) < 2:
            continue
        if text[nxt_end : nxt_end + 1] == "." and len(nxt_word) < 3:
            continue
        if not _starts_name(text, tokens, i):
            continue
        if in_event is None:
            in_event = EVENT_RE.search(text) is not None or MEETING_RE.search(text) is not None
        titled = _titled_before(text, start)
        if not (in_event or titled) or (not titled and _official_before(text, start)):
            continue
        if people.known(word) or people.known(nxt_word):
            continue  # a known person, or a glossary pop-up writing the surname first
        if i in hits or i + 1 in hits:
            continue
        pair = _ru_nominative_pair(word, nxt_word)
        if pair is None:
            continue
        people.add(norm(pair[1]), f"{pair[0]} {pair[1]}", None, 2, False)


_OFFICIAL_RE = re.compile(
    r"(?:министр|глав[аеуыо]|посол|посл[аоу]|губернатор|мэр|секретар|директор|руководител|"
    r"спикер|депутат|сенатор|командующ|генерал|представител|помощник|советник|заместител|"
    r"вице|начальник|прокурор|министерств|ведомств|председател)\w*",
    re.IGNORECASE,
)


def _official_before(text: str, pos: int) -> bool:
    """A post that is not a state leader's heads the words before a name ("Министр обороны
    России Сергей Шойгу"): in an event lead, such a name is not one of the leaders."""
    window = text[max(0, pos - 50) : pos]
    last = None
    for m in _OFFICIAL_RE.finditer(window):
        last = m
    return last is not None and len(WORD_RE.findall(window[last.end() :])) <= 4


def _starts_name(text: str, tokens: list[_Span], i: int) -> bool:
    """The pair begins a name: the word before is not itself a capitalised name part."""
    if i == 0:
        return True
    prev_word, _, prev_end = tokens[i - 1]
    if text[prev_end : tokens[i][1]] != " " or not prev_word[:1].isupper():
        return True
    ps = parses(norm(prev_word))
    return not any(
        p.pos == "NOUN"
        and ("Name" in p.grammemes or "Surn" in p.grammemes or "UNKN" in p.grammemes)
        for p in ps
    ) and bool(ps)


@lru_cache(maxsize=20_000)
def _ru_nominative_pair(first: str, last: str) -> tuple[str, str] | None:
    """Name + surname in a shared case and sex -> both in the nominative; None if not a person."""
    first_parses = [p for p in morph().parse(first) if "Name" in p.tag]
    if not first_parses:
        return None
    last_parses = [p for p in morph().parse(last) if p.tag.POS == "NOUN" or "UNKN" in p.tag]
    for fp in first_parses:
        for lp in last_parses:
            name_like = "Surn" in lp.tag or "Name" in lp.tag or "UNKN" in lp.tag
            same_case = fp.tag.case == lp.tag.case or lp.tag.case is None or "Fixd" in lp.tag
            same_sex = (
                lp.tag.gender is None
                or lp.tag.gender == fp.tag.gender
                or "ms-f" in lp.tag
                or "Fixd" in lp.tag
                or "Fixd" in fp.tag
            )
            if name_like and same_case and same_sex:
                surname = lp.normal_form
                if "Surn" in lp.tag and fp.tag.gender == "femn":
                    inflected = lp.inflect({"nomn", "femn"})
                    surname = inflected.word if inflected else surname
                return _title_case(fp.normal_form), _title_case(surname)
    return None


def _en_sentence_people(
    s: Sentence, tokens: list[_Span], people: _People, is_headline: bool
) -> None:
    text = s.text
    starts: list[int] = []
    headline_case = is_headline or _headline_case(text)
    hits = _gazetteer_hits(tokens)
    # 1. a title, "of <state>", then a name: "President of Egypt Abdel Fattah el-Sisi"
    for m in _EN_TITLE_RE.finditer(text):
        pos = _en_after_country(text, m.end())
        if pos is None or not _is_leader_title(text, m):
            continue
        honorific = _EN_HONORIFICS_RE.match(text, pos)
        pos = honorific.end() if honorific else pos
        starts = starts or [t[1] for t in tokens]
        j = bisect_left(starts, pos)
        if j >= len(tokens) or not _space_gap(text[pos : tokens[j][1]]):
            continue
        words, k_end = _name_run(text, tokens, j, pos, "en")
        if not words:
            continue
        if any(k in hits for k in range(j, k_end)):
            continue  # the gazetteer pass below names them
        nxt = k_end if k_end < len(tokens) else None
        if (
            nxt is not None
            and _space_gap(text[tokens[nxt - 1][2] : tokens[nxt][1]])
            and tokens[nxt][0][:1].isupper()
            and words[-1] == _POSSESSIVE_RE.sub("", words[-1])
        ):
            continue  # "King Salman Park", "King Salman International Airport": a place
        if headline_case:
            continue  # "President Prabowo Visits Moscow": the name's end cannot be told
        title = " ".join(m.group(1).split())
        if len(words) == 1:
            if title in _EN_ROYAL:  # monarchs go by one name: King Salman
                people.add(norm(words[0]), f"{title} {words[0]}", None, 2, True)
            continue
        people.add(_key_of(words, "en"), " ".join(words), None, 1, True)
    # 2. gazetteer leaders by any mention ("Putin", "President Biden’s")
    for i, leader in hits.items():
        if leader.second:
            words, _after = _name_run(text, tokens, i, tokens[i][1], "en")
            name = " ".join(words) if len(words) > 2 else leader.en
            people.add(leader.ident, name, leader.country, 0, True)
        elif i + 1 < len(tokens) and _reversed_name(text, tokens, i, leader.en):
            # "Prime Minister Kishida Fumio": the text puts the family name first
            people.add(leader.ident, f"{tokens[i][0]} {tokens[i + 1][0]}", leader.country, 0, True)
        else:
            people.add(leader.ident, leader.en, leader.country, 0, False)


def _reversed_name(text: str, tokens: list[_Span], i: int, full: str) -> bool:
    """The gazetteer's "Given Family" written "Family Given" at tokens[i]."""
    words = full.split()
    nxt = tokens[i + 1]
    return (
        len(words) == 2
        and norm(nxt[0]) == norm(words[0])
        and _space_gap(text[tokens[i][2] : nxt[1]])
        and not (i > 0 and norm(tokens[i - 1][0]) == norm(words[0]))
    )


def _find_people(
    sentences: Sequence[Sentence], spans: Sequence[list[_Span]], lang: str
) -> list[_Person]:
    people = _People()
    for s, tokens in zip(sentences, spans, strict=True):
        if lang == "ru":
            _ru_sentence_people(s, tokens, people, pair_ok=s.index < 2)
        else:
            _en_sentence_people(s, tokens, people, is_headline=s.index == 0)
    return people.result()


_LEADER_WORD_RE = re.compile(r"(?:лидер|leader)", re.IGNORECASE)
_NEXT_WORD_RE = re.compile(r"[-‐‑\w]*\s+(\w+)")


@dataclass(frozen=True)
class LeaderMention:
    """A state leader named in a text: where, and of which state when the text tells."""

    offset: int
    country: str | None  # ru gazetteer name of the state
    person: str | None  # the gazetteer leader named; None for a title alone


@cache
def _country_by_word() -> dict[str, str]:
    """Lemma of a word that names one state only (Индонезии, саудовский, Egypt) -> ru name."""
    seen: dict[str, set[str]] = {}
    for c in resources.countries():
        for name in (c.ru, *c.ru_aliases, *c.ru_adj):
            for w in WORD_RE.findall(name):
                seen.setdefault(lemma(w), set()).add(c.ru)
        for name in (c.en, *c.en_aliases, *c.en_adj):
            seen.setdefault(name, set()).add(c.ru)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1 and not _RU_STATE_RE.match(k)}


def _title_country(text: str, end: int) -> str | None:
    """The state a title names right after it: "Президентом Республики Индонезии", "President
    of the Republic of Ghana"."""
    table = _country_by_word()
    if is_cyrillic(text[end - 1 : end]):
        for word in WORD_RE.findall(text[end : end + 60])[:4]:
            if not _ru_complement_word(word):
                return None
            country = table.get(lemma(word)) or table.get(word)
            if country:
                return country
        return None
    of = _EN_OF_RE.match(text, end)
    if of is None:
        return None
    found = _en_country_regex()[0].search(text, of.end(), of.end() + 60)
    return table.get(found.group()) if found else None


def leader_mentions(text: str) -> list[LeaderMention]:
    """The state leaders a text names: a leader's title (not an aide's, not the president of
    a company: "президентом компании", "President of Tesla"), or a gazetteer leader in any
    case form. "Лидеры бизнеса" are not state leaders, so "лидер" is left out.
    """
    found: list[LeaderMention] = []
    for m in LEADER_TITLE_RE.finditer(text):
        if _LEADER_WORD_RE.match(m.group()) or not _is_leader_title(text, m):
            continue
        if is_cyrillic(m.group()):
            nxt = _NEXT_WORD_RE.match(text, m.end())
            if nxt and nxt.group(1).islower() and not _RU_STATE_RE.match(norm(nxt.group(1))):
                continue
        elif _en_after_country(text, m.end()) is None:
            continue
        found.append(LeaderMention(m.start(), _title_country(text, m.end()), None))
    tokens = [(m.group(), m.start(), m.end()) for m in WORD_RE.finditer(text)]
    for i, leader in _gazetteer_hits(tokens).items():
        found.append(LeaderMention(tokens[i][1], leader.country, leader.ru))
    return sorted(found, key=lambda x: x.offset)


# Speaker labels of a transcript: "В.Путин:", "Э.Рахмон (как переведено):", "Vladimir Putin:".
_SPEAKER_RE = re.compile(
    r"(?:^|(?<=\s))(?:[А-ЯЁA-Z]\.\s?([А-ЯЁA-Z][\w’'-]+)|[A-Z][a-z]+\s([A-Z][\w’'-]+))"
    r"(?:\s\([^)]{0,40}\))?\s?:\s"
)


# Sidebars of scraped pages: what follows names other events.
_SIDEBAR_RE = re.compile(
    r"\b(?:Смотрите также|Читайте также|См\. также|See also|Read also|Related)\b"
)
# A sentence that turns to another time speaks of another event: "Earlier today, the
# President … held talks with UAE President …", "Накануне …".
_ELSEWHERE_RE = re.compile(
    r"\b(?:Ранее|Накануне|Вчера|Прежде|Перед\s+этим|До\s+этого|Earlier|Previously|Yesterday|"
    r"Before\s+that|Last\s+(?:week|month|year))\b"
)


def _narrative_end(s: Sentence) -> int:
    """Where a sentence's own narration ends: "17:45 Москва, Кремль … В.Путин: Уважаемый …"
    is one sentence flagged as speech, but the words before the speaker's label are not; a
    sidebar ("Смотрите также …") ends it too."""
    end = len(s.text)
    if s.quote:
        label = _SPEAKER_RE.search(s.text) if ":" in s.text else None
        end = label.start() if label is not None else 0
    sidebar = _SIDEBAR_RE.search(s.text, 0, end)
    return sidebar.start() if sidebar is not None else end


def find_participants(
    title: str, sentences: Sequence[Sentence], lang: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Leaders who took part: named in the lead, speaking in the transcript, or named twice
    outside quoted speech (a leader only quoted or only spoken of in a speech was not there,
    nor one met "earlier today" or listed under "See also").

    `title` is the headline, which `sentences` already hold as their first.
    Returns (names, their countries as known from the gazetteer).
    """
    spans = [_word_spans(s) for s in sentences]
    people = _find_people(sentences, spans, lang)
    if not people:
        return (), ()
    by_prefix: dict[str, list[_Person]] = {}
    for p in people:
        by_prefix.setdefault(p.surname[:2], []).append(p)
    counts: Counter[int] = Counter()
    first_seen: dict[int, tuple[int, int]] = {}
    in_lead: set[int] = set()
    speaking: set[int] = set()
    lead_count = 3
    for n, (s, tokens) in enumerate(zip(sentences, spans, strict=True)):
        narrative = _narrative_end(s)
        elsewhere = _ELSEWHERE_RE.search(s.text, 0, narrative)  # a clause turning to another day
        narrative = elsewhere.start() if elsewhere is not None else narrative
        for i, (word, start, _end) in enumerate(tokens):
            if not (word[:1].isupper() or "-" in word) or not _capitalised(word):
                continue
            if i and norm(tokens[i - 1][0]) in _PATRONYMIC_PARTICLES:
                continue  # "bin Salman" names a father, not King Salman
            bare = _POSSESSIVE_RE.sub("", word)
            for p in by_prefix.get(norm(word)[:2], ()):
                if not _surname_hit(bare, p.surname):
                    continue
                if p.second and not _particle_follows(tokens, i, p.second):
                    continue  # "Мухаммед" alone is not Mohammed bin Salman
                who = id(p)
                first_seen.setdefault(who, (n, start))
                if start < narrative:
                    counts[who] += 1
                    if n < lead_count:
                        in_lead.add(who)
        if ":" in s.text:
            for m in _SPEAKER_RE.finditer(s.text):
                spoken = norm(m.group(1) or m.group(2))
                for p in by_prefix.get(spoken[:2], ()):
                    if _surname_hit(spoken, p.surname):
                        speaking.add(id(p))
    chosen = [p for p in people if counts[id(p)] >= 2 or id(p) in in_lead or id(p) in speaking]
    chosen.sort(key=lambda p: first_seen.get(id(p), (10**9, 0)))
    unique: dict[str, _Person] = {}
    for p in chosen:
        unique.setdefault(p.name, p)
    chosen = list(unique.values())[:8]
    return tuple(p.name for p in chosen), tuple(p.country for p in chosen if p.country)


# --- countries -------------------------------------------------------------------------


@cache
def _ru_country_sequences() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First lemma -> [(lemma sequence, ru country name)], longest first."""
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for c in resources.countries():
        names = [c.ru, *c.ru_aliases, *c.ru_adj]
        for name in names:
            seq = tuple(lemma(w) for w in WORD_RE.findall(name))
            if seq:
                table.setdefault(seq[0], []).append((seq, c.ru))
            if name.islower() and name.endswith("ий"):
                table.setdefault(norm(name[:-2] + "о"), []).append(((norm(name[:-2] + "о"),), c.ru))
    for entries in table.values():
        entries.sort(key=lambda e: -len(e[0]))
    return table


@cache
def _en_country_regex() -> tuple[re.Pattern[str], dict[str, str]]:
    names: dict[str, str] = {}
    for c in resources.countries():
        for name in (c.en, *c.en_aliases, *c.en_adj):
            names[name] = c.en
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alternation})(?![\w])"), names


_HYPHEN_SPLIT_RE = re.compile(r"[-‐‑]")


def _ru_sentence_hits(
    words: Sequence[str], table: dict[str, list[tuple[tuple[str, ...], str]]]
) -> list[tuple[str, int]]:
    """(country, weight) hits of one Russian sentence, in text order."""
    hits: list[tuple[str, int]] = []
    for w in words:
        if "-" in w:
            parts = _HYPHEN_SPLIT_RE.split(w)
            if len(parts) > 1:
                for part in parts:
                    for seq, country in table.get(norm(part), ()):
                        if len(seq) == 1:
                            hits.append((country, 3))
                            break
    lemmas = [lemma(w) for w in words]
    n = len(lemmas)
    i = 0
    while i < n:
        matched = 0
        entries = table.get(lemmas[i])
        if entries:
            for seq, country in entries:
                if tuple(lemmas[i : i + len(seq)]) == seq:
                    hits.append((country, 1))
                    matched = len(seq)
                    break
        i += matched or 1
    return hits


def _en_sentence_hits(
    text: str, pattern: re.Pattern[str], names: dict[str, str]
) -> list[tuple[str, int]]:
    hits: list[tuple[str, int]] = []
    for m in pattern.finditer(text):
        after = text[m.end() : m.end() + 1]
        before = text[max(0, m.start() - 1) : m.start()]
        hits.append((names[m.group()], 3 if "-" in (after + before) else 1))
    return hits


def country_mentions_per_sentence(
    sentences: Sequence[Sentence], lang: str
) -> tuple[Counter[str], list[str], list[int]]:
    """country_mentions plus, per sentence, how many distinct countries it names."""
    counts: Counter[str] = Counter()
    order: list[str] = []
    distinct: list[int] = []
    lead_indices = {s.index for s in sentences[:3]}
    if lang == "ru":
        table = _ru_country_sequences()
    else:
        pattern, names = _en_country_regex()
    for s in sentences:
        if lang == "ru":
            hits = _ru_sentence_hits(s.words, table)
        else:
            hits = _en_sentence_hits(s.text, pattern, names)
        double = s.index in lead_indices  # the headline and lead name the parties of the event
        for country, weight in hits:
            if double:
                weight *= 2
            if country not in counts:
                order.append(country)
            counts[country] += weight
        distinct.append(len({c for c, _ in hits}))
    return counts, order, distinct


def country_mentions(sentences: Sequence[Sentence], lang: str) -> tuple[Counter[str], list[str]]:
    """Country -> weighted mentions (hyphenated "российско-таджикские" counts extra), order."""
    counts, order, _ = country_mentions_per_sentence(sentences, lang)
    return counts, order


def pick_countries(
    counts: Counter[str], order: list[str], hinted: Sequence[str], lang: str
) -> tuple[str, ...]:
    """Countries of the event: the leaders' own plus those clearly dominant in the text."""
    scores = Counter(counts)
    ru_to_en = {c.ru: c.en for c in resources.countries()}
    for country in hinted:
        name = country if lang == "ru" else ru_to_en.get(country, country)
        scores[name] += 3
        if name not in order:
            order.append(name)
    if not scores:
        return ()
    top = max(scores.values())
    own = {c if lang == "ru" else ru_to_en.get(c, c) for c in hinted}
    chosen = [c for c in order if c in own or scores[c] >= max(2, 0.3 * top)]
    return tuple(chosen[:6])


# --- place -------------------------------------------------------------------------------

_PLACE_PREPOSITIONS = word_set("в во in at")
_PLACE_VISIT = word_set(
    "посетить посетил посетила посетили посетит прибыл прибыла прибыли прибудет приезд визит "
    "visit visited visiting arrived"
)
_PLACE_MIN_SCORE = 4


_DATELINE_RE = re.compile(r"\d{1,2}:\d{2}\s+")


@cache
def _city_index() -> dict[str, tuple[str, str]]:
    index: dict[str, tuple[str, str]] = {}
    for city in resources.cities():
        index[norm(city.ru)] = (city.ru, city.en)
        index[norm(city.en)] = (city.ru, city.en)
    return index


@cache
def _multi_word_cities() -> dict[str, tuple[str, str]]:
    return {k: v for k, v in _city_index().items() if " " in k}


@lru_cache(maxsize=100_000)
def _city_of(token: str) -> tuple[str, str] | None:
    index = _city_index()
    low = norm(token)
    if low in index:
        return index[low]
    if is_cyrillic(low):
        for p in parses(low):
            if p.normal_form in index and ("Geox" in p.grammemes or p.score > 0.3):
                return index[p.normal_form]
    return None


_KREMLIN_RE = re.compile(r"\bкремл(?:ь|я|е|ю|ем|[её]вск\w*)\b|\bkremlin\b", re.IGNORECASE)
_KREMLIN_HEADS = frozenset(["Крем", "КРЕМ", "Krem", "KREM"])
_DATELINE_END_RE = re.compile(r",|\s+[—–-]\s|\s+\(")
_LEAD_SENTENCES = 5
_CUE_DISTANCE = 8


def _city_mentions(tokens: Sequence[_Span]) -> list[tuple[tuple[str, str], int, int, int]]:
    """(city, token index, start, end) of the gazetteer cities a sentence names; "Кремль" and
    "the Kremlin" name Moscow."""
    found: list[tuple[tuple[str, str], int, int, int]] = []
    moscow = _city_index().get("москва")
    for i, (tok, start, end) in enumerate(tokens):
        if not tok[:1].isupper():
            continue
        city = _city_of(tok)
        if (
            city is None
            and moscow is not None
            and tok[:4] in _KREMLIN_HEADS
            and _KREMLIN_RE.fullmatch(tok)
        ):
            city = moscow
        if city is not None:
            found.append((city, i, start, end))
    return found


def _is_dateline(text: str, start: int, end: int) -> bool:
    """ "17:45 Москва, Кремль", "МОСКВА, 5 апреля", "ASTANA — ": a city heading the text."""
    at_head = start == 0 or _DATELINE_RE.match(text, max(0, start - 6)) is not None
    return at_head and _DATELINE_END_RE.match(text, end) is not None


def _event_place(sentences: Sequence[Sentence], skip: frozenset[int]) -> tuple[str, str] | None:
    """The city the lead ties to the event: "переговоры прошли в Астане", "В Кремле прошли
    переговоры", "arrived in Astana", "talks in Moscow" (a city after в/in near the event
    word), else the dateline. Cities named later (a school to be built in Dushanbe, the next
    summit) do not move the place of this one."""
    dateline: tuple[str, str] | None = None
    seen = 0
    for s in sentences:
        if s.index in skip:
            continue
        limit = _narrative_end(s)
        if limit == 0:
            continue
        seen += 1
        if seen > _LEAD_SENTENCES:
            break
        tokens = _word_spans(s)
        mentions = [m for m in _city_mentions(tokens) if m[3] <= limit]
        if not mentions:
            continue
        text = s.text[:limit]
        cues = [m.start() for m in EVENT_RE.finditer(text)]
        cues += [m.start() for m in MEETING_RE.finditer(text)]
        cues += [start for tok, start, _ in tokens if norm(tok) in _PLACE_VISIT]
        best: tuple[int, tuple[str, str]] | None = None
        for city, i, start, end in mentions:
            if dateline is None and _is_dateline(text, start, end):
                dateline = city
            before = tokens[i - 1][0].lower() if i else ""
            if before == "the" and i > 1:  # "in the Kremlin"
                before = tokens[i - 2][0].lower()
            if before not in _PLACE_PREPOSITIONS:
                continue
            for cue in cues:
                low, high = sorted((cue, start))
                distance = len(WORD_RE.findall(text[low:high]))
                if distance <= _CUE_DISTANCE and (best is None or distance < best[0]):
                    best = (distance, city)
        if best is not None:
            return best[1]
    return dateline


def find_place(sentences: Sequence[Sentence], lang: str, skip: frozenset[int]) -> str | None:
    """City of the event: the one the lead ties to the event word or the dateline; failing
    that, the gazetteer city named most, weighted when introduced by в/посетить/in/visit or
    in the lead. Quoted speech counts little and never decides alone."""
    placed = _event_place(sentences, skip)
    if placed is not None:
        return placed[0] if lang == "ru" else placed[1]
    multi = _multi_word_cities()
    scores: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], int] = {}
    outside_quotes: set[tuple[str, str]] = set()
    for s in sentences:
        if s.index in skip:
            continue
        low_text = s.text.lower()
        for key, named in multi.items():
            if key in low_text:
                scores[named] += 1
                first.setdefault(named, s.index)
        tokens = _word_spans(s)
        for city, i, _start, _end in _city_mentions(tokens):
            first.setdefault(city, s.index)
            weight = 1
            if not s.quote:  # speech mentions places of other events
                outside_quotes.add(city)
                before = [t[0].lower() for t in tokens[max(0, i - 2) : i]]
                if before and before[-1] in _PLACE_PREPOSITIONS:
                    weight += 2
                if any(b in _PLACE_VISIT for b in before):
                    weight += 3
                if s.index < 2:
                    weight += 2
            scores[city] += weight
    candidates = [c for c in scores if c in outside_quotes]
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (scores[c], -first[c]))
    if scores[best] < _PLACE_MIN_SCORE:
        return None
    return best[0] if lang == "ru" else best[1]


# --- figures -------------------------------------------------------------------------------

_NUM = r"\d+(?:[ \u00a0]\d{3})*(?:[.,]\d+)?"
_SCALE = (
    r"(?:трлн|млрд|млн|тыс\.?|триллион\w*|миллиард\w*|миллион\w*|тысяч\w*|"
    r"trillion|billion|million|thousand|bn|mln)"
)
_CURRENCY = (
    r"(?:долл(?:ар\w*|\.)?|евро|руб(?:л\w*|\.)?|тенге|сомони|сум\w*|юан\w*|манат\w*|лари|"
    r"драм\w*|фунт\w*|иен\w*|dollars?|euros?|rubles?|roubles?|pounds?|yuan|tenge)"
)
_MONEY_RE = re.compile(
    rf"(?:(?<![\w.,])(?P<num>{_NUM})(?:\s*(?P<scale>{_SCALE}))?\s*(?P<cur>{_CURRENCY})(?![а-яёa-z])"
    rf"|(?P<sym>[$€£₽])\s?(?P<num2>{_NUM})"
    # "£27.6m", "$3bn", "€40k": the scale written as a letter or two right after the number.
    rf"(?:[\s-]*(?P<scale2>{_SCALE})|(?:mn|m|bn|b|k)(?![a-z]))?)",
    re.IGNORECASE,
)
_PERCENT_RE = re.compile(rf"(?<![\w.,])(?P<num>{_NUM})\s*(?:%|процент\w*|percent|per cent)", re.I)
_COUNT_RE = re.compile(rf"(?<![\w.,:-])(?P<num>{_NUM})\s+(?P<noun>[а-яё]{{3,}}|[a-z]{{3,}}s)\b")
# A day after its month ("Jan. 6 rioters", "March 15 talks") is a date, not a count.
_MONTH_BEFORE_RE = re.compile(
    r"(?:\b(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
    r"|\b(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december))\s*$",
    re.IGNORECASE,
)
_NOT_COUNTED = word_set(
    "год гг г месяц день неделя час минута секунда век раз число место январь февраль март "
    "апрель май июнь июль август сентябрь октябрь ноябрь декабрь процент тысяча миллион "
    "миллиард млн млрд трлн тыс доллар рубль евро тенге сомони метр километр часть статья "
    "пункт подпункт абзац глава раздел страница том номер приложение "
    "years months weeks days hours minutes seconds decades times percent "
    # Ukrainian months, as quoted in Russian and English texts: dates, not counts.
    "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня"
)
_MEASURES = word_set(
    "товарооборот торговля оборот объем рост инвестиция капиталовложение экспорт импорт "
    "бюджет кредит заем доля стоимость сумма выручка прибыль дефицит профицит инфляция ввп "
    "производство помощь финансирование контракт сделка пакет фонд вклад поставка "
    "trade turnover investment export import growth budget loan deposit deal sale package "
    "fund commitment surplus deficit aid production price"
)
_TARGET = word_set(
    "довести цель планировать намереваться намерен стремиться нацелить "
    "увеличить target goal aim plan"
)


_CLAUSE_RE = re.compile(r"(?<!\d)[,;:()–—](?!\d)|\s[-–—]\s")


def _measure(sentence: str, start: int, end: int) -> tuple[str | None, bool]:
    """What an amount measures: the nearest measure noun in its clause; target wording."""
    left = max((m.end() for m in _CLAUSE_RE.finditer(sentence, 0, start)), default=0)
    right_m = _CLAUSE_RE.search(sentence, end)
    right = right_m.start() if right_m else len(sentence)
    offset = left
    sentence = sentence[left:right]
    start, end = start - offset, end - offset
    tokens = list(WORD_RE.finditer(sentence))
    best: tuple[int, str] | None = None
    target = False
    for tok in tokens:
        lem = lemma(tok.group())
        if lem in _TARGET or norm(tok.group()) in _TARGET:
            target = True
        if lem not in _MEASURES:
            continue
        word = norm(tok.group())
        label = lem if is_cyrillic(word) else word
        if tok.end() <= start:
            dist = len(WORD_RE.findall(sentence[tok.end() : start]))
            if dist <= 10 and (best is None or dist < best[0]):
                best = (dist, label)
        elif tok.start() >= end:
            dist = len(WORD_RE.findall(sentence[end : tok.start()])) + 3
            if dist <= 9 and (best is None or dist < best[0]):
                best = (dist, label)
    return (best[1] if best else None), target


def _fmt(amount: str, measure: str | None, target: bool, lang: str) -> str:
    amount = re.sub(r"\s+", " ", amount.strip())
    amount = re.sub(r"\s+%", "%", amount)
    details = [measure] if measure else []
    if target:
        details.append("цель" if lang == "ru" else "target")
    return amount + (" — " + ", ".join(details) if details else "")


_DIGIT_RE = re.compile(r"\d")


def find_figures(sentences: Sequence[Sentence], skip: frozenset[int], lang: str) -> tuple[str, ...]:
    """Amounts with units ("2 млрд долларов — товарооборот, цель"), outside document titles."""
    found: list[str] = []
    seen: set[str] = set()
    previous = ""
    for s in sentences:
        prior, previous = previous, s.text
        if s.index in skip or not _DIGIT_RE.search(s.text):
            continue
        text = s.text
        spans: list[tuple[int, int, str]] = []
        for m in _MONEY_RE.finditer(text):
            spans.append((m.start(), m.end(), m.group()))
        for m in _PERCENT_RE.finditer(text):
            spans.append((m.start(), m.end(), m.group()))
        for m in _COUNT_RE.finditer(text):
            if any(a <= m.start() < b for a, b, _ in spans):
                continue
            noun = m.group("noun")
            lem = lemma(noun)
            ps = parses(norm(noun)) if is_cyrillic(noun) else ()
            if lem in _NOT_COUNTED or norm(noun) in _NOT_COUNTED:
                continue
            if is_cyrillic(noun) and (
                not ps or ps[0].pos != "NOUN" or not ({"gent", "nomn", "accs"} & ps[0].grammemes)
            ):
                continue
            num = m.group("num").replace(" ", "")
            if num.strip("0") == "":
                continue
            if num[0] == "0" and num[1:2].isdigit():  # "020 numbers": a code, not a count
                continue
            # (The month may end the sentence before: "Jan." is taken for a sentence's end.)
            before = (prior + " " + text[: m.start()])[-12:]
            if _MONTH_BEFORE_RE.search(before):
                continue
            if len(num) == 4 and num.isdigit() and 1900 <= int(num) <= 2100:
                continue
            spans.append((m.start(), m.end(), m.group()))
        for start, end, amount in sorted(spans):
            measure, target = _measure(text, start, end)
            key = re.sub(r"\s+", "", amount.lower())
            if key in seen:
                continue
            seen.add(key)
            found.append(_fmt(amount.rstrip(".,"), measure, target, lang))
            if len(found) >= 15:
                return tuple(found)
    return tuple(found)
