"""WTForms' own checks speak the user's language: a form field without a message of its own said
"This field is required.", "Not a valid choice." or "Number must be between 72 and 2400." on an Indonesian page."""
import html


def _post_bad_printer(client):
    r = client.post("/hub/printer", data={"name": "Printer Hub", "kind": "laserjet", "dpi": "tiga ratus"})
    assert r.status_code == 400
    return html.unescape(r.get_data(as_text=True))


def test_built_in_messages_are_indonesian_then_english(app, login, client, create_user):
    login(create_user("hub"))
    text = _post_bad_printer(client)
    assert "Isian ini wajib diisi." in text and "Pilihan tidak sesuai." in text
    assert "Not a valid" not in text and 'value="tiga ratus"' in text      # input kept

    r = client.post("/hub/printer", data={"name": "Printer Hub", "kind": "inkjet", "dpi": "10"})
    assert r.status_code == 400 and "Isi angka antara 72 dan 2400." in html.unescape(r.get_data(as_text=True))

    with client.session_transaction() as s:
        s["lang"] = "en"
    text = _post_bad_printer(client)
    assert "This field is required." in text and "Not a valid choice." in text
    assert "Pilihan tidak sesuai" not in text
