"""Accessibility checks with axe-core, run inside the page as the browser shows it: the WCAG 2.1 A and AA rules."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()


def violations(page) -> list[str]:
    """Each violated rule with the elements that break it, as a person would read it in a failing test."""
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]})
    return [f"{rule['id']} ({rule['impact']}): {rule['help']} — "
            + "; ".join(" ".join(node["target"]) for node in rule["nodes"][:5])
            for rule in results.response["violations"]]


class AccessibilityLog:
    """Checks each page once (by its path) as a journey visits it, and keeps what it found for one assertion."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.found: dict[str, list[str]] = {}

    def check(self, page, name: str = "") -> None:
        where = name or page.url.removeprefix(self.base_url)
        if where in self.found:
            return
        for _attempt in range(3):
            page.wait_for_load_state("load")
            try:
                self.found[where] = violations(page)
                return
            except PlaywrightError as error:  # the page moved on (a redirect, an htmx push) while axe ran
                if "context was destroyed" not in str(error):
                    raise
        raise AssertionError(f"{where}: the page kept navigating while axe-core checked it")

    @property
    def pages_with_violations(self) -> dict[str, list[str]]:
        return {where: found for where, found in self.found.items() if found}
