"""One small exception tree, mapped to exit codes in the CLI and to HTTP status in the service.

Messages are Chinese: they end up in a report that a reviewer reads.
"""


class PrecheckError(Exception):
    exit_code = 1


class InputError(PrecheckError):
    """The input as a whole cannot be used (no such path, nothing to check)."""

    exit_code = 2


class ParseError(PrecheckError):
    """One file could not be read; the bundle goes on without it."""


class UnsupportedFormat(ParseError):
    pass


class EncryptedFile(ParseError):
    pass


class EngineError(PrecheckError):
    """An OCR engine or converter could not run."""

    exit_code = 3


class ConfigError(PrecheckError):
    exit_code = 4
