"""Applications to the coordinating unit: identity numbers, consent, encrypted storage, the PDF
and JSON for the case worker, and delivery through an outbox."""
