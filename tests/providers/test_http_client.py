"""The shared HTTP layer against a real loopback server: retries, typed errors, limits, redaction."""

from __future__ import annotations

import logging
import random
import threading

import httpx
import pytest

from posapp.providers.errors import (
    MalformedResponseError,
    NetworkError,
    ProviderValidationError,
    RateLimitedError,
    ServerError,
)
from posapp.providers.http import (
    ClientConfig,
    HttpClient,
    decode_json,
    parse_retry_after,
    redact_url,
)
from posapp.providers.ratelimit import RateLimit, TokenBucket
from tests.fakes.server import FakeRequest, FakeResponse, FakeServer, json_response


class EchoFake(FakeServer):
    """Echoes what it got; `/rate` answers 429 for the first `limited` calls, `/reject` a 400."""

    provider = "echo"

    def __init__(self) -> None:
        super().__init__(seed=1)
        self.limited = 0
        self.retry_after = "0"
        self.writes = 0
        self.route("POST", "/write", self.write, name="write", write=True)
        self.route("GET", "/read", self.read, name="read")
        self.route("GET", "/rate", self.rate, name="rate")
        self.route("GET", "/reject", lambda r: json_response({"error": "bad"}, 400), name="reject")

    def write(self, request: FakeRequest) -> FakeResponse:
        self.writes += 1
        return json_response({"writes": self.writes, "form": request.form()})

    def read(self, request: FakeRequest) -> FakeResponse:
        return json_response({"query": request.query})

    def rate(self, request: FakeRequest) -> FakeResponse:
        if self.limited > 0:
            self.limited -= 1
            return json_response({"error": "slow down"}, 429, {"Retry-After": self.retry_after})
        return json_response({"ok": True})


def parse_ok(response: httpx.Response):
    if response.status_code == 400:
        raise ProviderValidationError("echo", "نامعتبر", "rejected", field_errors={"x": "bad"})
    return decode_json(response, "echo")


@pytest.fixture
def fake():
    with EchoFake() as server:
        yield server


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(fake, sleeps):
    config = ClientConfig(base_url=fake.base_url, read_timeout=0.5, max_retries=3)
    with HttpClient(config, provider="echo", sleep=sleeps.append, rng=random.Random(4)) as http:
        yield http


def test_form_pairs_keep_order_and_repeated_bracket_keys(client):
    form = [("productId[]", "0"), ("price[]", "4500"), ("productId[]", "0"), ("price[]", "8000")]
    result = client.request("POST", "/write", operation="write", form=form, parse=parse_ok)
    assert result["form"] == [list(pair) for pair in form]


def test_network_errors_retry_with_jittered_backoff(fake, client, sleeps):
    fake.faults.drop_before_commit.next(2)
    result = client.request("POST", "/write", operation="write", form=[], parse=parse_ok)
    assert result["writes"] == 1
    assert fake.count("write") == 3
    assert len(sleeps) == 2
    assert 0 <= sleeps[0] <= 0.5
    assert 0 <= sleeps[1] <= 1.0


def test_gives_up_after_max_retries_with_maybe_committed(fake, client, sleeps):
    fake.faults.drop_after_commit.next(10)
    with pytest.raises(NetworkError) as caught:
        client.request("POST", "/write", operation="write", form=[], parse=parse_ok)
    assert caught.value.maybe_committed
    assert fake.count("write") == 4
    assert fake.writes == 4


def test_non_idempotent_write_is_not_resent_once_it_may_have_landed(fake, client):
    fake.faults.drop_after_commit.next(1)
    with pytest.raises(NetworkError):
        client.request("POST", "/write", operation="write", form=[], parse=parse_ok, idempotent=False)
    assert fake.count("write") == 1


def test_5xx_is_retried_then_reported(fake, client):
    fake.faults.server_error.next(1)
    assert client.request("GET", "/read", operation="read", parse=parse_ok)["query"] == []
    fake.faults.server_error.next(4)
    with pytest.raises(ServerError) as caught:
        client.request("GET", "/read", operation="read", parse=parse_ok)
    assert caught.value.status == 503
    assert caught.value.maybe_committed
    assert fake.count("read") == 2 + 4


def test_4xx_and_business_errors_are_never_retried(fake, client, sleeps):
    with pytest.raises(ProviderValidationError) as caught:
        client.request("GET", "/reject", operation="reject", parse=parse_ok)
    assert caught.value.field_errors == {"x": "bad"}
    assert fake.count("reject") == 1
    assert sleeps == []


def test_malformed_body_is_typed_and_not_retried(fake, client):
    fake.faults.malformed_body.next(1)
    with pytest.raises(MalformedResponseError) as caught:
        client.request("POST", "/write", operation="write", form=[], parse=parse_ok)
    assert caught.value.maybe_committed
    assert fake.count("write") == 1


def test_truncated_body_and_timeout_are_network_errors(fake, client):
    fake.faults.truncated_body.next(4)
    with pytest.raises(NetworkError):
        client.request("GET", "/read", operation="read", parse=parse_ok)
    fake.faults.hang_seconds = 2.0
    fake.faults.hang_after_commit.next(1)
    with pytest.raises(NetworkError) as caught:
        client.request("POST", "/write", operation="write", form=[], parse=parse_ok, idempotent=False)
    assert caught.value.maybe_committed


def test_connection_refused_is_not_committed(sleeps):
    with FakeServer() as gone:
        url = gone.base_url
    config = ClientConfig(base_url=url, max_retries=1)
    with HttpClient(config, provider="echo", sleep=sleeps.append) as http, \
            pytest.raises(NetworkError) as caught:
        http.request("POST", "/write", operation="write", form=[], parse=parse_ok)
    assert not caught.value.maybe_committed
    assert len(sleeps) == 1


def test_rate_limit_honours_retry_after(fake, client, sleeps):
    fake.limited, fake.retry_after = 2, "3"
    assert client.request("GET", "/rate", operation="rate", parse=parse_ok) == {"ok": True}
    assert sleeps == [3.0, 3.0]


def test_retry_after_beyond_the_cap_is_left_to_the_caller(fake, sleeps):
    fake.limited, fake.retry_after = 1, "600"
    config = ClientConfig(base_url=fake.base_url, max_retry_after=30)
    with HttpClient(config, provider="echo", sleep=sleeps.append) as http, \
            pytest.raises(RateLimitedError) as caught:
        http.request("GET", "/rate", operation="rate", parse=parse_ok)
    assert caught.value.retry_after == 600
    assert sleeps == []


def test_retry_after_accepts_http_dates():
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=lambda: 1445412470.0) == 10.0
    assert parse_retry_after("soon") is None


def test_logs_never_contain_secrets(fake, client, caplog):
    caplog.set_level(logging.DEBUG, logger="posapp.providers")
    secret_values = ["tok-SECRET-1", "ott-SECRET-2", "key-SECRET-3", "pw-SECRET-4", "lt-SECRET-5"]
    fake.faults.drop_before_commit.next(1)
    client.request(
        "POST", "/write", operation="write",
        params=[("access_token", "ak-SECRET-6"), ("page", "1")],
        headers={"_token_": secret_values[0], "Authorization": "Bearer br-SECRET-7"},
        form=[("_ott_", secret_values[1]), ("apiKey", secret_values[2]),
              ("password", secret_values[3]), ("loginToken", secret_values[4]), ("amount", "4500")],
        parse=parse_ok,
    )
    text = caplog.text
    assert "amount=4500" in text
    assert "page=1" in text
    for secret in [*secret_values, "ak-SECRET-6", "br-SECRET-7"]:
        assert secret not in text


def test_redact_url_hides_query_secrets():
    assert redact_url("https://x/v1/invoices?access_token=abc&limit=5") == \
        "https://x/v1/invoices?access_token=***&limit=5"


def test_config_refuses_non_http_urls_and_keeps_verification():
    with pytest.raises(ValueError):
        ClientConfig(base_url="ftp://example.com")
    assert ClientConfig(base_url="https://example.com").ssl_context().verify_mode.name == "CERT_REQUIRED"
    assert not hasattr(ClientConfig, "verify")


def test_token_bucket_never_exceeds_the_window():
    now = [0.0]
    bucket = TokenBucket(RateLimit(requests=50, per_seconds=60, burst=5),
                         clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    times = []
    for _ in range(120):
        bucket.acquire()
        times.append(now[0])
    for start in times:
        assert sum(1 for t in times if start <= t < start + 60) <= 50


def test_token_bucket_is_thread_safe():
    bucket = TokenBucket(RateLimit(requests=1000, per_seconds=3600, burst=100))
    granted = []

    def worker():
        for _ in range(50):
            granted.append(bucket.try_acquire() == 0.0)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(granted) == 100


def test_client_side_rate_limit_waits_instead_of_sending(fake, sleeps):
    now = [0.0]
    bucket = TokenBucket(RateLimit(requests=3, per_seconds=10, burst=1),
                         clock=lambda: now[0], sleep=lambda s: (sleeps.append(s), now.__setitem__(0, now[0] + s)))
    config = ClientConfig(base_url=fake.base_url)
    with HttpClient(config, provider="echo", bucket=bucket) as http:
        for _ in range(3):
            http.request("GET", "/read", operation="read", parse=parse_ok)
    assert fake.count("read") == 3
    assert sleeps == [5.0, 5.0]
