"""Keeps TensorFlow out of the web app and the action server.

spaCy's machine-learning library (thinc) imports TensorFlow whenever it is installed, and Rasa
installs it: each of these processes paid about 300 MB of memory for layers it never uses (they use
spaCy's blank pipelines only). Marking the module absent makes thinc's ``import tensorflow`` raise
ImportError, which thinc handles as "not installed". Imported first by the two processes'
entry points only (``python -m web``, ``python -m actions.server``): Rasa's process and the tests
need TensorFlow.
"""
import sys

sys.modules.setdefault("tensorflow", None)
