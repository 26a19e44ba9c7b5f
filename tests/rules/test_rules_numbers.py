from datetime import date
from decimal import Decimal

import pytest

from studio.rules import (RuleError, format_date_id, format_decimal_id, format_rupiah, parse_decimal,
                          parse_int, parse_price_idr)


@pytest.mark.parametrize("text, expected", [
    ("1,5", "1.5"), ("1.500", "1500"), ("12.500,75", "12500.75"), ("250", "250"),
    ("1.500.000", "1500000"), ("0,25", "0.25"), ("1.5", "1.5"), ("0.500", "0.500"),
    (" 2 ,5 ", "2.5"), ("12,500.75", "12500.75"),
])
def test_indonesian_numbers_are_read_with_decimal_comma_and_thousands_dot(text, expected):
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["abc", "1..5", "1,2,3", "", "1,5kg", "Rp"])
def test_unreadable_numbers_tell_the_producer_how_to_type_them(text):
    with pytest.raises(RuleError) as e:
        parse_decimal(text, field="stock")
    assert e.value.field == "stock"
    assert "contoh" in e.value.msg.id or "Isi" in e.value.msg.id


def test_positive_numbers_reject_zero_and_negative():
    for text in ("0", "-1", "0,0"):
        with pytest.raises(RuleError) as e:
            parse_decimal(text, positive=True)
        assert e.value.code == "not_positive"


@pytest.mark.parametrize("text", ["Rp12.500", "Rp 12.500", "12500", "12.500", "Rp12.500,-", "rp. 12.500",
                                  "IDR 12500", 12500])
def test_prices_in_rupiah_are_whole_numbers(text):
    assert parse_price_idr(text) == 12500


@pytest.mark.parametrize("text", ["0", "Rp0", "-5000", "Rp -1"])
def test_price_of_zero_or_less_is_rejected_with_a_clear_message(text):
    with pytest.raises(RuleError) as e:
        parse_price_idr(text)
    assert e.value.code == "not_positive"
    assert "lebih dari Rp0" in e.value.msg.id
    assert "more than Rp0" in e.value.msg.en


def test_price_typed_with_english_thousands_comma_gets_a_suggestion():
    with pytest.raises(RuleError) as e:
        parse_price_idr("Rp 12,500")
    assert e.value.suggestion == "Rp12.500"
    assert "Rp12.500" in e.value.msg.id


def test_price_with_letters_is_rejected():
    with pytest.raises(RuleError) as e:
        parse_price_idr("dua belas ribu")
    assert e.value.code == "number_format"


def test_whole_numbers_and_ranges():
    assert parse_int("1.000") == 1000
    with pytest.raises(RuleError) as e:
        parse_int("1,5")
    assert e.value.code == "not_whole"
    with pytest.raises(RuleError) as e:
        parse_int("0", min_value=1)
    assert e.value.code == "too_small"


def test_formatting_follows_indonesian_conventions():
    assert format_decimal_id(Decimal("1.5")) == "1,5"
    assert format_decimal_id(Decimal("1.50")) == "1,5"
    assert format_decimal_id(Decimal("1500")) == "1.500"
    assert format_decimal_id(Decimal("12500.75")) == "12.500,75"
    assert format_decimal_id(Decimal("1E+3")) == "1.000"
    assert format_decimal_id(Decimal("0.25"), places=1) == "0,3"
    assert format_decimal_id(Decimal("-2.5")) == "-2,5"
    assert format_rupiah(12500) == "Rp12.500"
    assert format_rupiah(500) == "Rp500"
    assert format_date_id(date(2026, 11, 27)) == "27-11-2026"
    assert format_date_id(date(2027, 2, 3)) == "03-02-2027"
