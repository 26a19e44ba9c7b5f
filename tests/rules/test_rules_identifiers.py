from datetime import date

import pytest

from studio.rules import (RuleError, RuleSettings, gtin_check_digit, is_valid_gtin, parse_pirt,
                          validate_bpom, validate_gtin, validate_halal_cert, validate_nib, validate_pom_tr)

TODAY = date(2026, 11, 27)


def test_pirt_is_parsed_into_its_parts_and_label_text():
    info = parse_pirt("P-IRT No. 2063517010012-29", TODAY)
    assert info.label_text == "P-IRT No. 2063517010012-29"
    assert info.number == "2063517010012-29"
    assert (info.packaging_code, info.packaging) == ("2", "plastik")
    assert info.food_code == "06"
    assert info.regency_code == "3517"
    assert (info.product_seq, info.irtp_seq) == ("01", "0012")
    assert info.expiry_year == 2029
    assert info.warnings == ()


@pytest.mark.parametrize("text", ["206351701001229", "2063517010012 29", "PIRT 2063517010012-29",
                                  "p-irt no: 2063517010012-29"])
def test_pirt_spelling_variants_are_accepted(text):
    assert parse_pirt(text, TODAY).number == "2063517010012-29"


def test_a_14_digit_pirt_says_it_must_be_15_digits():
    with pytest.raises(RuleError) as e:
        parse_pirt("20635170100129", TODAY)
    assert e.value.code == "pirt_length"
    assert "15 angka" in e.value.msg.id and "13" in e.value.msg.id and "14 angka" in e.value.msg.id
    assert "15 digits" in e.value.msg.en


def test_old_12_digit_pirt_is_explained():
    with pytest.raises(RuleError) as e:
        parse_pirt("206351701001", TODAY)
    assert e.value.code == "pirt_old_format"


def test_bad_packaging_digit_is_an_error():
    with pytest.raises(RuleError) as e:
        parse_pirt("9063517010012-29", TODAY)
    assert e.value.code == "pirt_packaging"
    assert "1 sampai 8" in e.value.msg.id


def test_expired_pirt_is_an_error():
    with pytest.raises(RuleError) as e:
        parse_pirt("2063517010012-23", TODAY)
    assert e.value.code == "pirt_expired"
    assert "2023" in e.value.msg.id and "Perpanjang" in e.value.msg.id


@pytest.mark.parametrize("year", ["26", "27"])
def test_soon_expiring_pirt_is_a_warning(year):
    info = parse_pirt(f"2063517010012-{year}", TODAY)
    assert [w.rule_id for w in info.warnings] == ["PERMIT-02"]
    assert info.warnings[0].severity == "WARNING"
    assert "20" + year in info.warnings[0].msg.id


def test_warning_window_is_a_setting():
    s = RuleSettings(pirt_warn_months=0)
    assert parse_pirt("2063517010012-27", TODAY, s).warnings == ()


def test_pirt_from_another_regency_is_a_warning():
    info = parse_pirt("2063578010012-29", TODAY)
    assert len(info.warnings) == 1 and "3578" in info.warnings[0].msg.id
    assert parse_pirt("2063578010012-29", TODAY, regency_code="3578").warnings == ()


def test_16_digit_pirt_is_accepted_only_with_a_warning():
    info = parse_pirt("20635170100123-29", TODAY)
    assert any("16" in w.msg.id for w in info.warnings)
    with pytest.raises(RuleError):
        parse_pirt("20635170100123-29", TODAY, RuleSettings(pirt_accept_16_digits=False))


def test_pirt_with_letters_or_empty_is_rejected():
    for bad in ("abc", "", "2063517O10012-29"):
        with pytest.raises(RuleError):
            parse_pirt(bad, TODAY)


def test_halal_certificate_number():
    assert validate_halal_cert("ID 3511 0000 1234 5082 4") == "ID35110000123450824"
    assert validate_halal_cert("id35110000123450824") == "ID35110000123450824"
    with pytest.raises(RuleError) as e:
        validate_halal_cert("KH-123/2024")
    assert e.value.code == "halal_kh"
    assert "Ketetapan Halal" in e.value.msg.id
    with pytest.raises(RuleError) as e:
        validate_halal_cert("00150012345678")          # old MUI number
    assert e.value.code == "halal_format"


def test_nib_has_13_digits():
    assert validate_nib("9120 0012 3456 7") == "9120001234567"
    with pytest.raises(RuleError) as e:
        validate_nib("912000123456")
    assert "13 angka" in e.value.msg.id and "12" in e.value.msg.id


def test_bpom_and_pom_tr_numbers_are_normalised():
    assert validate_bpom("md 123456789012") == "BPOM RI MD 123456789012"
    assert validate_bpom("BPOM RI ML123456789012") == "BPOM RI ML 123456789012"
    with pytest.raises(RuleError):
        validate_bpom("BPOM RI MD 12345")
    with pytest.raises(RuleError):
        validate_bpom("SP 123456789012")
    assert validate_pom_tr("POM TR123456789") == "POM TR 123456789"
    assert validate_pom_tr("pom tr 123 456 789") == "POM TR 123456789"
    with pytest.raises(RuleError):
        validate_pom_tr("POM TR 12345")


def test_ean13_check_digit():
    assert is_valid_gtin("6291041500213")
    assert not is_valid_gtin("6291041500214")
    assert is_valid_gtin("4006381333931")
    assert is_valid_gtin("8991234567891")
    assert not is_valid_gtin("8991234567892")
    assert gtin_check_digit("899123456789") == 1
    assert not is_valid_gtin("62910415002a3")
    assert is_valid_gtin("96385074")            # GTIN-8


def test_wrong_check_digit_message_names_the_right_digit():
    with pytest.raises(RuleError) as e:
        validate_gtin("8991234567892")
    assert e.value.code == "gtin_check"
    assert "harus 1" in e.value.msg.id and "must be 1" in e.value.msg.en
    assert e.value.suggestion == "8991234567891"
    with pytest.raises(RuleError) as e:
        validate_gtin("12345")
    assert e.value.code == "gtin_format"
    assert validate_gtin("899 1234 56789 1") == "8991234567891"
