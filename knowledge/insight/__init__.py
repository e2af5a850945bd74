"""How the assistant is doing, for the staff: what each turn did (``usage``), and the figures of a
period computed from it, the feedback and the requests sent (``figures``). Counts only: no message
text, no sender id."""
