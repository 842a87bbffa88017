"""Which of Nova's API routes the conformance cloud was asked for.

Two files, both tab-separated text, one record a line, written by
``nova_aio.py`` and read by ``xtask/src/conformance/coverage.rs``:

``routes.tsv`` (written once at start): ``METHOD<TAB>ROUTE`` for every route
of the installed ``nova.api.openstack.compute.routes.ROUTE_LIST`` (the plain
redirect ``''`` -> ``'/'`` left out), e.g. ``GET	/servers/{id}``.

``requests.tsv`` (appended per request, flushed at once):
``METHOD<TAB>ROUTE<TAB>STATUS<TAB>USER_AGENT<TAB>PATH`` where ROUTE is the
``ROUTE_LIST`` path the router matched (its ``/{project_id}`` prefix dropped)
or ``-`` when the request never reached the router (version documents, 401s,
unknown paths); STATUS is the HTTP status code; USER_AGENT is the client's
header (``-`` if absent) and PATH the request path without its query. Tabs
and control characters in USER_AGENT and PATH become ``?``. Another client
run (the differential CLI check) can append lines of the same form to a log
of its own.
"""

import re
import threading

_PROJECT_PREFIX = re.compile(r"^/\{project_id[^}]*\}")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def write_routes(path):
    """Writes routes.tsv from the installed Nova's ROUTE_LIST."""
    from nova.api.openstack.compute import routes

    with open(path, "w") as out:
        for route, methods in routes.ROUTE_LIST:
            if isinstance(methods, str):
                continue
            for method in methods:
                out.write("%s\t%s\n" % (method, route))


def _field(text):
    return _UNSAFE.sub("?", text) or "-"


class RequestLog:
    """WSGI middleware: one requests.tsv line per request, at start_response."""

    def __init__(self, application, path):
        self._application = application
        self._out = open(path, "a", buffering=1)
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        def logging_start_response(status, headers, exc_info=None):
            route = environ.get("routes.route")
            routepath = "-"
            if route is not None and getattr(route, "routepath", None) is not None:
                routepath = _PROJECT_PREFIX.sub("", route.routepath) or "/"
            line = "\t".join(
                (
                    environ.get("REQUEST_METHOD", "-"),
                    routepath,
                    status.split(" ", 1)[0],
                    _field(environ.get("HTTP_USER_AGENT", "")),
                    _field(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")),
                )
            )
            with self._lock:
                self._out.write(line + "\n")
            return start_response(status, headers, exc_info)

        return self._application(environ, logging_start_response)
