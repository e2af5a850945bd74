import knowledge.without_tensorflow  # noqa: F401, I001 - first: before anything imports spaCy
from web.app import main

main()
