"""The catalogue publishes with its own snapshot; the API's writes live in catalogue/api.py and use
the same gates as the producer's button."""
from __future__ import annotations

import pytest


def test_every_api_endpoint_is_defined_in_the_catalogues_api_module(app):
    api = {rule.endpoint: app.view_functions[rule.endpoint].__module__
           for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")}
    assert {"api.api_publish", "api.api_unpublish"} <= set(api)
    assert set(api.values()) == {"studio.catalogue.api"}


def test_the_api_uses_the_wizards_gates(app):
    from studio.catalogue.publish import GATES_KEY
    from studio.wizard.services import PUBLISH_GATES

    assert app.extensions[GATES_KEY] is PUBLISH_GATES


def test_refused_gates_publish_nothing(app, ready_product):
    from studio.catalogue.models import Listing
    from studio.catalogue.publish import PublishGates, publish
    from studio.errors import Conflict
    from studio.extensions import db

    product = ready_product()
    after = []

    def refuse(_product, _locale):
        raise Conflict("nope")

    with pytest.raises(Conflict):
        publish(product.owner, product.id, PublishGates(check=refuse, after=after.append))
    assert db.session.query(Listing).count() == 0 and after == []
    listing = publish(product.owner, product.id, PublishGates(check=lambda p, locale: None, after=after.append))
    assert listing.snapshot["code"] == product.public_code and listing.design_version_id is None
    assert after == [product]


def test_a_refused_publish_is_told_in_the_producers_language(app, client, login, create_user, create_product):
    """The gates word a refusal in the locale the view passes (the wizard's services never read the request)."""
    import html
    import re

    from studio.wizard.services import gather_facts
    from studio.wizard.steps import Step, blockers

    producer = create_user("producer")
    product = create_product(producer, "Keripik Tempe")
    first = blockers(Step.PUBLISH, gather_facts(product))[0]
    login(producer)
    for lang, text in (("id", first.message_id), ("en", first.message_en)):
        client.post("/bahasa", data={"lang": lang, "next": "/"})
        page = client.post(f"/produk/{product.id}/terbit", follow_redirects=True).get_data(as_text=True)
        assert text in " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split()), (lang, text)
