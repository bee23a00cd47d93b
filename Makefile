# dossier-audit: two commands on a fresh Debian/Ubuntu machine (as root, or with sudo):
#   make demo   sets everything up, makes the sample batch, audits it (report.html, .pdf, .xlsx, .json)
#   make test   sets everything up, runs the tests
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := python3 python3-venv python3-pip libgl1 libglib2.0-0 \
	fonts-noto-cjk fonts-wqy-zenhei fonts-wqy-microhei fonts-arphic-ukai fonts-arphic-uming \
	tesseract-ocr tesseract-ocr-chi-sim
# headless Chromium: report.pdf (--pdf) and the browser tests. Debian's packages; where they do
# not exist (Ubuntu ships Chromium as a snap), the rest still installs and the CLI says what is missing
BROWSER_PACKAGES := chromium chromium-driver
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEMO := demo-out
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test test-all bench system-deps venv lint clean

demo: venv
	$(BIN)/dossier sample $(DEMO)/sample --seed 1
	$(BIN)/dossier audit $(DEMO)/sample/batch -o $(DEMO)/result --pdf
	@echo "样例材料：$(DEMO)/sample/batch    审核报告：$(DEMO)/result/report.html（打印版 report.pdf）"

test: venv
	$(BIN)/python -m pytest -q -n 2 --dist loadfile
	$(BIN)/lint-imports

bench: venv
	$(BIN)/python bench/audit_bench.py

system-deps: $(VENV)/.system-deps
$(VENV)/.system-deps: Makefile
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "安装系统软件包：$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi
	@missing=""; for p in $(BROWSER_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "安装浏览器（生成 PDF 和浏览器测试用）：$$missing"; \
	  { $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; } \
	    || echo "未能安装 Chromium：report.pdf（--pdf）和浏览器测试将不可用，其余功能不受影响。"; \
	fi
	@mkdir -p $(VENV) && touch $@

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml | system-deps
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

clean:
	rm -rf $(DEMO) .pytest_cache build *.egg-info
