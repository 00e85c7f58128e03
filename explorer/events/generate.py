"""Generated event files in the exact published layouts, for tests and benchmarks (never shown as real data).

Rows are drawn from a seeded generator over a few dozen country codes and real CAMEO codes; URLs point to
`example.org` (reserved for examples), so a generated row can never pass for a real article.
"""

from __future__ import annotations

import os
from pathlib import Path

from explorer.events.formats import GDELT1_COLUMNS, GDELT2_COLUMNS

# CAMEO country codes (ISO-3) and one known group (TAL, Taliban), weighted towards the bundled actors' region.
COUNTRIES = ("AFG", "IRN", "AZE", "ISR", "TUR", "PAK", "TKM", "GEO", "UZB", "RUS", "CHN", "IND", "USA", "ARM", "QAT",
             "SAU", "GBR", "FRA", "DEU", "EGY", "IRQ", "SYR", "JOR", "ARE", "KAZ", "TJK", "UKR", "JPN", "KOR", "BRA")
EVENT_CODES = (("010", 1, 0.0), ("036", 1, 4.0), ("042", 1, 1.9), ("043", 1, 2.8), ("051", 1, 3.4),
               ("057", 1, 8.0), ("061", 2, 6.4), ("071", 2, 7.4), ("073", 2, 7.4), ("081", 2, 5.0),
               ("111", 3, -2.0), ("112", 3, -2.0), ("120", 3, -4.0), ("130", 3, -4.4), ("172", 4, -5.0),
               ("173", 4, -5.0), ("190", 4, -10.0), ("193", 4, -10.0), ("195", 4, -10.0), ("1823", 4, -10.0))


def _sql_list(values: tuple) -> str:
    return "[" + ", ".join(f"'{v}'" if isinstance(v, str) else str(v) for v in values) + "]"


def gdelt_rows_sql(count: int, seed: int = 1, first_id: int = 1, version: int = 2, start: str = "2019-01-01",
                   days: int = 730, countries: tuple[str, ...] = COUNTRIES, skew: float = 1.0) -> str:
    """SQL selecting `count` generated events in GDELT 1.0 (58 columns) or 2.0 (61 columns) order, as text: dated
    uniformly over `days` days from `start`, each side's country drawn from `countries`: uniformly, or with
    `skew` > 1 the first ones far more often (the k-th of n with probability ((k+1)/n)^(1/skew) − (k/n)^(1/skew)),
    as a few states fill most of real GDELT's news."""
    codes = _sql_list(tuple(c for c, _, _ in EVENT_CODES))
    quads, scores = _sql_list(tuple(q for _, q, _ in EVENT_CODES)), _sql_list(tuple(g for _, _, g in EVENT_CODES))
    h = f"hash(i + {seed * 1_000_003})"
    pick = lambda n, k: f"(({h} >> {k}) % {n})::INTEGER + 1"  # noqa: E731
    skewed = lambda n, k: f"floor({n} * pow((({h} >> {k}) % 1048573) / 1048573.0, {skew}))::INTEGER + 1"  # noqa: E731
    side = pick if skew == 1.0 else skewed
    c1, c2 = f"{_sql_list(countries)}[{side(len(countries), 3)}]", f"{_sql_list(countries)}[{side(len(countries), 11)}]"
    e = pick(len(EVENT_CODES), 19)
    day = f"(DATE '{start}' + (({h} >> 27) % {days})::INTEGER)"
    tal1, tal2 = f"(({h} >> 37) % 40 = 0)", f"(({h} >> 41) % 40 = 0)"
    geo = lambda c: ["'4'", f"'Capital, ' || {c}", f"left({c}, 2)", f"left({c}, 2) || '00'",  # noqa: E731
                     *(["'12345'"] if version == 2 else []), "'33.3'", "'44.4'", "'-123456'"]
    values = {
        "GLOBALEVENTID": f"(i + {first_id})::VARCHAR", "SQLDATE": f"strftime({day}, '%Y%m%d')",
        "MonthYear": f"strftime({day}, '%Y%m')", "Year": f"strftime({day}, '%Y')",
        "FractionDate": f"strftime({day}, '%Y') || '.5000'",
        "Actor1Code": f"CASE WHEN {tal1} THEN 'AFGINSTAL' ELSE {c1} || 'GOV' END",
        "Actor1Name": f"{c1} || ' GOVERNMENT'", "Actor1CountryCode": f"CASE WHEN {tal1} THEN 'AFG' ELSE {c1} END",
        "Actor1KnownGroupCode": f"CASE WHEN {tal1} THEN 'TAL' ELSE '' END", "Actor1Type1Code": "'GOV'",
        "Actor2Code": f"CASE WHEN {tal2} THEN 'AFGINSTAL' ELSE {c2} || 'GOV' END",
        "Actor2Name": f"{c2} || ' GOVERNMENT'", "Actor2CountryCode": f"CASE WHEN {tal2} THEN 'AFG' ELSE {c2} END",
        "Actor2KnownGroupCode": f"CASE WHEN {tal2} THEN 'TAL' ELSE '' END", "Actor2Type1Code": "'GOV'",
        "IsRootEvent": f"(({h} >> 45) % 3 = 0)::INTEGER::VARCHAR",
        "EventCode": f"{codes}[{e}]", "EventBaseCode": f"left({codes}[{e}], 3)",
        "EventRootCode": f"left({codes}[{e}], 2)", "QuadClass": f"{quads}[{e}]::VARCHAR",
        "GoldsteinScale": f"{scores}[{e}]::VARCHAR", "NumMentions": f"(1 + ({h} >> 49) % 20)::VARCHAR",
        "NumSources": f"(1 + ({h} >> 53) % 4)::VARCHAR", "NumArticles": f"(1 + ({h} >> 49) % 20)::VARCHAR",
        "AvgTone": "'-1.23456789012345'", "DATEADDED": f"strftime({day}, '%Y%m%d') || '143000'",
        "SOURCEURL": f"'https://example.org/generated/' || (i + {first_id})::VARCHAR || '.html'",
    }
    columns = GDELT2_COLUMNS if version == 2 else GDELT1_COLUMNS
    for prefix, c in (("Actor1Geo", c1), ("Actor2Geo", c2), ("ActionGeo", c1)):
        names = [n for n in columns if n.startswith(prefix + "_")]
        values.update(zip(names, geo(c), strict=True))
    select = ", ".join(f"{values.get(n, chr(39) * 2)} AS \"{n}\"" for n in columns)
    return f"SELECT {select} FROM range({count}) AS t(i)"


def write_gdelt(path: str | os.PathLike, count: int, seed: int = 1, first_id: int = 1, version: int = 2,
                **options) -> Path:
    """Write `count` generated GDELT events as the published export: tab-separated, no header, no quoting.
    `options` go to `gdelt_rows_sql`: the date range (`start`, `days`) and the `countries` drawn from."""
    import duckdb

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    query = gdelt_rows_sql(count, seed, first_id, version, **options)
    with duckdb.connect() as con:
        con.execute("SET enable_progress_bar = false")
        con.execute(f"COPY ({query}) TO '{target}' (FORMAT CSV, DELIMITER '\t', HEADER false, QUOTE '', "
                    "ESCAPE '')")
    return target
