"""Many e-mails over one connection, each recorded as sent exactly once.

A message sent to an SMTP server is delivered once the server answers the
final "." of its DATA. If the sender dies between that answer and the moment
it records the message as sent, a sender started again sends it a second
time; if it records first and dies before sending, the message is lost.
`MailBatch.send` closes that gap: it writes the whole message but the final
".", lets the caller commit its record, and only then ends the message. A
sender killed before the commit leaves no record and the server, seeing the
connection drop in the middle of DATA, throws the message away: it is sent
again later, once. Killed after the commit, the message has only its last
five bytes to go.

Backends other than SMTP (the console, files, tests' memory) have no such
gap to close: the record is committed first, then the message handed over.
"""

import contextlib
import re
import smtplib
import socket
from collections.abc import Callable

from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address

# A line of the message that starts with "." is sent with one more (RFC 5321, 4.5.2).
LEADING_PERIOD = re.compile(rb"(?m)^\.")


class MessageRefused(Exception):
    """The server refused this message (its recipient, most often); the connection is still good."""


class MailBatch:
    """One connection for a batch of messages; use it as a context manager."""

    def __init__(self):
        self.backend = get_connection(fail_silently=False)

    def __enter__(self) -> "MailBatch":
        self.backend.open()
        return self

    def __exit__(self, *exc_info) -> None:
        # The connection may be the thing that failed; then nothing is left to close.
        with contextlib.suppress(Exception):
            self.backend.close()

    def send(self, message: EmailMessage, *, record: Callable[[], None]) -> None:
        """Send `message`, calling `record()` (which must commit) just before it is delivered.

        Raises MessageRefused if the server refuses it (the record is then
        the caller's to undo), and the backend's error if the connection fails.
        """
        if isinstance(self.backend, SMTPBackend):
            self._send_smtp(message, record)
        else:
            record()
            self.backend.send_messages([message])

    def _send_smtp(self, message: EmailMessage, record: Callable[[], None]) -> None:
        if self.backend.connection is None:
            self.backend.open()
        smtp: smtplib.SMTP = self.backend.connection
        if smtp.sock is not None and not getattr(smtp, "_newsroom_nodelay", False):
            # The message's last line goes alone, after the record: without this,
            # Nagle's algorithm holds it until the server acknowledges the rest (tens of ms).
            with contextlib.suppress(OSError):
                smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            smtp._newsroom_nodelay = True
        encoding = message.encoding or "utf-8"
        sender = sanitize_address(message.from_email, encoding)
        recipients = [sanitize_address(address, encoding) for address in message.recipients()]
        content = message.message().as_bytes(linesep="\r\n")
        smtp.ehlo_or_helo_if_needed()
        code, _reply = smtp.mail(sender)
        if code != 250:
            smtp.rset()
            raise MessageRefused(code)
        for recipient in recipients:
            code, _reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                smtp.rset()
                raise MessageRefused(code)
        code, _reply = smtp.docmd("data")
        if code != 354:
            smtp.rset()
            raise MessageRefused(code)
        data = LEADING_PERIOD.sub(b"..", content)
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        smtp.send(data)
        try:
            record()
        except BaseException:
            # The message is half-written and cannot be taken back but by
            # dropping the connection, which makes the server discard it.
            self._drop()
            raise
        smtp.send(b".\r\n")
        code, _reply = smtp.getreply()
        if code != 250:
            raise MessageRefused(code)

    def _drop(self) -> None:
        with contextlib.suppress(Exception):
            self.backend.connection.sock.close()
        self.backend.connection = None
