"""Export never loses data: what it owns, what it refuses, and kills injected after every step.

A kill is injected by running the export in a subprocess whose ``writer._hook`` sends the
process SIGKILL once a named step has completed (see writer.py's documentation).
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from support_policies.exports import writer
from support_policies.exports.writer import (
    EXCHANGE_STEPS,
    IN_PLACE_STEPS,
    MARKER,
    NEW_STEPS,
    STAGING,
    ExportError,
    write_export,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="kills are injected with SIGKILL")

OLD = {
    "index.md": "old index",
    "plans.md": "plans",
    "downloads/github/a.yml": "a1",
    "gone/only-old.txt": "gone",
    "shape": "a file that becomes a folder",
    "flip/inner.md": "a folder that becomes a file",
}
NEW = {
    "index.md": "new index",
    "plans.md": "plans",
    "downloads/github/a.yml": "a2",
    "downloads/email/b.txt": "b",
    "shape/inside.md": "now a folder",
    "flip": "now a file",
    "new.md": "new",
}

_SCRIPT = r"""
import json, os, signal, sys
from pathlib import Path
from support_policies.exports import writer

spec = json.loads(sys.argv[1])

class File:
    def __init__(self, path, content):
        self.path, self.content = path, content.encode("utf-8")

if spec["in_place"]:
    writer._exchange = lambda first, second: False

def hook(step):
    if step == spec.get("add_after"):
        for path, content in spec["add"].items():
            Path(spec["out"], path).parent.mkdir(parents=True, exist_ok=True)
            Path(spec["out"], path).write_text(content)
    if step == spec.get("kill_after"):
        os.kill(os.getpid(), signal.SIGKILL)

writer._hook = hook
try:
    writer.write_export([File(p, c) for p, c in spec["files"].items()], Path(spec["out"]))
except writer.ExportError as exc:
    print(exc, file=sys.stderr)
    sys.exit(2)
"""


class _File:
    def __init__(self, path: str, content: str | bytes = "x"):
        self.path = path
        self.content = content if isinstance(content, bytes) else content.encode("utf-8")


def _files(spec: dict[str, str]) -> list[_File]:
    return [_File(path, content) for path, content in spec.items()]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _export_in_subprocess(
    out: Path,
    files: dict[str, str],
    *,
    kill_after: str | None = None,
    in_place: bool = False,
    add_after: str | None = None,
    add: dict[str, str] | None = None,
) -> subprocess.CompletedProcess:
    spec = {
        "out": str(out),
        "files": files,
        "kill_after": kill_after,
        "in_place": in_place,
        "add_after": add_after,
        "add": add or {},
    }
    return subprocess.run([sys.executable, "-c", _SCRIPT, json.dumps(spec)], capture_output=True, text=True, timeout=60)


@pytest.fixture
def in_place(monkeypatch):
    """Export as on a system without renameat2(RENAME_EXCHANGE)."""
    monkeypatch.setattr(writer, "_exchange", lambda first, second: False)


@pytest.fixture
def reference(tmp_path_factory):
    """The exact trees a complete export of OLD and of NEW leaves."""
    trees = {}
    for name, files in (("old", OLD), ("new", NEW)):
        out = tmp_path_factory.mktemp(name) / "support"
        write_export(_files(files), out)
        trees[name] = _tree(out)
    return trees


@pytest.fixture
def docs(tmp_path):
    """A docs folder with a page of the user's next to the export, and a folder that only looks like staging."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "index.md").write_text("# My site\n", "utf-8")
    lookalike = folder / f".support{STAGING}0000mine"
    lookalike.mkdir()
    (lookalike / "notes.txt").write_text("mine", "utf-8")
    return folder


def _user_files_survive(docs: Path) -> None:
    assert (docs / "index.md").read_text("utf-8") == "# My site\n"
    assert (docs / f".support{STAGING}0000mine" / "notes.txt").read_text("utf-8") == "mine"


def _no_staging_left(docs: Path) -> None:
    assert _entries(docs) == [f".support{STAGING}0000mine", "index.md", "support"]


# --- kills after every step ---------------------------------------------------------


@pytest.mark.parametrize("step", NEW_STEPS)
def test_a_kill_while_creating_the_folder_leaves_no_folder_or_the_new_export(docs, reference, step):
    out = docs / "support"
    done = _export_in_subprocess(out, NEW, kill_after=step)
    assert done.returncode == -signal.SIGKILL, done.stderr
    if NEW_STEPS.index(step) < NEW_STEPS.index("renamed"):
        assert not out.exists()
    else:
        assert _tree(out) == reference["new"]
    _user_files_survive(docs)
    write_export(_files(NEW), out)
    assert _tree(out) == reference["new"]
    _no_staging_left(docs)


@pytest.mark.parametrize("step", EXCHANGE_STEPS)
def test_a_kill_while_replacing_the_folder_leaves_the_old_or_the_new_export(docs, reference, step):
    out = docs / "support"
    write_export(_files(OLD), out)
    done = _export_in_subprocess(out, NEW, kill_after=step)
    assert done.returncode == -signal.SIGKILL, done.stderr
    expected = "old" if EXCHANGE_STEPS.index(step) < EXCHANGE_STEPS.index("exchanged") else "new"
    assert _tree(out) == reference[expected]
    _user_files_survive(docs)
    write_export(_files(NEW), out)
    assert _tree(out) == reference["new"]
    _no_staging_left(docs)


@pytest.mark.parametrize("step", IN_PLACE_STEPS)
def test_a_kill_while_updating_in_place_leaves_a_folder_of_whole_files(docs, reference, step, in_place):
    out = docs / "support"
    write_export(_files(OLD), out)
    done = _export_in_subprocess(out, NEW, kill_after=step, in_place=True)
    assert done.returncode == -signal.SIGKILL, done.stderr
    index = IN_PLACE_STEPS.index(step)
    if index < IN_PLACE_STEPS.index("marker-merged"):
        assert _tree(out) == reference["old"]
    elif index >= IN_PLACE_STEPS.index("marker-written"):
        assert _tree(out) == reference["new"]
    else:
        tree = _tree(out)
        for path, content in tree.items():
            assert path == MARKER or content.decode() in (OLD.get(path), NEW.get(path)), path
    _user_files_survive(docs)
    write_export(_files(NEW), out)  # recognises every file and finishes the job
    assert _tree(out) == reference["new"]
    _no_staging_left(docs)


def test_the_step_lists_are_the_steps_export_takes(tmp_path, monkeypatch):
    seen: list[str] = []
    monkeypatch.setattr(writer, "_hook", lambda step: seen[-1:] == [step] or seen.append(step))
    out = tmp_path / "out"
    write_export(_files(OLD), out)
    assert tuple(seen) == NEW_STEPS
    seen.clear()
    write_export(_files(NEW), out)
    assert tuple(seen) == EXCHANGE_STEPS, "on Linux the folders are exchanged with renameat2"
    seen.clear()
    monkeypatch.setattr(writer, "_exchange", lambda first, second: False)
    write_export(_files(OLD), out)
    assert tuple(seen) == IN_PLACE_STEPS


def test_kill_between_renames_leaves_a_folder(docs, reference):
    """Regression: the swap was two renames, and a kill between them left no folder at all."""
    out = docs / "support"
    write_export(_files(OLD), out)
    for step, in_place in (("exchanged", False), ("file-replaced", True)):
        done = _export_in_subprocess(out, NEW, kill_after=step, in_place=in_place)
        assert done.returncode == -signal.SIGKILL
        assert out.is_dir() and (out / MARKER).is_file() and (out / "index.md").is_file()
    write_export(_files(NEW), out)
    assert _tree(out) == reference["new"]
    _no_staging_left(docs)


def test_stale_staging_folders_are_cleaned(docs, reference):
    """Regression: killed exports left hidden staging folders that were never cleaned."""
    out = docs / "support"
    write_export(_files(OLD), out)
    kills = [(step, False) for step in ("staging-created", "file-written", "staged", "exchanged", "old-partly-removed")]
    for number, (step, in_place) in enumerate([*kills, ("file-replaced", True)]):
        # Each export cleans up after the earlier ones: kill each in a folder of its own, then gather the leftovers.
        scratch = docs.parent / f"scratch-{number}" / "support"
        write_export(_files(OLD), scratch)
        done = _export_in_subprocess(scratch, NEW, kill_after=step, in_place=in_place)
        assert done.returncode == -signal.SIGKILL
        [left] = [p for p in scratch.parent.iterdir() if p.name.startswith(f".support{STAGING}")]
        left.rename(docs / left.name)
    (docs / f".support{STAGING}00000000").mkdir()  # killed right after creating it
    (docs / f".support{STAGING}00000001").mkdir()  # killed while writing its first marker
    (docs / f".support{STAGING}00000001" / f"{MARKER}.next").write_text('{"manifest": 1, "stag', "utf-8")
    stale = [p for p in docs.iterdir() if p.name.startswith(f".support{STAGING}") and not p.name.endswith("mine")]
    assert len(stale) == 8
    write_export(_files(NEW), out)
    assert _tree(out) == reference["new"]
    _no_staging_left(docs)
    _user_files_survive(docs)


def test_a_left_over_folder_holding_other_files_stops_the_export(docs, reference):
    out = docs / "support"
    write_export(_files(OLD), out)
    done = _export_in_subprocess(
        out, NEW, add_after="staged", add={"late.md": "added during the export"}, kill_after="exchanged"
    )
    assert done.returncode == -signal.SIGKILL
    assert _tree(out) == reference["new"]
    [left] = [p for p in docs.iterdir() if p.name.startswith(f".support{STAGING}") and not p.name.endswith("mine")]
    with pytest.raises(ExportError, match=r"left behind by an interrupted export .* late\.md"):
        write_export(_files(NEW), out)
    assert (left / "late.md").read_text() == "added during the export"
    (left / "late.md").rename(docs / "late.md")
    write_export(_files(NEW), out)
    assert not left.exists()


def test_a_kill_after_swapping_back_leaves_the_old_export_and_the_added_file(docs, reference):
    out = docs / "support"
    write_export(_files(OLD), out)
    done = _export_in_subprocess(out, NEW, add_after="staged", add={"late.md": "late"}, kill_after="swapped-back")
    assert done.returncode == -signal.SIGKILL
    assert _tree(out) == {**reference["old"], "late.md": b"late"}
    with pytest.raises(ExportError, match=r"late\.md"):
        write_export(_files(NEW), out)
    (out / "late.md").rename(docs / "late.md")
    write_export(_files(NEW), out)
    assert _tree(out) == reference["new"]
    assert _entries(docs) == [f".support{STAGING}0000mine", "index.md", "late.md", "support"]


# --- what export owns ---------------------------------------------------------------


def test_user_file_in_export_folder_is_not_deleted(tmp_path):
    """Regression: files a user added to an exported folder were deleted by the next export."""
    out = tmp_path / "out"
    write_export(_files(OLD), out)
    (out / "notes.md").write_text("my notes", "utf-8")
    (out / "downloads" / "logo.png").write_bytes(b"\x89PNG")
    (out / "mine").mkdir()
    (out / "mine" / "a.txt").write_text("a", "utf-8")
    (out / "plans.md").write_text("plans, edited by hand", "utf-8")
    before = _tree(out)
    with pytest.raises(ExportError) as caught:
        write_export(_files(NEW), out)
    message = str(caught.value)
    assert "holds 4 files and folders that 'support-policies export' did not write or that changed since" in message
    assert "downloads/logo.png, mine/, notes.md and 1 more" in message
    assert "move them out of" in message
    assert _tree(out) == before
    assert _entries(tmp_path) == ["out"]
    (out / "plans.md").write_text("plans", "utf-8")
    for name in ("notes.md", "downloads/logo.png", "mine/a.txt"):
        (out / name).unlink()
    (out / "mine").rmdir()
    write_export(_files(NEW), out)


def test_a_changed_file_is_named_as_changed(tmp_path):
    out = tmp_path / "out"
    write_export(_files(OLD), out)
    (out / "index.md").write_text("edited", "utf-8")
    with pytest.raises(ExportError, match=r"holds 1 file .*: index\.md \(changed since the export wrote it\)"):
        write_export(_files(NEW), out)
    assert (out / "index.md").read_text("utf-8") == "edited"


@pytest.mark.usefixtures("in_place")
def test_in_place_refuses_user_files_too(tmp_path):
    out = tmp_path / "out"
    write_export(_files(OLD), out)
    (out / "notes.md").write_text("my notes", "utf-8")
    before = _tree(out)
    with pytest.raises(ExportError, match=r"notes\.md"):
        write_export(_files(NEW), out)
    assert _tree(out) == before
    assert _entries(tmp_path) == ["out"]


@pytest.mark.parametrize("in_place", [False, True])
def test_a_file_added_while_exporting_is_kept(tmp_path, monkeypatch, in_place):
    out = tmp_path / "out"
    write_export(_files(OLD), out)
    before = _tree(out)
    done = _export_in_subprocess(out, NEW, add_after="staged", add={"late.md": "late"}, in_place=in_place)
    assert done.returncode == 2 and "late.md" in done.stderr
    assert _tree(out) == {**before, "late.md": b"late"}, "the old export is back, with the new file"
    assert _entries(tmp_path) == ["out"]


def test_a_folder_that_is_not_an_export_is_named_with_what_it_holds(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a.md", "b.md", "c.md", "d.md"):
        (docs / name).write_text(name, "utf-8")
    with pytest.raises(
        ExportError,
        match=r"was not written by 'support-policies export' "
        r"\(it holds a\.md, b\.md, c\.md and 1 more\)",
    ):
        write_export(_files(NEW), docs)
    assert len(_tree(docs)) == 4


def test_a_marker_of_an_earlier_version_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / MARKER).write_text("Written by support-policies export; replaced by the next export.\n", "utf-8")
    (out / "index.md").write_text("old", "utf-8")
    with pytest.raises(ExportError, match=r"earlier version .* did not record which files it wrote"):
        write_export(_files(NEW), out)
    assert (out / "index.md").read_text("utf-8") == "old"


def test_the_marker_lists_every_file_with_its_digest(tmp_path):
    out = tmp_path / "out"
    write_export([_File("a.md", "A"), _File("sub/b.txt", "B")], out)
    marker = json.loads((out / MARKER).read_text("utf-8"))
    assert marker["manifest"] == 1
    assert marker["sha256"] == {
        "a.md": "559aead08264d5795d3909718cdd05abd49572e84fe55590eef31a88a08fdffd",
        "sub/b.txt": "df7e70e5021544f4834bbee64a9e3789febc4be81470df629cad6ddb03320a5c",
    }


def test_browser_files_do_not_stop_an_export(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".DS_Store").write_bytes(b"\0")
    write_export(_files(OLD), out)
    (out / "downloads" / "Thumbs.db").write_bytes(b"\0")
    write_export(_files(NEW), out)
    assert ".DS_Store" not in _tree(out) and "downloads/Thumbs.db" not in _tree(out)


def test_an_export_of_no_files_is_replaced_by_the_next(tmp_path):
    out = tmp_path / "out"
    assert write_export([], out) == 0
    assert write_export(_files(NEW), out) == len(NEW)
    assert write_export([], out) == 0
    assert _entries(out) == [MARKER]


def test_a_file_in_place_of_the_folder_is_refused(tmp_path):
    out = tmp_path / "out"
    out.write_text("a file", "utf-8")
    with pytest.raises(ExportError, match="is a file, not a folder"):
        write_export(_files(NEW), out)
    assert out.read_text("utf-8") == "a file"


def test_the_name_of_the_marker_cannot_be_exported(tmp_path):
    with pytest.raises(ExportError, match="export's own manifest"):
        write_export([_File(MARKER, "{}")], tmp_path / "out")
    assert _entries(tmp_path) == []


# --- symbolic links -----------------------------------------------------------------


def test_symlink_out_is_not_replaced_by_a_folder(tmp_path, reference):
    """Regression: a symlinked --out was replaced by a folder, and a .old copy left behind."""
    real = tmp_path / "real" / "support"
    real.parent.mkdir()
    link = tmp_path / "site" / "support"
    link.parent.mkdir()
    link.symlink_to(real, target_is_directory=True)
    write_export(_files(OLD), link)  # the target does not exist yet: created
    assert link.is_symlink() and _tree(real) == reference["old"]
    write_export(_files(NEW), link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert _tree(real) == reference["new"]
    assert _entries(link.parent) == ["support"] and _entries(real.parent) == ["support"]


@pytest.mark.usefixtures("in_place")
def test_symlink_out_is_followed_when_updating_in_place(tmp_path, reference):
    real = tmp_path / "real"
    link = tmp_path / "link"
    link.symlink_to("real", target_is_directory=True)
    write_export(_files(OLD), link)
    write_export(_files(NEW), link)
    assert link.is_symlink() and _tree(real) == reference["new"]
    assert _entries(tmp_path) == ["link", "real"]


def test_symlink_to_a_folder_that_is_not_an_export_is_refused(tmp_path):
    real = tmp_path / "mine"
    real.mkdir()
    (real / "page.md").write_text("mine", "utf-8")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    with pytest.raises(ExportError, match=r"link \(-> .*mine\) exists and was not written"):
        write_export(_files(NEW), link)
    assert link.is_symlink() and _tree(real) == {"page.md": b"mine"}


def test_a_symbolic_link_inside_the_export_is_not_followed_or_removed(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.md").write_text("keep", "utf-8")
    out = tmp_path / "out"
    write_export(_files(OLD), out)
    (out / "linked").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(ExportError, match="linked/"):
        write_export(_files(NEW), out)
    assert (out / "linked").is_symlink() and (elsewhere / "keep.md").read_text("utf-8") == "keep"


def test_a_symbolic_link_loop_is_refused(tmp_path):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises((ExportError, OSError)):
        write_export(_files(NEW), loop)
    assert loop.is_symlink()


# --- the folder itself --------------------------------------------------------------


def test_the_folder_keeps_its_permissions(tmp_path):
    out = tmp_path / "out"
    umask = os.umask(0o022)
    try:
        write_export(_files(OLD), out)
    finally:
        os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o755, "a new export folder follows the umask"
    out.chmod(0o750)
    write_export(_files(NEW), out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o750


def test_exports_running_at_the_same_time_take_turns(tmp_path, reference):
    out = tmp_path / "docs" / "support"
    script = (
        "import sys; from pathlib import Path; from support_policies.exports.writer import write_export\n"
        "class F:\n    def __init__(s, p, c): s.path, s.content = p, c.encode()\n"
        "files = [F(p, c) for p, c in {}.items()]\n"
        "for _ in range(8): write_export(files, Path(sys.argv[1]))\n"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script.format(repr(files)), str(out)], stderr=subprocess.PIPE, text=True
        )
        for files in (OLD, NEW)
    ]
    for run in runs:
        assert run.wait(timeout=120) == 0, run.stderr.read()
        run.stderr.close()
    assert _tree(out) in (reference["old"], reference["new"])
    assert _entries(out.parent) == ["support"]
