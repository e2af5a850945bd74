"""Reading each application answer, in the four languages families write in."""
from __future__ import annotations

from datetime import date

import pytest

from knowledge.applications.fields import FIELD_NAMES, next_field, read_field

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("field,text,value", [
    ("guardian_name", "Amira Haddad", "Amira Haddad"), ("guardian_name", "Åse  Ødegård-Li", "Åse Ødegård-Li"),
    ("guardian_name", "أميرة حداد", "أميرة حداد"), ("guardian_name", "ሳባ ተስፋይ", "ሳባ ተስፋይ"),
    ("guardian_phone", "400 00 000", "+47 40000000"), ("guardian_phone", "+47 94837285", "+47 94837285"),
    ("guardian_phone", "٤٠٠٠٠٠٠٠", "+47 40000000"), ("guardian_phone", "0046 70 123 45 67", "+46701234567"),
    ("guardian_email", "amira@example.no", "amira@example.no"), ("guardian_email", "har ikke", ""),
    ("guardian_address", "Øvre Bakklandet 3, 7013 Trondheim", "Øvre Bakklandet 3, 7013 Trondheim"),
    ("child_birth_date", "15.03.2019", "2019-03-15"), ("child_birth_date", "15/3/19", "2019-03-15"),
    ("child_birth_date", "١٥.٠٣.٢٠١٩", "2019-03-15"),
    ("need_description", "Han trenger tilsyn hele natten og vi er utslitte.", "Han trenger tilsyn hele natten og vi er utslitte."),
    ("current_services", "ingen", ""), ("current_services", "fysioterapi", "fysioterapi"),
    ("preferred_language", "arabisk", "ar"), ("preferred_language", "العربية", "ar"), ("preferred_language", "ትግርኛ", "ti"),
    ("preferred_language", "somali", "somali"),
    ("interpreter_needed", "ja", True), ("interpreter_needed", "لا", False), ("coordinator_wanted", "vet ikke", None),
])
def test_answers_that_are_used(field, text, value):
    read = read_field(field, text, {}, TODAY)
    assert read.problem is None and read.value == value


@pytest.mark.parametrize("field,text,problem", [
    ("guardian_name", "x", "name"), ("guardian_name", "12345", "name"), ("guardian_name", "<script>", "name"),
    ("guardian_phone", "123", "phone"), ("guardian_phone", "ring meg", "phone"),
    ("guardian_email", "amira@", "email"),
    ("child_birth_date", "31.02.2019", "date"), ("child_birth_date", "i fjor", "date"), ("child_birth_date", "01.01.2030", "date_range"),
    ("need_description", "hjelp", "too_short"), ("need_description", "a" * 3001, "too_long"),
    ("interpreter_needed", "kanskje", "yes_no"),
])
def test_answers_that_are_asked_again(field, text, problem):
    assert read_field(field, text, {}, TODAY).problem == problem


@pytest.mark.parametrize("text,birth_date,problem", [
    ("15031951265", None, "identity_control_digits"), ("1503195126", None, "identity_length"),
    ("71091556035", None, "identity_date"), ("15031951264", "2019-03-16", "identity_mismatch"),
])
def test_identity_numbers_that_are_never_accepted(text, birth_date, problem):
    assert read_field("child_identity_number", text, {"child_birth_date": birth_date}, TODAY).problem == problem


def test_identity_number_matching_the_date_of_birth():
    assert read_field("child_identity_number", "150319 51264", {"child_birth_date": "2019-03-15"}, TODAY).value == "15031951264"


def test_fields_are_asked_in_order_skipping_what_is_known():
    assert next_field({}) == FIELD_NAMES[0]
    assert next_field({"guardian_name": "A", "guardian_phone": "+47 40000000"}) == "guardian_email"
    assert next_field(dict.fromkeys(FIELD_NAMES, "x")) is None
