"""axe-core in the browser tests: inject it into a page or a frame, and fail on any serious
or critical violation, naming each rule and the elements it caught.

axe-core is fetched, pinned, by scripts/fetch-vendor.sh into tests/browser/vendor/ (never
committed, never served to readers).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Frame, Page

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
BLOCKING = ("serious", "critical")
# Each document is checked on its own (a frame is passed in itself), so axe does not wait
# for answers from frames it was not injected into.
RUN_JS = """async (include) => {
  const result = await axe.run(include ? {include: [include]} : document,
                               {iframes: false, resultTypes: ["violations"]});
  return result.violations;
}"""


def blocking_violations(target: Page | Frame, include: str | None = None) -> list[dict[str, Any]]:
    """axe's serious and critical violations in `target` (within the `include` selector)."""
    if not AXE_JS.is_file():
        message = f"{AXE_JS} is missing: run scripts/fetch-vendor.sh (`make assets`)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    if not target.evaluate("() => typeof window.axe === 'object'"):
        target.add_script_tag(path=str(AXE_JS))
    violations: list[dict[str, Any]] = target.evaluate(RUN_JS, include)
    return [found for found in violations if found["impact"] in BLOCKING]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for found in violations:
        lines.append(f"{found['impact']} {found['id']}: {found['help']}")
        lines.extend(f"    {' > '.join(map(str, node['target']))}: {node['failureSummary']}"
                     for node in found["nodes"][:8])
    return "\n".join(lines)


def assert_no_blocking_violations(target: Page | Frame, where: str,
                                  include: str | None = None) -> None:
    """Fail, printing every serious or critical violation axe-core finds in `target`."""
    found = blocking_violations(target, include)
    if found:
        print(describe(found))
    assert not found, f"axe-core on {where}:\n{describe(found)}"
