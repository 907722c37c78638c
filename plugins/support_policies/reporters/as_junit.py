"""JUnit XML output, for CI systems that show test reports (GitLab, Jenkins, Azure, …).

One test suite per run and one test case per checked file. A file with errors fails with
a single ``<failure>`` whose ``message`` is its first error and whose text lists every
error with location, rule and hint (several ``<failure>`` elements in one test case are
dropped or miscounted by many readers, GitLab's among them). Warnings and notes go to the
test case's ``<system-out>``. A run that checked nothing still has one passing test case.

The document is valid against the JUnit schema Jenkins reads (the xUnit plugin's
``junit-10.xsd``), which GitLab, Azure Pipelines and others accept too.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ..findings import Finding, Level, sort_findings
from ..loader import Sources
from .escape import printable as _xml

SUITE = "support-policies"


def _describe(f: Finding) -> str:
    lines = [f"{_xml(f.location)}: {f.level}: {_xml(f.message)} [{_xml(f.rule)}]"]
    if f.hint:
        lines.append(f"  hint: {_xml(f.hint)}")
    return "\n".join(lines)


def render_junit(
    findings: list[Finding], sources: Sources, colour: bool = False, files: int = 0, checked: Sequence[str] = ()
) -> str:
    findings = sort_findings(findings)
    by_file: dict[str, list[Finding]] = {name: [] for name in sorted(set(checked) | {f.file for f in findings})}
    for f in findings:
        by_file[f.file].append(f)
    if not by_file:
        by_file["policies"] = []

    failed = sum(1 for items in by_file.values() if any(f.level is Level.ERROR for f in items))
    counts = {"tests": str(len(by_file)), "failures": str(failed), "errors": "0", "time": "0"}
    # The Jenkins/Ant schema has no ``skipped`` on <testsuites>: it goes on the suite only.
    root = ET.Element("testsuites", {"name": SUITE, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE, **counts, "skipped": "0"})
    for name, items in by_file.items():
        case = ET.SubElement(suite, "testcase", {"classname": SUITE, "name": _xml(name), "time": "0"})
        errors = [f for f in items if f.level is Level.ERROR]
        if errors:
            first = errors[0]
            summary = first.message or first.rule
            if len(errors) > 1:
                summary = f"{summary} (and {len(errors) - 1} more error{'s' if len(errors) > 2 else ''})"
            failure = ET.SubElement(case, "failure", {"message": _xml(summary), "type": _xml(first.rule)})
            failure.text = "\n".join(_describe(f) for f in errors)
        others = [f for f in items if f.level is not Level.ERROR]
        if others:
            ET.SubElement(case, "system-out").text = "\n".join(_describe(f) for f in others)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
