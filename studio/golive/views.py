"""Going live: the demo banner with "Hapus data demo", the setup checklist, the log page."""
from __future__ import annotations

from flask import Blueprint, abort, flash, got_request_exception, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import role_required
from ..auth.models import Role
from ..errors import Forbidden, StudioError
from . import demo_data
from .forms import ConfirmForm

bp = Blueprint("golive", __name__)


@got_request_exception.connect
def _remember_page_error(sender, exception, **_extra) -> None:
    """A page failed with an unexpected error: keep it for the admin's log page (in words there)."""
    from .logs import record_error

    record_error(f"{request.method} {request.path}", exception)


@bp.app_context_processor
def golive_helpers():
    # functions, so only pages that show the banner query anything
    return {"demo_banner": _demo_banner, "golive_form": ConfirmForm, "backup_status": _backup_status}


def _backup_status():
    from .tasks import backup_overview

    try:
        return backup_overview()
    except Exception:
        return None


def _demo_banner() -> list[str]:
    """Demo accounts that still open with the public demo password, for admin and hub pages."""
    if not current_user.is_authenticated or current_user.role not in (Role.ADMIN, Role.HUB):
        return []
    try:
        return demo_data.banner_accounts()
    except Exception:   # a page must not fail because of the banner (e.g. schema not there yet)
        return []


@bp.route("/admin/hapus-data-demo", methods=["POST"])
@role_required(Role.ADMIN)
def remove_demo():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        report = demo_data.remove_demo(current_user)
    except Forbidden:
        abort(403)
    except StudioError as e:
        flash(e.message, "error")
        return redirect(_back())
    msg = _("Data demo sudah dihapus: %(n)d akun, %(f)d berkas.", n=len(report.deleted_accounts),
            f=report.deleted_files)
    if report.kept_accounts:
        msg += " " + _("Akun demo yang masih dipakai data nyata dinonaktifkan dan kata sandinya diganti: %(a)s.",
                       a=", ".join(report.kept_accounts))
    flash(msg, "success")
    return redirect(url_for("auth.admin_home"))


def _back() -> str:
    from ..auth.views import safe_next

    return safe_next(request.form.get("next")) or url_for("auth.admin_home")


@bp.route("/admin/siap-pakai", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def checklist():
    from flask_login import current_user as actor

    from . import setup
    from .forms import HubIdentityForm

    form = HubIdentityForm()
    if request.method == "GET":
        form.name.data, form.district.data = setup.get_setting(setup.HUB_NAME), setup.get_setting(setup.HUB_DISTRICT)
    if form.validate_on_submit():
        try:
            setup.set_hub_identity(actor, form.name.data, form.district.data)
        except StudioError as e:
            from ..auth.views import field_errors

            field_errors(form, e)
        else:
            flash(_("Nama hub dan kecamatan tersimpan."), "success")
            return redirect(url_for("golive.checklist"))
    steps = setup.checklist()
    return render_template("golive/checklist.html", steps=steps, form=form,
                           done=sum(s.done for s in steps), demo_form=ConfirmForm())


@bp.route("/admin/catatan")
@role_required(Role.ADMIN)
def logs():
    from . import logs as log_service

    return render_template("golive/logs.html", errors=log_service.recent_errors(),
                           failures=log_service.job_failures(), backup=_backup_status())
