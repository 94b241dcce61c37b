"""Many rows written at once in the cheapest form each database offers, inside the session's transaction: COPY on
PostgreSQL, one prepared INSERT run for every row elsewhere. A close or a count rewrites a whole box this way."""

from collections.abc import Iterable, Sequence

from psycopg import sql
from sqlalchemy import Column, Table, insert
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: Table, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """Each row holds the values of `columns`, named in the table's order."""
    if list(columns) != [column.name for column in table.columns if column.name in columns]:
        raise ValueError(f"name the columns of {table.name} in the table's order")
    connection = session.connection()
    driver_connection = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        _copy_rows(driver_connection, table, columns, rows)
        return
    statement = insert(table).compile(dialect=connection.dialect, column_keys=columns)
    driver_connection.executemany(str(statement), rows)


def _copy_rows(driver_connection, table: Table, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns)))
    types = [_type_name(table.c[name]) for name in columns]
    with driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)


def _type_name(column: Column) -> str:
    """The column's type as psycopg knows it: VARCHAR(32) is varchar (binary COPY needs the exact type)."""
    return column.type.compile(dialect=postgresql.dialect()).split("(")[0].lower()
