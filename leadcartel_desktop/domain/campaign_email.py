"""A campaign email: subject, plain and simple HTML bodies, the footer and unsubscribe headers."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

from leadcartel_desktop.domain.contact import Address
from leadcartel_desktop.domain.merge_fields import render_template

UNSUBSCRIBE_SUBJECT = "unsubscribe"
ONE_CLICK = "List-Unsubscribe=One-Click"
# The headers an email row may carry into the message (RFC 2369 and RFC 8058).
LIST_UNSUBSCRIBE = "List-Unsubscribe"
LIST_UNSUBSCRIBE_POST = "List-Unsubscribe-Post"
HEADERS_KEY = "headers"


@dataclass(frozen=True, slots=True)
class Sender:
    """The business as the footer and the unsubscribe headers show it."""

    name: str
    address: Address
    email: str
    unsubscribe_url: str = ""  # https, may hold {email}; empty: mailto only


@dataclass(frozen=True, slots=True)
class CampaignEmail:
    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)


def unsubscribe_link(sender: Sender, recipient: str) -> str:
    """The https link with the recipient's address filled in (URL-quoted), or ''."""
    if not sender.unsubscribe_url:
        return ""
    return sender.unsubscribe_url.replace("{email}", quote(recipient, safe=""))


def unsubscribe_headers(sender: Sender, recipient: str) -> dict[str, str]:
    """List-Unsubscribe with mailto (and https when set up); one-click only with https.

    RFC 8058 makes List-Unsubscribe-Post meaningful only beside an https URI, so without one
    the header is left out rather than promised.
    """
    targets = [f"<mailto:{sender.email}?subject={UNSUBSCRIBE_SUBJECT}>"]
    link = unsubscribe_link(sender, recipient)
    if link:
        targets.append(f"<{link}>")
    headers = {LIST_UNSUBSCRIBE: ", ".join(targets)}
    if link:
        headers[LIST_UNSUBSCRIBE_POST] = ONE_CLICK
    return headers


def footer_lines(sender: Sender, recipient: str) -> list[str]:
    lines = [line for line in [sender.name, *sender.address.lines()] if line]
    stop = f'To stop receiving these emails, reply with "{UNSUBSCRIBE_SUBJECT}"'
    link = unsubscribe_link(sender, recipient)
    lines.append(f"{stop} or visit {link}" if link else f"{stop} to {sender.email}.")
    return lines


def _html_paragraphs(text: str) -> str:
    """Plain text as escaped paragraphs; single line breaks kept as <br>."""
    paragraphs = [part.strip("\n") for part in text.replace("\r\n", "\n").split("\n\n")]
    return "\n".join(
        "<p>" + html.escape(part).replace("\n", "<br>\n") + "</p>" for part in paragraphs if part
    )


def campaign_email(
    subject: str, body: str, values: Mapping[str, str], sender: Sender, recipient: str
) -> CampaignEmail:
    """The rendered email; merge values are escaped in the HTML like the rest of the text."""
    text_body = render_template(body, values)
    footer = footer_lines(sender, recipient)
    text = f"{text_body.rstrip()}\n\n-- \n" + "\n".join(footer) + "\n"
    link = unsubscribe_link(sender, recipient)
    footer_html = "<br>\n".join(html.escape(line) for line in footer[:-1])
    stop = html.escape(footer[-1])
    if link:
        escaped = html.escape(link, quote=True)
        stop = stop.replace(html.escape(link), f'<a href="{escaped}">{html.escape(link)}</a>')
    document = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n'
        f"{_html_paragraphs(text_body)}\n"
        '<hr>\n<p style="font-size:small;color:#666">'
        f"{footer_html}<br>\n{stop}</p>\n</body></html>\n"
    )
    return CampaignEmail(
        subject=" ".join(render_template(subject, values).split()),
        text=text,
        html=document,
        headers=unsubscribe_headers(sender, recipient),
    )
