"""`matrix-desktop FILE.mdx.json`: what Explorer's "Open with" (the installer's association)
runs; the desktop app starts and previews the import, rather than the CLI refusing it."""

from __future__ import annotations

import matrix_desktop.app
from matrix_desktop.__main__ import _has_command, main


def test_an_exchange_file_starts_the_gui_with_it(monkeypatch, tmp_path):
    exchange = tmp_path / "Zoë's export.mdx.json"
    exchange.write_text("{}", encoding="utf-8")
    seen = {}
    monkeypatch.setattr(
        matrix_desktop.app,
        "run_gui",
        lambda database, **kw: seen.update(kw, database=database) or 0,
    )
    assert main([str(exchange)]) == 0
    assert seen["import_files"] == [str(exchange)] and seen["read_only"] is False


def test_commands_and_missing_files_still_go_to_the_cli(tmp_path):
    assert _has_command(["import", str(tmp_path)])
    assert _has_command([str(tmp_path / "missing.mdx.json")])  # the CLI says what is wrong
    assert not _has_command(["--database", str(tmp_path / "x.json")])
