"""Remote provider clients (Pod, Hesabfa, Hesabit, Sepidar, PayPing) over one httpx layer.

Layout: `http` (ClientConfig, HttpClient: retries, rate limits, redacted logs), `errors` (typed
failures the sync engine acts on), `ratelimit` (token buckets), `base` (the Provider interface,
frozen result types, exact money helpers), `registry` (name → module, imported lazily) and one
module per provider. Providers import only `posapp.domain`; settings and secrets reach them as
plain values through `posapp.settings.providers.build_provider`.
"""
