"""Axis check: the direct answer to "is there an axis of these actors against that one?", pair by pair.

For every pair of members (who should cooperate) and each member against the target (who should be
adversaries), the relations in force on the analysis day under the chosen lens are split into *reported*
ones (at least one outlet reports them in its own voice) and *claimed* ones (only claims support them):

- **supported**: at least `VERDICT_SHARE` (75 %) of the reported relations' signed weight points the expected way;
- **contradicted**: at least 75 % of it points the other way;
- **mixed**: both ways carry real weight (neither reaches 75 %), or only neutral relations are reported;
- **claimed only by X**: nothing reported, only X's claims (whichever way they point);
- **no evidence**: nothing in force that day.

The signed weight of a relation is the one the ties use (polarity x confidence x sqrt(independent origins) x the
time rule's decay). Neutral relations (polarity 0: a request, a mixed statement) are listed and counted but never
move a verdict. Every verdict carries its share ("supported: 100 % of signed weight, 1 neutral item").
Claims never change a verdict built on reported relations; they are listed beside it ("also claimed by X").
Only aligner ties count (a person counts for the actor it represents); shared venues are listed, never summed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np

from explorer.graph.evidence import claimed_only_by
from explorer.graph.filters import Filter, analysis_basis, analysis_day, apply_filter, lens_label
from explorer.graph.index import Index
from explorer.graph.signed import aligner_codes, relation_weights
from explorer.graph.timerule import activity
from explorer.model import aliases_of, day_from_number
from explorer.tables.words import claimed_by as claimed_by_words

SUPPORTED, CONTRADICTED, MIXED, CLAIMED_ONLY, NO_EVIDENCE = (
    "supported", "contradicted", "mixed", "claimed only", "no evidence")
VERDICT_SHARE = 0.75  # the share of signed weight one way that makes a verdict; below it on both sides: mixed


class NotAnAligner(ValueError):
    """A member or target that takes no sides (media, person without `represents`, venue)."""


@dataclass(frozen=True)
class RelationCheck:
    id: str
    source: str
    target: str
    type: str
    polarity: int
    start: str
    end: str
    summary: str
    weight: float  # signed, with confidence, independent origins and the time rule's decay
    claimed_by: tuple[str, ...]  # claimant ids when only claims support it under the lens, else ()
    claimants: tuple[str, ...]  # everyone whose claim is among its evidence
    evidence: tuple[dict, ...] = ()  # quote, outlet, url, claimed_by, is_claim, stance: what it rests on

    def as_dict(self) -> dict:
        return {"id": self.id, "source": self.source, "target": self.target, "type": self.type,
                "polarity": self.polarity, "start": self.start, "end": self.end, "summary": self.summary,
                "weight": self.weight, "claimed_only_by": list(self.claimed_by), "claimants": list(self.claimants),
                "evidence": list(self.evidence)}


@dataclass(frozen=True)
class PairCheck:
    a: str
    b: str
    expected: int  # +1: should cooperate (two members); -1: should be adversaries (member and target)
    verdict: str
    net: float  # the net tie: sum of the weights of every relation below
    relations: tuple[RelationCheck, ...]
    claimed_by: tuple[str, ...]  # with CLAIMED_ONLY: whose claims; otherwise those that also claim something
    venues: tuple[str, ...]  # venues both belong to or met at: shown, not summed
    share: float | None = None  # of the signed weight the verdict rests on, the part pointing the expected way
    neutral: int = 0  # neutral relations (polarity 0) among those the verdict rests on: counted, never deciding

    @property
    def reported(self) -> tuple[RelationCheck, ...]:
        return tuple(r for r in self.relations if not r.claimed_by)

    @property
    def verdict_share(self) -> float | None:
        return share_behind(self.verdict, self.share)

    def reading(self, names: dict[str, str]) -> str:
        """The verdict with its share, in words: "contradicted: 100 % of signed weight, 1 neutral item"."""
        return verdict_words(self.verdict, self.claimed_by, names) + share_words(self)

    def as_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "expected": "cooperative" if self.expected > 0 else "adversarial",
                "verdict": self.verdict, "share": self.verdict_share,
                "share_expected_way": self.share, "neutral_items": self.neutral,
                "claimed_by": list(self.claimed_by), "net": self.net,
                "relations": [r.as_dict() for r in self.relations], "shared_venues": list(self.venues)}


@dataclass(frozen=True)
class AxisCheck:
    members: tuple[str, ...]
    target: str
    as_of: str  # ISO day the answer is for
    basis: str  # why that day, the time rule, the lens
    lens: str
    pairs: tuple[PairCheck, ...]
    verdict: str
    sentence: str
    strongest_for: RelationCheck | None
    strongest_against: RelationCheck | None

    def as_dict(self) -> dict:
        return {"members": list(self.members), "target": self.target, "as_of": self.as_of, "lens": self.lens or "all",
                "basis": self.basis, "verdict": self.verdict, "sentence": self.sentence,
                "pairs": [p.as_dict() for p in self.pairs],
                "strongest_for": self.strongest_for.as_dict() if self.strongest_for else None,
                "strongest_against": self.strongest_against.as_dict() if self.strongest_against else None}


def share_behind(verdict: str, share: float | None) -> float | None:
    """The share behind a verdict, from the share pointing the expected way: that share for supported or mixed, the
    rest (pointing the other way) for contradicted."""
    if share is None:
        return None
    return 1.0 - share if verdict == CONTRADICTED else share


def weight_shares(expected: int, relations: tuple[RelationCheck, ...]) -> tuple[float, float, int]:
    """Signed weight pointing the expected way, the other way, and the number of neutral relations."""
    towards = sum(abs(r.weight) for r in relations if r.polarity == expected)
    away = sum(abs(r.weight) for r in relations if r.polarity == -expected)
    return towards, away, sum(r.polarity == 0 for r in relations)


def pair_verdict(expected: int, relations: tuple[RelationCheck, ...]) -> tuple[str, tuple[str, ...]]:
    """The verdict on one pair from its relations in force (see the module docstring), and the claimants.

    The verdict rests on the reported relations (claims only when nothing is reported): supported or
    contradicted when `VERDICT_SHARE` of their signed weight points one way, mixed otherwise; neutral ones
    never decide it."""
    claimants = tuple(sorted({c for r in relations for c in r.claimed_by}))
    reported = tuple(r for r in relations if not r.claimed_by)
    if not reported:
        return (CLAIMED_ONLY, claimants) if relations else (NO_EVIDENCE, ())
    towards, away, _ = weight_shares(expected, reported)
    return share_verdict(towards, away), claimants


def share_verdict(towards: float, away: float) -> str:
    """The verdict rule, one for the curated relations and the event layer: supported when `VERDICT_SHARE` of the
    signed weight points the expected way, contradicted when that share points the other way, mixed otherwise
    (and when no weight points either way)."""
    if towards + away == 0:
        return MIXED
    if towards >= VERDICT_SHARE * (towards + away):
        return SUPPORTED
    if away >= VERDICT_SHARE * (towards + away):
        return CONTRADICTED
    return MIXED


def verdict_basis(expected: int, relations: tuple[RelationCheck, ...]) -> tuple[float | None, int]:
    """The share of signed weight pointing the expected way among the relations the verdict rests on (reported
    ones, or the claims when nothing is reported), and how many neutral relations are among them."""
    reported = tuple(r for r in relations if not r.claimed_by) or relations
    towards, away, neutral = weight_shares(expected, reported)
    return (round(towards / (towards + away), 4) if towards + away else None), neutral


def share_words(pair: PairCheck) -> str:
    """': 100 % of signed weight, 1 neutral item' (empty without relations)."""
    if not pair.relations:
        return ""
    share = pair.verdict_share
    neutral = f"{pair.neutral} neutral item{'s' if pair.neutral != 1 else ''}" if pair.neutral else ""
    if share is None:
        return f": no signed weight{', ' + neutral if neutral else ''}"
    basis = "of claimed signed weight" if pair.verdict == CLAIMED_ONLY else "of signed weight"
    if pair.verdict == MIXED:
        basis += " the expected way"
    return f": {share:.0%} {basis}".replace("%", " %") + (f", {neutral}" if neutral else "")


SHORT_NAME_FROM = 25  # names at least this long read as their first alias in running text


def short_names(actors) -> dict[str, str]:
    """Actor id -> the label running text uses: for a long name its first alias when shorter ("Taliban" for
    "Taliban (Islamic Emirate of Afghanistan)"), else the name (a short name stays: "Uzbekistan", not its first
    alias "Tashkent")."""
    found = {}
    for actor, row in actors.iterrows():
        name = str(row["name"])
        alias = next(iter(aliases_of(row.get("aliases", "") or "")), "")
        found[str(actor)] = alias if len(name) >= SHORT_NAME_FROM and alias and len(alias) < len(name) else name
    return found


def check_filter(chosen: Filter | None = None, lens: str | None = None) -> Filter:
    """The filter a check reads (under `lens` when given): every pair, whatever the ego view, so its relations are
    the ones a view of this filter holds (the app opens their evidence from it)."""
    chosen = replace(chosen or Filter(), actors=(), hops=1)
    return chosen if lens is None else replace(chosen, lens=lens)


def check_axis(index: Index, members: tuple[str, ...], target: str, chosen: Filter | None = None) -> AxisCheck:
    """Is there an axis of `members` against `target` as of the filter's analysis day, under its lens?"""
    chosen = check_filter(chosen)
    counts_for = aligner_codes(index, chosen.organisations)
    names = index.dataset.actors["name"].to_dict()
    resolved = []
    for actor in (*members, target):
        code = counts_for[index.actor_code[actor]]
        if code < 0:
            kind = index.actor_kind[index.actor_code[actor]]
            raise NotAnAligner(f"{names[actor]} is a {kind.replace('_', ' ')}: it takes no sides, so it cannot "
                               "be in an axis (check the actor it speaks for)")
        resolved.append(str(index.actor_ids[code]))
    *members, target = resolved
    members = tuple(dict.fromkeys(m for m in members if m != target))
    view = apply_filter(index, chosen)
    day = analysis_day(index, chosen)
    positions = np.asarray(view.relations)
    weights = relation_weights(index, view)
    in_force = activity(index.is_event[positions], index.start_hi[positions], index.end_lo[positions], day,
                        chosen.time_rule) > 0
    evidence, owner = view.kept_evidence(index, positions)
    claims_only = claimed_only_by(index, evidence, owner, len(positions))
    claimants = _claimants(index, evidence, owner, len(positions))
    ends = (counts_for[index.source_code[positions]], counts_for[index.target_code[positions]])
    relations = index.dataset.relations

    def checks(a: str, b: str) -> tuple[RelationCheck, ...]:
        pair = {index.actor_code[a], index.actor_code[b]}
        found = []
        for i in np.flatnonzero(in_force):
            if {int(ends[0][i]), int(ends[1][i])} != pair:
                continue
            row = relations.iloc[int(positions[i])]
            found.append(RelationCheck(str(row["id"]), str(row["source"]), str(row["target"]), str(row["type"]),
                                       int(row["polarity"]), str(row["start"]), str(row["end"]), str(row["summary"]),
                                       round(float(weights[i]), 3), claims_only[i], claimants[i],
                                       _evidence(index, evidence[owner == i])))
        return tuple(sorted(found, key=lambda r: (-abs(r.weight), r.id)))

    venues = _venues(index, view, day, counts_for)
    pairs = []
    for (a, b), expected in [*((p, 1) for p in itertools.combinations(members, 2)),
                             *(((m, target), -1) for m in members)]:
        found = checks(a, b)
        verdict, claimed = pair_verdict(expected, found)
        pairs.append(PairCheck(a, b, expected, verdict, round(sum(r.weight for r in found), 3), found, claimed,
                               tuple(sorted(venues.get(a, set()) & venues.get(b, set()))),
                               *verdict_basis(expected, found)))
    strongest_for = _strongest(pairs, towards=True)
    strongest_against = _strongest(pairs, towards=False)
    verdict = _overall(pairs)
    as_of = day_from_number(day).isoformat()
    sentence = _sentence(members, target, as_of, chosen.lens, pairs, verdict, strongest_for, strongest_against,
                         short_names(index.dataset.actors))
    return AxisCheck(tuple(members), target, as_of, analysis_basis(index, chosen), chosen.lens, tuple(pairs), verdict,
                     sentence, strongest_for, strongest_against)


def _evidence(index: Index, positions: np.ndarray) -> tuple[dict, ...]:
    rows = index.dataset.evidence.iloc[positions]
    outlets = index.dataset.sources["outlet"]
    urls = index.dataset.sources["url"]
    return tuple({"quote": str(e["quote"]), "outlet": str(outlets[e["source"]]), "url": str(urls[e["source"]]),
                  "claimed_by": str(e["claimed_by"]), "is_claim": bool(claim), "stance": str(e["stance"])}
                 for (_, e), claim in zip(rows.iterrows(), index.evidence_is_claim[positions], strict=True))


def _claimants(index: Index, evidence: np.ndarray, owner: np.ndarray, size: int) -> list[tuple[str, ...]]:
    found: list[set[str]] = [set() for _ in range(size)]
    claims = index.evidence_is_claim[evidence]
    for position, who in zip(owner[claims], index.evidence_claimant[evidence[claims]], strict=True):
        found[position].add(str(who))
    return [tuple(sorted(s)) for s in found]


def _venues(index: Index, view, day: int, counts_for: np.ndarray) -> dict[str, set[str]]:
    """Aligner -> venues it is tied to on that day (membership, summit, corridor), by the venue's id."""
    positions = np.asarray(view.relations)
    in_force = activity(index.is_event[positions], index.start_hi[positions], index.end_lo[positions], day,
                        view.filter.time_rule) > 0
    found: dict[str, set[str]] = {}
    for i in np.flatnonzero(in_force):
        source, target = index.source_code[positions[i]], index.target_code[positions[i]]
        for actor, other in ((source, target), (target, source)):
            if counts_for[actor] >= 0 and index.actor_role[other] == "venue" and counts_for[other] < 0:
                found.setdefault(str(index.actor_ids[counts_for[actor]]), set()).add(str(index.actor_ids[other]))
    return found


def _strongest(pairs: list[PairCheck], towards: bool) -> RelationCheck | None:
    """The heaviest relation pointing the way the axis needs (towards) or against it, reported before claimed."""
    candidates = [(not r.claimed_by, abs(r.weight), r.id, r) for p in pairs for r in p.relations
                  if r.polarity and (r.polarity == p.expected) == towards]
    return max(candidates, key=lambda c: c[:3])[3] if candidates else None


def _overall(pairs: list[PairCheck]) -> str:
    return overall_verdict({p.verdict for p in pairs})


def overall_verdict(verdicts: set[str]) -> str:
    """The axis's verdict from its pairs' verdicts: all alike, else mixed (claims alone never support it)."""
    if verdicts == {SUPPORTED}:
        return SUPPORTED
    if verdicts == {CONTRADICTED}:
        return CONTRADICTED
    if verdicts == {NO_EVIDENCE}:
        return NO_EVIDENCE
    if verdicts <= {CLAIMED_ONLY, NO_EVIDENCE}:
        return CLAIMED_ONLY
    return MIXED


EVENTS_LENS = "events"  # `check-axis --lens events`: the machine-coded event layer's verdicts (graph/event_ties.py)


def event_share(expected: int, weight: float) -> float:
    """The share of an event tie's weighted events that points the expected way: cooperative events for two members,
    conflictual ones for a member and the target. The tie's weight is (cooperative − conflictual) / (cooperative +
    conflictual), each event weighed by the time rule, so that share is (1 + weight) / 2 for a cooperative
    expectation and (1 − weight) / 2 for an adversarial one."""
    return (1 + (weight if expected > 0 else -weight)) / 2


def event_verdict(expected: int, weight: float | None) -> str:
    """The event layer's verdict on a pair, by the curated rule (`share_verdict`) over its weighted events: no event
    tie in force is no evidence. Machine-coded, never verified."""
    if weight is None:
        return NO_EVIDENCE
    towards = event_share(expected, weight)
    return share_verdict(towards, 1 - towards)


def verdict_words(verdict: str, claimed_by: tuple[str, ...], names: dict[str, str]) -> str:
    if verdict == CLAIMED_ONLY:
        return claimed_by_words((names.get(c, c) for c in claimed_by), only=True)
    return verdict


def _sentence(members, target, as_of, lens, pairs, verdict, strongest_for, strongest_against, names) -> str:
    name = lambda actor: names.get(actor, actor)  # noqa: E731
    axis = " + ".join(name(m) for m in members)
    opening = {
        SUPPORTED: "the evidence supports",
        CONTRADICTED: "the evidence contradicts",
        MIXED: "the evidence is mixed on",
        CLAIMED_ONLY: "only claims speak for or against",
        NO_EVIDENCE: "there is no evidence on",
    }[verdict]
    parts = []
    for pair in pairs:
        words = pair.reading(names)
        also = list(pair.claimed_by) if pair.verdict != CLAIMED_ONLY else []
        extra = f" (also {claimed_by_words(name(c) for c in also)})" if also else ""
        parts.append(f"{name(pair.a)}–{name(pair.b)} {words}{extra}")
    text = (f"As of {as_of}, with the lens \"{lens_label(lens, names)}\", {opening} an axis of {axis} "
            f"against {name(target)}: " + "; ".join(parts) + ".")
    if strongest_for:
        text += f" Strongest for: {_relation_words(strongest_for, names)}."
    if strongest_against:
        text += f" Strongest against: {_relation_words(strongest_against, names)}."
    return text


def _relation_words(relation: RelationCheck, names: dict[str, str]) -> str:
    claim = f", {claimed_by_words(names.get(c, c) for c in relation.claimed_by)}" if relation.claimed_by else ""
    return f"{relation.summary.rstrip('.')} ({relation.id}, {relation.weight:+g}{claim})"
