#!/bin/sh
# run.sh - boot the Daytona ISO in QEMU for a person to look at.
#
# With a display ($DISPLAY or $WAYLAND_DISPLAY) QEMU opens a window. Without
# one it runs headless: the serial log (and GRUB's menu) on this terminal and
# the screen on a VNC server at 127.0.0.1:5900. Ctrl-A X quits QEMU.
# FIRMWARE=uefi boots through OVMF instead of SeaBIOS. A second argument
# names the GRUB entry to boot at once (normal-k: the NT 4.0 layout).
set -eu
iso=${1:-build/daytona.iso}
entry=${2:-}
pick=""
[ -n "$entry" ] && pick="-smbios type=1,family=daytona-boot:$entry"
firmware=${FIRMWARE:-bios}
[ -f "$iso" ] || { echo "run: $iso is missing (make iso)"; exit 1; }

case "$firmware" in
    bios) qemu="qemu-system-i386" ; fw="" ;;
    uefi) qemu="qemu-system-x86_64" ; fw="-bios /usr/share/ovmf/OVMF.fd" ;;
    *) echo "run: FIRMWARE must be bios or uefi"; exit 1 ;;
esac

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    display="-display default"
    echo "run: booting $iso ($firmware) in a QEMU window; serial log below. Ctrl-A X quits."
else
    display="-display none -vnc 127.0.0.1:0"
    echo "run: no display: booting $iso ($firmware) headless."
    echo "run: screen on VNC 127.0.0.1:5900, serial log below. Ctrl-A X quits."
fi

# shellcheck disable=SC2086
exec $qemu -M pc -m 128M $fw -cdrom "$iso" -boot d -serial mon:stdio $display \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -no-reboot $pick
