import uuid

from app.model.ids import is_uuid, uuid7


def test_uuid7_has_version_and_variant():
    value = uuid.UUID(uuid7())
    assert value.version == 7
    assert value.variant == uuid.RFC_4122


def test_uuid7_is_unique_and_time_ordered():
    ids = [uuid7() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    # The 48-bit millisecond prefix never decreases.
    prefixes = [i.replace("-", "")[:12] for i in ids]
    assert prefixes == sorted(prefixes)


def test_is_uuid():
    assert is_uuid(uuid7())
    assert not is_uuid("not-a-uuid")
    assert not is_uuid("0191E3A8-0000-7000-8000-000000000000")  # not canonical (upper case)


def test_uuid7_many_are_version_7_unique_and_canonical():
    from app.model.ids import uuid7_many

    ids = uuid7_many(5000)
    assert len(set(ids)) == 5000
    assert all(is_uuid(i) and uuid.UUID(i).version == 7 for i in ids[:50])
    assert all(uuid.UUID(i).variant == uuid.RFC_4122 for i in ids[:50])
    assert uuid7_many(0) == []
