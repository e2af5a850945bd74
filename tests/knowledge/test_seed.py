"""Seed content: complete in four languages, traced to sources, loaded idempotently, validated."""
from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from knowledge.db import make_engine, migrate, new_session
from knowledge.models import SERVICE_TEXT_FIELDS, ContactContent, ServiceContent, ServiceSource
from knowledge.seed import CONTENT_DIR, SeedError, load_seed, read_seed
from knowledge.service_keys import SERVICE_KEYS
from tests.conftest import LANGUAGES


def _script_share(text: str, word: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(word in unicodedata.name(c, "") for c in letters) / max(1, len(letters))


def test_every_service_has_every_text_in_every_language():
    seed = read_seed()
    assert {entry["key"] for entry in seed.services} == set(SERVICE_KEYS)
    for entry in seed.services:
        for language in LANGUAGES:
            texts = entry["content"][language]
            for name in SERVICE_TEXT_FIELDS:
                assert texts[name].strip(), f"{entry['key']} [{language}] {name} is empty"


@pytest.mark.parametrize("language,script", [("ar", "ARABIC"), ("ti", "ETHIOPIC")])
def test_translations_are_in_their_script_and_marked_machine_drafted(language, script):
    for entry in read_seed().services:
        texts = entry["content"][language]
        assert texts["status"] == "machine_drafted", f"{entry['key']} [{language}] should await review"
        assert _script_share(texts["summary"], script) > 0.5, f"{entry['key']} [{language}] summary not in {script}"


def test_norwegian_is_the_source_and_every_service_names_its_documents():
    seed = read_seed()
    documents = {source["id"] for source in seed.sources}
    for entry in seed.services:
        assert entry["content"]["nb"]["status"] == "source"
        assert entry["sources"] and all(s["document"] in documents for s in entry["sources"])


def test_key_facts_from_the_sources_are_stated():
    services = {entry["key"]: entry["content"] for entry in read_seed().services}
    assert "32" in services["bpa"]["nb"]["who_for"] and "25" in services["bpa"]["nb"]["who_for"]
    assert "0–6" in services["starthjelp"]["nb"]["summary"] + services["starthjelp"]["nb"]["who_for"]
    assert "vederlagsfritt" in services["relief_care"]["nb"]["cost"] or "gratis" in services["relief_care"]["nb"]["cost"]
    assert "hjelpestønad" in services["care_allowance"]["nb"]["who_for"] + services["care_allowance"]["nb"]["how_to_apply"]


def test_loading_twice_changes_nothing(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'kb.db'}")
    migrate(str(engine.url))
    with new_session(engine) as session:
        first = load_seed(session)
        second = load_seed(session)
        assert first == second
        assert session.scalar(select(func.count()).select_from(ServiceContent)) == (len(SERVICE_KEYS) + len(read_seed().signposts)) * 4
        assert session.scalar(select(func.count()).select_from(ContactContent)) == len(read_seed().contacts) * 4
        sources = session.scalar(select(func.count()).select_from(ServiceSource))
        load_seed(session)
        assert session.scalar(select(func.count()).select_from(ServiceSource)) == sources


@pytest.fixture
def content_copy(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_missing_language_names_file_and_entry(content_copy):
    path = content_copy / "services" / "bpa.yml"
    _edit(path, lambda data: data["content"].pop("ti"))
    with pytest.raises(SeedError, match=r"bpa\.yml: service 'bpa': language 'ti' is missing"):
        read_seed(content_copy)


def test_unknown_service_key_is_an_error(content_copy):
    (content_copy / "services" / "parking.yml").write_text(
        (content_copy / "services" / "bpa.yml").read_text(encoding="utf-8").replace("key: bpa", "key: parking"),
        encoding="utf-8")
    with pytest.raises(SeedError, match=r"parking\.yml: service 'parking': unknown service key"):
        read_seed(content_copy)


def test_empty_text_and_unknown_source_are_errors(content_copy):
    path = content_copy / "services" / "starthjelp.yml"
    _edit(path, lambda data: data["content"]["ar"].update(summary=" "))
    with pytest.raises(SeedError, match=r"starthjelp.*\[ar\]: 'summary' is missing or empty"):
        read_seed(content_copy)
    shutil.copy(CONTENT_DIR / "services" / "starthjelp.yml", path)
    _edit(path, lambda data: data["sources"].append({"document": "nowhere", "section": "x"}))
    with pytest.raises(SeedError, match="unknown source document 'nowhere'"):
        read_seed(content_copy)


def test_every_text_needs_a_source_and_routing_must_be_known(content_copy):
    path = content_copy / "services" / "starthjelp.yml"
    _edit(path, lambda data: data.update(sources=[{"document": "brosjyre-hvk-2025", "section": "x", "fields": ["summary"]}]))
    with pytest.raises(SeedError, match=r"no source for the field\(s\) description, who_for, how_to_apply, cost, decided_by"):
        read_seed(content_copy)
    _edit(path, lambda data: data.update(sources=[{"document": "brosjyre-hvk-2025", "section": "x", "fields": ["price"]}]))
    with pytest.raises(SeedError, match="'fields' must list some of"):
        read_seed(content_copy)
    shutil.copy(CONTENT_DIR / "services" / "starthjelp.yml", path)
    _edit(path, lambda data: data.update(apply="by_post"))
    with pytest.raises(SeedError, match="'apply' must be one of ke_application, contact, none"):
        read_seed(content_copy)
    shutil.copy(CONTENT_DIR / "services" / "starthjelp.yml", path)
    _edit(path, lambda data: data.update(decided_by="nowhere"))
    with pytest.raises(SeedError, match="unknown decided_by contact 'nowhere'"):
        read_seed(content_copy)


def test_setup_adds_what_a_new_release_brought_and_keeps_edits(tmp_path):
    from sqlalchemy import delete

    from knowledge.db import make_engine, migrate, new_session
    from knowledge.models import Service as ServiceRow
    from knowledge.seed import add_missing

    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrate(url)
    with new_session(make_engine(url)) as session:
        load_seed(session)
        session.get(ServiceContent, session.execute(select(ServiceContent.id).filter_by(service_key="bpa", language="nb")).scalar()).summary = "Redigert"
        session.execute(delete(ServiceRow).where(ServiceRow.key == "gp"))
        session.commit()
        assert add_missing(session, read_seed()) == ["signpost gp"]
        assert session.get(ServiceRow, "gp").kind == "signpost"
        assert session.execute(select(ServiceContent.summary).filter_by(service_key="bpa", language="nb")).scalar() == "Redigert"
        assert add_missing(session, read_seed()) == []


def test_invalid_content_writes_nothing(content_copy, tmp_path):
    _edit(content_copy / "services" / "bpa.yml", lambda data: data["content"]["en"].update(status="final"))
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    migrate(str(engine.url))
    with new_session(engine) as session:
        with pytest.raises(SeedError, match="status 'final'"):
            load_seed(session, content_copy)
        assert session.scalar(select(func.count()).select_from(ServiceContent)) == 0


def test_setup_brings_a_new_text_and_all_its_sources_into_an_existing_database(tmp_path):
    """A database from before the appeal text: the seed's text arrives where it is empty, with the
    same sources a fresh seed has, and a text an editor filled in stays."""
    from knowledge.db import make_engine, migrate, new_session
    from knowledge.models import ServiceSource
    from knowledge.queries import get_service
    from knowledge.seed import add_missing

    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrate(url)
    with new_session(make_engine(url)) as session:
        load_seed(session)
        fresh = [s.section for s in get_service(session, "bpa", "nb").sources_of(("appeal",))]
        for row in session.execute(select(ServiceContent).filter_by(service_key="bpa")).scalars():
            row.appeal = "Redigert" if row.language == "en" else ""
        for source in session.execute(select(ServiceSource).filter_by(service_key="bpa")).scalars():
            if source.fields and "appeal" in source.fields:
                if source.fields == ["appeal"]:
                    session.delete(source)
                else:
                    source.fields = [field for field in source.fields if field != "appeal"]
        session.commit()
        added = add_missing(session, read_seed())
        assert "bpa.nb.appeal" in added and "bpa.en.appeal" not in added
        session.commit()
        bpa = get_service(session, "bpa", "nb")
        assert "Statsforvalteren" in bpa.appeal and get_service(session, "bpa", "en").appeal == "Redigert"
        assert sorted(s.section for s in bpa.sources_of(("appeal",))) == sorted(fresh)
