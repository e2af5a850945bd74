"""A person when the assistant is not enough: live chat with a case worker in opening hours, a
callback with an interpreter otherwise (issue 16)."""
