"""Offline-first sync: drain the outbox to every provider exactly once, and pull payments and the
catalogue back.

Qt-free. The database holds all state (see `posapp.storage.outbox`), so the engine can be
stopped, killed or restarted at any moment and carries on where it was. The sync model itself
(operations, states, keys, scopes, received amounts) is `posapp.domain.sync`.

The package, along its seams: `engine` claims and drains (`SyncEngine`, `build_engine`);
`delivery` sends one row, one method per operation; `leases` keeps the rows' leases and fences
each request; `clients` keeps the provider clients alive across cycles; `payments` and
`catalogue` are the pulls; `queue` holds the cashier's commands (retry, skip, status, problems,
an invoice's state); `worker` runs it all on a background thread; `policy`, `results` and
`texts` are what they say.

Exactly once. Every create carries the provider's idempotency key (Pod billNumber, Hesabfa
reference, Hesabit and PayPing invoice number, Sepidar GUID derived from the number). When an earlier
attempt's outcome is unknown (a timeout, a connection dropped after the provider committed, a
worker killed mid-send) the engine looks the invoice up by that key before sending again, and a
"duplicate" answer is settled by the same lookup. A payment goes as a receipt to the providers
that keep them (Hesabfa, Sepidar) under a key of its own (Sepidar's receipt GUID); Hesabfa's
receipts carry none, so before a resend the engine reads what Hesabfa holds as received.

Several workers. The app's worker and any number of `posapp sync --once` runs may share one
database. A worker holds only the rows its lanes and the provider's rate limit can send within a
lease, a heartbeat renews their leases, and every request is fenced on the row's attempts number
(its fencing token): a worker whose row was taken over sends nothing more, one whose lease
lapsed starts the row again asking the provider first. Rate-limit buckets live in the database
(`posapp.services.shared_rate`), so overlapping processes share a provider's budget. docs/sync.md
states the guarantee exactly.

Corrections follow each provider's documents, told apart by capabilities, never by provider
class: a provider without returns (`Capability.REISSUE_INVOICE`, Pod) has its copy of a sale
follow the sale less its standing returns (an unpaid copy is cancelled and issued anew, a paid
one reduced); one with returns (`PUSH_RETURN`, Hesabfa) gets return invoices, and a sale it holds
receipts for is reversed by a full return, never deleted. One amount-mismatch policy
(`Provider.expected_payable`) covers every document created, corrections' copies included.
A refusal or a row tried `SyncPolicy.max_tries` times fails for the cashier.

Order. Per provider, an invoice's rows go out in outbox order and a row waits until every earlier
row of the same invoice (or of the original it corrects) is delivered or skipped, so a sale
reaches a provider before its payments, cancellation or return, and a rejected sale holds them
back.

Threading. `SyncEngine.run_once()` blocks its caller: run it from `SyncWorker` (a plain thread)
or the CLI, never from the GUI thread. Inside, each provider drains on its own thread with up to
`SyncPolicy.lanes` requests in flight; each lane has its own provider client.
"""
