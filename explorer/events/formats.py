"""The published layouts of event files, as data: column names, types, and how each maps to one event record.

Every format is read into the same *event* columns (`EVENT_COLUMNS`), so mapping, aggregation and evidence never
know where a row came from:

- **GDELT 1.0** (`gdelt1`): daily exports, tab-separated, no header; 57 columns until 2013-03-31, 58 after
  (`SOURCEURL` added). Geography blocks have no ADM2 code. GDELT Event Codebook V1.03.
- **GDELT 2.0** (`gdelt2`): 15-minute exports, tab-separated, no header, 61 columns (ADM2 codes, `DATEADDED`,
  `SOURCEURL`). GDELT Event Codebook V2.0.
- **ICEWS** (`icews`): tab-separated with a header (`Event ID`, `Event Date`, `Source Country` …, Harvard
  Dataverse doi:10.7910/DVN/28075); countries are names, the quad class follows from the CAMEO root code.
- **POLECAT** (`polecat`): tab-separated with a header of 40 columns (`POLECAT_COLUMNS`: `Event ID`, `Event
  Date` as YYYY-MM-DD, `Event Type` (the PLOVER category), `Intensity`, `Actor Name`, `Actor Country`, `Recipient
  Name`, `Recipient Country` …); the quad class follows from the PLOVER category. The column names are those of
  the POLECAT files as downloaded from Harvard Dataverse, as quoted by a reader of them: shenyangHuang/TGB,
  `tgb/datasets/tkgl_polecat/tkgl_polecat.py` (commit 3b83e5cfb2010743fd4f7a80a01b0e19dfcf78cb, TGB 2.0's
  `tkgl-polecat` dataset), which reads `Event Date` as `%Y-%m-%d`; some files name `Intensity` `Event Intensity`
  (`Layout.aliases`, source at `POLECAT`). No real POLECAT row was found in a public
  repository, so the values' forms beyond that (country codes or names) are not checked against real rows.
- **CSV** (`csv`): any delimited file with a header and a column mapping (`--map event_id=ID,date=Day,...`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from pathlib import Path

# One event record, whatever the format. Codes are CAMEO/ISO-3 country codes and CAMEO known-group codes.
EVENT_COLUMNS: dict[str, str] = {
    "dataset": "VARCHAR",  # GDELT 1.0, GDELT 2.0, ICEWS, POLECAT, or the CSV's name
    "event_id": "VARCHAR",
    "day": "DATE",
    "source_code": "VARCHAR",  # the whole actor code (GDELT `Actor1Code`), or the actor's name elsewhere
    "source_country": "VARCHAR",
    "source_group": "VARCHAR",
    "source_name": "VARCHAR",
    "target_code": "VARCHAR",
    "target_country": "VARCHAR",
    "target_group": "VARCHAR",
    "target_name": "VARCHAR",
    "event_code": "VARCHAR",  # CAMEO code with its leading zero, or the PLOVER category
    "root": "BOOLEAN",  # GDELT's IsRootEvent: the event of the article's lead paragraph
    "quad": "TINYINT",  # 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict
    "goldstein": "DOUBLE",
    "mentions": "INTEGER",
    "sources": "INTEGER",
    "articles": "INTEGER",
    "url": "VARCHAR",
    "file": "VARCHAR",
}

QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}

_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
          "Type1Code", "Type2Code", "Type3Code")
_EVENT = ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions",
          "NumSources", "NumArticles", "AvgTone")


def _geo(prefix: str, adm2: bool) -> tuple[str, ...]:
    return tuple(f"{prefix}_{part}" for part in ("Type", "FullName", "CountryCode", "ADM1Code",
                                                   *(("ADM2Code",) if adm2 else ()), "Lat", "Long", "FeatureID"))


def _gdelt(adm2: bool) -> tuple[str, ...]:
    return ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
            *(f"Actor1{p}" for p in _ACTOR), *(f"Actor2{p}" for p in _ACTOR), *_EVENT,
            *_geo("Actor1Geo", adm2), *_geo("Actor2Geo", adm2), *_geo("ActionGeo", adm2), "DATEADDED", "SOURCEURL")


GDELT2_COLUMNS = _gdelt(adm2=True)  # 61
GDELT1_COLUMNS = _gdelt(adm2=False)  # 58; files before April 2013 stop before SOURCEURL (57)
# Typed on reading, so a value of the wrong kind is a rejected row with its line number, never a silent null.
QUAD_TYPE = "ENUM('1', '2', '3', '4')"  # a quad class outside 1-4 is a rejected row, with its line
GDELT_TYPES = {"SQLDATE": "DATE", "IsRootEvent": "BOOLEAN", "QuadClass": QUAD_TYPE, "GoldsteinScale": "DOUBLE",
               "NumMentions": "INTEGER", "NumSources": "INTEGER", "NumArticles": "INTEGER"}
GDELT_SELECT = {
    "event_id": '"GLOBALEVENTID"', "day": '"SQLDATE"',
    "source_code": '"Actor1Code"', "source_country": '"Actor1CountryCode"', "source_group": '"Actor1KnownGroupCode"',
    "source_name": '"Actor1Name"', "target_code": '"Actor2Code"', "target_country": '"Actor2CountryCode"',
    "target_group": '"Actor2KnownGroupCode"', "target_name": '"Actor2Name"', "event_code": '"EventCode"',
    "root": '"IsRootEvent"', "quad": 'CAST("QuadClass" AS VARCHAR)::TINYINT', "goldstein": '"GoldsteinScale"',
    "mentions": '"NumMentions"', "sources": '"NumSources"', "articles": '"NumArticles"', "url": '"SOURCEURL"',
}

# CAMEO root code -> quad class, as GDELT assigns QuadClass (Event Codebook V2.0, "QuadClass").
CAMEO_QUAD_SQL = ("CASE WHEN TRY_CAST(left({code}, 2) AS INTEGER) BETWEEN 1 AND 5 THEN 1 "
                  "WHEN TRY_CAST(left({code}, 2) AS INTEGER) BETWEEN 6 AND 8 THEN 2 "
                  "WHEN TRY_CAST(left({code}, 2) AS INTEGER) BETWEEN 9 AND 13 THEN 3 "
                  "WHEN TRY_CAST(left({code}, 2) AS INTEGER) BETWEEN 14 AND 20 THEN 4 END")

# PLOVER category -> quad class: openeventdata/PLOVER README.md, "PLOVER quad categories"
# (commit fddabc3, the table "Quad category | PLOVER categories").
PLOVER_QUADS = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2, "INVESTIGATE": 2,
    "DEMAND": 3, "DISAPPROVE": 3, "REJECT": 3, "THREATEN": 3, "SANCTION": 3,
    "PROTEST": 4, "CRIME": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}
PLOVER_QUAD_SQL = "CASE upper({code}) " + " ".join(
    f"WHEN '{name}' THEN {quad}" for name, quad in PLOVER_QUADS.items()) + " END"


@dataclass(frozen=True)
class Layout:
    """How one format is read: a headerless column list (GDELT) or named columns, and the event columns' SQL."""

    key: str
    dataset: str
    header: bool
    columns: tuple[str, ...] = ()  # headerless layouts: every column in order
    types: dict[str, str] = field(default_factory=dict)  # columns typed on reading (others are text)
    select: dict[str, str] = field(default_factory=dict)  # event column -> SQL over the file's columns
    date_format: str = "%Y%m%d"
    country_names: bool = False  # countries are written as names (ICEWS): recognised into ISO-3 codes
    delimiter: str | None = "\t"  # None: the header line's most frequent of , ; tab |
    quote: str = ""  # the published exports quote nothing: a `"` is part of a name
    aliases: dict[str, str] = field(default_factory=dict)  # column -> the other name some files give it

    def named(self, header: list[str]) -> Layout:
        """This layout for a file whose header uses an alias (`aliases`) in place of a column's usual name."""
        swapped = {name: other for name, other in self.aliases.items() if name not in header and other in header}
        if not swapped:
            return self
        quoted = {f'"{name}"': f'"{other}"' for name, other in swapped.items()}
        select = {}
        for key, sql in self.select.items():
            for name, other in quoted.items():
                sql = sql.replace(name, other)
            select[key] = sql
        types = {swapped.get(name, name): kind for name, kind in self.types.items()}
        return replace(self, select=select, types=types)


ICEWS = Layout(
    "icews", "ICEWS", header=True, date_format="%Y-%m-%d",
    types={"Event Date": "DATE", "Intensity": "DOUBLE"},
    select={"event_id": '"Event ID"', "day": '"Event Date"', "source_code": '"Source Name"',
            "source_country": '"Source Country"', "source_group": '"Source Name"', "source_name": '"Source Name"',
            "target_code": '"Target Name"', "target_country": '"Target Country"', "target_group": '"Target Name"',
            "target_name": '"Target Name"', "event_code": '"CAMEO Code"', "root": "true",
            "quad": CAMEO_QUAD_SQL.format(code='"CAMEO Code"'), "goldstein": '"Intensity"', "mentions": "1",
            "sources": "1", "articles": "1", "url": "NULL"},
    country_names=True,
)
# The header of a POLECAT file, in order (source: the module docstring).
POLECAT_COLUMNS = (
    "Event ID", "Event Date", "Event Type", "Event Mode", "Intensity", "Quad Code", "Contexts", "Actor Name",
    "Actor Country", "Actor COW", "Primary Actor Sector", "Actor Sectors", "Actor Title", "Actor Name Raw",
    "Wikipedia Actor ID", "Recipient Name", "Recipient Country", "Recipient COW", "Primary Recipient Sector",
    "Recipient Sectors", "Recipient Title", "Recipient Name Raw", "Wikipedia Recipient ID", "Placename", "City",
    "District", "Province", "Country", "Latitude", "Longitude", "GeoNames ID", "Raw Placename", "Feature Type",
    "Source", "Publication Date", "Story People", "Story Organizations", "Story Locations", "Language", "Version")
POLECAT = Layout(
    "polecat", "POLECAT", header=True, date_format="%Y-%m-%d",
    types={"Event Date": "DATE", "Intensity": "DOUBLE"},
    select={"event_id": '"Event ID"', "day": '"Event Date"', "source_code": '"Actor Name"',
            "source_country": '"Actor Country"', "source_group": '"Actor Name"', "source_name": '"Actor Name"',
            "target_code": '"Recipient Name"', "target_country": '"Recipient Country"',
            "target_group": '"Recipient Name"', "target_name": '"Recipient Name"', "event_code": '"Event Type"',
            "root": "true", "quad": PLOVER_QUAD_SQL.format(code='"Event Type"'), "goldstein": '"Intensity"',
            "mentions": "1", "sources": "1", "articles": "1", "url": "NULL"},
    # Some POLECAT files call it `Event Intensity`: bennotkin/fcv-prediction, R/gather-fns.R (commit
    # 6be2b175ffbb88e1ffe1d01d19ae10783b63b8f4), reads the real files and renames `Event Intensity` to `Intensity`.
    aliases={"Intensity": "Event Intensity"},
)
GDELT1 = Layout("gdelt1", "GDELT 1.0", header=False, columns=GDELT1_COLUMNS, types=GDELT_TYPES, select=GDELT_SELECT)
GDELT2 = Layout("gdelt2", "GDELT 2.0", header=False, columns=GDELT2_COLUMNS, types=GDELT_TYPES, select=GDELT_SELECT)

# The generic CSV: event column -> the keys a mapping names (`--map event_id=ID,date=Day,source=A,target=B`).
CSV_KEYS = {"event_id": "event_id", "date": "day", "source": "source_country", "target": "target_country",
            "source_group": "source_group", "target_group": "target_group", "code": "event_code",
            "quad": "quad", "goldstein": "goldstein", "mentions": "mentions", "sources": "sources", "url": "url"}
CSV_REQUIRED = ("event_id", "date", "source", "target")


def csv_layout(mapping: dict[str, str], name: str = "CSV", date_format: str = "%Y-%m-%d") -> Layout:
    """A layout for a delimited file with a header, from `{key: column}` (keys: `CSV_KEYS`)."""
    unknown = sorted(set(mapping) - set(CSV_KEYS))
    if unknown:
        raise ValueError(f"unknown mapping key(s) {', '.join(unknown)}; use {', '.join(CSV_KEYS)}")
    missing = [key for key in CSV_REQUIRED if key not in mapping]
    if missing:
        raise ValueError(f"the mapping needs {', '.join(missing)} (e.g. --map event_id=ID,date=Date,"
                         "source=Actor1,target=Actor2)")
    if "quad" not in mapping and "code" not in mapping:
        raise ValueError("the mapping needs quad (1-4) or code (a CAMEO code) to tell cooperation from conflict")
    quoted = {key: '"' + column.replace('"', '""') + '"' for key, column in mapping.items()}
    types = {mapping["date"]: "DATE"}
    for key, kind in (("quad", QUAD_TYPE), ("goldstein", "DOUBLE"), ("mentions", "INTEGER"), ("sources", "INTEGER")):
        if key in mapping:
            types[mapping[key]] = kind
    select = {"event_id": quoted["event_id"], "day": quoted["date"], "source_code": quoted["source"],
              "source_country": quoted["source"], "source_group": quoted.get("source_group", "NULL"),
              "source_name": quoted["source"], "target_code": quoted["target"],
              "target_country": quoted["target"], "target_group": quoted.get("target_group", "NULL"),
              "target_name": quoted["target"], "event_code": quoted.get("code", "NULL"), "root": "true",
              "quad": (f"CAST({quoted['quad']} AS VARCHAR)::TINYINT" if "quad" in mapping
                       else CAMEO_QUAD_SQL.format(code=quoted["code"])),
              "goldstein": quoted.get("goldstein", "NULL"), "mentions": quoted.get("mentions", "1"),
              "sources": quoted.get("sources", "1"), "articles": "1", "url": quoted.get("url", "NULL")}
    return Layout("csv", name, header=True, types=types, select=select, date_format=date_format, country_names=True,
                  delimiter=None, quote='"')


LAYOUTS = {layout.key: layout for layout in (GDELT1, GDELT2, ICEWS, POLECAT)}
FORMATS = (*LAYOUTS, "csv")


@functools.cache
def _cameo_words() -> dict[str, str]:
    path = Path(__file__).resolve().parent / "CAMEO.eventcodes.txt"
    rows = path.read_text(encoding="utf-8").splitlines()[1:]
    return {code: text for code, _, text in (row.partition("\t") for row in rows) if code}


@functools.cache
def event_words(code: str | None) -> str:
    """A CAMEO code (or PLOVER category) in words, from the shipped vocabulary: `"042"` -> "Make a visit"."""
    if not code:
        return "event of no recorded type"
    if code.upper() in PLOVER_QUADS:
        return f"{code.upper().capitalize()} (PLOVER)"
    words = _cameo_words().get(code)
    return f"{words} (CAMEO {code})" if words else f"CAMEO {code}"
