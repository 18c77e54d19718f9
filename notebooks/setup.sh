#!/bin/sh
# setup.sh points a notebook at this checkout of lanes. The first cell of every notebook runs it:
#
#	!*${GONB_DIR}/setup.sh
#
# GoNB compiles each cell in a Go module of its own in a temporary folder, and `!*` runs a shell
# line in that folder. This script adds to that module's go.mod a replace directive that makes
# github.com/lanesimd/lanes this checkout (the folder above this script) and pins the versions of
# the other modules the notebooks import: GoNB (the same version as the gonb kernel that `make
# notebooks-deps` installs, GONB_VERSION in the Makefile), gonum and gonum/plot.
set -eu
lanes=$(cd "$(dirname "$0")/.." && pwd)
go mod edit \
	-require=github.com/lanesimd/lanes@v0.0.0-00010101000000-000000000000 \
	-replace=github.com/lanesimd/lanes="$lanes" \
	-require=github.com/janpfeifer/gonb@v0.11.4 \
	-require=gonum.org/v1/gonum@v0.17.0 \
	-require=gonum.org/v1/plot@v0.17.0
