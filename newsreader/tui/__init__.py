"""The terminal reader (Textual). Only this package imports Textual.

Entry point: :func:`newsreader.tui.app.run`, called by the CLI.
"""
