"""Photo use-cases without HTTP: corrections and their stored steps, replay, jobs, main photo, deletion."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from studio import jobs
from studio.errors import Forbidden, Invalid, NotFound
from studio.extensions import db
from studio.imaging import open_upload, run_cleanup
from studio.imaging.synthetic import jpeg_bytes, make_photo
from studio.media import media
from studio.products import photos
from studio.products.models import Photo

from .conftest import media_files, open_bytes


@pytest.fixture(scope="module")
def scene():
    """A jar on paper with its exact mask (True = product)."""
    return make_photo(21, size=(480, 360), product="jar", background="paper")


@pytest.fixture(autouse=True)
def request_ctx(app):
    # Services word their errors in the user's language; studio.i18n.select_locale reads the session,
    # which needs a request context (outside one it raises; reported to the lead).
    with app.test_request_context():
        yield


def _mask(photo: Photo) -> np.ndarray:
    return np.asarray(open_bytes(media().read(photo.mask_key)).convert("L"))


def test_correction_with_a_box_and_two_taps_changes_the_mask_and_is_replayable(app, owner, product, scene):
    photo = photos.add_photo(owner, product.id, jpeg_bytes(scene.image), "jar.jpg")
    assert photo.status == "ready"
    auto_mask = _mask(photo)
    ys, xs = np.nonzero(scene.mask)
    box = [float(xs.min() - 10), float(ys.min() - 10), float(xs.max() + 10), float(ys.max() + 10)]
    centre = [float(round(xs.mean())), float(round(ys.mean()))]
    cut_here = [float(round(xs.mean())), float(ys.min() + 6)]          # the jar's lid: call it background
    photos.correct_photo(owner, photo.id, {"box": box, "fg_points": [centre], "bg_points": [cut_here]})
    db.session.refresh(photo)
    assert photo.status == "ready"
    names = [name for name, _ in photo.steps]
    assert names.index("segment") < names.index("correct_mask") < names.index("square")
    params = dict(photo.steps)["correct_mask"]
    assert params["box"] == box and params["fg_points"] == [centre] and params["bg_points"] == [cut_here]
    fixed = _mask(photo)
    assert not np.array_equal(fixed, auto_mask)
    assert fixed[int(centre[1]), int(centre[0])] >= 128
    assert fixed[int(cut_here[1]), int(cut_here[0])] < 128
    # Replaying the stored steps on the untouched original gives the stored mask again.
    original = open_upload(media().read(photo.original_key)).image
    again = np.asarray(run_cleanup(original, photo.steps, thumb_sizes=()).mask)
    assert np.mean(np.abs(again.astype(int) - fixed.astype(int))) < 0.5
    # The correction page can show the marks again.
    back = photos.corrections_from_steps(photo.steps)
    assert back["box"] == box and back["fg_points"] == [centre] and back["bg_points"] == [cut_here]


def test_rotation_crop_shadow_and_background_become_steps_and_come_back(app):
    raw = {"rotate": 90, "crop": [10, 20, 300, 250], "shadow": True, "background": "#F5EEE2", "fill_ratio": "0.7",
           "fg_points": [[[10, 10], [20, 12], [30, 15]]], "bg_points": [[5, 5]]}
    steps = photos.steps_from_corrections(raw, (480, 360))
    names = [n for n, _ in steps]
    assert names.index("correct_mask") < names.index("crop") < names.index("rotate") < names.index("white_balance")
    assert names.index("soft_shadow") == names.index("square") - 1
    assert dict(steps)["rotate"] == {"degrees": 270.0} or dict(steps)["rotate"] == {"degrees": 270}
    assert dict(steps)["square"]["background"] == "#f5eee2" and dict(steps)["square"]["fill_ratio"] == 0.7
    back = photos.corrections_from_steps(steps)
    assert back["rotate"] == 90 and back["shadow"] is True and back["crop"] == [10, 20, 300, 250]
    assert back["fg_points"] == [[[10, 10], [20, 12], [30, 15]]] and back["bg_points"] == [[5, 5]]
    assert photos.steps_from_corrections({}, (480, 360)) == photos.normalise_steps(photos.DEFAULT_CLEANUP)


@pytest.mark.parametrize("raw, field", [
    ({"rotate": 45}, "rotate"),
    ({"background": "url(javascript:x)"}, "background"),
    ({"fill_ratio": 3}, "fill_ratio"),
    ({"box": [0, 0, 2, 2]}, "box"),
    ({"box": "everything"}, "box"),
    ({"fg_points": [["a", 1]]}, "fg_points"),
    ({"bg_points": [[float("nan"), 1]]}, "bg_points"),
    ({"fg_points": [[[1, 1]] * 5000]}, "fg_points"),
])
def test_malformed_corrections_are_refused_on_their_field(app, raw, field):
    with pytest.raises(Invalid) as e:
        photos.steps_from_corrections(raw, (480, 360))
    assert e.value.field == field and e.value.message


def test_marks_outside_the_photo_are_kept_inside_it(app):
    steps = photos.steps_from_corrections({"fg_points": [[-50, 9999]]}, (480, 360))
    assert dict(steps)["correct_mask"]["fg_points"] == [[0.0, 359.0]]


def test_a_quarter_turn_turns_the_cutout(app, owner, product, plain_jpeg):
    photo = photos.add_photo(owner, product.id, plain_jpeg, "box.jpg")
    photos.correct_photo(owner, photo.id, {"rotate": 90})
    db.session.refresh(photo)
    cutout = open_bytes(media().read(photo.cutout_key))
    assert cutout.mode == "RGBA" and cutout.size == (photo.height_px, photo.width_px)


def test_a_rerun_after_a_crash_rewrites_the_same_files_and_leaves_no_temp_file(app, owner, product, plain_jpeg):
    photo = photos.add_photo(owner, product.id, plain_jpeg, "box.jpg")
    first = {k: media().read(getattr(photo, k)) for k in ("catalogue_key", "cutout_key", "mask_key")}
    keys = (photo.catalogue_key, photo.cutout_key, photo.mask_key, dict(photo.thumb_keys))
    files = media_files(app)
    job = db.session.get(jobs.Job, photo.job_id)
    job.status = jobs.JobStatus.QUEUED        # what resume_pending does with a job a crash left running
    db.session.commit()
    jobs.run_job(job.id)
    db.session.refresh(photo)
    assert (photo.catalogue_key, photo.cutout_key, photo.mask_key, dict(photo.thumb_keys)) == keys
    assert {k: media().read(getattr(photo, k)) for k in first} == first
    assert media_files(app) == files
    assert not [f for f in files if ".tmp-" in f]


def test_a_job_superseded_by_a_newer_correction_writes_nothing(app, owner, product, plain_jpeg, later):
    photo = photos.add_photo(owner, product.id, plain_jpeg, "box.jpg")
    old_job = photo.job_id
    photos.correct_photo(owner, photo.id, {"background": "#eeeeee"})
    new_job = photo.job_id
    assert later == [old_job, new_job]
    jobs.run_job(old_job)
    db.session.refresh(photo)
    assert photo.status == "queued" and photo.catalogue_key is None
    jobs.run_job(new_job)
    db.session.refresh(photo)
    assert photo.status == "ready" and dict(photo.steps)["square"]["background"] == "#eeeeee"
    corner = open_bytes(media().read(photo.catalogue_key)).getpixel((2, 2))
    assert all(abs(c - 238) <= 3 for c in corner)


def test_a_failed_cleanup_marks_the_photo_failed_and_it_can_be_retried(app, owner, product, plain_jpeg,
                                                                       monkeypatch):
    def boom(*a, **kw):
        raise RuntimeError("out of memory")

    monkeypatch.setattr("studio.products.tasks.run_cleanup", boom)
    photo = photos.add_photo(owner, product.id, plain_jpeg, "box.jpg")
    assert photo.status == "failed"
    assert photos.photo_progress(owner, photo.id)["finished"] is True
    with pytest.raises(Invalid):
        photos.set_primary_photo(owner, photo.id)
    monkeypatch.undo()
    photos.correct_photo(owner, photo.id, photos.corrections_from_steps(photo.steps))
    assert photo.status == "ready"


def test_main_photo_can_be_chosen_and_moves_when_it_is_deleted(app, owner, product, plain_jpeg, later):
    first = photos.add_photo(owner, product.id, plain_jpeg, "a.jpg")
    second = photos.add_photo(owner, product.id, plain_jpeg, "b.jpg")     # same bytes: one original file
    assert first.original_key == second.original_key
    assert product.primary_photo_id == first.id
    photos.set_primary_photo(owner, second.id)
    assert product.primary_photo_id == second.id
    photos.delete_photo(owner, second.id)
    assert product.primary_photo_id == first.id
    assert media().exists(first.original_key)          # still used by the first photo
    for job_id in list(later):
        jobs.run_job(job_id)
    photos.delete_photo(owner, first.id)
    assert product.primary_photo_id is None
    assert not media().exists(first.original_key)
    assert not Path(media().path(f"derived/{first.id}")).exists()
    assert db.session.scalar(db.select(db.func.count(Photo.id))) == 0


def test_other_people_cannot_see_or_change_a_photo(app, owner, product, plain_jpeg, create_user, cohort_with,
                                                   later):
    photo = photos.add_photo(owner, product.id, plain_jpeg, "a.jpg")
    stranger = create_user("producer")
    for call in (lambda: photos.get_photo(stranger, photo.id),
                 lambda: photos.correct_photo(stranger, photo.id, {}),
                 lambda: photos.set_primary_photo(stranger, photo.id),
                 lambda: photos.delete_photo(stranger, photo.id),
                 lambda: photos.photo_file(stranger, photo.id, "preview"),
                 lambda: photos.add_photo(stranger, product.id, plain_jpeg, "x.jpg")):
        with pytest.raises(NotFound):
            call()
    _cohort, trainer, [student] = cohort_with(1)
    theirs = photos.add_photo(student, photos.get_product(student, _new_product(student)).id, plain_jpeg, "t.jpg")
    assert photos.get_photo(trainer, theirs.id).id == theirs.id
    with pytest.raises(Forbidden):
        photos.correct_photo(trainer, theirs.id, {})
    with pytest.raises(NotFound):
        photos.photo_file(trainer, theirs.id, "original")    # the phone's GPS stays with the owner


def _new_product(owner) -> int:
    from studio.products.services import create_product

    return create_product(owner, "Sambal Pecel").id


def test_a_product_holds_a_bounded_number_of_photos(app, owner, product, plain_jpeg, later, monkeypatch):
    monkeypatch.setattr(photos, "MAX_PHOTOS_PER_PRODUCT", 2)
    photos.add_photo(owner, product.id, plain_jpeg, "a.jpg")
    photos.add_photo(owner, product.id, plain_jpeg, "b.jpg")
    with pytest.raises(Exception) as e:
        photos.add_photo(owner, product.id, plain_jpeg, "c.jpg")
    assert getattr(e.value, "field", None) == "photo"
