/**
 * Benign workloads for real: ordinary things containers do, as busybox shell scripts, run in a real
 * container built from a defence (the same lab container as the technique engine: seccomp, capability
 * set, no-new-privileges, masked and read-only paths; see engine.ts labContainer). Each must exit 0
 * and print its marker; under `breakwater` a failure is a defence that breaks applications.
 *
 * The model's 13 benign workloads (src/simulate/benign/) describe real programs (nginx, postgres,
 * apt-get, gcc...) that busybox does not have; each script below does with busybox applets what the
 * model workloads it `covers` claim — the same kinds of syscalls on the same kinds of objects. What
 * busybox cannot do is listed in NOT_REPRODUCED.
 *
 * The rootfs gets every busybox applet as a /bin symlink and the /etc files a Debian image has
 * (passwd, group, hosts, resolv.conf, nsswitch.conf, host.conf); `lo` is brought up from the host
 * side as Docker does for `--network none` (bundle.ts `loopbackUp`).
 */
import type { Defence } from '../defence.js';
import type { RootfsExtras } from './bundle.js';
import { type DaemonKind, runInLane } from './daemon.js';
import { labContainer } from './engine.js';
import { type ContainerRun, runContainer } from './run.js';
import type { LabRuntime } from './runtimes.js';

export interface RealBenignWorkload {
  id: string;
  title: string;
  /** Ids of the model's benign workloads (src/simulate/benign/workloads) whose claims this exercises. */
  covers: readonly string[];
  /** Run as `/bin/sh -c SCRIPT` (busybox ash). Must end by printing `marker`. */
  script: string;
  /** The line the script prints when every check passed. */
  marker: string;
}

/** What the model's workloads do that busybox cannot show here, and why. */
export const NOT_REPRODUCED: Readonly<Record<string, string>> = {
  'gcc-compile': 'no compiler in the rootfs (busybox only)',
  'git-clone': 'no outbound network (--network none); TCP connect is shown on loopback (http-loopback)',
  'tls-client': 'no TLS server or outbound network; TCP connect is shown on loopback (http-loopback)',
  'cron-like-scheduler':
    "busybox crond's granularity is a minute; its job start (fork, setsid, drop to www-data, exec) is shown by privilege-drop",
};

const marker = (id: string) => `@@benign-ok ${id}`;

/** Repeats `cmd` until it succeeds (up to ~5 s): servers started in the background need a moment. */
const RETRY = `retry() { i=0; until "$@"; do i=$((i+1)); [ $i -lt 50 ] || return 1; usleep 100000; done; }`;

const workloads: Array<Omit<RealBenignWorkload, 'marker'>> = [
  {
    id: 'shell-pipeline',
    title: 'Shell: pipes, subshells, command substitution, here-documents, redirections',
    covers: ['shell-script'],
    script: `set -e
grep -c root /etc/passwd | wc -l > /tmp/count.txt
[ "$(cat /tmp/count.txt)" = 1 ]
x=$( (echo a; echo b; echo c) | sort -r | head -n 1 )
[ "$x" = c ]
[ "$(echo "$(echo "$(echo nested)")")" = nested ]
tr a-z A-Z > /tmp/here <<'EOF'
heredoc text
EOF
[ "$(cat /tmp/here)" = "HEREDOC TEXT" ]
( cd /tmp && echo sub > sub.txt ) 2>/dev/null
[ -f /tmp/sub.txt ]
n=0; while [ $n -lt 50 ]; do n=$((n+1)); done; [ $n = 50 ]
case "$(uname -s)" in Linux) ;; *) exit 1 ;; esac
{ echo one; echo two >&2; } > /tmp/out 2> /tmp/err
[ "$(cat /tmp/out)" = one ] && grep -q '^two$' /tmp/err
exec 3> /tmp/fd3; echo via-fd3 >&3; exec 3>&-
grep -q via-fd3 /tmp/fd3`,
  },
  {
    id: 'file-io',
    title: 'File I/O in /tmp and on the root filesystem',
    covers: ['shell-script', 'log-rotation', 'package-install', 'python-app-start', 'database-fsync'],
    script: `set -e
for d in /tmp /var/lib/app; do
  mkdir -p "$d/a/b/c"
  echo one > "$d/a/b/c/f"
  echo two >> "$d/a/b/c/f"
  [ "$(wc -l < "$d/a/b/c/f")" -eq 2 ]
  mv "$d/a/b/c/f" "$d/a/b/c/g"
  [ ! -e "$d/a/b/c/f" ]
  chmod 0640 "$d/a/b/c/g"; [ "$(stat -c %a "$d/a/b/c/g")" = 640 ]
  chmod u+x,g-r "$d/a/b/c/g"; [ "$(stat -c %a "$d/a/b/c/g")" = 700 ]
  ln -s c/g "$d/a/b/sym"; [ "$(head -n 1 "$d/a/b/sym")" = one ]; [ "$(readlink "$d/a/b/sym")" = c/g ]
  ln "$d/a/b/c/g" "$d/a/hard"; [ "$(stat -c %h "$d/a/hard")" = 2 ]
  chown 33:33 "$d/a/hard"; [ "$(stat -c %u:%g "$d/a/hard")" = 33:33 ]
  touch -d '2020-01-02 03:04:05' "$d/a/hard"; [ "$(date -r "$d/a/hard" +%Y)" = 2020 ]
  truncate -s 4096 "$d/a/hard"; [ "$(stat -c %s "$d/a/hard")" = 4096 ]
  dd if=/dev/zero of="$d/a/big" bs=65536 count=16 conv=fsync 2>/dev/null
  [ "$(stat -c %s "$d/a/big")" = 1048576 ]
  cp -a "$d/a" "$d/copy"; [ -L "$d/copy/b/sym" ]
  find "$d/copy" -type f | wc -l | grep -q 3
  mkfifo "$d/a/fifo"; [ -p "$d/a/fifo" ]
  rm -r "$d/a" "$d/copy"; [ ! -e "$d/a" ]
done
t=$(mktemp /tmp/x.XXXXXX); echo data > "$t"; sync "$t"; rm "$t"
mkdir -p /var/lib/app/dir; rmdir /var/lib/app/dir`,
  },
  {
    id: 'http-loopback',
    title: 'HTTP server on loopback port 80 (drops to www-data) and a client in the same container',
    covers: ['nginx-like-server', 'health-check', 'node-app-start', 'python-app-start'],
    script: `set -e
${RETRY}
mkdir -p /tmp/www; echo hello-breakwater > /tmp/www/index.html; chmod -R a+rX /tmp/www
httpd -f -p 127.0.0.1:80 -h /tmp/www -u www-data:www-data & pid=$!
retry wget -q -O /tmp/got http://127.0.0.1:80/index.html
grep -q hello-breakwater /tmp/got
grep -q '^Uid:[[:space:]]*33[[:space:]]' /proc/$pid/status
grep -q '^State:.[RS]' /proc/1/status
httpd -f -p 8080 -h /tmp/www & pid2=$!
retry wget -q -O /tmp/got2 http://localhost:8080/
grep -q hello-breakwater /tmp/got2
kill $pid $pid2; wait $pid $pid2 || true`,
  },
  {
    id: 'fork-exec',
    title: 'fork/exec: many short-lived children, xargs, background jobs and wait',
    covers: ['shell-script', 'python-app-start', 'cron-like-scheduler', 'log-rotation'],
    script: `set -e
n=0; while [ $n -lt 200 ]; do /bin/true; n=$((n+1)); done
[ "$(seq 1 100 | xargs -n 10 echo | wc -l)" = 10 ]
[ "$(seq 1 20 | xargs -P 4 -I{} sh -c 'echo {}' | wc -l)" = 20 ]
for j in 1 2 3 4 5 6 7 8; do ( usleep 100000; echo $j > /tmp/job$j ) & done
wait
[ "$(ls /tmp/job* | wc -l)" = 8 ]
set +e; sh -c 'exit 3'; rc=$?; set -e; [ $rc = 3 ]
sleep 5 & s=$!; kill -TERM $s; set +e; wait $s; rc=$?; set -e; [ $rc = 143 ]
timeout 5 sleep 0.1
sh -c 'renice -n 5 -p $$' > /dev/null
env -i PATH=/bin sh -c 'exec echo exec-ok' | grep -q exec-ok
setsid sh -c 'echo setsid-ok > /tmp/setsid'; [ -f /tmp/setsid ]
printf '#!/bin/sh\\necho script-ok\\n' > /tmp/script.sh; chmod 755 /tmp/script.sh
/tmp/script.sh | grep -q script-ok`,
  },
  {
    id: 'dns-resolver',
    title: 'Resolver files and a DNS query over UDP to the configured name server',
    covers: ['dns-lookup', 'health-check', 'package-install', 'git-clone', 'tls-client'],
    script: `set -e
cat /etc/nsswitch.conf /etc/host.conf /etc/hosts /etc/resolv.conf > /dev/null
grep -q '^hosts:.*files.*dns' /etc/nsswitch.conf
grep -q '^nameserver ' /etc/resolv.conf
grep -q localhost /etc/hosts
[ -n "$(hostname)" ]
# The query goes to 127.0.0.1 (Docker rewrites resolv.conf and there is no network but lo): nothing
# listens on port 53, so the kernel answers with ICMP port unreachable and "Connection refused"
# proves socket/connect/send reached the network stack.
out=$(nslookup -timeout=1 -retry=1 db.internal 127.0.0.1 2>&1 || true)
case "$out" in *"Connection refused"*) ;; *) echo "nslookup: $out" >&2; exit 1 ;; esac`,
  },
  {
    id: 'log-rotation',
    title: 'Log rotation: rename, recreate with owner and mode, gzip, SIGHUP the server',
    covers: ['log-rotation'],
    script: `set -e
${RETRY}
mkdir -p /var/log/app /var/lib/logrotate
sh -c 'trap "echo reopened >> /var/log/app/hup" HUP; echo $$ > /run/app.pid; while :; do usleep 50000; done' & srv=$!
retry test -s /run/app.pid
for i in 1 2 3; do echo "GET /$i" >> /var/log/app/access.log; done
mv /var/log/app/access.log /var/log/app/access.log.1
: > /var/log/app/access.log
chown 33:4 /var/log/app/access.log; chmod 640 /var/log/app/access.log
[ "$(stat -c %u:%g:%a /var/log/app/access.log)" = 33:4:640 ]
kill -HUP "$(cat /run/app.pid)"
retry grep -q reopened /var/log/app/hup
gzip -9 /var/log/app/access.log.1
[ -f /var/log/app/access.log.1.gz ] && [ ! -e /var/log/app/access.log.1 ]
[ "$(gunzip -c /var/log/app/access.log.1.gz | wc -l)" = 3 ]
echo 'app 2026-1-1' > /var/lib/logrotate/status.tmp; mv /var/lib/logrotate/status.tmp /var/lib/logrotate/status
kill $srv; wait $srv || true`,
  },
  {
    id: 'privilege-drop',
    title: 'Entrypoint fixes ownership and drops to a service user (gosu/su, cron jobs, apt sandbox)',
    covers: ['database-fsync', 'cron-like-scheduler', 'nginx-like-server', 'package-install'],
    script: `set -e
mkdir -p /var/lib/postgresql/data /var/spool/cron
chown -R 999:999 /var/lib/postgresql; chmod 700 /var/lib/postgresql/data
[ "$(su -s /bin/sh postgres -c 'id -u'):$(su -s /bin/sh postgres -c 'id -g')" = 999:999 ]
su -s /bin/sh postgres -c 'echo owned > /var/lib/postgresql/data/PG_VERSION'
[ "$(stat -c %u /var/lib/postgresql/data/PG_VERSION)" = 999 ]
su -s /bin/sh www-data -c 'setsid sh -c "id -un > /tmp/cronjob"'; [ "$(cat /tmp/cronjob)" = www-data ]
start-stop-daemon -S -c nobody:nogroup -n job -a /bin/sh -- -c 'id -u > /tmp/ssd'; [ "$(cat /tmp/ssd)" = 65534 ]
# A dropped user cannot write root's files (DAC, not a defence refusal).
set +e; su -s /bin/sh www-data -c 'echo x >> /etc/passwd' 2>/dev/null; rc=$?; set -e; [ $rc != 0 ]`,
  },
  {
    id: 'database-durable-writes',
    title:
      'Database-like durable writes: preallocate, write, fsync/fdatasync, shared memory, SysV IPC, unix socket',
    covers: ['database-fsync'],
    script: `set -e
${RETRY}
d=/var/lib/db; mkdir -p $d/pg_wal $d/base
fallocate -l 16777216 $d/pg_wal/000000010000000000000001
[ "$(stat -c %s $d/pg_wal/000000010000000000000001)" = 16777216 ]
dd if=/dev/urandom of=$d/base/16384 bs=8192 count=64 conv=fsync 2>/dev/null
dd if=$d/base/16384 of=$d/pg_wal/000000010000000000000001 bs=8192 count=8 seek=4 conv=notrunc,fsync 2>/dev/null
sync -d $d/pg_wal/000000010000000000000001; sync $d/base/16384; sync -f $d
dd if=/dev/zero of=/dev/shm/PostgreSQL.1234 bs=1048576 count=8 2>/dev/null; rm /dev/shm/PostgreSQL.1234
# syslogd -C keeps its log in SysV shared memory guarded by a semaphore (shmget/shmat/semop) and
# listens on the unix datagram socket /dev/log; logger writes to it, logread reads the buffer.
syslogd -n -C64 & sl=$!
retry test -S /dev/log
logger -t db checkpoint-complete
retry sh -c 'logread | grep -q checkpoint-complete'
kill $sl; wait $sl || true`,
  },
  {
    id: 'package-install',
    title:
      'Package install: fetch into the cache, unpack, set owner/mode (setgid binary), fsync, rename into place, run',
    covers: ['package-install'],
    script: `set -e
mkdir -p /tmp/pkg/usr/local/bin /tmp/pkg/etc/tool /var/cache/apt/archives/partial /var/lib/dpkg/info
printf '#!/bin/sh\\necho tool-ran\\n' > /tmp/pkg/usr/local/bin/tool; chmod 755 /tmp/pkg/usr/local/bin/tool
echo 'key=value' > /tmp/pkg/etc/tool/tool.conf
tar -C /tmp/pkg -czf /var/cache/apt/archives/partial/tool_1.0_amd64.tgz .
mv /var/cache/apt/archives/partial/tool_1.0_amd64.tgz /var/cache/apt/archives/
mkdir -p /tmp/unpack; tar -C /tmp/unpack -xzf /var/cache/apt/archives/tool_1.0_amd64.tgz
mkdir -p /usr/local/bin /etc/tool
cp /tmp/unpack/usr/local/bin/tool /usr/local/bin/tool.dpkg-new
chown 0:102 /usr/local/bin/tool.dpkg-new; chmod 2755 /usr/local/bin/tool.dpkg-new
touch -d '2024-05-06 07:08:09' /usr/local/bin/tool.dpkg-new; sync /usr/local/bin/tool.dpkg-new
mv /usr/local/bin/tool.dpkg-new /usr/local/bin/tool
[ "$(stat -c %a:%u:%g /usr/local/bin/tool)" = 2755:0:102 ]
cp /tmp/unpack/etc/tool/tool.conf /etc/tool/tool.conf
find /tmp/unpack -type f | sed 's,^/tmp/unpack,,' > /var/lib/dpkg/info/tool.list
grep -q /usr/local/bin/tool /var/lib/dpkg/info/tool.list
/usr/local/bin/tool | grep -q tool-ran
su -s /bin/sh nobody -c /usr/local/bin/tool | grep -q tool-ran
tar -C / -xzf /var/cache/apt/archives/tool_1.0_amd64.tgz ./etc/tool/tool.conf
rm -r /tmp/pkg /tmp/unpack`,
  },
  {
    id: 'process-introspection',
    title: 'Reading /proc and the environment as runtimes and health checks do',
    covers: ['node-app-start', 'health-check', 'python-app-start'],
    script: `set -e
for f in /proc/1/status /proc/self/maps /proc/self/stat /proc/self/cgroup /proc/self/mountinfo /proc/meminfo /proc/cpuinfo /proc/uptime /proc/loadavg /proc/self/limits; do
  [ -n "$(head -c 64 "$f")" ] || { echo "empty $f" >&2; exit 1; }
done
[ "$(nproc)" -ge 1 ]
free > /dev/null; uptime > /dev/null; ps > /dev/null; df / > /dev/null
id | grep -q 'uid=0'
[ -r /dev/urandom ] && head -c 16 /dev/urandom | od -An -tx1 | grep -q .
[ -c /dev/null ] && echo x > /dev/null
date +%s | grep -q '^[0-9]*$'
ulimit -n > /dev/null
env | grep -q '^PATH='`,
  },
];

/** The real benign workloads (each script ends by printing its marker). */
export const REAL_BENIGN_WORKLOADS: readonly RealBenignWorkload[] = workloads.map((w) => ({
  ...w,
  script: `${w.script.replace(/^set -e\n/, 'set -ex\n')}\necho '${marker(w.id)}'`,
  marker: marker(w.id),
}));

/** Users and groups of a Debian image plus the service users the workloads switch to. */
const PASSWD = `root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
nginx:x:101:101:nginx user:/nonexistent:/usr/sbin/nologin
_apt:x:42:65534::/nonexistent:/usr/sbin/nologin
postgres:x:999:999:PostgreSQL administrator:/var/lib/postgresql:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
`;
const GROUP = `root:x:0:
daemon:x:1:
adm:x:4:
www-data:x:33:
nginx:x:101:
crontab:x:102:
postgres:x:999:
nogroup:x:65534:
`;

/** Rootfs additions the workloads need: every applet linked in /bin, the /etc files of an image. */
export const BENIGN_ROOTFS: RootfsExtras = {
  applets: 'all',
  dirs: { '/run': 0o755, '/var/log': 0o755, '/var/lib': 0o755, '/root': 0o700, '/usr/local/bin': 0o755 },
  files: {
    '/etc/passwd': PASSWD,
    '/etc/group': GROUP,
    '/etc/shadow': { content: 'root:*:19000:0:99999:7:::\n', mode: 0o640 },
    '/etc/hosts': '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n',
    '/etc/resolv.conf': 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n',
    '/etc/nsswitch.conf': 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\n',
    '/etc/host.conf': 'multi on\n',
    '/etc/hostname': 'breakwater-probe\n',
  },
};

export interface BenignResult {
  workload: string;
  defence: string;
  runtime: LabRuntime;
  ok: boolean;
  exitCode: number | null;
  /** Why it failed (no marker, exit status, timeout). */
  error?: string;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs each workload in its own container built from the defence (no technique preconditions) and
 * reports whether it worked: exit 0 and its marker printed.
 */
export async function runBenignWorkloads(
  defence: Defence,
  runtime: LabRuntime = 'runc',
  list: readonly RealBenignWorkload[] = REAL_BENIGN_WORKLOADS,
  opts: { timeoutMs?: number } = {},
): Promise<BenignResult[]> {
  const lab = await labContainer(defence);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const out: BenignResult[] = [];
  for (const w of list) {
    const args = ['/bin/sh', '-c', w.script];
    let r: ContainerRun;
    if (runtime === 'runc' || runtime === 'crun') {
      r = await runContainer(
        { ...lab.spec, args, loopbackUp: true },
        { runtime, timeoutMs, rootfs: BENIGN_ROOTFS },
      );
    } else {
      const { seccomp: _oci, ...rest } = lab.spec;
      r = await runInLane(
        { ...rest, ...(lab.dockerSeccomp !== undefined ? { seccompProfile: lab.dockerSeccomp } : {}) },
        args,
        { kind: runtime as DaemonKind, timeoutMs, rootfs: BENIGN_ROOTFS },
      );
    }
    const hasMarker = r.stdout.split('\n').some((l) => l.trim() === w.marker);
    const ok = r.code === 0 && hasMarker;
    const res: BenignResult = {
      workload: w.id,
      defence: defence.id,
      runtime,
      ok,
      exitCode: r.code,
      stdout: r.stdout,
      stderr: r.stderr,
      ms: Math.round(r.ms),
    };
    if (!ok)
      res.error =
        r.signal || r.code === 137
          ? `killed after ${timeoutMs} ms`
          : `exit ${r.code}${hasMarker ? '' : ', no marker'}`;
    out.push(res);
  }
  return out;
}
