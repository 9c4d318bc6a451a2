"""Remote provider clients (Pod, Hesabfa, Hesabit, Sepidar, PayPing) over one httpx layer.

Layout: `http` (ClientConfig, HttpClient: retries, rate limits, redacted logs), `errors` (typed
failures the sync engine acts on), `ratelimit` (token buckets), `base` (the Provider interface,
frozen result types, exact money helpers), `http_provider` (the `HttpProvider` base every client
builds on: constructor, required secrets, the HTTP client, the status table), `registry` (name →
module, imported lazily), and per provider a client module and a `*_mapping` module (its JSON). Providers import only `posapp.domain`; settings and secrets reach them as
plain values through `posapp.settings.providers.build_provider`.
"""
