"""The terminal workbench in a real terminal: s7wb runs in tmux on a copy of the traffic-light sample, the test
sends keys and reads the screen back with `tmux capture-pane`."""
import os
import pathlib
import shutil
import subprocess
import time
import uuid

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Screen:
    def __init__(self, s7wb: str, project: str, columns: int = 120, rows: int = 32):
        self.name = "s7wb-" + uuid.uuid4().hex[:8]
        self.socket = ["-L", self.name]
        env = f"env LANG=C.UTF-8 TERM=xterm-256color NCURSES_NO_UTF8_ACS=1 HOME={project}/.."
        subprocess.run(
            ["tmux", *self.socket, "new-session", "-d", "-s", self.name, "-x", str(columns), "-y", str(rows),
             f"{env} {s7wb} tui {project} --port 0 2>{project}/../tui.err; echo EXITED $? ; sleep 30"],
            check=True)
        self.resize(columns, rows)

    def keys(self, *keys: str, literal: bool = False) -> None:
        subprocess.run(["tmux", *self.socket, "send-keys", "-t", self.name, *(["-l"] if literal else []), *keys],
                       check=True)

    def text(self) -> str:
        return subprocess.run(["tmux", *self.socket, "capture-pane", "-p", "-t", self.name],
                              check=True, capture_output=True, text=True).stdout

    def wait_for(self, predicate, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        text = self.text()
        while time.monotonic() < deadline:
            text = self.text()
            if predicate(text):
                return text
            time.sleep(0.1)
        raise AssertionError("screen never matched; last screen:\n" + text)

    def resize(self, columns: int, rows: int) -> None:
        subprocess.run(["tmux", *self.socket, "resize-window", "-t", self.name, "-x", str(columns), "-y", str(rows)],
                       check=True)

    def close(self) -> None:
        subprocess.run(["tmux", *self.socket, "kill-server"], check=False)


@pytest.fixture()
def traffic_light(tmp_path) -> str:
    target = tmp_path / "traffic-light"
    shutil.copytree(REPO / "sample-projects" / "traffic-light", target, ignore=shutil.ignore_patterns(".s7wb"))
    return str(target)


@pytest.fixture()
def screen(s7wb, traffic_light):
    screen = Screen(s7wb, traffic_light)
    screen.wait_for(lambda text: "Program blocks" in text and "REST http://" in text)
    yield screen
    screen.close()


def row_with(text: str, needle: str) -> str:
    return next((line for line in text.splitlines() if needle in line), "")


def test_edit_save_and_see_the_diagnostic(screen, traffic_light):
    screen.keys("Down", "Down", "Down", "Down", "Down", "Enter")
    screen.wait_for(lambda text: 'ORGANIZATION_BLOCK "Main"' in text)
    screen.keys("C-g")
    screen.keys("8", literal=True)
    screen.keys("Enter")
    screen.keys('"NoSuchTag" := 1', literal=True)
    screen.keys("\\;", "Enter", "C-s")  # a bare ";" would end the tmux command
    text = screen.wait_for(lambda text: "error" in text.splitlines()[-2])
    assert "NoSuchTag" in text.splitlines()[-2]
    assert '"NoSuchTag" := 1;' in (pathlib.Path(traffic_light) / "PLC_1/Program blocks/Main.scl").read_text()
    # The gutter marks line 8 and the tree marks the block.
    assert "✖" in row_with(text, '"NoSuchTag"')
    assert "✖Main" in text


def test_download_run_watch_modify_and_resize(screen):
    screen.keys("C-l")
    screen.wait_for(lambda text: "Downloaded" in text)
    screen.keys("C-e")
    screen.wait_for(lambda text: "PLC RUN" in text)
    # Watch and force tables → Lamps
    screen.keys(*["Down"] * 8, "Enter", "Down", "Enter")
    screen.wait_for(lambda text: '"KeySwitchOn"' in text and "Monitor value" in text)
    screen.wait_for(lambda text: " 0 " in row_with(text, '"Phase"'))
    # Row 14 (after the table's comment rows) is "KeySwitchOn" (modify value TRUE): F6 starts the crossing, Phase
    # becomes 10 (cars green).
    screen.keys(*["Down"] * 13, "F6")
    text = screen.wait_for(lambda text: " 10 " in row_with(text, '"Phase"'))
    assert "TRUE" in row_with(text, '"KeySwitchOn"')
    screen.resize(80, 24)
    text = screen.wait_for(lambda text: len(text.splitlines()) == 24 and "PLC RUN" in text.splitlines()[-1])
    assert all(len(line) <= 80 for line in text.splitlines())
    screen.keys("C-q")
    screen.wait_for(lambda text: "EXITED 0" in text)


def test_sigterm_restores_the_terminal_and_exits(screen):
    shell = subprocess.run(["tmux", *screen.socket, "display", "-p", "-t", screen.name, "#{pane_pid}"],
                           check=True, capture_output=True, text=True).stdout.strip()
    pids = subprocess.run(["pgrep", "-P", shell, "s7wb"], capture_output=True, text=True).stdout.split()
    assert len(pids) == 1
    os.kill(int(pids[0]), 15)
    text = screen.wait_for(lambda text: "EXITED" in text, timeout=5)
    assert "Program blocks" not in text  # the alternate screen is gone
