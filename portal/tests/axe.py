"""axe-core, Deque's accessibility engine, vendored from npm (`vendor/axe-core/`, its
version in the file's first line; MPL-2.0, licences beside it), run on a page open in
Playwright against WCAG 2.2 AA and the levels below it.

The pages forbid inline scripts (Content-Security-Policy), and axe is injected as one:
open the page in a context made by `axe_context`, which bypasses the policy for the test.
"""

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}


def axe_context(browser, **options):
    """A browser context whose pages axe can be injected into."""
    return browser.new_context(bypass_csp=True, **options)


def violations(page) -> list[dict]:
    """axe's violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=AXE)
    return page.evaluate("options => axe.run(document, options)", OPTIONS)["violations"]


def report(found: list[dict]) -> str:
    """One line per failing element: the rule, the element, what axe says to fix."""
    lines = []
    for violation in found:
        for node in violation["nodes"]:
            target = " ".join(map(str, node["target"]))
            rule = f"{violation['id']} ({violation['impact']})"
            lines.append(f"{rule} {target}: {node['html'][:120]}")
            lines.append(f"    {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)
