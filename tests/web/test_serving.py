"""Serving the app: `okrboard serve` refuses to start without a secret key, and gunicorn runs the factory."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from click.testing import CliRunner
from cryptography.fernet import Fernet

from addon.cli import main


def test_serve_without_a_secret_key_says_which_setting_is_missing(cli_env):
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 1 and "OKRBOARD_SECRET_KEY is not set" in result.output


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_serves_the_app_factory_after_db_upgrade(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OKRBOARD_", "MIRO_"))}
    env |= {
        "OKRBOARD_SECRET_KEY": "k" * 32,
        "OKRBOARD_TOKEN_KEYS": Fernet.generate_key().decode(),
        "OKRBOARD_DATABASE_URL": f"sqlite:///{tmp_path / 'g.sqlite3'}",
    }
    # Migrations run once before the workers start (two workers migrating one new database would race).
    okrboard = Path(sys.executable).with_name("okrboard")
    subprocess.run([str(okrboard), "db", "upgrade"], env=env, cwd=tmp_path, check=True, capture_output=True)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "--workers", "2", "--bind", f"127.0.0.1:{port}", "addon:create_app()"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            raise AssertionError(process.stderr.read1().decode() if process.poll() is not None else "no answer")
        assert answer.status_code == 200 and answer.json() == {"status": "ok"}
        assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    finally:
        process.terminate()
        process.wait(10)


def test_keys_rotate_re_encrypts_stored_tokens_from_the_command_line(cli_env, monkeypatch):
    from addon.adapters.store import Store
    from addon.adapters.token_store import TokenCipher, TokenStore
    from addon.config import load_settings

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    store = Store.open(load_settings().store_url)
    TokenStore(store.engine, TokenCipher([old])).save("team", "user", {"access_token": "a", "refresh_token": "r"})
    monkeypatch.setenv("OKRBOARD_TOKEN_KEYS", f"{new},{old}")
    result = CliRunner().invoke(main, ["keys", "rotate"])
    assert result.exit_code == 0 and "Re-encrypted 1 stored Miro connection(s)" in result.output
    assert TokenStore(store.engine, TokenCipher([new])).get("team", "user").access_token == "a"
    store.close()


def test_keys_rotate_without_keys_says_how_to_make_one(cli_env):
    result = CliRunner().invoke(main, ["keys", "rotate"])
    assert result.exit_code == 1 and "OKRBOARD_TOKEN_KEYS is not set" in result.output
