# rackops.apc: build and test entry points. Everything here is non-interactive (CI has no stdin).
#
#   make venv          create/update the dev virtualenv $(VENV) (stamp file: no-op when up to date)
#   make collection    expose the checkout as .tmp/collections/ansible_collections/rackops/apc
#   make sanity        ansible-test sanity, offline (tools/ansible-test-sanity)
#   make install-test  build the tarball, install it into a scratch path, ansible-doc its plugins
#   make lint          ansible-lint, production profile
#   make unit          pytest tests/unit
#   make integration   pytest tests/integration (playbooks against the simulator), $(INTEGRATION_WORKERS) tests at a time (INTEGRATION_WORKERS)
#   make clients       NUT and apcupsd from Debian read the simulated UPS (root: installs packages)
#   make test          venv, sanity, install-test, lint, unit, integration, clients (in order, fail fast)
#   make compat        unit + integration again with ansible-core 2.16 in $(COMPAT_VENV) (not in `test`)
#   make demo          tools/demo against a simulated rack
#   make bench         bench/run
#   make build         collection tarball into .tmp/dist
#   make clean         remove build/test artefacts (keeps the venvs); make distclean also removes venvs

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV ?= .venv
ANSIBLE_CORE_SPEC ?= >=2.19,<2.20
COMPAT_VENV ?= .venv-2.16
COMPAT_ANSIBLE_CORE_SPEC ?= >=2.16,<2.17
PYTEST_ARGS ?=
# Integration tests run in parallel (pytest-xdist): every test starts its own simulators on
# free loopback ports and keeps its files below its own tmp_path. 0 runs them serially.
INTEGRATION_WORKERS ?= 2
SANITY_ARGS ?=

VENV_DIR := $(abspath $(VENV))
TMP := $(CURDIR)/.tmp
COLLECTIONS_DIR := $(TMP)/collections
COLLECTION_LINK := $(COLLECTIONS_DIR)/ansible_collections/rackops/apc
DIST := $(TMP)/dist
INSTALL_TEST_DIR := $(TMP)/install-test
VERSION := $(shell sed -n 's/^version:[[:space:]]*//p' galaxy.yml)
TARBALL := $(DIST)/rackops-apc-$(VERSION).tar.gz
STAMP := $(VENV_DIR)/.rackops-apc-installed

# The venv's tools first, for every recipe (also sub-makes and scripts they start).
export PATH := $(VENV_DIR)/bin:$(PATH)
export VIRTUAL_ENV := $(VENV_DIR)
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export ANSIBLE_NOCOLOR ?= 1
export PAGER := cat
export ANSIBLE_PAGER := cat

# Prints how long a phase took: $(call timed,name,command)
timed = start=$$(date +%s); $(2) || { rc=$$?; echo "== $(1): FAILED after $$(( $$(date +%s) - start ))s" >&2; exit $$rc; }; \
	echo "== $(1): $$(( $$(date +%s) - start ))s"

.PHONY: help venv collection sanity lint unit integration clients test compat demo bench build install-test clean distclean FORCE

# The header comments above, with the variables they name expanded to their values.
HELP_VARS := VENV COMPAT_VENV INTEGRATION_WORKERS
help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST)) | sed $(foreach var,$(HELP_VARS),-e 's|$$($(var))|$($(var))|g')

# ---------------------------------------------------------------- virtualenv

venv: $(STAMP)

$(VENV_DIR)/bin/python:
	$(PYTHON) -m venv $(VENV_DIR)

# Rewritten only when ANSIBLE_CORE_SPEC changes, so a different spec reinstalls.
$(VENV_DIR)/.ansible-core-spec: FORCE | $(VENV_DIR)/bin/python
	@echo '$(ANSIBLE_CORE_SPEC)' | cmp -s - $@ || echo '$(ANSIBLE_CORE_SPEC)' > $@

$(STAMP): requirements.txt tests/requirements.txt $(VENV_DIR)/.ansible-core-spec | $(VENV_DIR)/bin/python
	$(VENV_DIR)/bin/python -m pip install --quiet --upgrade pip
	$(VENV_DIR)/bin/python -m pip install --quiet 'ansible-core$(ANSIBLE_CORE_SPEC)' \
		-r requirements.txt -r tests/requirements.txt
	@$(VENV_DIR)/bin/python -c 'from ansible.release import __version__; print("ansible-core", __version__)'
	touch $@

FORCE:

# ---------------------------------------------------------------- collection path

# A symlink, not a copy: edits are seen at once. (ansible-test needs a real copy; see
# tools/ansible-test-sanity.) Recreated every time, so a moved checkout never leaves it dangling.
collection:
	@mkdir -p $(dir $(COLLECTION_LINK))
	@ln -sfn $(CURDIR) $(COLLECTION_LINK)

unit integration demo bench: export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS_DIR)

# ---------------------------------------------------------------- tests

sanity: venv
	tools/ansible-test-sanity $(SANITY_ARGS)

# The example inventory's vault (playbooks/inventory/group_vars/all/vault.yml) is linted too,
# opened with its documented example password.
lint: venv
	ANSIBLE_VAULT_PASSWORD_FILE=$(CURDIR)/playbooks/inventory/example-vault-password.txt \
		ansible-lint --profile production --nocolor

unit: venv collection
	$(VENV_DIR)/bin/python -m pytest tests/unit $(PYTEST_ARGS)

# --dist load hands tests out in collection order as workers free up; conftest puts the
# tests marked long_running (1-5 min; most take 5-30 s) first. pytest's exit code passes
# through, so 5 (no test collected) fails the target too.
integration: venv collection
	$(VENV_DIR)/bin/python -m pytest tests/integration -n $(INTEGRATION_WORKERS) --dist load $(PYTEST_ARGS)

# Real clients read the simulated smart-protocol UPS: Network UPS Tools, then apcupsd (the
# two Debian packages conflict: tests/clients/run installs, tests and removes each in turn).
# Installing packages needs root: CI runs as root; elsewhere run `sudo make clients`.
clients: venv
	@if [ "$$(id -u)" != 0 ]; then \
		echo "clients: needs root to install nut-server and apcupsd from Debian (sudo make clients)" >&2; \
		exit 1; \
	fi
	PYTHON=$(VENV_DIR)/bin/python tests/clients/run

# Sub-makes rather than prerequisites: the order is part of the contract (cheap and
# fundamental checks first), also under `make -j`. Any failure stops the run.
test:
	@if [ "$$(id -u)" != 0 ]; then \
		echo "make test: its last phase, clients, needs root (it installs NUT and apcupsd from Debian, then removes them)." >&2; \
		echo "make test: run it as root (CI does), or the phases you can: make sanity install-test lint unit integration" >&2; \
		exit 1; \
	fi
	@$(call timed,venv,$(MAKE) venv)
	@$(call timed,sanity,$(MAKE) sanity)
	@$(call timed,install-test,$(MAKE) install-test)
	@$(call timed,lint,$(MAKE) lint)
	@$(call timed,unit,$(MAKE) unit)
	@$(call timed,integration,$(MAKE) integration)
	@$(call timed,clients,$(MAKE) clients)

# The oldest supported ansible-core (meta/runtime.yml: >=2.16.0) in its own venv. Not part of
# `make test` yet: it installs a second venv and runs the slow integration suite again.
compat:
	@$(call timed,compat venv,$(MAKE) venv VENV=$(COMPAT_VENV) ANSIBLE_CORE_SPEC='$(COMPAT_ANSIBLE_CORE_SPEC)')
	@$(call timed,compat unit,$(MAKE) unit VENV=$(COMPAT_VENV))
	@$(call timed,compat integration,$(MAKE) integration VENV=$(COMPAT_VENV))

# ---------------------------------------------------------------- demo, bench

demo: venv collection
	tools/demo

bench: venv collection
	bench/run

# ---------------------------------------------------------------- build, install

build: venv
	@mkdir -p $(DIST)
	rm -f $(TARBALL)
	ansible-galaxy collection build --force --output-path $(DIST) .
	tar -tzf $(TARBALL) > $(DIST)/contents.txt
	@if grep -E '^(\.venv|\.tmp|\.git|\.ci|\.ansible|tests/output|tools|bench)(/|$$)|__pycache__|\.pyc$$' $(DIST)/contents.txt; then \
		echo "build: development files (above) leaked into $(TARBALL): extend build_ignore in galaxy.yml" >&2; exit 1; fi

# Install the built tarball (not the checkout) and document its plugins from there. ansible-doc
# exits 0 even for a plugin it cannot find, so the JSON output is checked: documentation present,
# loaded from the installed copy. The text rendering is kept in .tmp/install-test/*.txt.
INSTALL_TEST_PLUGINS := connection:rackops.apc.console module:rackops.apc.facts
define CHECK_DOC
import json, sys
name, root = sys.argv[1:3]
entry = json.load(sys.stdin).get(name) or {}
doc = entry.get('doc') or {}
if not doc or not doc.get('filename', '').startswith(root):
    sys.exit(f'install-test: no documentation for {name} from the installed collection in {root}')
print(f'install-test: {name}: {doc.get("short_description")} ({doc["filename"]})')
endef
export CHECK_DOC

install-test: build
	rm -rf $(INSTALL_TEST_DIR)
	ansible-galaxy collection install --offline --force -p $(INSTALL_TEST_DIR) $(TARBALL)
	cd $(INSTALL_TEST_DIR) && export ANSIBLE_COLLECTIONS_PATH=$(INSTALL_TEST_DIR) ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false \
		&& for plugin in $(INSTALL_TEST_PLUGINS); do \
			type=$${plugin%%:*} name=$${plugin#*:}; \
			ansible-doc -t $$type --json $$name | python -c "$$CHECK_DOC" $$name $(INSTALL_TEST_DIR); \
			ansible-doc -t $$type $$name > $$name.txt; \
		done

# ---------------------------------------------------------------- clean

clean:
	rm -rf $(TMP) tests/output .pytest_cache .ansible
	find . -path ./.venv -prune -o -path './.venv-*' -prune -o -path ./.git -prune -o \
		-name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV_DIR) $(abspath $(COMPAT_VENV))
