"""Handing the result back: who took it (an authorised person needs the paper), originals, the rating."""

import unicodedata

import pytest

from desk_app.domain.errors import DomainError
from desk_app.domain.handover import DEFAULT_RATING_SCALE, Handover, Rating, check_scale, handover, rate

APPLICANT = "Nguyễn Thị Lân"


def test_the_applicant_by_default():
    given = handover(applicant=APPLICANT, recipient=None, authorisation=None, originals=(), rating=None)
    assert given == Handover(APPLICANT)
    assert given.text == "người nhận: Nguyễn Thị Lân (người nộp)"


def test_the_same_name_typed_otherwise_is_the_applicant():
    nfd = unicodedata.normalize("NFD", "  nguyễn thị   LÂN ")
    given = handover(applicant=APPLICANT, recipient=nfd, authorisation="", originals=(), rating=None)
    assert not given.authorised and given.recipient == unicodedata.normalize("NFC", "nguyễn thị LÂN")


def test_another_person_needs_an_authorisation_paper():
    # "Lan" is not "Lân": diacritics tell names apart.
    with pytest.raises(DomainError) as caught:
        handover(applicant=APPLICANT, recipient="Nguyễn Thị Lan", authorisation=" ", originals=(), rating=None)
    assert (caught.value.code, caught.value.field) == ("authorisation_required", "authorisation")
    assert "Nguyễn Thị Lan" in caught.value.message and "giấy ủy quyền" in caught.value.message
    given = handover(applicant=APPLICANT, recipient="Trần Văn Bình", authorisation="Giấy ủy quyền số 12/UQ",
                     originals=["Giấy chứng sinh", " "], rating=Rating(2, "Hài lòng", 4))
    assert given.authorised and given.authorisation == "Giấy ủy quyền số 12/UQ"
    assert given.originals == ("Giấy chứng sinh",)
    assert given.text == ("người nhận: Trần Văn Bình (người được ủy quyền; Giấy ủy quyền số 12/UQ), "
                          "trả bản chính: Giấy chứng sinh, đánh giá: Hài lòng")
    assert Handover.from_dict(given.to_dict()) == given


@pytest.mark.parametrize(("answer", "expected"), [
    ("1", Rating(1, "Rất hài lòng", 4)), ("hai long", Rating(2, "Hài lòng", 4)),
    ("KHÔNG HÀI LÒNG", Rating(4, "Không hài lòng", 4)), ("3", Rating(3, "Bình thường", 4)),
])
def test_a_rating_by_number_or_words(answer, expected):
    assert rate(answer, DEFAULT_RATING_SCALE) == expected


@pytest.mark.parametrize("answer", ["0", "5", "tuyệt vời"])
def test_a_rating_off_the_scale_lists_the_scale(answer):
    with pytest.raises(DomainError) as caught:
        rate(answer, DEFAULT_RATING_SCALE)
    assert caught.value.code == "invalid_rating"
    assert "1. Rất hài lòng, 2. Hài lòng, 3. Bình thường, 4. Không hài lòng" in caught.value.message


def test_a_scale_needs_two_to_ten_distinct_levels():
    assert check_scale(["Hài lòng", " Không hài lòng "]) == ("Hài lòng", "Không hài lòng")
    for bad in (["Hài lòng"], [str(i) for i in range(11)], ["Hài lòng", "hai long"]):
        with pytest.raises(DomainError) as caught:
            check_scale(bad)
        assert caught.value.code == "invalid_rating_scale"
