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

    def refuse(_product):
        raise Conflict("nope")

    with pytest.raises(Conflict):
        publish(product.owner, product.id, PublishGates(check=refuse, after=after.append))
    assert db.session.query(Listing).count() == 0 and after == []
    listing = publish(product.owner, product.id, PublishGates(check=lambda p: None, after=after.append))
    assert listing.snapshot["code"] == product.public_code and listing.design_version_id is None
    assert after == [product]
