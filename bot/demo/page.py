"""Lay the demo transcript out as the Discord client would: channel headings, message cards, embeds, controls."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.demo.markup import Reader, block_html, inline_html

if TYPE_CHECKING:
    from bot.demo.transcript import Entry

ONLY_YOU = "Only you can see this"
BOT_NAME = "supervision-bot"
# The languages a demo can be played in, as the intro names them.
LANGUAGE_NAMES = {"de": "German", "fr": "French"}
_SELECTS = {3, 5, 6, 7, 8}
_BUTTON_STYLES = {1: "primary", 2: "secondary", 3: "success", 4: "danger", 5: "link", 6: "secondary"}

_STYLE = """
*{box-sizing:border-box}
body{font-family:"gg sans","Noto Sans","Helvetica Neue",Helvetica,Arial,sans-serif;background:#313338;color:#dbdee1;
  max-width:940px;margin:0 auto;padding:1.5rem 1rem 4rem;font-size:15px;line-height:1.375}
h1{color:#f2f3f5;font-size:1.5rem;margin:.5rem 0}
.intro{color:#b5bac1;font-size:.9rem;margin:0 0 1rem}
h2{color:#f2f3f5;font-size:1.15rem;margin:2.5rem 0 .5rem;padding:.5rem .75rem;background:#2b2d31;border-radius:6px}
.place{color:#f2f3f5;font-weight:600;margin:1.2rem 0 .4rem;padding:.35rem 0;border-bottom:1px solid #3f4147;
  display:flex;gap:.4rem;align-items:center}
.place .icon{color:#80848e;font-size:1.2rem;font-weight:400}
.note{color:#949ba4;font-style:italic;margin:.5rem 0;font-size:.9rem}
.note .line{min-height:0}
.action{color:#b5bac1;font-size:.9rem;margin:.8rem 0 .1rem 56px}
.action .who{color:#f2f3f5;font-weight:600}
.msg{display:flex;gap:16px;padding:.3rem .5rem;margin:0 -.5rem;border-radius:4px}
.msg.ephemeral{background:rgba(88,101,242,.06)}
.avatar{flex:0 0 40px;height:40px;border-radius:50%;background:#5865f2;color:#fff;display:flex;align-items:center;
  justify-content:center;font-weight:700;font-size:.85rem}
.avatar.person{background:#4e5058}
.body{min-width:0;flex:1}
.head{display:flex;gap:.4rem;align-items:baseline}
.author{color:#f2f3f5;font-weight:600}
.tag{background:#5865f2;color:#fff;font-size:.625rem;font-weight:600;padding:0 .275rem;border-radius:3px;
  line-height:1rem;align-self:center}
.when{color:#949ba4;font-size:.75rem}
.content{white-space:normal;word-wrap:break-word}
.line{min-height:1.375em;white-space:pre-wrap}
.h1{font-size:1.5rem;font-weight:700}.h2{font-size:1.25rem;font-weight:700}.h3{font-size:1rem;font-weight:700}
.subtext{font-size:.8rem;color:#949ba4}
ul{margin:.1rem 0;padding-left:1.4rem}
blockquote{margin:0;padding:0 0 0 .75rem;border-left:4px solid #4e5058}
code{background:#2b2d31;border:1px solid #1e1f22;border-radius:4px;padding:0 .2em;font-size:.875em;
  font-family:Consolas,"Andale Mono",monospace}
pre{background:#2b2d31;border:1px solid #1e1f22;border-radius:4px;padding:.5em;white-space:pre-wrap}
a{color:#00a8fc;text-decoration:none}
.mention{background:rgba(88,101,242,.3);color:#c9cdfb;border-radius:3px;padding:0 2px;font-weight:500}
.time{background:rgba(78,80,88,.5);border-radius:3px;padding:0 2px}
.spoiler{background:#1e1f22;color:#1e1f22;border-radius:3px}
.embed{background:#2b2d31;border-left:4px solid #1e1f22;border-radius:4px;max-width:520px;margin-top:.3rem;
  padding:.5rem 1rem 1rem .75rem;display:grid;grid-template-columns:auto}
.embed.wide{max-width:560px}
.embed-author{font-size:.875rem;font-weight:600;color:#f2f3f5;margin-top:.5rem}
.embed-title{font-weight:600;color:#f2f3f5;margin-top:.5rem;font-size:1rem}
.embed-desc{font-size:.875rem;margin-top:.5rem}
.embed-fields{display:grid;grid-template-columns:repeat(12,1fr);gap:.5rem;margin-top:.5rem}
.field{font-size:.875rem;min-width:0}
.field-name{font-weight:600;color:#f2f3f5;margin-bottom:.1rem}
.embed-image{max-width:100%;border-radius:4px;margin-top:1rem;display:block}
.embed-thumb{float:right;max-width:80px;border-radius:4px;margin-left:1rem}
.embed-footer{font-size:.75rem;color:#b5bac1;margin-top:.5rem;white-space:pre-wrap}
.attachment{max-width:520px;border-radius:8px;margin-top:.3rem;display:block}
.row{display:flex;flex-wrap:wrap;gap:8px;margin-top:8px}
.button{height:32px;min-width:60px;padding:2px 16px;border-radius:8px;font-size:.875rem;font-weight:500;color:#fff;
  display:inline-flex;align-items:center;gap:.35rem;justify-content:center}
.button.primary{background:#5865f2}.button.secondary{background:#4e5058}.button.success{background:#248046}
.button.danger{background:#da373c}.button.link{background:#4e5058}
.disabled{opacity:.5;cursor:not-allowed}
.select{width:100%;max-width:400px;height:40px;background:#1e1f22;border:1px solid #1e1f22;border-radius:8px;
  padding:0 .75rem;display:flex;align-items:center;justify-content:space-between;font-size:.9rem}
.select .placeholder{color:#949ba4}.select .chevron{color:#b5bac1}
.only-you{font-size:.75rem;color:#949ba4;margin-top:.25rem}
.only-you .eye{margin-right:.25rem}
.form{background:#313338;border:1px solid #1e1f22;box-shadow:0 2px 10px rgba(0,0,0,.4);border-radius:8px;
  max-width:440px;margin:.3rem 0 .5rem 56px;padding:1rem}
.form-title{color:#f2f3f5;font-weight:700;font-size:1.1rem;margin-bottom:.75rem}
.form-label{color:#b5bac1;font-size:.75rem;font-weight:700;text-transform:uppercase;margin:.5rem 0 .3rem}
.form-value{background:#1e1f22;border-radius:4px;padding:.6rem;white-space:pre-wrap;font-size:.9rem}
.form .row{justify-content:flex-end}
"""


def render_html(entries: Iterable[Entry], reader: Callable[[datetime], Reader], zone: str, language: str = "en") -> str:
    """The whole transcript as one self-contained HTML page, times shown in `zone`; `language` is the members'."""
    in_language = (
        f" Everyone's Discord is set to {LANGUAGE_NAMES.get(language, language)}: the bot speaks it to them, and "
        "the server's preferred language is the same; the narration stays English."
        if language != "en"
        else ""
    )
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>supervision-bot demo</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>supervision-bot: a supervision week</h1>",
        f"<p class='intro'>Times are shown as a reader in {html.escape(zone)} sees them; Discord shows each reader "
        f"their own time zone. Replies marked “{ONLY_YOU}” are ephemeral: only the person named beside the label "
        f"sees them.{html.escape(in_language)}</p>",
    ]
    place = ""
    last: datetime | None = None
    for entry in entries:
        if entry.kind == "scene":
            parts.append(f"<h2>{html.escape(entry.text)}</h2>")
            place = ""
            continue
        if entry.kind == "note":
            parts.append(f"<div class='note'>{'<br>'.join(html.escape(x) for x in entry.text.splitlines())}</div>")
            continue
        if entry.place and entry.place != place:
            place = entry.place
            parts.append(_place(place))
        last = entry.at or last
        if last is None:
            raise ValueError(f"{entry.kind} entry has no time")
        view = reader(last)
        if entry.kind == "action":
            parts.append(f"<div class='action'><span class='who'>{html.escape(entry.who)}</span> ")
            parts.append(f"{inline_html(entry.text, view)}</div>")
        elif entry.kind == "form":
            parts.append(_form(entry))
        else:
            parts.append(_message(entry, view))
    return "\n".join(parts) + "\n</body></html>\n"


def _place(place: str) -> str:
    """A heading like the top bar of a channel or a DM."""
    icon = "@" if place.startswith("Direct messages") else "#"
    name = place.removeprefix("#")
    return f"<div class='place'><span class='icon'>{icon}</span>{html.escape(name)}</div>"


def _message(entry: Entry, reader: Reader) -> str:
    """One bot message: author line, content, embeds, attachments, controls and the ephemeral label."""
    when = reader.stamp(entry.at) if entry.at else ""
    kind = "msg ephemeral" if entry.ephemeral_to else "msg"
    out = [f"<div class='{kind}'><div class='avatar'>SB</div><div class='body'>"]
    out.append(
        f"<div class='head'><span class='author'>{BOT_NAME}</span><span class='tag'>APP</span>"
        f"<span class='when'>{when}</span></div>"
    )
    if entry.text:
        out.append(f"<div class='content'>{block_html(entry.text, reader)}</div>")
    used: set[str] = set()
    for embed in entry.embeds:
        out.append(_embed(embed, reader, entry.images, used))
    for filename, saved in entry.images.items():
        if filename not in used:
            out.append(f"<img class='attachment' src='{html.escape(saved)}' alt='{html.escape(filename)}'>")
    out.append(_components(entry.components))
    if entry.ephemeral_to:
        out.append(
            f"<div class='only-you'><span class='eye'>👁</span>{ONLY_YOU} · shown to "
            f"{html.escape(entry.ephemeral_to)}</div>"
        )
    out.append("</div></div>")
    return "".join(out)


def _embed(embed: dict[str, Any], reader: Reader, images: dict[str, str], used: set[str]) -> str:
    """An embed card: colour bar, author, title, description, fields, image and footer."""
    colour = embed.get("color")
    bar = f" style='border-left-color:#{int(colour):06x}'" if colour is not None else ""
    out = [f"<div class='embed'{bar}><div>"]
    thumbnail = _image_source((embed.get("thumbnail") or {}).get("url"), images, used)
    if thumbnail:
        out.append(f"<img class='embed-thumb' src='{html.escape(thumbnail)}' alt=''>")
    author = (embed.get("author") or {}).get("name")
    if author:
        out.append(f"<div class='embed-author'>{html.escape(author)}</div>")
    if embed.get("title"):
        title = inline_html(embed["title"], reader)
        if embed.get("url"):
            title = f"<a href='{html.escape(embed['url'])}'>{title}</a>"
        out.append(f"<div class='embed-title'>{title}</div>")
    if embed.get("description"):
        out.append(f"<div class='embed-desc'>{block_html(embed['description'], reader)}</div>")
    fields = embed.get("fields") or []
    if fields:
        out.append("<div class='embed-fields'>")
        for field, span in zip(fields, field_columns(fields, bool(thumbnail)), strict=True):
            out.append(
                f"<div class='field' style='grid-column:{span}'>"
                f"<div class='field-name'>{inline_html(field.get('name', ''), reader)}</div>"
                f"<div class='field-value'>{block_html(field.get('value', ''), reader)}</div></div>"
            )
        out.append("</div>")
    image = _image_source((embed.get("image") or {}).get("url"), images, used)
    if image:
        out.append(f"<img class='embed-image' src='{html.escape(image)}' alt='{html.escape(image)}'>")
    footer = (embed.get("footer") or {}).get("text")
    stamp = embed.get("timestamp")
    bits = [inline_html(footer, reader)] if footer else []
    if stamp:
        moment = datetime.fromisoformat(stamp)
        bits.append(html.escape(reader.time(int(moment.timestamp()), "f")))
    if bits:
        out.append(f"<div class='embed-footer'>{' • '.join(bits)}</div>")
    out.append("</div></div>")
    return "".join(out)


def field_columns(fields: list[dict[str, Any]], thumbnail: bool = False) -> list[str]:
    """Return each field's CSS grid column, as Discord lays fields out: up to three inline fields share a row."""
    per_row = 2 if thumbnail else 3
    spans: list[str] = []
    row: list[int] = []

    def close_row() -> None:
        width = 12 // len(row)
        spans.extend(f"{1 + width * slot} / {1 + width * (slot + 1)}" for slot in range(len(row)))
        row.clear()

    for index, field in enumerate(fields):
        if field.get("inline"):
            row.append(index)
            if len(row) == per_row:
                close_row()
            continue
        if row:
            close_row()
        spans.append("1 / 13")
    if row:
        close_row()
    return spans


def _image_source(url: str | None, images: dict[str, str], used: set[str]) -> str | None:
    """Map an embed's attachment:// image to the file saved beside the page."""
    if not url:
        return None
    if url.startswith("attachment://"):
        name = url.removeprefix("attachment://")
        used.add(name)
        return images.get(name)
    return url


def _components(rows: list[dict[str, Any]]) -> str:
    """Buttons and select menus as the client draws them, greyed out when disabled."""
    out = []
    for row in rows or []:
        controls = [_control(comp) for comp in row.get("components", [])]
        out.append(f"<div class='row'>{''.join(controls)}</div>")
    return "".join(out)


def _control(comp: dict[str, Any]) -> str:
    """One button or select menu."""
    disabled = " disabled" if comp.get("disabled") else ""
    if comp.get("type") == 2:
        style = _BUTTON_STYLES.get(comp.get("style", 2), "secondary")
        emoji = (comp.get("emoji") or {}).get("name") or ""
        label = html.escape(comp.get("label") or "")
        arrow = " ↗" if style == "link" else ""
        text = " ".join(part for part in (html.escape(emoji), label) if part)
        return f"<span class='button {style}{disabled}'>{text}{arrow}</span>"
    if comp.get("type") in _SELECTS:
        chosen = [o.get("label", "") for o in comp.get("options") or [] if o.get("default")]
        shown = (
            html.escape(", ".join(chosen))
            if chosen
            else f"<span class='placeholder'>{html.escape(comp.get('placeholder') or 'Make a selection')}</span>"
        )
        return f"<div class='select{disabled}'><span>{shown}</span><span class='chevron'>⌄</span></div>"
    return ""


def _form(entry: Entry) -> str:
    """A modal form as the member filled it in."""
    out = [f"<div class='form'><div class='form-title'>{html.escape(entry.text)}</div>"]
    for label, value in entry.fields:
        out.append(f"<div class='form-label'>{html.escape(label)}</div>")
        out.append(f"<div class='form-value'>{html.escape(value)}</div>")
    out.append("<div class='row'><span class='button primary'>Submit</span></div></div>")
    return "".join(out)
