"""The command line as a user runs it: `s7wb info` and `s7wb serve` with signals."""
import json
import pathlib
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest


def test_info_prints_the_project_tree(s7wb, sample_project):
    out = subprocess.run([s7wb, "info", sample_project], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Project bottling-line\n")
    assert "Device PLC_1 (plc, 6ES7" in out.stdout
    assert "Program blocks (" in out.stdout
    assert "Files not read" not in out.stdout, out.stdout


def test_info_json_matches_the_overview_shape(s7wb, corpus_project):
    out = subprocess.run([s7wb, "info", corpus_project, "--json"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    tree = json.loads(out.stdout)
    assert tree["name"] == "ikea_vyatka_sorting"
    assert [d["name"] for d in tree["devices"]] == ["PLC_1"]
    blocks = {b["name"]: b for b in tree["devices"][0]["blocks"]}
    assert blocks["Main"]["type"] == "OB" and blocks["Main"]["number"] == 1
    assert blocks["Сортировка"]["programmingLanguage"] == "LAD"
    assert tree["totals"]["tags"] == 675  # the standard table; the SDF table is empty


def test_info_on_a_missing_folder_fails_clearly(s7wb):
    out = subprocess.run([s7wb, "info", "/nonexistent/project"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 2
    assert out.stderr.strip() == "s7wb: /nonexistent/project: no such folder"


def start_server(s7wb, project, *extra):
    process = subprocess.Popen(
        [s7wb, "serve", project, "--port", "0", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    line = process.stdout.readline()
    match = re.search(r"at (http://127\.0\.0\.1:\d+)/api", line)
    assert match, f"unexpected first line: {line!r}; stderr: {process.stderr.read() if process.poll() else ''}"
    return process, match.group(1)


def get(url, key=None):
    request = urllib.request.Request(url, headers={"X-API-Key": key} if key else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_serve_answers_and_stops_cleanly_on_signals(s7wb, sample_project, stop_signal):
    process, base = start_server(s7wb, sample_project, "--api-key", "k3y")
    try:
        assert get(base + "/api/health/ping") [0] == 200
        status, problem = get(base + "/api/projects/overview")
        assert status == 401 and problem["status"] == 401 and problem["title"] == "Unauthorized"
        status, overview = get(base + "/api/projects/overview", key="k3y")
        assert status == 200 and overview["name"] == "bottling-line"
        status, version = get(base + "/api/instance/version", key="k3y")
        assert version["product"] == "s7wb"
        status, document = get(base + "/api/openapi.json")
        assert document["openapi"] == "3.1.0"
    finally:
        process.send_signal(stop_signal)
        started = time.monotonic()
        code = process.wait(timeout=15)
    assert code == 0, process.stderr.read()
    assert time.monotonic() - started < 10
    assert "s7wb: stopped" in process.stdout.read()


def test_check_passes_the_corpus_and_explains_an_error(s7wb, corpus_project, tmp_path):
    out = subprocess.run([s7wb, "check", corpus_project], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout
    assert out.stdout.strip().splitlines()[-1] == "56 files, 56 units, 0 errors"
    bad = tmp_path / "bad.scl"
    bad.write_text('FUNCTION "F" : Int\nBEGIN\n  IF #a > 1\n    #F := 1;\n  END_IF;\nEND_FUNCTION\n')
    out = subprocess.run([s7wb, "check", str(bad)], capture_output=True, text=True, timeout=30)
    assert out.returncode == 1
    assert f"{bad}:3:12: error[SCL1202]: expected THEN after the IF condition" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "1 files, 1 units, 1 errors"
    report = json.loads(
        subprocess.run([s7wb, "check", str(bad), "--format", "json"], capture_output=True, text=True).stdout
    )
    assert report["errors"] == 1 and report["diagnostics"][0]["code"] == "SCL1202"


def test_fmt_write_is_idempotent_and_keeps_the_bom(s7wb, sample_project, tmp_path):
    import shutil

    target = tmp_path / "blocks"
    shutil.copytree(pathlib.Path(sample_project) / "PLC_1" / "Program blocks", target)
    subprocess.run([s7wb, "fmt", "--write", str(target)], check=True, timeout=60)
    first = {p: p.read_bytes() for p in target.rglob("*.scl")}
    subprocess.run([s7wb, "fmt", "--write", str(target)], check=True, timeout=60)
    assert first == {p: p.read_bytes() for p in target.rglob("*.scl")}
    assert all(data.startswith(b"\xef\xbb\xbf") for data in first.values())


def test_compile_and_run_sample(s7wb, sample_project):
    """s7wb compile reports a clean PLC; s7wb run prints watched values as S7 literals and as JSON."""
    compiled = subprocess.run([s7wb, "compile", sample_project], capture_output=True, text=True, timeout=120)
    assert compiled.returncode == 0, compiled.stderr
    assert "0 errors" in compiled.stdout
    text = subprocess.run(
        [s7wb, "run", sample_project, "--cycles", "50", "--watch", '"LineData".StateText,"Recipe".Selected'],
        capture_output=True, text=True, timeout=120)
    assert text.returncode == 0, text.stderr
    assert text.stdout.splitlines() == ['"LineData".StateText = \'STOPPED\'', '"Recipe".Selected = 1']
    run = subprocess.run(
        [s7wb, "run", sample_project, "--cycles", "200", "--set", '"HMI_RecipeSelect"=2', "--watch",
         '"Recipe".Selected,%MW10', "--format", "json", "--stats"],
        capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["cycles"] == 200
    assert report["stats"]["cycles"] == 200
    assert "%MW10" in report["values"]
    bad = subprocess.run(
        [s7wb, "run", sample_project, "--watch", '"NoSuchTag"'], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert "NoSuchTag" in bad.stderr


def test_run_in_real_time_until_duration_and_ctrl_c(s7wb, sample_project):
    """Without --cycles the PLC runs on its own thread in (scaled) real time: --duration or Ctrl-C ends the run
    with the usual report; text output shows the watched values once a second."""
    timed = subprocess.run(
        [s7wb, "run", sample_project, "--duration", "1.5s", "--speed", "10", "--watch", '"Recipe".Selected',
         "--format", "json", "--stats"],
        capture_output=True, text=True, timeout=60)
    assert timed.returncode == 0, timed.stderr
    report = json.loads(timed.stdout)
    # 1.5 s of wall time at ten times real speed with 10 ms cycles: on the order of 1500 cycles, never 0.
    assert report["cycles"] > 100
    assert report["values"]["\"Recipe\".Selected"] == 1
    live = subprocess.Popen(
        [s7wb, "run", sample_project, "--watch", '"Recipe".Selected'], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    first = live.stdout.readline()
    assert re.match(r"\[\s*[0-9.]+ s, cycle [0-9]+\] \"Recipe\".Selected = 1", first), first
    live.send_signal(signal.SIGINT)
    out, err = live.communicate(timeout=30)
    assert live.returncode == 0, err
    assert '"Recipe".Selected = 1' in out.splitlines()[-1]


def test_show_draws_lad_networks_and_prints_scl(s7wb, corpus_project, sample_project):
    """`s7wb show` (issue #5): the corpus's LAD OB1 as a text ladder (contacts in parallel into a coil, FB calls as
    boxes with their instance DB and parameters), an SCL block as its source, an unknown block as an error."""
    out = subprocess.run([s7wb, "show", corpus_project, "Main"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == 'OB1 "Main" (LAD)', lines[:3]
    network = lines.index("Network 3: TRUE")
    assert lines[network + 1:network + 5] == [
        '|  "TRUE"     "TRUE"',
        "|---| |----+---( )----",
        '|  "TRUE"  |',
        "|---|/|----+",
    ], lines[network:network + 5]
    assert '"ServDB".GeneralSpeed --|GS_from_Server  Ret_Val|- "VELOCITY".GeneralSpeed' in out.stdout

    out = subprocess.run([s7wb, "show", sample_project, "Main"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith('OB1 "Main" (SCL)') and "ORGANIZATION_BLOCK" in out.stdout, out.stdout[:300]

    out = subprocess.run([s7wb, "show", sample_project, "NoSuchBlock"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "no block 'NoSuchBlock'" in out.stderr, (out.stdout, out.stderr)


def test_show_scl_gives_the_statements_a_lad_block_runs_as(s7wb, corpus_project):
    """`s7wb show --scl`: a LAD FB with S5 timers and flip-flops as the SCL statements s7wb simulates it with."""
    out = subprocess.run(
        [s7wb, "show", corpus_project, "Подача прокладки", "--scl"], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith('FB6 "Подача прокладки" (LAD as SCL)'), out.stdout[:200]
    assert '// Network 9: Задержка на движение транспортера прокладок М214' in out.stdout
    assert 'S_OFFDT(T_NO := "Tag_109", S := "B17.0", TV := s5t#5s, R := FALSE, Q => #_lad' in out.stdout
    assert '"H78.7" := ("LampOp3On_Hz" OR "LampOp3On_NoHz");' in out.stdout


def test_export_and_import_round_trip_tag_tables_and_blocks(s7wb, sample_project, tmp_path):
    """`s7wb export` writes a tag table as SimaticML, CSV, XLSX (TIA's sheets, read with openpyxl) and JSON, an SCL
    block as its source; `s7wb import` brings them into a project (a new tag table from the workbook), refuses a
    bad row naming it with nothing imported, and refuses an existing block unless --overwrite."""
    openpyxl = pytest.importorskip("openpyxl")
    out_dir = tmp_path / "out"
    for fmt in ["simaticml", "csv", "xlsx", "json"]:
        done = subprocess.run(
            [s7wb, "export", sample_project, "HMI", "--format", fmt, "-o", str(out_dir)],
            capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [s7wb, "export", sample_project, "Capper", "typeMotor", "-o", str(out_dir)],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "Capper.scl", "HMI.csv", "HMI.json", "HMI.xlsx", "HMI.xml", "typeMotor.udt",
    ]
    workbook = openpyxl.load_workbook(out_dir / "HMI.xlsx")
    assert workbook.sheetnames[:2] == ["PLC Tags", "User Constants"]
    header = [cell.value for cell in workbook["PLC Tags"][1]]
    assert header[:4] == ["Name", "Path", "Data Type", "Logical Address"], header
    names = [row[0].value for row in workbook["PLC Tags"].iter_rows(min_row=2)]
    assert "HMI_Start" in names and len(names) == 7, names
    assert "<SW.Tags.PlcTagTable" in (out_dir / "HMI.xml").read_text(encoding="utf-8-sig")
    assert json.loads((out_dir / "HMI.json").read_text())["tags"][0]["name"] == "HMI_Start"

    # A workbook with its names changed becomes a new table (addresses may overlap, as in TIA).
    for row in workbook["PLC Tags"].iter_rows(min_row=2):
        row[0].value = "Copy_" + row[0].value
    for row in workbook["User Constants"].iter_rows(min_row=2):
        row[0].value = "Copy_" + row[0].value
    workbook.save(out_dir / "Copy.xlsx")
    done = subprocess.run(
        [s7wb, "import", sample_project, str(out_dir / "Copy.xlsx"), "--table", "HMI copy"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "tag table HMI copy (new): 7 tags added" in done.stdout, done.stdout
    info = subprocess.run([s7wb, "info", sample_project], capture_output=True, text=True, timeout=60).stdout
    assert re.search(r"HMI copy\s+7 tags, 2 constants", info), info

    bad = out_dir / "bad.csv"
    bad.write_text(
        "Name,Path,Data Type,Logical Address,Comment,Hmi Visible,Hmi Accessible,Hmi Writeable\n"
        "Fine,T,Bool,%M90.0,,True,True,True\nBroken,T,Bool,%Q0.9,,True,True,True\n"
    )
    done = subprocess.run(
        [s7wb, "import", sample_project, str(bad), "--table", "T"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1 and "PLC Tags row 3" in done.stderr and "%Q0.9" in done.stderr, done.stderr
    info = subprocess.run([s7wb, "info", sample_project], capture_output=True, text=True, timeout=60).stdout
    assert not re.search(r"^\s+T\s+\d+ tags", info, re.M), info

    done = subprocess.run(
        [s7wb, "import", sample_project, str(out_dir / "Capper.scl")], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1 and "Capper already exists" in done.stderr, done.stderr
    done = subprocess.run(
        [s7wb, "import", sample_project, str(out_dir / "Capper.scl"), "--overwrite"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0 and "replaced FB Capper" in done.stdout, (done.stdout, done.stderr)


def test_export_a_lad_block_for_another_tia_version_and_import_it(s7wb, corpus_project, sample_project, tmp_path):
    """`s7wb export --version V19` writes a corpus LAD block (a V16 export) with V19's namespaces; the file imports
    into another project as the same block."""
    out_dir = tmp_path / "v19"
    done = subprocess.run(
        [s7wb, "export", corpus_project, "Counter_1", "--version", "V19", "-o", str(out_dir)],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0 and "(V19)" in done.stdout, (done.stdout, done.stderr)
    xml = (out_dir / "Counter_1.xml").read_text(encoding="utf-8-sig")
    assert '<Engineering version="V19" />' in xml
    assert "SW/Interface/v5" in xml and "NetworkSource/FlgNet/v5" in xml and "FlgNet/v4" not in xml
    done = subprocess.run(
        [s7wb, "export", corpus_project, "Counter_1", "--version", "V14", "-o", str(out_dir)],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode != 0 and "--version takes" in done.stderr, done.stderr
    done = subprocess.run(
        [s7wb, "import", sample_project, str(out_dir / "Counter_1.xml")], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and "added FB Counter_1" in done.stdout, (done.stdout, done.stderr)
    shown = subprocess.run([s7wb, "show", sample_project, "Counter_1"], capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0 and shown.stdout.startswith('FB20 "Counter_1" (LAD)'), shown.stdout[:200]


def test_simaticml_db_and_type_export_as_sources_that_compile(s7wb, corpus_project, tmp_path):
    """`s7wb export --format scl` writes a SimaticML global DB as a `.db` source and a SimaticML PLC data type as a
    `.udt` source; both read back as SCL (s7wb check finds no syntax error in them)."""
    out_dir = tmp_path / "src"
    done = subprocess.run(
        [s7wb, "export", corpus_project, "ServDB", "PlankOnChain", "--format", "scl", "-o", str(out_dir)],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, (done.stdout, done.stderr)
    db = (out_dir / "ServDB.db").read_text(encoding="utf-8-sig")
    udt = (out_dir / "PlankOnChain.udt").read_text(encoding="utf-8-sig")
    assert db.startswith('DATA_BLOCK "ServDB"') and "END_DATA_BLOCK" in db, db[:300]
    assert udt.startswith('TYPE "PlankOnChain"') and "END_TYPE" in udt, udt[:300]
    for path in [out_dir / "ServDB.db", out_dir / "PlankOnChain.udt"]:
        checked = subprocess.run([s7wb, "check", str(path)], capture_output=True, text=True, timeout=60)
        assert checked.returncode == 0, (path.name, checked.stdout, checked.stderr)


def test_a_whole_scl_project_through_simaticml_runs_the_same(s7wb, sample_project, tmp_path):
    """Every SCL-source block, DB and data type of the sample exported as SimaticML (statements as StructuredText
    tokens, DB start values in the interface) and imported into the project in place of the sources compiles and
    runs 3000 cycles to the same values as the sources."""
    watch = (
        '"LineData".Counters.BottlesIn,"LineData".Counters.BottlesFilled,"LineData".Counters.BottlesCapped,'
        '"LineData".State,"LineData".StateText,"Recipe".Recipes[2].Name,"Recipe".Recipes[3].FillVolume_ml'
    )

    def run(project):
        done = subprocess.run(
            [s7wb, "run", project, "--cycles", "3000", "--set", '"HMI_Start"=TRUE', "--watch", watch,
             "--format", "json"],
            capture_output=True, text=True, timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)["values"]

    before = run(sample_project)
    objects = ["Main", "Startup", "Cyclic interrupt", "PlantModel", "Capper", "Filler", "Conveyor", "LineData",
               "Recipe", "Capper_DB", "Filler_DB", "Conveyor_DB", "PlantModel_DB", "typeMotor", "typeRecipe"]
    out_dir = tmp_path / "xml"
    done = subprocess.run(
        [s7wb, "export", sample_project, *objects, "--format", "simaticml", "--version", "V19", "-o", str(out_dir)],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, (done.stdout, done.stderr)
    main = (out_dir / "Main.xml").read_text(encoding="utf-8-sig")
    assert "<SW.Blocks.OB ID=" in main and "NetworkSource/StructuredText/v4" in main
    assert '<Access Scope="Call"' in main and '<CallInfo Name="Filler" BlockType="FB" UId=' in main
    plc = pathlib.Path(sample_project) / "PLC_1"
    for source in list((plc / "Program blocks").rglob("*.scl")) + list((plc / "Program blocks").rglob("*.db")) \
            + list((plc / "PLC data types").glob("*.udt")):
        source.unlink()
    for group in (["typeMotor.xml", "typeRecipe.xml"], [name + ".xml" for name in objects[:-2]]):
        done = subprocess.run(
            [s7wb, "import", sample_project, *[str(out_dir / name) for name in group]],
            capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 0, (done.stdout, done.stderr)
    after = run(sample_project)
    assert after == before
    assert before['"LineData".Counters.BottlesFilled'] > 0, before
