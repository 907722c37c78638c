"""Reading policies never discloses other files: links, special files and code frames.

A pull request can add any file to ``policies/``, links included. Whatever it adds, the
check, the build and the pytest plugin read only regular files inside the folder, and a
report quotes only lines of files that were read as policies.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sites import copy_sample

from support_policies.policyset import discover, load_policies

SECRET = "SUPPORT_POLICIES_TEST_SECRET=hunter2-do-not-print"
VALID = "severities:\n  - id: critical\n    rank: 1\n    name: Critical\n    definition: Everything is down.\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "severities.yaml").write_text(VALID, "utf-8")
    return policies


def rules_of(result) -> list[tuple[str, str]]:
    return [(Path(f.file).name, f.rule) for f in result.findings]


def secret_file(tmp_path: Path) -> Path:
    outside = tmp_path / "outside" / "secret.yaml"
    outside.parent.mkdir()
    outside.write_text(f"not: [valid\n{SECRET}\n", "utf-8")
    return outside


# --- scenario table ----------------------------------------------------------------------------


def _link_to_proc(folder: Path, tmp_path: Path) -> None:
    (folder / "env.yaml").symlink_to("/proc/self/environ")


def _link_outside(folder: Path, tmp_path: Path) -> None:
    (folder / "secret.yaml").symlink_to(secret_file(tmp_path))


def _relative_link_outside(folder: Path, tmp_path: Path) -> None:
    secret_file(tmp_path)
    (folder / "up.yaml").symlink_to("../outside/secret.yaml")


def _dangling(folder: Path, tmp_path: Path) -> None:
    (folder / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")


def _fifo(folder: Path, tmp_path: Path) -> None:
    os.mkfifo(folder / "pipe.yaml")


def _folder_link_outside(folder: Path, tmp_path: Path) -> None:
    secret_file(tmp_path)
    (folder / "more").symlink_to(tmp_path / "outside", target_is_directory=True)


def _link_to_a_device(folder: Path, tmp_path: Path) -> None:
    (folder / "zero.yaml").symlink_to("/dev/zero")


SCENARIOS = {
    "link to /proc/self/environ": (_link_to_proc, ("env.yaml", "io.link-outside")),
    "link to a file outside": (_link_outside, ("secret.yaml", "io.link-outside")),
    "relative link out of the folder": (_relative_link_outside, ("up.yaml", "io.link-outside")),
    "dangling link": (_dangling, ("gone.yaml", "io.dangling-link")),
    "FIFO": (_fifo, ("pipe.yaml", "io.special-file")),
    "link to a folder outside": (_folder_link_outside, ("more", "io.link-outside")),
    "link to a device": (_link_to_a_device, ("zero.yaml", "io.link-outside")),
}


@pytest.mark.parametrize("case", SCENARIOS)
def test_discovery_refuses(folder, tmp_path, case):
    make, expected = SCENARIOS[case]
    make(folder, tmp_path)
    result = load_policies([folder])
    assert rules_of(result) == [expected]
    assert result.findings[0].line == 0  # about the file as a whole: no frame to show
    assert all(SECRET not in text and "PATH=" not in text for text in result.texts.values())
    assert {Path(name).name for name in result.texts} == {"severities.yaml"}


def test_link_inside_the_folder_is_read_once(folder):
    (folder / "alias.yaml").symlink_to(folder / "severities.yaml")
    files, findings = discover([folder])
    assert findings == [] and files == [folder.resolve() / "severities.yaml"]


def test_hidden_files_and_folders_are_skipped(folder):
    (folder / ".draft.yaml").write_text("broken: [\n", "utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "x.yaml").write_text("broken: [\n", "utf-8")
    assert load_policies([folder]).findings == []


@pytest.mark.parametrize("path", ["/proc/self/environ", "/dev/zero"])
def test_a_special_file_named_on_its_own_is_refused(path):
    result = load_policies([path])
    assert [f.rule for f in result.findings] == ["io.special-file"]
    assert result.texts == {}


# --- every front door --------------------------------------------------------------------------


def _env() -> dict[str, str]:
    return {**os.environ, "SUPPORT_POLICIES_TEST_SECRET": SECRET.split("=", 1)[1], "NO_COLOR": "1"}


def test_check_never_prints_the_environment(folder, tmp_path):
    (folder / "env.yaml").symlink_to("/proc/self/environ")
    done = subprocess.run(
        [sys.executable, "-m", "support_policies", "check", "policies"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "hunter2" not in done.stdout + done.stderr
    assert "policies/env.yaml: error: the link leads outside the policies folder" in done.stdout


def test_a_frame_never_shows_a_file_that_was_not_read(folder, tmp_path):
    """A settings file that fails to load is quoted; a file that was refused is not."""
    (folder / "env.yaml").symlink_to(secret_file(tmp_path))
    done = subprocess.run(
        [sys.executable, "-m", "support_policies", "check", "policies", "--format", "text"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "hunter2" not in done.stdout and " | " not in done.stdout


def test_build_never_prints_the_environment(tmp_path):
    project = copy_sample(tmp_path)
    (project / "policies" / "env.yaml").symlink_to("/proc/self/environ")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        env={**_env(), "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0
    assert "hunter2" not in done.stdout + done.stderr
    assert "io.link-outside" in done.stderr
    assert not (project / "site").exists()


def test_pytest_plugin_never_prints_the_environment(folder, tmp_path):
    (folder / "env.yaml").symlink_to("/proc/self/environ")
    (tmp_path / "pytest.ini").write_text("[pytest]\nsupport_policies = true\n", "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stdout
    assert "hunter2" not in done.stdout + done.stderr
    assert "io.link-outside" in done.stdout


def test_the_real_path_of_a_file_is_realpaths_with_folders_remembered(tmp_path):
    """Reading many files, the loader remembers each folder's real path; a file that is a link,
    a path with dots or a folder that is a link come out as ``os.path.realpath`` has them."""
    from support_policies.loader import _real_path

    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.yaml").write_text("x: 1\n")
    (tmp_path / "via").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "env.yaml").symlink_to("/proc/self/environ")
    (tmp_path / "proc").symlink_to("/proc/self")
    (tmp_path / ".hidden").mkdir()
    paths = [
        tmp_path / "real" / "a.yaml",
        tmp_path / "via" / "a.yaml",
        tmp_path / "real" / "env.yaml",
        tmp_path / "proc" / "environ",
        tmp_path / "via" / ".." / "real" / "a.yaml",
        tmp_path / ".hidden" / ".." / "proc" / "environ",
        tmp_path / "real" / "missing.yaml",
        Path("/a.yaml"),
    ]
    folders: dict[str, tuple[tuple[int, int], str]] = {}
    for _ in range(2):  # the second time from the folders remembered
        for path in paths:
            assert _real_path(str(path), folders) == os.path.realpath(path), path
    assert folders


def test_a_folder_swapped_for_a_link_into_proc_during_a_load_is_caught(tmp_path):
    """The folder's real path is kept only while it is the same folder: swapped for a link into
    /proc after its first file was read, its next file is refused, as without the cache."""
    import shutil

    from support_policies.loader import read_text

    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "a.yaml").write_text("glossary: []\n")
    folders: dict[str, tuple[tuple[int, int], str]] = {}
    assert read_text(folder / "a.yaml", None, folders)[0] is not None
    shutil.rmtree(folder)
    folder.symlink_to("/proc/self")
    text, findings = read_text(folder / "status", None, folders)
    assert text is None and [f.rule for f in findings] == ["io.special-file"]
