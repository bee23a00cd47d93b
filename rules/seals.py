"""Seal rules: finance seals on benefit statements (V05), seals in the opinion boxes (D07)."""
from __future__ import annotations
