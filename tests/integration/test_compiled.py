"""Querysets compiled once (``cxaudit.compiled``) give what the ORM gives, for any values."""

import pytest
from django.db.models import Count, Exists, OuterRef

from cxaudit import compiled
from cxaudit.accounts.models import Membership, Organisation, Role
from tests.factories import CompanyFactory, ConsultancyFactory, UserFactory

pytestmark = pytest.mark.django_db


def companies_named(name):
    return (
        Organisation.objects.select_related("parent")
        .annotate(
            members=Count("memberships"),
            has_manager=Exists(
                Membership.objects.filter(organisation=OuterRef("pk"), role=Role.MANAGER)
            ),
        )
        .filter(name=name)
        .order_by("pk")
    )


def roles_of(user_id, organisation_id):
    return Membership.objects.filter(user_id=user_id, organisation_id=organisation_id).values_list(
        "role", "created_at"
    )


def fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_objects_are_the_orms_objects_with_related_objects_and_annotations(db):
    consultancy = ConsultancyFactory(name="Сервис-Консалтинг")
    CompanyFactory(name="Зерно", parent=consultancy)
    ConsultancyFactory(name="Зерно")  # no parent: the outer join gives None
    ours = compiled.objects(companies_named, "Зерно")
    theirs = list(companies_named("Зерно"))
    assert len(ours) == 2
    for mine, orm in zip(ours, theirs, strict=True):
        assert fields(mine) == fields(orm)
        assert (mine.members, mine.has_manager) == (orm.members, orm.has_manager)
        assert mine._state.adding is False
        if orm.parent is None:
            assert mine.parent is None
        else:
            assert fields(mine.parent) == fields(orm.parent)
    assert ours[0].parent.name == "Сервис-Консалтинг"


def test_rows_are_converted_as_values_list_gives_them(company):
    user = UserFactory()
    Membership.objects.create(user=user, organisation=company, role=Role.MANAGER)
    ours = compiled.rows(roles_of, user.pk, company.pk)
    assert ours == list(roles_of(user.pk, company.pk))
    assert ours[0][1].tzinfo is not None


def test_each_value_finds_its_own_place_and_none_compiles_apart(company, consultancy):
    user = UserFactory()
    Membership.objects.create(user=user, organisation=company, role=Role.STAFF)
    assert compiled.rows(roles_of, user.pk, company.pk)[0][0] == Role.STAFF
    assert compiled.rows(roles_of, user.pk, consultancy.pk) == []
    assert compiled.rows(roles_of, user.pk, None) == []  # organisation_id IS NULL
    assert compiled.rows(roles_of, None, company.pk) == []


def test_a_query_must_take_each_value_once(db):
    def twice(name):
        return Organisation.objects.filter(name=name).exclude(name=name)

    with pytest.raises(RuntimeError, match="exactly once"):
        compiled.rows(twice, "x")


def test_values_must_be_text_numbers_or_none(db):
    with pytest.raises(TypeError, match="str, int or None"):
        compiled.rows(companies_named, 1.5)
