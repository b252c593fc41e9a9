"""Themes in open comments: lemmas, codebook matching, suggested themes, figures by group.

Pure: no Django, Celery or database imports. Works offline on Russian and English text
(pymorphy3 for Russian, the Snowball English stemmer for Latin-script words).
"""
