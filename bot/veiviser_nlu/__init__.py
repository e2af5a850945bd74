"""Custom Rasa NLU components for Veiviser: text normalisation and service recognition."""
