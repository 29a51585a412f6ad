"""The UI shell: navigation by role, who is signed in, languages, CSP, error pages and form includes."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.template import Context, RequestContext, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views import defaults

from qorgau.core.auth.backup_codes import issue_backup_codes
from qorgau.core.context_processors import nav_for
from qorgau.core.domains import collected
from qorgau.core.testing import Personas, otp_login

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}


@pytest.fixture(autouse=True)
def english() -> object:
    # Assertions below read the English source strings; requests also ask for English (EN).
    with translation.override("en"):
        yield


def nav_html(html: str) -> str:
    match = re.search(r'<nav class="navbar.*?</nav>', html, re.S)
    assert match, "the page has no main navigation"
    return match.group(0)


def home_html(client: Client) -> str:
    response = client.get("/", headers=EN)
    assert response.status_code == 200
    return response.content.decode()


def test_every_nav_entry_names_a_real_url() -> None:
    for entry in collected().menu:
        assert reverse(entry.url_name), entry.key


def test_officer_menu_has_people_and_not_audit(client: Client, personas: Personas) -> None:
    nav = nav_html(home_html(otp_login(client, personas.astana_officer)))
    assert ">People<" in nav
    assert ">Families<" in nav
    assert ">API<" in nav
    assert "Audit" not in nav
    assert "Administration" not in nav


def test_auditor_menu_has_audit_and_not_people(client: Client, personas: Personas) -> None:
    nav = nav_html(home_html(otp_login(client, personas.national_auditor)))
    assert ">Audit log<" in nav
    assert f'href="{reverse("core:audit_list")}"' in nav
    assert "People" not in nav
    assert "Families" not in nav
    assert ">API<" not in nav


def test_system_administrator_menu_has_administration_and_audit(personas: Personas) -> None:
    keys = [item.key for item in nav_for(personas.sysadmin)]
    # facilities: the register and the network (facilities.register, facilities.network), and its API;
    # planning: network planning (planning.view); insights: the dashboards (insights.view)
    assert keys == ["home", "facilities", "network", "planning", "insights", "audit", "admin", "api"]


def test_agency_administrator_menu_has_their_accounts_and_no_link_that_answers_403(
    personas: Personas,
) -> None:
    from qorgau.core.testing import UserFactory, role

    agency_admin = UserFactory.create(
        username="asel_admin", agency=personas.astana_police, role=role("agency_admin"), scope="agency"
    )
    assert [item.key for item in nav_for(agency_admin)] == ["home", "agency-users"]
    agency_admin.is_staff = True  # let into the administration site as well
    assert [item.key for item in nav_for(agency_admin)] == ["home", "agency-users", "admin"]


def test_user_without_role_gets_only_home(personas: Personas) -> None:
    assert [item.key for item in nav_for(personas.outsider)] == ["home"]
    assert nav_for(AnonymousUser()) == []


def test_current_page_is_marked_in_the_menu(client: Client, personas: Personas) -> None:
    nav = nav_html(home_html(otp_login(client, personas.astana_officer)))
    assert re.search(r'href="/" data-nav="home" aria-current="page"', nav)
    assert nav.count('aria-current="page"') == 1


def test_header_shows_who_is_signed_in_with_agency_role_and_scope(client: Client, personas: Personas) -> None:
    html = home_html(otp_login(client, personas.astana_chair))
    identity = re.search(r'data-shell="identity">(.*?)</p>', html, re.S)
    assert identity
    text = " ".join(identity.group(1).split())
    assert "Test User" in text
    assert "Astana City Police Department" in text
    assert "Conference chair" in text
    assert "selected regions: Astana" in text


@pytest.mark.parametrize(
    ("language", "agency", "role_name"),
    [
        ("kk", "Астана қаласы полиция департаменті", "Тәуекелдер жөніндегі кеңес төрағасы"),
        ("ru", "Департамент полиции города Астаны", "Председатель совещания по рискам"),
        ("en", "Astana City Police Department", "Conference chair"),
    ],
)
def test_header_names_agency_and_role_in_the_page_language(
    client: Client, personas: Personas, settings: object, language: str, agency: str, role_name: str
) -> None:
    police = personas.astana_police
    police.name_kk, police.name_ru = "Астана қаласы полиция департаменті", "Департамент полиции города Астаны"
    police.save()
    otp_login(client, personas.astana_chair)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # type: ignore[attr-defined]
    html = client.get("/").content.decode()
    identity = re.search(r'data-shell="identity">(.*?)</p>', html, re.S)
    assert identity
    text = " ".join(identity.group(1).split())
    assert agency in text and role_name in text


def test_an_agency_without_a_name_in_the_language_shows_its_official_name(personas: Personas) -> None:
    with translation.override("kk"):
        assert str(personas.astana_police) == personas.astana_police.name


def test_sign_out_is_a_post_form_with_csrf(client: Client, personas: Personas) -> None:
    html = home_html(otp_login(client, personas.astana_officer))
    form = re.search(rf'<form action="{reverse("core:logout")}" method="post">(.*?)</form>', html, re.S)
    assert form
    assert 'name="csrfmiddlewaretoken"' in form.group(1)


def test_language_switcher_offers_native_names_and_marks_the_current_one(
    client: Client, personas: Personas
) -> None:
    html = home_html(otp_login(client, personas.astana_officer))
    switcher = re.search(r'<form class="language-switcher.*?</form>', html, re.S)
    assert switcher
    form = switcher.group(0)
    assert f'action="{reverse("set_language")}"' in form
    assert 'name="next" value="/"' in form
    for code, name in [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]:
        assert re.search(rf'value="{code}" lang="{code}"[^>]*>{name}</button>', form), code
    assert re.search(r'value="en"[^>]*aria-current="true"', form)
    assert form.count('aria-current="true"') == 1


def test_switching_to_kazakh_renders_pages_in_kazakh(client: Client, personas: Personas) -> None:
    otp_login(client, personas.astana_officer)
    response = client.post(reverse("set_language"), {"language": "kk", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    html = client.get("/").content.decode()
    assert '<html lang="kk">' in html
    assert re.search(r'value="kk"[^>]*aria-current="true"', html)


def test_pages_carry_a_csp_and_no_inline_script_or_style(client: Client, personas: Personas) -> None:
    response = otp_login(client, personas.astana_officer).get("/", headers=EN)
    csp = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp)
    assert nonce
    assert "'unsafe-inline'" not in csp
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert len(scripts) >= 3
    for tag in scripts:
        assert 'src="/static/' in tag, tag
        assert f'nonce="{nonce.group(1)}"' in tag, tag
    assert not re.search(r"<script\b[^>]*>\s*[^<\s]", html), "inline script body"
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert "cdn" not in html.replace(nonce.group(1), "").lower()  # a random nonce may spell "cdn"


def test_htmx_is_told_not_to_inject_styles_nor_cache_pages(client: Client, personas: Personas) -> None:
    html = home_html(otp_login(client, personas.astana_officer))
    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', html)
    assert config
    assert '"includeIndicatorStyles": false' in config.group(1)
    assert '"historyCacheSize": 0' in config.group(1)
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    assert "/static/vendor/bootstrap/js/bootstrap.bundle.min.js" in html


def test_unknown_page_answers_a_friendly_404(client: Client, personas: Personas) -> None:
    response = otp_login(client, personas.astana_officer).get("/no-such-page/", headers=EN)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "This page does not exist, or it is not available to you." in html


def _request(path: str = "/") -> HttpRequest:
    request = RequestFactory().get(path, headers=EN)
    request.user = AnonymousUser()
    return request


def test_404_does_not_reveal_whether_the_object_exists() -> None:
    hidden = defaults.page_not_found(_request(), Http404("No Person matches the given query."))
    missing = defaults.page_not_found(_request(), Http404("Something else entirely."))
    assert hidden.status_code == missing.status_code == 404
    assert b"Person" not in hidden.content

    def normalised(content: bytes) -> str:
        # Each render masks the CSRF token differently; everything else must be identical.
        return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "TOKEN", content.decode())

    assert normalised(hidden.content) == normalised(missing.content)


def test_403_is_friendly_and_hides_the_reason() -> None:
    response = defaults.permission_denied(_request(), PermissionDenied("people.view_iin on person 42"))
    assert response.status_code == 403
    assert b"You do not have access to this page" in response.content
    assert b"view_iin" not in response.content


def test_500_renders_without_a_request_context() -> None:
    response = defaults.server_error(_request())
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


class SampleForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As in the identity document.")
    channel = forms.ChoiceField(
        label="Channel", choices=[("102", "102"), ("111", "111")], widget=forms.RadioSelect
    )
    urgent = forms.BooleanField(label="Urgent", required=False)
    note = forms.CharField(label="Note", required=False)

    def clean(self) -> dict[str, object]:
        raise forms.ValidationError("The signal cannot be saved.")


def render_form(form: forms.Form) -> str:
    return Template('{% include "includes/form.html" with form=form %}').render(Context({"form": form}))


def test_form_include_renders_an_error_summary_linked_to_fields() -> None:
    html = render_form(SampleForm(data={"urgent": "on"}))
    summary = re.search(r"<div[^>]*data-error-summary.*?</div>", html, re.S)
    assert summary
    assert 'role="alert"' in summary.group(0)
    assert 'tabindex="-1"' in summary.group(0)
    assert "The signal cannot be saved." in summary.group(0)
    assert 'href="#id_name"' in summary.group(0)
    assert 'href="#id_channel_0"' in summary.group(0)
    assert "#id_note" not in summary.group(0)


def test_form_include_marks_invalid_fields_and_describes_them() -> None:
    html = render_form(SampleForm(data={}))
    name_input = re.search(r'<input[^>]*id="id_name"[^>]*>', html)
    assert name_input
    tag = name_input.group(0)
    assert 'aria-invalid="true"' in tag
    assert 'aria-describedby="id_name_helptext id_name_error"' in tag
    assert "form-control is-invalid" in tag
    assert "required" in tag
    assert 'id="id_name_helptext"' in html
    assert 'id="id_name_error"' in html
    assert '<label class="form-label" for="id_name">Full name' in html
    assert 'class="required-mark" aria-hidden="true">*</span>' in html
    assert re.search(r'<fieldset[^>]*aria-describedby="id_channel_error"', html)
    assert "<legend" in html
    radio = re.search(r'<input type="radio"[^>]*id="id_channel_0"[^>]*>', html)
    assert radio
    assert "form-check-input is-invalid" in radio.group(0)
    assert 'aria-invalid="true"' in radio.group(0)
    assert '<label class="form-check-label" for="id_channel_0">102</label>' in html
    note = re.search(r'<input[^>]*id="id_note"[^>]*>', html)
    assert note
    assert "aria-invalid" not in note.group(0)
    assert "is-invalid" not in note.group(0)


def test_form_include_without_errors_has_no_summary() -> None:
    html = render_form(SampleForm())
    assert "data-error-summary" not in html
    assert 'class="form-check-input"' in html


def test_pagination_keeps_other_parameters() -> None:
    request = RequestFactory().get("/people/", {"q": "Айгерим", "page": "2"})
    page = Paginator(list(range(120)), 50).page(2)
    html = Template('{% include "includes/pagination.html" %}').render(
        RequestContext(request, {"page_obj": page})
    )
    assert "q=%D0%90%D0%B9%D0%B3%D0%B5%D1%80%D0%B8%D0%BC&amp;page=1" in html
    assert "page=3" in html
    assert 'aria-current="page"' in html
    assert "51\u2013100" in html


def test_pagination_is_hidden_for_a_single_page() -> None:
    page = Paginator([1, 2], 50).page(1)
    html = Template('{% include "includes/pagination.html" %}').render(Context({"page_obj": page}))
    assert html.strip() == ""


def test_empty_state_shows_its_message() -> None:
    html = Template('{% include "includes/empty_state.html" with message="Nothing to do." %}').render(
        Context({})
    )
    assert "Nothing to do." in html


def test_before_the_second_factor_the_page_shows_no_menu_and_no_identity(
    client: Client, personas: Personas
) -> None:
    issue_backup_codes(personas.astana_officer)  # a usable second factor: the verify page, not enrolment
    client.force_login(personas.astana_officer)  # password passed, second factor not yet
    response = client.get(reverse("core:otp_verify"), headers=EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-shell="identity"' not in html
    assert reverse("people:person_list") not in nav_html(html)
    assert "Astana City Police Department" not in html
