"""Login, logout, language, own account and profile; account admin for trainers and admins."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from ..errors import StudioError
from . import services
from .access import login_required, public, role_required
from .forms import ActionForm, ChangePasswordForm, LoginForm, ProfileForm, ResetPasswordForm, UserForm
from .models import Role

bp = Blueprint("auth", __name__)

HOME_BY_ROLE = {Role.PRODUCER: "wizard.home", Role.TRAINER: "cohorts.home", Role.HUB: "hub.home",
                Role.ADMIN: "auth.admin_home"}


ROLE_LABELS = {Role.PRODUCER: _l("Produsen"), Role.TRAINER: _l("Pendamping"), Role.HUB: _l("Operator hub"),
               Role.ADMIN: _l("Admin")}


ACCOUNT_ACTIONS = {
    "reset_password": _l("kata sandi diganti oleh pendamping/admin"),
    "require_password_change": _l("diminta mengganti kata sandi"),
    "deactivate": _l("akun dinonaktifkan"), "activate": _l("akun diaktifkan lagi"),
    "end_sessions": _l("semua sesi diakhiri"), "create_producer": _l("akun dibuat"),
    "cohort_move": _l("dipindah ke pelatihan lain"),
}


def _actor_name(user_id: int) -> str:
    user = services.get_by_id(user_id)
    return user.username if user else "?"


@bp.app_context_processor
def auth_helpers():
    return {"role_label": lambda role: ROLE_LABELS.get(role, role),
            "account_action_label": lambda action: ACCOUNT_ACTIONS.get(action, action),
            "account_actor_name": _actor_name}


def safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def field_errors(form, err: StudioError) -> None:
    """Put a service error on its form field (or on the form as a whole)."""
    if err.field and err.field in form:
        form[err.field].errors = list(form[err.field].errors) + [err.message]
    else:
        flash(err.message, "error")


@bp.route("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(url_for(HOME_BY_ROLE[Role(current_user.role)]))
    return redirect(url_for("catalogue.home"))


@bp.route("/masuk", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.login.data, form.password.data, request.remote_addr or "?",
                                         _known_devices())
        except services.LoginLocked as e:
            form.login.errors = [e.message]
            return render_template("auth/login.html", form=form), 429
        except StudioError as e:
            field_errors(form, e)
        else:
            session.clear()
            login_user(user)
            session["sv"] = user.session_version
            if user.locale:
                session["lang"] = user.locale
            target = safe_next(request.args.get("next")) or url_for("auth.index")
            return _remember_device(redirect(target), user)
    return render_template("auth/login.html", form=form)


KNOWN_DEVICE_COOKIE = "studio_perangkat"


def _known_devices() -> set[str]:
    return set((request.cookies.get(KNOWN_DEVICE_COOKIE) or "").split(".")[:20]) - {""}


def _remember_device(resp, user):
    """Mark this browser as one where ``user`` logged in (see services.authenticate)."""
    tags = [t for t in (request.cookies.get(KNOWN_DEVICE_COOKIE) or "").split(".") if t]
    tag = services.device_tag(user.id)
    tags = ([tag] + [t for t in tags if t != tag])[:20]
    resp.set_cookie(KNOWN_DEVICE_COOKIE, ".".join(tags), max_age=90 * 86400, httponly=True, samesite="Lax",
                    secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return resp


@bp.route("/keluar", methods=["POST"])
@login_required
def logout():
    lang = session.get("lang")
    services.log_out(current_user)
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("Anda sudah keluar."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/bahasa", methods=["POST"])
@public
def set_language():
    lang = request.form.get("lang", "id")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = lang
    if current_user.is_authenticated:
        services.set_locale(current_user, lang)
    return redirect(safe_next(request.form.get("next")) or url_for("auth.index"))


@bp.route("/akun", methods=["GET", "POST"])
@login_required
def account():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            session["sv"] = services.change_password(current_user, form.old_password.data, form.new_password.data)
        except StudioError as e:
            field_errors(form, e)
        else:
            flash(_("Kata sandi sudah diganti."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form)


@bp.route("/profil-usaha", methods=["GET", "POST"])
@role_required(Role.PRODUCER)
def profile():
    prof = current_user.profile
    form = ProfileForm(obj=prof)
    if form.validate_on_submit():
        try:
            services.update_profile(current_user, current_user.id, form.data)
        except StudioError as e:
            field_errors(form, e)
        else:
            flash(_("Profil usaha tersimpan."), "success")
            return redirect(url_for("wizard.home"))
    return render_template("auth/profile.html", form=form)


@bp.route("/admin")
@role_required(Role.ADMIN)
def admin_home():
    users = services.list_users(current_user)
    from ..cohorts.services import list_cohorts  # dashboard reads an earlier feature's query

    return render_template("admin/home.html", users=users, cohorts=list_cohorts(current_user))


@bp.route("/akun/baru", methods=["GET", "POST"])
@role_required(Role.ADMIN, Role.TRAINER)
def new_user():
    from ..cohorts import services as cohort_services

    form = UserForm()
    if current_user.role == Role.TRAINER:
        form.role.choices = [("producer", _("Produsen"))]
    cohort_id = request.args.get("cohort", type=int)
    form.cohort_id.choices = [(0, "—")] + [(c.id, c.name) for c in cohort_services.list_cohorts(current_user)]
    if request.method == "GET" and cohort_id:
        form.cohort_id.data = cohort_id
    if form.validate_on_submit():
        chosen = form.cohort_id.data or cohort_id
        try:
            user = cohort_services.create_producer(current_user, services.NewUser(
                username=form.username.data, full_name=form.full_name.data, role=form.role.data,
                password=form.password.data, phone=form.phone.data, business_name=form.business_name.data or "",
                cohort_id=chosen or None))
        except StudioError as e:
            field_errors(form, e)
        else:
            flash(_("Akun %(u)s sudah dibuat. Berikan nama pengguna dan kata sandi kepada pemiliknya.",
                    u=user.username), "success")
            if chosen and user.role == Role.PRODUCER:
                return redirect(url_for("cohorts.detail", cohort_id=chosen))
            return redirect(url_for(HOME_BY_ROLE[Role(current_user.role)]))
    return render_template("auth/new_user.html", form=form, cohort_id=cohort_id)


@bp.route("/akun/<int:user_id>/sandi", methods=["GET", "POST"])
@role_required(Role.ADMIN, Role.TRAINER)
def reset_password(user_id: int):
    from ..cohorts.forms import MoveForm
    from ..cohorts.services import get_managed_user, list_cohorts

    try:
        user = get_managed_user(current_user, user_id)
    except StudioError:
        abort(404)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(current_user, user, form.password.data, must_change=form.must_change.data)
        except StudioError as e:
            field_errors(form, e)
        else:
            flash(_("Kata sandi %(u)s sudah diganti. Semua sesinya sudah diakhiri.", u=user.username), "success")
            return redirect(url_for(HOME_BY_ROLE[Role(current_user.role)]))
    move_form = None
    if current_user.role == Role.ADMIN and user.role == Role.PRODUCER:
        move_form = MoveForm(formdata=None)
        move_form.cohort_id.choices = [(c.id, c.name) for c in list_cohorts(current_user)]
    history = services.account_history(current_user, user.id) if current_user.role == Role.ADMIN else []
    return render_template("auth/reset_password.html", form=form, user=user, move_form=move_form,
                           action_form=ActionForm(), history=history)


@bp.route("/akun/<int:user_id>/wajib-ganti-sandi", methods=["POST"])
@role_required(Role.ADMIN)
def require_password_change(user_id: int):
    try:
        user = services.require_password_change(current_user, user_id)
    except StudioError:
        abort(404)
    flash(_("%(u)s harus mengganti kata sandi saat membuka halaman berikutnya.", u=user.username), "success")
    return redirect(url_for("auth.reset_password", user_id=user_id))


#: pages an account that must change its password may still open
_PASSWORD_CHANGE_OPEN = {"auth.account", "auth.logout", "auth.set_language", "static"}


@bp.before_app_request
def _must_change_password():
    """An account whose password was set by someone else (or that an admin flagged) chooses its own
    before anything else; every other page leads to the password form (a server rule, not a link)."""
    if request.endpoint in _PASSWORD_CHANGE_OPEN or request.endpoint is None:
        return None
    if current_user.is_authenticated and getattr(current_user, "must_change_password", False):
        if request.path.startswith("/api/"):
            abort(403)
        flash(_("Ganti dulu kata sandi Anda dengan kata sandi pilihan Anda sendiri."), "warning")
        return redirect(url_for("auth.account"))
    return None


@bp.route("/akun/<int:user_id>/akhiri-sesi", methods=["POST"])
@role_required(Role.ADMIN)
def end_sessions(user_id: int):
    try:
        user = services.end_sessions(current_user, user_id)
    except StudioError:
        abort(404)
    if user.id == current_user.id:
        session["sv"] = user.session_version
    flash(_("Semua sesi %(u)s sudah diakhiri.", u=user.username), "success")
    return redirect(url_for("auth.reset_password", user_id=user_id))


@bp.route("/akun/<int:user_id>/nonaktif", methods=["POST"])
@role_required(Role.ADMIN)
def deactivate(user_id: int):
    return _set_active(user_id, False)


@bp.route("/akun/<int:user_id>/aktif", methods=["POST"])
@role_required(Role.ADMIN)
def activate(user_id: int):
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool):
    try:
        user = services.set_active(current_user, user_id, active)
    except services.NotFound:
        abort(404)
    except StudioError as e:
        flash(e.message, "error")
        return redirect(url_for("auth.admin_home"))
    flash(_("Akun %(u)s sudah diaktifkan.", u=user.username) if active
          else _("Akun %(u)s sudah dinonaktifkan. Semua sesinya sudah diakhiri.", u=user.username), "success")
    return redirect(url_for("auth.reset_password", user_id=user_id))
