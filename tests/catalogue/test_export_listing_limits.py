"""The marketplace export marks a description longer than the marketplaces allow (rules.listing)."""
import csv
import io


def test_export_marks_a_too_long_description_and_leaves_a_short_one_alone(client, login, ready_product,
                                                                          create_user):
    long_one = ready_product(description="Keripik singkong renyah khas Jombang. " * 60)   # > 2000
    short_one = ready_product(owner=create_user("producer", business_name="UD Darto"), name="Kopi Bubuk")
    for product in (long_one, short_one):
        login(product.owner)
        client.post(f"/produk/{product.id}/terbit")
    login(create_user("admin"))
    rows = list(csv.reader(io.StringIO(client.get("/katalog/ekspor.csv").get_data(as_text=True).lstrip("\ufeff"))))
    header, notes = rows[0], [r[rows[0].index("Catatan")] for r in rows[1:]]
    assert "Catatan" == header[-1] and len(notes) == 2
    assert sorted(bool(n) for n in notes) == [False, True]
    assert any("marketplace hanya menerima 2.000 huruf" in n for n in notes)
