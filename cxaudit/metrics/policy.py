"""Who may do what with a company's business metrics (STYLE §5): one table, one entry point.

Everyone with a role in the company sees the dashboard and the exports; consultants and
managers enter, edit, delete and import periods. Views call ``check`` (404 for a refusal).
"""

from cxaudit.accounts.policy import Policy, Rule, manages, member

RULES: dict[str, Rule] = {
    "metrics.view": lambda role, _company: member(role),
    "metrics.edit": lambda role, _company: manages(role),
}

POLICY = Policy(RULES)
role_allows, allowed, check = POLICY.role_allows, POLICY.allowed, POLICY.check
