"""The database module: schema from the contract, migrations, bound parameters."""

import duckdb
import pytest

import database
from contract import SHEETS


def test_fresh_file_has_every_table_with_contract_columns(tmp_path):
    con = database.connect(tmp_path / "a.duckdb")
    for sheet in SHEETS:
        cols = database.query(con, "select column_name, data_type from information_schema.columns "
                                   "where table_name = ? order by ordinal_position", [sheet.table])
        assert cols.column_name.tolist() == [*sheet.ids, "upload_id"]
    types = dict(database.query(con, "select column_name, data_type from information_schema.columns "
                                     "where table_name = 'grid_stats'").values.tolist())
    assert types == {"month": "DATE", "unit": "VARCHAR", "community": "VARCHAR", "grid": "VARCHAR",
                     "collected": "INTEGER", "reported": "INTEGER", "handled": "INTEGER", "upload_id": "BIGINT"}
    assert database.schema_version(con) == database.SCHEMA_VERSION


def test_keys_are_enforced(tmp_path):
    con = database.connect(tmp_path / "a.duckdb")
    con.execute("insert into units values ('星沙街道', '街道', 1, 1)")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("insert into units values ('星沙街道', '街道', 2, 1)")


def test_reopening_is_idempotent_and_keeps_data(tmp_path):
    path = tmp_path / "a.duckdb"
    con = database.connect(path)
    con.execute("insert into units values ('星沙街道', '街道', 1, 1)")
    con.close()
    con = database.connect(path)
    assert database.scalar(con, "select count(*) from schema_version") == database.SCHEMA_VERSION
    assert database.scalar(con, "select unit from units") == "星沙街道"


def test_older_file_is_migrated(tmp_path):
    path = tmp_path / "old.duckdb"
    raw = duckdb.connect(str(path))  # a file written before any schema existed
    raw.execute("create table notes (x integer)")
    raw.close()
    con = database.connect(path)
    assert database.schema_version(con) == database.SCHEMA_VERSION
    assert database.scalar(con, "select count(*) from projects") == 0


def test_newer_file_is_refused_in_chinese(tmp_path):
    path = tmp_path / "new.duckdb"
    con = database.connect(path)
    con.execute("insert into schema_version values (?, current_localtimestamp())", [database.SCHEMA_VERSION + 1])
    con.close()
    with pytest.raises(database.DatabaseError, match="高于本程序支持"):
        database.connect(path)


def test_parameters_are_bound_not_pasted(tmp_path):
    con = database.connect(tmp_path / "a.duckdb")
    con.execute("insert into units values ('星沙街道', '街道', 1, 1)")
    hostile = "x' or '1'='1"
    assert database.query(con, "select * from units where unit = ?", [hostile]).empty


def test_read_table_checks_the_allow_list(tmp_path):
    con = database.connect(tmp_path / "a.duckdb")
    with pytest.raises(ValueError):
        database.read_table(con, "units; drop table units")


def test_transaction_rolls_back(tmp_path):
    con = database.connect(tmp_path / "a.duckdb")
    with pytest.raises(RuntimeError):
        with database.transaction(con) as cur:
            cur.execute("insert into units values ('星沙街道', '街道', 1, 1)")
            raise RuntimeError("boom")
    assert database.scalar(con, "select count(*) from units") == 0


def test_db_path_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "x.duckdb"))
    assert database.db_path() == tmp_path / "x.duckdb"
    monkeypatch.delenv("DASHBOARD_DB")
    assert database.db_path() == database.ROOT / "data" / "dashboard.duckdb"


def test_version_1_file_is_migrated_to_the_latest_keeping_its_data(tmp_path):
    path = tmp_path / "v1.duckdb"
    raw = duckdb.connect(str(path))  # what the first release wrote: version 1 only
    raw.execute("CREATE TABLE schema_version (version INTEGER, migrated_at TIMESTAMP)")
    database.MIGRATIONS[0](raw)
    raw.execute("INSERT INTO schema_version VALUES (1, current_localtimestamp())")
    raw.execute("insert into units values ('星沙街道', '街道', 1, 1)")
    raw.close()
    con = database.connect(path)
    assert database.schema_version(con) == database.SCHEMA_VERSION >= 2
    assert database.scalar(con, "select unit from units") == "星沙街道"
    assert database.scalar(con, "select count(*) from users") == 0
    assert database.scalar(con, "select count(*) from units_replaced") == 0
