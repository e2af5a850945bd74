"""The action server's package (``python -m rasa_sdk --actions actions`` loads every module).

Settings are read on import, so a production server without its encryption key (or another
required setting) stops at start-up with a clear message instead of failing mid-conversation.
The eligibility checks follow the thresholds editors publish in the database.
"""
from knowledge.config import load_settings
from knowledge.eligibility.parameters import use_database

use_database(load_settings().database_url)
