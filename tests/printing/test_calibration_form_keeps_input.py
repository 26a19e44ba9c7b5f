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
