"""Use-cases for cohorts: create, enrol producers and trainers, and who may see whom."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..auth import services as auth_services
from ..auth.models import Role, User
from ..errors import Forbidden, Invalid, NotFound
from ..extensions import db
from .models import Cohort, cohort_producers, cohort_trainers


@dataclass(frozen=True)
class CohortData:
    name: str
    desa: str = ""
    kecamatan: str = ""
    start_date: date | None = None
    end_date: date | None = None
    agencies: str = ""


def create_cohort(actor: User, data: CohortData, trainer_ids: list[int] | None = None) -> Cohort:
    """Create a cohort. A trainer who creates one is its trainer.

    :raises Forbidden: for producers and hub operators.
    :raises Invalid: on an empty name or an end date before the start date.
    """
    if actor.role not in (Role.ADMIN, Role.TRAINER):
        raise Forbidden(str(_l("Hanya pendamping atau admin yang membuat kelompok pelatihan.")))
    if not data.name.strip():
        raise Invalid(str(_l("Isi nama pelatihan.")), field="name")
    if data.start_date and data.end_date and data.end_date < data.start_date:
        raise Invalid(str(_l("Tanggal selesai tidak boleh sebelum tanggal mulai.")), field="end_date")
    cohort = Cohort(name=data.name.strip(), desa=data.desa.strip(), kecamatan=data.kecamatan.strip(),
                    start_date=data.start_date, end_date=data.end_date, agencies=data.agencies.strip(),
                    created_by_id=actor.id)
    trainers = [db.session.get(User, i) for i in (trainer_ids or [])]
    if any(t is None or t.role != Role.TRAINER for t in trainers):
        raise Invalid(str(_l("Pilih pendamping yang terdaftar.")), field="trainer_ids")
    if actor.role == Role.TRAINER and actor not in trainers:
        trainers.append(actor)
    cohort.trainers = trainers
    db.session.add(cohort)
    db.session.commit()
    return cohort


def list_cohorts(actor: User) -> list[Cohort]:
    """Cohorts the actor may see: all for admins, their own for trainers, their own for producers."""
    q = select(Cohort).order_by(Cohort.start_date.desc().nulls_last(), Cohort.name)
    if actor.role == Role.TRAINER:
        q = q.join(cohort_trainers).where(cohort_trainers.c.user_id == actor.id)
    elif actor.role == Role.PRODUCER:
        q = q.join(cohort_producers).where(cohort_producers.c.user_id == actor.id)
    elif actor.role != Role.ADMIN:
        return []
    return list(db.session.scalars(q))


def get_cohort(actor: User, cohort_id: int) -> Cohort:
    """:raises NotFound: when it does not exist or the actor may not see it."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        raise NotFound(str(_l("Kelompok pelatihan tidak ditemukan.")))
    if actor.role == Role.ADMIN or (actor.role == Role.TRAINER and actor in cohort.trainers):
        return cohort
    raise NotFound(str(_l("Kelompok pelatihan tidak ditemukan.")))


def enrol_producer(actor: User, cohort_id: int, producer_id: int) -> Cohort:
    """Add a producer to a cohort the actor trains (or any, for admins)."""
    cohort = get_cohort(actor, cohort_id)
    producer = db.session.get(User, producer_id)
    if producer is None or producer.role != Role.PRODUCER:
        raise Invalid(str(_l("Pilih akun produsen.")), field="producer_id")
    if producer not in cohort.producers:
        cohort.producers.append(producer)
    db.session.commit()
    return cohort


def add_trainer(actor: User, cohort_id: int, trainer_id: int) -> Cohort:
    if actor.role != Role.ADMIN:
        raise Forbidden()
    cohort = get_cohort(actor, cohort_id)
    trainer = db.session.get(User, trainer_id)
    if trainer is None or trainer.role != Role.TRAINER:
        raise Invalid(str(_l("Pilih akun pendamping.")), field="trainer_id")
    if trainer not in cohort.trainers:
        cohort.trainers.append(trainer)
    db.session.commit()
    return cohort


def trainer_producer_ids(trainer: User) -> set[int]:
    """Ids of producers in any cohort this trainer trains."""
    q = (select(cohort_producers.c.user_id)
         .join(cohort_trainers, cohort_trainers.c.cohort_id == cohort_producers.c.cohort_id)
         .where(cohort_trainers.c.user_id == trainer.id))
    return set(db.session.scalars(q))


def trainer_can_see_producer(trainer: User, producer: User) -> bool:
    return producer.id in trainer_producer_ids(trainer)


def can_see_owner(actor: User, owner_id: int) -> bool:
    """The one rule for "may this person see that producer's things?" (products, designs, jobs)."""
    if actor.role in (Role.ADMIN,):
        return True
    if actor.role == Role.PRODUCER:
        return actor.id == owner_id
    if actor.role == Role.TRAINER:
        return owner_id in trainer_producer_ids(actor)
    return False


def trainer_ids_for_producer(producer_id: int) -> set[int]:
    q = (select(cohort_trainers.c.user_id)
         .join(cohort_producers, cohort_trainers.c.cohort_id == cohort_producers.c.cohort_id)
         .where(cohort_producers.c.user_id == producer_id))
    return set(db.session.scalars(q))


def producers_without_cohort() -> list[User]:
    enrolled = select(cohort_producers.c.user_id)
    return list(db.session.scalars(select(User).where(User.role == Role.PRODUCER, User.id.not_in(enrolled))))


def list_trainers() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role == Role.TRAINER).order_by(User.full_name)))


def get_managed_user(actor: User, user_id: int) -> User:
    """A user the actor may manage: admins anyone, trainers the producers of their cohorts.

    :raises NotFound: otherwise.
    """
    user = auth_services.get_user(actor, user_id)
    if actor.role == Role.TRAINER and not trainer_can_see_producer(actor, user):
        raise NotFound(str(_l("Akun tidak ditemukan.")))
    return user
