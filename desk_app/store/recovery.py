"""What to tell a person whose database is damaged: where its backups are and how to restore one."""

from __future__ import annotations

import os
from pathlib import Path

from desk_app.paths import backups_folder, daily_backups


def recovery_hint(database: Path) -> str:
    """Names the backups folder, the newest backup in it, and the command that restores it."""
    database = Path(os.path.abspath(database))  # a command to copy must work from any folder
    folder = backups_folder(database)
    found = daily_backups(database)
    newest = found[-1] if found else None
    example = newest or folder / "desk-YYYYMMDD.sqlite3"
    kept = (f"bản mới nhất: {newest.name}" if newest
            else "hiện chưa có bản nào ở đó; dùng bản đã sao lưu ra USB nếu có")
    return (
        f"Các bản sao lưu tự động nằm trong thư mục {folder} ({kept}). "
        f'Khôi phục bằng lệnh: desk-app --db "{database}" restore "{example}" '
        "(đóng cửa sổ Một cửa trước; tệp hỏng được giữ lại bên cạnh để kiểm tra)."
    )
