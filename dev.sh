#!/usr/bin/env bash
# The project's two front-door commands. Each sets up what it needs first.
#   ./dev.sh site    build the sample support site into site/ (./dev.sh serve to preview it)
#   ./dev.sh test    run the whole test suite (extra arguments go to pytest)
#   ./dev.sh properdocs | zensical   build the sample with another engine (see README)
set -euo pipefail
cd "$(dirname "$0")"

VENV=.venv
PY="$VENV/bin/python"

ensure_venv() {
  if [ ! -x "$PY" ]; then
    python3 -m venv "$VENV"
  fi
  # Reinstall only when the package metadata changed since the last install.
  local stamp="$VENV/.installed"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    "$PY" -m pip install --quiet --upgrade pip
    "$PY" -m pip install --quiet -e ".[test]"
    touch "$stamp"
  fi
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
    "$VENV/bin/support-policies" export policies --out build/zensical/docs/support \
      --pages get-help,plans,severities,tickets,scope,retention,providers,known-problems,status,security,journeys,glossary,data,rules \
      --base-url https://support.tallyweave.example/support/
    "$VENV/bin/zensical" build -f zensical.yml --strict "$@"
    echo "dev.sh: the Zensical build is in build/zensical/site/"
    ;;
  serve)
    ensure_venv
    NO_MKDOCS_2_WARNING=1 "$VENV/bin/mkdocs" serve "$@"
    ;;
  test)
    ensure_venv
    ensure_chromium
    status=0
    "$PY" -m pytest "$@" || status=$?
    if [ "$status" -eq 5 ]; then
      echo "dev.sh: pytest collected no tests; that is a failure" >&2
      exit 1
    fi
    exit "$status"
    ;;
  *)
    echo "usage: ./dev.sh site | serve | test [pytest arguments] | properdocs | zensical" >&2
    exit 2
    ;;
esac
