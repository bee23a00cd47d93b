"""dossier-audit: audits the evidence submitted for a public award."""
__version__ = "0.1.0"
