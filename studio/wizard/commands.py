"""``flask --app app studio clean-photo``: the photo cleanup on one file, for trainers and benchmarks."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app

from ..cli import studio_cli


@studio_cli.command("clean-photo")
@click.argument("input_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for cutout.png, mask.png and catalogue.jpg.")
@click.option("--size", "size_px", type=int, default=None, help="Catalogue side in pixels (default PHOTO_SIZE_PX).")
def clean_photo_cmd(input_path: Path, out_dir: Path, size_px: int | None) -> None:
    """Clean INPUT with the same pipeline as the studio; print a JSON summary."""
    from ..imaging import UploadRejected
    from ..imaging.cli import clean_file

    size = size_px or int(current_app.config.get("PHOTO_SIZE_PX", 1200))
    try:
        summary = clean_file(input_path, out_dir, size_px=size)
    except UploadRejected as e:
        raise click.ClickException(f"{e.message_id} / {e.message_en}") from e
    click.echo(json.dumps(summary, indent=2, ensure_ascii=False))
