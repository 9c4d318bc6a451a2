"""Persian text helpers: digit conversion, search normalisation and barcode keyboard recovery.

All functions are pure and total: they accept any string and never raise.
"""

from __future__ import annotations

import re
import unicodedata

ASCII_DIGITS = "0123456789"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"

ZWNJ = "\u200c"
ZWJ = "\u200d"

_TO_ASCII_DIGITS = str.maketrans(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, ASCII_DIGITS * 2)
_TO_PERSIAN_DIGITS = str.maketrans(ASCII_DIGITS + ARABIC_INDIC_DIGITS, PERSIAN_DIGITS * 2)

_SEARCH_FOLD = str.maketrans(
    {
        "ي": "ی",  # Arabic yeh
        "ى": "ی",  # alef maksura
        "ك": "ک",  # Arabic kaf
        "ە": "ه",  # what ۀ leaves after its hamza is removed
        "ة": "ه",  # teh marbuta
        "ٱ": "ا",  # alef wasla
        "ڪ": "ک",  # swash kaf
        "ـ": None,  # tatweel (kashida) only stretches a word
        ZWNJ: " ",
        ZWJ: None,
        **{digit: ascii_digit for digit, ascii_digit in zip(PERSIAN_DIGITS, ASCII_DIGITS, strict=True)},
        **{
            digit: ascii_digit
            for digit, ascii_digit in zip(ARABIC_INDIC_DIGITS, ASCII_DIGITS, strict=True)
        },
    }
)


def to_ascii_digits(text: str) -> str:
    """Persian (۰-۹) and Arabic-Indic (٠-٩) digits become ASCII 0-9; everything else stays."""
    return text.translate(_TO_ASCII_DIGITS)


def to_persian_digits(text: str) -> str:
    """ASCII and Arabic-Indic digits become Persian digits (۰-۹); everything else stays."""
    return text.translate(_TO_PERSIAN_DIGITS)


def normalize_for_search(text: str) -> str:
    """The key under which names are indexed and searched, so that the way a word was typed
    does not matter: compatibility forms are unfolded (presentation forms, ﷼), diacritics and
    hamza marks are dropped (آ/أ/إ → ا, ؤ → و, ئ → ی), Arabic ي/ك/ى/ة become ی/ک/ی/ه, digits
    become ASCII, ZWNJ becomes a space, tatweel and ZWJ vanish, case is folded and runs of
    whitespace collapse to one space. Apply it to both the stored text and the query."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    folded = without_marks.translate(_SEARCH_FOLD).casefold()
    return " ".join(folded.split())


# ISIRI 9147 (the standard Persian layout): the character each US key gives, without and with
# Shift. Read backwards, it tells which key a barcode scanner pressed while the Persian layout was
# active. Keys that give the same ASCII character in both layouts are left out.
_ISIRI_9147_KEYS: dict[str, str] = {
    # unshifted
    "`": ZWJ,
    "q": "ض", "w": "ص", "e": "ث", "r": "ق", "t": "ف", "y": "غ", "u": "ع", "i": "ه",
    "o": "خ", "p": "ح", "[": "ج", "]": "چ",
    "a": "ش", "s": "س", "d": "ی", "f": "ب", "g": "ل", "h": "ا", "j": "ت", "k": "ن",
    "l": "م", ";": "ک", "'": "گ",
    "z": "ظ", "x": "ط", "c": "ز", "v": "ر", "b": "ذ", "n": "د", "m": "پ", ",": "و",
    **dict(zip(ASCII_DIGITS, PERSIAN_DIGITS, strict=True)),
    # shifted
    "~": "÷", "@": "٬", "#": "٫", "$": "﷼", "%": "٪", "^": "×", "&": "،",
    "(": ")", ")": "(", "_": "ـ",
    "Q": "ْ", "W": "ٌ", "E": "ٍ", "R": "ً", "T": "ُ", "Y": "ِ", "U": "َ", "I": "ّ",
    "O": "]", "P": "[", "{": "}", "}": "{",
    "A": "ؤ", "S": "ئ", "D": "ي", "F": "إ", "G": "أ", "H": "آ", "J": "ة", "K": "»",
    "L": "«", '"': "؛",
    "Z": "ك", "X": "ٓ", "C": "ژ", "V": "ٰ", "B": ZWNJ, "N": "ٔ", "M": "ء",
    "<": ">", ">": "<", "?": "؟",
}

_KEY_FOR_PERSIAN_CHAR: dict[str, str] = {
    persian: key for key, persian in _ISIRI_9147_KEYS.items() if not persian.isascii()
}
_KEY_FOR_PERSIAN_CHAR.update(zip(ARABIC_INDIC_DIGITS, ASCII_DIGITS, strict=True))

_KEY_FOR_SWAPPED_ASCII: dict[str, str] = {
    persian: key for key, persian in _ISIRI_9147_KEYS.items() if persian.isascii()
}
"""ASCII characters that the Persian layout puts on another key, e.g. ']' is Shift+O there.
They are only translated back when the code shows the Persian layout was on."""

_INVISIBLE_MARKS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff")


def normalize_scanned_code(text: str) -> str:
    """Recover the code a barcode scanner or cashier typed while the Persian keyboard layout was
    active: each character is mapped back to the US key that produces it under ISIRI 9147
    ('ش' → 'a', 'ذ' → 'b', 'ؤ' → 'A', '٬' → '@'), Persian and Arabic-Indic digits become ASCII,
    and surrounding whitespace and invisible direction marks are removed.

    Case is never changed: a letter typed with Shift comes back upper-case, Latin input keeps
    its case. ASCII punctuation that the Persian layout moves to another key (brackets, parens,
    '<', '>') is only translated when the code also contains a Persian-layout character, since
    otherwise it was typed on the Latin layout and is already right."""
    cleaned = "".join(ch for ch in text.strip() if ch not in _INVISIBLE_MARKS).strip()
    persian_layout_seen = any(ch in _KEY_FOR_PERSIAN_CHAR for ch in cleaned)
    recovered = []
    for ch in cleaned:
        if ch in _KEY_FOR_PERSIAN_CHAR:
            recovered.append(_KEY_FOR_PERSIAN_CHAR[ch])
        elif persian_layout_seen and ch in _KEY_FOR_SWAPPED_ASCII:
            recovered.append(_KEY_FOR_SWAPPED_ASCII[ch])
        else:
            recovered.append(ch)
    return "".join(recovered)


_ARABIC_LETTER_FORMS = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی"})
_DIGIT_RUN = re.compile("[0-9]+")


def _nearest_letter(text: str, start: int, step: int) -> str:
    index = start
    while 0 <= index < len(text):
        if text[index].isalpha():
            return text[index]
        index += step
    return ""


def persian_print_form(text: str) -> str:
    """`text` as a Persian document prints it: Arabic ي, ك and ى become Persian ی and ک, and
    ASCII digits become Persian digits unless the nearest letter on either side is Latin, so
    «پلاک 279» prints «پلاک ۲۷۹» while «Galaxy A55» and «iPhone 15 Pro» keep theirs."""
    text = text.translate(_ARABIC_LETTER_FORMS)

    def convert(match: re.Match[str]) -> str:
        before = _nearest_letter(text, match.start() - 1, -1)
        after = _nearest_letter(text, match.end(), 1)
        if (before and before.isascii()) or (after and after.isascii()):
            return match.group()
        return to_persian_digits(match.group())

    return _DIGIT_RUN.sub(convert, text)
