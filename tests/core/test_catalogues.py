"""The translation catalogues are complete and their compiled files are current."""

import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "solidarity" / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))


def test_there_are_zh_hans_and_spanish_catalogues():
    assert {po.parts[-3] for po in CATALOGUES} >= {"zh_Hans", "es"}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-3])
def test_every_message_is_translated_and_the_compiled_catalogue_is_current(po, tmp_path):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "install gettext (msgfmt) to check the catalogues"
    compiled = tmp_path / "django.mo"
    result = subprocess.run(  # noqa: S603
        [msgfmt, "--check", "--statistics", "-o", str(compiled), str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    assert compiled.read_bytes() == po.with_suffix(".mo").read_bytes(), (
        "run `make messages` and commit the .mo files"
    )
