"""Accessibility assertion for browser tests (axe-core via axe-playwright-python)."""


def assert_no_serious_a11y_violations(page):
    """Run axe-core on the page; fail on any ``serious`` or ``critical`` violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in bad
    )
    return results
