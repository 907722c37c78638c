"""Templates compiled by an earlier run are loaded from Jinja's bytecode cache: the pages are
the same as compiled afresh, for every policy set, and nothing of one set is kept in them."""

from __future__ import annotations

import pytest
from sites import REPO

from support_policies.exports.site import site_files
from support_policies.pages import DEFAULT_PAGES
from support_policies.policyset import load_policies
from support_policies.render import renderer as module
from support_policies.render.renderer import Renderer

SETS = {"sample": REPO / "policies", "support-tiers": REPO / "examples" / "support-tiers" / "policies"}


def _files(folder, cache) -> dict[str, bytes]:
    policy = load_policies([folder], language="en").policy
    assert policy is not None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "_compiled_templates", lambda: cache)
        renderer = Renderer(policy, base_url="https://help.example/support/")
        assert renderer.env.bytecode_cache is cache
        return {file.path: file.content for file in site_files(renderer, DEFAULT_PAGES)}


def test_pages_from_compiled_templates_are_the_pages_compiled_afresh(tmp_path):
    cache = module._CompiledTemplates(str(tmp_path))
    afresh = {name: _files(folder, None) for name, folder in SETS.items()}
    first = {name: _files(folder, cache) for name, folder in SETS.items()}  # compiles, writes the cache
    written = sorted(tmp_path.iterdir())
    assert written, "the compiled templates are kept"
    again = {name: _files(folder, cache) for name, folder in reversed(SETS.items())}  # loads them
    assert sorted(tmp_path.iterdir()) == written, "nothing compiled twice"
    assert first == afresh and again == afresh
