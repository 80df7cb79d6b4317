import pytest

from cbkit.settings import SettingsError, load_settings


def test_development_defaults_to_the_local_postgres_and_rabbitmq():
    settings = load_settings("accounts", {}, default_port=4001)
    assert settings.database_url == "postgresql://postgres@127.0.0.1:5432/creditbank_accounts"
    assert settings.amqp_url == "amqp://guest:guest@127.0.0.1:5672/"
    assert settings.port == 4001
    assert settings.queue == "creditbank.accounts"


def test_production_names_the_missing_variable():
    with pytest.raises(SettingsError, match="CB_POSTGRES_URL is required"):
        load_settings("accounts", {"CB_ENV": "production"})


def test_production_refuses_a_placeholder_secret():
    env = {
        "CB_ENV": "production",
        "CB_POSTGRES_URL": "postgresql://db",
        "CB_AMQP_URL": "amqp://mq",
        "CB_JWKS_URL": "http://accounts/.well-known/jwks.json",
        "CB_ADMIN_PASSWORD": "admin-password-change-me",
    }
    settings = load_settings("accounts", env)
    with pytest.raises(SettingsError, match="CB_ADMIN_PASSWORD holds a placeholder"):
        settings.secret("CB_ADMIN_PASSWORD")


def test_a_malformed_port_is_refused_by_name():
    with pytest.raises(SettingsError, match="CB_OUTCOMES_PORT"):
        load_settings("outcomes", {"CB_OUTCOMES_PORT": "eighty"})


def test_a_periodic_jobs_interval_can_be_set_and_a_bad_one_is_refused_by_name():
    from cbkit.jobs import PeriodicJob

    async def nothing(conn) -> None:
        return None

    job = PeriodicJob("certification-overdue", 300.0, nothing)
    assert job.configured(load_settings("x", {})).interval_seconds == 300.0
    faster = job.configured(load_settings("x", {"CB_JOB_CERTIFICATION_OVERDUE_SECONDS": "15"}))
    assert faster.interval_seconds == 15.0
    for bad in ("soon", "0", "-3", "nan"):
        with pytest.raises(SettingsError, match="CB_JOB_CERTIFICATION_OVERDUE_SECONDS"):
            job.configured(load_settings("x", {"CB_JOB_CERTIFICATION_OVERDUE_SECONDS": bad}))
