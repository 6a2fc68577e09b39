"""The ``appwright`` command: run the platform, migrate, manage users, export the API schema."""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from appwright.core.config import Settings

app = typer.Typer(help="appwright: build full-stack web apps by chatting with an AI agent.")
console = Console(stderr=True)


def _settings(
    host: str | None = None, port: int | None = None, data_dir: Path | None = None
) -> Settings:
    overrides: dict[str, object] = {}
    if host is not None:
        overrides["host"] = host
    if port is not None:
        overrides["port"] = port
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValueError as exc:
        console.print(f"[red]Configuration error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _migrate(settings: Settings) -> None:
    from appwright.migrations import upgrade_sync

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade_sync(settings.resolved_database_url)


@app.command()
def migrate(
    data_dir: Annotated[Path | None, typer.Option(help="Data directory")] = None,
) -> None:
    """Apply database migrations."""
    settings = _settings(data_dir=data_dir)
    with console.status("Applying migrations…"):
        _migrate(settings)
    console.print("[green]Database is up to date.[/green]")


@app.command()
def run(
    host: Annotated[str | None, typer.Option(help="Address to bind (APPWRIGHT_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (APPWRIGHT_PORT)")] = None,
    data_dir: Annotated[Path | None, typer.Option(help="Data dir (APPWRIGHT_DATA_DIR)")] = None,
) -> None:
    """Migrate, then serve the UI, the API and previews."""
    import uvloop

    from appwright.core.logging import configure_logging
    from appwright.server import serve

    settings = _settings(host, port, data_dir)
    configure_logging(settings.log_level)
    _migrate(settings)
    console.print(f"appwright is serving at [bold]{settings.base_url}[/bold]")
    uvloop.run(serve(settings))


@app.command("create-user")
def create_user(
    email: Annotated[str, typer.Argument(help="Email address")],
    name: Annotated[str, typer.Option(help="Display name")] = "",
    password: Annotated[
        str | None,
        typer.Option(
            help="Password (asked for when omitted)", envvar="APPWRIGHT_NEW_USER_PASSWORD"
        ),
    ] = None,
    tier: Annotated[str, typer.Option(help="Plan: free, pro or enterprise")] = "free",
    verified: Annotated[bool, typer.Option(help="Mark the email as verified")] = True,
) -> None:
    """Create an account from the command line (for administrators)."""
    from appwright.users.admin import create_account

    settings = _settings()
    _migrate(settings)
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user_id = asyncio.run(
            create_account(
                settings,
                email=email,
                name=name or email,
                password=password,
                tier=tier,
                verified=verified,
            )
        )
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    console.print(f"[green]Created {email}[/green] ({user_id})")


@app.command()
def openapi(
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of stdout")] = None,
) -> None:
    """Print the OpenAPI schema (the web client is generated from it)."""
    from appwright.app import create_app

    os.environ.setdefault(
        "APPWRIGHT_DATA_DIR", str(Path(tempfile.gettempdir()) / "appwright-openapi")
    )
    schema = json.dumps(create_app(_settings()).openapi(), indent=2, sort_keys=True) + "\n"
    if out is None:
        typer.echo(schema, nl=False)
    else:
        out.write_text(schema)


@app.command("fake-llm")
def fake_llm(
    host: Annotated[str, typer.Option(help="Address to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8788,
    scenarios: Annotated[Path | None, typer.Option(help="Scenario directory")] = None,
) -> None:
    """Serve the fake Anthropic/OpenAI model (scenarios chosen by tc=<name> in prompts)."""
    from testing.fake_llm import run as run_fake_llm

    console.print(
        f"fake LLM at http://{host}:{port} (Anthropic) and http://{host}:{port}/v1 (OpenAI)"
    )
    run_fake_llm(host, port, scenarios)


if __name__ == "__main__":
    app()
