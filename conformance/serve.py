"""Run one WSGI service (Keystone, Placement or Glance) under gunicorn.

Usage: python serve.py <gunicorn arguments...>

Installs the SQLite locking policy and the parent watcher first, lets
gunicorn parse the arguments, then empties ``sys.argv`` before the worker
imports the application: the services parse ``sys.argv`` with oslo.config
and would reject gunicorn's options. The control socket is always disabled
(several gunicorns run side by side).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import parent_watch  # noqa: E402
import sqlite_immediate  # noqa: E402


def main():
    sqlite_immediate.install()
    parent_watch.start()
    from gunicorn.app.wsgiapp import WSGIApplication

    sys.argv = ["gunicorn", "--no-control-socket"] + sys.argv[1:]
    application = WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]", prog="gunicorn")
    sys.argv = sys.argv[:1]
    return application.run()


if __name__ == "__main__":
    sys.exit(main())
