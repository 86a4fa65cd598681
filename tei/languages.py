"""Language codes and their English names: one table for the readers and the TEI writer."""

from __future__ import annotations

NAMES = {
    "ru": "Russian", "uk": "Ukrainian", "be": "Belarusian", "bg": "Bulgarian", "en": "English",
    "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pl": "Polish",
    "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "ar": "Arabic", "he": "Hebrew",
    "el": "Greek", "hu": "Hungarian", "cs": "Czech", "sk": "Slovak", "ro": "Romanian",
    "sr": "Serbian", "hr": "Croatian", "vi": "Vietnamese", "sq": "Albanian", "mn": "Mongolian",
    "kk": "Kazakh", "la": "Latin", "und": "Undetermined",
}  # fmt: skip
CODES = {v.lower(): k for k, v in NAMES.items()}


def language_name(code: str) -> str:
    """English name of a language code (the code itself when unknown)."""
    return NAMES.get(code, code)


def code_for_name(name: str | None) -> str | None:
    """Language code of an English language name such as ``Russian``, or None."""
    if not name:
        return None
    return CODES.get(name.strip().lower())
