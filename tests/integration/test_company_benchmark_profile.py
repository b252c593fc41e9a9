"""The benchmark profile of a company (industry, size band, opt-out): set by its
consultancy's consultants only; saving it makes the consultancy's cached benchmarks stale."""

import pytest
from django.urls import reverse

from cxaudit.caching import benchmark_version_get

pytestmark = pytest.mark.django_db


def _url(company):
    return reverse("accounts:company-benchmark-edit", args=[company.pk])


def test_a_consultant_sets_the_profile_and_the_benchmarks_go_stale(en, company):
    before = benchmark_version_get(consultancy_id=company.parent_id)
    response = en("consultant").post(
        _url(company),
        {"industry": "  Retail ", "size_band": "medium", "benchmark_opt_out": "on"},
    )
    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.industry, company.size_band, company.benchmark_opt_out) == (
        "Retail",
        "medium",
        True,
    )
    assert benchmark_version_get(consultancy_id=company.parent_id) != before


def test_an_unknown_size_band_is_refused_with_a_message_and_nothing_saved(en, company):
    response = en("consultant").post(_url(company), {"industry": "Retail", "size_band": "huge"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert "Retail" in response.content.decode()  # what was typed is kept
    company.refresh_from_db()
    assert company.size_band == "" and company.industry != "Retail"


@pytest.mark.parametrize("role", ["manager", "staff", "other_consultant"])
def test_only_the_consultancy_s_consultants_edit_the_profile(en, company, role):
    assert en(role).post(_url(company), {"size_band": "small"}).status_code == 404
    company.refresh_from_db()
    assert company.size_band == ""


def test_the_company_page_links_the_profile_for_consultants_only(en, company):
    assert (
        _url(company)
        in en("consultant")
        .get(reverse("accounts:company-detail", args=[company.pk]))
        .content.decode()
    )
    assert (
        _url(company)
        not in en("manager")
        .get(reverse("accounts:company-detail", args=[company.pk]))
        .content.decode()
    )


def test_a_lost_version_token_is_replaced_by_a_new_one(company):
    from django.core.cache import cache

    first = benchmark_version_get(consultancy_id=company.parent_id)
    assert benchmark_version_get(consultancy_id=company.parent_id) == first
    cache.clear()
    assert benchmark_version_get(consultancy_id=company.parent_id) != first
