#!/bin/sh
# Prepares a fresh checkout for local development: a .env for each part that
# has a .env.example, with a secret key generated on this machine.
set -eu
cd "$(dirname "$0")/.."
for example in */.env.example; do
    [ -e "$example" ] || continue
    env_file="${example%.example}"
    [ -e "$env_file" ] && continue
    # A secret key made here, on this machine, so it is never committed.
    key=$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 50)
    sed "s/^DJANGO_SECRET_KEY=.*/DJANGO_SECRET_KEY=$key/" "$example" >"$env_file"
done
