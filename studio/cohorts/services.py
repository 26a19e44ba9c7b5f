"""Use-cases for cohorts: create, enrol producers and trainers, and who may see whom."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

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


def list_cohorts(actor: User, *, with_producers: bool = False) -> list[Cohort]:
    """Cohorts the actor may see: all for admins, their own for trainers, their own for producers.
    ``with_producers``: their producers (and profiles, for the display names) loaded in the same
    few queries, whatever the number of cohorts and producers (the trainer board)."""
    q = select(Cohort).order_by(Cohort.start_date.desc().nulls_last(), Cohort.name)
    if with_producers:
        q = q.options(selectinload(Cohort.producers).selectinload(User.profile))
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


def enrol_producer(actor: User | None, cohort_id: int, producer_id: int) -> Cohort:
    """Add a producer to a cohort. ``actor`` None is the CLI/demo seeding.

    Admins add any producer. A trainer adds only a producer they already manage (one of their other
    cohorts) into a cohort they train: never a producer in no cohort, whose password they could then
    reset (account takeover).

    :raises NotFound: when the cohort is not the actor's.
    :raises Invalid: when the producer is not one the actor may add.
    """
    cohort = db.session.get(Cohort, cohort_id) if actor is None else get_cohort(actor, cohort_id)
    if cohort is None:
        raise NotFound(str(_l("Kelompok pelatihan tidak ditemukan.")))
    producer = db.session.get(User, producer_id)
    if producer is None or producer.role != Role.PRODUCER or (
            actor is not None and actor.role == Role.TRAINER and not trainer_can_see_producer(actor, producer)):
        raise Invalid(str(_l("Pilih akun produsen.")), field="producer_id")
    if producer not in cohort.producers:
        cohort.producers.append(producer)
    db.session.commit()
    return cohort


def create_producer(actor: User, data: auth_services.NewUser) -> User:
    """Make a producer account inside a cohort, in one transaction: an admin picks any cohort, a trainer
    one they train. When the cohort is refused no account is left behind.

    :raises Invalid: on ``cohort_id`` when none is given; the errors of ``auth.services.create_user``.
    :raises NotFound: when the cohort is not the actor's.
    """
    if data.role != Role.PRODUCER:
        return auth_services.create_user(actor, data)
    if not data.cohort_id:
        raise Invalid(str(_l("Pilih pelatihan untuk produsen ini.")), field="cohort_id")
    cohort = get_cohort(actor, data.cohort_id)
    try:
        user = auth_services.create_user(actor, data, commit=False)
        cohort.producers.append(user)
        auth_services.audit(actor, "create_producer", user, f"cohort {cohort.id}")
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return user


def move_producer(actor: User, producer_id: int, cohort_id: int) -> User:
    """Move a producer to another cohort (admins only; logged): she leaves every other cohort.

    :raises Forbidden: for everyone but admins.
    """
    if actor.role != Role.ADMIN:
        raise Forbidden(str(_l("Hanya admin yang memindahkan produsen ke pelatihan lain.")))
    producer = db.session.get(User, producer_id)
    if producer is None or producer.role != Role.PRODUCER:
        raise NotFound(str(_l("Akun tidak ditemukan.")))
    target = get_cohort(actor, cohort_id)
    before = list(db.session.scalars(select(Cohort).join(cohort_producers)
                                     .where(cohort_producers.c.user_id == producer.id)))
    for cohort in before:
        if cohort.id != target.id:
            cohort.producers.remove(producer)
    if producer not in target.producers:
        target.producers.append(producer)
    auth_services.audit(actor, "cohort_move", producer,
                        f"{','.join(str(c.id) for c in before) or '-'} -> {target.id}")
    db.session.commit()
    return producer


def producers_to_add(actor: User, cohort: Cohort) -> list[User]:
    """Producers the actor may add to ``cohort``: for admins those in no cohort, for trainers their own
    producers of other cohorts."""
    if actor.role == Role.ADMIN:
        return producers_without_cohort()
    if actor.role != Role.TRAINER:
        return []
    ids = trainer_producer_ids(actor) - {p.id for p in cohort.producers}
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.full_name)))


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
    """Ids of producers in any cohort this trainer trains (read once per request: every permission
    check of a review or board page asks; any write in the request reads it afresh)."""
    from ..identity import request_memo

    def read() -> set[int]:
        q = (select(cohort_producers.c.user_id)
             .join(cohort_trainers, cohort_trainers.c.cohort_id == cohort_producers.c.cohort_id)
             .where(cohort_trainers.c.user_id == trainer.id))
        return set(db.session.scalars(q))
    # cohort memberships are written through Cohort (its producers and trainers) or by deleting a
    # User; a write of either (or any statement outside the unit of work) reads them afresh
    return set(request_memo(f"cohorts.trainer_producer_ids.{trainer.id}", read, depends_on=(Cohort, User)))


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


from .nutrition import cohort_templates, nutrition_template_for, save_nutrition_template  # noqa: E402,F401
