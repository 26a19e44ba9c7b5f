"""Every endpoint declares who may use it (STYLE.md E15)."""


def test_every_endpoint_declares_who_may_use_it(app):
    undeclared = [e for e, view in app.view_functions.items()
                  if e != "static" and not hasattr(view, "required_roles")]
    assert not undeclared, f"add @role_required(...) or @public to: {undeclared}"


def test_state_changing_routes_are_not_public_except_login_and_language(app):
    allowed_public_posts = {"auth.login", "auth.set_language"}
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint == "static" or rule.endpoint.startswith("api."):
            continue
        if {"POST", "PUT", "DELETE", "PATCH"} & set(rule.methods or ()):
            if view.required_roles == ("public",):
                assert rule.endpoint in allowed_public_posts, f"{rule.endpoint} accepts POST from anyone"
