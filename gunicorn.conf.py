"""gunicorn's settings for Agora: `gunicorn wsgi:app` run from this folder reads them. The environment may change
the address and the number of workers and threads."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
# A request waiting on the database holds one thread, not a whole worker: one stuck class does not stall the others.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# The app is imported once by the master: a worker that crashes is replaced in milliseconds, not seconds.
preload_app = True
timeout = 30
graceful_timeout = 20
keepalive = 5
accesslog = None  # the app writes one line per request itself, without what a form carried
# The control socket's default path is one per user: two servers on a machine (a test run, a benchmark) would share it.
control_socket_disable = True


def on_starting(server) -> None:
    """Several processes count sign-in attempts apart unless they share Redis: refuse that in production."""
    production = os.environ.get("AGORA_CONFIG") == "production"
    if production and server.cfg.workers > 1 and not os.environ.get("REDIS_URL"):
        raise SystemExit("Several workers need REDIS_URL, or each counts sign-in attempts alone; "
                         "set REDIS_URL or GUNICORN_WORKERS=1.")


def post_fork(server, worker) -> None:
    """Connections the master may have opened while loading the app are not shared with the forked workers."""
    from app.extensions import db
    from wsgi import app

    with app.app_context():
        db.engine.dispose(close=False)
