#!/bin/sh
# Regenerate both hashed locks (uv: `python3 -m pip install uv`), from the repository root.
# requirements.lock: what the app needs to run (production); requirements-test.lock: that, at the
# same versions (-c), plus the test tools. setuptools (read from stdin, "-") is pyproject's
# build-system requirement: dev.py builds qimap with --no-build-isolation, so from this hashed copy.
set -eu
cd "$(dirname "$0")/.."
echo "setuptools>=69" | uv pip compile pyproject.toml - --universal --python-version 3.11 \
  --generate-hashes --custom-compile-command "sh scripts/lock.sh" -o requirements.lock "$@"
echo "setuptools>=69" | uv pip compile pyproject.toml - --extra test -c requirements.lock \
  --universal --python-version 3.11 --generate-hashes --custom-compile-command "sh scripts/lock.sh" \
  -o requirements-test.lock "$@"
