"""V rules on counted figures: apprentices, promotions, awards, honors, media, standards (A1 A2)."""
from __future__ import annotations
