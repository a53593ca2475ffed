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
        if found and found.startswith("UTF-"):  # the line count of a wide encoding is off
            self.line = 1
            self.message = (
                f"file is not UTF-8 text: it looks like {found}; save it as UTF-8 "
                "(expected UTF-8, without BOM)"
            )

    def __str__(self) -> str:
        return self.message


# Byte order marks of the encodings with more than one byte per character; UTF-32 LE
# first, as its mark begins with UTF-16 LE's.
_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32 LE"),
    (b"\x00\x00\xfe\xff", "UTF-32 BE"),
    (b"\xff\xfe", "UTF-16 LE"),
    (b"\xfe\xff", "UTF-16 BE"),
)
_SAMPLE = 4096  # bytes looked at to tell UTF-16 and UTF-32 without a mark
_WIDE: tuple[tuple[str, str], ...] = (
    ("utf-32-le", "UTF-32 LE"),
    ("utf-32-be", "UTF-32 BE"),
    ("utf-16-le", "UTF-16 LE"),
    ("utf-16-be", "UTF-16 BE"),
)


def _plausible(ch: str) -> bool:
    """A character of a regulation: ASCII text and line ends, Latin-1, punctuation,
    CJK ideographs and their punctuation, full-width forms."""
    code = ord(ch)
    return (
        0x20 <= code < 0x7F
        or ch in "\t\r\n"
        or 0xA0 <= code <= 0xFF
        or 0x2000 <= code <= 0x206F
        or 0x3000 <= code <= 0x303F
        or 0x3400 <= code <= 0x9FFF
        or 0xFF00 <= code <= 0xFFEF
    )


def wide_encoding(raw: bytes) -> str | None:
    """``UTF-16 LE`` (or BE, or UTF-32) when ``raw`` looks like text in an encoding of
    two or four bytes per character: by its byte order mark or, without one, by its
    zero bytes (text in UTF-8, Big5 or GB18030 holds none; in UTF-16 every line end
    and ASCII character has one) when it reads as lines of such text; else None."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return f"{name} (with BOM)"
    sample = raw[:_SAMPLE]
    if sample.count(0) * 100 < len(sample):
        return None
    for codec, name in _WIDE:
        width = 4 if "32" in codec else 2
        try:
            text = sample[: len(sample) - len(sample) % width].decode(codec)
        except UnicodeDecodeError:
            continue
        if "\n" in text and sum(map(_plausible, text)) >= 0.95 * len(text):
            return name
    return None


def guess_encoding(raw: bytes) -> str | None:
    """A reader's name for the likely encoding of ``raw`` (which is not UTF-8)."""
    if wide := wide_encoding(raw):
        return wide
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
    """``raw`` decoded as UTF-8, or ``NotUtf8Error`` saying what it looks like.

    Text in UTF-16 or UTF-32 is refused even where its bytes happen to be valid UTF-8
    (ASCII text, each letter followed by zero bytes): the file is in another encoding,
    not UTF-8 full of control characters."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUtf8Error(raw, exc) from None
    if "\x00" in text and wide_encoding(raw):
        at = raw.index(0)
        raise NotUtf8Error(raw, UnicodeDecodeError("utf-8", raw, at, at + 1, "zero byte"))
    return text


def decode_message(exc: UnicodeDecodeError) -> tuple[int, str]:
    """``(line, message)`` for a file that could not be read as UTF-8."""
    if isinstance(exc, NotUtf8Error):
        return exc.line, exc.message
    return 1, "file is not valid UTF-8 text (expected UTF-8)"
