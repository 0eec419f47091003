"""Issue #7, live monitoring over a real socket: the server-sent event stream of a watch table's values."""
import json
import urllib.parse
import urllib.request

from test_api_groups import KEY, api  # noqa: F401  (api: the server fixture)

STREAM = "/api/devices/PLC_1/watch-tables/Stream/values/stream"


def open_stream(api, path, **query):
    url = api.base + urllib.parse.quote(path) + "?" + urllib.parse.urlencode(query)
    request = urllib.request.Request(url, headers={"X-API-Key": KEY, "Accept": "text/event-stream"})
    return urllib.request.urlopen(request, timeout=30)


def next_event(response):
    """The next event's fields ({"event", "id", "data"}), skipping comments; None at the end of the stream."""
    fields = {}
    while True:
        line = response.readline()
        if not line:
            assert not fields, f"the stream ended inside an event: {fields}"
            return None
        line = line.decode("utf-8").rstrip("\r\n")
        if not line:
            if fields:
                return fields
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        assert name not in fields, f"{name} twice in one event"
        fields[name] = value[1:] if value.startswith(" ") else value


def test_a_watch_table_streams_its_changes_as_server_sent_events(api):
    api.ok("POST", "/api/devices/PLC_1/watch-tables", {"name": "Stream"}, status=201)
    api.ok(
        "POST", "/api/devices/PLC_1/watch-tables/Stream/entries",
        {"entries": [{"operand": "%MW10"}, {"operand": '"Recipe".Recipes[2].FillVolume_ml'}]},
    )
    api.ok("POST", "/api/devices/PLC_1/actions/download-sync", {"keepActualValues": False})
    api.ok("POST", "/api/devices/PLC_1/cpu/actions/start")
    # Values are modified through the PLCSIM tags of the same virtual CPU.
    api.ok("POST", "/api/simulation/instances/create", {"name": "Line", "deviceName": "PLC_1"}, status=201)
    api.ok("POST", "/api/simulation/connect", {"name": "Line"})

    with open_stream(api, STREAM, intervalMs=20, maxEvents=3) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/event-stream")
        assert response.headers["Cache-Control"] == "no-cache"

        first = next_event(response)
        assert first["event"] == "values" and first["id"] == "1", first
        data = json.loads(first["data"])
        assert data["name"] == "Stream" and data["complete"] is True and data["liveValues"] is True
        assert [row["operand"] for row in data["entries"]] == ["%MW10", '"Recipe".Recipes[2].FillVolume_ml']
        assert all(row["quality"] == "good" for row in data["entries"]), data
        assert data["entries"][1]["value"] == "330.0"

        ids = [first["id"]]
        for value in ["16#0005", "16#0006"]:
            api.ok("PUT", "/api/simulation/tags/%MW10", {"value": value})
            event = next_event(response)
            assert event and event["event"] == "values", event
            changed = json.loads(event["data"])
            assert changed["complete"] is False
            assert [(row["index"], row["value"]) for row in changed["entries"]] == [(0, value)], changed
            ids.append(event["id"])
        assert ids == ["1", "2", "3"]
        # maxEvents=3: the server ends the answer.
        assert next_event(response) is None


def test_a_stream_refuses_bad_input_before_it_starts(api):
    code, problem = api.call("GET", "/api/devices/PLC_1/watch-tables/Line overview/values/stream",
                             query={"intervalMs": 5})
    assert code == 400 and "intervalMs" in problem["detail"], problem
    code, problem = api.call("GET", "/api/devices/PLC_1/watch-tables/Nope/values/stream")
    assert code == 404 and problem["status"] == 404, problem
    # The OpenAPI document names the stream's media type; no job or MCP form runs it.
    document = api.ok("GET", "/api/openapi.json")
    answer = document["paths"]["/api/devices/{deviceName}/watch-tables/{tableName}/values/stream"]["get"]
    assert "text/event-stream" in answer["responses"]["200"]["content"]
    code, problem = api.call(
        "POST", "/api/jobs/execute-sync",
        {"method": "GET", "path": "/api/devices/PLC_1/watch-tables/Line overview/values/stream"},
    )
    assert code == 422, problem
