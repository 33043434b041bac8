"""Qt Designer forms, installed as the package xuncha_desktop.ui (see xuncha_desktop/shipped.py)."""
