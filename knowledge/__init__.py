"""Veiviser's domain library: knowledge base, language handling and texts.

Importable and testable without Rasa running; the action server and the web app are thin
adapters on top of it.
"""
