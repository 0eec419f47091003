"""The REST API over a real socket, one test per T-IA Connect group, as a script or CI pipeline would call it."""
import base64
import csv
import io
import json
import os
import pathlib
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

KEY = "e2e-key"
REFERENCE = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "t-ia-connect-endpoints.tsv"
GROUPS = {
    "Health & Status", "TIA Portal Management", "Project Operations", "Devices", "Blocks", "Tags & Constants",
    "Data Types (UDT)", "History & Snapshots", "Async Jobs", "System API", "Discovery", "Diagnostics",
}


class API:
    def __init__(self, base):
        self.base = base

    def call(self, method, path, body=None, query=None, key=KEY):
        url = self.base + urllib.parse.quote(path) + ("?" + urllib.parse.urlencode(query) if query else "")
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"}
        if key:
            headers["X-API-Key"] = key
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                raw = response.read()
                kind = response.headers.get("Content-Type", "")
                return response.status, (json.loads(raw) if "json" in kind else raw.decode())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def ok(self, method, path, body=None, query=None, status=200):
        code, answer = self.call(method, path, body, query)
        assert code == status, f"{method} {path}: {code} {answer}"
        return answer

    def finished(self, method, path, body=None, query=None):
        accepted = self.ok(method, path, body, query, status=202)
        for _ in range(600):
            job = self.ok("GET", f"/api/jobs/{accepted['jobId']}")
            if job["status"] in ("succeeded", "failed"):
                return job
            time.sleep(0.05)
        raise AssertionError(f"job {accepted} did not finish")

    def job(self, method, path, body=None, query=None):
        job = self.finished(method, path, body, query)
        assert job["status"] == "succeeded", job
        return job["result"]


@pytest.fixture()
def api(s7wb, sample_project, tmp_path):
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    process = subprocess.Popen(
        [s7wb, "serve", sample_project, "--port", "0", "--api-key", KEY, "--files-root", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    line = process.stdout.readline()
    match = re.search(r"at (http://127\.0\.0\.1:\d+)/api", line)
    assert match, f"unexpected first line: {line!r}"
    client = API(match.group(1))
    client.root = pathlib.Path(sample_project)
    client.tmp = tmp_path
    yield client
    process.terminate()
    process.wait(timeout=15)


def test_health_and_status(api):
    assert api.call("GET", "/api/health/ping", key=None)[0] == 200
    code, problem = api.call("GET", "/api/health", key=None)
    assert code == 401 and problem["status"] == 401 and problem["title"]
    assert api.ok("GET", "/api/health")["projectOpen"] is True
    assert api.ok("GET", "/api/instance/status")["projectName"] == "bottling-line"


def test_tia_portal_management(api):
    instances = api.ok("GET", "/api/instances")
    me = instances["instances"][0] if "instances" in instances else instances
    assert api.ok("GET", "/api/instance/diagnostics")
    assert api.call("POST", "/api/instance/actions/attach", {"pid": 999999999})[0] == 404
    assert api.ok("POST", "/api/tia/firewall/whitelist")["required"] is False
    assert me


def test_project_operations(api):
    api.ok("POST", "/api/projects/actions/create-sync", {"projectName": "Fresh"})
    assert (api.tmp / "Fresh" / "s7project.json").is_file()
    assert [p["name"] for p in api.ok("GET", "/api/projects")["projects"]] == ["bottling-line", "Fresh"]
    api.ok("POST", "/api/projects/actions/close-sync")
    archived = api.job("POST", "/api/projects/actions/archive", {"archivePath": str(api.tmp / "line.zap")})
    assert archived["files"] > 10 and (api.tmp / "line.zap").is_file()
    restored = api.ok(
        "POST", "/api/projects/actions/create-from-archive-sync",
        {"archivePath": str(api.tmp / "line.zap"), "targetPath": str(api.tmp / "copy")},
    )
    assert restored["project"]["name"] == "bottling-line"
    assert (api.tmp / "copy" / "PLC_1" / "Program blocks" / "Main.scl").is_file()
    history = api.ok("GET", "/api/projects/history")["projects"]
    assert history[0]["path"].endswith("/copy")
    refused = api.finished("POST", "/api/projects/actions/open", {"projectPath": "/etc"})
    assert refused["status"] == "failed" and refused["error"].startswith("403"), refused
    assert api.ok("GET", "/api/projects/infrastructure")["subnets"][0]["subnetMask"] == "255.255.255.0"


def test_history_snapshots_and_jobs(api):
    snapshot = api.ok("POST", "/api/history/tags/PLC_1/HMI/actions/snapshot", {"reason": "e2e"})
    listed = api.ok("GET", "/api/history/tags/PLC_1/HMI")["snapshots"]
    assert listed[0]["id"] == snapshot["id"]
    content = api.ok("GET", f"/api/history/snapshots/{snapshot['id']}/content")
    assert "<Name>HMI</Name>" in content["content"]
    restored = api.ok("POST", f"/api/history/snapshots/{snapshot['id']}/actions/restore-sync")
    assert restored["objectPath"] == "PLC_1/PLC tags/HMI.xml"
    assert api.ok("POST", "/api/history/actions/cleanup", {"keepPerObject": 1})["remaining"] >= 1
    saved = api.job("POST", "/api/projects/actions/save")
    assert saved["writtenFiles"] == []
    direct = api.ok("POST", "/api/jobs/execute-sync", {"method": "GET", "path": "/api/devices/PLC_1/udts"})
    assert direct["status"] == "succeeded" and direct["result"]["count"] == 3


def test_system_api_and_discovery(api):
    commands = api.ok("GET", "/api/command/list")
    served = {(c["method"], c["path"]) for c in commands["commands"]}
    missing = []
    for line in REFERENCE.read_text().splitlines()[1:]:
        group, method, path, _ = line.split("\t")
        if group in GROUPS and (method, path.split("?")[0]) not in served:
            missing.append(f"{method} {path}")
    assert not missing, missing
    assert "## Blocks" in api.ok("GET", "/api/docs")
    assert api.ok("GET", "/api/openapi.json")["openapi"] == "3.1.0"
    settings = api.ok("POST", "/api/settings", {"snapshotsPerObject": 7})
    assert settings["snapshotsPerObject"] == 7
    audit = api.ok("GET", "/api/audit", query={"limit": 50})["entries"]
    assert any(entry["action"] == "POST /api/settings" and entry["outcome"] == "200" for entry in audit)
    listing = api.ok("GET", "/api/system/browse-project", query={"path": str(api.tmp)})
    assert any(entry["name"] == "bottling-line" for entry in listing["entries"])


def test_devices(api):
    found = api.ok("POST", "/api/catalog/actions/search-sync", {"query": "1214c dc/dc/dc", "limit": 3})
    assert "1214C" in json.dumps(found)
    added = api.ok("POST", "/api/projects/devices/actions/add-sync", {"orderNumber": "6ES7 214-1AG40-0XB0", "name": "Line2"})
    assert "Line2" in json.dumps(added)
    api.ok("POST", "/api/devices/Line2/actions/configure-network-sync", {"ipAddress": "192.168.0.11", "subnetMask": "255.255.255.0"})
    assert api.ok("POST", "/api/devices/Line2/actions/compile-sync")["state"] == "success"
    assert api.call("POST", "/api/devices/Line2/actions/configure-network-sync", {"ipAddress": "192.168.0.255", "subnetMask": "255.255.255.0"})[0] == 400
    api.ok("POST", "/api/devices/Line2/actions/export-hardware", {"path": "Line2.aml"})
    aml = (api.root / "Line2.aml").read_text()
    assert "CAEXFile" in aml and "6ES7 214-1AG40-0XB0" in aml
    api.ok("POST", "/api/devices/actions/rename", {"currentName": "Line2", "newName": "Packer"})
    api.ok("POST", "/api/projects/actions/save-sync")
    manifest = json.loads((api.root / "s7project.json").read_text())
    assert [d["name"] for d in manifest["devices"]] == ["PLC_1", "Packer"]
    assert (api.root / "Line2" / "Program blocks" / "Main.scl").is_file()
    imported = api.job("POST", "/api/projects/devices/actions/import-hardware", {"path": "Line2.aml", "name": "Copy"})
    assert "Copy" in json.dumps(imported)


def test_blocks(api):
    created = api.call("POST", "/api/devices/PLC_1/blocks", {
        "name": "Mixer", "type": "FB",
        "interface": [{"section": "Input", "members": [{"name": "Go", "dataType": "Bool"}]},
                      {"section": "Output", "members": [{"name": "Running", "dataType": "Bool"}]}],
        "code": "#Running := #Go;",
    })
    assert created[0] in (200, 201), created
    api.ok("POST", "/api/devices/PLC_1/blocks/Mixer/interface/members", {"section": "Input", "name": "Jog", "dataType": "Bool"}, status=created[0])
    content = api.ok("GET", "/api/devices/PLC_1/blocks/Mixer/content")
    assert "Jog : Bool;" in content["source"]
    api.ok("POST", "/api/devices/PLC_1/blocks/Mixer/actions/export-source", {"filePath": "exports/"})
    assert (api.root / "exports" / "Mixer.scl").read_text().lstrip("\ufeff").startswith('FUNCTION_BLOCK "Mixer"')
    assert api.call("PUT", "/api/devices/PLC_1/blocks/Mixer/content", {"source": "FUNCTION_BLOCK \"Mixer\"\nBEGIN\nIF THEN\nEND_FUNCTION_BLOCK\n"})[0] == 400
    api.ok("POST", "/api/projects/actions/save-sync")
    assert (api.root / "PLC_1" / "Program blocks" / "Mixer.scl").is_file()
    api.ok("DELETE", "/api/devices/PLC_1/blocks/Mixer")
    api.ok("POST", "/api/projects/actions/save-sync")
    assert not (api.root / "PLC_1" / "Program blocks" / "Mixer.scl").exists()


def test_data_types(api):
    created = api.call("POST", "/api/devices/PLC_1/udts", {"name": "typeAxis", "members": [{"name": "Position", "dataType": "LReal"}]})
    assert created[0] in (200, 201), created
    api.ok("PUT", "/api/devices/PLC_1/udts/typeAxis", {"members": [{"name": "Position", "dataType": "LReal"}, {"name": "Homed", "dataType": "Bool"}]})
    details = api.ok("GET", "/api/devices/PLC_1/udts/typeAxis")
    assert [m["name"] for m in details["members"]] == ["Position", "Homed"]
    api.ok("POST", "/api/devices/PLC_1/udts/typeAxis/actions/export", {"filePath": "exports/"})
    assert (api.root / "exports" / "typeAxis.udt").read_text().lstrip("\ufeff").startswith('TYPE "typeAxis"')
    api.ok("DELETE", "/api/devices/PLC_1/udts/typeAxis")
    assert api.call("GET", "/api/devices/PLC_1/udts/typeAxis")[0] == 404


def test_diagnostics(api):
    namespaces = json.dumps(api.ok("GET", "/api/diagnostic/namespaces"))
    for target in ["S7Model", "S7Compiler", "S7Runtime", "Workbench", "WorkbenchAPI"]:
        assert target in namespaces
    assert api.call("GET", "/api/diagnostic/search", query={"typeName": "NoSuchType"})[0] == 404
    assert "RUN" in json.dumps(api.ok("GET", "/api/diagnostic/cpu-services/PLC_1"))


def test_download_watch_and_simulation(api):
    """Issue #7 over a real socket: download, go online, start, watch a table with live values, and drive the same
    virtual CPU as a PLCSIM instance in stepped time."""
    summary = api.ok("POST", "/api/devices/PLC_1/actions/download-sync", {"keepActualValues": False})
    assert "Main" in json.dumps(summary)
    assert api.ok("GET", "/api/devices/PLC_1/online/status")["online"] is True
    api.ok("POST", "/api/devices/PLC_1/cpu/actions/start")
    assert "RUN" in json.dumps(api.ok("GET", "/api/devices/PLC_1/cpu/status")).upper()
    table = api.ok("GET", "/api/devices/PLC_1/watch-tables/Line overview")
    entries = table["entries"]
    assert entries and all(entry["quality"] == "good" for entry in entries if entry.get("operand")), entries
    compare = json.dumps(api.ok("POST", "/api/devices/PLC_1/actions/compare"))
    assert "same" in compare

    api.ok("POST", "/api/simulation/instances/create", {"name": "Line", "deviceName": "PLC_1"}, status=201)
    api.ok("POST", "/api/simulation/connect", {"name": "Line"})
    read = api.ok("POST", "/api/simulation/tags/batch-read", {"tags": ["HMI_RecipeSelect", "NoSuchTag"]})
    assert [v["quality"] for v in read["values"]] == ["good", "bad"]
    api.ok("PUT", "/api/simulation/instances/Line/config", {"timeMode": "stepped"})
    time.sleep(0.1)
    before = api.ok("GET", "/api/simulation/instances/Line/state")["cycleCount"]
    ran = api.ok("POST", "/api/simulation/start", {"cycles": 25, "cycleTimeMs": 10})
    assert ran["cyclesRun"] == 25
    assert api.ok("GET", "/api/simulation/instances/Line/state")["cycleCount"] == before + 25
