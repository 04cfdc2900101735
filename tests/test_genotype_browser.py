"""The regimen and genotype questions of the walkthrough in headless Chromium: a regimen picked
by keyboard from the drug list, a pasted mutation list, the susceptibility table and the row.

What the page must show is asked of CPython's ``logic`` (never typed here)."""

from __future__ import annotations

import pytest

import logic
from tests.browser_harness import assert_clean, axe_problems
from tests.test_walkthrough_browser import (
    cpython,
    decoded_hash,
    fill_with_keyboard,
    open_walkthrough,
    rendered,
    settle,
    tab_to,
    wait_for_runtime,
)

pytestmark = pytest.mark.browser

BASE = {
    "viral_loads": [{"week": 24, "copies": 2400}, {"week": 28, "copies": 3100}],
    "history": "first_regimen",
}
MUTATIONS = "RT: M184V\nIN: N155H"


def shown_table(page) -> list[dict]:
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-wt-block="genotype"] .gt-table tbody tr')]
            .map((tr) => ({
                drug: tr.dataset.drug,
                class: tr.closest('table').dataset.gtClass,
                label: tr.querySelector('.gt-level').textContent,
                level: Number(tr.querySelector('.gt-level').dataset.level),
                score: Number(tr.children[2].textContent),
            }))"""
    )


def test_regimen_by_keyboard_and_pasted_mutations(page, recorder, site_server):
    open_walkthrough(page, site_server)
    wait_for_runtime(page)
    fill_with_keyboard(page, BASE)
    # The drug picker: type part of the second drug, pick the suggestion with the keyboard.
    tab_to(page, "#wt-regimen")
    page.keyboard.type("RAL + TDF/F")
    offered = page.eval_on_selector_all(
        "#wt-regimen-suggestions option", "(options) => options.map((o) => o.value)"
    )
    assert "RAL + TDF/FTC" in offered and all(o.startswith("RAL + ") for o in offered)
    page.keyboard.type("TC")
    # The mutation list, pasted as a report prints it (one insertion, as a paste is).
    tab_to(page, "#wt-mutations")
    page.keyboard.insert_text(MUTATIONS)
    settle(page)
    page.locator('[data-walkthrough][data-state="result"]').wait_for()
    sent = decoded_hash(page)
    assert (sent["regimen"], sent["mutations"]) == ("RAL + TDF/FTC", MUTATIONS)
    expected = cpython(sent)["result"]
    assert expected["scenario"] == "first_insti_ral_evg_resistance"
    assert rendered(page)["scenario"] == expected["scenario"]
    table = expected["susceptibility"]
    assert shown_table(page) == [
        {key: d[key] for key in ("drug", "class", "label", "level", "score")}
        for d in table["drugs"]
    ]
    block = page.locator('[data-wt-block="genotype"]')
    text = block.inner_text()
    assert table["algorithm"]["attribution"] in text
    for limit in table["limits"]:
        assert limit["text"] in text
    # Derived facts are shown as derived, beside their questions, and in the answer.
    for fact in expected["derived"]:
        note = page.locator(f'[data-wt-derived="{fact["field"]}"]')
        assert note.count() == 1, fact["field"]
        if fact["derived_from"]:
            assert fact["derived_from"] in note.inner_text()
    assert page.locator('[data-derived="resistance"]').count() == 1
    assert axe_problems(page) == []
    assert_clean(recorder)


def test_the_users_tick_wins_and_the_difference_is_said(page, recorder, site_server):
    case = {
        **BASE,
        "failing_regimen": "nnrti_2nrti",
        "mutations": "RT: K103N, M184V",
        "resistance_test": "mutations_found",
        "resistance": ["nnrti"],
    }
    open_walkthrough(page, site_server, case=case)
    expected = cpython(case)["result"]
    fact = next(d for d in expected["derived"] if d["field"] == "resistance")
    assert fact["overridden"] and expected["case"]["resistance"] == ["nnrti"]
    note = page.locator('[data-wt-derived="resistance"]')
    assert note.inner_text() == fact["note"]
    assert page.locator("#wt-resistance-m184vi").is_checked() is False  # never ticked for them
    assert_clean(recorder)


def test_a_bad_mutation_is_named_at_its_field(page, recorder, site_server):
    case = {**BASE, "mutations": "RT: K103N, hello"}
    open_walkthrough(page, site_server, case=case)
    error = cpython(case)["error"]
    shown = page.locator('[data-wt-error-for="mutations"]')
    shown.wait_for()
    assert error["message"] in shown.inner_text()
    assert logic.guideline().fields["mutations"]["label"]
    assert_clean(recorder)
