"""Sending e-mail through a small interface: printed to the console in development, kept in memory in tests."""

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger(__name__)


def send_mail(to: str, subject: str, body: str) -> None:
    backend = current_app.config["MAIL_BACKEND"]
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    {"console": _to_console, "memory": _to_memory, "smtp": _to_smtp}[backend](message)


def _to_console(message: EmailMessage) -> None:
    current_app.logger.warning("E-mail (not sent, development)\n%s", message.as_string())


def _to_memory(message: EmailMessage) -> None:
    current_app.extensions.setdefault("outbox", []).append(message)


def _to_smtp(message: EmailMessage) -> None:
    with smtplib.SMTP(current_app.config["SMTP_HOST"], current_app.config["SMTP_PORT"], timeout=10) as smtp:
        smtp.send_message(message)
