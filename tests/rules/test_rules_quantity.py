from decimal import Decimal

import pytest

from studio.rules import NetQuantity, RuleError, net_quantity_statement, parse_net_quantity, required_char_height_mm
from studio.rules.settings import RuleSettings


@pytest.mark.parametrize("text, value, unit", [
    ("250 g", "250", "g"), ("250g", "250", "g"), ("1,5 kg", "1.5", "kg"), ("500 ml", "500", "ml"),
    ("500 mL", "500", "ml"), ("1 L", "1", "L"), ("1 l", "1", "L"), ("250 gram", "250", "g"),
    ("2 liter", "2", "L"), ("1.000 g", "1000", "g"), ({"value": "1,5", "unit": "kg"}, "1.5", "kg"),
])
def test_accepted_net_quantities(text, value, unit):
    assert parse_net_quantity(text) == NetQuantity(Decimal(value), unit)


@pytest.mark.parametrize("text, suggestion", [
    ("250 gr", "250 g"), ("250 grm", "250 g"), ("250 gram.", "250 g"), ("1 ltr", "1 L"),
    ("100 cc", "100 ml"), ("8 oz", "227 g"), ("1,5 kgs", "1,5 kg"),
])
def test_wrong_unit_symbols_are_rejected_with_the_right_symbol(text, suggestion):
    with pytest.raises(RuleError) as e:
        parse_net_quantity(text)
    assert e.value.code == "unit_symbol"
    assert e.value.suggestion == suggestion
    assert suggestion in e.value.msg.id and suggestion in e.value.msg.en


def test_missing_unit_and_a_broken_count_say_what_to_write():
    with pytest.raises(RuleError) as e:
        parse_net_quantity("250")
    assert e.value.code == "unit_missing" and "250 g" in e.value.msg.id
    with pytest.raises(RuleError) as e:
        parse_net_quantity("2,5 pcs")
    assert e.value.code == "count_whole"
    with pytest.raises(RuleError) as e:
        parse_net_quantity("0 g")
    assert e.value.code == "not_positive"


def test_statement_word_follows_the_unit_and_adds_bobot_tuntas():
    assert net_quantity_statement(parse_net_quantity("250 g"), "padat") == "Berat Bersih 250 g"
    assert net_quantity_statement(parse_net_quantity("500 ml"), "cair") == "Isi Bersih 500 ml"
    assert net_quantity_statement(parse_net_quantity("1,5 kg"), "padat") == "Berat Bersih 1,5 kg"
    acar = net_quantity_statement(parse_net_quantity("300 g"), "padat_dalam_cairan",
                                  drained_weight_g=Decimal("180"))
    assert acar == "Berat Bersih 300 g, Bobot Tuntas 180 g"


@pytest.mark.parametrize("text, height_mm", [("50 g", 2.0), ("51 g", 3.0), ("200 ml", 3.0),
                                              ("250 g", 4.0), ("1 kg", 4.0), ("1,5 kg", 6.0)])
def test_bdkt_character_height_by_nominal_quantity(text, height_mm):
    assert required_char_height_mm(parse_net_quantity(text)) == height_mm


def test_bdkt_table_is_a_setting():
    s = RuleSettings.from_mapping({"bdkt_heights_mm": [[100, 2.5], [None, 5]]})
    assert required_char_height_mm(parse_net_quantity("250 g"), s) == 5.0


@pytest.mark.parametrize("text, statement", [
    ("Isi 3 pcs", "Isi 3 pcs"), ("isi 10 lembar", "Isi 10 lembar"), ("12 sachet", "Isi 12 sachet"),
    ("Isi 10 sachet @ 20 g", "Berat Bersih 200 g (10 sachet @ 20 g)"),
    ("200 g (10 sachet @ 20 g)", "Berat Bersih 200 g (10 sachet @ 20 g)"),
    ("10 x 20 g", "Berat Bersih 200 g (10 × 20 g)"), ("1 kg (50 x 20 g)", "Berat Bersih 1 kg (50 × 20 g)"),
])
def test_goods_sold_by_count_get_a_count_statement_and_survive_a_save(text, statement):
    nq = parse_net_quantity(text)
    assert net_quantity_statement(nq, "padat") == statement
    assert parse_net_quantity(nq.to_dict()) == nq == parse_net_quantity(nq.input_text)


def test_pieces_that_do_not_add_up_to_the_total_are_refused():
    with pytest.raises(RuleError) as e:
        parse_net_quantity("200 g (10 sachet @ 25 g)")
    assert e.value.code == "count_mismatch" and "250 g" in e.value.msg.id
