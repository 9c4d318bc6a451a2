"""The shared fake-server base: real loopback server, routing, request log and every fault knob."""

from __future__ import annotations

import threading

import httpx
import pytest

from tests.fakes.server import MALFORMED_BODY, FakeRequest, FakeServer, json_response


class CounterFake(FakeServer):
    """A tiny fake with one read and one write, enough to exercise the base."""

    provider = "counter"

    def __init__(self, *, seed: int = 0) -> None:
        super().__init__(seed=seed)
        self.value = 0
        self.route("GET", "/value", self.get_value, name="get")
        self.route("POST", "/increment", self.increment, name="increment", write=True)

    def get_value(self, request: FakeRequest) -> object:
        return json_response({"value": self.value})

    def increment(self, request: FakeRequest) -> object:
        self.value += int(request.json().get("by", 1))
        return json_response({"value": self.value})


@pytest.fixture
def fake():
    with CounterFake(seed=7) as server:
        yield server


@pytest.fixture
def client(fake):
    with httpx.Client(base_url=fake.base_url, timeout=httpx.Timeout(2.0, read=0.3)) as http:
        yield http


def test_serves_on_loopback_and_logs_requests(fake, client):
    assert fake.base_url.startswith("http://127.0.0.1:")
    assert client.post("/increment", json={"by": 2}).json() == {"value": 2}
    assert client.get("/value").json() == {"value": 2}
    assert [(r.operation, r.is_write, r.status) for r in fake.requests] == [
        ("increment", True, 200), ("get", False, 200),
    ]
    assert fake.count("increment") == 1


def test_unknown_path_is_404_and_wrong_method_is_405(client):
    assert client.get("/nowhere").status_code == 404
    response = client.get("/increment")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"


def test_drop_before_commit_changes_nothing(fake, client):
    fake.faults.drop_before_commit.next(1, operations={"increment"})
    with pytest.raises(httpx.TransportError):
        client.post("/increment", json={"by": 1})
    assert fake.value == 0
    assert client.get("/value").json() == {"value": 0}
    assert fake.requests[0].fault == "drop_before_commit"


def test_drop_after_commit_keeps_the_write(fake, client):
    fake.faults.drop_after_commit.next(1, writes_only=True)
    client.get("/value")  # a read does not use up a writes-only knob
    with pytest.raises(httpx.TransportError):
        client.post("/increment", json={"by": 5})
    assert fake.value == 5
    assert client.post("/increment", json={"by": 1}).json() == {"value": 6}


def test_server_error_answers_5xx_without_committing(fake, client):
    fake.faults.server_error.next(2)
    fake.faults.server_error_status = 502
    assert client.post("/increment", json={}).status_code == 502
    assert client.get("/value").status_code == 502
    assert client.get("/value").json() == {"value": 0}


def test_malformed_and_truncated_bodies(fake, client):
    fake.faults.malformed_body.next(1)
    response = client.post("/increment", json={})
    assert response.content == MALFORMED_BODY
    fake.faults.truncated_body.next(1)
    with pytest.raises(httpx.TransportError):
        client.get("/value")
    assert fake.value == 1


def test_hang_outlasts_the_client_timeout(fake, client):
    fake.faults.hang_seconds = 3.0
    fake.faults.hang_after_commit.next(1)
    with pytest.raises(httpx.ReadTimeout):
        client.post("/increment", json={})
    assert fake.value == 1
    fake.faults.hang_before_commit.next(1)
    with pytest.raises(httpx.ReadTimeout):
        client.post("/increment", json={})
    assert fake.value == 1


def test_probabilities_are_deterministic_under_a_seed():
    def pattern(seed: int) -> list[int]:
        with CounterFake(seed=seed) as server, httpx.Client(base_url=server.base_url) as http:
            server.faults.server_error.sometimes(0.5)
            return [http.get("/value").status_code for _ in range(12)]

    first = pattern(3)
    assert first == pattern(3)
    assert {200, 503} == set(first)


def test_latency_is_added_and_knobs_clear(fake, client):
    fake.faults.latency.next(1)
    fake.faults.latency_seconds = 0.01
    assert client.get("/value").status_code == 200
    fake.faults.server_error.sometimes(1.0)
    fake.faults.clear()
    assert client.get("/value").status_code == 200


def test_stop_leaves_no_thread_behind():
    before = set(threading.enumerate())
    server = CounterFake().start()
    with httpx.Client(base_url=server.base_url) as http:
        http.get("/value")  # keep-alive connection still open while stopping
        server.faults.hang_seconds = 30
        server.faults.hang_before_commit.next(1)
        outcome: list[BaseException] = []

        def hanging_get() -> None:
            try:
                http.get("/value")
            except httpx.TransportError as exc:
                outcome.append(exc)

        waiter = threading.Thread(target=hanging_get)
        waiter.start()
        while server.count() < 2:
            threading.Event().wait(0.01)
        server.stop()
        waiter.join(timeout=5)
    assert not waiter.is_alive()
    assert len(outcome) == 1
    assert set(threading.enumerate()) <= before
