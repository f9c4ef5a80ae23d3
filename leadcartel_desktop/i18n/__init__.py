"""Locale-aware presentation shared by the window and the PDF: money, dates, labels."""
