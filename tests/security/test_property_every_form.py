"""Issue 21: a property-based test over every form and every JSON body the studio reads.

For every state-changing endpoint (taken from ``app.url_map`` and the access matrix's ENDPOINTS), a
user allowed to use it posts values hypothesis draws: every Unicode general category, lone
surrogates (sent as the bytes a broken client sends), decomposed accents (NFD), numbers far beyond
64 bits, and, for the JSON the studio reads (the product import, the photo marks, API bodies),
deeply nested documents. Properties:

- never a 5xx, never a traceback or the server's bare page;
- a refused form comes back with the user's text in it (text inputs and text areas);
- a refusal (4xx) changes nothing in the database (every row of every table but the login log).

Kept lean for CI (max_examples small, one world per module, deadline None): well under 2 minutes.
"""
from __future__ import annotations

import html
import json
import re
import unicodedata
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import login_client
from .test_access_matrix import ENDPOINTS, _fingerprint, _url

# Not fuzzed: ends the session the test uses, or changes who may log in.
SKIP = {"auth.logout", "auth.end_sessions", "auth.deactivate", "auth.activate", "auth.reset_password",
        "auth.set_language"}
ROLE_FOR = (("producer", "producer_a"), ("trainer", "trainer_a"), ("hub", "hub_x"), ("admin", "admin_x"))

HUGE = st.sampled_from([str(2 ** 64 + 1), "9" * 40, "-" + "9" * 30, "1e309", "1" + "0" * 21, "NaN", "Rp" + "9" * 25])
NFD = st.sampled_from(["Kue Cafe\u0301", "Jenang Ke\u0301tan", "A\u0308pfel", "Sambel Pe\u0301cel"])
ANY_TEXT = st.text(st.characters(blacklist_categories=()), max_size=24)   # every category, surrogates too
VALUE = st.one_of(ANY_TEXT, HUGE, NFD, st.just(""), st.just("\x00"), st.text(max_size=3))

_FIELD = re.compile(r'<(input|textarea|select)\b([^>]*)>', re.I)
_ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def _fields(page: str) -> dict[str, str]:
    """Form field name -> kind ("text", "textarea", "select", "checkbox", ...) on a page."""
    out: dict[str, str] = {}
    for tag, attrs in _FIELD.findall(page):
        a = dict(_ATTR.findall(attrs))
        name = a.get("name")
        if not name or name == "csrf_token":
            continue
        kind = tag.lower() if tag.lower() != "input" else a.get("type", "text").lower()
        out.setdefault(html.unescape(name), kind)
    return out


def _encode(values: dict[str, str]) -> bytes:
    """A urlencoded body as a (possibly broken) client sends it: lone surrogates as their raw bytes."""
    parts = []
    for k, v in values.items():
        parts.append(quote_from_bytes(k.encode("utf-8", "surrogatepass")) + "="
                     + quote_from_bytes(v.encode("utf-8", "surrogatepass")))
    return "&".join(parts).encode("ascii")


def _echoable(v: str) -> bool:
    return bool(v.strip()) and len(v) <= 200 and all(unicodedata.category(c)[0] not in "CZ" or c == " " for c in v)


@pytest.fixture(scope="module")
def targets(world_app):
    """(endpoint, url, role, fields) for every POST endpoint, with a logged-in client per role."""
    app, world = world_app
    clients = {}
    out = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        spec = ENDPOINTS.get(rule.endpoint)
        if spec is None or "POST" not in rule.methods or rule.endpoint in SKIP or spec.get("destructive"):
            continue
        if spec["scope"] == "token":
            continue     # API writes: fuzzed with JSON bodies below
        allowed = getattr(app.view_functions[rule.endpoint], "required_roles", ("public",))
        role = next((who for r, who in ROLE_FOR if r in allowed), "anonymous")
        if role not in clients:
            clients[role] = login_client(app, world.users.get(role))
        url = _url(app, world, rule)
        page = clients[role].get(url)
        fields = _fields(page.get_data(as_text=True)) if "GET" in rule.methods and page.status_code == 200 else {}
        out.append((rule.endpoint, url, role, fields))
        if rule.endpoint == "wizard.product_data":   # the product form: one page per section
            from studio.products.sections import SECTIONS

            for section in SECTIONS:
                sec_url = f"{url}?bagian={section.key}"
                sec_page = clients[role].get(sec_url).get_data(as_text=True)
                out.append((f"{rule.endpoint}:{section.key}", sec_url, role, _fields(sec_page)))
    assert len(out) >= 20, [t[0] for t in out]
    return app, clients, out


@settings(max_examples=70, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(data=st.data())
def test_every_form_never_a_5xx_keeps_the_input_and_a_refusal_saves_nothing(targets, data):
    app, clients, found = targets
    endpoint, url, role, fields = data.draw(st.sampled_from(found), label="endpoint")
    names = sorted(fields) + ["aksi", "x_tak_dikenal"]
    values = data.draw(st.dictionaries(st.sampled_from(names), VALUE, max_size=6), label="values")
    before = _fingerprint(app)
    r = clients[role].post(url, data=_encode(values), content_type="application/x-www-form-urlencoded")
    body = r.get_data(as_text=True) if r.mimetype.startswith(("text/", "application/json")) else ""
    assert r.status_code < 500, (endpoint, r.status_code)
    assert "Traceback" not in body and "Internal Server Error" not in body, endpoint
    if r.status_code >= 400:
        assert _fingerprint(app) == before, f"{endpoint}: a refused request ({r.status_code}) changed the database"
    if r.status_code in (200, 400, 409, 422) and r.mimetype == "text/html":
        shown = unicodedata.normalize("NFC", html.unescape(body))
        for name, value in values.items():
            if fields.get(name) in ("text", "textarea", "search", "tel", "email", "number", "url") \
                    and _echoable(value) and f'name="{name}"' in body:
                typed = unicodedata.normalize("NFC", value).strip()
                assert typed in shown or typed[:80] in shown, f"{endpoint}: {name}={value!r} lost from the form"


# -- JSON bodies: the import file, the photo marks, API writes ----------------------------------

_LEAF = st.one_of(st.none(), st.booleans(), st.integers(-(10 ** 30), 10 ** 30),
                  st.floats(allow_nan=False, allow_infinity=False), ANY_TEXT, NFD, HUGE)
_JSON = st.recursive(_LEAF, lambda kids: st.one_of(st.lists(kids, max_size=3),
                                                   st.dictionaries(ANY_TEXT, kids, max_size=3)), max_leaves=10)
_KEYS = ["owner", "product_class", "name", "price_idr", "ingredients", "nutrition", "net_quantity", "pirt_number",
         "gtin", "stock", "description", "brand"]


def _json_text(doc, depth: int) -> str:
    return "[" * depth + json.dumps(doc, ensure_ascii=True, allow_nan=False) + "]" * depth


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(record=st.dictionaries(st.sampled_from(_KEYS), _JSON, max_size=6),
       depth=st.sampled_from([0, 0, 1, 5, 200, 5000]), dry_run=st.booleans())
def test_import_json_never_a_5xx_and_a_refusal_saves_nothing(world_app, record, depth, dry_run):
    import io

    app, world = world_app
    client = login_client(app, world.users["trainer_a"])
    record.setdefault("owner", world.users["producer_a"])
    before = _fingerprint(app)
    data = {"file": (io.BytesIO(_json_text([record], depth).encode()), "produk.json")}
    if dry_run:
        data["dry_run"] = "y"
    r = client.post(f"/pelatihan/{world.ids['cohort_id']}/impor", data=data, content_type="multipart/form-data")
    body = r.get_data(as_text=True)
    assert r.status_code < 500 and "Traceback" not in body
    if r.status_code >= 400 or dry_run:
        assert _fingerprint(app) == before, f"{r.status_code}: refused or dry-run import changed the database"


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(marks=_JSON, depth=st.sampled_from([0, 3, 3000]))
def test_photo_marks_json_never_a_5xx_and_a_refusal_saves_nothing(world_app, marks, depth):
    app, world = world_app
    client = login_client(app, world.users["producer_a"])
    url = f"/produk/{world.ids['product_id']}/foto/{world.ids['photo_id']}/perbaiki"
    before = _fingerprint(app)
    r = client.post(url, data=_encode({"action": "apply", "marks": _json_text(marks, depth)}),
                    content_type="application/x-www-form-urlencoded")
    assert r.status_code < 500 and "Traceback" not in r.get_data(as_text=True)
    if r.status_code >= 400:
        assert _fingerprint(app) == before


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(body=_JSON, depth=st.sampled_from([0, 4000]), product=st.sampled_from(["@", str(2 ** 64), "0", "-1"]),
       action=st.sampled_from(["publish", "unpublish"]))
def test_api_write_bodies_never_a_5xx(world_app, body, depth, product, action):
    app, world = world_app
    pid = world.ids["product_id"] if product == "@" else product
    with app.test_client() as c:
        r = c.post(f"/api/v1/products/{pid}/{action}", data=_json_text(body, depth),
                   content_type="application/json", headers={"Authorization": "Bearer salah"})
        assert r.status_code < 500 and r.mimetype == "application/json"
