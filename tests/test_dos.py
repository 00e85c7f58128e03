"""Hostile input that once starved or crashed the server: Unicode digits, leaks of server paths, URL ranges,
quadratic text processing, exploding uploads. Every input is small and generated here."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explorer.cli import main as cli
from explorer.model import DateError, partial_date_bounds, whole_number
from explorer.tables import load_dataset
from tests.conftest import TINY, write_tables

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "explorer" / "app" / "main.py")
ARABIC_YEAR, FULL_WIDTH_YEAR = "٢٠٢٥", "２０２５"


def run_app(params: dict[str, str] | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    for key, value in (params or {}).items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, app.exception
    return app


def notices(app: AppTest) -> str:
    return " ".join(i.value for i in app.info).replace("\\", "")  # markdown escapes dropped


# ---- ASCII digits only ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [ARABIC_YEAR, FULL_WIDTH_YEAR, "2025-٠٦", "2025-06-٠١", "२०२५"])
def test_a_date_in_other_digits_is_not_a_date(text):
    with pytest.raises(DateError):
        partial_date_bounds(text)


@pytest.mark.parametrize("text", ["٣", "１０", "1e3", "", "1_000", "10000000000"])
def test_a_whole_number_is_ascii_digits_only(text):
    with pytest.raises(ValueError):
        whole_number(text)


def test_validate_names_file_row_and_column_of_a_unicode_digit_date(tmp_path, capsys):
    tables = {name: [dict(r) for r in rows] for name, rows in TINY.items()}
    tables["relations.csv"][0]["start"] = ARABIC_YEAR
    tables["sources.csv"][1]["published"] = FULL_WIDTH_YEAR
    data = write_tables(tmp_path, tables)
    assert cli(["validate", "--data", str(data)]) == 1
    out = capsys.readouterr().out
    assert f"relations.csv:2:start: malformed or impossible date '{ARABIC_YEAR}'" in out
    assert f"sources.csv:3:published: malformed or impossible date '{FULL_WIDTH_YEAR}'" in out
    assert "r1" not in load_dataset(data).dataset.relations.index


@pytest.mark.parametrize("argv", [["export", "--format", "csv", "--from", ARABIC_YEAR],
                                  ["export", "--format", "csv", "--as-of", FULL_WIDTH_YEAR],
                                  ["export", "--format", "csv", "--hops", "٢"],
                                  ["blocs", "--k", "٣"], ["path", "iran", "israel", "--max-length", "３"]])
def test_cli_refuses_unicode_digits_and_writes_nothing(tmp_path, capsys, argv):
    output = tmp_path / "out.csv"
    extra = ["-o", str(output)] if argv[0] == "export" else []
    assert cli([*argv, *extra]) == 2
    assert "error:" in capsys.readouterr().err
    assert not output.exists()


def test_unicode_digit_dates_in_the_url_get_a_notice_not_a_traceback():
    app = run_app({"from": ARABIC_YEAR, "as_of": ARABIC_YEAR, "to": FULL_WIDTH_YEAR, "hops": "٢", "k": "٣"})
    said = notices(app)
    for key in ("from", "to", "as_of", "hops", "k"):
        assert f"{key}:" in said, (key, said)


# ---- nothing of the server in the page -----------------------------------------------------------------------


def test_shipped_config_caps_uploads_and_hides_error_details():
    from explorer.tables.upload import MAX_UPLOAD_BYTES

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 2**20 == MAX_UPLOAD_BYTES
    assert config["client"]["showErrorDetails"] == "none"  # False would mean "stacktrace"
    assert config["client"]["toolbarMode"] == "minimal"


def test_sidebar_names_the_data_set_not_its_server_path(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_DATA", str(write_tables(tmp_path / "secret-place", TINY)))
    app = run_app()
    shown = " ".join(c.value for c in app.sidebar.caption)
    assert "data set “data”" in shown
    assert str(tmp_path) not in shown and "secret-place" not in shown
