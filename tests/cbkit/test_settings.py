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


def test_today_follows_the_calendar_country_or_the_configured_zone():
    assert str(load_settings("x", {}).time_zone) == "Asia/Shanghai"
    assert str(load_settings("x", {"CB_CALENDAR_COUNTRY": "DE"}).time_zone) == "Europe/Berlin"
    chosen = {"CB_CALENDAR_COUNTRY": "DE", "CB_TIME_ZONE": "Europe/Vienna"}
    assert str(load_settings("x", chosen).time_zone) == "Europe/Vienna"
    with pytest.raises(SettingsError, match="CB_TIME_ZONE is required for CB_CALENDAR_COUNTRY=BR"):
        load_settings("x", {"CB_CALENDAR_COUNTRY": "BR"})
    with pytest.raises(SettingsError, match="CB_TIME_ZONE 'Mars/Olympus' is not a known"):
        load_settings("x", {"CB_TIME_ZONE": "Mars/Olympus"})
    with pytest.raises(SettingsError, match="CB_CALENDAR_COUNTRY must be a country code"):
        load_settings("x", {"CB_CALENDAR_COUNTRY": "china"})


def test_numbers_are_read_typed_and_refused_by_name():
    settings = load_settings("x", {"CB_A": "7", "CB_B": "0.5", "CB_C": "0", "CB_D": "abc"})
    assert settings.positive_int("CB_A", 1) == 7
    assert settings.positive_int("CB_UNSET", 15) == 15
    assert settings.positive_seconds("CB_B", 1.0) == 0.5
    for name in ("CB_C", "CB_D"):
        with pytest.raises(SettingsError, match=f"{name} must be a positive whole number"):
            settings.positive_int(name, 1)
        with pytest.raises(SettingsError, match=f"{name} must be a positive number of seconds"):
            settings.positive_seconds(name, 1.0)
