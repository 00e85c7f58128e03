"""One-off importer: turns the seed article and the shared research table into the curated tables.

It is kept so reviewers can see how every row of `data/` came to be; the CSV files in `data/` are the
source of truth from then on and are curated by hand. Re-running it overwrites them.

Run: python tools/import_research.py  (from the repository root)
"""

from __future__ import annotations

import csv
import re
from collections import OrderedDict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESEARCH = ROOT / "seeds" / "research_relations_evidence.csv"
SEED_DOCUMENT = "000_ff18c378545b59ec.txt"
SEED_URL = (
    "https://khyberchronicles.pk/iranian-media-warns-of-taliban-azerbaijan-axis-as-emerging-security-threat-to-tehran"
)

ACTORS = [
    # id, name, kind, country, aliases, description
    ("taliban", "Taliban (Islamic Emirate of Afghanistan)", "de_facto_government", "AFG",
     "Taliban|Afghanistan|Islamic Emirate of Afghanistan|Taliban government|Afghan interim government|Kabul",
     "The Taliban-led de facto authorities of Afghanistan since August 2021."),
    ("afghanistan_republic", "Islamic Republic of Afghanistan", "state", "AFG",
     "Afghan Republic",
     "The internationally recognised government of Afghanistan until August 2021."),
    ("baradar", "Abdul Ghani Baradar", "person", "AFG",
     "Mullah Abdul Ghani Baradar|Mullah Baradar|Baradar",
     "Taliban deputy prime minister for economic affairs, as the seed article describes him."),
    ("azerbaijan", "Azerbaijan", "state", "AZE", "Republic of Azerbaijan|Baku", ""),
    ("iran", "Iran", "state", "IRN", "Islamic Republic of Iran|Tehran", ""),
    ("israel", "Israel", "state", "ISR", "State of Israel|Tel Aviv", ""),
    ("turkiye", "Türkiye", "state", "TUR", "Turkey|Republic of Türkiye|Ankara", ""),
    ("pakistan", "Pakistan", "state", "PAK", "Islamic Republic of Pakistan|Islamabad", ""),
    ("turkmenistan", "Turkmenistan", "state", "TKM", "Ashgabat", ""),
    ("georgia", "Georgia", "state", "GEO", "Tbilisi", ""),
    ("uzbekistan", "Uzbekistan", "state", "UZB", "Tashkent", ""),
    ("russia", "Russia", "state", "RUS", "Russian Federation|Moscow", ""),
    ("china", "China", "state", "CHN", "People's Republic of China|Beijing", ""),
    ("india", "India", "state", "IND", "Republic of India|New Delhi", ""),
    ("united_states", "United States", "state", "USA", "United States of America|USA|U.S.|Washington", ""),
    ("armenia", "Armenia", "state", "ARM", "Republic of Armenia|Yerevan", ""),
    ("qatar", "Qatar", "state", "QAT", "State of Qatar|Doha", ""),
    ("saudi_arabia", "Saudi Arabia", "state", "SAU", "Kingdom of Saudi Arabia|Riyadh", ""),
    ("eco", "Economic Cooperation Organization", "organisation", "",
     "ECO|Economic Cooperation Organisation",
     "Regional organisation of ten member states, including Iran, Türkiye, Pakistan, Azerbaijan and Afghanistan."),
    ("sco", "Shanghai Cooperation Organisation", "organisation", "",
     "SCO|Shanghai Cooperation Organization", "Eurasian political, economic and security organisation."),
    ("lapis_lazuli_corridor", "Lapis Lazuli corridor", "initiative", "",
     "Lapis Lazuli transport corridor|Lyapis-lazur",
     "Transport corridor agreed in 2017 by Afghanistan, Turkmenistan, Azerbaijan, Georgia and Turkey."),
    ("iraf", "IRAF", "media", "IRN", "",
     "Iranian news agency whose warnings the seed article reports; its original article has not been found."),
    ("press_tv", "Press TV", "media", "IRN", "PressTV", "Iranian state broadcaster in English."),
    ("mehr_news", "Mehr News Agency", "media", "IRN", "Mehr|MNA", "Iranian news agency."),
    ("rta", "Radio Television Afghanistan", "media", "AFG", "RTA", "Afghan state broadcaster under the Taliban."),
]

NAME_TO_ID = {
    "Afghanistan": "taliban", "Azerbaijan": "azerbaijan", "Iran": "iran", "Israel": "israel",
    "Türkiye": "turkiye", "Pakistan": "pakistan", "Turkmenistan": "turkmenistan", "Georgia": "georgia",
    "Uzbekistan": "uzbekistan", "Russia": "russia", "China": "china", "India": "india",
    "United States": "united_states", "Armenia": "armenia", "Qatar": "qatar", "Saudi Arabia": "saudi_arabia",
    "ECO": "eco", "SCO": "sco",
}

# Research row -> the actor whose claim the quote reports (README "claims made by one side" and the quote text).
CLAIMED_BY = {
    4: "iran", 8: "azerbaijan", 9: "iran", 10: "press_tv", 11: "mehr_news", 12: "taliban", 14: "iran",
    18: "iran", 20: "taliban", 21: "china", 23: "taliban", 26: "iran", 30: "azerbaijan", 42: "israel",
    44: "azerbaijan", 49: "iraf", 50: "iraf", 51: "iraf", 54: "iraf", 56: "taliban", 62: "taliban",
    63: "iran", 73: "rta", 75: "taliban", 77: "pakistan",
}
# Rows that join the relation of another row (the README's disagreements); value: (host row, stance).
MERGED_INTO = {12: (11, "disputes"), 21: (20, "qualifies"), 13: (4, "qualifies"), 54: (2, "supports"),
               9: (8, "disputes")}
# The 2017 Lapis Lazuli agreement names five signatories: modelled as membership in the corridor.
LAPIS_ROWS = {0, 1}
LAPIS_SIGNATORIES = ["afghanistan_republic", "turkmenistan", "azerbaijan", "georgia", "turkiye"]

SUMMARIES = {
    2: "Israel supplies arms to Azerbaijan; military cooperation that Iranian media also cite.",
    3: "Shusha declaration: allied relations including mutual military assistance.",
    4: "Iran joins the SCO; sources differ on whether full membership dates from 2021 or July 2023.",
    5: "Iranian military manoeuvres near the Azerbaijani border, criticised by Aliyev.",
    6: "Baku appoints its first ambassador to Israel.",
    7: "Taliban administration signs an oil extraction contract with a Chinese company.",
    8: "Deadly attack on Azerbaijan's embassy in Tehran: Baku calls it terrorism; Tehran calls the motive personal.",
    10: "Reported Israeli intelligence presence in Azerbaijan aimed at Iran.",
    11: "Border clash between Taliban forces and Iranian border guards; each side says the other fired first.",
    14: "Iranian MP credits Taliban help in preventing attacks in Mashhad.",
    15: "Azerbaijan-Georgia-Türkiye trilateral declaration signed in Baku.",
    16: "Azerbaijani oil exports to Israel.",
    17: "Iranian strike inside Pakistan; Pakistan says children were killed, Iran says it hit militants.",
    18: "Iranian state media say Pakistan's retaliatory strike killed refugees.",
    19: "Pakistani drone and missile strikes inside Iran in retaliation.",
    20: "Xi Jinping accepts the credentials of the Taliban's ambassador; Beijing calls it a normal arrangement.",
    22: "Armenia suspends its participation in the Russian-led CSTO.",
    23: "Azerbaijan reopens its embassy in Kabul.",
    24: "Türkiye declares a trade ban on Israel.",
    25: "India and Iran sign a long-term Chabahar port agreement.",
    26: "Iran and Azerbaijan inaugurate the Qiz Qalasi dam.",
    27: "Qatar urges the Taliban to join the third UN Doha meeting on Afghanistan.",
    28: "Iran warns Moscow over the Zangezur corridor.",
    29: "Turkmenistan and the Taliban start TAPI pipeline works in Afghanistan.",
    30: "Aliyev says Russia shot down the Azerbaijani airliner, unintentionally.",
    31: "Putin apologises to Aliyev for the crash without accepting responsibility.",
    32: "Saudi Arabia resumes its embassy's activities in Kabul.",
    33: "Aliyev renews implicit threats to open the corridor through Armenia by force.",
    34: "Georgian and Azerbaijani prime ministers discuss their strategic partnership.",
    35: "Russia and Iran sign a broad cooperation pact.",
    36: "Russia's Supreme Court lifts the Taliban's terrorist designation.",
    37: "Erdogan reaffirms Türkiye's support for Pakistan.",
    38: "Azerbaijan condemns India's strikes on Pakistan.",
    39: "Azerbaijan expresses solidarity with Pakistan during Operation Sindoor.",
    40: "India strikes targets in Pakistan (Operation Sindoor).",
    41: "China backs Pakistan and Afghanistan on territorial integrity and CPEC's extension.",
    42: "Iran launches drones at Israel in retaliation for Israeli strikes.",
    43: "Israel strikes Iran's nuclear and military facilities.",
    44: "Azerbaijan assures Iran its territory will not be used for attacks on it.",
    45: "US bombers strike Iran's nuclear sites at Fordo, Natanz and Isfahan.",
    46: "Iran attacks the US Al Udeid air base in Qatar.",
    47: "Qatar reserves the right to respond to Iran's attack on its territory.",
    48: "Pezeshkian asks Baku to investigate reports that Israel used Azerbaijani airspace.",
    49: "The Taliban reportedly seek recognition by proposing an ambassador in Baku.",
    50: "Baradar invites Azerbaijani investment; Baku responds positively (as reported by IRAF).",
    51: "The Taliban promote the Lapis Lazuli route to export coal to Türkiye via Azerbaijan.",
    52: "Baradar's visit to the ECO summit at Azerbaijan's official invitation.",
    53: "Azerbaijan ready to support the transit of Afghan exports through Baku.",
    55: "IRAF warns that the Taliban-Azerbaijan rapprochement is a security threat and condemns it.",
    56: "Mass deportations of Afghan migrants from Iran.",
    57: "Russia becomes the first country to recognise the Taliban government.",
    58: "The Taliban take part in the ECO summit in Khankendi.",
    59: "Pakistan and the Taliban sign the UAP railway feasibility framework.",
    60: "Uzbekistan and the Taliban sign the Trans-Afghan railway framework.",
    61: "Uzbekistan and Pakistan back the UAP railway corridor through Afghanistan.",
    62: "The Taliban reject Iran's water allegations but say they remain committed to the treaty.",
    63: "Iran accuses the Taliban of breaching the Helmand water treaty and vows pressure.",
    64: "Iran opposes a foreign-controlled corridor near its border.",
    65: "Armenia and Azerbaijan sign a US-brokered peace roadmap.",
    66: "The US-brokered TRIPP corridor through Armenian territory.",
    67: "The Washington deal lifts US restrictions on defence cooperation with Azerbaijan.",
    68: "Saudi Arabia condemns Israel's strikes on Doha.",
    69: "Israeli air strike on Hamas leaders in Doha.",
    70: "The US revokes the Chabahar sanctions waiver.",
    71: "Saudi Arabia and Pakistan sign a mutual defence agreement.",
    72: "The Taliban reject Trump's bid to retake Bagram air base.",
    73: "Afghan state TV blames Pakistan for the collapse of the Istanbul talks.",
    74: "Türkiye mediates the Pakistan-Taliban talks in Istanbul.",
    75: "Deadly violence after explosions in Kabul that the Taliban blame on Pakistan.",
    76: "India upgrades its Kabul technical mission to an embassy.",
    77: "Pakistan-Taliban border clashes; the Pakistani military says Afghan forces fired first.",
    78: "Pakistan and the Taliban agree a ceasefire in Doha.",
    79: "Qatar mediates the Pakistan-Taliban talks in Doha.",
}

# Relations that only the seed article reports, each with verbatim quotes from it.
SEED_RELATIONS = [
    dict(source="baradar", target="taliban", type="membership", polarity=1, start="2025-07",
         confidence="high", summary="Baradar serves as the Taliban's deputy prime minister for economic affairs.",
         quotes=[("Mullah Abdul Ghani Baradar, the Taliban regime’s deputy prime minister for economic affairs",
                  "")]),
    dict(source="baradar", target="azerbaijan", type="diplomatic", polarity=1, start="2025-07",
         confidence="medium", summary="Baradar's high-profile visit to Azerbaijan for the ECO summit.",
         quotes=[("the high-profile visit of Mullah Abdul Ghani Baradar", ""),
                 ("Baradar’s visit was not a routine diplomatic gesture, but part of a calculated effort to "
                  "institutionalise ties with Azerbaijan under the pretext of economic cooperation", "iraf")]),
    dict(source="azerbaijan", target="eco", type="diplomatic", polarity=1, start="2025-07",
         confidence="medium", summary="Azerbaijan hosts the ECO summit.",
         quotes=[("who attended the Economic Cooperation Organisation (ECO) summit in Azerbaijan", "")]),
    dict(source="taliban", target="lapis_lazuli_corridor", type="trade_corridor", polarity=1, start="2025-07",
         confidence="medium", summary="The Taliban promote the Lapis Lazuli corridor as a coal export route.",
         quotes=[("promoted the Lapis Lazuli corridor as a new trade route for exporting coal to Türkiye via "
                  "Azerbaijani territory", "iraf")]),
    dict(source="taliban", target="iran", type="hostility", polarity=-1, start="2025-07", confidence="low",
         summary="IRAF argues the Taliban's overtures could form an axis hostile to Iran, possibly acting as proxies.",
         quotes=[("It argued that the Taliban’s overtures could create an emerging axis hostile to Iran’s national "
                  "security interests", "iraf"),
                 ("potentially acting as proxies in conflicts that threaten Iran’s borders and sovereignty", "iraf")]),
    dict(source="iran", target="taliban", type="rhetoric", polarity=-1, start="2025-07", confidence="low",
         summary="Tehran views the Taliban's outreach to Baku as an alarming shift.",
         quotes=[("a move that Tehran views as an alarming shift in regional alignments", "iraf")]),
    dict(source="iran", target="israel", type="hostility", polarity=-1, start="2025-07", confidence="medium",
         summary="Tehran faces escalating tensions with Israel.",
         quotes=[("especially as Tehran faces escalating tensions with Tel Aviv", "iraf")]),
    dict(source="iraf", target="azerbaijan", type="rhetoric", polarity=-1, start="2025-07", confidence="medium",
         summary="IRAF cautions that Baku's pursuit of gain may help the Taliban consolidate power.",
         quotes=[("It also cautioned that Baku’s pursuit of economic gain may inadvertently facilitate the "
                  "Taliban’s consolidation of power", "")]),
]
# Extra seed quotes for relations that come from research rows (row -> quotes).
SEED_EXTRA = {
    50: [("Officials in Baku responded positively to these proposals, expressing interest in joint ventures "
          "despite the Taliban’s international isolation", "iraf")],
    55: [("IRAF condemned this cooperation, warning that legitimising the Taliban", "")],
    10: [("Azerbaijan’s close military and intelligence ties with Israel", "iraf")],
}
# Research row 55 reports Iranian *media* warnings: the speaker is IRAF, not the Iranian state.
SOURCE_OVERRIDE = {55: "iraf"}
EVENT_TYPES = {"armed_clash", "rhetoric", "mediation"}
MEDIA_CLAIMANTS = {"iraf", "press_tv", "mehr_news", "rta"}

MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}


def iso_published(text: str) -> str:
    """Turn the research table's free-form `published` into a partial ISO date, or '' when unsure."""
    text = text.strip()
    if not text:
        return ""
    if m := re.match(r"^(\d{4})-(\d{2})-(\d{2})", text):
        return m.group(0)
    if m := re.match(r"^(\d{1,2})-(\d{1,2})-(\d{4})", text):
        return f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"
    if m := re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})", text):
        return f"{m[3]}-{int(m[1]):02d}-{int(m[2]):02d}"
    if m := re.match(r"^(\d{1,2}) ([A-Za-z]{3})[a-z]*,? (\d{4})", text):
        return f"{m[3]}-{MONTHS[m[2].lower()]:02d}-{int(m[1]):02d}"
    if m := re.match(r"^([A-Za-z]{3})[a-z]* (\d{1,2}), (\d{4})", text):
        return f"{m[3]}-{MONTHS[m[1].lower()]:02d}-{int(m[2]):02d}"
    raise ValueError(f"unparsed published date: {text!r}")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def main() -> None:
    with RESEARCH.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))

    sources: OrderedDict[str, dict] = OrderedDict()
    source_id_by_url: dict[str, str] = {}

    def source_for(row: dict) -> str:
        url = row["url"]
        if url in source_id_by_url:
            return source_id_by_url[url]
        host = row["outlet"].split(" ")[0].removeprefix("www.").removeprefix("en.").removeprefix("cdn.")
        base = slug(host.rsplit(".", 1)[0])
        sid, n = base, 2
        while sid in sources:
            sid, n = f"{base}-{n}", n + 1
        is_seed = url == SEED_URL
        sources[sid] = dict(
            id=sid, title=row["title"], outlet=row["outlet"], url=url,
            published="2025-07" if is_seed else iso_published(row["published"]),
            document=SEED_DOCUMENT if is_seed else "",
            note=("Publication day not in the text; it dates the IRAF article 'Thursday, July 4', "
                  "but 4 July 2025 was a Friday." if is_seed else
                  "Quote taken from a stored excerpt of the page (shared research table)."),
        )
        source_id_by_url[url] = sid
        return sid

    seed_row = next(r for r in rows if r["url"] == SEED_URL)
    seed_source = source_for(seed_row)

    relations: OrderedDict[str, dict] = OrderedDict()
    evidence: list[dict] = []
    relation_of_row: dict[int, str] = {}

    def add_relation(source: str, target: str, rtype: str, polarity: int, start: str, summary: str,
                     confidence: str = "") -> str:
        rid = f"{source}-{target}-{rtype}-{start}"
        assert rid not in relations, rid
        end = start if rtype in EVENT_TYPES else ""
        relations[rid] = dict(id=rid, source=source, target=target, type=rtype, polarity=polarity, start=start,
                              end=end, confidence=confidence, summary=summary)
        return rid

    for index, row in enumerate(rows):
        if index in LAPIS_ROWS or index in MERGED_INTO:
            continue
        src = SOURCE_OVERRIDE.get(index, NAME_TO_ID[row["source_actor"]])
        tgt = NAME_TO_ID[row["target_actor"]]
        relation_of_row[index] = add_relation(src, tgt, row["relation"], int(row["polarity"]), row["date"],
                                              SUMMARIES[index])
    for index, row in enumerate(rows):
        if index in LAPIS_ROWS:
            continue
        rid = relation_of_row[MERGED_INTO[index][0]] if index in MERGED_INTO else relation_of_row[index]
        stance = MERGED_INTO[index][1] if index in MERGED_INTO else "supports"
        evidence.append(dict(relation=rid, source=source_for(row), quote=row["quote"],
                             claimed_by=CLAIMED_BY.get(index, ""), stance=stance))
        for quote, claimant in SEED_EXTRA.get(index, []):
            evidence.append(dict(relation=rid, source=seed_source, quote=quote, claimed_by=claimant,
                                 stance="supports"))

    lapis = rows[0]
    for signatory in LAPIS_SIGNATORIES:
        rid = add_relation(signatory, "lapis_lazuli_corridor", "membership", 1, lapis["date"],
                           "Signatory of the 2017 Lapis Lazuli transport corridor agreement.")
        evidence.append(dict(relation=rid, source=source_for(lapis), quote=lapis["quote"], claimed_by="",
                             stance="supports"))

    for spec in SEED_RELATIONS:
        rid = add_relation(spec["source"], spec["target"], spec["type"], spec["polarity"], spec["start"],
                           spec["summary"], spec["confidence"])
        for quote, claimant in spec["quotes"]:
            evidence.append(dict(relation=rid, source=seed_source, quote=quote, claimed_by=claimant,
                                 stance="supports"))

    # Confidence rule at import (curators refine it by hand): low when every piece of evidence is a claim by
    # media of one side; high when at least two different outlets support it; else medium.
    for rid, relation in relations.items():
        if relation["confidence"]:
            continue
        rows_of = [e for e in evidence if e["relation"] == rid]
        claimants = {e["claimed_by"] for e in rows_of}
        outlets = {e["source"] for e in rows_of if e["stance"] == "supports"}
        if claimants and claimants <= MEDIA_CLAIMANTS:
            relation["confidence"] = "low"
        elif len(outlets) >= 2:
            relation["confidence"] = "high"
        else:
            relation["confidence"] = "medium"

    def write(name: str, fieldnames: list[str], records) -> None:
        path = ROOT / "data" / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n")
            writer.writeheader()
            writer.writerows(records)

    write("actors.csv", ["id", "name", "kind", "country", "aliases", "description"],
          [dict(zip(["id", "name", "kind", "country", "aliases", "description"], a, strict=True)) for a in ACTORS])
    write("relations.csv", ["id", "source", "target", "type", "polarity", "start", "end", "confidence", "summary"],
          relations.values())
    write("sources.csv", ["id", "title", "outlet", "url", "published", "document", "note"], sources.values())
    write("evidence.csv", ["relation", "source", "quote", "claimed_by", "stance"], evidence)
    print(f"{len(ACTORS)} actors, {len(relations)} relations, {len(sources)} sources, {len(evidence)} evidence")


if __name__ == "__main__":
    main()
