"""Seed the conformance cloud through its public APIs.

Usage (the settings come as JSON on stdin, so passwords stay out of argv):
  python bootstrap.py identity   after `keystone-manage bootstrap`:
        project `demo`, user `demo` (role `member` on it), and the catalog
        entries for compute, placement and image.
  python bootstrap.py compute    once Nova and Glance answer:
        the flavors and images mock-cloud seeds (same ids and names).

stdin: {"auth_url", "admin_password", "demo_password", "compute",
            "placement", "image"}. Every call is checked; any failure exits
non-zero with the response text.
"""

import json
import sys

from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3

# The same seed as mock-cloud (crates/mock-cloud/src/nova/resources/config.rs).
FLAVORS = [
    ("1", "m1.tiny", 1, 512, 1, {}, None),
    ("2", "m1.small", 1, 2048, 20, {}, None),
    ("3", "m1.medium", 2, 4096, 40, {}, None),
    ("4", "m1.large", 4, 8192, 80, {}, None),
    ("5", "m1.xlarge", 8, 16384, 160, {}, None),
    ("6", "m1.tiny.specs", 1, 512, 1, {"hw:numa_nodes": "1"}, None),
    ("7", "m1.small.description", 1, 2048, 20,
     {"hw:cpu_policy": "shared", "hw:numa_nodes": "1"}, "test description"),
]
IMAGES = [
    ("70a599e0-31e7-49b7-b260-868f441e862b", "cirros-0.6.2"),
    ("155d900f-4e14-4e4c-a73d-069cbf4541e6", "ubuntu-24.04"),
]


def admin_session(urls):
    auth = v3.Password(
        auth_url=urls["auth_url"], username="admin", password=urls["admin_password"],
        user_domain_name="Default", project_name="admin", project_domain_name="Default")
    return ks_session.Session(auth=auth)


def call(sess, method, url, expect, **kwargs):
    response = sess.request(url, method, raise_exc=False, **kwargs)
    if response.status_code not in expect:
        sys.exit("bootstrap: %s %s -> %s %s" % (method, url, response.status_code, response.text))
    return response.json() if response.content else None


def identity(urls):
    sess = admin_session(urls)
    base = urls["auth_url"].rstrip("/")
    domain = "default"
    project = call(sess, "POST", base + "/projects", [201], json={
        "project": {"name": "demo", "domain_id": domain, "description": "conformance"}})["project"]
    user = call(sess, "POST", base + "/users", [201], json={
        "user": {"name": "demo", "domain_id": domain, "password": urls["demo_password"],
                 "default_project_id": project["id"]}})["user"]
    roles = call(sess, "GET", base + "/roles?name=member", [200])["roles"]
    if not roles:
        sys.exit("bootstrap: keystone-manage bootstrap made no `member` role")
    call(sess, "PUT", "%s/projects/%s/users/%s/roles/%s" % (base, project["id"], user["id"],
                                                             roles[0]["id"]), [204])
    for service_type, name, url in (("compute", "nova", urls["compute"]),
                                    ("placement", "placement", urls["placement"]),
                                    ("image", "glance", urls["image"])):
        service = call(sess, "POST", base + "/services", [201], json={
            "service": {"type": service_type, "name": name, "enabled": True}})["service"]
        for interface in ("public", "internal", "admin"):
            call(sess, "POST", base + "/endpoints", [201], json={
                "endpoint": {"service_id": service["id"], "interface": interface,
                             "region_id": "RegionOne", "url": url, "enabled": True}})
    print("bootstrap: project demo, user demo (member), catalog: compute, placement, image")


def compute(urls):
    sess = admin_session(urls)
    nova = urls["compute"].rstrip("/")
    headers = {"OpenStack-API-Version": "compute 2.55"}
    for flavor_id, name, vcpus, ram, disk, specs, description in FLAVORS:
        body = {"flavor": {"id": flavor_id, "name": name, "vcpus": vcpus, "ram": ram,
                           "disk": disk, "description": description}}
        call(sess, "POST", nova + "/flavors", [200], json=body, headers=headers)
        if specs:
            call(sess, "POST", "%s/flavors/%s/os-extra_specs" % (nova, flavor_id), [200],
                 json={"extra_specs": specs})
    glance = urls["image"].rstrip("/")
    for image_id, name in IMAGES:
        call(sess, "POST", glance + "/v2/images", [201], json={
            "id": image_id, "name": name, "disk_format": "raw", "container_format": "bare",
            "visibility": "public"})
        call(sess, "PUT", "%s/v2/images/%s/file" % (glance, image_id), [204],
             data=b"\0" * 1024, headers={"Content-Type": "application/octet-stream"})
    print("bootstrap: %d flavors, %d images" % (len(FLAVORS), len(IMAGES)))


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in ("identity", "compute"):
        sys.exit(__doc__)
    urls = json.load(sys.stdin)
    {"identity": identity, "compute": compute}[sys.argv[1]](urls)


if __name__ == "__main__":
    main()
