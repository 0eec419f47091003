# s7wb: the two commands the README promises, plus helpers.
#   make run    set up, build (release), open the terminal workbench on the bottling-line sample
#   make test   set up, build, run every test
SHELL := /bin/bash
SWIFT ?= swift
PROJECT ?= sample-projects/bottling-line
PORT ?= 9000
SYSTEM_PACKAGES := libncursesw5-dev libsqlite3-dev tmux
RELEASE_BIN := .build/release/s7wb

.PHONY: setup build release run test bench fmt lint clean

## setup: install the system libraries a fresh Debian machine with Swift lacks (ncursesw, sqlite3 headers).
setup:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "s7wb needs:$$missing (apt-get install them, or run make as root)"; exit 1; fi; \
	fi

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release --product s7wb

## run: the terminal workbench on a sample project (the REST API listens alongside on PORT).
run: release
	$(RELEASE_BIN) tui $(PROJECT) --port $(PORT)

VENV := .venv
PYTHON ?= python3

## venv: the real peers the end-to-end tests drive (PyPI packages in a local virtual environment).
$(VENV)/.installed: Tests/e2e/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r Tests/e2e/requirements.txt
	touch $@

## test: every unit, corpus and end-to-end test.
test: setup $(VENV)/.installed
	$(SWIFT) build --build-tests
	$(SWIFT) build --product s7wb
	$(SWIFT) test --skip-build
	$(VENV)/bin/python -m pytest -q Tests/e2e

## bench: the figures the issues name, measured in release.
bench: setup
	$(SWIFT) build -c release --product scl-bench
	.build/release/scl-bench
	$(SWIFT) build -c release --product vm-bench
	.build/release/vm-bench
	$(SWIFT) build -c release --product tui-bench
	.build/release/tui-bench
	$(SWIFT) build -c release --product api-bench
	.build/release/api-bench
	$(SWIFT) build -c release --product s7-bench
	.build/release/s7-bench

fmt:
	swift format --in-place --recursive Sources Tests Package.swift

lint:
	swift format lint --recursive Sources Tests Package.swift

clean:
	rm -rf .build
