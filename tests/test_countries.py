"""States recognised by name, ISO code or COW number: one record whatever the spelling, None for non-states."""

import pytest

from explorer.tables.countries import recognise


@pytest.mark.parametrize("text", ["USA", "United States of America", "2", "usa", "US", "United States"])
def test_every_spelling_of_the_united_states_is_one_state(text: str) -> None:
    state = recognise(text)
    assert state is not None
    assert (state.id, state.name, state.iso3, state.iso2, state.cow) == (
        "united_states", "United States", "USA", "US", "2")
    assert "United States of America" in state.aliases


@pytest.mark.parametrize(("text", "iso3"), [("IRN", "IRN"), ("Persia", "IRN"), ("Burma", "MMR"), ("Turkey", "TUR"),
                                            ("UK", "GBR"), ("365", "RUS"), ("NA", "NAM"), ("Ivory Coast", "CIV")])
def test_names_and_codes(text: str, iso3: str) -> None:
    state = recognise(text)
    assert state is not None and state.iso3 == iso3


@pytest.mark.parametrize("text", ["Taliban", "Hezbollah", "a1", "actor 3", "", "ZZZ", "1"])
def test_what_names_no_state_is_none(text: str) -> None:
    assert recognise(text) is None


def test_ids_are_plain_slugs() -> None:
    assert recognise("TUR").id == "turkiye"
    assert recognise("UK").iso2 == "GB"
