"""Wizard step 1 "Data produk": the data form in short sections, revision history, and the
trainer's CSV/JSON import and CSV export for a cohort.

Only the owner edits (trainers, admins and the hub read). Every save goes through
``products.data.save_product_data``: a draft with an invalid value is saved with the typed text,
so after any submit the page is simply shown again (post/redirect/get) with the text kept and the
message next to its field.
"""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import login_required, role_required
from ..auth.models import Role
from ..auth.views import field_errors
from ..cohorts.services import get_cohort, nutrition_template_for
from ..errors import NotFound, StudioError
from ..extensions import db
from ..products import data as svc
from ..products.forms import ImportForm, ProductDataForm, field_name
from ..products.importer import MAX_BYTES, csv_template, export_products_csv, import_products
from ..products.models import ProductRevision
from ..products.sections import SECTION_BY_KEY, SECTION_OF_FIELD, choice_text, field_label, sections_for
from ..rules.allergens import GROUPS, detect_allergens
from ..rules.labeltext import nutrition_panel
from ..rules.messages import Severity
from .services import progress_for
from .views import STEP_ENDPOINTS, bp, load_own_product, load_product


def _locale() -> str:
    return str(get_locale() or "id")


def _cleared_required(check, keys, before: dict[str, str]) -> list[str]:
    """Fields of this section that the label or the listing needs, had a value before this save
    and are now empty (blank, spaces only, only invisible characters)."""
    needed = set(check.completeness.label_missing) | set(check.completeness.listing_missing)
    return [k for k in keys if k in needed and str(before.get(k) or "").strip() and k not in check.errors]


def _field_notes(check, locale: str, cleared=()) -> dict[str, list[tuple[str, str]]]:
    """Messages per record key: ("error" | "warning" | "info", text). Errors first."""
    notes: dict[str, list[tuple[str, str]]] = {}
    for key in cleared:
        notes.setdefault(key, []).append(("error", _(
            "Wajib diisi. Isian ini dikosongkan, jadi produk belum bisa dicetak atau diterbitkan.")))
    for key, msg in check.errors.items():
        notes.setdefault(key, []).append(("error", msg.text(locale)))
    for f in check.warnings:
        kind = {Severity.BLOCKER: "error", Severity.ERROR: "error", Severity.WARNING: "warning"}.get(f.severity, "info")
        notes.setdefault(f.field or "", []).append((kind, f.msg.text(locale)))
    for items in notes.values():
        items.sort(key=lambda n: ("error", "warning", "info").index(n[0]))
    return notes


def _meter(product, check, locale: str) -> dict:
    """Everything the completeness card shows."""
    cls = str(check.clean.get("product_class") or product.product_class)
    visible = {s.key for s in sections_for(cls)}

    def item(key: str) -> dict:
        section = SECTION_OF_FIELD.get(key) or SECTION_OF_FIELD.get(key.split(".")[0] + ".fat")
        return {"key": key, "label": field_label(key, locale),
                "section": section.key if section and section.key in visible else None,
                "anchor": field_name(key)}

    fix: dict[str, str] = {k: m.text(locale) for k, m in check.errors.items()}
    for f in check.problems:
        if f.field:
            fix.setdefault(f.field, f.msg.text(locale))
    label_missing = [k for k in check.completeness.label_missing if k not in fix]
    profile = product.owner.profile
    return {
        "percent": check.percent, "complete_label": check.complete_label,
        "complete_listing": check.complete_listing,
        "label_missing": [item(k) for k in label_missing],
        "listing_missing": [item(k) for k in check.completeness.listing_missing
                            if k not in label_missing and k not in fix],
        "fix": [{**item(k), "message": text} for k, text in fix.items()],
        "profile_missing": not (profile and profile.address.strip() and
                                (profile.business_name.strip() or profile.owner_name.strip())),
    }


def _section_states(check, cls: str) -> list[dict]:
    missing = set(check.completeness.label_missing) | set(check.completeness.listing_missing)
    bad = set(check.errors) | {f.field for f in check.problems}
    noted = {f.field for f in check.warnings if f.severity == Severity.WARNING}
    out = []
    for s in sections_for(cls):
        keys = s.fields_for(cls)
        keys_top = {k.split(".")[0] for k in keys}
        out.append({"section": s, "missing": len([k for k in missing if k in keys or k in keys_top]),
                    "bad": len([k for k in bad if k in keys]), "notes": len([k for k in noted if k in keys]),
                    "filled": len([k for k in keys if check.raw.get(k)]), "total": len(keys)})
    return out


def first_open_section(product) -> str:
    """The key of the first section that still lacks something (or has a wrong value)."""
    check = svc.check_for_product(product)
    cls = str(check.clean.get("product_class") or product.product_class)
    for st in _section_states(check, cls):
        if st["bad"] or st["missing"]:
            return st["section"].key
    return sections_for(cls)[0].key


def _read_only_rows(values: dict[str, str], cls: str, locale: str,
                    needed: set[str]) -> list[tuple[object, list[tuple[str, str]]]]:
    """Filled fields (and empty ones the label or listing needs) by section, as display text."""
    rows = []
    for s in sections_for(cls):
        items = []
        for key in s.fields_for(cls):
            text = values.get(key, "")
            if not text and key not in needed:
                continue
            if key in ("allergens_confirmed", "may_contain") and text:
                text = ", ".join(GROUPS.get(g.strip(), (g.strip(),))[0] for g in text.split(","))
            elif text:
                text = choice_text(key, text)
            items.append((field_label(key, locale), text))
        rows.append((s, items))
    return rows


def _base(product) -> dict:
    facts, states = progress_for(product)
    return {"product": product, "states": states, "endpoints": STEP_ENDPOINTS, "facts": facts,
            "profile": product.owner.profile}


@bp.route("/produk/<int:product_id>/data", methods=["GET", "POST"])
@login_required
def product_data(product_id: int):
    """Summary (no ``bagian``) or one section of the product data (``?bagian=isi``)."""
    product = load_product(product_id)
    locale = _locale()
    can_edit = current_user.id == product.owner_id
    key = request.args.get("bagian")
    if key is None or not can_edit:
        if request.method == "POST":
            abort(403)
        check = svc.check_for_product(product)
        cls = str(check.clean.get("product_class") or product.product_class)
        return render_template("wizard/product_summary.html", **_base(product), check=check, can_edit=can_edit,
                               meter=_meter(product, check, locale), sections=_section_states(check, cls),
                               rows=_read_only_rows(svc.product_form_values(product), cls, locale,
                                                    set(check.completeness.label_missing)
                                                    | set(check.completeness.listing_missing)))
    product = load_own_product(product_id)
    section = SECTION_BY_KEY.get(key)
    values = svc.product_form_values(product)
    cls = values.get("product_class") or product.product_class
    visible = sections_for(cls)
    if section is None or section not in visible:
        abort(404)
    keys = section.fields_for(cls)
    form = ProductDataForm()
    if request.method == "POST":
        submitted = form.section_values(keys)
        ticked = _pretick_allergens(product, values, submitted, keys)
        use = request.form.get("pakai", "")
        if use in keys:   # "Pakai saran": the server computes the suggestion, never trusts the client's
            suggested = svc.suggestions(svc.check_for_product(product, {**values, **submitted}))
            submitted[use] = suggested.get(use, submitted[use])
        if form.validate_fields(keys):
            try:
                svc.save_product_data(current_user, product.id, {**values, **submitted}, locale=locale)
            except svc.ProductDataInvalid:
                pass   # saved as a draft with the typed text; the messages show next to the fields
            # no refresh: the save commits keeping the rows it wrote (identity.commit_keeping_loaded),
            # so ``product`` already names its new current revision
            check = svc.check_for_product(product)
            cleared = _cleared_required(check, keys, values)
            if ticked:
                names = ", ".join(GROUPS.get(g, (g,))[0] for g in ticked)
                flash(_("Bahan Anda mengandung alergen %(names)s: sudah dicentang dan akan dicetak tebal. "
                        "Hapus centangnya hanya jika pendamping menyatakan bahan itu bebas alergen.", names=names),
                      "info")
            if not cleared:
                return _after_save(product, section, keys, request.form.get("aksi", "draf"), check)
            # a required field was emptied (blank, spaces, invisible characters): the draft is
            # saved, but the producer is told next to the field, and the form shows what was typed
            flash(_("Disimpan sebagai draf. Isian wajib dikosongkan: produk belum bisa dicetak atau "
                    "diterbitkan. Lihat pesan merah."), "warning")
            status = 200   # saved (as a draft): not an error status, the page says what is missing
        else:
            # not saved (a field is far too long): show the page again with everything as typed
            flash(_("Belum disimpan: ada isian yang terlalu panjang. Lihat tanda merah."), "error")
            check, status, cleared = svc.check_for_product(product, {**values, **submitted}), 400, []
    else:
        form.fill({**_prefill(product, keys, values), **values})
        check, status, cleared = svc.check_for_product(product), 200, []
    idx = visible.index(section)
    detected, panel = {}, None
    if "allergens_confirmed" in keys:
        detected = detect_allergens(i["name"] for i in check.clean.get("ingredients") or [])
    if section.key == "gizi":
        try:
            panel = nutrition_panel(check.clean, svc.rule_settings())
        except ValueError:   # incomplete values: the messages next to the fields say what is missing
            panel = None
    return render_template(
        "wizard/product_section.html", **_base(product), form=form, section=section, keys=keys,
        sections=visible, index=idx, next_section=visible[idx + 1] if idx + 1 < len(visible) else None,
        prev_section=visible[idx - 1] if idx else None, notes=_field_notes(check, locale, cleared),
        suggestions=svc.suggestions(check), meter=_meter(product, check, locale), detected=detected,
        section_states=_section_states(check, cls), values=values, field_name=field_name,
        panel=panel, derived=_derived(check, values), template=_template_note(product, keys, values)), status


def _derived(check, values: dict[str, str]) -> dict[str, str]:
    """Values the studio worked out itself (shown as a sentence, not asked): the P-IRT food-type
    code and the packaging material, both read from the P-IRT number."""
    out = {}
    for key in ("pirt_food_code", "packaging_material"):
        if not values.get(key) and key not in check.errors and check.clean.get(key):
            out[key] = choice_text(key, str(check.clean[key]))
    return out


def _prefill(product, keys: list[str], values: dict[str, str]) -> dict[str, str]:
    """What a section shows in its empty fields before the producer types: the NIB of her business
    profile, the nutrition table her trainer prepared for this kind of product. Nothing is saved
    until she saves the section."""
    out: dict[str, str] = {}
    profile = product.owner.profile
    if "nib" in keys and not values.get("nib") and profile is not None and profile.nib:
        out["nib"] = profile.nib
    if "nutrition.fat" in keys and not any(values.get(k) for k in keys):
        template = nutrition_template_for(product.owner, values.get("category") or "")
        if template:
            out.update(template)
    return out


def _template_note(product, keys: list[str], values: dict[str, str]) -> bool:
    """Whether the nutrition fields show the trainer's table (nothing typed yet)."""
    if "nutrition.fat" not in keys or any(values.get(k) for k in keys):
        return False
    return bool(nutrition_template_for(product.owner, values.get("category") or ""))


def _pretick_allergens(product, values: dict[str, str], submitted: dict[str, str], keys: list[str]) -> list[str]:
    """Tick the allergens found in ingredients that are new in this save (typed or changed now):
    the producer confirms by leaving them ticked. An allergen she unticks later, with the same
    ingredients, stays unticked, and the section then is not done (the rules' ALG-01 error)."""
    if "ingredients" not in keys or "allergens_confirmed" not in keys:
        return []

    def found(raw: dict[str, str]) -> set[str]:
        clean = svc.check_for_product(product, raw).clean
        exempt = {str(x).strip().lower() for x in clean.get("allergen_exempt") or ()}
        return set(detect_allergens(i["name"] for i in clean.get("ingredients") or ()
                                    if i["name"].strip().lower() not in exempt))

    after = {**values, **submitted}
    if (values.get("ingredients") or "") == (after.get("ingredients") or ""):
        return []
    new = found(after) - found(values)
    ticked = [g.strip() for g in (submitted.get("allergens_confirmed") or "").split(",") if g.strip()]
    add = [g for g in GROUPS if g in new and g not in ticked]
    if add:
        submitted["allergens_confirmed"] = ", ".join(ticked + add)
    return add


def _after_save(product, section, keys: list[str], action: str, check=None):
    """Where to go after a save: stay when this section still has a problem or on "Simpan draf".
    ``check``: the product's current check, when the caller has it (read after the save)."""
    if check is None:
        db.session.refresh(product)
        check = svc.check_for_product(product)
    cls = str(check.clean.get("product_class") or product.product_class)
    bad = [k for k in keys if k in check.errors or any(f.field == k for f in check.problems)]
    if bad:
        flash(_("Disimpan sebagai draf. Ada isian yang perlu diperbaiki: lihat pesan merah."), "warning")
        return redirect(url_for("wizard.product_data", product_id=product.id, bagian=section.key) + "#isi-bagian")
    if action != "lanjut":
        flash(_("Draf disimpan."), "success")
        return redirect(url_for("wizard.product_data", product_id=product.id, bagian=section.key))
    visible = sections_for(cls)
    after = [s for s in visible if s.number > section.number]
    if check.complete_label and all(s.key == "jual" for s in after) and section.key != "jual":
        # everything the label needs is there: on to the label; the catalogue data can wait
        flash(_("Data untuk label lengkap. Lihat label Anda; data katalog (stok, berat kirim) bisa diisi nanti."),
              "success")
        facts, _states = progress_for(product)
        return redirect(url_for("wizard.design" if facts.has_primary_photo else "wizard.photos", product_id=product.id))
    if not after and check.complete_label:
        flash(_("Data produk lengkap untuk label.") if not check.complete_listing
              else _("Data produk lengkap untuk label dan katalog."), "success")
    else:
        flash(_("Tersimpan."), "success")
    if after:
        return redirect(url_for("wizard.product_data", product_id=product.id, bagian=after[0].key))
    return redirect(url_for("wizard.product_data", product_id=product.id))


@bp.route("/produk/<int:product_id>/riwayat")
@login_required
def product_history(product_id: int):
    """Every saved version, and what changed between two of them (``?a=1&b=3``)."""
    product = load_product(product_id)
    revisions = list(db.session.scalars(db.select(ProductRevision).where(ProductRevision.product_id == product.id)
                                        .order_by(ProductRevision.number.desc())))
    numbers = [r.number for r in revisions]
    changes, a, b = None, None, None
    if len(numbers) >= 2 or request.args.get("a"):
        try:
            b = int(request.args.get("b", numbers[0] if numbers else 0))
            a = int(request.args.get("a", numbers[1] if len(numbers) > 1 else 0))
            changes = svc.revision_diff(current_user, product.id, a, b)
        except (ValueError, NotFound):
            abort(404)
    locale = _locale()
    return render_template("wizard/product_history.html", **_base(product), revisions=revisions, changes=changes,
                           a=a, b=b, label=lambda k: field_label(k, locale), choice_text=choice_text)


# -- trainer: import and export a cohort's products -------------------------------------------


def _cohort(cohort_id: int):
    try:
        return get_cohort(current_user, cohort_id)
    except NotFound:
        abort(404)


@bp.route("/pelatihan/<int:cohort_id>/impor", methods=["GET", "POST"])
@role_required(Role.TRAINER, Role.ADMIN)
def product_import(cohort_id: int):
    cohort = _cohort(cohort_id)
    form = ImportForm()
    form.owner_id.choices = [("", _("— pakai kolom owner —"))] + [
        (str(p.id), p.display_name) for p in cohort.producers]
    report = None
    status = 200
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(MAX_BYTES + 1) if upload else b""
        if not data and upload and upload.filename:   # a file was chosen, but it holds nothing
            form.file.errors = list(form.file.errors) + [_("Berkas %(name)s kosong (0 byte). Pilih berkas yang "
                                                           "berisi data produk.", name=upload.filename)]
            status = 400
        elif not data:
            form.file.errors = list(form.file.errors) + [_("Pilih berkas CSV atau JSON dulu.")]
            status = 400
        else:
            owner = next((p for p in cohort.producers if str(p.id) == form.owner_id.data), None)
            try:
                report = import_products(current_user, data, upload.filename or "", cohort=cohort, owner=owner,
                                         dry_run=form.dry_run.data, locale=_locale())
            except StudioError as e:
                field_errors(form, e)
                status = 400
            else:
                status = 200 if report.ok else 422
    elif request.method == "POST":
        status = 400
    return render_template("wizard/import_products.html", cohort=cohort, form=form, report=report), status


@bp.route("/pelatihan/<int:cohort_id>/impor/templat.csv")
@role_required(Role.TRAINER, Role.ADMIN)
def product_import_template(cohort_id: int):
    _cohort(cohort_id)
    return Response(csv_template(_locale()), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="templat-produk.csv"'})


@bp.route("/pelatihan/<int:cohort_id>/ekspor.csv")
@role_required(Role.TRAINER, Role.ADMIN)
def product_export(cohort_id: int):
    cohort = _cohort(cohort_id)
    return Response(export_products_csv(current_user, cohort), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="produk-pelatihan-{cohort.id}.csv"'})


# -- trainer: a cohort's nutrition tables ----------------------------------------------------

@bp.route("/pelatihan/<int:cohort_id>/tabel-gizi", methods=["GET", "POST"])
@role_required(Role.TRAINER, Role.ADMIN)
def nutrition_templates(cohort_id: int):
    """The nutrition table per kind of product that the cohort's producers find already filled in."""
    from ..cohorts.services import cohort_templates, save_nutrition_template
    from ..cohorts.nutrition import TEMPLATE_KEYS

    cohort = _cohort(cohort_id)
    form = ProductDataForm()
    form.category.choices = [c for c in form.category.choices if c[0] not in ("", "kerajinan", "lainnya")]
    status = 200
    if request.method == "POST":
        keys = ["category", *TEMPLATE_KEYS]
        if form.validate_fields(keys):
            values = form.section_values(keys)
            try:
                save_nutrition_template(current_user, cohort, values["category"], values)
            except StudioError as e:
                target = form[field_name(e.field)] if e.field and field_name(e.field) in form else form.category
                target.errors = list(target.errors) + [e.message]
                status = 400
            else:
                flash(_("Tabel gizi untuk %(c)s tersimpan. Produsen pelatihan ini menemukannya di bagian "
                        "Informasi gizi.", c=choice_text("category", values["category"])), "success")
                return redirect(url_for("wizard.nutrition_templates", cohort_id=cohort.id))
        else:
            status = 400
    elif request.args.get("kategori"):
        form.fill({"category": request.args["kategori"],
                   **cohort_templates(cohort).get(request.args["kategori"], {})})
    tables = [(choice_text("category", c), c, t) for c, t in sorted(cohort_templates(cohort).items())]
    return render_template("cohorts/nutrition.html", cohort=cohort, form=form, tables=tables,
                           keys=TEMPLATE_KEYS, field_name=field_name), status
