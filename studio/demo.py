"""Demo data: the cohort "Pelatihan Desa Pelabuhan" with its people and a few products.

Built through the services, so demo data obeys the same rules as real data.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from .auth.models import Role, User
from .auth.services import NewUser, create_user, update_profile
from .cohorts.models import Cohort
from .cohorts.services import CohortData, create_cohort, enrol_producer
from .extensions import db

DEMO_PASSWORD = "demo12345"

PEOPLE = [
    ("admin", "Admin Studio", Role.ADMIN, None, ""),
    ("pendamping", "Ibu Ratna Wulandari", Role.TRAINER, "081234500001", ""),
    ("operator", "Mas Bayu Operator Hub", Role.HUB, "081234500002", ""),
    ("bu.sri", "Sri Wahyuni", Role.PRODUCER, "081234500011", "UD Mbok Sri"),
    ("pak.darto", "Sudarto", Role.PRODUCER, "081234500012", "Kopi Wonosalam Pak Darto"),
    ("bu.lilik", "Lilik Suryani", Role.PRODUCER, "081234500013", "Sambal Bu Lilik"),
]

PROFILES = {
    "bu.sri": dict(business_name="UD Mbok Sri", owner_name="Sri Wahyuni", address="Dsn. Sumberagung RT 02 RW 01",
                   desa="Pelabuhan", kecamatan="Plandaan", postal_code="61456", whatsapp="081234500011",
                   nib="9120301234567"),
    "pak.darto": dict(business_name="Kopi Wonosalam Pak Darto", owner_name="Sudarto",
                      address="Dsn. Mendiro RT 01 RW 03", desa="Panglungan", kecamatan="Wonosalam",
                      postal_code="61476", whatsapp="081234500012", nib="9120301234568"),
    "bu.lilik": dict(business_name="Sambal Bu Lilik", owner_name="Lilik Suryani", address="Jl. Raya Pelabuhan 12",
                     desa="Pelabuhan", kecamatan="Plandaan", postal_code="61456", whatsapp="081234500013",
                     nib=""),
}


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count(User.id)))


def seed() -> int:
    """Create what is missing of the demo set. Returns the number of new accounts."""
    created = 0
    users: dict[str, User] = {}
    for username, name, role, phone, business in PEOPLE:
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            user = create_user(None, NewUser(username=username, full_name=name, role=role,
                                             password=DEMO_PASSWORD, phone=phone, business_name=business))
            created += 1
        users[username] = user
    for username, values in PROFILES.items():
        update_profile(users[username], users[username].id, values)
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == "Pelatihan Desa Pelabuhan"))
    if cohort is None:
        cohort = create_cohort(users["pendamping"], CohortData(
            name="Pelatihan Desa Pelabuhan", desa="Pelabuhan", kecamatan="Plandaan",
            start_date=date(2026, 11, 23), end_date=date(2026, 12, 4),
            agencies="Dinas Koperasi dan Usaha Mikro Kab. Jombang; Disperindag Jatim (UPT Kemasan); Rumah Pintar Pelabuhan"))
    for username in ("bu.sri", "pak.darto", "bu.lilik"):
        enrol_producer(None, cohort.id, users[username].id)   # seeding
    from .demo_products import seed_products

    seed_products(users)
    return created
