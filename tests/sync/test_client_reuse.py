"""Provider clients live as long as their engine: a second sync cycle neither logs in to Sepidar
again nor fetches a new Pod one-time token, and a client whose credentials were refused is
built afresh next time."""

from __future__ import annotations

from posapp.services.sync.payments import pull_payments
from tests.sync import providers_under_test as put

CODES = tuple(code for code, _title, _fee in put.SEPIDAR_ITEMS)


def test_a_second_cycle_does_not_log_in_to_sepidar_again(make_shop):
    shop = make_shop("sepidar")
    fake = shop.fakes["sepidar"]
    engine = shop.engine()
    try:
        shop.sell(2, product_codes=CODES)
        assert engine.run_once().delivered == 2
        logins = fake.count("Login")
        assert logins == 1
        shop.sell(2, product_codes=CODES)
        assert engine.run_once().delivered == 2
        pull_payments(engine)
        assert fake.count("Login") == logins
    finally:
        engine.close()


def test_a_second_cycle_fetches_no_new_pod_one_time_token(make_shop):
    shop = make_shop("pod")
    fake = shop.fakes["pod"]
    engine = shop.engine()
    try:
        shop.sell(3)
        assert engine.run_once().delivered == 3
        tokens = fake.count("ott")
        assert tokens >= 1
        shop.sell(3)
        assert engine.run_once().delivered == 3
        assert fake.count("ott") == tokens
    finally:
        engine.close()


def test_closing_the_engine_closes_its_clients_and_a_new_cycle_builds_them_again(make_shop):
    shop = make_shop("sepidar")
    fake = shop.fakes["sepidar"]
    built = []
    closed = []

    def factory(name):
        client = put.client_for(name, fake)
        built.append(client)
        close = client.close

        def close_and_note():
            closed.append(client)
            close()
        client.close = close_and_note
        return client

    from posapp.services.sync.engine import SyncEngine
    from tests.sync.conftest import FAST_POLICY

    engine = SyncEngine(shop.services, factory, clock=shop.clock, policy=FAST_POLICY)
    shop.sell(1, product_codes=CODES)
    engine.run_once()
    shop.sell(1, product_codes=CODES)
    engine.run_once()
    assert len(built) == 1
    engine.close()
    assert closed == built
    shop.sell(1, product_codes=CODES)
    assert engine.run_once().delivered == 1
    assert len(built) == 2
    engine.close()


def test_a_refused_token_drops_the_clients_so_the_next_cycle_uses_new_credentials(make_shop):
    """The shop fixes Pod's token in the keyring: the engine's next cycle builds its client again
    instead of keeping the refused one."""
    shop = make_shop("pod")
    fake = shop.fakes["pod"]
    tokens = iter(["not-our-token", put.fake_spec("pod", fake)["token"]])

    def factory(name):
        return put.pod_client(fake, token=next(tokens))

    from posapp.services.sync.engine import SyncEngine
    from tests.sync.conftest import FAST_POLICY

    engine = SyncEngine(shop.services, factory, clock=shop.clock, policy=FAST_POLICY)
    shop.sell(1)
    assert engine.run_once().provider_errors
    shop.clock.advance(3600)
    assert engine.run_once().delivered == 1
    engine.close()
