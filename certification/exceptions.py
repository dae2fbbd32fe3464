"""Refusals of the domain, raised by services and mapped to pages and API responses."""

from collections.abc import Sequence


class DomainError(Exception):
    """A request the rules refuse; `message` is a sentence for the person who asked, and
    `http_status` how the pages and the API answer it."""

    http_status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransitionNotAllowed(DomainError):
    """The transition does not exist from the current state (or the state changed meanwhile)."""

    http_status = 409

    def __init__(self, message: str, *, state: str, allowed: Sequence[str]) -> None:
        super().__init__(message)
        self.state = state
        self.allowed = list(allowed)


class ActionForbidden(DomainError):
    """The acting user may not do this (role, membership, four eyes, conflict of interest)."""

    http_status = 403


class RequirementsNotMet(DomainError):
    """One or more requirements are unmet; `unmet` holds one sentence per requirement."""

    def __init__(self, unmet: Sequence[str]) -> None:
        self.unmet = list(unmet)
        super().__init__(" ".join(self.unmet))


class SchemeLocked(DomainError):
    """A scheme that has been activated is frozen: past assessments refer to it."""


class InvalidLabelCode(ValueError):
    """Text that cannot be a label code; the message says why, in the user's terms."""


class UnknownCertificateLanguage(DomainError):
    """A certificate was asked in a language it is not issued in."""
