"""Number words used in regulation numbering: Chinese numerals, Roman numerals, letters."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"))


def _below_10000(n: int) -> str:
    """Chinese numeral for 1..9999 in full form (一百一十, 一千零二十)."""
    out: list[str] = []
    zero = False
    for value, unit in _UNITS:
        d, n = divmod(n, value)
        if d:
            if zero:
                out.append("零")
                zero = False
            out.append(_DIGITS[d] + unit)
        elif out:
            zero = True
    if n:
        if zero:
            out.append("零")
        out.append(_DIGITS[n])
    return "".join(out)


def chinese(n: int) -> str:
    """Return the Chinese numeral for ``n`` as used in statutes (第一百零一條).

    10-19 are written 十, 十一 … 十九 (not 一十一); 110 is 一百一十, 1020 is
    一千零二十. Supports 0 to 99,999,999. Raises ``ValueError`` outside that range.
    """
    if not 0 <= n < 100_000_000:
        raise ValueError(f"cannot write {n} as a Chinese numeral (expected 0 to 99999999)")
    if n == 0:
        return "零"
    high, low = divmod(n, 10_000)
    if high:
        text = _below_10000(high) + "萬"
        if low:
            text += ("零" if low < 1000 else "") + _below_10000(low)
    else:
        text = _below_10000(low)
    if text.startswith("一十"):
        text = text[1:]
    return text


def parse_chinese(text: str) -> int:
    """Inverse of :func:`chinese`; also accepts 〇/兩 and Arabic digits.

    Raises ``ValueError`` when ``text`` is not a numeral.
    """
    text = text.strip().replace("〇", "零").replace("兩", "二")
    if text.isdigit():
        return int(text)
    if not text or any(c not in _DIGITS + "十百千萬" for c in text):
        raise ValueError(f"'{text}' is not a Chinese numeral")
    total = section = digit = 0
    for c in text:
        if c in _DIGITS:
            digit = _DIGITS.index(c)
        elif c == "萬":
            total += (section + digit) * 10_000
            section = digit = 0
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[c]
            section += (digit or 1) * unit
            digit = 0
    return total + section + digit


_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def roman(n: int) -> str:
    """Upper-case Roman numeral for 1..3999. Raises ``ValueError`` outside."""
    if not 0 < n < 4000:
        raise ValueError(f"cannot write {n} as a Roman numeral (expected 1 to 3999)")
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def parse_roman(text: str) -> int:
    """Inverse of :func:`roman` (case-insensitive). Raises ``ValueError``."""
    s = text.strip().upper()
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    if not s or any(c not in values for c in s):
        raise ValueError(f"'{text}' is not a Roman numeral")
    total = 0
    for i, c in enumerate(s):
        v = values[c]
        total += -v if i + 1 < len(s) and values[s[i + 1]] > v else v
    if roman(total) != s:
        raise ValueError(f"'{text}' is not a well-formed Roman numeral")
    return total


def letter(n: int) -> str:
    """a, b, … z, aa, ab … (spreadsheet style) for n >= 1."""
    if n < 1:
        raise ValueError(f"cannot write {n} as a letter (expected 1 or more)")
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out
