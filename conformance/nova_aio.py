"""Nova in one Python process: API, conductor, scheduler and two computes.

Usage: python nova_aio.py --config-dir DIR --port PORT --ready-file FILE

DIR holds ``nova.conf`` and the stock ``api-paste.ini``. Because every
service lives in this one process, the in-memory ``fake://`` messaging
transport carries their RPC and no broker is needed. The compute driver is
Nova's fake driver; networking is Nova's own ``NeutronFixture`` (from the
installed package) with its network shared, so ``networks: auto`` and
``networks: none`` both work. The API is the stock paste pipeline (with
keystonemiddleware) served by a threading WSGI server on 127.0.0.1.

Start-up order: config, databases (API, cell0, cell1), conductor, scheduler,
host mappings, two computes (``conformance`` and ``conformance-2``, each
registering its resource provider in Placement), then the API. The ready file is written only once the API listens, so a
ready file means a boot can succeed.
"""

import argparse
import os
import sys
import time

os.environ.setdefault("OS_NOVA_DISABLE_EVENTLET_PATCHING", "1")

from nova import monkey_patch  # noqa: E402

monkey_patch.patch(backend="threading")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import parent_watch  # noqa: E402
import request_log  # noqa: E402
import sqlite_immediate  # noqa: E402

sqlite_immediate.install()

import socketserver  # noqa: E402
from wsgiref import simple_server  # noqa: E402

import fixtures  # noqa: E402
from oslo_config import cfg  # noqa: E402

CONF = cfg.CONF

# Two compute hosts, so that cold and live migrations have somewhere to go.
# The first is nova.conf's `host`; every compute runs the configured fake
# driver with its host name as its one node.
COMPUTE_HOSTS = ("conformance", "conformance-2")


def log(message):
    print("nova-aio: %s" % message, flush=True)


class _FixtureHost:
    """What NeutronFixture expects of a test case: flags() and stub_out()."""

    def __init__(self):
        self._patches = []

    def flags(self, group=None, **overrides):
        for name, value in overrides.items():
            CONF.set_override(name, value, group)

    def stub_out(self, old, new):
        patch = fixtures.MonkeyPatch(old, new)
        patch.setUp()
        self._patches.append(patch)


def setup_databases(cell0_connection):
    from nova.cmd import manage

    started = time.monotonic()
    if manage.ApiDbCommands().sync() not in (None, 0):
        raise RuntimeError("nova api_db sync failed")
    if manage.CellV2Commands().map_cell0(database_connection=cell0_connection) not in (None, 0):
        raise RuntimeError("nova cell_v2 map_cell0 failed")
    if manage.DbCommands().sync() not in (None, 0):
        raise RuntimeError("nova db sync failed")
    result = manage.CellV2Commands().create_cell(name="cell1")
    if result not in (None, 0):
        raise RuntimeError("nova cell_v2 create_cell failed (%s)" % result)
    log("databases ready in %.1fs" % (time.monotonic() - started))


def setup_network():
    from nova.tests.fixtures import neutron as neutron_fixtures

    fixture = neutron_fixtures.NeutronFixture(_FixtureHost())
    # Shared, so that every project (not only the fixture's fake one) can use
    # it, which is what `networks: auto` looks for first.
    network = dict(fixture.network_1, shared=True)
    fixture._networks = {network["id"]: network}
    fixture.setUp()
    return fixture


def start_services():
    from nova.compute import rpcapi as compute_rpcapi
    from nova import context
    from nova import objects
    from nova import service

    services = []
    started = time.monotonic()
    for binary in ("nova-conductor", "nova-scheduler"):
        svc = service.Service.create(binary=binary)
        svc.start()
        services.append(svc)
    ctxt = context.get_admin_context()
    cell1 = [c for c in objects.CellMappingList.get_all(ctxt) if c.name == "cell1"][0]
    for host in COMPUTE_HOSTS:
        objects.HostMapping(context=ctxt, host=host, cell_mapping=cell1).create()
        # As Nova's functional tests start a second compute (test.start_service):
        # CONF.host names the host while its service is created and started.
        CONF.set_override("host", host)
        try:
            compute = service.Service.create(
                binary="nova-compute",
                host=host,
                topic=compute_rpcapi.RPC_TOPIC,
                topic_alt=compute_rpcapi.RPC_TOPIC_ALT,
            )
            compute.start()
        finally:
            CONF.clear_override("host")
        services.append(compute)
    # What `nova-manage cell_v2 discover_hosts` does: mark the node mapped.
    objects.host_mapping.discover_hosts(ctxt)
    log(
        "conductor, scheduler and %d computes started in %.1fs"
        % (len(COMPUTE_HOSTS), time.monotonic() - started)
    )
    return services


class ThreadingWSGIServer(socketserver.ThreadingMixIn, simple_server.WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, format, *args):
        sys.stderr.write("nova-aio api: %s\n" % (format % args))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config-dir", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ready-file", required=True)
    parser.add_argument("--cell0-connection", required=True)
    parser.add_argument("--routes-file", required=True)
    parser.add_argument("--request-log", required=True)
    args = parser.parse_args()

    parent_watch.start()
    begun = time.monotonic()
    os.environ["OS_NOVA_CONFIG_DIR"] = args.config_dir
    sys.argv = [sys.argv[0]]

    from nova.api.openstack import wsgi_app

    conf_files = wsgi_app._get_config_files()
    wsgi_app.init_global_data(conf_files, "osapi_compute", "nova-api-os-compute")

    setup_databases(args.cell0_connection)
    network = setup_network()
    services = start_services()

    request_log.write_routes(args.routes_file)
    application = request_log.RequestLog(
        wsgi_app.init_application("osapi_compute", "nova-api-os-compute"),
        args.request_log,
    )
    server = ThreadingWSGIServer(("127.0.0.1", args.port), QuietHandler)
    server.set_app(application)
    url = "http://127.0.0.1:%d" % server.server_address[1]
    with open(args.ready_file + ".tmp", "w") as ready:
        ready.write(url + "\n")
    os.replace(args.ready_file + ".tmp", args.ready_file)
    log("API listening on %s (ready after %.1fs)" % (url, time.monotonic() - begun))
    try:
        server.serve_forever()
    finally:
        for svc in reversed(services):
            svc.kill()
        del network


if __name__ == "__main__":
    try:
        main()
    except BaseException:
        import traceback

        traceback.print_exc()
        sys.stderr.flush()
        # Daemon threads (RPC servers, the parent watcher) must not keep a
        # failed start alive or hang the interpreter's shutdown.
        os._exit(1)
