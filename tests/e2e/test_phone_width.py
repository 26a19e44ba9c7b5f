"""Phones 390, 360 and 320 px wide: no page of any role scrolls sideways, long values wrap instead of
being cut, and the big touch targets stay big.

One browser; one context per role at 390 px (a common phone; a shop's name that just fits beside its
links there squeezed them past the screen's edge), each page checked, then the same page narrowed
to 360 and 320 px (no reload: the layout just reflows); the buyer's pages also at every width from
320 to 560 px in steps of 10. The data is made through the services (a product
with long ingredients and a long unbroken address, approved, printed and published; a second
one waiting in the trainer's queue). A failing page is saved under test-artifacts/e2e/.
"""
from __future__ import annotations

import time

from .conftest import ARTIFACTS, login, seed_user
from .test_accessibility import RECORD as A11Y_RECORD, _wait_photo_ready

WIDTHS = (390, 360, 320)
#: a shop's pages (the buyer's, from the QR) are also swept over every phone width: whether its links
#: fit beside the shop's name depends on both (UD Sambal Bu Lilik Pelabuhan went past the edge at
#: 410-460 px, a shorter name at 390-430)
SHOP_SWEEP = range(320, 561, 10)
LONG_INGREDIENTS = ("Cabai rawit merah segar pilihan dari petani Desa Pelabuhan (45%), bawang putih kating (25%), "
                    "minyak kelapa sawit, garam beryodium, gula pasir, daun jeruk purut, "
                    "lengkuas-merah-segar-asli-Jombang-tanpa-pengawet-tambahan")
LONG_ADDRESS = "Dsn.Sumberagung-Kidul/RT.002/RW.011/Jl.Raya-Pelabuhan-Plandaan-Km.12"
# the accessibility suite's sambal, with a long name and long texts to wrap
RECORD = {
    **A11Y_RECORD, "name": "Sambal Bawang Pedas Level Tiga Bu Lilik", "ingredients": LONG_INGREDIENTS,
    "storage_instructions": "Simpan di tempat sejuk dan kering, jauh dari sinar matahari langsung.",
    "storage_after_opening": "Setelah dibuka, simpan di kulkas dan gunakan sendok bersih.",
}

# What sticks out of a phone screen, and whether a text is shown whole (a scroll box or a fixed
# height around it would hide part of it). Runs in the page (page.evaluate is allowed by the CSP).
MEASURE_JS = r"""
(needles) => {
  const w = window.innerWidth, out = {scroll: document.documentElement.scrollWidth, width: w, wide: [],
                                       clipped: [], small: []};
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  const shown = el => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; };
  for (const el of document.body.querySelectorAll('*')) {
    // a wide table may scroll inside its own .table-wrap (the wrap itself must fit); whatever a
    // page must show whole is named in its needles below
    if (!shown(el) || el.closest('.skip, .sr-only') || (el.parentElement && el.parentElement.closest('.table-wrap'))) continue;
    const r = el.getBoundingClientRect(), card = el.parentElement && el.parentElement.closest('.card');
    const edge = card ? Math.min(w, card.getBoundingClientRect().right - 1) : w;   // inside a card: its border
    if (r.right > edge + 0.5 || r.left < -0.5) {
      // report the outermost element that sticks out (its children follow it)
      if (!el.parentElement || el.parentElement.getBoundingClientRect().right <= edge + 0.5)
        out.wide.push(name(el) + ' ' + Math.round(r.left) + '..' + Math.round(r.right) + (card ? ' (card ends at ' +
                      Math.round(edge) + ') ' : ' ') + (el.textContent || '').trim().slice(0, 40));
    }
  }
  for (const el of document.querySelectorAll('.mainnav a, .mainnav button, .menu-button, .button, button[type=submit]')) {
    if (shown(el) && el.getBoundingClientRect().height < 44) out.small.push(name(el) + ' ' +
      Math.round(el.getBoundingClientRect().height) + 'px ' + el.textContent.trim().slice(0, 30));
  }
  for (const needle of needles) {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let node = null;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.textContent.includes(needle)) { node = n; break; }
    if (!node) { out.clipped.push('not on the page: ' + needle); continue; }
    const range = document.createRange(); range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (box.right > w + 0.5) out.clipped.push(needle.slice(0, 30) + ': text ends at ' + Math.round(box.right) + 'px');
    for (let el = node.parentElement; el && el !== document.body; el = el.parentElement) {
      const s = getComputedStyle(el);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
        out.clipped.push(needle.slice(0, 30) + ': cut by ' + name(el) + ' (' + el.scrollWidth + 'x' + el.scrollHeight +
                         ' in ' + el.clientWidth + 'x' + el.clientHeight + ')');
    }
  }
  return out;
}
"""


def _wait_job_ready(live, print_job_id: int, timeout_s: float = 120) -> None:
    from studio.extensions import db
    from studio.printing.models import PrintJob

    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        with live.ctx():
            status = db.session.get(PrintJob, print_job_id).status
        if status in ("ready", "printed", "failed"):
            assert status != "failed", "the print PDF failed"
            return
        time.sleep(0.3)
    raise AssertionError("print job PDF did not finish")


def _seed(live) -> dict:
    """Producer, trainer, hub and admin; product A approved, printed and published; B waiting."""
    from datetime import date

    from studio import jobs
    from studio.auth.services import get_by_id, update_profile
    from studio.cohorts.services import CohortData, create_cohort, enrol_producer
    from studio.designs import services as designs
    from studio.hubsetup.services import set_public_url
    from studio.imaging.synthetic import jpeg_bytes, make_photo
    from studio.printing.services import create_print_job, mark_printed
    from studio.products.data import save_product_data
    from studio.products.photos import add_photo
    from studio.products.services import create_product
    from studio.review import services as reviews
    from studio.wizard.services import publish_product

    trainer_id = seed_user(live, "trainer", "hp.pendamping", full_name="Ibu Ratna Wulandari Kusumaningrum")
    producer_id = seed_user(live, "producer", "hp.lilik", full_name="Lilik Suryani Rahmawati")
    hub_id = seed_user(live, "hub", "hp.hub", full_name="Mas Bayu Operator Hub")
    seed_user(live, "admin", "hp.admin", full_name="Admin Studio Kemasan")
    with live.ctx():
        set_public_url(None, "https://katalog.rumahpintar-gudo.jombangkab.go.id")   # printing needs it
        trainer, producer, hub = get_by_id(trainer_id), get_by_id(producer_id), get_by_id(hub_id)
        update_profile(producer, producer.id, {"business_name": "UD Sambal Bu Lilik Pelabuhan", "owner_name": "Lilik",
                                               "address": LONG_ADDRESS, "desa": "Pelabuhan", "kecamatan": "Plandaan",
                                               "postal_code": "61456"})
        cohort = create_cohort(trainer, CohortData(name="Pelatihan Desa Pelabuhan Kecamatan Plandaan"))
        enrol_producer(None, cohort.id, producer.id)
        ids = {}
        for key, name in (("a", RECORD["name"]), ("b", "Keripik Tempe Sagu Renyah Pedas Manis")):
            product = create_product(producer, name, "pangan_pirt")
            save_product_data(producer, product.id, dict(RECORD, name=name))
            if key == "a":       # publishing needs a cleaned photo: cleaned here, as the demo seeding does
                photo = add_photo(producer, product.id, jpeg_bytes(make_photo(5, size=(640, 480), product="jar").image),
                                  "sambal.jpg")
                ids["photo"] = photo.id
                jobs.run_job(photo.job_id)     # (unless the app's own worker took it first)
            design = designs.start_design(producer, product.id, "a4-nup-2x2-94x134", "bersih")
            ids[key] = product.id
            ids[key + "_version"] = reviews.submit_for_review(producer, design.id).id
        version = reviews.get_version(trainer, ids["a_version"])
        reviews.approve(trainer, version.id, version.lock_version)
        job = create_print_job(hub, ids["a_version"], request_key="hp-phone-1", copies=4,
                               batch_code="241204-01", production_date=date(2026, 12, 4))
        ids["job"] = job.id
    _wait_job_ready(live, ids["job"])
    _wait_photo_ready(live, ids["photo"])
    with live.ctx():
        mark_printed(get_by_id(hub_id), ids["job"])
        ids["code"] = publish_product(get_by_id(producer_id), ids["a"]).public_code
    return ids


def _forget_public_url(live) -> None:
    """Leave the hub unset again: the journey's admin sets the real address at first login."""
    from studio import site
    from studio.extensions import db
    from studio.hubsetup.models import PUBLIC_URL, HubSetting

    with live.ctx():
        db.session.execute(db.delete(HubSetting).where(HubSetting.key == PUBLIC_URL))
        db.session.commit()
        site.forget_public_base_url()


def test_pages_fit_a_phone(live, open_page):
    try:
        problems = _walk(live, open_page, _seed(live))
    finally:
        _forget_public_url(live)
    assert not problems, f"{len(problems)} phone-width problems:\n" + "\n".join(problems)


def _walk(live, open_page, ids: dict) -> list[str]:
    a, b = ids["a"], ids["b"]
    long_text = [LONG_INGREDIENTS[-40:]]
    shop = "UD Sambal Bu Lilik Pelabuhan"
    pages = {   # role -> (name, address, texts that must be shown whole)
        None: [("catalogue", "/katalog", ["Beli Produk Online Njombang"]),
               ("catalogue product", f"/p/{ids['code']}", long_text + ["Karbohidrat total"]),
               ("catalogue producer", None, [])],
        "hp.lilik": [("producer home", "/produk", ["Terbit"]), ("overview", f"/produk/{a}", ["Terbit"]),
                     ("data summary", f"/produk/{a}/data", [LONG_ADDRESS]),
                     ("design", f"/produk/{a}/desain", []), ("review (producer)", f"/produk/{b}/tinjauan", []),
                     ("print status", f"/produk/{a}/cetak", ["241204-01"]),
                     ("publish", f"/produk/{a}/terbit", [f"/p/{ids['code']}"]), ("profile", "/profil-usaha", [])],
        "hp.pendamping": [("trainer home", "/pendamping", []),
                          ("review queue", "/tinjauan", ["Keripik Tempe Sagu Renyah Pedas Manis", shop]),
                          ("review page", f"/tinjauan/{ids['b_version']}", long_text),
                          ("product data (trainer)", f"/produk/{b}/data", [LONG_ADDRESS, LONG_INGREDIENTS[-40:]])],
        "hp.hub": [("hub queue", "/hub/", []), ("print job", f"/hub/pekerjaan/{ids['job']}", [shop, "94 × 134 mm"])],
        "hp.admin": [("admin", "/admin", [])],
    }
    problems, watches = [], []
    for who, visits in pages.items():
        page, watch = open_page(f"phone-{who or 'buyer'}", {"width": WIDTHS[0], "height": 740})
        watches.append(watch)
        if who:
            login(page, who)
        for name, url, needles in visits:
            if url is None:      # the producer's page in the catalogue: follow the product page's link
                url = page.get_attribute("a[href*='/katalog/produsen/']", "href")
            page.goto(url)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 740})
                bad = _measured(page, needles)
                if who and url == visits[0][1]:     # the menu: one short row, and when opened it fits too
                    height = page.locator("header.topbar").bounding_box()["height"]
                    if height > 60:
                        bad.append(f"header {height:.0f} px tall (one row: <= 60 px)")
                    page.click("label.menu-button")
                    bad += [f"menu open: {x}" for x in _measured(page, [])]
                    page.click("label.menu-button")
                if who is None and width == WIDTHS[-1]:
                    for w in SHOP_SWEEP:
                        page.set_viewport_size({"width": w, "height": 740})
                        m = page.evaluate(MEASURE_JS, [])
                        if m["scroll"] > m["width"]:
                            bad.append(f"scrolls sideways at {w} px: {m['scroll']} px wide")
                if bad:
                    ARTIFACTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(ARTIFACTS / f"phone-{width}-{name.replace(' ', '-')}.png"), full_page=True)
                    problems += [f"{name} @ {width} px ({url}): {x}" for x in bad]
            page.set_viewport_size({"width": WIDTHS[0], "height": 740})
    for watch in watches:
        watch.check()
    return problems


def _measured(page, needles: list[str]) -> list[str]:
    m = page.evaluate(MEASURE_JS, needles)
    bad = [f"scrolls sideways: {m['scroll']} px wide in {m['width']} px"] if m["scroll"] > m["width"] else []
    bad += [f"sticks out: {x}" for x in m["wide"][:4]] + [f"not whole: {x}" for x in m["clipped"]]
    return bad + [f"touch target too small: {x}" for x in m["small"][:4]]
