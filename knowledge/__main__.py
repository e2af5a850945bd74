"""Command line for the knowledge base: ``python -m knowledge migrate|seed|check``."""
from __future__ import annotations

import argparse
import sys

from knowledge.config import load_settings
from knowledge.db import make_engine, migrate, new_session
from knowledge.seed import SeedError, add_missing, is_seeded, load_seed, read_seed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__)
    parser.add_argument("command", choices=["migrate", "seed", "check", "setup", "purge", "key", "create-user"],
                        help="migrate: update the schema; seed: (re)load the seed content, overwriting edits; "
                             "check: validate the seed content only; setup: migrate, seed an empty database, add new seed entries to one with content; "
                             "purge: delete applications, consents, conversations and other records past their retention period; "
                             "key: print a new encryption key for VEIVISER_ENCRYPTION_KEY; "
                             "create-user: a staff account (the first one: --role admin)")
    parser.add_argument("username", nargs="?", help="create-user: the new user's name")
    parser.add_argument("--role", default="admin", help="create-user: editor, case_worker or admin (default admin)")
    args = parser.parse_args(argv)
    if args.command == "key":
        from knowledge.crypto import new_key

        print(new_key())
        return 0
    settings = load_settings()
    try:
        if args.command == "create-user":
            return _create_user(settings, args.username, args.role)
        if args.command == "purge":
            from knowledge import retention

            with new_session(make_engine(settings.database_url)) as session:
                print(retention.summary(retention.purge(session, settings)))
            return 0
        if args.command == "check":
            seed = read_seed()
            print(f"seed content is valid: {len(seed.services)} services, {len(seed.signposts)} signposts, {len(seed.contacts)} contact points")
            return 0
        if args.command in ("migrate", "setup"):
            migrate(settings.database_url)
            print("database schema is up to date")
        if args.command in ("seed", "setup"):
            with new_session(make_engine(settings.database_url)) as session:
                if args.command == "setup" and is_seeded(session):
                    added = add_missing(session, read_seed())  # new entries of a release; edits are kept
                    print("knowledge base already has content" + (f"; added from the seed files: {', '.join(added)}" if added else "")
                          + "; `python -m knowledge seed` reloads the seed files over editors' changes")
                    return 0
                counts = load_seed(session)
            print("seed content loaded: " + ", ".join(f"{value} {name}" for name, value in counts.items()))
    except SeedError as exc:
        print(f"error in seed content: {exc}", file=sys.stderr)
        return 1
    return 0


def _create_user(settings, username: str | None, role: str) -> int:
    """The password comes from VEIVISER_NEW_PASSWORD (for scripts) or is asked for twice."""
    import getpass
    import os

    from knowledge.staff.accounts import AccountError, create_user

    if not username:
        print("create-user needs a username", file=sys.stderr)
        return 2
    password = os.environ.get("VEIVISER_NEW_PASSWORD") or getpass.getpass("Password: ")
    if "VEIVISER_NEW_PASSWORD" not in os.environ and getpass.getpass("Again: ") != password:
        print("the passwords differ", file=sys.stderr)
        return 1
    migrate(settings.database_url)
    with new_session(make_engine(settings.database_url)) as session:
        try:
            user = create_user(session, username, password, role)
        except AccountError as error:
            print(f"cannot create the user: {error}", file=sys.stderr)
            return 1
        session.commit()
        print(f"created {user.role} {user.username}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
