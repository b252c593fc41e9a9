"""Small instrument files for tests."""

PRIVATE = """\
key: house-checklist
version: 1
kind: checklist
title: {ru: "Чек-лист студии", en: "Studio checklist"}
description: {ru: "Собственный чек-лист консультанта.", en: "The consultant's own checklist."}
source: "house"
sections:
  - key: basics
    title: {ru: "Основы", en: "Basics"}
    items:
      - key: greeting
        text: {ru: "Клиента приветствуют в первые секунды.", en: "Customers are greeted at once."}
        guidance: {ru: "Послушайте пять звонков.", en: "Listen to five calls."}
        scale: yes-no
        weight: __WEIGHT__
        rules: [standards-missing]
"""


def private_instrument_yaml(weight: int = 1) -> str:
    return PRIVATE.replace("__WEIGHT__", str(weight))


def scale_instrument_yaml() -> str:
    """A private instrument with one 0-10 item that may be "not applicable"."""
    return (
        private_instrument_yaml()
        .replace("key: house-checklist", "key: house-scale")
        .replace("scale: yes-no", "scale: 0-10\n        allow_na: true")
        .replace("rules: [standards-missing]", "rules: [{rule: standards-missing, at_most: 5}]")
    )
