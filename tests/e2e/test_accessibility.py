"""Accessibility basics, checked in Chromium on the main pages: every form field has a label,
``<html lang>`` is set, keyboard focus is visible, and visible text meets WCAG AA contrast.

The results of every page are written to ``test-artifacts/e2e/a11y-report.json``.
"""
from __future__ import annotations

import json
import time

import pytest

from .conftest import ARTIFACTS, DESKTOP, PHONE, login, seed_user

RECORD = {
    "product_class": "pangan_pirt", "name": "Sambal Bawang Bu Lilik", "brand": "Bu Lilik", "variant": "Pedas",
    "category": "sambal", "net_quantity": "150 g", "packaging_material": "gelas",
    "ingredients": "Cabai rawit (40%)\nBawang merah\nMinyak kelapa\nGaram\nGula", "shelf_life_days": "60",
    "storage_instructions": "Simpan di tempat sejuk.", "storage_after_opening": "Setelah dibuka, simpan di kulkas.",
    "pirt_number": "2153517020031-28", "pirt_food_code": "09", "halal_status": "certified",
    "halal_cert_number": "ID35110000123450924", "price_idr": "Rp18.000", "stock": "20", "shipping_weight_g": "300",
    "package_l_cm": "10", "package_w_cm": "10", "package_h_cm": "12", "description": "Sambal bawang rumahan.",
    "nutrition.serving_size_g": "15", "nutrition.urt": "1 sendok makan", "nutrition.fat": "30",
    "nutrition.sat_fat": "20", "nutrition.protein": "3", "nutrition.carb": "20", "nutrition.sugar": "8",
    "nutrition.sodium_mg": "900", "nutrition.source": "lab",
}

# Known contrast failures in CSS this suite does not own (reported to the lead): they make the test
# xfail instead of fail; any other problem fails it, and a fixed one must be removed from here.
KNOWN_CONTRAST: dict[str, tuple[str, str]] = {}  # none left: --warn is #8a5c00 (5.12:1 on #fff0c2)

# Runs in the page (page.evaluate is not blocked by the CSP, unlike wait_for_function).
AUDIT_JS = r"""
() => {
  const visible = el => {
    if (!el || el.closest('[hidden], [aria-hidden="true"]')) return false;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none') return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const out = {lang: document.documentElement.getAttribute('lang') || '', unlabeled: [], contrast: []};
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type)) continue;
    if (el.closest('[aria-hidden="true"]') || (el.hasAttribute('hidden') && el.tabIndex < 0)) continue;
    const named = (el.labels && Array.from(el.labels).some(l => l.textContent.trim())) ||
      (el.getAttribute('aria-label') || '').trim() || el.getAttribute('aria-labelledby') || (el.title || '').trim();
    if (!named) out.unlabeled.push(el.outerHTML.slice(0, 160));
  }
  const parse = c => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const background = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.backgroundImage && s.backgroundImage !== 'none') return null;      // picture/gradient: unknown
      const c = parse(s.backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const lum = c => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || seen.has(el) || !visible(el)) continue;
    seen.add(el);
    if (el.closest('svg, script, style, noscript, option, .vh, .visually-hidden, .skip')) continue;
    if (el.closest('button:disabled, input:disabled, select:disabled, [aria-disabled="true"]')) continue;
    const s = getComputedStyle(el);
    const bg = background(el);
    const fg = parse(s.color);
    if (!bg || !fg) continue;
    const color = over(fg, bg);
    const L1 = lum(color), L2 = lum(bg);
    const ratio = (Math.max(L1, L2) + 0.05) / (Math.min(L1, L2) + 0.05);
    const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight, 10) >= 700;
    const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    if (ratio + 1e-6 < need) {
      out.contrast.push({text: n.textContent.trim().slice(0, 60), ratio: Math.round(ratio * 100) / 100, need,
                         color: s.color, background: 'rgb(' + bg.slice(0, 3).map(Math.round).join(',') + ')',
                         element: el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '')});
    }
  }
  return out;
}
"""

FOCUS_JS = r"""
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  let stroke = false;   // an SVG link may show focus by changing its shape's stroke instead
  const shape = el.namespaceURI === 'http://www.w3.org/2000/svg' ? el.querySelector('rect, ellipse, circle, path') : null;
  if (shape) {
    const on = getComputedStyle(shape), focused = on.stroke + ' ' + on.strokeWidth;
    el.blur();
    const off = getComputedStyle(shape), plain = off.stroke + ' ' + off.strokeWidth;
    el.focus();
    stroke = focused !== plain;
  }
  return {element: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + (el.textContent || el.name || '').trim().slice(0, 30),
          visible: outline || shadow || stroke, outline: s.outlineStyle + ' ' + s.outlineWidth, shadow: s.boxShadow};
}
"""


def _audit(page, name: str, tabs: int = 12) -> dict:
    page.wait_for_load_state("networkidle")
    result = page.evaluate(AUDIT_JS)
    result["page"] = name
    result["focus_missing"] = []
    page.evaluate("() => { document.activeElement && document.activeElement.blur && document.activeElement.blur(); }")
    for _ in range(tabs):
        page.keyboard.press("Tab")
        f = page.evaluate(FOCUS_JS)
        if f and not f["visible"]:
            result["focus_missing"].append(f)
    return result


def _wait_photo_ready(live, photo_id: int, timeout_s: float = 90) -> None:
    from studio.extensions import db
    from studio.products.models import Photo

    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        with live.ctx():
            status = db.session.get(Photo, photo_id).status
        if status in ("ready", "failed"):
            assert status == "ready"
            return
        time.sleep(0.3)
    raise AssertionError("photo cleanup did not finish")


def _seed(live) -> dict:
    """A producer with a product that has data, a clean photo and a design submitted for review."""
    from studio.auth.services import get_by_id, update_profile
    from studio.cohorts.services import CohortData, create_cohort, enrol_producer
    from studio.review import services as reviews
    from studio.designs import services as designs
    from studio.imaging.synthetic import jpeg_bytes, make_photo
    from studio.products.data import save_product_data
    from studio.products.photos import add_photo
    from studio.products.services import create_product

    trainer_id = seed_user(live, "trainer", "a11y.pendamping")
    producer_id = seed_user(live, "producer", "a11y.lilik", full_name="Lilik", business_name="UD Lilik")
    seed_user(live, "hub", "a11y.hub")
    with live.ctx():
        from studio.hubsetup.services import set_public_url

        set_public_url(None, "https://katalog.rumahpintar-gudo.jombangkab.go.id")   # printing needs it
        trainer, producer = get_by_id(trainer_id), get_by_id(producer_id)
        update_profile(producer, producer.id, {"business_name": "UD Lilik", "owner_name": "Lilik", "address": "Dsn. Kebon",
                                               "desa": "Gudo", "kecamatan": "Gudo", "postal_code": "61463"})
        cohort = create_cohort(trainer, CohortData(name="Kelas Gudo"))
        enrol_producer(None, cohort.id, producer.id)
        product = create_product(producer, RECORD["name"], "pangan_pirt")
        save_product_data(producer, product.id, RECORD)
        photo = add_photo(producer, product.id, jpeg_bytes(make_photo(5, size=(1200, 900), product="jar").image),
                          "sambal.jpg")
        ids = {"product_id": product.id, "photo_id": photo.id}
    _wait_photo_ready(live, ids["photo_id"])
    with live.ctx():
        producer = get_by_id(producer_id)
        design = designs.start_design(producer, ids["product_id"], "avery-l7165", "bersih")
        version = reviews.submit_for_review(producer, design.id)
        ids["version_id"] = version.id
    return ids


def test_main_pages_are_accessible(live, open_page, shots):
    ids = _seed(live)
    pid = ids["product_id"]
    results = []

    anon, aw = open_page("a11y-anonymous", PHONE)
    anon.goto("/masuk")
    results.append(_audit(anon, "login"))
    anon.goto("/katalog")
    results.append(_audit(anon, "catalogue home"))

    producer, pw = open_page("a11y-producer", PHONE)
    login(producer, "a11y.lilik")
    for name, url in (("producer home", "/produk"), ("product data", f"/produk/{pid}/data?bagian=nama"),
                      ("product data summary", f"/produk/{pid}/data"), ("photos", f"/produk/{pid}/foto"),
                      ("design", f"/produk/{pid}/desain"), ("review (producer)", f"/produk/{pid}/tinjauan")):
        producer.goto(url)
        results.append(_audit(producer, name))

    trainer, tw = open_page("a11y-trainer", DESKTOP)
    login(trainer, "a11y.pendamping")
    trainer.goto("/tinjauan")
    results.append(_audit(trainer, "review queue"))
    trainer.goto(f"/tinjauan/{ids['version_id']}")
    results.append(_audit(trainer, "review version"))
    trainer.click("#approve-btn")
    trainer.wait_for_load_state()

    hub, hw = open_page("a11y-hub", DESKTOP)
    login(hub, "a11y.hub")
    hub.goto("/hub/")
    results.append(_audit(hub, "hub queue"))
    hub.goto("/stok-label")
    results.append(_audit(hub, "hub stock page"))
    shots.take(hub, "a11y-hub-stock-page")
    hub.goto(f"/hub/cetak/{ids['version_id']}")
    results.append(_audit(hub, "hub print form"))

    hub.click("#submit")
    hub.wait_for_selector("a[href$='/label.pdf']", timeout=90_000)
    results.append(_audit(hub, "hub job"))
    hub.click("form[action$='/tercetak'] button[type=submit]")
    hub.wait_for_load_state()

    producer.goto(f"/produk/{pid}/terbit")
    results.append(_audit(producer, "publish"))
    producer.click("form[action$='/terbit'] button[type=submit]")
    producer.wait_for_selector(".flashes")
    from studio.extensions import db
    from studio.products.models import Product

    with live.ctx():
        code = db.session.get(Product, pid).public_code
    anon.goto(f"/p/{code}")
    assert RECORD["name"] in anon.inner_text("main")
    results.append(_audit(anon, "product page"))

    with live.ctx():      # leave the hub unset again: the journey's admin sets the address at first login
        from studio.hubsetup.models import PUBLIC_URL, HubSetting

        db.session.execute(db.delete(HubSetting).where(HubSetting.key == PUBLIC_URL))
        db.session.commit()
        from studio import site

        site.forget_public_base_url()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "a11y-report.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    for w in (aw, pw, tw, hw):
        w.check()
    problems, known_seen = [], set()
    for r in results:
        if r["lang"] not in ("id", "en"):
            problems.append(f"{r['page']}: <html lang> is {r['lang']!r}")
        problems += [f"{r['page']}: field without a label: {u}" for u in r["unlabeled"]]
        problems += [f"{r['page']}: focus not visible on {f['element']}" for f in r["focus_missing"]]
        for c in r["contrast"]:
            known = next((k for k, (el, color) in KNOWN_CONTRAST.items() if c["element"] == el and c["color"] == color),
                         None)
            if known:
                known_seen.add(known)
                continue
            problems.append(f"{r['page']}: contrast {c['ratio']} < {c['need']} for {c['text']!r} ({c['element']}, "
                            f"{c['color']} on {c['background']})")
    assert not problems, f"{len(problems)} accessibility problems (see test-artifacts/e2e/a11y-report.json):\n" + \
        "\n".join(problems)
    fixed = set(KNOWN_CONTRAST) - known_seen
    assert not fixed, f"fixed, remove from KNOWN_CONTRAST: {sorted(fixed)}"
    if known_seen:
        pytest.xfail("known contrast problems in shared CSS: " + "; ".join(sorted(known_seen)))
