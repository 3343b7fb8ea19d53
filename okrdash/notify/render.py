"""One message, three forms: plain text, HTML (the email's two parts) and a Slack-compatible chat payload, all made
from the same blocks so they say the same thing. User text is escaped for each form here and nowhere else: HTML
with html.escape, chat with Slack's three control characters (& < >) and a zero-width space after every @, so
typed text can neither make links nor notify a whole channel (@channel, @here, @all).

Blocks: ("p", text) a paragraph · ("quote", text) someone's words · ("h", text) a heading ·
("list", [(text, url or None), …]) · ("link", label, url) the message's main action.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Block = tuple

ACCENT = "#3b5bdb"  # the app's primary colour (.streamlit/config.toml)


@dataclass
class Content:
    subject: str
    blocks: list[Block]
    why: str = ""  # "you are a member of Onboarding": the email footer says why it came
    # Made only when an email is built: previews and the demo's sent log read the subject and blocks alone, and the
    # calendar files were most of the cost of rendering a survey_opened message.
    make_attachments: Callable[[], list[tuple[str, bytes]]] = list

    @property
    def attachments(self) -> list[tuple[str, bytes]]:
        """(file name, .ics bytes) per calendar file."""
        return self.make_attachments()


def one_line(text: object) -> str:
    """Newlines and runs of spaces folded: headers and subjects are one line."""
    return " ".join(str(text or "").split())


def text(blocks: list[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        kind = block[0]
        if kind == "p":
            out.append(block[1])
        elif kind == "quote":
            out.append("\n".join(f"> {line}" for line in str(block[1]).splitlines() or [""]))
        elif kind == "h":
            out.append(f"{block[1]}\n{'-' * len(block[1])}")
        elif kind == "list":
            out.append("\n".join(f"- {item}" + (f"\n  {url}" if url else "") for item, url in block[1]))
        elif kind == "link":
            out.append(f"{block[1]}: {block[2]}")
    return "\n\n".join(out) + "\n"


def _a(label: str, url: str, style: str = "") -> str:
    return f'<a href="{html.escape(url, quote=True)}"{style}>{html.escape(label)}</a>'


def html_body(subject: str, blocks: list[Block], footer: list[Block]) -> str:
    parts = []
    for block in blocks + footer:
        kind = block[0]
        if kind == "p":
            parts.append(f"<p>{html.escape(block[1])}</p>")
        elif kind == "quote":
            lines = "<br>".join(html.escape(line) for line in str(block[1]).splitlines())
            parts.append(f'<blockquote style="margin:0 0 1em;padding-left:12px;border-left:3px solid #ccc;'
                         f'color:#444">{lines}</blockquote>')
        elif kind == "h":
            parts.append(f'<h3 style="margin:1.2em 0 .4em;font-size:15px">{html.escape(block[1])}</h3>')
        elif kind == "list":
            items = "".join(f"<li>{_a(item, url) if url else html.escape(item)}</li>" for item, url in block[1])
            parts.append(f'<ul style="padding-left:20px">{items}</ul>')
        elif kind == "link":
            button = (f' style="display:inline-block;padding:10px 16px;background:{ACCENT};color:#fff;'
                      'text-decoration:none;border-radius:6px"')
            parts.append(f"<p>{_a(block[1], block[2], button)}</p>")
        elif kind == "small":
            parts.append(f'<p style="color:#666;font-size:12px">{block[1]}</p>')  # built below from escaped parts
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(subject)}</title></head>\n"
            '<body style="font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;font-size:14px;'
            f'line-height:1.5;color:#1a1a1a;max-width:640px">\n{chr(10).join(parts)}\n</body></html>\n')


def footer_blocks(why: str, preferences_url: str, unsubscribe_url: str, kind_label: str) -> tuple[str, list[Block]]:
    """The footer every email ends with, as text and as an HTML block."""
    plain = (f"--\nYou get this email because {why}.\nChoose what okrdash sends you: {preferences_url}\n"
             f"Stop “{kind_label}” emails: {unsubscribe_url}\n")
    small = (f"You get this email because {html.escape(why)}. "
             f"{_a('Choose what okrdash sends you', preferences_url)} · "
             f"{_a(f'Stop “{kind_label}” emails', unsubscribe_url)}")
    return plain, [("small", small)]


# ---- chat ----

def chat_escape(value: object) -> str:
    """Text as a chat app shows it literally: Slack's & < > escaped, mentions defused."""
    escaped = str(value or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("@", "@\u200b")


def chat_payload(headline: str, blocks: list[Block], action: tuple[str, str] | None) -> dict[str, Any]:
    """Slack-compatible incoming-webhook JSON (Slack, Mattermost and Rocket.Chat all read `text` and legacy
    `attachments` with `title_link`)."""
    lines = []
    for block in blocks:
        if block[0] in ("p", "h"):
            lines.append(chat_escape(block[1]))
        elif block[0] == "quote":
            lines.append("\n".join(f"> {chat_escape(line)}" for line in str(block[1]).splitlines()))
        elif block[0] == "list":
            lines.append("\n".join(f"• {chat_escape(item)}" for item, _url in block[1]))
    attachment: dict[str, Any] = {"color": ACCENT, "fallback": chat_escape(headline), "text": "\n".join(lines)}
    if action:
        attachment.update(title=chat_escape(action[0]), title_link=action[1])
    return {"text": chat_escape(headline), "attachments": [attachment], "link_names": 0, "unfurl_links": False}
