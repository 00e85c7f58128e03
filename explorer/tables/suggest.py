"""Candidate rows from a document: actor mentions, possible new actors, and relations with verbatim quotes.

Everything here is a suggestion for a curator: low confidence, the sentence as the quote, the guess of
type and polarity from a cue-word table kept as data (`cues.csv`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pandas as pd

from explorer.model import fold, partial_date_bounds
from explorer.tables.schema import TABLES, package_table

ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "gen", "brig", "lt", "col", "maj", "capt", "sgt", "prof", "no",
                 "vs", "etc", "e.g", "i.e", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
                 "nov", "dec", "u.s", "u.k", "u.n", "inc", "ltd", "co"}
SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9\u0600-\u06FF])|\n\s*\n|\n")
CAPITALISED = re.compile(r"\b[A-Z][\w’'\-]*(?:\s+(?:of|the|for|and|al|bin|de|ul)?\s*[A-Z][\w’'\-]*)*")
NOT_NAMES = {"the", "a", "an", "in", "on", "it", "its", "this", "that", "these", "those", "according", "officials",
             "prominent", "scroll", "top", "he", "she", "they", "we", "i", "but", "and", "as", "at", "by", "for",
             "from", "if", "of", "or", "to", "with", "while", "after", "before", "monday", "tuesday", "wednesday",
             "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june",
             "july", "august", "september", "october", "november", "december"}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    actor: str
    text: str  # as written in the document


@dataclass(frozen=True)
class NewName:
    name: str
    count: int
    first: int  # offset of the first occurrence


@dataclass(frozen=True)
class Candidate:
    source: str
    target: str
    type: str
    polarity: int
    quote: str  # the sentence, verbatim
    start: int
    end: int
    claimed_by: str
    cues: tuple[str, ...]


@dataclass(frozen=True)
class Suggestions:
    mentions: tuple[Mention, ...]
    new_names: tuple[NewName, ...]
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class Cue:
    cue: str  # whole words; a trailing `*` makes it a stem: `recogni*` finds recognise and recognition
    type: str
    polarity: int

    @property
    def pattern(self) -> re.Pattern[str]:
        """Where the cue occurs in folded text: whole words only, so `ban` misses Bangladesh and bank."""
        end = "" if self.cue.endswith("*") else r"(?!\w)"
        return re.compile(rf"(?<!\w){re.escape(fold(self.cue.removesuffix('*')))}{end}")


@cache
def cue_table() -> tuple[Cue, ...]:
    """The cue words, from the CSV that keeps them as data."""
    return tuple(Cue(r["cue"], r["type"], int(r["polarity"])) for r in package_table("cues.csv"))


def split_sentences(text: str) -> list[Span]:
    """Sentences with their offsets; abbreviations (U.S., Gen., Jan.) and initials do not end a sentence."""
    spans: list[Span] = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        end = match.end()
        word = re.search(r"([\w.]+)[.!?]*[\"'”’)\]]*$", text[start:end])
        if match.group().startswith(".") and word:
            token = word.group(1).rstrip(".").casefold()
            if token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
        _append(spans, text, start, end)
        start = end
    _append(spans, text, start, len(text))
    return spans


def _append(spans: list[Span], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        offset = start + piece.index(stripped)
        spans.append(Span(offset, offset + len(stripped), stripped))


def _folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """Case- and accent-free text, and for each of its characters the offset it came from in `text`."""
    pieces, origin = [], []
    for offset, char in enumerate(text):
        folded = fold(char)
        pieces.append(folded)
        origin.extend([offset] * len(folded))
    return "".join(pieces), origin


def actor_labels(actors: pd.DataFrame) -> list[tuple[str, str]]:
    """(folded label, actor id) for every name and alias, longest first."""
    labels = {}
    for actor_id, name, aliases in zip(actors["id"], actors["name"], actors["aliases"], strict=True):
        for label in (name, *aliases.split("|")):
            key = fold(label.strip())
            if len(key) >= 2:
                labels.setdefault(key, actor_id)
    return sorted(labels.items(), key=lambda item: (-len(item[0]), item[0]))


def find_mentions(text: str, actors: pd.DataFrame) -> list[Mention]:
    """Known actors named in the text by name or alias, any case or accents; overlapping names: longest wins."""
    folded, origin = _folded_with_offsets(text)
    found: list[tuple[int, int, str]] = []
    for label, actor in actor_labels(actors):
        for match in re.finditer(rf"(?<!\w){re.escape(label)}(?!\w)", folded):
            found.append((match.start(), match.end(), actor))
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    mentions, last_end = [], -1
    for start, end, actor in found:
        if start < last_end:
            continue
        first, last = origin[start], origin[end - 1] + 1
        mentions.append(Mention(first, last, actor, text[first:last]))
        last_end = end
    return mentions


def find_new_names(text: str, mentions: list[Mention], sentences: list[Span]) -> list[NewName]:
    """Capitalised names that are no known actor: possible new actors for a curator to consider."""
    covered = [(m.start, m.end) for m in mentions]
    starts = {s.start for s in sentences}
    counts: dict[str, list[int]] = {}
    for match in CAPITALISED.finditer(text):
        words = match.group().split()
        stripped = 0
        while words and words[0].casefold().strip("’'") in NOT_NAMES:
            words, stripped = words[1:], stripped + 1
        if not words or (len(words) == 1 and not stripped and match.start() in starts):
            continue  # a lone capitalised word opening a sentence is no evidence of a name
        name = " ".join(words).strip("’'-")
        start = text.find(name, match.start())
        if len(name) < 3 or start < 0 or any(a < start + len(name) and start < b for a, b in covered):
            continue
        counts.setdefault(name, []).append(start)
    return sorted((NewName(n, len(o), o[0]) for n, o in counts.items()), key=lambda n: (-n.count, n.first))


def guess_type(sentence: str) -> tuple[str, int, tuple[str, ...]]:
    """Type and polarity from the cue words in a sentence: the overall sign wins, its first cue names the type."""
    folded = fold(sentence)
    hits = sorted((match.start(), cue) for cue in cue_table() for match in cue.pattern.finditer(folded))
    if not hits:
        return "diplomatic", 0, ()
    total = sum(cue.polarity for _, cue in hits)
    sign = (total > 0) - (total < 0)
    chosen = next((cue for _, cue in hits if cue.polarity == sign), hits[0][1])
    return chosen.type, sign, tuple(dict.fromkeys(cue.cue for _, cue in hits))


def suggest(text: str, actors: pd.DataFrame) -> Suggestions:
    """Mentions, new names and candidate relations (one per pair of actors named in one sentence)."""
    sentences = split_sentences(text)
    mentions = find_mentions(text, actors)
    kinds = dict(zip(actors["id"], actors["kind"], strict=True))
    candidates = []
    for sentence in sentences:
        inside = [m for m in mentions if sentence.start <= m.start and m.end <= sentence.end]
        named = list(dict.fromkeys(m.actor for m in inside))
        if len(named) < 2:
            continue
        rtype, polarity, cues = guess_type(sentence.text)
        media = next((a for a in named if kinds.get(a) == "media"), "")
        for i, source in enumerate(named):
            for target in named[i + 1:]:
                claimant = media if media not in (source, target) else ""
                candidates.append(Candidate(source, target, rtype, polarity, sentence.text, sentence.start,
                                            sentence.end, claimant, cues))
    return Suggestions(tuple(mentions), tuple(find_new_names(text, mentions, sentences)), tuple(candidates))


@dataclass(frozen=True)
class SourceInfo:
    """What the curator says about the document the suggestions come from."""

    id: str
    url: str
    outlet: str
    published: str
    title: str = ""
    document: str = ""  # path inside seeds/ when the text is stored there


def suggestion_tables(candidates: Iterable[Candidate], source: SourceInfo) -> dict[str, pd.DataFrame]:
    """Accepted candidates as rows of relations.csv, evidence.csv and sources.csv, ready for review."""
    partial_date_bounds(source.published)  # the evidence date is the relation's start: it must be a date
    relations, evidence = [], []
    for candidate in candidates:
        # The id is stable for one sentence and pair, so accepting it twice can be recognised.
        digest = hashlib.sha256(f"{candidate.source}|{candidate.target}|{candidate.quote}".encode()).hexdigest()[:8]
        rid = f"{candidate.source}-{candidate.target}-{candidate.type}-{source.published}-{digest}"
        relations.append({"id": rid, "source": candidate.source, "target": candidate.target, "type": candidate.type,
                          "polarity": str(candidate.polarity), "start": source.published, "end": "",
                          "confidence": "low", "summary": f"Suggested from {source.outlet}: "
                                                          f"{', '.join(candidate.cues) or 'no cue word'}."})
        evidence.append({"relation": rid, "source": source.id, "quote": candidate.quote,
                         "claimed_by": candidate.claimed_by, "stance": "supports"})
    columns = {t.file: [c.name for c in t.columns] for t in TABLES}
    sources = [{"id": source.id, "title": source.title, "outlet": source.outlet, "url": source.url,
                "published": source.published, "document": source.document, "note": "added from suggestions"}]
    return {
        "relations.csv": pd.DataFrame(relations, columns=columns["relations.csv"]),
        "evidence.csv": pd.DataFrame(evidence, columns=columns["evidence.csv"]),
        "sources.csv": pd.DataFrame(sources, columns=columns["sources.csv"]),
    }


@dataclass(frozen=True)
class Recall:
    found: tuple[str, ...]  # curated relation ids whose quote lies in a suggested sentence
    missed: tuple[str, ...]
    found_with_pair: tuple[str, ...]  # ... and whose actor pair the suggestion also names

    @property
    def share(self) -> float:
        total = len(self.found) + len(self.missed)
        return len(self.found) / total if total else 0.0

    @property
    def share_with_pair(self) -> float:
        total = len(self.found) + len(self.missed)
        return len(self.found_with_pair) / total if total else 0.0


def recall(suggestions: Suggestions, relations: pd.DataFrame, evidence: pd.DataFrame, source_id: str) -> Recall:
    """How many curated relations citing `source_id` the suggestions would have found."""
    rows = evidence[evidence["source"] == source_id]
    found, missed, paired = [], [], []
    for relation_id, group in rows.groupby("relation", sort=True):
        relation = relations.loc[relation_id]
        pair = {relation["source"], relation["target"]}
        hits = [c for c in suggestions.candidates for quote in group["quote"] if quote in c.quote]
        (found if hits else missed).append(str(relation_id))
        if any({c.source, c.target} == pair for c in hits):
            paired.append(str(relation_id))
    return Recall(tuple(found), tuple(missed), tuple(paired))


@dataclass(frozen=True)
class Labelled:
    """A relation a reader sees in one sentence: the yardstick for suggestions on text they were not tuned on."""

    quote: str
    source: str
    target: str
    types: frozenset[str]  # every type a careful curator could give it
    polarity: int


@dataclass(frozen=True)
class Scores:
    relations: int  # labelled relations
    found: int  # ... with a candidate on the same actor pair
    found_typed: int  # ... whose type and polarity are also right
    candidates: int  # candidates suggested from the labelled sentences
    right: int  # ... whose actor pair is labelled in their sentence
    right_typed: int  # ... with the labelled type and polarity

    @property
    def recall(self) -> float:
        return self.found / self.relations if self.relations else 0.0

    @property
    def recall_typed(self) -> float:
        return self.found_typed / self.relations if self.relations else 0.0

    @property
    def precision(self) -> float:
        return self.right / self.candidates if self.candidates else 0.0

    @property
    def precision_typed(self) -> float:
        return self.right_typed / self.candidates if self.candidates else 0.0


def scores(labelled: Iterable[Labelled], actors: pd.DataFrame) -> Scores:
    """Recall and precision of `suggest` over labelled sentences, each suggested on its own (pairs unordered)."""
    by_quote: dict[str, list[Labelled]] = {}
    for relation in labelled:
        by_quote.setdefault(relation.quote, []).append(relation)
    relations_seen = found = found_typed = candidates_seen = right = right_typed = 0
    for quote, relations in by_quote.items():
        candidates = suggest(quote, actors).candidates
        by_pair = {frozenset((c.source, c.target)): c for c in candidates}
        wanted = {frozenset((r.source, r.target)): r for r in relations}
        for relation in relations:
            hit = by_pair.get(frozenset((relation.source, relation.target)))
            relations_seen += 1
            found += hit is not None
            found_typed += hit is not None and _agrees(hit, relation)
        for candidate in candidates:
            label = wanted.get(frozenset((candidate.source, candidate.target)))
            candidates_seen += 1
            right += label is not None
            right_typed += label is not None and _agrees(candidate, label)
    return Scores(relations_seen, found, found_typed, candidates_seen, right, right_typed)


def _agrees(candidate: Candidate, label: Labelled) -> bool:
    return candidate.type in label.types and candidate.polarity == label.polarity


def merged_tables(current: dict[str, pd.DataFrame], added: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The current tables with the added rows appended; rows whose id is already there are left out."""
    merged = {}
    for name, frame in current.items():
        extra = added.get(name)
        if extra is not None and not extra.empty:
            key = "relation" if name == "evidence.csv" else "id"
            known = current["relations.csv"]["id"] if name == "evidence.csv" else frame["id"]
            extra = extra[~extra[key].isin(list(known))]
        merged[name] = frame if extra is None or extra.empty else pd.concat(
            [frame, extra.astype(str)], ignore_index=True).fillna("")
    return merged
