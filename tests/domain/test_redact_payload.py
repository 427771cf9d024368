"""What a retention purge leaves of an outbox payload: everything but the citizen's details."""

from desk_app.domain.personal_data import PURGED_NAME, redact_payload


def test_the_applicant_is_emptied_and_marked_and_the_callers_value_is_untouched():
    payload = {"uuid": "u", "code": "C", "applicant": {"name": "Đặng Thị Hoà", "id_number": "001190012345",
                                                       "phone": "0912345678", "email": None}, "fee_vnd": 2000}
    redacted = redact_payload("dossier.received", payload)
    assert redacted == {"uuid": "u", "code": "C", "fee_vnd": 2000, "redacted": True,
                        "applicant": {"name": PURGED_NAME, "id_number": None, "phone": None, "email": None}}
    assert payload["applicant"]["name"] == "Đặng Thị Hoà"


def test_a_handover_loses_who_collected_and_the_authorisation_paper():
    payload = {"uuid": "u", "to": "returned", "detail": {"handover": {
        "recipient": "Lê Văn Nhận", "authorised": True, "authorisation": "Giấy ủy quyền số 12", "rating": None}}}
    handover = redact_payload("dossier.status_changed", payload)["detail"]["handover"]
    assert handover == {"recipient": PURGED_NAME, "authorised": True, "authorisation": PURGED_NAME, "rating": None}


def test_kinds_and_steps_without_personal_data_are_left_alone():
    assert redact_payload("dossier.status_changed", {"uuid": "u", "from": "received", "to": "forwarded"}) is None
    assert redact_payload("settings.changed", {"profile": {"commune": "Xã Tân Phú"}}) is None
    assert redact_payload("guidance.issued", {"uuid": "g", "applicant_name": "Phạm Thị Cũ"})["applicant_name"] == \
        PURGED_NAME
