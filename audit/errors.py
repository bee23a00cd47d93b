"""Errors of a *run* (not of a file): each carries its exit code and a fix-it message.

A bad file never raises: extractors return ReadProblems that become M03 findings. Only
the CLI turns these errors into exit codes (README lists them).
"""
from __future__ import annotations


class AuditError(Exception):
    exit_code = 1

    def __init__(self, message: str, fix: str = ""):
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message}\n{self.fix}" if self.fix else self.message


class UsageError(AuditError):
    """The command was given something it cannot work with (no such folder, OUT inside BATCH)."""
    exit_code = 2


class EngineError(AuditError):
    """An OCR engine is not installed or failed to start."""
    exit_code = 3
