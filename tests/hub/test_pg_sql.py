"""The rewrites that let the hub's common SQL run set-wise on PostgreSQL (run for real by the
contract suite on a PostgreSQL cluster; here, the text itself)."""

from __future__ import annotations

from desk_app.hub.storage.pg_sql import copy_statement, pg_sql, with_arrays


def test_in_lists_become_one_array_parameter_in_place():
    sql = ("SELECT a FROM t WHERE x IN (?,?,?) UNION ALL SELECT a FROM t WHERE d = ? AND s BETWEEN ? AND ? "
           "OR y IN (?, ?)")
    text, params = with_arrays(sql, ["u1", "u2", "u3", "desk", 1, 9, "v1", "v2"])
    assert text == ("SELECT a FROM t WHERE x = ANY(?) UNION ALL SELECT a FROM t WHERE d = ? AND s BETWEEN ? AND ? "
                    "OR y = ANY(?)")
    assert params == [["u1", "u2", "u3"], "desk", 1, 9, ["v1", "v2"]]
    # Whatever the list's length, the statement text is the same (parsed once, preparable).
    assert with_arrays("SELECT 1 FROM t WHERE x IN (?)", ["only"]) == ("SELECT 1 FROM t WHERE x = ANY(?)", [["only"]])
    assert with_arrays("SELECT 1 FROM t WHERE a = ? AND b = ?", (1, 2)) == ("SELECT 1 FROM t WHERE a = ? AND b = ?",
                                                                            [1, 2])
    assert pg_sql("UPDATE t SET a = ? WHERE b = ?") == "UPDATE t SET a = %s WHERE b = %s"
    # NOT IN is not "= ANY": it stays a list of placeholders.
    assert with_arrays("SELECT 1 FROM t WHERE x NOT IN (?,?)", ["a", "b"]) == (
        "SELECT 1 FROM t WHERE x NOT IN (?,?)", ["a", "b"])


def test_only_plain_inserts_become_copy():
    assert copy_statement("INSERT INTO events (event_uuid, seq,\n payload) VALUES (?,?, ?)") == (
        "COPY events (event_uuid, seq, payload) FROM STDIN")
    assert copy_statement("INSERT INTO held_events (a, b) VALUES (?,?) ON CONFLICT (a) DO NOTHING") is None
    assert copy_statement("INSERT INTO t (a, b) VALUES (?, ?) RETURNING a") is None
    assert copy_statement("INSERT INTO t (a, b) VALUES (?, 'x')") is None
    assert copy_statement("INSERT INTO t (a, b, c) VALUES (?, ?)") is None
    assert copy_statement("UPDATE t SET a = ? WHERE b = ?") is None
