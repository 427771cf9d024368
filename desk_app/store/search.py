"""The dossier search index: folded words with prefix indexes, procedures through a small table.

Search as you type matches every typed word as a prefix of a word of the dossier's code, the
applicant's name, ID number, phone or procedure ("nguyen van an", "0912", "chung thuc ban sao").
The first index (migration 0001) held all five as words of one FTS5 table, and a prefix query
made FTS5 merge the whole list of every word that starts with it before picking the newest 50:
70 ms for "chung thuc ban sao" at 1,000,000 dossiers. This design (migration 0014) gives the
same hits, newest first, in about a millisecond:

- FTS5 prefix indexes for 1 to 6 characters: a typed word of up to six letters is one stored
  term whose list FTS5 walks newest first and stops after the last hit wanted; longer words
  match few terms, whose lists are short.
- The procedure words are not in the dossiers' rows. Each distinct (procedure code, name) pair
  that dossiers carry has a key in ``dossier_search_procedures`` and its folded words in the small FTS5
  table ``dossier_search_words``; a dossier's row holds the token ``p<key>`` in its
  ``procedure`` column. A typed word is looked up in the small table first, and the query asks
  for "the word in the four text columns, or one of these procedure keys".
- ``detail=column``: no word positions, which a prefix-per-word search never uses.

The folded text is written by the store (not by triggers calling a Python function), so any
SQLite tool can still open a desk file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only annotations: sqlite-utils stays off the start path
    from sqlite_utils import Database

from desk_app.domain.dossier import Dossier
from desk_app.domain.text import fold, fold_name, search_tokens

TOKENIZER = "unicode61 remove_diacritics 2"
PREFIXES = "1 2 3 4 5 6"  # measured at 1,000,000 dossiers; see the module docstring
TEXT_COLUMNS = "{code applicant_name id_number phone}"

SCHEMA = (
    """CREATE TABLE dossier_search_procedures (
        key INTEGER PRIMARY KEY,
        procedure_code TEXT NOT NULL,
        procedure_name TEXT NOT NULL,
        UNIQUE (procedure_code, procedure_name)
    )""",
    f"""CREATE VIRTUAL TABLE dossier_search_words USING fts5(words, tokenize = "{TOKENIZER}")""",
    f"""CREATE VIRTUAL TABLE dossier_search USING fts5(
        code, applicant_name, id_number, phone, procedure,
        tokenize = "{TOKENIZER}", prefix = '{PREFIXES}', detail = column
    )""",
)

_INSERT = "INSERT INTO dossier_search(rowid, code, applicant_name, id_number, phone, procedure) VALUES (?, ?, ?, ?, ?, ?)"


def text_row(
    *, code: str, official_code: str | None, name: str, id_number: str | None, phone: str | None
) -> tuple[str, str, str, str]:
    """The folded code, name, ID and phone the index holds for one dossier."""
    return (fold(" ".join(filter(None, [code, official_code]))), fold_name(name), id_number or "", phone or "")


def procedure_key(db: Database, code: str, name: str) -> int:
    """The key of a (procedure code, procedure name) pair, made with its folded words when new."""
    row = db.execute(
        "SELECT key FROM dossier_search_procedures WHERE procedure_code = ? AND procedure_name = ?", [code, name]
    ).fetchone()
    if row is not None:
        return int(row[0])
    key = int(db.execute(
        "INSERT INTO dossier_search_procedures(procedure_code, procedure_name) VALUES (?, ?)", [code, name]
    ).lastrowid or 0)
    db.execute("INSERT INTO dossier_search_words(rowid, words) VALUES (?, ?)", [key, fold(f"{code} {name}")])
    return key


def index_dossier(db: Database, dossier_id: int, dossier: Dossier) -> None:
    """Write the index row of a newly inserted dossier (inside its transaction)."""
    a = dossier.applicant
    row = text_row(code=dossier.code, official_code=dossier.official_code, name=a.name, id_number=a.id_number,
                   phone=a.phone)
    key = procedure_key(db, dossier.procedure_code, dossier.procedure_name)
    db.execute(_INSERT, [dossier_id, *row, f"p{key}"])


def rebuild(db: Database, *, batch: int = 20_000) -> None:
    """Empty the index and fill it again from the dossiers table, folding every row (the benchmark
    data generator; a repair). Runs inside the caller's transaction."""
    db.execute("DELETE FROM dossier_search")
    db.execute("DELETE FROM dossier_search_words")
    db.execute("DELETE FROM dossier_search_procedures")
    keys: dict[tuple[str, str], int] = {}
    folded_names: dict[str, str] = {}  # names repeat a lot; folding is most of the work
    rows: list[tuple[Any, ...]] = []
    cursor = db.execute(
        "SELECT id, code, official_code, applicant_name, id_number, phone, procedure_code, procedure_name "
        "FROM dossiers ORDER BY id"
    )
    for dossier_id, code, official, name, id_number, phone, procedure_code, procedure_name in cursor:
        pair = (procedure_code, procedure_name)
        key = keys.get(pair)
        if key is None:
            key = keys[pair] = procedure_key(db, procedure_code, procedure_name)
        folded = folded_names.get(name)
        if folded is None:
            folded = folded_names[name] = fold_name(name)
        code_words = fold(" ".join(filter(None, [code, official])))
        rows.append((dossier_id, code_words, folded, id_number or "", phone or "", f"p{key}"))
        if len(rows) >= batch:
            db.conn.executemany(_INSERT, rows)
            rows.clear()
    db.conn.executemany(_INSERT, rows)
    # One segment per index: fewer lists to merge on every query.
    db.execute("INSERT INTO dossier_search(dossier_search) VALUES ('optimize')")


def fill_from_first_design(db: Database, first: str) -> None:
    """Fill the (new, empty) index from the first design's table ``first`` (migration 0014): its
    code, name, ID and phone columns already hold the folded text, so they are copied as they
    are (70 s at 1,000,000 dossiers by rebuild(), 41 s so, on the loaded benchmark machine)."""
    pairs = db.execute("SELECT DISTINCT procedure_code, procedure_name FROM dossiers ORDER BY 1, 2").fetchall()
    for code, name in pairs:
        procedure_key(db, code, name)
    db.execute(
        "INSERT INTO dossier_search(rowid, code, applicant_name, id_number, phone, procedure) "
        "SELECT f.rowid, f.code, f.applicant_name, f.id_number, f.phone, 'p' || k.key "
        f"FROM {first} AS f JOIN dossiers AS d ON d.id = f.rowid "
        "JOIN dossier_search_procedures AS k ON k.procedure_code = d.procedure_code "
        "AND k.procedure_name = d.procedure_name ORDER BY f.rowid"
    )
    db.execute("INSERT INTO dossier_search(dossier_search) VALUES ('optimize')")


def match_expression(db: Database, text: str) -> str | None:
    """The FTS5 query for ``text``: every folded word as a prefix of a word of the code, name, ID
    or phone, or of the dossier's procedure; None when the text has no word.

    A dossier's procedure has one key, so the words some procedures hold are grouped by the
    keys that hold them: for a key holding words W, the other words must be found in the text
    columns. Words no procedure holds must be found in the text columns whatever the procedure.
    """
    words = list(dict.fromkeys(search_tokens(text)))
    if not words:
        return None
    holds: dict[int, set[str]] = {}
    for word in words:
        for (key,) in db.execute(
            "SELECT rowid FROM dossier_search_words WHERE dossier_search_words MATCH ?", [f'"{word}"*']
        ):
            holds.setdefault(key, set()).add(word)
    in_procedures = set().union(*holds.values()) if holds else set()
    always = [_in_text(w) for w in words if w not in in_procedures]
    choosing = [w for w in words if w in in_procedures]
    if choosing:
        groups: dict[frozenset[str], list[int]] = {}
        for key, held in sorted(holds.items()):
            groups.setdefault(frozenset(held), []).append(key)
        ways = [_all(_in_text(w) for w in choosing)]
        for words_held, keys in groups.items():
            keys_term = "procedure : (" + " OR ".join(f"p{k}" for k in keys) + ")"
            ways.append(_all([keys_term, *(_in_text(w) for w in choosing if w not in words_held)]))
        always.append("(" + " OR ".join(ways) + ")")
    return " AND ".join(always)


def newest_matches(db: Database, text: str, *, limit: int) -> list[int]:
    """The ids of the newest ``limit`` dossiers matching ``text`` (see ``match_expression``)."""
    match = match_expression(db, text)
    if match is None:
        return []
    rows = db.execute(
        "SELECT rowid FROM dossier_search WHERE dossier_search MATCH ? ORDER BY rowid DESC LIMIT ?", [match, limit]
    )
    return [row[0] for row in rows]


def _in_text(word: str) -> str:
    return f'{TEXT_COLUMNS} : "{word}"*'


def _all(terms: Iterable[str]) -> str:
    return "(" + " AND ".join(terms) + ")"
