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


def test_every_blueprint_comes_from_the_one_list_in_create_app(app):
    """create_app registers every blueprint from studio.BLUEPRINTS, and nothing else registers one."""
    import importlib
    from pathlib import Path

    from studio import BLUEPRINTS

    listed = [getattr(importlib.import_module(m), a) for m, a in BLUEPRINTS]
    assert len({id(bp) for bp in listed}) == len(listed)
    assert {id(bp) for bp in app.blueprints.values()} == {id(bp) for bp in listed}
    studio_dir = Path(__file__).resolve().parent.parent / "studio"
    elsewhere = [str(p.relative_to(studio_dir)) for p in studio_dir.rglob("*.py")
                 if p != studio_dir / "__init__.py" and "register_blueprint(" in p.read_text(encoding="utf-8")]
    assert not elsewhere, f"blueprints registered outside create_app: {elsewhere}"


def test_templates_link_to_endpoints_without_asking_whether_they_exist(app):
    """Every endpoint a template names exists (url_for fails loudly otherwise); no template checks
    ``url_map_endpoints`` (an undefined name in Jinja would silently hide the link)."""
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parent.parent / "templates"
    asking, unknown = [], []
    for path in sorted(templates.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if "url_map_endpoints" in text:
            asking.append(str(path.relative_to(templates)))
        unknown += [f"{path.relative_to(templates)}: {ep}" for ep in re.findall(r"url_for\('([\w.]+)'", text)
                    if ep not in app.view_functions]
    assert not asking, f"templates asking whether an endpoint exists: {asking}"
    assert not unknown, "\n".join(unknown)
