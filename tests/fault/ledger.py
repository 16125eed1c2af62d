"""What the burst's clients were told succeeded (2xx), and the refusals they saw on the way."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Refusal:
    operation: str
    status: int  # 0: no HTTP answer at all (connection refused or reset, timeout)
    content_type: str
    detail: str


@dataclass
class Ledger:
    people: dict[str, str] = field(default_factory=dict)  # person id → the last name identity acknowledged
    registrations: set[str] = field(default_factory=set)
    checkins: set[str] = field(default_factory=set)
    answers: dict[str, str] = field(default_factory=dict)  # person id → option
    votes: set[tuple[str, str]] = field(default_factory=set)  # (question id, person id)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def acknowledged(self, operation: str, person_id: str, value: str = "") -> None:
        with self._lock:
            if operation == "person":
                self.people[person_id] = value
            elif operation == "registration":
                self.registrations.add(person_id)
            elif operation == "checkin":
                self.checkins.add(person_id)
            elif operation == "answer":
                self.answers[person_id] = value
            elif operation == "vote":
                self.votes.add((value, person_id))
            else:
                raise ValueError(f"unknown operation {operation}")

    def count(self) -> int:
        with self._lock:
            return (len(self.people) + len(self.registrations) + len(self.checkins) + len(self.answers)
                    + len(self.votes))
