"""Store a rule's own recommendation text as the rule key, so that it is rendered in the
reader's language; text a consultant edited stays as typed.

Before this migration a recommendation and its action item copied the rule text in the
language of whoever refreshed or accepted it. Rows whose text is the rule's text in either
language become blank (the rule key ``rule_id`` is already stored); the reverse writes the
Russian text, the site's default language, back.
"""

from pathlib import Path

import yaml
from django.db import migrations, models

RULES = Path(__file__).resolve().parents[2] / "cxaudit" / "library" / "rules.yaml"


def _rule_texts() -> dict[str, dict[str, str]]:
    document = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    return {rule["id"]: rule["text"] for rule in document["rules"]}


def _rows(apps):
    Recommendation = apps.get_model("assessments", "Recommendation")
    ActionItem = apps.get_model("assessments", "ActionItem")
    return ((Recommendation, "text"), (ActionItem, "title"))


def texts_to_keys(apps, schema_editor):
    texts = _rule_texts()
    for model, field in _rows(apps):
        changed = []
        for row in model.objects.exclude(rule_id="").exclude(**{field: ""}).iterator():
            rule = texts.get(row.rule_id)
            if rule is not None and getattr(row, field) in (rule.get("ru"), rule.get("en")):
                setattr(row, field, "")
                changed.append(row)
        model.objects.bulk_update(changed, [field], batch_size=500)


def keys_to_texts(apps, schema_editor):
    texts = _rule_texts()
    for model, field in _rows(apps):
        changed = []
        for row in model.objects.exclude(rule_id="").filter(**{field: ""}).iterator():
            rule = texts.get(row.rule_id)
            if rule is not None:
                setattr(row, field, rule["ru"])
                changed.append(row)
        model.objects.bulk_update(changed, [field], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_participant_notified"),
    ]

    operations = [
        migrations.AlterField(
            model_name="actionitem",
            name="title",
            field=models.TextField(blank=True, verbose_name="action"),
        ),
        migrations.AlterField(
            model_name="recommendation",
            name="text",
            field=models.TextField(blank=True, verbose_name="recommendation"),
        ),
        migrations.RunPython(texts_to_keys, reverse_code=keys_to_texts),
    ]
