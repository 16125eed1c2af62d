from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Person(_message.Message):
    __slots__ = ("id", "name", "email", "title", "level", "org_unit_id", "manager_id", "location", "languages", "active", "roles")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    ORG_UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    email: str
    title: str
    level: str
    org_unit_id: str
    manager_id: str
    location: str
    languages: _containers.RepeatedScalarFieldContainer[str]
    active: bool
    roles: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., email: _Optional[str] = ..., title: _Optional[str] = ..., level: _Optional[str] = ..., org_unit_id: _Optional[str] = ..., manager_id: _Optional[str] = ..., location: _Optional[str] = ..., languages: _Optional[_Iterable[str]] = ..., active: _Optional[bool] = ..., roles: _Optional[_Iterable[str]] = ...) -> None: ...

class GetPersonRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetPeopleRequest(_message.Message):
    __slots__ = ("ids",)
    IDS_FIELD_NUMBER: _ClassVar[int]
    ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, ids: _Optional[_Iterable[str]] = ...) -> None: ...

class GetPeopleResponse(_message.Message):
    __slots__ = ("people",)
    PEOPLE_FIELD_NUMBER: _ClassVar[int]
    people: _containers.RepeatedCompositeFieldContainer[Person]
    def __init__(self, people: _Optional[_Iterable[_Union[Person, _Mapping]]] = ...) -> None: ...

class ResolveAudienceRequest(_message.Message):
    __slots__ = ("org_unit_ids", "levels", "roles", "person_ids", "include_inactive")
    ORG_UNIT_IDS_FIELD_NUMBER: _ClassVar[int]
    LEVELS_FIELD_NUMBER: _ClassVar[int]
    ROLES_FIELD_NUMBER: _ClassVar[int]
    PERSON_IDS_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_INACTIVE_FIELD_NUMBER: _ClassVar[int]
    org_unit_ids: _containers.RepeatedScalarFieldContainer[str]
    levels: _containers.RepeatedScalarFieldContainer[str]
    roles: _containers.RepeatedScalarFieldContainer[str]
    person_ids: _containers.RepeatedScalarFieldContainer[str]
    include_inactive: bool
    def __init__(self, org_unit_ids: _Optional[_Iterable[str]] = ..., levels: _Optional[_Iterable[str]] = ..., roles: _Optional[_Iterable[str]] = ..., person_ids: _Optional[_Iterable[str]] = ..., include_inactive: _Optional[bool] = ...) -> None: ...

class ResolveAudienceResponse(_message.Message):
    __slots__ = ("people",)
    PEOPLE_FIELD_NUMBER: _ClassVar[int]
    people: _containers.RepeatedCompositeFieldContainer[Person]
    def __init__(self, people: _Optional[_Iterable[_Union[Person, _Mapping]]] = ...) -> None: ...

class GetOrgTreeRequest(_message.Message):
    __slots__ = ("root_id",)
    ROOT_ID_FIELD_NUMBER: _ClassVar[int]
    root_id: str
    def __init__(self, root_id: _Optional[str] = ...) -> None: ...

class OrgUnit(_message.Message):
    __slots__ = ("id", "name", "kind", "parent_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PARENT_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    kind: str
    parent_id: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[str] = ..., parent_id: _Optional[str] = ...) -> None: ...

class OrgTree(_message.Message):
    __slots__ = ("units",)
    UNITS_FIELD_NUMBER: _ClassVar[int]
    units: _containers.RepeatedCompositeFieldContainer[OrgUnit]
    def __init__(self, units: _Optional[_Iterable[_Union[OrgUnit, _Mapping]]] = ...) -> None: ...
