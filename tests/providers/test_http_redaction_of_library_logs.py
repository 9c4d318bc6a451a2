"""httpx's own request log never shows a token carried in the query string."""

from __future__ import annotations

import logging

import httpx

from posapp.providers.http import ClientConfig, HttpClient


def test_httpx_request_log_redacts_query_tokens(caplog):
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"ok": True})

    config = ClientConfig(base_url="https://api.example.test/v1/")
    with caplog.at_level(logging.DEBUG), HttpClient(config, provider="test",
                                                    transport=httpx.MockTransport(answer)) as client:
        client.request("GET", "invoices", operation="invoices.list",
                       params={"access_token": "s3cr3t-token", "limit": "10"},
                       parse=lambda response: response.json())
    library_records = [r for r in caplog.records if r.name.startswith(("httpx", "httpcore"))]
    assert library_records, "httpx should have logged the request"
    assert all("s3cr3t-token" not in r.getMessage() for r in caplog.records)
