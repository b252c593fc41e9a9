import os
import subprocess
import sys


def run_django(env_overrides, *args):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update({"CXAUDIT_ENV_FILE": "/nonexistent", **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_without_secret_key_refuses_to_start():
    result = run_django({"DEBUG": "false"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set and DEBUG is off" in result.stderr


def test_check_deploy_has_no_warnings_with_production_settings():
    result = run_django(
        {
            "DEBUG": "false",
            "SECRET_KEY": "x7!k2pQ9zR4vW8yB3nM6cF1hJ5tL0sD-aE_gU+iO*pY#wX@qZ&",
            "ALLOWED_HOSTS": "audit.example.com",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def prepare_threshold(**env) -> str:
    code = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    result = run_django(
        {"DEBUG": "true", "DATABASE_URL": "postgres://u@127.0.0.1:5432/cx", **env},
        "shell",
        "-c",
        code,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_postgresql_prepares_the_hot_statements_unless_told_not_to():
    assert "'prepare_threshold': 5" in prepare_threshold()
    assert "'prepare_threshold': None" in prepare_threshold(DATABASE_PREPARED_STATEMENTS="false")
