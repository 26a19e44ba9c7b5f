"""Who may use an endpoint. Every view declares it; tests/test_routes.py checks that none is left out."""
from __future__ import annotations

from functools import wraps

from flask import abort, g, redirect, request, session, url_for
from flask_login import current_user

from .models import Role

ALL_ROLES = tuple(Role)


def role_required(*roles: str):
    """Allow only logged-in users with one of ``roles``; anonymous users go to the login page."""
    def deco(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                if request.path.startswith("/api/"):
                    abort(401)
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        wrapped.required_roles = tuple(roles)
        return wrapped
    return deco


def login_required(view):
    """Any logged-in user."""
    return role_required(*ALL_ROLES)(view)


def public(view):
    """Open to everyone, including anonymous buyers."""
    view.required_roles = ("public",)
    return view


def init_session_check(app, login_manager) -> None:
    """Server-side session state: the version in the cookie must match the account's. Logout,
    password change or reset, deactivation and "end sessions" raise it, so every copy of a cookie
    stops working at once (also in another browser)."""
    from .services import session_user

    @login_manager.user_loader
    def load_user(user_id: str):
        return session_user(user_id, session.get("sv"))

    @app.before_request
    def _load_user_afresh():
        # Requests that share an app context (tests, the CLI's test client) must not reuse a user
        # loaded by an earlier request: every request checks its own cookie.
        g.pop("_login_user", None)
