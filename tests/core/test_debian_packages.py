"""`make test` and `make demo` set up the Debian packages they need, or stop at once
with the one command to run (scripts/ensure-debian-packages)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "ensure-debian-packages"


def fake(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)


@pytest.fixture
def machine(tmp_path):
    """A machine where chromium is missing and everything else is installed; apt-get
    and sudo only write down how they were called. PATH holds the fakes and the few
    real tools the script uses, so no real sudo or apt-get is ever reached."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("awk", "dirname"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    log = tmp_path / "calls"
    fake(
        bin_dir,
        "dpkg-query",
        'case "$3" in chromium) echo "unknown ok not-installed";; '
        '*) echo "install ok installed";; esac',
    )
    fake(bin_dir, "apt-get", f'echo "apt-get $*" >> {log}')

    def run(*, uid: int, sudo: bool, need: str = "test"):
        fake(bin_dir, "id", f"echo {uid}")
        if sudo:
            fake(bin_dir, "sudo", f'[ "$1" = -n ] && shift; echo "sudo" >> {log}; "$@"')
        result = subprocess.run(  # noqa: S603
            ["/bin/sh", str(SCRIPT), need],
            env={"PATH": str(bin_dir)},
            capture_output=True,
            text=True,
            timeout=30,
        )
        calls = log.read_text() if log.exists() else ""
        return result, calls

    return run


def test_without_root_or_sudo_it_stops_at_once_with_the_command_to_run(machine):
    result, calls = machine(uid=1000, sudo=False)
    assert result.returncode == 1
    assert "sudo apt-get install -y --no-install-recommends chromium" in result.stderr
    assert calls == ""


def test_as_root_it_installs_what_is_missing_and_nothing_else(machine):
    result, calls = machine(uid=0, sudo=False)
    assert result.returncode == 0, result.stderr
    assert "apt-get install -y -qq --no-install-recommends chromium" in calls
    assert "fonts-noto-cjk" not in calls


def test_through_sudo_without_a_password_it_installs_what_is_missing(machine):
    result, calls = machine(uid=1000, sudo=True)
    assert result.returncode == 0, result.stderr
    assert calls.startswith("sudo") and "install -y -qq --no-install-recommends chromium" in calls


def test_the_demo_needs_no_browser(machine):
    result, calls = machine(uid=1000, sudo=False, need="demo")
    assert result.returncode == 0 and calls == ""
