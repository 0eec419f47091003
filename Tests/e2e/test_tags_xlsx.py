"""Tag tables as Excel workbooks through the REST API, checked with openpyxl: what s7wb writes opens in openpyxl with
TIA's sheets and columns, and a workbook openpyxl writes (its own inline strings, boolean and number cells, absolute
relationship targets) imports."""
import json
import pathlib
import urllib.error
import urllib.parse
import urllib.request

import openpyxl
import pytest

from test_cli import start_server

KEY = "xlsx-key"
TAG_COLUMNS = [
    "Name", "Path", "Data Type", "Logical Address", "Comment", "Hmi Visible", "Hmi Accessible", "Hmi Writeable",
    "Typeobject ID", "Version ID",
]


@pytest.fixture()
def server(s7wb, sample_project):
    process, base = start_server(s7wb, sample_project, "--api-key", KEY)
    yield base
    process.terminate()
    process.wait(timeout=15)


def call(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base + urllib.parse.quote(path), data=data, method=method,
        headers={"X-API-Key": KEY, "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_an_exported_table_opens_in_openpyxl(server, sample_project):
    status, answer = call(
        server, "POST", "/api/devices/PLC_1/tag-tables/Machine IO/actions/export-excel-sync",
        {"filePath": "exports/machine-io.xlsx"},
    )
    assert status == 200, answer
    assert answer["rows"] == 21 and answer["content"] is None
    path = pathlib.Path(sample_project) / "exports" / "machine-io.xlsx"
    assert pathlib.Path(answer["filePath"]).resolve() == path.resolve()
    assert answer["bytes"] == path.stat().st_size

    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["PLC Tags", "User Constants"]
    rows = list(workbook["PLC Tags"].iter_rows(values_only=True))
    assert list(rows[0]) == TAG_COLUMNS
    assert len(rows) == 22
    assert rows[1] == ("StartButton", "Machine IO", "Bool", "%I0.0", "Start push button (NO)", "True", "True", "True",
                       None, None)
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["FillLevelRaw"][2:4] == ("Int", "%IW64")
    assert by_name["ConveyorSpeedAO"][2:4] == ("Int", "%QW64")
    assert list(next(workbook["User Constants"].iter_rows(values_only=True))) == [
        "Name", "Path", "Data Type", "Value", "Comment"]

    status, answer = call(server, "POST", "/api/devices/PLC_1/tag-tables/HMI/actions/export-excel-sync",
                          {"filePath": "exports/hmi.xlsx"})
    assert status == 200, answer
    constants = list(openpyxl.load_workbook(answer["filePath"])["User Constants"].iter_rows(values_only=True))
    assert constants[1][:4] == ("RECIPE_COUNT", "HMI", "Int", "3")
    assert constants[2][:4] == ("MAX_BOTTLES", "HMI", "Int", "16")


def test_a_workbook_built_with_openpyxl_imports(server, sample_project):
    workbook = openpyxl.Workbook()
    tags = workbook.active
    tags.title = "PLC Tags"
    tags.append(TAG_COLUMNS)
    tags.append(["Spare_Motor", "Spares", "Bool", "%Q4.0", "spare motor contactor", True, "TRUE", "false"])
    tags.append(["Spare_Speed", "Spares", "Int", "%QW80", None, None, None, None])
    constants = workbook.create_sheet("User Constants")
    constants.append(["Name", "Path", "Data Type", "Value", "Comment"])
    constants.append(["SPARE_COUNT", "Spares", "Int", 4, "spare drives"])
    imports = pathlib.Path(sample_project) / "imports"
    imports.mkdir()
    workbook.save(imports / "spares.xlsx")

    status, answer = call(server, "POST", "/api/devices/PLC_1/tag-tables/Spares/actions/import-xlsx-sync",
                          {"filePath": "imports/spares.xlsx"})
    assert status == 200, answer
    assert answer["tableCreated"] is True
    assert answer["tagsAdded"] == 2 and answer["constantsAdded"] == 1

    status, listed = call(server, "GET", "/api/devices/PLC_1/tag-tables/Spares/tags")
    assert status == 200, listed
    tags_by_name = {tag["name"]: tag for tag in listed["tags"]}
    motor = tags_by_name["Spare_Motor"]
    assert (motor["dataType"], motor["address"], motor["comment"]) == ("Bool", "%Q4.0", "spare motor contactor")
    assert (motor["externalVisible"], motor["externalAccessible"], motor["externalWritable"]) == (True, True, False)
    speed = tags_by_name["Spare_Speed"]
    assert (speed["dataType"], speed["address"], speed["externalWritable"]) == ("Int", "%QW80", True)
    status, listed = call(server, "GET", "/api/devices/PLC_1/tag-tables/Spares/constants")
    assert listed["constants"] == [{"name": "SPARE_COUNT", "dataType": "Int", "value": "4", "comment": "spare drives"}]

    # A bad row refuses the whole workbook and is named by its row.
    tags.append(["Spare_Lamp", "Spares", "Bool", "%Q4.9", None, None, None, None])
    workbook.save(imports / "bad.xlsx")
    status, problem = call(server, "POST", "/api/devices/PLC_1/tag-tables/More spares/actions/import-xlsx-sync",
                           {"filePath": "imports/bad.xlsx"})
    assert status == 400, problem
    assert "PLC Tags row 4, Logical Address" in problem["detail"]
    status, tables = call(server, "GET", "/api/devices/PLC_1/tag-tables")
    assert "More spares" not in [table["name"] for table in tables["tagTables"]]
