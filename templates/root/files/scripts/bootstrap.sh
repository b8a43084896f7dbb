#!/bin/sh
# Prepares a fresh checkout for local development: a .env for each part that has an example.
set -eu
cd "$(dirname "$0")/.."
for example in */.env.example; do
    [ -e "$example" ] || continue
    env_file="${example%.example}"
    [ -e "$env_file" ] || cp "$example" "$env_file"
done
