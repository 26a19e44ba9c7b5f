"""Print bookkeeping as the hub, the producer and the trainer read it (issue 16): only jobs marked
printed are counted as printed, a remembered thermal printer does not refuse a sheet job, the job
page names the version as producer and trainer saw it, and thermal jobs are counted in labels."""
from __future__ import annotations

import re

from printing_helpers import CRAFT, MADE
from studio.extensions import db


def _form(key, **kw):
    data = {"request_key": key, "layout_id": "avery-l7160", "start_slot": "1", "qty_mode": "labels",
            "quantity": "30", "batch_code": "261127-01", "production_date": MADE.isoformat(), "expiry_date": "",
            "printer_id": "0"}
    data.update(kw)
    return data


def _per_day_rows(html: str) -> list[tuple[str, ...]]:
    """Rows (date, jobs, labels, sheets) of the hub's "labels printed per day" table."""
    part = html.split("Label dicetak per hari", 1)[1].split("</table>", 1)[0]
    return [tuple(re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row))
            for row in re.findall(r"<tr><td>.*?</tr>", part)]


def _job_id(location: str) -> int:
    return int(location.rstrip("/").split("/")[-1])


def test_a_job_never_marked_printed_is_not_counted_as_printed(client, login, operator, producer, make_version):
    version = make_version("avery-l7160", data=CRAFT)
    login(operator)
    r = client.post(f"/hub/cetak/{version.id}", data=_form("k1"))
    assert r.status_code == 302
    job_id = _job_id(r.location)
    assert client.get(f"/hub/pekerjaan/{job_id}/status.json").get_json()["status"] == "ready"
    home = client.get("/hub/").get_data(as_text=True)
    assert _per_day_rows(home) == []                                  # a PDF made is not a label printed
    login(producer)
    page = client.get(f"/produk/{version.product_id}/cetak").get_data(as_text=True)
    assert "Hub sudah mencetak" not in page and "menunggu dicetak" in page
    login(operator)
    assert client.post(f"/hub/pekerjaan/{job_id}/tercetak").status_code == 302
    (row,) = _per_day_rows(client.get("/hub/").get_data(as_text=True))
    assert row[1:] == ("1", "30", "2")                                 # 1 job, 30 labels, 2 sheets of 21
    login(producer)
    page = " ".join(client.get(f"/produk/{version.product_id}/cetak").get_data(as_text=True).split())
    assert "Hub sudah mencetak <strong>30</strong> label" in page


def test_a_remembered_thermal_printer_does_not_refuse_a_sheet_job(client, login, operator, make_version, printer):
    from studio.printing.models import PrintJob

    zebra = printer("Zebra GK420d", "thermal", 203)                  # the hub's only printer
    version = make_version("avery-l7160", data=CRAFT)
    login(operator)
    form = client.get(f"/hub/cetak/{version.id}").get_data(as_text=True)
    chosen = re.search(r'<option selected value="(\d+)"|<option value="(\d+)" selected', form)
    assert chosen is None or "0" in chosen.groups()                  # a sheet stock: the thermal one is not chosen
    r = client.post(f"/hub/cetak/{version.id}", data=_form("k2", printer_id=str(zebra.id)))
    assert r.status_code == 302                                        # not a 400
    job = db.session.get(PrintJob, _job_id(r.location))
    assert job.printer_id is None
    page = " ".join(client.get(r.location).get_data(as_text=True).split())
    assert "Printer termal “Zebra GK420d” hanya mencetak label rol" in page
    assert "tanpa profil printer" in page
    inkjet = printer("Epson L3210", "inkjet", 300)
    r = client.post(f"/hub/cetak/{version.id}", data=_form("k3", printer_id=str(zebra.id)))
    assert db.session.get(PrintJob, _job_id(r.location)).printer_id == inkjet.id
    assert "Dipakai printer “Epson L3210”" in client.get(r.location).get_data(as_text=True)


def test_the_job_page_names_the_version_the_producer_saw(client, login, operator, make_version):
    for _ in range(3):                                                # other labels take the first ids
        make_version("avery-l7160", data=CRAFT)
    version = make_version("avery-l7160", data=CRAFT)
    version.number = 2
    db.session.commit()
    assert version.id != 2
    login(operator)
    r = client.post(f"/hub/cetak/{version.id}", data=_form("k4"))
    page = " ".join(client.get(r.location).get_data(as_text=True).split())
    assert "<dt>Versi label</dt><dd>Versi 2</dd>" in page


def test_thermal_jobs_are_counted_in_labels(client, login, operator, make_version, printer):
    zebra = printer("Zebra GK420d", "thermal", 203)
    version = make_version("thermal-100x150")
    login(operator)
    form = client.get(f"/hub/cetak/{version.id}").get_data(as_text=True)
    assert re.search(rf'<option selected value="{zebra.id}"|<option value="{zebra.id}" selected', form)
    assert 'data-v="sheets"' not in form
    r = client.post(f"/hub/cetak/{version.id}", data=_form("k5", layout_id="thermal-100x150", quantity="3",
                                                           printer_id=str(zebra.id)))
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    page = " ".join(client.get(r.location).get_data(as_text=True).split())
    assert "3 label (rol)" in page and "lembar" not in page.split("Rincian", 1)[1]
    client.post(r.location + "/tercetak")
    home = client.get("/hub/").get_data(as_text=True)
    (row,) = _per_day_rows(home)
    assert row[1:] == ("1", "3", "0")                                  # 3 labels, no sheets
