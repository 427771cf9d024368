"""Why the hub could not be reached, in words a receptionist can act on.

httpx's own text ("[Errno 111] Connection refused") goes to the log only; people read the
Vietnamese reason, which says what to check (is the hub running, the address, the cable, the
clock for a certificate).
"""

from __future__ import annotations

import errno
import socket
import ssl
from collections.abc import Iterator

import httpx

REFUSED = "máy chủ từ chối kết nối: chương trình máy chủ chưa chạy hoặc địa chỉ, cổng không đúng"
NAME = "không tìm thấy tên máy chủ: kiểm tra địa chỉ máy chủ và kết nối mạng"
NO_ROUTE = "không có đường mạng tới máy chủ: kiểm tra dây mạng, Wi-Fi hoặc 3G"
CONNECT_TIMEOUT = "máy chủ không nhận kết nối trong thời gian chờ: mạng quá chậm hoặc máy chủ đang tắt"
READ_TIMEOUT = "máy chủ không trả lời kịp: mạng chậm hoặc máy chủ đang bận"
CERTIFICATE = ("chứng chỉ bảo mật (TLS) của máy chủ không hợp lệ hoặc không được tin cậy; "
               "kiểm tra ngày giờ của máy tính và địa chỉ máy chủ")
TLS = "kết nối bảo mật (TLS) với máy chủ không thành công: địa chỉ https có thể sai (máy chủ không dùng https?)"
CUT = "kết nối bị ngắt giữa chừng: mạng chập chờn, sẽ thử lại"
OTHER = "lỗi mạng khi nói chuyện với máy chủ"

_NO_ROUTE = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EHOSTDOWN}
_CUT = {errno.ECONNRESET, errno.ECONNABORTED, errno.EPIPE}


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def transport_reason(exc: httpx.TransportError) -> str:
    """The Vietnamese reason for a request that got no HTTP answer."""
    if isinstance(exc, httpx.ConnectTimeout):
        return CONNECT_TIMEOUT
    if isinstance(exc, httpx.TimeoutException):
        return READ_TIMEOUT
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return CERTIFICATE
        if isinstance(cause, ssl.SSLError):
            return TLS
        if isinstance(cause, socket.gaierror):
            return NAME
        if isinstance(cause, ConnectionRefusedError):
            return REFUSED
        if isinstance(cause, OSError) and cause.errno in _NO_ROUTE:
            return NO_ROUTE
        if isinstance(cause, OSError) and cause.errno in _CUT:
            return CUT
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return CUT
    return OTHER


def status_reason(status: int) -> str:
    """The Vietnamese reason for an HTTP status the hub's own error body does not explain."""
    if status in (502, 503, 504):
        return f"máy chủ tạm thời không phục vụ được (mã HTTP {status}): sẽ thử lại sau"
    if status >= 500:
        return f"máy chủ gặp lỗi bên trong (mã HTTP {status}): sẽ thử lại sau"
    if status == 404:
        return "địa chỉ máy chủ đúng máy nhưng không phải máy chủ đồng bộ (mã HTTP 404): kiểm tra địa chỉ"
    if status in (401, 403, 407):
        return f"máy chủ hoặc mạng trung gian không cho phép truy cập (mã HTTP {status})"
    return f"máy chủ trả lời lỗi không rõ lý do (mã HTTP {status})"
