"""Fixtures for the product-data tests: a producer with a business profile and a product."""
from __future__ import annotations

import pytest

#: A complete, valid keripik record as a producer would type it (form sections merged).
KERIPIK = {
    "product_class": "pangan_pirt", "name": "Keripik Singkong Balado", "brand": "Mbok Sri",
    "variant": "Pedas Manis", "category": "keripik", "net_quantity": "250 g",
    "packaging_material": "plastik",
    "ingredients": "Singkong (70%)\nMinyak sawit\nCabai merah\nBawang putih\nGaram\nGula",
    "pirt_number": "2153517010012-29", "pirt_food_code": "15", "halal_status": "certified",
    "halal_cert_number": "ID35110000123450923", "shelf_life_days": "120",
    "storage_instructions": "Simpan di tempat sejuk dan kering.",
    "nutrition.serving_size_g": "30", "nutrition.fat": "25", "nutrition.sat_fat": "12",
    "nutrition.protein": "2", "nutrition.carb": "60", "nutrition.sugar": "8", "nutrition.sodium_mg": "600",
    "price_idr": "Rp15.000", "stock": "40", "shipping_weight_g": "300", "package_l_cm": "20",
    "package_w_cm": "14", "package_h_cm": "6",
    "description": "Keripik singkong renyah dengan bumbu balado pedas manis.",
}


@pytest.fixture
def keripik() -> dict:
    return dict(KERIPIK)


@pytest.fixture
def producer(create_user):
    from studio.auth.services import update_profile

    user = create_user("producer", username="bu.sri")
    update_profile(user, user.id, {"business_name": "UD Mbok Sri", "owner_name": "Sri", "address": "Dusun Krajan RT 01",
                                   "desa": "Pelabuhan", "kecamatan": "Plandaan", "postal_code": "61456",
                                   "whatsapp": "", "nib": ""})
    return user


@pytest.fixture
def product(producer, create_product):
    return create_product(producer, "Keripik Singkong Balado", "pangan_pirt")


@pytest.fixture
def post_section(client):
    """``post_section(product, key, data, aksi="draf")`` posts one section of the form."""
    def post(product, key, data, aksi="draf", follow=True):
        return client.post(f"/produk/{product.id}/data?bagian={key}", data={**data, "aksi": aksi},
                           follow_redirects=follow)
    return post

