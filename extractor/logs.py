"""Logging as precheck does it: one line per record, control characters escaped.

File names come from applicants (and from archives and mails they made): a name holding a newline or
an ANSI escape would forge a log line or repaint a terminal. Every record is formatted with such
characters shown escaped (\\n, \\x1b). Only names and counts are logged, never content (管理办法 第十九条).
"""

from __future__ import annotations

import logging
import re

FORMAT = "%(levelname)s %(name)s: %(message)s"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escape_controls(text: str) -> str:
    """Control characters shown as escapes. (A traceback is added after the message is formatted, so
    its own line breaks stay.)"""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


class EscapingFormatter(logging.Formatter):
    def formatMessage(self, record: logging.LogRecord) -> str:
        return escape_controls(super().formatMessage(record))


def configure(level: int) -> None:
    """The root logger to stderr at `level`, with control characters in messages escaped."""
    handler = logging.StreamHandler()
    handler.setFormatter(EscapingFormatter(FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
