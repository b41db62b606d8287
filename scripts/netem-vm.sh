#!/usr/bin/env bash
# netem-vm.sh — boot Debian's stock kernel (which has sch_netem as a module) in a throw-away
# QEMU VM and run one guest script there, for hosts whose own kernel lacks netem.
#
# usage: scripts/netem-vm.sh [--file HOST_PATH]... GUEST_SCRIPT [ARG...]
#
#   --file P      copy P into the guest at the same path, with the shared libraries ldd
#                 lists for it (repeatable). iproute2's ip/tc, bash and busybox always come.
#   GUEST_SCRIPT  a bash script run as root in the guest (lo up; veth, sch_netem, sch_tbf
#                 loaded). Its stdout+stderr is printed here and its exit status is ours.
#
# Exit 125: harness problem (no qemu/busybox/kernel); 124: the VM timed out.
#
# Environment:
#   NETEM_VM_KERNEL    vmlinuz to boot (default: the newest in $NETEM_VM_CACHE/kernel/boot)
#   NETEM_VM_CACHE     where the kernel package is unpacked (default /tmp/chaosctl-netem-vm)
#   NETEM_VM_FETCH=0   do not fetch the kernel; by default a missing kernel is fetched with
#                      `apt-get download` of linux-image-amd64's dependency + `dpkg-deb -x`
#   NETEM_VM_TIMEOUT   seconds before the VM is killed (default 900)
#   NETEM_VM_MEM       guest MiB (default 768)
#   NETEM_VM_ACCEL     kvm or tcg (default: kvm when /dev/kvm works and the CPU has vmx/svm)
#   NETEM_VM_VERBOSE=1 print the guest console on stderr
#   NETEM_VM_KEEP=1    keep the work directory (initramfs, logs)
#
# CI needs: apt-get install --no-install-recommends qemu-system-x86 busybox-static
# (scripts/install-deps.sh has them).
set -euo pipefail

fail() { echo "netem-vm: $*" >&2; exit 125; }

files=()
while [ $# -gt 0 ]; do
  case $1 in
    --file) [ $# -ge 2 ] || fail "--file needs a path"; files+=("$2"); shift 2 ;;
    --) shift; break ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || fail "usage: $0 [--file PATH]... GUEST_SCRIPT [ARG...]"
guest_script=$1; shift
[ -r "$guest_script" ] || fail "cannot read guest script $guest_script"

cache=${NETEM_VM_CACHE:-/tmp/chaosctl-netem-vm}
timeout_s=${NETEM_VM_TIMEOUT:-900}
mem=${NETEM_VM_MEM:-768}

command -v qemu-system-x86_64 >/dev/null || fail "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"
busybox=$(command -v busybox) || fail "busybox missing (apt-get install busybox-static)"
if ldd "$busybox" >/dev/null 2>&1; then fail "$busybox is dynamic; install busybox-static"; fi

# --- guest kernel: Debian's, unpacked (never installed) into the cache
newest_kernel() { ls -1 "$cache"/kernel/boot/vmlinuz-* 2>/dev/null | sort -V | tail -1; }
kernel=${NETEM_VM_KERNEL:-$(newest_kernel)}
if [ -z "$kernel" ] && [ "${NETEM_VM_FETCH:-1}" = 1 ]; then
  resolve() { apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}'; }
  pkg=$(resolve)
  if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then apt-get update -qq >&2 && pkg=$(resolve); fi
  [ -n "$pkg" ] || fail "apt-cache cannot resolve linux-image-amd64 (run apt-get update)"
  mkdir -p "$cache/debs" "$cache/kernel"
  (cd "$cache/debs" && apt-get download "$pkg" >&2) || fail "apt-get download $pkg failed"
  dpkg-deb -x "$(ls -t "$cache"/debs/"$pkg"_*.deb | head -1)" "$cache/kernel" || fail "dpkg-deb -x failed"
  kernel=$(newest_kernel)
fi
[ -n "$kernel" ] && [ -r "$kernel" ] || fail "no guest kernel (set NETEM_VM_KERNEL or allow NETEM_VM_FETCH)"
kver=${kernel##*/vmlinuz-}
moddir=$(dirname "$(dirname "$kernel")")/lib/modules/$kver
[ -d "$moddir" ] || moddir=/lib/modules/$kver
[ -d "$moddir" ] || fail "no modules for $kver"

# --- initramfs
work=$(mktemp -d /tmp/netem-vm.XXXXXX)
trap 'if [ "${NETEM_VM_KEEP:-0}" = 1 ]; then echo "netem-vm: kept $work" >&2; else rm -rf "$work"; fi' EXIT
root=$work/root
mkdir -p "$root"/usr/bin "$root"/usr/sbin "$root"/usr/lib "$root"/usr/lib64 "$root"/proc "$root"/sys \
         "$root"/dev "$root"/tmp "$root"/run "$root"/etc "$root"/root "$root"/var
for d in bin sbin lib lib64; do ln -s usr/$d "$root/$d"; done
ln -s ../run "$root/var/run"

put() {  # copy a host file to the same path in the guest, following symlinks
  local dst="$root$1"
  [ -e "$dst" ] && return 0
  mkdir -p "$(dirname "$dst")"
  cp -L "$1" "$dst"
}
put_with_libs() {
  local f=$1 deps lib
  put "$f"
  if deps=$(ldd "$f" 2>/dev/null); then
    if grep -q 'not found' <<<"$deps"; then fail "ldd $f: missing libraries"; fi
    for lib in $(grep -oE '/[^ ]+' <<<"$deps"); do put "$lib"; done
  fi
}

cp "$busybox" "$root/usr/bin/busybox"
for tool in "$(command -v tc)" "$(command -v ip)" "$(command -v bash)"; do
  [ -x "$tool" ] || fail "host tool missing: $tool (apt-get install iproute2 bash)"
  put_with_libs "$tool"
done
for t in /usr/lib/x86_64-linux-gnu/tc/*.dist /usr/lib/tc/*.dist; do [ -r "$t" ] && put "$t"; done
for f in "${files[@]}"; do
  [ -e "$f" ] || fail "no such file: $f"
  put_with_libs "$(readlink -f "$f")"
  case $f in /*) [ -e "$root$f" ] || { mkdir -p "$root$(dirname "$f")"; cp -L "$f" "$root$f"; } ;; esac
done
cp "$guest_script" "$root/guest.sh"
printf '%q ' "$@" > "$root/guest.args"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\n' > "$root/etc/group"

# Modules the checks need; all three are self-contained (no depends=).
mkdir -p "$root/modules"
for m in veth sch_netem sch_tbf; do
  if grep -q "/$m.ko" "$moddir/modules.builtin" 2>/dev/null; then continue; fi
  src=$(find "$moddir" -name "$m.ko*" | head -1)
  [ -n "$src" ] || fail "module $m not found under $moddir"
  case $src in
    *.xz) xz -dc "$src" ;; *.zst) zstd -qdc "$src" ;; *.gz) gzip -dc "$src" ;; *) cat "$src" ;;
  esac > "$root/modules/$m.ko"
done

cat > "$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /usr/bin
export PATH=/usr/local/bin:/usr/sbin:/usr/bin HOME=/root
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev; mount -t tmpfs run /run
ln -s /proc/self/fd /dev/fd   # bash process substitution
stty -F /dev/ttyS1 raw -echo 2>/dev/null
exec 3>/dev/ttyS1
for m in /modules/*.ko; do insmod "$m" || echo "guest: insmod $m failed" >&3; done
ip link set lo up
echo "@@NETEM-VM-START@@" >&3
eval "bash /guest.sh $(cat /guest.args)" >&3 2>&3
echo "@@NETEM-VM-EXIT $?@@" >&3
sync
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | busybox cpio -o -H newc -R 0:0 2>/dev/null | gzip -1 > "$work/initrd.gz") || fail "cpio failed"

accel=${NETEM_VM_ACCEL:-}
if [ -z "$accel" ]; then
  accel=tcg
  if [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then accel=kvm; fi
fi
case $accel in kvm) cpu=(-accel kvm -cpu host) ;; tcg) cpu=(-accel tcg -cpu max) ;; *) fail "NETEM_VM_ACCEL: kvm or tcg" ;; esac

: > "$work/out"; : > "$work/console"
set +e
timeout -k 5 "$timeout_s" qemu-system-x86_64 "${cpu[@]}" -m "$mem" -smp 1 -nodefaults -no-user-config \
  -display none -nic none -no-reboot \
  -chardev file,id=c0,path="$work/console" -serial chardev:c0 \
  -chardev file,id=c1,path="$work/out" -serial chardev:c1 \
  -kernel "$kernel" -initrd "$work/initrd.gz" \
  -append "console=ttyS0 quiet loglevel=3 panic=-1 mitigations=off" </dev/null >"$work/qemu.log" 2>&1
qrc=$?
set -e
[ "${NETEM_VM_VERBOSE:-0}" = 1 ] && tr -d '\r' < "$work/console" >&2

status=$(tr -d '\r' < "$work/out" | sed -n 's/^@@NETEM-VM-EXIT \([0-9]*\)@@$/\1/p' | tail -1)
tr -d '\r' < "$work/out" | sed -n '/^@@NETEM-VM-START@@$/q;p' >&2
tr -d '\r' < "$work/out" | awk 'started && !/^@@NETEM-VM-EXIT [0-9]*@@$/; /^@@NETEM-VM-START@@$/ {started = 1}'
if [ -z "$status" ]; then
  echo "netem-vm: the guest reported no exit status (qemu exit $qrc, accel $accel)" >&2
  cat "$work/qemu.log" >&2
  tr -d '\r' < "$work/console" | tail -30 >&2
  [ "$qrc" = 124 ] || [ "$qrc" = 137 ] && exit 124
  exit 125
fi
exit "$status"
