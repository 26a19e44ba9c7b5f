from datetime import date

import pytest

from studio.rules import (RuleError, RuleSettings, best_before, check_production_date, expiry_text,
                          parse_date_id, suggest_production_code, validate_production_code)

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize("text", ["27-11-2026", "27/11/2026", "27.11.2026", "27-11-26", "2026-11-27",
                                  "27 November 2026", "27 Nov 2026", "27 nop 2026"])
def test_dates_are_read_day_month_year(text):
    assert parse_date_id(text) == TODAY


@pytest.mark.parametrize("text, words", [("31-02-2026", "28 hari"), ("29-02-2026", "28 hari"),
                                         ("31-04-2026", "30 hari"), ("12-13-2026", "Bulan 13")])
def test_impossible_dates_are_rejected_with_the_reason(text, words):
    with pytest.raises(RuleError) as e:
        parse_date_id(text)
    assert e.value.code == "date_impossible"
    assert words in e.value.msg.id


def test_leap_day_is_a_real_date():
    assert parse_date_id("29-02-2028") == date(2028, 2, 29)


def test_production_date_cannot_be_in_the_future():
    assert check_production_date(TODAY, TODAY) == TODAY
    with pytest.raises(RuleError) as e:
        check_production_date(date(2026, 11, 28), TODAY)
    assert e.value.code == "date_future"


def test_best_before_is_production_plus_shelf_life():
    assert best_before(TODAY, 92) == date(2027, 2, 27)
    with pytest.raises(RuleError):
        best_before(TODAY, 0)


def test_expiry_wording_full_date_up_to_three_months():
    assert expiry_text(date(2027, 2, 25), 90) == "Baik digunakan sebelum 25-02-2027"


def test_expiry_wording_month_year_above_three_months():
    assert expiry_text(date(2027, 2, 27), 92) == "Baik digunakan sebelum 02-2027"
    assert expiry_text(date(2027, 2, 27), 92, full_date=True) == "Baik digunakan sebelum 27-02-2027"
    cautious = RuleSettings(expiry_month_year_round_down=True)
    assert expiry_text(date(2027, 2, 27), 92, cautious) == "Baik digunakan sebelum 01-2027"
    assert expiry_text(date(2027, 2, 28), 92, cautious) == "Baik digunakan sebelum 02-2027"


def test_production_code_suggestion_and_validation():
    assert suggest_production_code(TODAY, 1) == "261127-01"
    assert suggest_production_code(TODAY, 12) == "261127-12"
    assert validate_production_code("261127-01") == "261127-01"
    assert validate_production_code("a/12") == "A/12"
    with pytest.raises(RuleError) as e:
        validate_production_code("2611 27_01")
    assert e.value.suggestion == "2611-2701"
    with pytest.raises(RuleError):
        validate_production_code("X" * 21)
