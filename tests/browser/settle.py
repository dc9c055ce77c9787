"""Waiting for Streamlit to finish a run, as a reader waits for the page to stop changing."""

from __future__ import annotations

from playwright.sync_api import Page

# No "Running" status widget, and no element faded as left over from the last run (faded text
# would also fail a contrast check for a reason no reader sees once the run is over).
SETTLED_JS = """() => !document.querySelector('[data-testid="stStatusWidget"]')
  && !document.querySelector('[data-stale="true"]')"""


def settle(page: Page, timeout_ms: float = 60_000) -> None:
    """Wait until the run is over, and still over a moment later: a run can start another
    (a widget's value sent back), which would otherwise pass for a settled page."""
    page.wait_for_function(SETTLED_JS, polling=100, timeout=timeout_ms)
    page.wait_for_timeout(300)
    page.wait_for_function(SETTLED_JS, polling=100, timeout=timeout_ms)
