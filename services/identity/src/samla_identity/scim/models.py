"""What SCIM needs beyond the directory's own columns: the parts of a SCIM user that Person has no field for."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from samla_identity.db import Base


class ScimUserDetails(Base):
    """Name parts and the department as the client sent them, the SCIM deletion mark, and a revision counter.

    The name parts are shown only while the person's name is still `display_name` (the name they were sent
    with), and the department only while the person still sits in `department_unit_id`: another directory
    source may have renamed or moved the person since.

    `revision` counts changes that touch only these columns (Person.version does not move then), so the
    user's ETag, `Person.version + revision`, changes whenever its SCIM representation does.
    """

    __tablename__ = "scim_user_details"

    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    formatted_name: Mapped[str | None] = mapped_column(String(300))
    given_name: Mapped[str | None] = mapped_column(String(300))
    family_name: Mapped[str | None] = mapped_column(String(300))
    display_name: Mapped[str | None] = mapped_column(String(300))
    department: Mapped[str | None] = mapped_column(String(300))
    department_unit_id: Mapped[str | None] = mapped_column(String(200))
    preferred_language: Mapped[str | None] = mapped_column(String(300))
    revision: Mapped[int] = mapped_column(Integer, default=0)
    # Set by DELETE /Users/{id}: the person is deactivated and answers 404 over SCIM (RFC 7644 §3.6).
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
