"""Write an export folder all at once: a failed export leaves the folder as it was."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from .site import SiteFile

MARKER = ".support-policies-export"
"""Written into every export, so a later export knows the folder is its own to replace."""


class ExportError(Exception):
    """The folder cannot be written; the message says why and what to do."""


def write_export(files: Iterable[SiteFile], out: Path) -> int:
    """Replace ``out`` with exactly ``files``; return how many were written.

    The files go to a temporary folder next to ``out`` first, which then takes its
    place. A folder that holds anything but an earlier export is never replaced.
    """
    out = Path(os.path.abspath(out))
    if out.exists() and not _replaceable(out):
        raise ExportError(f"{out} exists and was not written by 'support-policies export'; "
                          f"export into a new or empty folder, or remove it first")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        count = 0
        for file in files:
            target = staging.joinpath(*_parts(file.path))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.content)
            count += 1
        (staging / MARKER).write_text("Written by support-policies export; replaced by the next export.\n", "utf-8")
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def _replaceable(out: Path) -> bool:
    return out.is_dir() and ((out / MARKER).is_file() or not any(out.iterdir()))


def _parts(path: str) -> tuple[str, ...]:
    """The parts of a relative path; anything that could leave the folder is refused."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or not pure.parts or any(part in ("", ".", "..") or "\\" in part for part in pure.parts):
        raise ExportError(f"refusing to write '{path}': not a plain relative path")
    return pure.parts


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
    old.rmdir()
    out.rename(old)
    try:
        staging.rename(out)
    except BaseException:
        old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)
