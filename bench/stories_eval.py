"""How well bot/stories.py finds "the same story": labelled real pairs, synthetic re-posts, LSH.

Run: python bench/stories_eval.py [--labels] [--no-sweep]. Prints figures only; never asserts.

Labelled pairs (tests/data/stories/labels.json) name items of ../shared/corpora/real-feeds by
file and guid. "same" pairs are the positives; "different" pairs are hard negatives and every
other pair of items of those files is an easy negative; "unsure" pairs are left out. Synthetic
positives are light rewrites of each item (reworded title, truncated or extended text, a wire
dateline), scored separately. `--labels` prints every labelled pair with its titles and score.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import feedparser  # noqa: E402

from bot import stories  # noqa: E402
from bot.articles.evaluate import Score  # noqa: E402
from bot.articles.text import to_plain  # noqa: E402

SHARED = Path(os.environ.get("NEWSBOT_SHARED_DIR", ROOT.parent / "shared"))
FEEDS = SHARED / "corpora" / "real-feeds"
LABELS = ROOT / "tests" / "data" / "stories" / "labels.json"
THRESHOLDS = [round(0.05 * i, 2) for i in range(2, 15)]

Pair = tuple[int, int]


@dataclass(frozen=True)
class Item:
    file: str
    index: int
    guid: str
    title: str
    text: str


@dataclass
class Scores(Score):
    """Counts at one threshold; precision, recall and F1 as the reader's evaluation has them."""

    threshold: float = 0.0


def load_feed(name: str) -> list[Item]:
    """A feed's entries in document order: guid, one-line title, the content as plain text.

    Read with feedparser and `to_plain` directly rather than through bot.feeds.parse, so
    the labels keep naming the same entries however ingestion later keys, drops or merges
    them (lenta's file repeats two guids, and both copies are labelled).
    """
    parsed = feedparser.parse((FEEDS / name).read_bytes())
    items = []
    for i, entry in enumerate(parsed.get("entries", [])):
        contents = [c.get("value", "") for c in entry.get("content") or []]
        body = max([*contents, entry.get("summary", "") or ""], key=len)
        title = " ".join(str(entry.get("title", "")).split())
        guid = str(entry.get("id") or entry.get("guid") or entry.get("link") or "")
        items.append(Item(name, i, guid, title, to_plain(body)))
    return items


def resolve(ref: dict[str, object], feed: Sequence[Item]) -> int:
    """Index of a labelled item: the nth entry (default the first) with that guid."""
    found = [item.index for item in feed if item.guid == ref["guid"]]
    nth = int(str(ref.get("nth", 0)))
    if len(found) <= nth:
        raise SystemExit(f"labelled item not found: {ref}")
    return found[nth]


@dataclass
class Dataset:
    items: list[Item]
    same: set[Pair]
    different: set[Pair]
    unsure: set[Pair]


def load_dataset() -> Dataset:
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    items: list[Item] = []
    offset: dict[str, int] = {}
    feeds: dict[str, list[Item]] = {}
    for name in labels["files"]:
        feeds[name] = load_feed(name)
        offset[name] = len(items)
        items.extend(feeds[name])
    groups: dict[str, set[Pair]] = {"same": set(), "different": set(), "unsure": set()}
    for pair in labels["pairs"]:
        a, b = pair["a"], pair["b"]
        ia = offset[a["file"]] + resolve(a, feeds[a["file"]])
        ib = offset[b["file"]] + resolve(b, feeds[b["file"]])
        groups[pair["label"]].add((min(ia, ib), max(ia, ib)))
    return Dataset(items, groups["same"], groups["different"], groups["unsure"])


def similar_pairs(
    signatures: Sequence[stories.StorySignature | None],
) -> dict[Pair, float]:
    """Similarity of every pair that agrees on at least one value (the rest score 0).

    Exact, not a sample: values are bucketed per position, so only agreeing pairs cost time.
    """
    counts: Counter[Pair] = Counter()
    size = stories.SIGNATURE_SIZE
    for position in range(size):
        buckets: defaultdict[int, list[int]] = defaultdict(list)
        for i, sig in enumerate(signatures):
            if sig is not None:
                buckets[sig.values[position]].append(i)
        for members in buckets.values():
            if len(members) > 1:
                counts.update(combinations(members, 2))
    return {pair: n / size for pair, n in counts.items()}


def score(positives: Iterable[float], negatives: Iterable[float], threshold: float) -> Scores:
    pos = list(positives)
    tp = sum(s >= threshold for s in pos)
    fp = sum(s >= threshold for s in negatives)
    return Scores(tp, fp, len(pos) - tp, threshold)


@dataclass
class Evaluation:
    shingling: stories.Shingling
    signatures: list[stories.StorySignature | None]
    sims: dict[Pair, float]
    positives: list[float]
    hard: list[float]
    easy: list[float]

    def at(self, threshold: float) -> Scores:
        return score(self.positives, self.hard + self.easy, threshold)

    def best(self) -> Scores:
        # Highest F1; on a tie the higher threshold (fewer distinct stories merged).
        return max((self.at(t) for t in THRESHOLDS), key=lambda s: (s.f1, s.threshold))


def evaluate(data: Dataset, shingling: stories.Shingling) -> Evaluation:
    signatures = [stories.signature(i.title, i.text, shingling=shingling) for i in data.items]
    sims = similar_pairs(signatures)
    labelled = data.same | data.different | data.unsure
    easy = [s for pair, s in sims.items() if pair not in labelled]
    return Evaluation(
        shingling,
        signatures,
        sims,
        [sims.get(p, 0.0) for p in sorted(data.same)],
        [sims.get(p, 0.0) for p in sorted(data.different)],
        easy,  # pairs absent from sims score 0 and never pass a threshold > 0
    )


# --- synthetic re-posts -------------------------------------------------------------------

_RU_SWAPS = {
    "заявил": "сообщил",
    "заявила": "сообщила",
    "заявили": "сообщили",
    "сообщил": "заявил",
    "сообщили": "заявили",
    "рассказал": "сообщил",
    "рассказала": "сообщила",
    "оценил": "прокомментировал",
    "оценила": "прокомментировала",
    "назвал": "указал",
    "назвала": "указала",
    "раскрыл": "рассказал",
    "раскрыли": "рассказали",
    "предрек": "спрогнозировал",
    "предрекли": "спрогнозировали",
    "призвал": "попросил",
    "отреагировал": "ответил",
    "ответил": "отреагировал",
    "погиб": "скончался",
    "погибли": "скончались",
    "задержали": "арестовали",
    "задержан": "арестован",
    "России": "РФ",
    "Белоруссии": "Беларуси",
    "Минобороны": "Министерство обороны",
    "США": "Соединенных Штатов",
    "Украины": "Украины",
    "президент": "глава государства",
}
_EN_SWAPS = {
    "says": "said",
    "said": "says",
    "die": "are killed",
    "dies": "is dead",
    "killed": "dead",
    "hits": "strikes",
    "calls": "urges",
    "accused": "charged",
    "after": "following",
    "amid": "during",
    "US": "United States",
    "UK": "Britain",
    "president": "leader",
    "people": "persons",
    "warns": "cautions",
}
_SENTENCE_RE = re.compile(r"(?<=[.!?…])\s+")
_WORD_SPLIT_RE = re.compile(r"(\w+)")


def _swap(text: str, swaps: dict[str, str], rng: random.Random, rate: float) -> str:
    parts = _WORD_SPLIT_RE.split(text)
    return "".join(swaps[p] if p in swaps and rng.random() < rate else p for p in parts)


def _is_ru(text: str) -> bool:
    return re.search(r"[а-яё]", text, re.IGNORECASE) is not None


def rewrite(item: Item, neighbour: Item, rng: random.Random) -> tuple[str, str, str]:
    """A light rewrite as another feed or a re-post would have it; returns title, text, how."""
    ru = _is_ru(item.title + item.text)
    swaps = _RU_SWAPS if ru else _EN_SWAPS
    sentences = [s for s in _SENTENCE_RE.split(" ".join(item.text.split())) if s]
    title, how = item.title, []
    choice = rng.randrange(4)
    if choice == 0:
        title = _swap(title, swaps, rng, 1.0)
        how.append("title-synonyms")
    elif choice == 1 and sentences:
        words = sentences[0].rstrip(".!?…").split()
        title = " ".join(words[: rng.randint(6, 10)])
        how.append("title-from-lead")
    elif choice == 2:
        words = title.split()
        if len(words) > 4:
            del words[rng.randrange(1, len(words))]
        title = " ".join(words) + (" — СМИ" if ru else " – report")
        how.append("title-shortened")
    else:
        title = _swap(title, swaps, rng, 0.6)
        how.append("title-partly-reworded")

    body = list(sentences)
    choice = rng.randrange(4)
    if choice == 0 and len(body) > 1:
        body = body[: max(1, round(len(body) * rng.uniform(0.5, 0.8)))]
        how.append("text-truncated")
    elif choice == 1:
        extra = _SENTENCE_RE.split(" ".join(neighbour.text.split()))[:1]
        lead = "Ранее " if ru else "Earlier, "
        body = body + [lead + s[:1].lower() + s[1:] for s in extra if s]
        how.append("text-extended")
    elif choice == 2:
        dateline = "МОСКВА, 3 дек — РИА Новости. " if ru else "LONDON (Reuters) - "
        body = [dateline + (body[0] if body else ""), *body[1:]]
        body.append("Читайте также последние новости." if ru else "Reporting by staff; editing.")
        how.append("text-wire")
    else:
        body = [_swap(s, swaps, rng, 0.5) for s in body]
        how.append("text-synonyms")
    text = " ".join(body).replace("«", '"').replace("»", '"').replace("ё", "е")
    return title, text, "+".join(how)


@dataclass
class Synthetic:
    positives: list[float]
    negatives: list[float]
    kinds: list[str]
    pairs: list[tuple[stories.StorySignature, stories.StorySignature]]


def synthetic(data: Dataset, evaluation: Evaluation, shingling: stories.Shingling) -> Synthetic:
    """Each judged item against its rewrite (positive) and against the rewrite of every
    other item of its feed (negative) unless the two are labelled same or unsure."""
    by_file: defaultdict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(data.items):
        by_file[item.file].append(i)
    rewritten: dict[int, stories.StorySignature | None] = {}
    kinds: dict[int, str] = {}
    for members in by_file.values():
        for i in members:
            item = data.items[i]
            rng = random.Random(f"{item.file}#{item.index}")
            neighbour = data.items[rng.choice(members)]
            title, text, how = rewrite(item, neighbour, rng)
            rewritten[i] = stories.signature(title, text, shingling=shingling)
            kinds[i] = how
    not_negative = data.same | data.unsure  # a rewrite of a labelled twin is no negative
    positives, negatives, pos_kinds = [], [], []
    pairs = []
    for members in by_file.values():
        for i in members:
            original = evaluation.signatures[i]
            if original is None:
                continue
            variant = rewritten[i]
            positives.append(stories.similarity(original, variant) if variant else 0.0)
            pos_kinds.append(kinds[i])
            if variant is not None:
                pairs.append((original, variant))
            for j in members:
                other = rewritten[j]
                if j != i and other is not None and (min(i, j), max(i, j)) not in not_negative:
                    negatives.append(stories.similarity(original, other))
    return Synthetic(positives, negatives, pos_kinds, pairs)


# --- LSH ----------------------------------------------------------------------------------


def shares_band(a: stories.StorySignature, b: stories.StorySignature, bands: int) -> bool:
    rows = len(a.values) // bands
    return any(
        a.values[k * rows : (k + 1) * rows] == b.values[k * rows : (k + 1) * rows]
        for k in range(bands)
    )


def candidate_recall(
    pairs: Sequence[tuple[stories.StorySignature, stories.StorySignature]], bands: int
) -> float:
    if not pairs:
        return 1.0
    return sum(shares_band(a, b, bands) for a, b in pairs) / len(pairs)


def candidates_per_item(signatures: Sequence[stories.StorySignature], bands: int) -> float:
    rows = stories.SIGNATURE_SIZE // bands
    seen: set[Pair] = set()
    for k in range(bands):
        buckets: defaultdict[tuple[int, ...], list[int]] = defaultdict(list)
        for i, sig in enumerate(signatures):
            buckets[sig.values[k * rows : (k + 1) * rows]].append(i)
        for members in buckets.values():
            seen.update(combinations(members, 2))
    return 2 * len(seen) / max(1, len(signatures))


# --- report -------------------------------------------------------------------------------


def describe(shingling: stories.Shingling) -> str:
    s = shingling
    return (
        f"k={s.k} text_words={s.text_words} title_weight={s.title_weight} "
        f"numbers={'yes' if s.numbers else 'no'} stems={'yes' if s.stem else 'no'}"
    )


def table(rows: Iterable[Scores], extra: Callable[[Scores], str] | None = None) -> None:
    print(f"  {'thr':>5} {'TP':>4} {'FP':>5} {'FN':>4} {'prec':>6} {'recall':>6} {'F1':>6}")
    for s in rows:
        tail = extra(s) if extra else ""
        print(
            f"  {s.threshold:5.2f} {s.tp:4d} {s.fp:5d} {s.fn:4d} "
            f"{s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}{tail}"
        )


def sweep(data: Dataset) -> None:
    print("\n== Shingling choices (real labelled pairs; best F1 over thresholds) ==")
    base = stories.DEFAULT_SHINGLING
    variants = [
        base,
        replace(base, k=2),
        replace(base, k=3),
        replace(base, text_words=15),
        replace(base, text_words=60),
        replace(base, text_words=1000),
        replace(base, title_weight=1),
        replace(base, title_weight=3),
        replace(base, numbers=True),
        replace(base, stem=False),
        replace(base, k=2, text_words=60),
    ]
    print(
        f"  {'shingling':<56} {'thr':>5} {'prec':>6} {'recall':>6} {'F1':>6} "
        f"{'synth P':>7} {'synth R':>7}"
    )
    for variant in variants:
        ev = evaluate(data, variant)
        best = ev.best()
        syn_all = synthetic(data, ev, variant)
        syn = score(syn_all.positives, syn_all.negatives, best.threshold)
        mark = "  <- default" if variant == base else ""
        print(
            f"  {describe(variant):<56} {best.threshold:5.2f} {best.precision:6.3f} "
            f"{best.recall:6.3f} {best.f1:6.3f} {syn.precision:7.3f} {syn.recall:7.3f}{mark}"
        )


def print_labels(data: Dataset, ev: Evaluation) -> None:
    print("\n== Labelled pairs ==")
    for label, pairs in (
        ("same", data.same),
        ("unsure", data.unsure),
        ("different", data.different),
    ):
        for a, b in sorted(pairs, key=lambda p: -ev.sims.get(p, 0.0)):
            ia, ib = data.items[a], data.items[b]
            print(
                f"  {label:9} {ev.sims.get((a, b), 0.0):.2f}  {ia.file[:2]}#{ia.index} "
                f"{ia.title[:60]!r} | {ib.file[:2]}#{ib.index} {ib.title[:60]!r}"
            )


def within_feeds(threshold: float, data: Dataset) -> None:
    print(f"\n== All pairs within each real feed file, similarity >= {threshold:.2f} ==")
    labelled = {
        (data.items[a].file, data.items[a].index, data.items[b].index): label
        for label, pairs in (
            ("same", data.same),
            ("unsure", data.unsure),
            ("different", data.different),
        )
        for a, b in pairs
    }
    total_pairs = total_hits = 0
    examples: list[str] = []
    for path in sorted(FEEDS.glob("[0-9]*")):
        items = load_feed(path.name)
        sigs = [stories.signature(i.title, i.text) for i in items]
        judged = [i for i, s in enumerate(sigs) if s is not None]
        pairs = list(combinations(judged, 2))
        hits = []
        for a, b in pairs:
            sa, sb = sigs[a], sigs[b]
            assert sa is not None and sb is not None
            sim = stories.similarity(sa, sb)
            if sim >= threshold:
                hits.append((sim, a, b))
        kinds = Counter(labelled.get((path.name, a, b), "unlabelled") for _, a, b in hits)
        total_pairs += len(pairs)
        total_hits += len(hits)
        detail = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
        print(
            f"  {path.name:<40} items {len(items):3d} (too short {len(items) - len(judged):3d})"
            f"  pairs {len(pairs):5d}  >= thr {len(hits):3d}  {detail}"
        )
        for sim, a, b in sorted(hits, reverse=True)[:3]:
            kind = labelled.get((path.name, a, b), "unlabelled")
            examples.append(
                f"  {sim:.2f} {kind:10} {path.name[:2]}#{a} {items[a].title[:55]!r}\n"
                f"  {'':15} {path.name[:2]}#{b} {items[b].title[:55]!r}"
            )
    print(f"  total: {total_hits} of {total_pairs} pairs at or above the threshold")
    print("  examples (up to 3 per file, highest first):")
    print("\n".join(examples))


def timing(data: Dataset) -> None:
    print("\n== Time per signature ==")
    inputs = [(i.title, i.text) for i in data.items]
    words = sum(len(t.split()) + len(x.split()) for t, x in inputs) / len(inputs)
    stories._stem.cache_clear()
    start = time.perf_counter()
    for title, text in inputs:
        stories.signature(title, text)
    cold = (time.perf_counter() - start) / len(inputs)
    rounds = 5
    start = time.perf_counter()
    for _ in range(rounds):
        for title, text in inputs:
            stories.signature(title, text)
    warm = (time.perf_counter() - start) / (rounds * len(inputs))
    long_text = " ".join(x for _, x in inputs[:40])
    start = time.perf_counter()
    for _ in range(50):
        stories.signature(inputs[0][0], long_text)
    long_time = (time.perf_counter() - start) / 50
    a, b = stories.signature(*inputs[0]), stories.signature(*inputs[1])
    assert a is not None and b is not None
    start = time.perf_counter()
    for _ in range(20000):
        stories.similarity(a, b)
    sim_time = (time.perf_counter() - start) / 20000
    print(f"  {len(inputs)} items, {words:.0f} words each on average")
    print(f"  first pass (empty stem cache): {cold * 1e6:.0f} µs per signature")
    print(f"  warm (stems cached):           {warm * 1e6:.0f} µs per signature")
    print(
        f"  one {len(long_text.split())}-word text: {long_time * 1e6:.0f} µs (text cut to "
        f"{stories.DEFAULT_SHINGLING.text_words} content words)"
    )
    print(f"  similarity(): {sim_time * 1e6:.1f} µs per pair; BLOB {len(a.to_bytes())} bytes")


def main(argv: Sequence[str]) -> int:
    if not LABELS.exists() or not FEEDS.exists():
        print(f"labels or corpus not found: {LABELS}, {FEEDS}")
        return 0
    data = load_dataset()
    chosen = stories.SAME_STORY_THRESHOLD
    print(
        f"labelled items: {len(data.items)} in {len({i.file for i in data.items})} files; "
        f"pairs: same {len(data.same)}, different (hard) {len(data.different)}, "
        f"unsure (left out) {len(data.unsure)}"
    )
    shingling = stories.DEFAULT_SHINGLING
    ev = evaluate(data, shingling)
    total = len(data.items) * (len(data.items) - 1) // 2
    easy_count = total - len(data.same) - len(data.different) - len(data.unsure)
    none = sum(s is None for s in ev.signatures)
    print(f"easy negatives: {easy_count} pairs; items too short to judge: {none}")
    print(
        f"signature: {stories.SIGNATURE_SIZE} values, {stories.BANDS} bands; {describe(shingling)}"
    )

    print("\n== Real pairs: precision / recall / F1 by threshold (hard + easy negatives) ==")
    hard_fp = {t: sum(s >= t for s in ev.hard) for t in THRESHOLDS}
    table((ev.at(t) for t in THRESHOLDS), lambda s: f"   hard FP {hard_fp[s.threshold]:3d}")
    best = ev.best()
    print(f"  best F1 at {best.threshold:.2f}; SAME_STORY_THRESHOLD = {chosen:.2f}")

    syn = synthetic(data, ev, shingling)
    print(
        f"\n== Synthetic re-posts: {len(syn.positives)} positives, "
        f"{len(syn.negatives)} negatives (rewrite vs other items of its feed) =="
    )
    table(score(syn.positives, syn.negatives, t) for t in THRESHOLDS)
    by_kind: defaultdict[str, list[float]] = defaultdict(list)
    for kind, s in zip(syn.kinds, syn.positives, strict=True):
        for part in kind.split("+"):
            by_kind[part].append(s)
    print(f"  recall at {chosen:.2f} by rewrite:")
    for kind, values in sorted(by_kind.items()):
        hit = sum(v >= chosen for v in values) / len(values)
        print(
            f"    {kind:<22} n={len(values):3d}  recall {hit:.3f}  median sim "
            f"{sorted(values)[len(values) // 2]:.2f}"
        )

    real = ev.at(chosen)
    syn_at = score(syn.positives, syn.negatives, chosen)
    print(f"\n== At SAME_STORY_THRESHOLD = {chosen:.2f} ==")
    print(
        f"  real pairs:      precision {real.precision:.3f}  recall {real.recall:.3f}  "
        f"F1 {real.f1:.3f}  (TP {real.tp}, FP {real.fp}, FN {real.fn})"
    )
    print(
        f"  synthetic pairs: precision {syn_at.precision:.3f}  recall {syn_at.recall:.3f}  "
        f"F1 {syn_at.f1:.3f}  (TP {syn_at.tp}, FP {syn_at.fp}, FN {syn_at.fn})"
    )
    missed = [p for p in sorted(data.same) if ev.sims.get(p, 0.0) < chosen]
    for a, b in missed:
        print(
            f"  missed {ev.sims.get((a, b), 0.0):.2f}: {data.items[a].title[:50]!r} | "
            f"{data.items[b].title[:50]!r}"
        )
    merged = [p for p in sorted(data.different) if ev.sims.get(p, 0.0) >= chosen]
    for a, b in merged:
        print(
            f"  hard FP {ev.sims[(a, b)]:.2f}: {data.items[a].title[:50]!r} | "
            f"{data.items[b].title[:50]!r}"
        )

    print("\n== LSH candidate recall (pairs sharing at least one band key) ==")
    real_pairs = []
    for a, b in sorted(data.same):
        sig_a, sig_b = ev.signatures[a], ev.signatures[b]
        if sig_a is not None and sig_b is not None:
            real_pairs.append((sig_a, sig_b))
    found = [(a, b) for a, b in real_pairs if stories.similarity(a, b) >= chosen]
    syn_found = [(a, b) for a, b in syn.pairs if stories.similarity(a, b) >= chosen]
    judged = [s for s in ev.signatures if s is not None]
    for bands in (16, 32, 64):
        rows = stories.SIGNATURE_SIZE // bands
        curve = ", ".join(f"J={j}: {1 - (1 - j**rows) ** bands:.2f}" for j in (0.2, 0.3, 0.5))
        mark = "  <- BANDS" if bands == stories.BANDS else ""
        print(
            f"  {bands:3d} bands x {rows} rows: real same pairs "
            f"{candidate_recall(real_pairs, bands):.3f} (those >= threshold "
            f"{candidate_recall(found, bands):.3f}), synthetic >= threshold "
            f"{candidate_recall(syn_found, bands):.3f}; candidates per item "
            f"{candidates_per_item(judged, bands):.1f}{mark}"
        )
        print(f"      P(candidate) in theory: {curve}")
    keys_agree = all(
        bool(set(a.band_keys()) & set(b.band_keys())) == shares_band(a, b, stories.BANDS)
        for a, b in real_pairs + syn.pairs
    )
    print(f"  band_keys() agree with band equality on real and synthetic pairs: {keys_agree}")

    if "--no-sweep" not in argv:
        sweep(data)
    within_feeds(chosen, data)
    timing(data)
    if "--labels" in argv:
        print_labels(data, ev)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
