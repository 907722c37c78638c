#!/usr/bin/env bash
# The project's two front-door commands. Each sets up what it needs first.
#   ./dev.sh site    build the sample support site into site/ (./dev.sh serve to preview it)
#   ./dev.sh test    lint, then run the whole test suite (extra arguments go to pytest)
#   ./dev.sh properdocs | zensical   build the sample with another engine (see README)
#   ./dev.sh lock    maintainers: refresh requirements/*.txt to the newest allowed releases
#   ./dev.sh catalogs  extract generated words into the message catalogs (see CONTRIBUTING)
set -euo pipefail
cd "$(dirname "$0")"

VENV=.venv
PY="$VENV/bin/python"
UV="$VENV/bin/uv"
LOCK=requirements/lock.txt
BOOTSTRAP=requirements/bootstrap.txt

# Python 3.11 is the floor: Material for MkDocs 9.8 needs it.
require_python() {
  if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "dev.sh: Python 3.11 or newer is needed as python3 (found: $(python3 --version 2>&1))" >&2
    exit 2
  fi
}

# The virtual environment holds exactly the committed lock (every package pinned, every
# file hash-checked); it is made anew whenever the lock or pyproject.toml changes.
ensure_venv() {
  local stamp="$VENV/.installed"
  if [ -f "$stamp" ] && [ "$stamp" -nt "$LOCK" ] && [ "$stamp" -nt "$BOOTSTRAP" ] && [ "$stamp" -nt pyproject.toml ]; then
    return
  fi
  require_python
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$PY" -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r "$BOOTSTRAP"
  # --compile-bytecode, as pip does: no later process compiles a dependency from source again
  # (where PYTHONDONTWRITEBYTECODE is set, every process would).
  "$UV" pip install --quiet --python "$PY" --require-hashes --compile-bytecode -r "$LOCK"
  "$UV" pip install --quiet --python "$PY" --no-deps --no-build-isolation -e .
  touch "$stamp"
}

# Maintainers: refresh the lock to the newest releases the package's ranges allow.
refresh_lock() {
  ensure_venv
  "$UV" pip compile --quiet --upgrade --generate-hashes --custom-compile-command "./dev.sh lock" \
    requirements/bootstrap.in -o "$BOOTSTRAP"
  "$UV" pip compile --quiet --upgrade --generate-hashes --universal --python-version 3.11 \
    --custom-compile-command "./dev.sh lock" pyproject.toml --extra i18n --extra test requirements/build.in -o "$LOCK"
  echo "dev.sh: refreshed $BOOTSTRAP and $LOCK; run ./dev.sh test before committing them"
}

# Generated words → plugins/support_policies/locale/messages.pot → each language's messages.po
# (new messages arrive untranslated, changed ones fuzzy; tests/test_i18n.py fails until they are done).
CATALOGS=plugins/support_policies/locale
update_catalogs() {
  ensure_venv
  "$VENV/bin/pybabel" --quiet extract -F babel.cfg -k _ -k N_ -k N_plural:1,2 -k ngettext:1,2 \
    --no-wrap --no-location --sort-output --omit-header -o "$CATALOGS/messages.pot" plugins/support_policies
  for po in "$CATALOGS"/*/LC_MESSAGES/messages.po; do
    [ -f "$po" ] || continue
    "$VENV/bin/pybabel" --quiet update --no-wrap --ignore-obsolete -i "$CATALOGS/messages.pot" -o "$po" \
      -l "$(basename "$(dirname "$(dirname "$po")")")"
  done
}

# Browser tests drive Debian's Chromium; Playwright cannot download browsers here.
ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
  fi
}

# The editor tests drive yaml-language-server, pinned in tests/editor/package-lock.json; npm ci
# installs exactly that lock, again whenever the lock is newer than the installed packages.
ensure_node_tools() {
  local lock=tests/editor/package-lock.json
  local stamp=tests/editor/node_modules/.package-lock.json
  if [ -f "$stamp" ] && [ "$stamp" -nt "$lock" ]; then
    return
  fi
  if ! command -v npm >/dev/null 2>&1; then
    if [ "${CI:-}" = "true" ]; then
      echo "dev.sh: npm is needed for the editor tests (tests/test_editor.py)" >&2
      exit 2
    fi
    echo "dev.sh: npm not found; the editor tests are skipped without Node.js" >&2
    return
  fi
  npm ci --prefix tests/editor --no-audit --no-fund --loglevel=error
  touch "$stamp"
}

command="${1:-}"
shift || true
case "$command" in
  site)
    ensure_venv
    "$VENV/bin/support-policies" check policies
    NO_MKDOCS_2_WARNING=1 "$VENV/bin/mkdocs" build --strict "$@"
    echo "dev.sh: the support site is in site/ (open site/index.html, or run ./dev.sh serve)"
    ;;
  properdocs)
    ensure_venv
    "$VENV/bin/properdocs" build -f mkdocs.yml --strict -d build/properdocs/site "$@"
    echo "dev.sh: the ProperDocs build is in build/properdocs/site/"
    ;;
  zensical)
    ensure_venv
    rm -rf build/zensical
    mkdir -p build/zensical
    cp -r docs build/zensical/docs
    "$VENV/bin/support-policies" export policies --out build/zensical/docs/support --pages all --nav SUMMARY.md \
      --base-url https://support.tallyweave.example/support/
    "$VENV/bin/zensical" build -f zensical.yml --strict "$@"
    echo "dev.sh: the Zensical build is in build/zensical/site/"
    ;;
  serve)
    ensure_venv
    NO_MKDOCS_2_WARNING=1 "$VENV/bin/mkdocs" serve "$@"
    ;;
  lock)
    refresh_lock
    ;;
  catalogs)
    update_catalogs
    echo "dev.sh: updated $CATALOGS/messages.pot and every messages.po; translate what is new or fuzzy"
    ;;
  test)
    ensure_venv
    ensure_chromium
    ensure_node_tools
    "$VENV/bin/ruff" check .
    "$VENV/bin/ruff" format --check .
    "$VENV/bin/mypy"
    status=0
    "$PY" -m pytest "$@" || status=$?
    if [ "$status" -eq 5 ]; then
      echo "dev.sh: pytest collected no tests; that is a failure" >&2
      exit 1
    fi
    exit "$status"
    ;;
  *)
    echo "usage: ./dev.sh site | serve | test [pytest arguments] | properdocs | zensical | lock | catalogs" >&2
    exit 2
    ;;
esac
