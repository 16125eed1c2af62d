"""Adding an answer to (or taking it out of) the prompt's tallies, in the answer's own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Row, func, select, text
from sqlalchemy.orm import Session

from samla_feedback.responses.answers import Bucket
from samla_feedback.responses.models import RESPONDENTS, Tally

# Plain SQL, which SQLite and PostgreSQL both speak: SQLAlchemy's dialect INSERTs (with .on_conflict_do_update)
# are never cached, so every answer paid for building and compiling the statement again (about a fifth of the
# answer's CPU, measured in-process).
_ADD = text(f"""
    INSERT INTO {Tally.__tablename__} (prompt_id, table_id, administration_id, level, bucket, label, count, total)
    VALUES (:prompt_id, :table_id, :administration_id, :level, :bucket, :label, :count, :total)
    ON CONFLICT (prompt_id, table_id, administration_id, level, bucket)
    DO UPDATE SET count = {Tally.__tablename__}.count + excluded.count,
                  total = {Tally.__tablename__}.total + excluded.total""")


@dataclass(frozen=True)
class Group:
    """The groups an answer is counted in; "" where the prompt does not remember that group."""

    table_id: str = ""
    administration_id: str = ""
    level: str = ""


def apply(session: Session, *, prompt_id: str, group: Group, buckets: Sequence[Bucket], sign: int) -> None:
    """Adds (sign=1) or removes (sign=-1) one answer's buckets, one upsert per bucket.

    Buckets are written in name order so two transactions touching the same rows lock them in the same order.
    """
    rows = [{"prompt_id": prompt_id, "table_id": group.table_id, "administration_id": group.administration_id,
             "level": group.level, "bucket": b.name, "label": b.label, "count": sign * b.count,
             "total": sign * b.total} for b in sorted(buckets, key=lambda b: b.name)]
    if rows:
        session.execute(_ADD, rows)


def respondents(session: Session, *, prompt_id: str) -> int:
    """How many answers a prompt has."""
    value = session.execute(select(func.coalesce(func.sum(Tally.count), 0)).where(
        Tally.prompt_id == prompt_id, Tally.bucket == RESPONDENTS)).scalar_one()
    return int(value)


def people(session: Session, *, prompt_id: str) -> int:
    """How many people the prompt's answers speak for (a table's answer counts its whole table)."""
    value = session.execute(select(func.coalesce(func.sum(Tally.total), 0)).where(
        Tally.prompt_id == prompt_id, Tally.bucket == RESPONDENTS)).scalar_one()
    return int(value)


def rows(session: Session, *, prompt_id: str) -> list[Row[tuple[str, str, str, str, str | None, int, int]]]:
    """Every tally row of a prompt that counts something, as plain rows (there can be thousands)."""
    return list(session.execute(select(Tally.table_id, Tally.administration_id, Tally.level, Tally.bucket,
                                       Tally.label, Tally.count, Tally.total)
                                .where(Tally.prompt_id == prompt_id, Tally.count != 0)))
