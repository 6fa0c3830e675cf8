"""The built wheel works from another folder and finds the shipped templates and data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_installed_elsewhere_finds_templates_and_runs(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("*.whl")
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = (
        "import toolkit, toolkit.paths as p; "
        "print(toolkit.__file__); print(p.templates_dir()); "
        "print((p.templates_dir() / 'new' / 'person.yaml.j2').is_file()); "
        "print((p.templates_dir() / 'web' / 'base.html.j2').is_file()); "
        "print((p.PACKAGE_DIR / 'web' / 'static' / 'htmx.min.js').is_file())"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    assert out[0].startswith(str(target))
    assert out[1].startswith(str(target))
    assert out[2] == "True"
    assert out[3:5] == ["True", "True"], "the web app's templates and static files are shipped"
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "check", str(ROOT / "cases")],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "is in orde" in result.stdout
