from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class RunMatchingRequest(_message.Message):
    __slots__ = ("run_id",)
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    run_id: str
    def __init__(self, run_id: _Optional[str] = ...) -> None: ...

class MatchingProgress(_message.Message):
    __slots__ = ("fraction", "best_objective", "upper_bound", "done")
    FRACTION_FIELD_NUMBER: _ClassVar[int]
    BEST_OBJECTIVE_FIELD_NUMBER: _ClassVar[int]
    UPPER_BOUND_FIELD_NUMBER: _ClassVar[int]
    DONE_FIELD_NUMBER: _ClassVar[int]
    fraction: float
    best_objective: float
    upper_bound: float
    done: bool
    def __init__(self, fraction: _Optional[float] = ..., best_objective: _Optional[float] = ..., upper_bound: _Optional[float] = ..., done: _Optional[bool] = ...) -> None: ...

class StopMatchingRequest(_message.Message):
    __slots__ = ("run_id",)
    RUN_ID_FIELD_NUMBER: _ClassVar[int]
    run_id: str
    def __init__(self, run_id: _Optional[str] = ...) -> None: ...

class StopMatchingResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
