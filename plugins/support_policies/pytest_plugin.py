"""pytest plugin (opt-in): every policy rule becomes a test item.

Enable it with ``--support-policies`` on the command line, or in the ini file::

    [pytest]
    support_policies = true
    support_policies_paths = policies
    support_policies_settings = support-policies.yaml

Then ``pytest`` fails on inconsistent SLAs with the same messages as
``support-policies check``: one item for loading and schema validation, one per rule.
The run fails whenever the policies fail the check, even when ``-k`` or ``--deselect``
left their failing items out; a named settings file that does not exist is a usage error.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from _pytest._code.code import TerminalRepr, TracebackStyle

from .findings import Finding, Level
from .gate import SettingsError, fails
from .gate import check as check_policies
from .policyset import Result
from .reporters.escape import printable

LOADING = "loading-and-schema"
_RESULT = pytest.StashKey[Result]()
_FAILED_UNSEEN = pytest.StashKey[bool]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("support-policies")
    group.addoption(
        "--support-policies", action="store_true", default=None, help="check the support policies as test items"
    )
    parser.addini("support_policies", "check the support policies as test items", type="bool", default=False)
    parser.addini("support_policies_paths", "policy files or folders", type="paths", default=[])
    parser.addini("support_policies_settings", "settings file with rule levels", default="")


def _enabled(config: pytest.Config) -> bool:
    flag = config.getoption("support_policies")
    return bool(flag) if flag is not None else bool(config.getini("support_policies"))


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if not _enabled(config):
        return
    from .rules import ALL_RULES

    root = Path(str(config.rootpath))
    paths = config.getini("support_policies_paths") or [root / "policies"]
    try:
        result = check_policies(paths, config.getini("support_policies_settings") or None, root)
    except SettingsError as exc:
        raise pytest.UsageError(f"support_policies_settings: {exc}") from None
    config.stash[_RESULT] = result
    names = [LOADING] + [rule.id for rule in ALL_RULES] + ["suppressions"]
    for name in names:
        items.append(
            PolicyItem.from_parent(
                session, name=f"support-policies[{name}]", nodeid=f"support-policies::{name}", check=name, result=result
            )
        )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int | pytest.ExitCode) -> None:
    """Broken policies fail the run, whatever was selected."""
    result = session.config.stash.get(_RESULT, None)
    if (
        result is not None
        and fails(result.findings)
        and exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED)
    ):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        session.config.stash[_FAILED_UNSEEN] = True


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config) -> None:
    if config.stash.get(_FAILED_UNSEEN, False):
        terminalreporter.write_line(
            "support-policies: the policies fail the check, and the items showing why were "
            "not run (-k or --deselect); the run fails. Run without them to see the findings.",
            red=True,
        )


def _belongs(finding: Finding, check: str) -> bool:
    if check == LOADING:
        return finding.rule.split(".")[0] in ("yaml", "schema", "io", "policy")
    if check == "suppressions":
        return finding.rule.startswith("suppression.")
    return finding.rule == check


class PolicyFailure(Exception):
    pass


class PolicyItem(pytest.Item):
    def __init__(self, *, check: str, result: Result, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check = check
        self.result = result

    def runtest(self) -> None:
        if self.check != LOADING and self.result.policy is None:
            pytest.skip("the policies did not load; see support-policies[loading-and-schema]")
        findings = [f for f in self.result.findings if _belongs(f, self.check)]
        if fails(findings):
            raise PolicyFailure(findings)
        for finding in findings:
            if finding.level is Level.WARNING:
                warnings.warn_explicit(
                    pytest.PytestWarning(printable(f"{finding.message} [{finding.rule}]")),
                    category=None,
                    filename=printable(finding.file),
                    lineno=finding.line or 1,
                )

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: TracebackStyle | None = None
    ) -> str | TerminalRepr:
        if isinstance(excinfo.value, PolicyFailure):
            from .reporters.as_text import render_text

            findings = excinfo.value.args[0]
            return render_text(findings, self.result.sources())
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"support-policies: {self.check}"
