"""Python's cyclic garbage collector, paused while the pipeline builds what it keeps."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Pause the cyclic collector, then restore it as it was (nested pauses leave it off).

    Loading, checking and rendering a policy set make many small objects and keep most of
    them to the end: the collector, triggered by their number, would only walk them (and
    every document loaded before) again and again, to free next to nothing. That was about
    7 % of a check of 1,000 files and 8 % of their export; with it off, the peak memory of
    both stays within 1 % (``bench/scaling.py`` prints a check's). Reference counting still
    frees everything else at once, and the size limits bound what one file can allocate.

    The command line pauses it for a whole command (``cli.main``), imports included: else
    the collector, running again after the pipeline, first walks everything made while it
    was paused (about 2 % of a check of 1,000 files). The console command (``cli.run``) does
    not turn it on again at all, since its process ends with the command.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
