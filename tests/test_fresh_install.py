"""The README's first command alone is enough for every task: requirements.txt, in a fresh venv."""

import os
import subprocess
import sys

import pytest

from conftest import REPO, copy_project


@pytest.mark.slow
def test_requirements_txt_alone_runs_the_import_and_the_mirror(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = subprocess.run([str(venv / "bin/pip"), "install", "-q", "-r", str(REPO / "requirements.txt")],
                             capture_output=True, text=True, timeout=900, check=False)  # fmt: skip
    assert install.returncode == 0, install.stdout + install.stderr
    project = copy_project(tmp_path / "project")
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    environment = {**environment, "PATH": f"{venv / 'bin'}{os.pathsep}{environment.get('PATH', '')}"}

    def task(*args):
        return subprocess.run([str(venv / "bin/invoke"), *args], cwd=project, env=environment, capture_output=True,
                              text=True, timeout=600, check=False)  # fmt: skip

    imported = task("import-wordpress", str(REPO / "tests/fixtures/globalvoices-wxr-1.1.xml"))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert (project / "content/imported/kyrgyzstan-bishkek-marches-for-a-free-press.md").is_file()
    mirrored = task("mirror", "neweurasia", "--dry-run")
    assert mirrored.returncode == 0, mirrored.stdout + mirrored.stderr
    assert "      new  " in mirrored.stdout, "the demo's mirrored posts would be sent"
