import pytest

from compendium.numbering.numerals import chinese, letter, parse_chinese, parse_roman, roman


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (111, "一百一十一"),
        (120, "一百二十"),
        (1000, "一千"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (1020, "一千零二十"),
        (1100, "一千一百"),
        (2005, "二千零五"),
        (9999, "九千九百九十九"),
        (10000, "一萬"),
        (10001, "一萬零一"),
        (10010, "一萬零一十"),
        (11000, "一萬一千"),
    ],
)
def test_chinese_numerals(n, text):
    assert chinese(n) == text
    assert parse_chinese(text) == n


def test_chinese_round_trip_to_9999():
    assert all(parse_chinese(chinese(n)) == n for n in range(1, 10000))
    assert len({chinese(n) for n in range(1, 10000)}) == 9999


def test_chinese_rejects_out_of_range():
    with pytest.raises(ValueError, match="expected 0 to"):
        chinese(-1)
    with pytest.raises(ValueError, match="not a Chinese numeral"):
        parse_chinese("十A")


def test_roman_and_letters():
    assert [roman(n) for n in (1, 4, 9, 14, 40, 90, 400, 1994)] == [
        "I",
        "IV",
        "IX",
        "XIV",
        "XL",
        "XC",
        "CD",
        "MCMXCIV",
    ]
    assert all(parse_roman(roman(n)) == n for n in range(1, 4000))
    assert [letter(n) for n in (1, 26, 27, 52)] == ["a", "z", "aa", "az"]
    with pytest.raises(ValueError):
        parse_roman("IIII")
