"""The admin's "Pengaturan hub" page, and the public-address banner shared by the hub and admin homes."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, user_logged_in

from .. import site
from ..auth.access import role_required
from ..auth.models import Role
from ..auth.views import safe_next, field_errors
from ..errors import StudioError
from . import services
from .forms import PublicUrlForm

bp = Blueprint("hubsetup", __name__)


@dataclass(frozen=True)
class PublicAddress:
    """What the banners show: the address in use and, when a phone cannot open it, why."""

    url: str
    problem: str | None


def public_address() -> PublicAddress:
    url = site.public_base_url()
    problem = site.public_url_problem(url)
    return PublicAddress(url=url, problem=problem.text(str(get_locale() or "id")) if problem else None)


@bp.app_context_processor
def public_address_helper():
    # a function, so only the pages that show the banner read the setting
    return {"public_address": public_address}


def needs_public_url() -> bool:
    """True when the catalogue's address is unset or one a buyer's phone cannot open."""
    return site.public_url_problem(site.public_base_url()) is not None


_ASK_KEY = "hubsetup_ask_public_url"


@user_logged_in.connect
def _ask_after_login(_app, user, **_extra) -> None:
    """Setting up a hub: an admin is asked once per login for the catalogue's address (the login
    view knows nothing of this feature; the next page the admin opens is the question)."""
    if getattr(user, "role", None) == Role.ADMIN:
        session[_ASK_KEY] = True


@bp.before_app_request
def _ask_public_url():
    if not session.get(_ASK_KEY) or request.method != "GET" or request.endpoint in (None, "static"):
        return None
    session.pop(_ASK_KEY, None)
    if request.endpoint == "hubsetup.settings" or not needs_public_url():
        return None
    return redirect(url_for("hubsetup.settings", pertama=1, next=request.full_path.rstrip("?")))


@bp.route("/admin/pengaturan-hub", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def settings():
    first = request.args.get("pertama") == "1"
    after = safe_next(request.args.get("next")) or url_for("auth.admin_home")
    form = PublicUrlForm()
    if request.method == "GET":
        stored, address = services.public_url_setting(), public_address()
        form.public_url.data = stored.value if stored else ("" if address.problem else address.url)
    if form.validate_on_submit():
        try:
            value = services.set_public_url(current_user, form.public_url.data, str(get_locale() or "id"))
        except StudioError as e:
            field_errors(form, e)
        else:
            flash(_("Alamat publik katalog tersimpan. Kode QR yang dicetak mulai sekarang membuka %(u)s/p/…",
                    u=value), "success")
            return redirect(after if first else url_for("hubsetup.settings"))
    return render_template("admin/settings.html", form=form, address=public_address(),
                           stored=services.public_url_setting(), first=first, after=after)
