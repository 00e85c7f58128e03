"""Event layer: each format's parser on files in the exact layouts, actor mapping, dyad-months against pandas."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from explorer.cli import main
from explorer.events.actors import SHIPPED, read_mapping
from explorer.events.dyads import Thresholds
from explorer.events.formats import (
    GDELT1,
    GDELT1_COLUMNS,
    GDELT2,
    GDELT2_COLUMNS,
    ICEWS,
    POLECAT,
    POLECAT_COLUMNS,
    csv_layout,
)
from explorer.events.generate import write_gdelt
from explorer.events.ingest import EventFileError, events_path, import_events
from explorer.events.layer import LayerError, build_layer, event_layer
from explorer.graph.event_ties import event_ties, pair_ties, with_activity
from explorer.graph.timerule import TimeRule, activity
from explorer.model import partial_date_bounds
from explorer.tables import load_dataset


@pytest.fixture(scope="module")
def actors() -> pd.DataFrame:
    return load_dataset().dataset.actors


def gdelt_line(event_id: str, day: str, actor1: tuple[str, str, str], actor2: tuple[str, str, str], code: str,
               quad: str, goldstein: str, mentions: str = "3", sources: str = "1", root: str = "1",
               url: str = "https://example.org/a", version: int = 2) -> str:
    """One GDELT export row: actors as (code, country, known group); every other column as the codebook orders it."""
    columns = GDELT2_COLUMNS if version == 2 else GDELT1_COLUMNS
    values = dict.fromkeys(columns, "")
    values.update({"GLOBALEVENTID": event_id, "SQLDATE": day, "MonthYear": day[:6], "Year": day[:4],
                   "FractionDate": f"{day[:4]}.5", "IsRootEvent": root, "EventCode": code, "EventBaseCode": code[:3],
                   "EventRootCode": code[:2], "QuadClass": quad, "GoldsteinScale": goldstein,
                   "NumMentions": mentions, "NumSources": sources, "NumArticles": mentions, "AvgTone": "-1.5",
                   "DATEADDED": day + "000000", "SOURCEURL": url})
    for number, (code_, country, group) in ((1, actor1), (2, actor2)):
        values.update({f"Actor{number}Code": code_, f"Actor{number}Name": code_, f"Actor{number}CountryCode": country,
                       f"Actor{number}KnownGroupCode": group})
    return "\t".join(values[c] for c in columns)


IRN, AZE, ISR = ("IRNGOV", "IRN", ""), ("AZEGOV", "AZE", ""), ("ISRMIL", "ISR", "")
AFG, TAL = ("AFGGOV", "AFG", ""), ("AFGINSTAL", "AFG", "TAL")


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def stored(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(events_path(folder))


# --- parsers -------------------------------------------------------------------------------------------------------

def test_gdelt2_reads_every_good_row_reports_bad_ones_by_file_and_line_and_counts_an_id_once(tmp_path):
    first = write(tmp_path / "20191024143000.export.CSV", [
        gdelt_line("101", "20191024", IRN, AZE, "042", "1", "1.9"),
        gdelt_line("102", "20191024", IRN, ISR, "190", "4", "-10.0"),
        "103\t20191024\ttoo\tfew\tcolumns",
        gdelt_line("104", "2019102X", IRN, AZE, "042", "1", "1.9"),  # no such date
        gdelt_line("105", "20191024", IRN, AZE, "042", "7", "1.9"),  # no such quad class
        gdelt_line("101", "20191024", IRN, AZE, "042", "1", "1.9"),  # the same event again
    ])
    report = import_events([first], GDELT2, tmp_path / "data")
    assert (report.read, report.added, report.repeated, report.stored) == (3, 2, 1, 2)
    assert [(b.file, b.row, b.column) for b in report.bad] == [
        ("20191024143000.export.CSV", 3, "Actor1Code"),
        ("20191024143000.export.CSV", 4, "SQLDATE"),
        ("20191024143000.export.CSV", 5, "QuadClass")]
    assert {b.code for b in report.bad} == {"unparsable"}  # DuckDB's rejects: each line that does not parse
    events = stored(tmp_path / "data").sort_values("event_id")
    assert list(events["event_id"]) == ["101", "102"]
    row = events.iloc[1]
    assert (row["day"].date() if hasattr(row["day"], "date") else row["day"]) == dt.date(2019, 10, 24)
    assert (row["source_country"], row["target_country"], row["event_code"], row["quad"], row["goldstein"],
            row["url"]) == ("IRN", "ISR", "190", 4, -10.0, "https://example.org/a")

    zipped = tmp_path / "20191024144500.export.CSV.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("20191024144500.export.CSV", gdelt_line("101", "20191024", IRN, AZE, "042", "1", "1.9")
                         + "\n" + gdelt_line("106", "20191025", AZE, ISR, "036", "1", "4.0") + "\n")
    again = import_events([first, zipped], GDELT2, tmp_path / "data")
    assert (again.read, again.added, again.repeated, again.stored) == (5, 1, 4, 3)
    assert {b.file for b in again.bad} == {"20191024143000.export.CSV"}
    assert sorted(stored(tmp_path / "data")["event_id"]) == ["101", "102", "106"]
    assert set(stored(tmp_path / "data")["file"]) == {"20191024143000.export.CSV",
                                                       "20191024144500.export.CSV.zip:20191024144500.export.CSV"}


def test_gdelt1_reads_both_daily_layouts_and_gzip(tmp_path):
    new = write(tmp_path / "20160728.export.CSV", [gdelt_line("1", "20160728", IRN, AZE, "057", "1", "8.0",
                                                              version=1)])
    old_line = gdelt_line("2", "19820105", IRN, ISR, "111", "3", "-2.0", version=1).rsplit("\t", 1)[0]
    assert old_line.count("\t") == 56  # 57 columns: files before April 2013 have no SOURCEURL
    old = tmp_path / "1982.csv.gz"
    old.write_bytes(gzip.compress((old_line + "\n").encode()))
    report = import_events([new, old], GDELT1, tmp_path / "data")
    assert (report.read, report.added, report.bad) == (2, 2, ())
    events = stored(tmp_path / "data").set_index("event_id")
    assert events.loc["1", "url"] == "https://example.org/a" and pd.isna(events.loc["2", "url"])
    assert events.loc["2", "quad"] == 3 and set(events["dataset"]) == {"GDELT 1.0"}


ICEWS_HEADER = ("Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\tIntensity\t"
                "Target Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\tPublisher\tCity\tDistrict\t"
                "Province\tCountry\tLatitude\tLongitude")


def test_icews_by_its_column_names_with_country_names_and_quad_from_the_cameo_root(tmp_path):
    path = write(tmp_path / "events.2018.tab", [
        ICEWS_HEADER,
        "1\t2018-06-01\tGovernment (Iran)\tGovernment\tIran\tConsult\t040\t1\tGovernment (Azerbaijan)\tGovernment\t"
        "Azerbaijan\t47400351\t2\tTrend\tBaku\tNA\tBaku\tAzerbaijan\t40.4\t49.8",
        "2\t2018-06-01\tTaliban\tInsurgents\tAfghanistan\tFight with small arms\t190\t-10\tPolice (Afghanistan)\t"
        "Police\tAfghanistan\t47400352\t1\tAFP\tKabul\tNA\tKabul\tAfghanistan\t34.5\t69.2",
        "3\t2018-06-02\tIran\tNA\tIran\tAccuse\t112\tloud\tIsrael\tNA\tIsrael\t1\t1\tX\tNA\tNA\tNA\tNA\tNA\tNA",
    ])
    report = import_events([path], ICEWS, tmp_path / "data")
    assert (report.read, report.added) == (2, 2)
    assert [(b.row, b.column) for b in report.bad] == [(4, "Intensity")]
    events = stored(tmp_path / "data").set_index("event_id")
    assert tuple(events.loc["1", ["source_country", "target_country", "quad", "goldstein"]]) == ("IRN", "AZE", 1, 1.0)
    assert tuple(events.loc["2", ["source_group", "source_country", "quad"]]) == ("Taliban", "AFG", 4)


def test_a_file_without_the_formats_columns_is_refused_by_name(tmp_path):
    path = write(tmp_path / "x.tab", ["Event ID\tDate", "1\t2020-01-01"])
    with pytest.raises(EventFileError, match=r"x.tab: line 1: no column 'CAMEO Code'"):
        import_events([path], ICEWS, tmp_path / "data")
    assert not events_path(tmp_path / "data").exists()


def polecat_line(values: dict[str, str]) -> str:
    """One POLECAT row: the named columns set, every other column of the published header empty."""
    return "\t".join(values.get(column, "") for column in POLECAT_COLUMNS)


def test_polecat_by_its_column_names_with_quad_from_the_plover_category(tmp_path):
    rows = [("a1", "2023-01-15", "AGREE", "4.0", "Iran", "IRN", "Azerbaijan", "AZE"),
            ("a2", "2023-01-16", "ASSAULT", "-9.0", "Israel", "ISR", "Iran", "IRN"),
            ("a3", "2023-01-16", "WHATEVER", "1", "Israel", "ISR", "Iran", "IRN")]
    named = ("Event ID", "Event Date", "Event Type", "Intensity", "Actor Name", "Actor Country", "Recipient Name",
             "Recipient Country")
    lines = [polecat_line(dict(zip(named, row, strict=True))) for row in rows]
    path = write(tmp_path / "ngec_coded_2023.txt", ["\t".join(POLECAT_COLUMNS), *lines])
    # Some POLECAT files call the intensity `Event Intensity` (see formats.POLECAT): read in the same import.
    header = ["Event Intensity" if column == "Intensity" else column for column in POLECAT_COLUMNS]
    renamed = write(tmp_path / "ngec_coded_2024.txt", ["\t".join(header), "\t".join(
        {"Event ID": "b1", "Event Date": "2024-02-01", "Event Type": "AID", "Event Intensity": "3.5",
         "Actor Country": "IRN", "Recipient Country": "AZE"}.get(column, "") for column in header)])
    report = import_events([path, renamed], POLECAT, tmp_path / "data")
    assert (report.read, report.added) == (3, 3)
    assert [(b.row, b.column, b.code) for b in report.bad] == [(0, "quad", "isin")] and "a3" in report.bad[0].message
    events = stored(tmp_path / "data").sort_values("event_id")
    assert list(events["quad"]) == [1, 4, 2] and list(events["goldstein"]) == [4.0, -9.0, 3.5]


def test_generic_csv_through_a_column_mapping(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("ID,When,From,To,CAMEO,Link\nx1,2024-03-02,Iran,AZE,036,https://example.org/x1\n"
                    "x2,2024-03-05,IRN,Israel,190,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="needs target"):
        csv_layout({"event_id": "ID", "date": "When", "source": "From", "code": "CAMEO"})
    layout = csv_layout({"event_id": "ID", "date": "When", "source": "From", "target": "To", "code": "CAMEO",
                         "url": "Link"}, "My feed")
    import_events([path], layout, tmp_path / "data")  # comma-separated: the reader follows the file's delimiter
    events = stored(tmp_path / "data").set_index("event_id")
    assert tuple(events.loc["x1", ["source_country", "target_country", "quad", "dataset"]]) == (
        "IRN", "AZE", 1, "My feed")
    assert tuple(events.loc["x2", ["target_country", "quad"]]) == ("ISR", 4)


# --- actors ----------------------------------------------------------------------------------------------------------

def test_afghanistan_changes_hands_on_2021_08_15_and_tal_is_the_taliban(tmp_path, actors):
    path = write(tmp_path / "e.CSV", [
        gdelt_line("1", "20210814", AFG, IRN, "042", "1", "1.9"),
        gdelt_line("2", "20210815", AFG, IRN, "042", "1", "1.9"),
        gdelt_line("3", "20200101", TAL, IRN, "190", "4", "-10.0"),
        gdelt_line("4", "20200101", ("GBRGOV", "GBR", ""), IRN, "190", "4", "-10.0"),
        gdelt_line("5", "20200102", ("GBRGOV", "GBR", ""), ("FRAGOV", "FRA", ""), "190", "4", "-10.0"),
        gdelt_line("6", "20200102", ("GBRGOV", "GBR", ""), ("FRAGOV", "FRA", ""), "042", "1", "1.9"),  # same day
    ])
    import_events([path], GDELT2, tmp_path)
    layer = build_layer(tmp_path, actors)
    pairs = {(r.source, r.target, r.month) for r in layer.dyads.itertuples()}
    assert pairs == {("afghanistan_republic", "iran", "2021-08"), ("iran", "taliban", "2021-08"),
                     ("iran", "taliban", "2020-01")}
    assert dict(zip(layer.unmapped["code"], layer.unmapped["events"], strict=True)) == {"GBR": 3, "FRA": 2}


def test_the_code_table_reports_unknown_actors_bad_dates_and_overlaps(tmp_path, actors):
    table = tmp_path / "events" / "actors.csv"
    table.parent.mkdir()
    table.write_text("code,actor,from,until,note\nTAL,nobody,,,\nAFG,taliban,2021-13,,\nAFG,taliban,2021,,\n"
                     "AFG,afghanistan_republic,2020,2021-06,\n", encoding="utf-8")
    _rows, problems = read_mapping(actors, table)
    assert [str(p) for p in problems] == [
        "events/actors.csv:2:actor: no actor 'nobody' in actors.csv",
        "events/actors.csv:3:from: not a date (YYYY, YYYY-MM or YYYY-MM-DD in ASCII digits): '2021-13'",
        "events/actors.csv:5:from: AFG already stands for taliban on some of these days (events/actors.csv:4)"]
    assert [p.code for p in problems] == ["isin", "partial_date", "overlapping_mapping"]
    write(tmp_path / "e.CSV", [gdelt_line("1", "20210814", AFG, IRN, "042", "1", "1.9")])
    import_events([tmp_path / "e.CSV"], GDELT2, tmp_path)
    with pytest.raises(LayerError, match="no actor 'nobody'"):
        build_layer(tmp_path, actors)
    assert read_mapping(actors, SHIPPED)[1] == []


# --- dyad-months against a direct pandas computation ------------------------------------------------------------------

def pandas_dyad_months(path: Path, actors: pd.DataFrame, thresholds: Thresholds) -> pd.DataFrame:
    """The same figures computed another way: pandas over the raw file, the mapping written out by hand."""
    raw = pd.read_csv(path, sep="\t", header=None, names=list(GDELT2_COLUMNS), dtype=str, keep_default_na=False,
                      quoting=3)
    day = pd.to_datetime(raw["SQLDATE"], format="%Y%m%d")
    states = actors[actors["kind"].isin(["state", "de_facto_government"]) & (actors["country"] != "")]
    by_country = {c: g.index[0] for c, g in states.groupby("country") if len(g) == 1}

    def actor(group: pd.Series, country: pd.Series) -> pd.Series:
        afghan = np.where(day < pd.Timestamp("2021-08-15"), "afghanistan_republic", "taliban")
        found = country.map(by_country).where(country != "AFG", pd.Series(afghan, index=country.index))
        found = found.where(country.isin([*by_country, "AFG"]))
        return found.where(group != "TAL", "taliban")

    frame = pd.DataFrame({
        "a": actor(raw["Actor1KnownGroupCode"], raw["Actor1CountryCode"]),
        "b": actor(raw["Actor2KnownGroupCode"], raw["Actor2CountryCode"]),
        "month": day.dt.strftime("%Y-%m"), "quad": raw["QuadClass"].astype(int),
        "goldstein": raw["GoldsteinScale"].astype(float), "mentions": raw["NumMentions"].astype(int),
        "sources": raw["NumSources"].astype(int), "root": raw["IsRootEvent"] == "1"})
    keep = frame["a"].notna() & frame["b"].notna() & (frame["a"] != frame["b"])
    keep &= (frame["mentions"] >= thresholds.min_mentions) & (frame["sources"] >= thresholds.min_sources)
    if thresholds.root_only:
        keep &= frame["root"]
    frame = frame[keep]
    frame = frame.assign(source=np.minimum(frame["a"], frame["b"]), target=np.maximum(frame["a"], frame["b"]))
    for quad, name in enumerate(("verbal_cooperation", "material_cooperation", "verbal_conflict",
                                 "material_conflict"), start=1):
        frame[name] = (frame["quad"] == quad).astype(int)
    result = frame.groupby(["source", "target", "month"], as_index=False).agg(
        events=("quad", "size"), verbal_cooperation=("verbal_cooperation", "sum"),
        material_cooperation=("material_cooperation", "sum"), verbal_conflict=("verbal_conflict", "sum"),
        material_conflict=("material_conflict", "sum"), goldstein=("goldstein", "sum"),
        mentions=("mentions", "sum"), sources=("sources", "sum"))
    cooperative = result["verbal_cooperation"] + result["material_cooperation"]
    conflictual = result["verbal_conflict"] + result["material_conflict"]
    result["weight"] = (cooperative - conflictual) / (cooperative + conflictual)
    return result


@pytest.mark.parametrize("thresholds", [Thresholds(), Thresholds(root_only=False, min_mentions=5, min_sources=2)])
def test_dyad_months_match_a_direct_pandas_computation(tmp_path, actors, thresholds):
    path = write_gdelt(tmp_path / "gen.export.CSV", 20_000, seed=7, start="2021-01-01", days=400)
    import_events([path], GDELT2, tmp_path)
    ours = build_layer(tmp_path, actors, thresholds).dyads
    theirs = pandas_dyad_months(path, actors, thresholds)
    assert len(ours) == len(theirs) > 500
    merged = ours.merge(theirs, on=["source", "target", "month"], suffixes=("", "_pandas"))
    assert len(merged) == len(ours)
    for column in ("events", "verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict",
                   "mentions", "sources"):
        assert (merged[column] == merged[f"{column}_pandas"]).all(), column
    assert np.allclose(merged["goldstein"], merged["goldstein_pandas"], atol=1e-6)
    assert np.allclose(merged["weight"], merged["weight_pandas"], atol=1e-4)
    assert {"afghanistan_republic", "taliban"} <= set(ours["source"]) | set(ours["target"])


def test_top_events_are_the_most_mentioned_with_their_urls(tmp_path, actors):
    lines = [gdelt_line(str(i), "20200105", IRN, AZE, "042", "1", "1.9", mentions=str(i),
                        url=f"https://example.org/{i}") for i in range(1, 9)]
    lines.append(gdelt_line("9", "20200106", IRN, AZE, "190", "4", "-10.0", mentions="50", url="javascript:alert(1)"))
    import_events([write(tmp_path / "e.CSV", lines)], GDELT2, tmp_path)
    layer = build_layer(tmp_path, actors)
    top = layer.top_events("iran", "azerbaijan")
    assert list(top["event_id"]) == ["9", "8", "7", "6", "5"]
    result = event_ties(layer, month="2020-01")
    (tie,) = result["ties"]
    assert (tie["source"], tie["target"], tie["events"], tie["cooperative"], tie["conflictual"]) == (
        "azerbaijan", "iran", 9, 8, 1)
    assert tie["weight"] == round(7 / 9, 4) and tie["goldstein"] == round(8 * 1.9 - 10, 1)
    assert tie["urls"] == [f"https://example.org/{i}" for i in (8, 7, 6, 5)]  # never a javascript: link
    assert result["machine_coded"] is True
    assert result["credit"] == "Event data: The GDELT Project, https://www.gdeltproject.org/"


def test_the_curated_time_rule_weighs_dyad_months_as_events_dated_on_their_last_day(tmp_path, actors):
    lines = [gdelt_line("1", "20200110", IRN, AZE, "042", "1", "1.9"),
             gdelt_line("2", "20200610", IRN, AZE, "190", "4", "-10.0"),
             gdelt_line("3", "20210710", IRN, AZE, "042", "1", "1.9")]
    import_events([write(tmp_path / "e.CSV", lines)], GDELT2, tmp_path)
    dyads = build_layer(tmp_path, actors).dyads
    rule = TimeRule(12, "linear")
    active = with_activity(dyads, "2020-12-31", rule)
    assert list(active["month"]) == ["2020-01", "2020-06"]
    ends = np.array([partial_date_bounds("2020-01")[1], partial_date_bounds("2020-06")[1]])
    expected = activity(np.ones(2, dtype=bool), ends, ends, partial_date_bounds("2020-12-31")[1], rule)
    assert np.allclose(active["activity"], expected.round(4))
    (tie,) = pair_ties(active)
    a, b = expected
    assert tie.weight == pytest.approx((a - b) / (a + b), abs=1e-4)
    assert list(with_activity(dyads, "2020-01-30", rule)["month"]) == []  # January counts from its last day
    assert list(with_activity(dyads, "2020-01", rule)["month"]) == ["2020-01"]


# --- CLI -------------------------------------------------------------------------------------------------------------

def test_cli_import_then_ties_as_json(tmp_path, capsys):
    folder = tmp_path / "data"
    for table in Path("data").glob("*.csv"):
        (folder / table.name).parent.mkdir(exist_ok=True)
        (folder / table.name).write_bytes(table.read_bytes())
    path = write(tmp_path / "e.CSV", [gdelt_line("1", "20200110", IRN, AZE, "042", "1", "1.9"), "bad\trow"])
    assert main(["events", "import", str(path), "--format", "gdelt2", "-o", str(folder), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["read"], report["added"], report["bad"][0]["file"], report["bad"][0]["line"]) == (1, 1, "e.CSV", 2)
    assert main(["events", "ties", "--data", str(folder), "--month", "2020-01", "--actor", "Iran", "--json"]) == 0
    (tie,) = json.loads(capsys.readouterr().out)["ties"]
    assert {k: tie[k] for k in ("source", "target", "month", "events", "verbal_cooperation", "goldstein", "weight",
                                "urls")} == {"source": "azerbaijan", "target": "iran", "month": "2020-01",
                                             "events": 1, "verbal_cooperation": 1, "goldstein": 1.9, "weight": 1.0,
                                             "urls": ["https://example.org/a"]}
    assert main(["events", "ties", "--data", str(folder), "--month", "2020-13"]) == 2
    assert "YYYY-MM" in capsys.readouterr().err
    assert main(["events", "import", str(path), "--format", "csv", "-o", str(folder)]) == 2


def test_the_bundled_real_sample_is_imported_after_its_md5_check(bundled_copy, actors):
    layer = event_layer(bundled_copy, actors)
    assert layer.datasets == ("GDELT 2.0", "ICEWS") and layer.events == 44 + 266
    gdelt = pd.read_parquet(events_path(bundled_copy)).query("dataset == 'GDELT 2.0'")
    assert gdelt["url"].str.match(r"^https?://").all() and not gdelt["url"].str.contains("example").any()
    (bundled_copy / "events" / "gdelt-20191024143000-region.export.CSV").write_bytes(b"changed\n")
    shutil.rmtree(bundled_copy / "store")
    with pytest.raises(LayerError, match=r"manifest.csv:2:md5: gdelt-20191024143000-region.export.CSV"):
        event_layer(bundled_copy, actors)


def test_check_axis_with_the_events_lens_sets_the_event_verdicts_beside_the_curated_ones(bundled_copy, capsys):
    args = ["check-axis", "Russia", "China", "--against", "United States", "--data", str(bundled_copy),
            "--as-of", "2019-10-31"]
    assert main([*args, "--lens", "events", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert main(["events", "ties", "--data", str(bundled_copy), "--as-of", "2019-10-31", "--json"]) == 0
    rows = pd.DataFrame(json.loads(capsys.readouterr().out)["ties"])
    events = result["events"]
    assert events["machine_coded"] and result["as_of"] == "2019-10-31" and "verdict" in result
    for pair in events["pairs"]:
        found = rows[(rows["source"] == min(pair["a"], pair["b"])) & (rows["target"] == max(pair["a"], pair["b"]))]
        if found.empty:
            assert pair["verdict"] == "no evidence" and pair["tie"] is None
            continue
        # the curated rule over the events weighed by the time rule: 75 % of them one way decides
        towards = (found["activity"] * found["cooperative" if pair["expected"] == "cooperative" else "conflictual"])
        share = towards.sum() / (found["activity"] * (found["cooperative"] + found["conflictual"])).sum()
        assert pair["share_expected_way"] == pytest.approx(share, abs=1e-4)
        assert pair["verdict"] == ("supported" if share >= 0.75 else "contradicted" if share <= 0.25 else "mixed")
    assert [p["verdict"] for p in events["pairs"]] == ["supported", "supported", "contradicted"]
    assert main([*args, "--lens", "events"]) == 0
    assert "Machine-coded event data (not verified" in capsys.readouterr().out


def test_importing_the_same_clean_file_twice_stores_nothing_new(tmp_path):
    path = write_gdelt(tmp_path / "g.export.CSV", 500, seed=5)
    first = import_events([path], GDELT2, tmp_path)
    again = import_events([path], GDELT2, tmp_path)
    assert (first.added, first.bad) == (500, ())
    assert (again.read, again.added, again.repeated, again.stored) == (500, 0, 500, 500)
    assert len(stored(tmp_path)) == 500 and len(list(events_path(tmp_path).glob("part-*.parquet"))) == 1
    more = write_gdelt(tmp_path / "h.export.CSV", 300, seed=6, first_id=401)  # ids 401-700: 100 already stored
    third = import_events([more], GDELT2, tmp_path)
    assert (third.added, third.repeated, third.stored) == (200, 100, 700)
    assert stored(tmp_path)["event_id"].is_unique
