"""Every registered page, opened by every kind of person: it renders without an exception, and a person whose
roles don't open it gets the refusal that says who may (the same rule the menu uses)."""

import pytest

from okrdash import auth
from okrdash.navigation import all_pages
from tests.pages.apptest import assert_clean, open_page, texts

PERSONAS = {
    "admin and org manager": "maya.okafor@harbor.example",
    "lead": "tomas.herrera@harbor.example",
    "member": "hannah.weiss@harbor.example",
    "department manager": "daniel.brandt@harbor.example",
    "manager and member of two teams": "priya.raman@harbor.example",
    "in no team": "rosa.jimenez@harbor.example",
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", [p[0] for p in all_pages()])
def test_page_renders_or_refuses(demo_db, page, persona):
    email = PERSONAS[persona]
    at = open_page(email, page)
    assert_clean(at)
    rule = next(p[3] for p in all_pages() if p[0] == page)
    actor = auth.load_by_email(email)
    if auth.may_open(actor, rule):
        assert auth.refusal(actor, rule) == ""
        assert not any("may open" in e.value or "is for" in e.value for e in at.error)
    else:
        assert auth.refusal(actor, rule) in texts(at)

