"""巡察现场工作台 (xuncha-desktop): offline field workbench and office merge for Party inspection groups."""

APP_NAME = "xuncha-desktop"
APP_DISPLAY_NAME = "巡察现场工作台"
APP_ID = "cn.xuncha.desktop"
__version__ = "0.1.0"
