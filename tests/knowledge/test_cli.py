"""`python -m knowledge setup` seeds an empty database once and leaves edited content alone."""
from __future__ import annotations

from sqlalchemy import select

from knowledge.__main__ import main
from knowledge.db import make_engine, new_session
from knowledge.models import ServiceContent


def test_setup_seeds_once_and_keeps_edits(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("VEIVISER_DATABASE_URL", url)
    assert main(["setup"]) == 0
    with new_session(make_engine(url)) as session:
        row = session.execute(select(ServiceContent).where(ServiceContent.service_key == "bpa",
                                                           ServiceContent.language == "ar")).scalar_one()
        row.summary = "edited by staff"
        session.commit()
    assert main(["setup"]) == 0
    assert "already has content" in capsys.readouterr().out
    with new_session(make_engine(url)) as session:
        assert session.execute(select(ServiceContent.summary).where(
            ServiceContent.service_key == "bpa", ServiceContent.language == "ar")).scalar_one() == "edited by staff"
    assert main(["seed"]) == 0
    with new_session(make_engine(url)) as session:
        assert session.execute(select(ServiceContent.summary).where(
            ServiceContent.service_key == "bpa", ServiceContent.language == "ar")).scalar_one() != "edited by staff"


def test_check_validates_without_a_database(capsys):
    assert main(["check"]) == 0
    assert "17 services" in capsys.readouterr().out


def test_setup_creates_the_database_folder(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'not' / 'yet' / 'there.db'}"
    monkeypatch.setenv("VEIVISER_DATABASE_URL", url)
    assert main(["setup"]) == 0
    assert (tmp_path / "not" / "yet" / "there.db").exists()
