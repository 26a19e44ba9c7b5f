"""Issue 21 (found by the property test): a refused calibration reading comes back as typed."""
import html


def test_a_refused_span_comes_back_as_typed(app, login, client, create_user):
    from studio.printing.printers import save_printer

    hub = create_user("hub")
    printer = save_printer(hub, "Printer Hub", "inkjet", 300)
    login(hub)
    r = client.post(f"/hub/printer/{printer.id}/kalibrasi/avery-l7165",
                    data={"printed_with": "raw", "x_mm": "0,8", "y_mm": "-0,5", "span_x_mm": "0000"})
    assert r.status_code in (200, 400)
    text = html.unescape(r.get_data(as_text=True))
    assert "Jarak antara 10 dan 1000 mm." in text
    assert 'value="0000"' in text and 'value="0,8"' in text


def test_not_a_number_reading_is_refused_not_a_500(app, login, client, create_user):
    """Found by the audit (a direct POST skipping the page): x_mm "nan" passed the field and the
    ruler check (every comparison with NaN is false) and the save answered 500."""
    import math

    import pytest

    from studio.errors import Invalid
    from studio.printing.geometry import Measurement
    from studio.printing.printers import save_calibration, save_printer

    hub = create_user("hub")
    printer = save_printer(hub, "Printer Hub", "inkjet", 300)
    login(hub)
    for typed in ("nan", "NaN", "inf", "-Infinity"):
        r = client.post(f"/hub/printer/{printer.id}/kalibrasi/avery-l7165",
                        data={"printed_with": "raw", "x_mm": typed, "y_mm": "0,5"})
        assert r.status_code == 400, typed
        text = html.unescape(r.get_data(as_text=True))
        assert "Tulis angka dalam mm" in text and f'value="{typed}"' in text, typed
    with app.test_request_context(), pytest.raises(Invalid):     # the service too (no form in front)
        save_calibration(hub, printer.id, "avery-l7165", Measurement(math.nan, 0.0))


def test_every_wrong_reading_is_named_on_its_own_field(app, login, client, create_user):
    """Found by the audit: x "abc" and y "99" named only A (B's ruler range was checked later, in
    the service); y "99" alone put the refusal on field A although A's 0 was right."""
    import re

    from studio.printing.printers import save_printer

    hub = create_user("hub")
    printer = save_printer(hub, "Printer Hub", "inkjet", 300)
    login(hub)

    def errors(data):
        r = client.post(f"/hub/printer/{printer.id}/kalibrasi/avery-l7165", data={"printed_with": "raw", **data})
        assert r.status_code == 400
        return {m.group(1): html.unescape(re.sub(r"<[^>]+>", " ", m.group(2)))
                for m in re.finditer(r'<ul class="errors" id="(\w+)-err">(.*?)</ul>', r.get_data(as_text=True), re.S)}

    both = errors({"x_mm": "abc", "y_mm": "99"})
    assert set(both) == {"x_mm", "y_mm"} and "-4" in both["y_mm"], both
    only_b = errors({"x_mm": "0", "y_mm": "99"})
    assert set(only_b) == {"y_mm"}, only_b


def test_an_unknown_page_choice_is_said(app, login, client, create_user):
    """Found by the audit (a direct POST): printed_with "zzz" came back 400 with "see the red marks
    below" and no red mark anywhere (the choice's own error was not shown)."""
    from studio.printing.printers import save_printer

    hub = create_user("hub")
    printer = save_printer(hub, "Printer Hub", "inkjet", 300)
    login(hub)
    r = client.post(f"/hub/printer/{printer.id}/kalibrasi/avery-l7165",
                    data={"printed_with": "zzz", "x_mm": "0,8", "y_mm": "0"})
    assert r.status_code == 400
    text = html.unescape(r.get_data(as_text=True))
    assert 'id="printed_with-err"' in text and "Pilihan tidak sesuai" in text

