"""What a post says: its word count, its links (classified) and its tags."""

from __future__ import annotations

import pytest

from bot.domain.content import (
    classify_link,
    count_words,
    extract_links,
    extract_tags,
    has_broken_characters,
    has_visible_text,
    is_control,
    without_controls,
)
from bot.domain.models import Link, LinkKind

# ------------------------------------------------------------------------------------------
# Words
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("   \n\t ", 0),
        ("Trained a CNN on MNIST", 5),
        ("Day 5: trained a CNN.", 5),
        ("Didn't finish, but I'm close!", 5),
        ("one\ntwo\n\nthree", 3),
        ("**Today's Progress**: fixed the loader", 5),
    ],
)
def test_count_words_counts_words_not_punctuation(text, expected) -> None:
    assert count_words(text) == expected


def test_a_link_counts_as_one_word() -> None:
    text = "Read https://arxiv.org/abs/1706.03762 and https://github.com/a/b today"
    # read, link, and, link, today
    assert count_words(text) == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 今 日 は 機 械 学 習 を 勉 強 し た: every kanji and kana is a word; 。 is punctuation.
        ("今日は機械学習を勉強した。", 12),
        # ニ ュ ー ラ ル ネ ッ ト: katakana, the long-vowel mark included.
        ("ニューラルネット", 8),
        # PyTorch, で, CNN, を, 学, ん, だ
        ("PyTorchでCNNを学んだ", 7),
        # 勉 強 + two latin words
        ("勉強 deep learning", 4),
    ],
)
def test_japanese_text_counts_each_kanji_and_kana(text, expected) -> None:
    assert count_words(text) == expected


# ------------------------------------------------------------------------------------------
# Links
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://arxiv.org/abs/1706.03762", LinkKind.ARXIV),
        ("https://arxiv.org/pdf/1706.03762v7", LinkKind.ARXIV),
        ("https://www.kaggle.com/code/someone/titanic-eda", LinkKind.KAGGLE),
        ("https://kaggle.com/competitions/titanic", LinkKind.KAGGLE),
        ("https://colab.research.google.com/drive/1AbCdEf", LinkKind.COLAB),
        ("https://github.com/kallaway/100-days-of-code", LinkKind.GITHUB),
        ("https://www.github.com/a/b/commit/0123abc", LinkKind.GITHUB),
        ("https://gist.github.com/someone/0123456789abcdef", LinkKind.GITHUB),
        ("https://huggingface.co/bert-base-uncased", LinkKind.HUGGINGFACE),
        ("https://hf.co/datasets/squad", LinkKind.HUGGINGFACE),
        ("https://www.youtube.com/watch?v=aircAruvnKk", LinkKind.YOUTUBE),
        ("https://youtube.com/watch?v=aircAruvnKk", LinkKind.YOUTUBE),
        ("https://youtu.be/aircAruvnKk", LinkKind.YOUTUBE),
        ("https://pytorch.org/docs/stable/index.html", LinkKind.OTHER),
        ("https://medium.com/@me/my-first-gan-123", LinkKind.OTHER),
        # Look-alike hosts are not the real thing.
        ("https://notgithub.com/a/b", LinkKind.OTHER),
        ("https://github.com.example.net/a/b", LinkKind.OTHER),
        ("https://fakeyoutu.be/x", LinkKind.OTHER),
    ],
)
def test_links_are_classified_by_host(url, kind) -> None:
    assert classify_link(url) is kind
    assert extract_links(f"Today: {url}") == (Link(url, kind),)


def test_host_case_does_not_change_the_kind() -> None:
    assert classify_link("HTTPS://GitHub.com/a/b") is LinkKind.GITHUB


@pytest.mark.parametrize("tail", [".", ",", ";", ":", "!", "?", "!!", "...", "*", "**", "_"])
def test_trailing_punctuation_is_not_part_of_the_link(tail) -> None:
    links = extract_links(f"Pushed to https://github.com/a/b{tail} Next: tests")

    assert [link.url for link in links] == ["https://github.com/a/b"]


def test_markdown_link_gives_the_bare_url() -> None:
    links = extract_links("Code: [my repo](https://github.com/a/b) and (https://hf.co/x).")

    assert links == (
        Link("https://github.com/a/b", LinkKind.GITHUB),
        Link("https://hf.co/x", LinkKind.HUGGINGFACE),
    )


def test_angle_brackets_and_quotes_are_not_part_of_the_link() -> None:
    links = extract_links('See <https://arxiv.org/abs/2106.09685> and "https://kaggle.com/x"')

    assert [link.url for link in links] == [
        "https://arxiv.org/abs/2106.09685",
        "https://kaggle.com/x",
    ]


def test_query_strings_and_fragments_are_kept() -> None:
    links = extract_links("https://www.youtube.com/watch?v=abc&t=42s and https://x.org/a#part")

    assert [link.url for link in links] == [
        "https://www.youtube.com/watch?v=abc&t=42s",
        "https://x.org/a#part",
    ]


@pytest.mark.parametrize(
    "placeholder",
    [
        "https://example.com",
        "https://example.com/your-link-here",
        "http://www.example.com/repo",
        "https://example.org/x",
        "https://example.net/",
    ],
)
def test_example_placeholders_are_ignored(placeholder) -> None:
    links = extract_links(f"**Link to work:** {placeholder} and https://github.com/a/b")

    assert [link.url for link in links] == ["https://github.com/a/b"]


def test_a_repeated_link_is_kept_once_in_order_of_first_appearance() -> None:
    links = extract_links(
        "https://github.com/a/b then https://arxiv.org/abs/1 then https://github.com/a/b.",
        "Again: https://arxiv.org/abs/1 and https://youtu.be/v",
    )

    assert [link.url for link in links] == [
        "https://github.com/a/b",
        "https://arxiv.org/abs/1",
        "https://youtu.be/v",
    ]


def test_text_without_http_links_has_none() -> None:
    assert extract_links("github.com/a/b and ftp://x.org/file and www.kaggle.com") == ()
    assert extract_links("") == ()


# ------------------------------------------------------------------------------------------
# Tags
# ------------------------------------------------------------------------------------------


def test_hashtags_are_tags_lower_cased_in_order() -> None:
    assert extract_tags("Learned #PyTorch and #NLP today #pytorch") == ("pytorch", "nlp")


def test_a_tags_line_gives_tags() -> None:
    assert extract_tags("Finished chapter 3\nTags: CNN, Transfer Learning; RNN") == (
        "cnn",
        "transfer learning",
        "rnn",
    )


@pytest.mark.parametrize(
    "line",
    [
        "Tags: cnn, rnn",
        "tags:cnn,rnn",
        "**Tags:** cnn, rnn",
        "Tag: cnn; rnn",
        "TAGS \uff1a cnn, rnn",  # a full-width colon
    ],
)
def test_tags_line_variants(line) -> None:
    assert extract_tags(f"Day 3\n{line}\nMore text") == ("cnn", "rnn")


def test_a_tags_line_without_separators_lists_words() -> None:
    # beatobongco's log: "Tags: scipy sparse matrix", "Tags: fast.ai lesson 1 cnn" (keywords,
    # not one phrase; a bare number is not a tag).
    assert extract_tags("Tags: scipy sparse matrix") == ("scipy", "sparse", "matrix")
    assert extract_tags("Tags: fast.ai lesson 1 cnn") == ("fast.ai", "lesson", "cnn")


def test_explicit_tags_are_added_after_the_texts_own() -> None:
    assert extract_tags("Working on #GANs", extra="Keras, #RNN gans") == ("gans", "keras", "rnn")


def test_explicit_tags_alone() -> None:
    assert extract_tags("", extra="Vision") == ("vision",)


@pytest.mark.parametrize(
    "text",
    [
        "Day #1 done",
        "Issue #42 fixed",
        "# Title\n## Day 5",
        "#  spaced",
        "See https://x.org/#frag and https://github.com/a/b#readme",
        "C# and F# are languages",
        "Quote &#39;hi&#39;",
        "path/to/#anchor",
        "###triple",
    ],
)
def test_numbers_headings_fragments_and_entities_are_not_tags(text) -> None:
    assert extract_tags(text) == ()


def test_hashtag_that_starts_with_digits_is_the_challenge_hashtag() -> None:
    # The rules' own hashtags start with digits: "Tweet your progress every day using the
    # #100DaysOfCode hashtag" (kallaway), "#100DaysofMLCode", "#66DaysOfData"; PRODUCT.md: tags
    # are the post's #hashtags. Only all-digit ones like "#1" are day numbers, not tags.
    assert extract_tags("Day 12 of #100DaysOfCode, also #66DaysOfData") == (
        "100daysofcode",
        "66daysofdata",
    )


def test_hashtags_inside_a_tags_line_are_split() -> None:
    assert extract_tags("Tags: #ml #vision") == ("ml", "vision")


def test_tags_are_capped_at_twenty() -> None:
    text = " ".join(f"#tag{letter}" for letter in "abcdefghijklmnopqrstuvwxyz")

    tags = extract_tags(text)

    assert len(tags) == 20
    assert tags[0] == "taga"
    assert tags[-1] == "tagt"


def test_tags_are_normalized_to_nfkc() -> None:
    # Full-width letters (as typed with a Japanese IME) become ASCII (U+FF21 and on).
    full_width = "#" + "".join(chr(ord(letter) + 0xFEE0) for letter in "PyTorch")
    assert extract_tags(full_width) == ("pytorch",)


# ------------------------------------------------------------------------------------------
# Visible text and characters that are not text (issue 11)
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "visible"),
    [
        ("", False),
        (" \t\n\u00a0\u3000", False),  # spaces of every width
        ("\u200b\u200c\u200d\u2060\ufeff\u00ad", False),  # zero-width, BOM, soft hyphen
        ("\x00\x01\x1f\x7f\x85\x9f", False),  # C0 and C1 controls
        ("\u3164\u115f\u1160\uffa0\u2800", False),  # Hangul fillers, the braille blank
        ("\u0301\u20dd", False),  # combining marks with nothing to sit on
        ("\u202e\u2066", False),  # direction overrides
        ("\ue000", False),  # private use: no glyph anyone shares
        ("a", True),
        ("7", True),
        ("?", True),
        ("\u2705", True),  # an emoji
        ("\u5b66", True),  # an ideograph
        ("\u200bok\u200b", True),
    ],
)
def test_visible_text_is_letters_digits_punctuation_or_symbols(text: str, visible: bool) -> None:
    assert has_visible_text(text) is visible


def test_controls_are_dropped_but_tab_and_line_breaks_stay() -> None:
    assert [is_control(char) for char in "\x00\t\n\r\x1b\x7f\x85a"] == [
        True,
        False,
        False,
        False,
        True,
        True,
        True,
        False,
    ]
    assert without_controls("a\x00b\tc\r\nd\x9f") == "ab\tc\r\nd"


@pytest.mark.parametrize(
    ("text", "broken"),
    [("\ud83d", True), ("ok \udc00", True), ("\U0001f600", False), ("plain", False)],
)
def test_a_lone_surrogate_is_a_broken_character(text: str, broken: bool) -> None:
    assert has_broken_characters(text) is broken
