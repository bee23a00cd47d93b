"""Personal data masking for every output: the implementation lives in :mod:`audit.privacy`
(ID numbers, phones, addresses); this module keeps the old import path working."""
from __future__ import annotations

from audit.privacy import KEEP, mask, mask_text, sensitive_spans

__all__ = ["KEEP", "mask", "mask_text", "sensitive_spans"]
