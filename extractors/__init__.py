"""Bytes of one file → pages of text lines with boxes (see extractors.base).

A bad file is normal input here: its problems are returned as ReadProblems, so the PDF
libraries' own complaints ("EOF marker not found", "incorrect startxref") are not for the
user's terminal. They stay available at ERROR level and under --debug.
"""
import logging

for _name in ("pypdf", "pdfminer", "pdfplumber", "PIL"):
    logging.getLogger(_name).setLevel(logging.ERROR)
