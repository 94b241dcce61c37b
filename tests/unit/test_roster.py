"""Reading rosters: typed lists and CSV files, every bad line reported, nothing guessed."""

from hypothesis import given
from hypothesis import strategies as st

from app.domain.roster import MAX_CLASS_SIZE, RosterError, RosterRow, check_roster, parse_csv, parse_typed_names


def test_typed_names_give_first_name_and_initial():
    rows = parse_typed_names("Léa Martin\n\nhugo B.\nJean-Baptiste\nAnne Marie Dupont\n")
    assert rows == [RosterRow("Léa", "M", None, 1), RosterRow("Hugo", "B", None, 3),
                    RosterRow("Jean-Baptiste", "", None, 4), RosterRow("Anne", "M", None, 5)]


def test_bad_lines_are_reported_by_number():
    parsed = parse_typed_names("Léa M\nR2D2\n" + "A" * 41 + "\n<script> x\n")
    codes = [(item.line, item.code) for item in parsed if isinstance(item, RosterError)]
    assert codes == [(2, "bad_characters"), (3, "too_long"), (4, "bad_characters")]


def test_duplicates_within_the_list_and_with_the_class_are_errors():
    rows, errors = check_roster(parse_typed_names("Léa M\nHugo B\nléa m\nInès D"), {("Hugo", "B")})
    assert [row.first_name for row in rows] == ["Léa", "Inès"]
    assert [(error.line, error.code) for error in errors] == [(2, "duplicate"), (3, "duplicate")]


def test_a_french_spreadsheet_export_is_read():
    data = "\ufeffPrénom;Nom;Année de naissance\nLéa;Martin;2016\nHugo;Bernard;\n".encode()
    assert parse_csv(data) == [RosterRow("Léa", "M", 2016, 2), RosterRow("Hugo", "B", None, 3)]


def test_a_file_that_is_not_utf8_is_refused_with_its_reason():
    assert parse_csv("prénom\nLéa\n".encode("cp1252")) == [RosterError(0, "bad_file")]


def test_a_file_without_a_first_name_column_is_refused():
    assert parse_csv(b"name,age\nLea,9\n")[0].code == "missing_column"
    assert parse_csv(b"")[0].code == "missing_column"


def test_bad_birth_years_are_reported():
    parsed = parse_csv(b"first_name,birth_year\nLea,20x6\nHugo,1850\n")
    assert [item.code for item in parsed] == ["bad_birth_year", "bad_birth_year"]


@given(st.text(max_size=300))
def test_any_typed_text_gives_rows_or_errors_never_a_crash(text):
    for item in parse_typed_names(text):
        assert isinstance(item, RosterRow | RosterError)
        if isinstance(item, RosterRow):
            assert item.first_name and len(item.first_name) <= 40 and len(item.initial) <= 3


@given(st.binary(max_size=300))
def test_any_uploaded_bytes_give_rows_or_errors_never_a_crash(data):
    assert all(isinstance(item, RosterRow | RosterError) for item in parse_csv(data))


@given(st.lists(st.sampled_from(["Léa M", "Hugo B", "Inès", "Zoé Y"]), max_size=8))
def test_checked_rosters_never_hold_the_same_pupil_twice(lines):
    rows, errors = check_roster(parse_typed_names("\n".join(lines)), set())
    assert len({row.key for row in rows}) == len(rows)
    assert len(rows) + len(errors) == len(lines)


def test_birth_years_are_ascii_digits_within_reason():
    parsed = parse_csv("first_name,birth_year\nLea,²\nHugo,٢٠١٦\nInès,".encode() + b"9" * 5000 + b"\nJade, 2016 \n")
    assert [getattr(item, "code", None) for item in parsed] == ["bad_birth_year"] * 3 + [None]
    assert parsed[3].birth_year == 2016 and len(parsed[2].text) <= 20


def test_a_list_that_would_make_the_class_too_large_is_refused_whole():
    existing = {(f"Pupil{number}", "A") for number in range(MAX_CLASS_SIZE - 2)}
    assert len(check_roster(parse_typed_names("Léa M\nHugo B"), existing)[0]) == 2
    rows, errors = check_roster(parse_typed_names("Léa M\nHugo B\nInès D\nR2D2"), existing)
    assert rows == [] and errors == [RosterError(0, "too_many", str(MAX_CLASS_SIZE + 2))]
