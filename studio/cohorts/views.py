"""Cohort admin: list, create, members."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import role_required
from ..auth.models import Role
from ..auth.views import field_errors
from ..errors import StudioError
from . import services
from .forms import CohortForm, EnrolForm, MoveForm

bp = Blueprint("cohorts", __name__, url_prefix="/pelatihan")


@bp.route("/")
@role_required(Role.ADMIN, Role.TRAINER)
def home():
    return render_template("cohorts/list.html", cohorts=services.list_cohorts(current_user))


@bp.route("/baru", methods=["GET", "POST"])
@role_required(Role.ADMIN, Role.TRAINER)
def new():
    form = CohortForm()
    form.trainer_ids.choices = [(t.id, t.full_name) for t in services.list_trainers()]
    if form.validate_on_submit():
        try:
            cohort = services.create_cohort(current_user, services.CohortData(
                name=form.name.data, desa=form.desa.data or "", kecamatan=form.kecamatan.data or "",
                start_date=form.start_date.data, end_date=form.end_date.data,
                agencies=form.agencies.data or ""), trainer_ids=form.trainer_ids.data)
        except StudioError as e:
            field_errors(form, e)
        else:
            flash(_("Pelatihan \"%(n)s\" sudah dibuat.", n=cohort.name), "success")
            return redirect(url_for("cohorts.detail", cohort_id=cohort.id))
    return render_template("cohorts/new.html", form=form)


@bp.route("/<int:cohort_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN, Role.TRAINER)
def detail(cohort_id: int):
    try:
        cohort = services.get_cohort(current_user, cohort_id)
    except StudioError:
        abort(404)
    form = EnrolForm()
    form.producer_id.choices = [(u.id, u.display_name) for u in services.producers_to_add(current_user, cohort)]
    if form.validate_on_submit():
        try:
            services.enrol_producer(current_user, cohort_id, form.producer_id.data)
        except StudioError as e:
            field_errors(form, e)
        else:
            flash(_("Produsen sudah ditambahkan."), "success")
            return redirect(url_for("cohorts.detail", cohort_id=cohort_id))
    return render_template("cohorts/detail.html", cohort=cohort, form=form)


@bp.route("/produsen/<int:user_id>/pindah", methods=["POST"])
@role_required(Role.ADMIN)
def move_producer(user_id: int):
    form = MoveForm()
    form.cohort_id.choices = [(c.id, c.name) for c in services.list_cohorts(current_user)]
    if not form.validate_on_submit():
        flash(_("Pilih pelatihan tujuan."), "error")
        return redirect(url_for("auth.reset_password", user_id=user_id))
    try:
        services.move_producer(current_user, user_id, form.cohort_id.data)
    except StudioError as e:
        flash(e.message, "error")
        return redirect(url_for("auth.admin_home"))
    flash(_("Produsen sudah dipindahkan."), "success")
    return redirect(url_for("cohorts.detail", cohort_id=form.cohort_id.data))
