"""pytest plugin (opt-in): every policy rule becomes a test item.

Enable it with ``--support-policies`` on the command line, or in the ini file::

    [pytest]
    support_policies = true
    support_policies_paths = policies
    support_policies_settings = support-policies.yaml

Then ``pytest`` fails on inconsistent SLAs with the same messages as
``support-policies check``: one item for loading and schema validation, one per rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .findings import Finding, Level, has_errors

LOADING = "loading-and-schema"


def pytest_addoption(parser):
    group = parser.getgroup("support-policies")
    group.addoption("--support-policies", action="store_true", default=None,
                    help="check the support policies as test items")
    parser.addini("support_policies", "check the support policies as test items", type="bool", default=False)
    parser.addini("support_policies_paths", "policy files or folders", type="paths", default=[])
    parser.addini("support_policies_settings", "settings file with rule levels", default="")


def _enabled(config) -> bool:
    flag = config.getoption("support_policies")
    return bool(flag) if flag is not None else bool(config.getini("support_policies"))


def pytest_collection_modifyitems(session, config, items):
    if not _enabled(config):
        return
    from .policyset import load_policies
    from .rules import ALL_RULES

    root = Path(str(config.rootpath))
    paths = config.getini("support_policies_paths") or [root / "policies"]
    settings_name = config.getini("support_policies_settings")
    settings = root / settings_name if settings_name else (root / "support-policies.yaml")
    result = load_policies(paths, settings if settings.is_file() else None)
    names = [LOADING] + [rule.id for rule in ALL_RULES] + ["suppressions"]
    for name in names:
        items.append(PolicyItem.from_parent(session, name=f"support-policies[{name}]",
                                            nodeid=f"support-policies::{name}", check=name, result=result))


def _belongs(finding: Finding, check: str) -> bool:
    if check == LOADING:
        return finding.rule.split(".")[0] in ("yaml", "schema", "io", "policy")
    if check == "suppressions":
        return finding.rule.startswith("suppression.")
    return finding.rule == check


class PolicyFailure(Exception):
    pass


class PolicyItem(pytest.Item):
    def __init__(self, *, check: str, result, **kwargs):
        super().__init__(**kwargs)
        self.check = check
        self.result = result

    def runtest(self):
        if self.check != LOADING and self.result.policy is None:
            pytest.skip("the policies did not load; see support-policies[loading-and-schema]")
        findings = [f for f in self.result.findings if _belongs(f, self.check)]
        if has_errors(findings):
            raise PolicyFailure(findings)
        for finding in findings:
            if finding.level is Level.WARNING:
                self.warn(pytest.PytestWarning(f"{finding.location}: {finding.message} [{finding.rule}]"))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, PolicyFailure):
            from .reporters import render_text

            findings = excinfo.value.args[0]
            return render_text(findings, self.result.sources())
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, f"support-policies: {self.check}"
