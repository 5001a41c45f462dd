"""Presentation shared by every notebook: number and money formatting,
bilingual labels, the plotting theme and figure writing.
"""
