"""axe-core over the pages a reader opens first, in light and dark colours: no serious or
critical violation (contrast, names of links and controls, landmarks, lang attributes, …)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}


def report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']}: {violation['help']}")
        lines.extend(f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"][:5])
    return "\n".join(lines)


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", ["home", "story", "country", "feeds", "search"])
def test_no_serious_accessibility_violation(tab, pages, axe, name, scheme):
    tab.page.emulate_media(color_scheme=scheme)
    page = tab.open(pages.get(name, "search/?q=Russia"))
    if name == "search":
        page.locator("#search-status").filter(has_text="found").wait_for()
    violations = axe.run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, report(blocking)
