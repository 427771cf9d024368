"""Any bytes offered as a scan: recognised with a page count, or refused with a Vietnamese
message (DomainError), never a crash; a damaged sealed file is refused, never shown."""

from hypothesis import given
from hypothesis import strategies as st

from desk_app.domain.errors import DomainError
from desk_app.domain.scans import media_type
from desk_app.services.scan_files import open_sealed, seal
from desk_app.services.scans import page_count
from tests import scan_samples
from tests.vietnamese import is_vietnamese

PREFIXES = st.sampled_from([b"", b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*"])


@given(PREFIXES, st.binary(max_size=2000))
def test_any_bytes_are_a_scan_or_a_clear_refusal(prefix, rest):
    data = prefix + rest
    try:
        pages = page_count(data, media_type(data, "x"), "x")
    except DomainError as exc:
        assert is_vietnamese(exc.message), exc.message
    else:
        assert pages >= 1


KEY = bytes(range(32))
PNG = scan_samples.image()
SEALED = seal(PNG, KEY, "ab" * 32)


@given(st.integers(min_value=0, max_value=len(SEALED) - 1), st.integers(min_value=1, max_value=255))
def test_any_flipped_byte_of_a_sealed_scan_is_refused(position, mask):
    damaged = bytearray(SEALED)
    damaged[position] ^= mask
    try:
        open_sealed(bytes(damaged), KEY, "ab" * 32)
    except DomainError as exc:
        assert exc.code in ("scan_tampered", "scan_other_key")
        assert is_vietnamese(exc.message), exc.message
    else:
        raise AssertionError("a damaged scan opened")
