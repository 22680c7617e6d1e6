import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.urls import reverse

from portal.models import Person
from portal.publication import PublicationStatus

from .factories import make_page, make_position

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def test_home_explains_the_portal_in_vietnamese_by_default(client):
    response = client.get(reverse("portal:home"))
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Chính quyền thành phố quyết định gì" in html
    for section in ("Văn bản", "Hội nghị", "Chỉ tiêu", "Dự án"):
        assert section in html


def test_home_in_english_after_choosing_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "What the city government decides" in html
    assert "Documents" in html
    assert "Chính quyền thành phố quyết định gì" not in html


def test_home_runs_a_bounded_number_of_queries(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get(reverse("portal:home"))
    assert response.status_code == 200


def test_person_page_lists_every_title_from_the_demo(client, demo):
    person = Person.objects.get(full_name="Bùi Thị Minh Hoài")
    html = client.get(person.get_absolute_url()).content.decode()
    assert "Bùi Thị Minh Hoài" in html
    for title in (
        "Ủy viên Bộ Chính trị",
        "Bí thư Thành ủy",
        "Trưởng đoàn đại biểu Quốc hội Thành phố",
    ):
        assert title in html


def test_person_page_separates_past_titles(client):
    position = make_position(title="Phó Chủ tịch", end_date="2020-01-31")
    make_position(person=position.person, title="Chủ tịch")
    response = client.get(position.person.get_absolute_url())
    assert [p.title for p in response.context["current_positions"]] == ["Chủ tịch"]
    assert [p.title for p in response.context["past_positions"]] == ["Phó Chủ tịch"]
    assert "31/01/2020" in response.content.decode()


def test_person_page_query_count_does_not_grow_with_titles(client, django_assert_max_num_queries):
    position = make_position()
    for n in range(5):
        make_position(person=position.person, title=f"Ủy viên {n}")
    with django_assert_max_num_queries(3):
        client.get(position.person.get_absolute_url())


def test_published_page_is_shown_and_draft_page_is_not(client):
    shown = make_page(title="Liên hệ", slug="lien-he")
    hidden = make_page(slug="nhap", status=PublicationStatus.DRAFT)
    assert "Liên hệ" in client.get(shown.get_absolute_url()).content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_unknown_url_gives_the_404_page_in_the_site_layout(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    assert 'class="site-header"' in html


def test_unknown_person_gives_404(client):
    assert client.get("/people/khong-co-ai/").status_code == 404


def test_bad_host_gives_the_400_page_in_the_site_layout(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


@pytest.mark.parametrize(
    ("template", "heading"),
    [("403.html", "Không có quyền truy cập"), ("500.html", "Lỗi máy chủ")],
)
def test_error_pages_render_in_the_layout_without_a_request(template, heading):
    html = render_to_string(template)
    assert heading in html
    assert 'class="site-header"' in html


def test_browser_language_does_not_override_vietnamese(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in html


def test_the_language_choice_persists_across_pages(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get("/people/khong-co-ai/", follow=True)
    assert response.redirect_chain == [("/en/people/khong-co-ai/", 302)]
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Page not found" in html
