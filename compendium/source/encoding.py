"""Reading source files as UTF-8, and saying what they are when they are not."""

from __future__ import annotations

# Frequent characters of regulations, to tell a Big5 file from a GB18030/GBK one.
_COMMON = "的一是不了在人有之於本公司員工員应應条條規规定部門门管理事項项第章"


class NotUtf8Error(UnicodeDecodeError):
    """A source file that is not UTF-8; ``message`` names the encoding it looks like."""

    def __init__(self, raw: bytes, exc: UnicodeDecodeError):
        super().__init__(exc.encoding, exc.object, exc.start, exc.end, exc.reason)
        self.line = raw.count(b"\n", 0, exc.start) + 1
        found = guess_encoding(raw)
        what = f"it looks like {found}" if found else "its encoding is unknown"
        self.message = (
            f"file is not UTF-8 text ({what}; first undecodable byte 0x{raw[exc.start]:02x} "
            "on this line); save it as UTF-8 (expected UTF-8, without BOM)"
        )

    def __str__(self) -> str:
        return self.message


def guess_encoding(raw: bytes) -> str | None:
    """A reader's name for the likely encoding of ``raw`` (which is not UTF-8)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 (with BOM)"
    scores: list[tuple[int, str]] = []
    for codec, name in (
        ("gb18030", "GB18030/GBK (Simplified Chinese)"),
        ("big5", "Big5 (Traditional Chinese)"),
    ):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        scores.append((sum(text.count(c) for c in _COMMON), name))
    if scores:
        return max(scores)[1]
    try:
        raw.decode("cp1252")
        return "Windows-1252 (Western European)"
    except UnicodeDecodeError:
        return None


def read_utf8(raw: bytes) -> str:
    """``raw`` decoded as UTF-8, or ``NotUtf8Error`` saying what it looks like."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUtf8Error(raw, exc) from None


def decode_message(exc: UnicodeDecodeError) -> tuple[int, str]:
    """``(line, message)`` for a file that could not be read as UTF-8."""
    if isinstance(exc, NotUtf8Error):
        return exc.line, exc.message
    return 1, "file is not valid UTF-8 text (expected UTF-8)"
