#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Capture what firmware leaves in memory (ACPI, MP, SMBIOS tables, BDA/EBDA,
# the BIOS area) from QEMU and Bochs into tests/data/fw/NAME.fwimg.
# Rerunnable: every image is rebuilt from scratch. Usage:
#   tests/data/capture.sh [NAME...]      (default: every configuration)
#
# Each guest gets 32 MiB and no bootable device, so the firmware builds its
# tables, fails to boot (QEMU) or spins in a 4-byte boot sector (Bochs), and
# we dump all of RAM into /tmp; fwimg.py then keeps only the pages that the
# readers look at (see fw/README.md).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=$here/fw
py=/usr/bin/python3
mem_mib=32
work=$(mktemp -d /tmp/fwcap.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# SeaBIOS and qboot are done with their tables well within a second under
# TCG; 3 s leaves room for a loaded host. The dump is taken while SeaBIOS
# sits at "No bootable device" (it would only reboot after 60 s).
qemu_capture() {
	local name=$1
	shift
	local raw=$work/$name.ram
	{
		sleep 3
		echo "pmemsave 0 $((mem_mib << 20)) \"$raw\""
		sleep 1
		echo quit
	} | timeout 60 qemu-system-x86_64 -accel tcg -m ${mem_mib}M -display none \
		-nodefaults -no-user-config -no-reboot -monitor stdio "$@" >"$work/$name.log" 2>&1
	$py "$here/fwimg.py" pack "$raw" "$out/$name.fwimg"
}

# Bochs: the BIOS boots a floppy whose boot sector is `xchg %bx,%bx; jmp .`;
# the magic break stops in the debugger, which dumps RAM and quits.
bochs_capture() {
	local name=$1 chipset=$2 cpus=$3
	local dir=$work/$name
	mkdir -p "$dir"
	$py -c "
b = bytearray(1474560)
b[0:4] = b'\x87\xdb\xeb\xfe'
b[510:512] = b'\x55\xaa'
open('$dir/boot.img', 'wb').write(b)"
	cat >"$dir/bochsrc" <<EOF
megs: $mem_mib
romimage: file=/usr/share/bochs/BIOS-bochs-latest, options=fastboot
vgaromimage: file=/usr/share/vgabios/vgabios.bin
cpu: model=corei7_sandy_bridge_2600k, count=$cpus, ips=10000000, reset_on_triple_fault=0
pci: enabled=1, chipset=$chipset
floppya: 1_44=$dir/boot.img, status=inserted
boot: floppy
display_library: rfb, options="timeout=0"
magic_break: enabled=1
clock: sync=none, time0=946684800
mouse: enabled=0
speaker: enabled=0
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
panic: action=fatal
log: $dir/bochs.log
EOF
	printf 'c\nwritemem "%s" 0 %d\nq\n' "$dir/ram" $((mem_mib << 20)) >"$dir/dbg"
	(cd "$dir" && timeout 60 bochs -q -f bochsrc -rc dbg </dev/null >"$dir/out.txt" 2>&1) || true
	if [ ! -s "$dir/ram" ]; then
		echo "$name: bochs produced no dump, see $dir/out.txt" >&2
		tail -5 "$dir/out.txt" >&2
		return 1
	fi
	$py "$here/fwimg.py" pack "$dir/ram" "$out/$name.fwimg"
}

capture() {
	case $1 in
	qemu-isapc) qemu_capture "$1" -M isapc -cpu 486 ;;
	qemu-pc) qemu_capture "$1" -M pc -smp 4 ;;
	qemu-pc-noacpi) qemu_capture "$1" -M pc -no-acpi -smp 4,sockets=4 ;;
	qemu-q35) qemu_capture "$1" -M q35 -smp 4 ;;
	qemu-q35-ibm) qemu_capture "$1" -M q35,x-oem-id=IBM,x-oem-table-id=SERVIGIL -smp 2 ;;
	# Not asked for by any machine yet, but the only SMBIOS 3.0 entry point
	# we can get, with the VMware identity a machine entry will look for.
	qemu-pc-smbios3) qemu_capture "$1" -M pc,smbios-entry-point-type=64 \
		-smbios 'type=0,vendor=Phoenix Technologies LTD,version=6.00,date=11/12/2020' \
		-smbios 'type=1,manufacturer=VMware,, Inc.,product=VMware Virtual Platform,serial=VMware-56 4d 00 11 22 33 44 55-66 77 88 99 aa bb cc dd' ;;
	qemu-microvm) qemu_capture "$1" -M microvm -smp 2 ;;
	qemu-microvm-noacpi) qemu_capture "$1" -M microvm,acpi=off -smp 2 ;;
	bochs-i440fx) bochs_capture "$1" i440fx 2 ;;
	bochs-i430fx) bochs_capture "$1" i430fx 2 ;;
	*)
		echo "unknown configuration $1" >&2
		return 1
		;;
	esac
	echo "captured $out/$1.fwimg"
}

all="qemu-isapc qemu-pc qemu-pc-noacpi qemu-q35 qemu-q35-ibm qemu-pc-smbios3
     qemu-microvm qemu-microvm-noacpi bochs-i440fx bochs-i430fx"
for n in ${@:-$all}; do
	capture "$n"
done
