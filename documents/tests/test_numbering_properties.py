"""Property tests for documents.numbering: round trips, idempotence and matching invariants.

Numbers are generated from their parts in both systems (docs/numbering.md §1), then typed the ways
reviewers and staff do: any case, Unicode dashes and slashes, spaces around separators.
"""

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from documents.numbering import (
    DOCUMENT_TYPES,
    Match,
    NumberError,
    complete_symbols,
    match,
    parse_number,
    parse_query,
)

# The project's autouse `settings` fixture is function-scoped but irrelevant to these pure
# functions, so hypothesis may reuse it across examples.
PROPERTIES = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

PARTY_TYPES = sorted({party for _name, _state, party in DOCUMENT_TYPES if party})
STATE_TYPES = sorted({state for _name, state, _party in DOCUMENT_TYPES if state})
PARTY_ISSUERS = ["TW", "VPTW", "TU", "VPTU", "BTGTU", "BTGDVTU", "UBKTTU", "ĐU", "ĐUK"]
STATE_ISSUERS = ["UBND", "HĐND", "CP", "TTg", "BNV", "CTUBND", "MTTQ", "HVTC"]
SUB_UNITS = ["KT", "ĐT", "KGVX", "KTN", "VPCP", "BTT"]
DASHES = ["-", " - ", "\u2013", " \u2014 ", "\u2010", "\u2212", "\uff0d"]
SLASHES = ["/", " / ", "\uff0f", "\u2044", "\u2215", " /"]

# Characters numbers are made of, with look-alikes, so that random text often parses.
NUMBERISH = string.digits + "KHTUQĐđÐðCVrybNDS/-.– :\u00a0\u200bố"

serials = st.integers(min_value=1, max_value=99_999)
years = st.integers(min_value=1990, max_value=2030)


@st.composite
def party_numbers(draw):
    """`n-TYPE/ISSUER`, as printed by Party bodies (docs/numbering.md §1.2)."""
    serial = draw(serials)
    return (
        f"{serial:02d}-{draw(st.sampled_from(PARTY_TYPES))}/{draw(st.sampled_from(PARTY_ISSUERS))}"
    )


@st.composite
def state_numbers(draw):
    """`n[/year]/TYPE-ISSUER[-SUB]`, a công văn `n/ISSUER-SUB` or a law `n/year/QHnn`."""
    serial = draw(serials)
    kind = draw(st.sampled_from(["typed", "letter", "law"]))
    if kind == "law":
        return f"{serial:02d}/{draw(years)}/QH{draw(st.integers(11, 15))}"
    year = draw(st.none() | years) if kind == "typed" else None
    groups = [draw(st.sampled_from(STATE_TYPES))] if kind == "typed" else []
    groups.append(draw(st.sampled_from(STATE_ISSUERS)))
    if kind == "letter" or draw(st.booleans()):
        groups.append(draw(st.sampled_from(SUB_UNITS)))
    return f"{serial:02d}" + (f"/{year}" if year else "") + "/" + "-".join(groups)


numbers = party_numbers() | state_numbers()


def retyped(text: str, rnd) -> str:
    """`text` with each letter in a random case and each separator in a look-alike form."""
    parts = []
    for char in text:
        if char == "-":
            parts.append(rnd.choice(DASHES))
        elif char == "/":
            parts.append(rnd.choice(SLASHES))
        elif char.isalpha():
            parts.append(rnd.choice((char.upper(), char.lower())))
        else:
            parts.append(char)
    return "".join(parts)


@st.composite
def numbers_as_typed(draw):
    """A generated number, its canonical display and a retyped variant with filler words."""
    display = parse_number(draw(numbers)).display
    variant = retyped(display, draw(st.randoms(use_true_random=False)))
    prefix = draw(st.sampled_from(["", "Số: ", "số ", "Số\u00a0", "\ufeff"]))
    return display, prefix + variant


@PROPERTIES
@given(numbers)
def test_display_round_trips_to_the_same_parts(text):
    number = parse_number(text)
    assert parse_number(number.display) == number


@PROPERTIES
@given(numbers_as_typed())
def test_retyped_number_parses_to_the_canonical_display(typed):
    display, variant = typed
    assert parse_number(variant).display == display


@PROPERTIES
@given(st.text(alphabet=NUMBERISH, max_size=30))
def test_display_is_idempotent_for_any_text(text):
    try:
        display = parse_number(text).display
    except NumberError:
        return
    assert parse_number(parse_number(display).display).display == display
    assert parse_number(display).display == display


@PROPERTIES
@given(st.text(alphabet=NUMBERISH, max_size=30))
def test_any_parsed_number_exactly_matches_its_display_as_a_query(text):
    try:
        number = parse_number(text)
    except NumberError:
        return
    assert match(parse_query(number.display), number) == Match.EXACT


@PROPERTIES
@given(numbers_as_typed())
def test_query_is_stable_under_case_changes(typed):
    _display, variant = typed
    query = parse_query(variant)
    assert query is not None
    assert parse_query(variant.upper()) == query
    assert parse_query(variant.lower()) == query
    assert parse_query(variant.swapcase()) == query


@PROPERTIES
@given(numbers_as_typed())
def test_query_is_stable_under_separator_and_space_variants(typed):
    display, variant = typed
    spaced = display.replace("-", " ").replace("/", " ")
    assert parse_query(variant) == parse_query(display) == parse_query(spaced)


@PROPERTIES
@given(numbers)
def test_number_exactly_matches_the_query_of_its_own_display(text):
    number = parse_number(text)
    assert match(parse_query(number.display), number) == Match.EXACT


@PROPERTIES
@given(numbers_as_typed())
def test_number_matches_any_retyping_of_itself(typed):
    display, variant = typed
    assert match(parse_query(variant), parse_number(display)) in (Match.EXACT, Match.LOOSE)


@PROPERTIES
@given(numbers, serials)
def test_match_never_matches_a_different_serial(text, other_serial):
    number = parse_number(text)
    if other_serial == number.serial:
        other_serial += 1
    query = parse_query(f"{other_serial} " + " ".join(number.tokens))
    assert match(query, number) is None


@PROPERTIES
@given(numbers, st.integers(min_value=0, max_value=9))
def test_serial_prefixes_and_extensions_never_match(text, digit):
    number = parse_number(text)
    longer = parse_query(f"{number.serial}{digit}")
    assert match(longer, number) is None
    if number.serial >= 10:
        shorter = parse_query(str(number.serial)[:-1])
        assert match(shorter, number) is None


@PROPERTIES
@given(st.text(max_size=60))
def test_query_parsing_never_fails(text):
    query = parse_query(text)
    if query is not None:
        assert query.serial is not None or query.tokens


@PROPERTIES
@given(st.text(max_size=60))
def test_number_parsing_fails_only_with_a_number_error(text):
    try:
        number = parse_number(text)
    except NumberError as error:
        assert str(error)
    else:
        assert number.serial > 0 and number.tokens


@PROPERTIES
@given(numbers, st.text(alphabet=NUMBERISH, max_size=30))
def test_a_complete_match_has_one_of_the_complete_symbols(text, typed):
    """The number search reads these symbols first and nothing else can rank above partial."""
    number = parse_number(text)
    for query in (parse_query(typed), parse_query(number.display), parse_query("cv " + text)):
        if query is not None and match(query, number) in (Match.EXACT, Match.LOOSE):
            assert "".join(number.loose_tokens) in complete_symbols(query)


@PROPERTIES
@given(numbers, st.text(alphabet=NUMBERISH, max_size=30))
def test_a_number_that_matches_holds_the_query_words_the_database_looks_for(text, typed):
    """`number_candidates` asks for every token, or all of them joined, among the words of
    `search_key`: a superset of what `match` accepts."""
    number = parse_number(text)
    words = set(number.search_key.split())
    for query in (parse_query(typed), parse_query(number.display), parse_query("cv " + text)):
        if query is not None and query.tokens and match(query, number) is not None:
            tokens = set(query.loose_tokens)
            assert tokens <= words or "".join(query.loose_tokens) in words
