"""Write an export folder without ever losing data.

The contract of ``write_export(files, DIR)``:

**What export owns.** Every export leaves a marker file, ``.support-policies-export``, in
``DIR``: a JSON manifest of each file it wrote with the file's SHA-256. Export owns exactly
those files (with exactly that content), the folders holding them, and the marker.

**Anything else is refused, never deleted.** Before it writes, export looks at ``DIR``:

- missing: it is created (with missing parent folders);
- empty (or holding only ``.DS_Store`` / ``Thumbs.db``, which file browsers write on their
  own and export removes): it is replaced;
- an earlier export, every file listed in the manifest and unchanged: it is replaced;
- anything else — a file export did not write, a listed file changed since, a symbolic link,
  a folder without a manifest, a file instead of a folder — export stops with an
  :class:`ExportError` naming the first few such files and what to do, and writes nothing.

Refusing, rather than keeping foreign files, is the least surprising rule: ``DIR`` is
regenerated as a whole and published as a whole, so a kept file would be published as if
generated, could collide with a file a later export writes (one of the two would be lost),
and a hand edit of a generated page would be silently overwritten. A refusal loses nothing and
says which files to move. Export checks again right after the swap (below) and, if a file
appeared in the meantime, swaps the old folder back and refuses.

**A symbolic link is followed.** When ``DIR`` (or a folder above it) is a symbolic link,
export writes to the folder it points to, by the same rules; the link stays a link and
nothing else is left next to it.

**Where folders can be exchanged (Linux), DIR holds the complete old export or the complete
new one at every instant; elsewhere, DIR always exists and each file in it is whole.** The new
export is written to a staging folder next to (the real) ``DIR``, then:

- if ``DIR`` does not exist, the staging folder is renamed to it (one ``rename``);
- otherwise the two folders are exchanged in one step with Linux's
  ``renameat2(RENAME_EXCHANGE)`` (kernel 3.15, glibc 2.28, and a file system that supports
  it: ext4, XFS, Btrfs, tmpfs, …), and the old export, now in the staging folder, is removed.

Where the exchange is not available (other systems, old kernels, some file systems), no
POSIX call can swap two non-empty folders, so export updates ``DIR`` in place instead of
ever removing it: it first records in the marker that both the old and the new files are
its own, then moves each new file over the old one (``os.replace``, atomic per file),
removes the old files that are gone, and writes the final manifest. ``DIR`` then always
exists and every file in it is complete, but while the update runs (or after it was killed)
the folder mixes old and new files; the next export recognises every one of them and
finishes the job.

**Killed exports are cleaned up.** Staging folders are named
``.DIRNAME.support-policies-export-XXXXXXXX`` and hold a marker from the moment they are
created (until then they are empty), and their files are removed before their marker. The
next export into ``DIR`` removes those it finds with that name: an empty one, or one with a
staging marker, goes whole; one holding an old export (killed right after the exchange) goes
when every file in it is one its manifest lists, and otherwise stops the export with its
name. Folders without our marker are left alone.
Exports into the same parent folder take turns (an advisory ``flock`` on the parent), so one
export never cleans up another's staging folder.

A crash of the whole machine is not covered: files are not ``fsync``-ed.

Tests inject kills between the steps: :data:`NEW_STEPS`, :data:`EXCHANGE_STEPS` and
:data:`IN_PLACE_STEPS` list them (plus ``swapped-back``, when a file appeared during the
exchange), and a test sets ``_hook`` to a function that is called with each step's name as
it completes (``None``, the default, costs one comparison a step).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import secrets
import shutil
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, TypedDict, cast

if TYPE_CHECKING:
    from .site import SiteFile

MARKER = ".support-policies-export"
"""The manifest every export leaves in its folder: which files it wrote, with their SHA-256."""

STAGING = ".support-policies-export-"
"""Staging folders are named ``.DIRNAME`` + this + 8 hex digits, next to ``DIR``."""

DISPOSABLE = frozenset({".DS_Store", "Thumbs.db"})
"""Files that file browsers (macOS Finder, Windows Explorer) write on their own; export removes them."""

_NEXT = MARKER + ".next"
"""A marker being written inside a staging folder, before it is moved into place."""

_NOTE = (
    "Written by 'support-policies export'. The next export replaces exactly the files listed here "
    "and stops, deleting nothing, when the folder holds anything else."
)
_LEGACY = "Written by support-policies export"
_CHANGED = " (changed since the export wrote it)"
_SHOWN = 3

NEW_STEPS = ("cleaned", "staging-created", "file-written", "staged", "renamed")
"""The steps of an export into a folder that does not exist yet."""
EXCHANGE_STEPS = (
    "cleaned",
    "staging-created",
    "file-written",
    "staged",
    "exchanged",
    "old-partly-removed",
    "old-removed",
)
"""The steps of an export that replaces a folder with ``renameat2(RENAME_EXCHANGE)``."""
IN_PLACE_STEPS = (
    "cleaned",
    "staging-created",
    "file-written",
    "staged",
    "marker-merged",
    "file-replaced",
    "old-files-removed",
    "marker-written",
    "staging-removed",
)
"""The steps of an export that updates a folder in place, where the exchange is not available."""

_hook: Callable[[str], None] | None = None
"""Tests only: called with each step's name as it completes."""

Manifest = Mapping[str, set[str]]
"""The files export owns: path -> the SHA-256 digests it may have."""


class ExportError(Exception):
    """The folder cannot be written; the message says why and what to do.

    ``unchanged`` is False when the folder was partly updated before the export failed.
    """

    def __init__(self, message: str, *, unchanged: bool = True):
        super().__init__(message)
        self.unchanged = unchanged


def write_export(files: Iterable[SiteFile], out: Path) -> int:
    """Replace the folder ``out`` with exactly ``files``; return how many were written.

    See the module's documentation for the contract: nothing export did not write is ever
    deleted, and ``out`` holds the complete old or the complete new export at every instant.
    """
    shown = Path(out)
    target = Path(os.path.realpath(shown))
    if not target.name:
        raise ExportError(f"cannot export to {shown}: it is the root folder")
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    with _locked(parent):
        _clean_stale(target)
        _reached("cleaned")
        old = _owned(target, shown)
        staging = _make_staging(target, mode=_mode(target))
        try:
            count, written = _stage(files, staging)
            _write_marker(staging, staging / MARKER, written)
            _reached("staged")
        except BaseException:
            _remove_tree(staging)
            raise
        if old is None:
            _rename_new(staging, target)
            return count
        if _exchange_or_remove(staging, target):
            _after_exchange(staging, target, shown, old)
        else:
            _update_in_place(staging, target, shown, old, written)
        return count


def _reached(step: str) -> None:
    if _hook is not None:
        _hook(step)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Exports into the same parent folder take turns, so none cleans up another's staging folder."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks on folders
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


# --- what export owns ---------------------------------------------------------------


def _owned(target: Path, shown: Path) -> dict[str, set[str]] | None:
    """The files of the earlier export in ``target`` (None: no folder yet); refuses anything else."""
    if not os.path.lexists(target):
        return None
    if target.is_symlink():
        raise ExportError(f"{shown} is a symbolic link that leads nowhere (a loop); point it at a folder")
    if not target.is_dir():
        raise ExportError(f"{_name(shown, target)} is a file, not a folder; pass --out a folder to write")
    if os.stat(target).st_dev != os.stat(target.parent).st_dev:
        raise ExportError(
            f"{_name(shown, target)} is on another file system than the folder holding it "
            f"(a mount point?), so it cannot be replaced; export into a folder inside it"
        )
    marker = _read_marker(target / MARKER)
    if marker is None:
        entries = sorted(name for name in os.listdir(target) if not _disposable(target / name))
        if not entries:
            return {}
        if _is_legacy(target / MARKER):
            raise ExportError(
                f"{_name(shown, target)} was written by an earlier version of 'support-policies "
                f"export' that did not record which files it wrote, so files added since cannot be "
                f"told apart; move any files of your own out of it, remove it, and export again"
            )
        raise ExportError(
            f"{_name(shown, target)} exists and was not written by 'support-policies export' "
            f"(it holds {_list(entries)}); export into a new or empty folder, or remove it first"
        )
    if marker.get("staging"):
        raise ExportError(
            f"{_name(shown, target)}/{MARKER} is not an export's manifest; "
            f"remove {_name(shown, target)} and export again"
        )
    owned = _manifest(marker)
    foreign = _foreign(target, owned)
    if foreign:
        raise ExportError(_refusal(_name(shown, target), foreign))
    return owned


def _foreign(folder: Path, owned: Manifest, *, staging: bool = False) -> list[str]:
    """What ``folder`` holds that is not in ``owned``, as '/'-separated paths ('dir/' for a folder)."""
    folders = {parent.as_posix() for path in owned for parent in PurePosixPath(path).parents} - {"."}
    bookkeeping = {MARKER, _NEXT} if staging else {MARKER}
    found: list[str] = []
    for current, subfolders, names in os.walk(folder):
        base = Path(current).relative_to(folder).as_posix()
        prefix = "" if base == "." else base + "/"
        keep = []
        for name in sorted(subfolders):
            path = prefix + name
            if os.path.islink(os.path.join(current, name)) or path not in folders:
                found.append(path + "/")
            else:
                keep.append(name)
        subfolders[:] = keep
        for name in sorted(names):
            path, full = prefix + name, os.path.join(current, name)
            if (path in bookkeeping and _is_file(full)) or _disposable(Path(full)):
                continue
            if path not in owned or not _is_file(full):
                found.append(path)
            elif _digest_file(full) not in owned[path]:
                found.append(path + _CHANGED)
    return sorted(found)


def _refusal(name: str, foreign: list[str]) -> str:
    changed = " or that changed since" if any(path.endswith(_CHANGED) for path in foreign) else ""
    return (
        f"{name} holds {_count(foreign)} that 'support-policies export' did not write{changed}: "
        f"{_list(foreign)}. Export replaces the whole folder, so it stops rather than delete them: "
        f"move them out of {name} (or delete them), then export again"
    )


def _list(paths: list[str]) -> str:
    more = len(paths) - _SHOWN
    return ", ".join(paths[:_SHOWN]) + (f" and {more} more" if more > 0 else "")


def _count(paths: list[str]) -> str:
    """'1 file', '2 folders', '3 files and folders'."""
    folders = sum(path.endswith("/") for path in paths)
    if folders and folders < len(paths):
        return f"{len(paths)} files and folders"
    noun = "folder" if folders else "file"
    return f"1 {noun}" if len(paths) == 1 else f"{len(paths)} {noun}s"


def _name(shown: Path, target: Path) -> str:
    """The folder as the user named it, and where it leads when that is a symbolic link."""
    return str(shown) if Path(os.path.abspath(shown)) == target else f"{shown} (-> {target})"


def _disposable(path: Path) -> bool:
    return path.name in DISPOSABLE and _is_file(path)


def _is_file(path: str | Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


# --- the marker ---------------------------------------------------------------------


class _Marker(TypedDict, total=False):
    """The marker file: a finished export's manifest (``sha256``), or a staging folder's."""

    note: str
    manifest: int
    staging: bool
    sha256: dict[str, str]
    """Each file the export wrote, with its digest."""
    previous_sha256: dict[str, list[str]]
    """Digests of files an earlier export wrote that may still be there."""


def _marker_bytes(files: Mapping[str, str] | None, previous: Manifest | None = None) -> bytes:
    document: _Marker = {"note": _NOTE, "manifest": 1}
    if files is None:
        document["staging"] = True
    else:
        document["sha256"] = dict(sorted(files.items()))
    if previous:
        document["previous_sha256"] = {path: sorted(digests) for path, digests in sorted(previous.items())}
    return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _write_marker(
    staging: Path, destination: Path, files: Mapping[str, str] | None, previous: Manifest | None = None
) -> None:
    """Write a marker to ``destination`` in one step: written in ``staging``, then moved."""
    (staging / _NEXT).write_bytes(_marker_bytes(files, previous))
    os.replace(staging / _NEXT, destination)


def _read_marker(path: Path) -> _Marker | None:
    """The marker at ``path`` when it is one of ours, else None."""
    if not _is_file(path):
        return None
    try:
        document = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("manifest") != 1:
        return None
    if document.get("staging") is True:
        return cast(_Marker, document)
    files, previous = document.get("sha256"), document.get("previous_sha256", {})
    if not (isinstance(files, dict) and all(isinstance(v, str) for v in files.values())):
        return None
    if not (
        isinstance(previous, dict)
        and all(isinstance(v, list) and all(isinstance(d, str) for d in v) for v in previous.values())
    ):
        return None
    if any(not _plain(path) for path in [*files, *previous]):
        return None
    return cast(_Marker, document)  # its manifest checked above


def _manifest(document: _Marker) -> dict[str, set[str]]:
    owned: dict[str, set[str]] = {path: {digest} for path, digest in document["sha256"].items()}
    for path, digests in document.get("previous_sha256", {}).items():
        owned.setdefault(path, set()).update(digests)
    return owned


def _is_legacy(path: Path) -> bool:
    try:
        return _is_file(path) and path.read_bytes().startswith(_LEGACY.encode())
    except OSError:
        return False


def _digest_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- staging ------------------------------------------------------------------------


def _make_staging(target: Path, mode: int) -> Path:
    """A new, empty staging folder next to ``target``, marked as ours right away."""
    while True:
        staging = target.parent / f".{target.name}{STAGING}{secrets.token_hex(4)}"
        try:
            os.mkdir(staging, 0o777)
            break
        except FileExistsError:
            continue
    try:
        if mode:
            os.chmod(staging, mode)
        _write_marker(staging, staging / MARKER, None)
    except BaseException:
        _remove_tree(staging)
        raise
    _reached("staging-created")
    return staging


def _mode(target: Path) -> int:
    """The permissions the new export gets: those of the folder it replaces (0: the umask's)."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return 0


def _stage(files: Iterable[SiteFile], staging: Path) -> tuple[int, dict[str, str]]:
    written: dict[str, str] = {}
    folders: set[Path] = set()  # made already
    for file in files:
        parts = _parts(file.path)
        if parts[0] in (MARKER, _NEXT):
            raise ExportError(f"refusing to write '{file.path}': the name of export's own manifest")
        target = staging.joinpath(*parts)
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        target.write_bytes(file.content)
        written["/".join(parts)] = hashlib.sha256(file.content).hexdigest()
        _reached("file-written")
    return len(written), written


def _parts(path: str) -> tuple[str, ...]:
    """The parts of a relative path; anything that could leave the folder is refused."""
    if not _plain(path):
        raise ExportError(f"refusing to write '{path}': not a plain relative path")
    return PurePosixPath(path).parts


def _plain(path: str) -> bool:
    pure = PurePosixPath(path)
    return not (
        pure.is_absolute() or not pure.parts or any(part in ("", ".", "..") or "\\" in part for part in pure.parts)
    )


def _clean_stale(target: Path) -> None:
    """Remove the staging folders killed exports into ``target`` left behind."""
    prefix = f".{target.name}{STAGING}"
    with os.scandir(target.parent) as entries:
        stale = sorted(
            Path(entry.path)
            for entry in entries
            if entry.name.startswith(prefix) and entry.is_dir(follow_symlinks=False)
        )
    for folder in stale:
        marker = _read_marker(folder / MARKER)
        if marker is None:
            # Empty, or killed while its first marker was being written; else not recognisably ours.
            if all(
                _disposable(folder / name) or (name in (MARKER, _NEXT) and _is_file(folder / name))
                for name in os.listdir(folder)
            ):
                _remove_tree(folder)
            continue
        if not marker.get("staging"):
            # An earlier export, swapped out by an export that was killed before removing it.
            foreign = _foreign(folder, _manifest(marker), staging=True)
            if foreign:
                raise ExportError(
                    f"{folder} was left behind by an interrupted export and holds "
                    f"{_count(foreign)} that export did not write: {_list(foreign)}; "
                    f"move them out of it, remove the folder, then export again"
                )
        _remove_tree(folder)


def _remove_tree(folder: Path, step: str | None = None) -> None:
    """Remove one of our folders, its marker last, so a kill midway leaves it recognisable."""
    try:
        names = sorted(os.listdir(folder))
    except FileNotFoundError:
        return
    for name in names:
        if name == MARKER:
            continue
        path = folder / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
        if step is not None:
            _reached(step)
            step = None
    with contextlib.suppress(FileNotFoundError):
        (folder / MARKER).unlink()
    folder.rmdir()


# --- putting the new export in place ------------------------------------------------


def _rename_new(staging: Path, target: Path) -> None:
    try:
        os.rename(staging, target)
    except BaseException:
        _remove_tree(staging)
        raise
    _reached("renamed")


def _exchange_or_remove(staging: Path, target: Path) -> bool:
    """Swap the two folders in one step; False when this system cannot. Removes staging on failure."""
    try:
        swapped = _exchange(staging, target)
    except BaseException:
        _remove_tree(staging)
        raise
    if swapped:
        _reached("exchanged")
    return swapped


def _after_exchange(staging: Path, target: Path, shown: Path, old: dict[str, set[str]]) -> None:
    """``staging`` now holds the old export: remove it, unless a file appeared in it meanwhile."""
    try:
        foreign = _foreign(staging, old)
    except OSError as exc:  # the old export cannot be read back: keep it
        _swap_back(staging, target, shown, f"{exc.filename}: {exc.strerror}")
        raise
    if foreign:
        _swap_back(staging, target, shown, f"files appeared in it while it was being replaced: {_list(foreign)}")
        raise ExportError(_refusal(_name(shown, target), foreign))
    with contextlib.suppress(OSError):  # the new export is in place; the next export cleans up
        _remove_tree(staging, step="old-partly-removed")
    _reached("old-removed")


def _swap_back(staging: Path, target: Path, shown: Path, why: str) -> None:
    """Put the old export back in place and remove the new one; say where both are if that fails."""
    try:
        swapped_back = _exchange(staging, target)
    except OSError:
        swapped_back = False
    if not swapped_back:
        raise ExportError(
            f"{_name(shown, target)}: {why}; the new export is in place, and the earlier one is in {staging}",
            unchanged=False,
        )
    _reached("swapped-back")
    with contextlib.suppress(OSError):
        _remove_tree(staging)


def _update_in_place(
    staging: Path, target: Path, shown: Path, old: dict[str, set[str]], written: dict[str, str]
) -> None:
    """Where folders cannot be exchanged: move each new file over the old one, never removing DIR."""
    try:
        foreign = _foreign(target, old)  # again: files may have appeared while the export was staged
        if foreign:
            raise ExportError(_refusal(_name(shown, target), foreign))
    except BaseException:
        _remove_tree(staging)
        raise
    try:
        _write_marker(staging, target / MARKER, written, old)
        _reached("marker-merged")
        for path in sorted(written):
            parts = PurePosixPath(path).parts
            _make_room(target, parts, old)
            destination = target.joinpath(*parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging.joinpath(*parts), destination)
            _reached("file-replaced")
        for path in sorted(set(old) - set(written), reverse=True):
            _remove_owned(target.joinpath(*PurePosixPath(path).parts), old[path])
        _prune(target, written)
        _reached("old-files-removed")
        _write_marker(staging, target / MARKER, written)
        _reached("marker-written")
        _remove_tree(staging)
        _reached("staging-removed")
    except OSError as exc:
        with contextlib.suppress(OSError):
            _remove_tree(staging)
        reason = f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else str(exc)
        raise ExportError(
            f"{reason}; {_name(shown, target)} holds part of the new export: export again to finish it", unchanged=False
        ) from exc


def _make_room(target: Path, parts: tuple[str, ...], old: Mapping[str, set[str]]) -> None:
    """Remove an old export's file where a new folder goes, or its folder where a new file goes."""
    for depth in range(1, len(parts)):
        path = target.joinpath(*parts[:depth])
        if os.path.lexists(path) and not (path.is_dir() and not path.is_symlink()):
            _remove_owned(path, old.get("/".join(parts[:depth]), set()))
    path = target.joinpath(*parts)
    if path.is_dir() and not path.is_symlink():
        prefix = "/".join(parts) + "/"
        for name in sorted(old, reverse=True):
            if name.startswith(prefix):
                _remove_owned(target.joinpath(*PurePosixPath(name).parts), old[name])
        _prune_below(path)
        if path.exists():
            raise OSError(errno.ENOTEMPTY, "holds files export did not write", str(path))


def _remove_owned(path: Path, digests: set[str]) -> None:
    """Remove a file of the old export; leave it when it is not one (it changed, or it is gone)."""
    if _is_file(path) and _digest_file(path) in digests:
        path.unlink()
    elif os.path.lexists(path) and not path.is_dir():
        raise OSError(errno.EEXIST, "changed since the export wrote it", str(path))


def _prune(target: Path, written: Mapping[str, str]) -> None:
    """Remove browser files, and the folders the new export does not need when nothing else is left in them."""
    needed = {"."} | {parent.as_posix() for path in written for parent in PurePosixPath(path).parents}
    for current, _, names in os.walk(target, topdown=False):
        for name in names:
            if _disposable(Path(current, name)):
                os.unlink(os.path.join(current, name))
        relative = Path(current).relative_to(target).as_posix()
        if relative not in needed and not os.path.islink(current):
            _remove_if_empty(Path(current))


def _prune_below(folder: Path) -> None:
    for current, _, _ in os.walk(folder, topdown=False):
        if not os.path.islink(current):
            _remove_if_empty(Path(current))


def _remove_if_empty(folder: Path) -> None:
    names = os.listdir(folder)
    if all(_disposable(folder / name) for name in names):
        for name in names:
            (folder / name).unlink()
        folder.rmdir()


# --- the exchange -------------------------------------------------------------------

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}
_renameat2_function: list[Callable[..., int] | None] = []


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step with ``renameat2(RENAME_EXCHANGE)``; False where unavailable."""
    function = _renameat2()
    if function is None:
        return False
    import ctypes

    if function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(second))


def _renameat2() -> Callable[..., int] | None:
    """glibc's ``renameat2`` (2.28 and later), or None on other systems and C libraries."""
    if not _renameat2_function:
        function: Callable[..., int] | None = None
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                found = ctypes.CDLL(None, use_errno=True).renameat2
                found.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
                found.restype = ctypes.c_int
                function = found
            except (AttributeError, OSError):
                function = None
        _renameat2_function.append(function)
    return _renameat2_function[0]
