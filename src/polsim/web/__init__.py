"""The dashboard served by ``polsim serve``: run scenarios, watch them, browse reports.

The web stack (FastAPI, Uvicorn, Jinja2, python-multipart) is the optional extra
``polsim[web]``; it is imported only when the dashboard starts, and a missing extra is
one line telling the user what to install. See ``docs/dashboard.md``.
"""

from __future__ import annotations

from pathlib import Path

from polsim.errors import UserInputError
from polsim.output.paths import check_output_path

__all__ = ["serve"]


def serve(
    runs_dir: str | Path = "runs",
    host: str = "127.0.0.1",
    port: int = 8000,
    max_voters: int = 200_000,
    workers: int = 1,
) -> None:
    """Serve the dashboard on ``host:port`` (loopback by default) until interrupted."""
    try:
        import uvicorn

        from polsim.web.app import Settings, create_app
        from polsim.web.forms import Limits
    except ImportError as error:
        raise UserInputError(
            f"the dashboard needs the web extra ({error.name} is missing); "
            "install it with: pip install 'polsim[web]'"
        ) from None
    if not 1 <= port <= 65535:
        raise UserInputError(f"--port must be between 1 and 65535; got {port}")
    if max_voters < 1:
        raise UserInputError(f"--max-voters must be at least 1; got {max_voters}")
    if not 1 <= workers <= 8:
        raise UserInputError(f"--workers must be between 1 and 8; got {workers}")
    root = check_output_path(runs_dir, "--runs-dir", kind="folder")
    settings = Settings(runs_root=root, limits=Limits(max_voters=max_voters), workers=workers)
    app = create_app(settings)
    print(f"polsim dashboard: http://{host}:{port}/  (runs in {root.resolve()})", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
