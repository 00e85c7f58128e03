"""Candidate rows from a document: actor mentions, possible new actors, and relations with verbatim quotes.

Everything here is a suggestion for a curator: low confidence, the sentence as the quote, the guess of
type and polarity from a cue-word table kept as data (`cues.csv`).
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from array import array
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache, lru_cache

import ahocorasick
import pandas as pd

from explorer.model import aliases_of, fold, partial_date_bounds, whole_number
from explorer.tables.load import Dataset, LoadResult, load_tables, seeds_folder
from explorer.tables.schema import TABLES, package_table
from explorer.tables.write import table_bytes, table_frames

ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "gen", "brig", "lt", "col", "maj", "capt", "sgt", "prof", "no",
                 "vs", "etc", "e.g", "i.e", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
                 "nov", "dec", "u.s", "u.k", "u.n", "inc", "ltd", "co"}
# Every pattern here runs in time linear in the text: possessive quantifiers never give back what they took,
# and a run of end marks is matched from its first mark only (the lookbehind), not from each of them.
SENTENCE_END = re.compile(r"(?<![.!?])[.!?]++[\"'”’)\]]*+(?=\s++[\"'“‘(\[]?[A-Z0-9\u0600-\u06FF])|\n\s*\n|\n")
LAST_WORD = re.compile(r"[\w.]+\Z")
LONGEST_ABBREVIATION = 8  # the word before a full stop is looked for this far back, never across the sentence
CAPITALISED = re.compile(r"\b[A-Z][\w’'\-]*+(?:\s++(?:(?:of|the|for|and|al|bin|de|ul)\s++)?[A-Z][\w’'\-]*+)*+")
NON_ASCII = re.compile(r"[^\x00-\x7f]+")
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
    stopped: str = ""  # why the work stopped early (time budget, candidate cap); empty when it finished


@dataclass(frozen=True)
class Limits:
    """What one document may ask of the server, which every visitor shares: a bigger text is refused before
    any work, a slower one stops at the time budget, and the user is told either way."""

    max_bytes: int = 2**20
    seconds: float = 5.0
    max_candidates: int = 500

    @classmethod
    def from_environment(cls) -> Limits:
        """Defaults, overridden by EXPLORER_SUGGEST_MAX_BYTES, _SECONDS and _MAX_CANDIDATES."""
        default = cls()
        read = lambda name, value: whole_number(os.environ.get(f"EXPLORER_SUGGEST_{name}") or str(value))  # noqa: E731
        return cls(read("MAX_BYTES", default.max_bytes), float(read("SECONDS", int(default.seconds))),
                   read("MAX_CANDIDATES", default.max_candidates))

    def refusal(self, text: str) -> str:
        """Why a text is too big to read at once, or '' when it is not."""
        size = len(text.encode("utf-8", "surrogatepass"))
        if size <= self.max_bytes:
            return ""
        return (f"the text is {size:,} bytes; at most {self.max_bytes:,} bytes ({self.max_bytes / 2**20:.3g} MiB) "
                "are read at once: split it into parts")


class TextTooLarge(ValueError):
    """A document over the size cap: refused before any work."""


class OutOfTime(Exception):
    """The request's time budget is spent; what was found so far is kept."""


class Clock:
    """A budget of CPU seconds that loops check every few thousand steps, so a hostile text cannot hold the
    server. CPU time of the working thread, not wall time: what it bounds is the work taken from the other
    visitors, and a busy machine does not cut short a text that is within the budget."""

    def __init__(self, seconds: float | None) -> None:
        self.deadline = None if seconds is None else time.thread_time() + seconds

    def check(self) -> None:
        if self.deadline is not None and time.thread_time() > self.deadline:
            raise OutOfTime


UNLIMITED = Clock(None)


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


def split_sentences(text: str, clock: Clock = UNLIMITED) -> list[Span]:
    """Sentences with their offsets; abbreviations (U.S., Gen., Jan.) and initials do not end a sentence.

    One pass: only the few characters before each full stop are looked at again, so the time is linear in
    the text however many abbreviations it holds.
    """
    spans: list[Span] = []
    start = 0
    for number, match in enumerate(SENTENCE_END.finditer(text)):
        if number % 4096 == 4095:
            clock.check()
        end = match.end()
        if match.group().startswith("."):
            word = LAST_WORD.search(text, max(start, match.start() - LONGEST_ABBREVIATION - 1), match.start())
            token = word.group().rstrip(".").casefold() if word else ""
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


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return fold(char)


@dataclass(frozen=True)
class _Origin:
    """Maps an offset in folded text back to the text: runs where both advance together, and characters that
    folded into several (ß, …) or none. Sparse: news text has few such characters, so this stays small."""

    folded_starts: array
    text_starts: array
    steps: array  # 1: a run advancing with the folded text; 0: one character folded into several

    def __getitem__(self, offset: int) -> int:
        run = bisect_right(self.folded_starts, offset) - 1
        return self.text_starts[run] + (offset - self.folded_starts[run]) * self.steps[run]


def _folded_with_offsets(text: str, clock: Clock = UNLIMITED) -> tuple[str, _Origin]:
    """Case- and accent-free text, and the way back from each of its characters to the offset in `text`.

    ASCII stretches fold with one `lower()`; only the other characters are folded one by one (cached).
    """
    pieces: list[str] = []
    origin = _Origin(array("q", [0]), array("q", [0]), array("b", [1]))
    folded_at, done = 0, 0
    for number, match in enumerate(NON_ASCII.finditer(text)):
        if number % 1024 == 1023:
            clock.check()
        pieces.append(text[done:match.start()].lower())
        folded_at += match.start() - done
        for offset in range(match.start(), match.end()):
            folded = _fold_char(text[offset])
            pieces.append(folded)
            if len(folded) == 1:
                folded_at += 1
                continue
            if folded:  # one character became several: all of them point back to it
                origin.folded_starts.append(folded_at)
                origin.text_starts.append(offset)
                origin.steps.append(0)
                folded_at += len(folded)
            origin.folded_starts.append(folded_at)
            origin.text_starts.append(offset + 1)
            origin.steps.append(1)
        done = match.end()
    pieces.append(text[done:].lower())
    return "".join(pieces), origin


def actor_labels(actors: pd.DataFrame) -> list[tuple[str, str]]:
    """(folded label, actor id) for every name and alias, longest first."""
    labels = {}
    for actor_id, name, aliases in zip(actors["id"], actors["name"], actors["aliases"], strict=True):
        for label in (name, *aliases_of(aliases)):
            key = fold(label.strip())
            if len(key) >= 2:
                labels.setdefault(key, actor_id)
    return sorted(labels.items(), key=lambda item: (-len(item[0]), item[0]))


@lru_cache(maxsize=8)
def _automaton(labels: tuple[tuple[str, str], ...]) -> ahocorasick.Automaton:
    """An Aho-Corasick automaton over every folded name and alias: one pass over the text finds them all."""
    automaton = ahocorasick.Automaton()
    for label, actor in labels:
        automaton.add_word(label, (len(label), actor))
    automaton.make_automaton()
    return automaton


def _is_word(char: str) -> bool:
    """What `\\w` matches: a name must not start or end inside a word."""
    return char.isalnum() or char == "_"


def find_mentions(text: str, actors: pd.DataFrame, clock: Clock = UNLIMITED) -> list[Mention]:
    """Known actors named in the text by name or alias, any case or accents; overlapping names: longest wins.

    Linear in the text: one Aho-Corasick pass over the folded text, whatever the number of names.
    """
    folded, origin = _folded_with_offsets(text, clock)
    labels = tuple(actor_labels(actors))
    found: list[tuple[int, int, str]] = []
    if labels:
        for number, (last, (length, actor)) in enumerate(_automaton(labels).iter(folded)):
            if number % 4096 == 4095:
                clock.check()
            start, end = last + 1 - length, last + 1
            if (start and _is_word(folded[start - 1])) or (end < len(folded) and _is_word(folded[end])):
                continue
            found.append((start, end, actor))
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    mentions, last_end = [], -1
    for start, end, actor in found:
        if start < last_end:
            continue
        first, last = origin[start], origin[end - 1] + 1
        mentions.append(Mention(first, last, actor, text[first:last]))
        last_end = end
    return mentions


def find_new_names(text: str, mentions: list[Mention], sentences: list[Span],
                   clock: Clock = UNLIMITED) -> list[NewName]:
    """Capitalised names that are no known actor: possible new actors for a curator to consider."""
    mention_ends = [m.end for m in mentions]  # mentions never overlap: their ends are sorted like their starts
    starts = {s.start for s in sentences}
    counts: dict[str, list[int]] = {}
    for number, match in enumerate(CAPITALISED.finditer(text)):
        if number % 4096 == 4095:
            clock.check()
        words = match.group().split()
        stripped = 0
        while words and words[0].casefold().strip("’'") in NOT_NAMES:
            words, stripped = words[1:], stripped + 1
        if not words or (len(words) == 1 and not stripped and match.start() in starts):
            continue  # a lone capitalised word opening a sentence is no evidence of a name
        name = " ".join(words).strip("’'-")
        start = text.find(name, match.start(), match.end())
        if len(name) < 3 or start < 0:
            continue
        first_after = bisect_right(mention_ends, start)  # the first mention ending after the name starts
        if first_after < len(mentions) and mentions[first_after].start < start + len(name):
            continue
        counts.setdefault(name, []).append(start)
    return sorted((NewName(n, len(o), o[0]) for n, o in counts.items()), key=lambda n: (-n.count, n.first))


def guess_type(sentence: str) -> tuple[str, int, tuple[str, ...]]:
    """Type and polarity from the cue words in a sentence: the overall sign wins, its first cue names the type."""
    folded = fold(sentence)
    hits = []  # (start, rank in the table, cue): one pass of an automaton instead of a search per cue
    for last, (length, cues) in _cue_automaton().iter(folded):
        start, end = last + 1 - length, last + 1
        if start and _is_word(folded[start - 1]):
            continue
        whole_word = end == len(folded) or not _is_word(folded[end])
        hits += [(start, rank, cue) for rank, cue in cues if whole_word or cue.cue.endswith("*")]
    hits.sort()
    if not hits:
        return "diplomatic", 0, ()
    total = sum(cue.polarity for _, _, cue in hits)
    sign = (total > 0) - (total < 0)
    chosen = next((cue for _, _, cue in hits if cue.polarity == sign), hits[0][2])
    return chosen.type, sign, tuple(dict.fromkeys(cue.cue for _, _, cue in hits))


@cache
def _cue_automaton() -> ahocorasick.Automaton:
    """Every cue's folded words (a stem without its `*`) in one automaton; the same words may serve several cues.

    Finds what each `Cue.pattern` finds, in one pass over a sentence whatever the size of the cue table.
    """
    by_words: dict[str, list[tuple[int, Cue]]] = {}
    for rank, cue in enumerate(cue_table()):
        by_words.setdefault(fold(cue.cue.removesuffix("*")), []).append((rank, cue))
    automaton = ahocorasick.Automaton()
    for words, cues in by_words.items():
        automaton.add_word(words, (len(words), tuple(cues)))
    automaton.make_automaton()
    return automaton


def suggest(text: str, actors: pd.DataFrame, limits: Limits | None = None) -> Suggestions:
    """Mentions, new names and candidate relations (one per pair of actors named in one sentence).

    Time and memory grow linearly with the text. With `limits`, a text over the size cap raises TextTooLarge
    before any work, and when the time budget or the candidate cap is reached the work stops: what was
    found so far is returned, and `stopped` says why.
    """
    clock = UNLIMITED
    if limits is not None:
        if refusal := limits.refusal(text):
            raise TextTooLarge(refusal)
        clock = Clock(limits.seconds)
    sentences: list[Span] = []
    mentions: list[Mention] = []
    candidates: list[Candidate] = []
    new_names: list[NewName] = []
    stopped = ""
    try:
        sentences = split_sentences(text, clock)
        mentions = find_mentions(text, actors, clock)
        cap = limits.max_candidates if limits is not None else None
        if not _find_candidates(sentences, mentions, actors, candidates, cap, clock):
            stopped = f"only the first {cap} candidate relations are listed (split the text to see the rest)"
        new_names = find_new_names(text, mentions, sentences, clock)
    except OutOfTime:
        seconds = limits.seconds if limits is not None else 0
        reached = f"{candidates[-1].end:,} of {len(text):,} characters" if candidates else "part of the text"
        stopped = (f"stopped after the time budget of {seconds:g} CPU seconds: candidates cover {reached}; "
                   "split the text into smaller parts")
    return Suggestions(tuple(mentions), tuple(new_names), tuple(candidates), stopped)


def _find_candidates(sentences: list[Span], mentions: list[Mention], actors: pd.DataFrame,
                     candidates: list[Candidate], cap: int | None, clock: Clock) -> bool:
    """Append a candidate per pair of actors named in one sentence; False when the cap stopped it.

    Sentences and mentions are both in text order, so one walk pairs them (no sentence × mention scan).
    """
    kinds = dict(zip(actors["id"], actors["kind"], strict=True))
    first = 0
    for number, sentence in enumerate(sentences):
        if number % 1024 == 1023:
            clock.check()
        while first < len(mentions) and mentions[first].start < sentence.start:
            first += 1
        named_at: dict[str, None] = {}
        position = first
        while position < len(mentions) and mentions[position].start < sentence.end:
            if mentions[position].end <= sentence.end:
                named_at[mentions[position].actor] = None
            position += 1
        named = list(named_at)
        if len(named) < 2:
            continue
        rtype, polarity, cues = guess_type(sentence.text)
        media = next((a for a in named if kinds.get(a) == "media"), "")
        for i, source in enumerate(named):
            for target in named[i + 1:]:
                if cap is not None and len(candidates) >= cap:
                    return False
                claimant = media if media not in (source, target) else ""
                candidates.append(Candidate(source, target, rtype, polarity, sentence.text, sentence.start,
                                            sentence.end, claimant, cues))
    return True


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
    # Text columns, like a table read from CSV; a column no row fills is empty text (object dtype, so filling
    # it with "" is not a float column taking a string, which pandas is deprecating).
    return {file: pd.DataFrame(rows, columns=columns[file], dtype=object).fillna("")
            for file, rows in (("relations.csv", relations), ("evidence.csv", evidence), ("sources.csv", sources))}


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


# ---- review: what a curator corrects before accepting ------------------------------------------------------------

VOICE_KINDS = frozenset({"media"})  # they speak about ties (claimants), they are not a side of one
VENUE_KINDS = frozenset({"organisation", "initiative"})  # actors join them; they are not aligned with anyone


def offered_candidates(candidates: Iterable[Candidate], actors: pd.DataFrame) -> tuple[list[Candidate], int]:
    """Candidates worth offering as ties: none with a media actor as a side (an outlet is a claimant, recorded
    as such), and an organisation or initiative only as what an actor joins, so offered as a membership (+1),
    never as an alignment. Returns (offered, how many held back). Kinds stand in for the actor roles (voice,
    venue) that the vocabulary does not record yet."""
    kind = actors["kind"] if "kind" in actors.columns else pd.Series(dtype=str)
    offered, held_back = [], 0
    for candidate in candidates:
        source_kind, target_kind = kind.get(candidate.source, ""), kind.get(candidate.target, "")
        if source_kind in VOICE_KINDS or target_kind in VOICE_KINDS or source_kind in VENUE_KINDS:
            held_back += 1
        elif target_kind in VENUE_KINDS:
            offered.append(replace(candidate, type="membership", polarity=1))
        else:
            offered.append(candidate)
    return offered, held_back


@dataclass(frozen=True)
class Review:
    """A candidate as the curator corrected it: direction, type, polarity and claimant live in the candidate;
    dates and confidence here (an empty start means the document's date)."""

    candidate: Candidate
    start: str = ""
    end: str = ""
    confidence: str = "low"


def reviewed_tables(reviews: Iterable[Review], source: SourceInfo) -> dict[str, pd.DataFrame]:
    """Rows for the reviewed candidates: `suggestion_tables` with the curator's dates and confidence."""
    reviews = list(reviews)
    tables = suggestion_tables([r.candidate for r in reviews], source)
    relations = tables["relations.csv"]
    for row, review in enumerate(reviews):
        relations.loc[row, "start"] = review.start.strip() or source.published
        relations.loc[row, "end"] = review.end.strip()
        relations.loc[row, "confidence"] = review.confidence
    return tables


@dataclass(frozen=True)
class Accepted:
    """Reviewed suggestions joined to the current tables and validated like an upload: what a curator may add to
    the session (when `result` has no problems), download or save."""

    source: SourceInfo
    added: dict[str, pd.DataFrame]  # the new rows, per table file
    raw: dict[str, bytes]  # the current tables with them, as CSV bytes
    result: LoadResult  # their validation
    new_relations: int

    @property
    def key(self) -> str:
        """A digest of the joined tables: names the session's data, so the same acceptance is one data set."""
        return hashlib.sha256(b"".join(self.raw.values())).hexdigest()[:16]


def accept_reviews(reviews: Iterable[Review], text: str, dataset: Dataset, url: str = "", outlet: str = "",
                   published: str = "", title: str = "") -> Accepted:
    """The reviewed candidates of a text as rows of the data set's tables, checked against its documents.

    The source is named by the text's digest (the same text always gives the same source) and points to the
    stored document when the data holds this very text. A published value that is no date raises ValueError."""
    stored = next((name for name, body in dataset.documents.items() if body == text), "")
    source_id = "doc-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    info = SourceInfo(source_id, url.strip(), outlet.strip(), published.strip(), title.strip(), stored)
    added = reviewed_tables(reviews, info)
    current = table_frames(dataset)
    merged = merged_tables(current, added)
    raw = {name: table_bytes(frame) for name, frame in merged.items()}
    folder = dataset.folder
    result = load_tables(raw, documents_in=seeds_folder(folder) if folder else None, folder=folder)
    return Accepted(info, added, raw, result, len(merged["relations.csv"]) - len(current["relations.csv"]))
