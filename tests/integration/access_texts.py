"""Access rows for the editor of an audit's report texts: the audit's runners only (the
client manager of a consultant's audit reads the texts on the published results page)."""

from tests.integration.access import company_page

RUNNERS_ONLY = company_page(manager=404, staff=404)

MATRIX = {
    "assessments:audit-texts": (lambda w: [w["audit"].pk], RUNNERS_ONLY),
}

POST = {
    "assessments:audit-texts": RUNNERS_ONLY | {"consultant": 302},
}

POST_DATA = {
    "assessments:audit-texts": lambda w: {"introduction::ru": "Вступление", "save": "1"},
}
