"""Many rows read or written at once in the cheapest form each database offers, inside the session's transaction:
read by the driver itself (psycopg in binary), written by COPY on PostgreSQL and one prepared INSERT run for every row
elsewhere. A close or a count reads and rewrites a whole box this way."""

from collections.abc import Iterable, Sequence

from psycopg import sql
from sqlalchemy import Column, Select, Table, insert
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session


def first_column(session: Session, query: Select) -> list:
    """The first value of every row; bytea comes from PostgreSQL as it is stored, not as hex digits to decode."""
    session.flush()
    connection = session.connection()
    compiled = query.compile(dialect=connection.dialect)
    parameters = compiled.params
    if compiled.positional:
        parameters = tuple(parameters[name] for name in compiled.positiontup)
    driver_connection = connection.connection.driver_connection
    binary = {"binary": True} if connection.dialect.name == "postgresql" else {}
    cursor = driver_connection.cursor(**binary)
    try:
        cursor.execute(str(compiled), parameters)
        return [row[0] for row in cursor.fetchall()]
    finally:
        cursor.close()


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
