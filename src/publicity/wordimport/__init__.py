"""Importing Word (.docx, and .doc/.wps through LibreOffice) documents as draft items.

``reading`` opens a document (refusing damaged, encrypted, empty and non-Word files with a
Chinese reason), ``blocks`` turns mammoth's document model into paragraphs and tables that know
their Markdown, ``facts`` finds the front matter the way offices write it (title, byline, 落款,
masthead, document number), and ``importer`` names, writes and never overwrites.
"""
