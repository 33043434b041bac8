"""Fonts, icons and templates, installed as the package xuncha_desktop.resources (see shipped.py)."""
