"""The built-in library: the instruments and the recommendation rule catalogue, as YAML.

Read with ``cxaudit.instrument_schema``. Audits take the instruments; audits and the business
metrics both take the rule catalogue, which is why the library sits below every app.
"""

from functools import lru_cache
from pathlib import Path

from cxaudit import instrument_schema as schema

LIBRARY_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def rule_catalogue() -> schema.RuleCatalogue:
    """The built-in recommendation rules (texts in ru and en), read once per process."""
    path = LIBRARY_DIR / schema.RULES_FILENAME
    return schema.parse_rules(path.read_text(encoding="utf-8"), filename=path.name)
