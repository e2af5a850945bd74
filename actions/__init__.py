"""The action server's package (``python -m rasa_sdk --actions actions`` loads every module).

Settings are read on import, so a production server without its encryption key (or another
required setting) stops at start-up with a clear message instead of failing mid-conversation.
"""
from knowledge.config import load_settings

load_settings()
