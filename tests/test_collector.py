"""Loading, checking and rendering run with Python's cyclic garbage collector paused, and
leave it as they found it, so a program calling them keeps its own setting."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from sites import REPO

from support_policies import collector, rules
from support_policies.exports import site
from support_policies.policyset import load_policies
from support_policies.render.renderer import Renderer


@pytest.fixture(params=[True, False], ids=["enabled-before", "disabled-before"])
def before(request) -> Iterator[bool]:
    (gc.enable if request.param else gc.disable)()
    try:
        yield request.param
    finally:
        gc.enable()


def test_a_pause_restores_the_collector_as_it_was_also_when_nested(before):
    with collector.paused():
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled() is before


def test_a_pause_restores_the_collector_when_the_work_fails(before):
    with pytest.raises(KeyError), collector.paused():
        raise KeyError("the work failed")
    assert gc.isenabled() is before


def test_checking_and_rendering_run_with_the_collector_paused(before, monkeypatch):
    seen: dict[str, bool] = {}

    def watching(owner, name):
        real = getattr(owner, name)

        def wrapper(*args, **kwargs):
            seen[name] = gc.isenabled()
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, wrapper)

    watching(rules, "run_rules")
    watching(site, "calendars_json")
    result = load_policies([REPO / "policies"], language="en")
    assert result.policy is not None and gc.isenabled() is before
    files = site.site_files(Renderer(result.policy), ["plans"])
    assert any(file.path == "plans.md" for file in files)
    assert (seen, gc.isenabled()) == ({"run_rules": False, "calendars_json": False}, before)


def test_a_command_runs_with_the_collector_paused_and_restores_it(monkeypatch, capsys):
    """``cli.main`` pauses the collector for the whole command, and leaves it as it found it."""
    from support_policies import cli

    seen: list[bool] = []
    monkeypatch.setattr(cli, "_rules", lambda args: seen.append(gc.isenabled()) or 0)
    assert gc.isenabled()
    assert cli.main(["rules"]) == 0
    assert seen == [False] and gc.isenabled()
