import pytest

from qimap.geo.geocode import NotFound, geocode
from qimap.geo.places import GeocodeIndex, Place, build_index


@pytest.fixture(scope="module")
def index() -> GeocodeIndex:
    return build_index()


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("02108", "02108 (Boston, MA)"),
        ("02108-1234", "02108 (Boston, MA)"),
        ("Boston, MA", "Boston, MA"),
        ("boston ma", "Boston, MA"),
        ("  Boston ,  Massachusetts ", "Boston, MA"),
        ("St. Paul, MN", "Saint Paul, MN"),
        ("Washington, District of Columbia", "Washington, DC"),
        ("Tahlequah", "Tahlequah, OK"),
    ],
)
def test_places_are_found(index: GeocodeIndex, query: str, label: str) -> None:
    place = geocode(query, index)
    assert isinstance(place, Place)
    assert place.label == label


def test_boston_is_where_boston_is(index: GeocodeIndex) -> None:
    place = geocode("Boston, MA", index)
    assert isinstance(place, Place)
    assert 42.2 < place.latitude < 42.5
    assert -71.2 < place.longitude < -70.9


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("99999", "No ZIP code 99999"),
        ("0210", "five digits"),
        ("Xyzzyville", "No place called"),
        ("Boston, ZZ", "No place called"),
        ("Springfield", "several states"),
        ("", "Type a ZIP code"),
        ("<img src=x onerror=alert(1)>", "No place called"),
    ],
)
def test_unknown_places_get_a_helpful_message(
    index: GeocodeIndex, query: str, fragment: str
) -> None:
    result = geocode(query, index)
    assert isinstance(result, NotFound)
    assert fragment in result.message


def test_ambiguous_city_suggests_the_biggest_first(index: GeocodeIndex) -> None:
    result = geocode("Boston", index)
    assert isinstance(result, NotFound)
    assert "“Boston, MA”" in result.message


# --- "City, ST" reads the state by the one rule (qimap.model.usstates): a code or a name ---


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("Washington, D.C.", "Washington, DC"),
        ("Washington DC", "Washington, DC"),
        ("San Juan, Puerto Rico", "San Juan, PR"),
        ("Boston, M.A.", "Boston, MA"),
    ],
)
def test_city_with_a_state_variant(index: GeocodeIndex, query: str, label: str) -> None:
    place = geocode(query, index)
    assert isinstance(place, Place)
    assert place.label == label


@pytest.mark.parametrize("query", ["Boston, 25", "Boston, Masachusets"])
def test_city_with_a_fips_number_or_a_misspelt_state_is_not_guessed(
    index: GeocodeIndex, query: str
) -> None:
    result = geocode(query, index)
    assert isinstance(result, NotFound)
    assert f"No place called “{query}”" in result.message
