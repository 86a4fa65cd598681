"""Month names of the archive pages' languages: one table for the readers and the aligner."""

from __future__ import annotations

EN_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
# Three-letter abbreviations (and "sept"), as in "Sept. 14, 1937".
EN_ABBREVIATIONS = {**{m[:3]: i for i, m in enumerate(EN_MONTHS, 1)}, "sept": 9}
# Russian stems as regular expressions: every case ending follows (май: мая, мае, маю).
RU_MONTH_STEMS = (
    "январ", "феврал", "март", "апрел", "ма[йяею]", "июн",
    "июл", "август", "сентябр", "октябр", "ноябр", "декабр",
)  # fmt: skip
# Russian nominative and genitive forms (the forms dates are written in).
RU_MONTH_FORMS = {
    "январь": 1, "января": 1, "февраль": 2, "февраля": 2, "март": 3, "марта": 3,
    "апрель": 4, "апреля": 4, "май": 5, "мая": 5, "июнь": 6, "июня": 6, "июль": 7,
    "июля": 7, "август": 8, "августа": 8, "сентябрь": 9, "сентября": 9, "октябрь": 10,
    "октября": 10, "ноябрь": 11, "ноября": 11, "декабрь": 12, "декабря": 12,
}  # fmt: skip
DE_MONTH_FORMS = {
    "januar": 1, "februar": 2, "märz": 3, "mai": 5, "juni": 6, "juli": 7, "oktober": 10,
    "dezember": 12,
}  # fmt: skip
