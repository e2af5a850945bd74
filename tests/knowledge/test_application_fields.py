"""Reading each application answer, in the four languages families write in."""
from __future__ import annotations

from datetime import date

import pytest

from knowledge.applications.fields import FIELD_NAMES, attempts_an_answer, could_mean_stop, next_field, read_field

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("field,text,value", [
    ("guardian_name", "Amira Haddad", "Amira Haddad"), ("guardian_name", "Åse  Ødegård-Li", "Åse Ødegård-Li"),
    ("guardian_name", "أميرة حداد", "أميرة حداد"), ("guardian_name", "ሳባ ተስፋይ", "ሳባ ተስፋይ"),
    ("guardian_phone", "400 00 000", "+47 40000000"), ("guardian_phone", "+47 94837285", "+47 94837285"),
    ("guardian_phone", "٤٠٠٠٠٠٠٠", "+47 40000000"), ("guardian_phone", "0046 70 123 45 67", "+46701234567"),
    ("guardian_email", "amira@example.no", "amira@example.no"), ("guardian_email", "har ikke", "none"),
    ("guardian_address", "Øvre Bakklandet 3, 7013 Trondheim", "Øvre Bakklandet 3, 7013 Trondheim"),
    ("child_birth_date", "15.03.2019", "2019-03-15"), ("child_birth_date", "15/3/19", "2019-03-15"),
    ("child_birth_date", "١٥.٠٣.٢٠١٩", "2019-03-15"),
    ("need_description", "Han trenger tilsyn hele natten og vi er utslitte.", "Han trenger tilsyn hele natten og vi er utslitte."),
    ("current_services", "ingen", "none"), ("current_services", "fysioterapi", "fysioterapi"),
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


@pytest.mark.parametrize("text", [
    "14.03.2018", "14/3/18", "14-03-2018", "14 03 2018", "2018-03-14", "2018/03/14", "3/14/2018",   # figures, ISO, US order
    "14. mars 2018", "14 mar 2018", "født 14. mars 2018", "14. mars 2018.",                         # nb
    "14 March 2018", "March 14, 2018", "March 14th 2018", "14th of March 2018",                      # en
    "١٤/٠٣/٢٠١٨", "14 مارس 2018", "١٤ آذار ٢٠١٨", "14 اذار 2018",                                    # ar: Arabic-Indic digits, Levantine name
    "14 መጋቢት 2018", "ዕለት 14 መጋቢት 2018",                                                             # ti
])
def test_a_date_of_birth_is_read_in_every_common_format(text):
    read = read_field("child_birth_date", text, {}, TODAY)
    assert (read.problem, read.value) == (None, "2018-03-14")


def test_month_names_come_from_the_regional_arabic_calendars_too():
    assert read_field("child_birth_date", "2 كانون الثاني 2019", {}, TODAY).value == "2019-01-02"
    assert read_field("child_birth_date", "2 جانفي 2019", {}, TODAY).value == "2019-01-02"
    assert read_field("child_birth_date", "2 ጥሪ 2019", {}, TODAY).value == "2019-01-02"


@pytest.mark.parametrize("field,text,attempt", [
    ("child_birth_date", "31.02.2018", True), ("child_birth_date", "14. mars", True), ("child_birth_date", "hva er BPA?", False),
    ("child_identity_number", "1503195126", True), ("child_identity_number", "hvem bestemmer?", False),
    ("guardian_phone", "400 00", True), ("guardian_email", "amira@", True), ("guardian_email", "hva koster det?", False),
    ("guardian_name", "Hva er telefonnummeret?", False),
])
def test_a_failed_attempt_at_an_answer_is_told_apart_from_another_question(field, text, attempt):
    assert attempts_an_answer(field, text) is attempt


@pytest.mark.parametrize("text,stop", [
    ("Per Stopp", False), ("stoppested 4", False), ("Stoppeveien 4", False), ("stian.stoppelberg@gmail.com", False),
    ("jeg vil avbryte", True), ("Avbryt søknaden", True), ("I want to stop", True), ("please cancel this", True),
    ("أريد إلغاء الطلب", True), ("شارع الوقف 12", False), ("ኣቋርጽ በጃኻ", True), ("ደውሃን ጎደና 5", False),
])
def test_stop_as_a_word_of_its_own_is_told_apart_from_a_name_or_street(text, stop):
    assert could_mean_stop(text) is stop
