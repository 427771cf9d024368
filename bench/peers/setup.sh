#!/usr/bin/env bash
# Install the sync benchmark's reference peers; safe to run again (it only adds what is missing).
# As root for the Debian packages: Node.js with npm, and PostgreSQL. Then pouchdb-server and
# pouchdb from npm into bench/peers/node_modules (package-lock.json pins them), and Kinto from
# pip into its own virtualenv bench/peers/.venv-kinto, never the desk's .venv.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
# Node may come from elsewhere (NodeSource ships npm inside its nodejs): only ask Debian when absent.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then missing+=(nodejs npm); fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then missing+=(postgresql); fi
if ! python3 -c "import ensurepip" 2>/dev/null; then missing+=(python3-venv); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages (as root): ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Debian's postgresql package starts a system cluster; the benchmark runs its own.
  if [[ " ${missing[*]} " == *" postgresql "* ]] && command -v pg_ctlcluster >/dev/null; then
    pg_lsclusters -h 2>/dev/null | while read -r version name _; do pg_ctlcluster "$version" "$name" stop || true; done
  fi
fi

# --ignore-scripts: leveldown loads its bundled prebuilt binary at run time, and the optional
# sqlite3 adapter (unused here) would try to download one from outside the registry.
stamp=node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)
if [ ! -f "$stamp" ]; then
  npm ci --prefix . --ignore-scripts --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi

stamp=.venv-kinto/.installed-$(sha256sum kinto-constraints.txt | cut -c1-16)
if [ ! -f "$stamp" ]; then
  [ -x .venv-kinto/bin/python ] || python3 -m venv .venv-kinto
  .venv-kinto/bin/python -m pip install -q --retries 5 -c kinto-constraints.txt "kinto[postgresql]"
  rm -f .venv-kinto/.installed-*
  touch "$stamp"
fi
echo "sync benchmark peers ready: $(node --version), pouchdb-server $(node -p "require('./node_modules/pouchdb-server/package.json').version"), kinto $(.venv-kinto/bin/kinto version 2>/dev/null || .venv-kinto/bin/pip show kinto | sed -n 's/^Version: //p')"
