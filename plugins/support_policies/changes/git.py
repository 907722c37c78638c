"""The policies as committed at a git revision, read with git itself.

``support-policies diff --against REF PATH`` compares the working tree's ``PATH`` with the
same path at ``REF``. The files are read from git's object database (``git ls-tree`` and
``git cat-file``), never by checking anything out, and written into a temporary folder the
normal pipeline loads. Only regular files are taken (links and submodules are not); the
names come from git and are written below the temporary folder only.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path, PurePosixPath

from ..policyset import SUFFIXES

TIMEOUT = 60


class GitError(Exception):
    """A usage problem: no repository, no such revision, no git. The message says which."""


def _git(cwd: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=TIMEOUT, check=False)
    except FileNotFoundError as exc:
        raise GitError("git is not installed, so --against cannot read a revision") from exc
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitError(f"git could not be run: {exc}") from exc


def repository(path: Path) -> Path:
    """The top folder of the git work tree holding ``path``."""
    folder = path if path.is_dir() else path.parent
    if not folder.is_dir():
        raise GitError(f"{path}: no such file or folder")
    done = _git(folder, "rev-parse", "--show-toplevel")
    top = os.fsdecode(done.stdout).strip("\r\n")
    if done.returncode != 0 or not top:
        if b"dubious ownership" in done.stderr:  # a checkout owned by another user (CI containers)
            raise GitError(
                f"git refuses the repository holding {path}: it belongs to another user; "
                "run git config --global --add safe.directory with its folder first"
            )
        raise GitError(f"{path} is not in a git repository")
    return Path(top)


def revision(top: Path, ref: str) -> str:
    """The commit ``ref`` names, as a full hash."""
    if not ref or ref.startswith("-") or "\0" in ref:
        raise GitError(f"'{ref}' is not a git revision")
    done = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    commit = os.fsdecode(done.stdout).strip()
    if done.returncode != 0 or not commit:
        raise GitError(f"no such git revision: '{ref}'")
    return commit


def export(ref: str, path: Path, into: Path) -> Path:
    """Write the policy files of ``path`` as committed at ``ref`` below ``into``; the path to load.

    A ``path`` that did not exist at ``ref`` gives an empty folder (everything is new).
    """
    top = repository(path)
    commit = revision(top, ref)
    try:
        relative = PurePosixPath(Path(os.path.abspath(path)).resolve().relative_to(top.resolve()).as_posix())
    except ValueError as exc:
        raise GitError(f"{path} is not inside the repository at {top}") from exc
    spec = "." if str(relative) in ("", ".") else str(relative)
    done = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", spec)
    if done.returncode != 0:
        raise GitError(f"git could not list {spec} at '{ref}': {os.fsdecode(done.stderr).strip()}")
    is_file = path.is_file()
    for record in done.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, raw_name = record.partition(b"\t")
        mode, kind, obj = meta.decode("ascii", "replace").split(" ")
        name = PurePosixPath(os.fsdecode(raw_name))
        if kind != "blob" or mode not in ("100644", "100755") or ".." in name.parts or name.is_absolute():
            continue
        if not is_file and name.suffix.lower() not in SUFFIXES:
            continue
        blob = _git(top, "cat-file", "blob", obj)
        if blob.returncode != 0:
            raise GitError(f"git could not read {name} at '{ref}'")
        target = into.joinpath(*name.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob.stdout)
    result = into.joinpath(*relative.parts) if relative.parts else into
    if not is_file:
        result.mkdir(parents=True, exist_ok=True)
    return result
