"""Several API tokens per person, kept as hashes: list, make and revoke your own (issue 11)."""

import importlib
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from certification.models import ApiToken
from certification.services.tokens import create_api_token, hash_key
from certification.tasks import remove_expired_tokens

KEY = re.compile(r"^[0-9a-f]{40}$")


def api_with(key: str) -> APIClient:
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_it_makes_a_named_token_whose_key_is_shown_once_and_kept_as_a_hash(alice) -> None:  # type: ignore[no-untyped-def]
    made = api_with(create_api_token(by=alice, name="first").key).post("/api/v1/me/tokens/", {"name": "CI server"})
    assert made.status_code == 201
    key = made.json()["token"]
    assert KEY.match(key)
    stored = ApiToken.objects.get(pk=made.json()["id"])
    assert (stored.name, stored.key_hash, stored.user) == ("CI server", hash_key(key), alice)
    assert key not in str(ApiToken.objects.values_list())  # nowhere in the table
    listed = api_with(key).get("/api/v1/me/tokens/").json()
    assert [token["name"] for token in listed] == ["CI server", "first"]
    assert all("token" not in token for token in listed)
    assert api_with(key).get("/api/v1/me/").json()["username"] == "alice"


def test_a_token_expires_after_the_configured_lifetime(alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.API_TOKEN_LIFETIME_DAYS = 7
    issued = create_api_token(by=alice, name="week")
    assert issued.token.expires_at == issued.token.created_at + timedelta(days=7)


def test_it_records_when_a_token_was_last_used(alice) -> None:  # type: ignore[no-untyped-def]
    issued = create_api_token(by=alice, name="script")
    assert issued.token.last_used_at is None
    api_with(issued.key).get("/api/v1/me/")
    issued.token.refresh_from_db()
    assert issued.token.last_used_at is not None
    assert timezone.now() - issued.token.last_used_at < timedelta(minutes=1)


def test_a_revoked_token_no_longer_works_and_the_others_do(alice) -> None:  # type: ignore[no-untyped-def]
    kept, revoked = create_api_token(by=alice, name="kept"), create_api_token(by=alice, name="revoked")
    answer = api_with(kept.key).delete(f"/api/v1/me/tokens/{revoked.token.pk}/")
    assert answer.status_code == 204
    assert api_with(revoked.key).get("/api/v1/me/").status_code == 401
    assert api_with(kept.key).get("/api/v1/me/").status_code == 200


def test_another_users_token_is_not_found_and_keeps_working(alice, bob) -> None:  # type: ignore[no-untyped-def]
    bobs = create_api_token(by=bob, name="bob's")
    answer = api_with(create_api_token(by=alice, name="alice's").key).delete(f"/api/v1/me/tokens/{bobs.token.pk}/")
    assert answer.status_code == 404
    assert api_with(bobs.key).get("/api/v1/me/").status_code == 200


def test_a_token_without_a_name_is_refused_with_a_sentence(alice) -> None:  # type: ignore[no-untyped-def]
    answer = api_with(create_api_token(by=alice, name="first").key).post("/api/v1/me/tokens/", {"name": "   "})
    assert answer.status_code == 400
    assert ApiToken.objects.filter(user=alice).count() == 1


def test_a_guessed_key_is_refused(alice) -> None:  # type: ignore[no-untyped-def]
    create_api_token(by=alice, name="real")
    assert api_with("0" * 40).get("/api/v1/me/").status_code == 401


def test_delete_on_the_sign_in_endpoint_revokes_only_the_token_used(alice) -> None:  # type: ignore[no-untyped-def]
    used, other = create_api_token(by=alice, name="used"), create_api_token(by=alice, name="other")
    assert api_with(used.key).delete("/api/v1/auth/token/").status_code == 204
    assert api_with(used.key).get("/api/v1/me/").status_code == 401
    assert api_with(other.key).get("/api/v1/me/").status_code == 200


def test_a_new_password_ends_every_token_of_its_user_only(alice, bob) -> None:  # type: ignore[no-untyped-def]
    alices = [create_api_token(by=alice, name=f"script {n}").key for n in range(3)]
    bobs = create_api_token(by=bob, name="bob's").key
    alice.set_password("een-nieuw-wachtwoord-2026")
    alice.save()
    assert [api_with(key).get("/api/v1/me/").status_code for key in alices] == [401, 401, 401]
    assert api_with(bobs).get("/api/v1/me/").status_code == 200


def test_expired_tokens_are_removed_by_the_periodic_task(alice, settings) -> None:  # type: ignore[no-untyped-def]
    settings.API_TOKEN_LIFETIME_DAYS = 30
    old, fresh = create_api_token(by=alice, name="old"), create_api_token(by=alice, name="fresh")
    ApiToken.objects.filter(pk=old.token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert remove_expired_tokens.call() == 1
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["fresh"]
    assert api_with(fresh.key).get("/api/v1/me/").status_code == 200


# The page


def test_the_page_lists_makes_and_revokes_tokens(client, alice) -> None:  # type: ignore[no-untyped-def]
    client.force_login(alice)
    assert 'href="/account/tokens/"' in client.get("/dashboard/").content.decode()  # in the account menu
    made = client.post("/account/tokens/", {"name": "Boekhouding"})
    assert made.status_code == 200
    assert made["Cache-Control"] == "no-store"
    key = re.search(r'<code id="new-key">([0-9a-f]{40})</code>', made.content.decode()).group(1)  # type: ignore[union-attr]
    assert api_with(key).get("/api/v1/me/").status_code == 200
    page = client.get("/account/tokens/").content.decode()
    assert "Boekhouding" in page
    assert key not in page  # shown once
    token = ApiToken.objects.get(user=alice)
    revoked = client.post(f"/account/tokens/{token.pk}/revoke/", follow=True)
    assert "is ingetrokken" in revoked.content.decode()  # Dutch first
    assert api_with(key).get("/api/v1/me/").status_code == 401


@pytest.mark.parametrize(
    ("language", "heading"), [("nl", "API-tokens"), ("en", "API tokens"), ("fr", "Jetons d\u2019API")]
)
def test_the_page_speaks_each_language(client, alice, language, heading) -> None:  # type: ignore[no-untyped-def]
    client.force_login(alice)
    page = client.get("/account/tokens/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f"<h1>{heading}</h1>" in page


def test_the_page_refuses_another_users_token_and_anyone_signed_out(client, alice, bob) -> None:  # type: ignore[no-untyped-def]
    bobs = create_api_token(by=bob, name="bob's")
    client.force_login(alice)
    assert client.post(f"/account/tokens/{bobs.token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=bobs.token.pk).exists()
    client.logout()
    assert client.get("/account/tokens/").status_code == 302


# The migration


@pytest.mark.django_db(transaction=True)  # SQLite alters its schema only outside a transaction
def test_the_migration_keeps_the_old_tokens_working_and_drops_their_keys(alice) -> None:  # type: ignore[no-untyped-def]
    """A token of rest_framework.authtoken (its key in clear) works after the migration, as a hash."""
    old_key = "a" * 40
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp, user_id integer)")
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [old_key, timezone.now() - timedelta(days=2), alice.pk],
        )
    migration = importlib.import_module("certification.migrations.0012_api_tokens")
    from django.apps import apps

    with connection.schema_editor() as schema_editor:
        migration.hash_the_old_tokens(apps, schema_editor)
    assert "authtoken_token" not in connection.introspection.table_names()
    assert api_with(old_key).get("/api/v1/me/").json()["username"] == "alice"
    assert ApiToken.objects.get(user=alice).key_hash == hash_key(old_key)
