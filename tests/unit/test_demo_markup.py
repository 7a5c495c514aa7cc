"""The demo page's rendering of Discord text, embeds and controls, checked piece by piece."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.demo.markup import Reader, block_html, inline_html, plain, relative
from bot.demo.page import ONLY_YOU, field_columns, render_html
from bot.demo.transcript import Entry

NOW = datetime(2026, 3, 5, 8, 0, tzinfo=UTC)
NAMES = {("channel", 1): "quiz", ("role", 2): "Supervisor", ("user", 3): "Trainee A"}
READER = Reader(lambda kind, key: NAMES.get((kind, key)), ZoneInfo("Europe/London"), NOW)


def unix(moment: datetime) -> int:
    return int(moment.timestamp())


def test_mentions_become_names_and_unknown_ids_never_show() -> None:
    text = "<#1> <@&2> <@3> <@!3> <#99> <@&98> <@97>"
    assert plain(text, READER) == "#quiz @Supervisor @Trainee A @Trainee A #unknown-channel @unknown-role @unknown-user"
    rendered = inline_html(text, READER)
    assert "&lt;" not in rendered and "<#" not in rendered
    assert "<span class='mention'>@Supervisor</span>" in rendered


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("t", "09:00"),
        ("T", "09:00:00"),
        ("d", "05/03/2026"),
        ("D", "5 March 2026"),
        ("f", "5 March 2026 09:00"),
        ("F", "Thursday, 5 March 2026 09:00"),
        ("R", "in an hour"),
    ],
)
def test_timestamps_show_as_a_reader_in_the_stated_zone_sees_them(style: str, expected: str) -> None:
    assert plain(f"<t:{unix(NOW + timedelta(hours=1))}:{style}>", READER) == expected


def test_summer_time_is_applied() -> None:
    # 09:00 UTC in July is 10:00 in London.
    assert plain(f"<t:{unix(datetime(2026, 7, 2, 9, tzinfo=UTC))}:t>", READER) == "10:00"


def test_a_timestamp_without_style_is_short_date_time() -> None:
    assert plain(f"<t:{unix(NOW)}>", READER) == "5 March 2026 08:00"


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(seconds=10), "in a few seconds"),
        (timedelta(minutes=30), "in 30 minutes"),
        (timedelta(hours=5), "in 5 hours"),
        (timedelta(days=6), "in 6 days"),
        (timedelta(days=-3), "3 days ago"),
        (timedelta(days=60), "in 2 months"),
        (timedelta(days=-800), "2 years ago"),
    ],
)
def test_relative_times_read_like_discord(delta: timedelta, expected: str) -> None:
    assert relative(delta) == expected


def test_markdown_becomes_html_and_user_html_is_escaped() -> None:
    rendered = inline_html("**bold** *it* __under__ ~~gone~~ `code <b>` \\*literal\\* <script>x</script>", READER)
    assert "<strong>bold</strong>" in rendered
    assert "<em>it</em>" in rendered
    assert "<u>under</u>" in rendered
    assert "<s>gone</s>" in rendered
    assert "<code>code &lt;b&gt;</code>" in rendered
    assert "*literal*" in rendered and "<em>literal" not in rendered
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered


def test_code_spans_keep_their_text_literally() -> None:
    assert inline_html("`**not bold**`", READER) == "<code>**not bold**</code>"


def test_links_and_blocks() -> None:
    rendered = block_html("> quoted\n- one\n- two\n-# small print\n[site](https://example.org)", READER)
    assert "<blockquote>quoted</blockquote>" in rendered
    assert "<ul><li>one</li><li>two</li></ul>" in rendered
    assert "<div class='subtext'>small print</div>" in rendered
    assert "<a href='https://example.org'>site</a>" in rendered


@pytest.mark.parametrize(
    ("inline", "expected"),
    [
        ([True, True, True], ["1 / 5", "5 / 9", "9 / 13"]),
        ([True, True], ["1 / 7", "7 / 13"]),
        ([True, False, True], ["1 / 13", "1 / 13", "1 / 13"]),
        ([True] * 4, ["1 / 5", "5 / 9", "9 / 13", "1 / 13"]),
        ([False, True, True], ["1 / 13", "1 / 7", "7 / 13"]),
    ],
)
def test_fields_share_rows_as_discord_lays_them_out(inline: list[bool], expected: list[str]) -> None:
    assert field_columns([{"inline": flag} for flag in inline]) == expected


def page(*entries: Entry) -> str:
    return render_html(list(entries), lambda at: Reader(READER.lookup, READER.zone, at), "Europe/London")


def test_an_embed_is_a_card_with_its_colour_image_and_footer() -> None:
    embed = {
        "title": "Results",
        "color": 0x5865F2,
        "description": "In <#1>",
        "fields": [{"name": "A", "value": "1", "inline": True}],
        "image": {"url": "attachment://chart.png"},
        "footer": {"text": "Chart: summary"},
    }
    html = page(Entry("message", "", "bot", "#quiz", NOW, embeds=[embed], images={"chart.png": "01-chart.png"}))
    assert "border-left-color:#5865f2" in html
    assert "<img class='embed-image' src='01-chart.png'" in html
    assert "class='attachment'" not in html  # shown once, inside the card
    assert "<div class='embed-footer'>Chart: summary</div>" in html
    assert "#quiz</span>" in html


def test_controls_are_drawn_and_greyed_when_disabled() -> None:
    rows = [
        {
            "type": 1,
            "components": [
                {"type": 2, "style": 1, "label": "Go", "custom_id": "a"},
                {"type": 2, "style": 4, "label": "Stop", "custom_id": "b", "disabled": True},
            ],
        },
        {"type": 1, "components": [{"type": 3, "custom_id": "c", "placeholder": "Pick", "disabled": True}]},
    ]
    html = page(Entry("message", "hi", "bot", "#quiz", NOW, components=rows))
    assert "<span class='button primary'>Go</span>" in html
    assert "<span class='button danger disabled'>Stop</span>" in html
    assert "<div class='select disabled'><span><span class='placeholder'>Pick</span>" in html


def test_ephemeral_messages_say_who_alone_sees_them() -> None:
    html = page(
        Entry("message", "private", "bot", "#general", NOW, ephemeral_to="Trainee A"),
        Entry("message", "public", "bot", "#general", NOW),
    )
    private, public = html.split("<div class='msg")[1:]
    assert f"{ONLY_YOU} · shown to Trainee A" in private
    assert ONLY_YOU not in public


def test_a_heading_appears_when_the_place_changes() -> None:
    html = page(
        Entry("message", "one", "bot", "#quiz", NOW),
        Entry("message", "two", "bot", "#quiz", NOW),
        Entry("message", "three", "bot", "Direct messages · Trainee A", NOW),
    )
    assert html.count("<div class='place'>") == 2
    assert "<span class='icon'>@</span>Direct messages · Trainee A" in html
