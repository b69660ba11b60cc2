#!/bin/sh
# deps.sh - install the Debian packages Daytona's build, run and tests need.
#
# Quiet and quick when everything is there (one dpkg-query). As root it
# installs what is missing with apt-get; otherwise it prints the exact
# command to run and fails, so `make run` and `make test` never half-work.
set -eu

PACKAGES="make gcc libc6-dev nasm gcc-i686-linux-gnu binutils-i686-linux-gnu libc6-dev-i386-cross gcc-mingw-w64-i686 \
grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools qemu-system-x86 ovmf python3 \
xfonts-base xfonts-75dpi tar gnuplot-nox"

missing=""
for p in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done
[ -z "$missing" ] && exit 0

echo "deps: missing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
    echo "deps: not root; run this, then try again:"
    echo "    sudo apt-get update && sudo apt-get install -y$missing"
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
echo "deps: apt-get update"
apt-get update -qq
echo "deps: apt-get install$missing"
# shellcheck disable=SC2086
apt-get install -y -qq $missing
echo "deps: done"
