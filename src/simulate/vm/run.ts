/**
 * Runs AppArmor probes in a throwaway QEMU VM booted with the host's Debian kernel (AppArmor on),
 * so the evaluator's answers can be compared with the kernel's. One boot runs the whole matrix:
 * every profile is loaded with apparmor_parser, then each probe runs /check (check.c) confined by
 * its profile through /proc/self/attr/apparmor/exec. Nothing runs on the host but gcc and QEMU.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppArmorQuery } from '../../apparmor/evaluate.js';
import { buildInitramfs } from './initramfs.js';

export interface VmProfile {
  name: string;
  text: string;
}

export interface VmQuery {
  /** Name of the profile (as loaded) that confines the probe. */
  profile: string;
  query: AppArmorQuery;
}

export interface VmResult {
  index: number;
  profile: string;
  query: AppArmorQuery;
  allowed: boolean;
  /** 0 when allowed; the errno otherwise (254/255: the probe could not run). */
  errno: number;
}

export interface VmRun {
  results: VmResult[];
  /** Wall time of the boot, the profile loads, every probe and the power-off. */
  bootMs: number;
  /** Lines the VM printed outside the result block (kernel log, parser errors). */
  log: string[];
}

export interface VmOptions {
  kernel?: string;
  memoryMb?: number;
  timeoutSeconds?: number;
}

const HERE = dirname(fileURLToPath(import.meta.url));

export const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The /check arguments for a query. File probes open the path (r, w or rw only); capability
 * probes make a syscall needing exactly that capability (see check.c for which); network probes
 * create a socket; mount probes mount with no flags.
 */
export function probeArgs(q: AppArmorQuery): string[] {
  switch (q.class) {
    case 'file': {
      if (!['r', 'w', 'rw'].includes(q.perms))
        throw new Error(`vm: file probe perms must be r, w or rw: ${q.perms}`);
      return ['file', q.path, q.perms];
    }
    case 'capability':
      return ['cap', q.name];
    case 'network':
      if (!q.type) throw new Error('vm: network probe needs a type');
      return ['socket', q.domain, q.type];
    case 'mount':
      if (!q.fstype || !q.source) throw new Error('vm: mount probe needs fstype and source');
      return ['mount', q.fstype, q.source, q.target.replace(/(.)\/$/, '$1')];
    default:
      throw new Error(`vm: no probe for ${q.class} queries`);
  }
}

/**
 * Other checks the kernel makes on the way for a probe (all must pass for the probe to succeed):
 * the capability probes touch files under /tmp/cap or open sockets; a mount needs sys_admin.
 */
export function impliedQueries(q: AppArmorQuery): AppArmorQuery[] {
  const f = (path: string, perms: string, owner: boolean): AppArmorQuery => ({
    class: 'file',
    path,
    perms,
    owner,
  });
  if (q.class === 'mount') return [{ class: 'capability', name: 'sys_admin' }];
  // packet sockets of any type and inet raw sockets need net_raw
  if (q.class === 'network' && (q.domain === 'packet' || (q.type === 'raw' && q.domain !== 'netlink')))
    return [{ class: 'capability', name: 'net_raw' }];
  if (q.class !== 'capability') return [];
  switch (q.name) {
    case 'chown':
      return [f('/tmp/cap/chown', 'w', true)];
    case 'dac_override':
      return [f('/tmp/cap/noperm', 'w', true)];
    case 'fowner':
      return [f('/tmp/cap/other', 'w', false)];
    case 'mknod':
      return [f('/tmp/cap/nod1', 'w', true)];
    case 'lease':
      return [f('/tmp/cap/other', 'r', false)];
    case 'net_admin':
      return [{ class: 'network', domain: 'inet', type: 'dgram' }];
    case 'net_raw':
      return [{ class: 'network', domain: 'inet', type: 'raw' }];
    case 'net_bind_service':
      return [{ class: 'network', domain: 'inet', type: 'stream' }];
    default:
      return [];
  }
}

/** Setup run unconfined before the probes: /tmp files a file probe opens exist (owned per query). */
function setupLines(queries: readonly VmQuery[]): string[] {
  const lines: string[] = [];
  for (const { query: q } of queries) {
    if (q.class === 'mount') lines.push(`mkdir -p ${sq(q.target)}`);
    if (q.class !== 'file' || !q.path.startsWith('/tmp/')) continue;
    const p = sq(q.path);
    lines.push(`mkdir -p ${sq(dirname(q.path))}`, `touch ${p}`, `chmod 666 ${p}`);
    if (!q.owner) lines.push(`chown 1000:1000 ${p}`);
  }
  return lines;
}

export function initScript(profileCount: number, queries: readonly VmQuery[]): string {
  return [
    '#!/bin/sh',
    'export PATH=/bin:/sbin',
    'mount -t proc proc /proc',
    'mount -t sysfs sys /sys',
    'mount -t securityfs securityfs /sys/kernel/security',
    'mount -t tmpfs tmp /tmp',
    'mkdir -p /tmp/cap',
    'touch /tmp/cap/chown /tmp/cap/noperm /tmp/cap/other',
    'chmod 000 /tmp/cap/noperm',
    'chmod 644 /tmp/cap/other',
    'chown 1000:1000 /tmp/cap/other',
    ...setupLines(queries),
    `i=0; while [ $i -lt ${profileCount} ]; do`,
    '  /sbin/apparmor_parser -r -K -I /etc/apparmor.d /profiles/p$i || echo "BW-LOADFAIL $i"',
    '  i=$((i+1))',
    'done',
    'attr=/proc/self/attr/apparmor/exec; [ -e $attr ] || attr=/proc/self/attr/exec',
    'q() {',
    '  n=$1; p=$2; shift 2',
    '  ( echo "exec $p" > $attr || exit 254; exec /check "$@" )',
    '  r=$?',
    '  if [ $r -eq 0 ]; then a=true; else a=false; fi',
    '  echo "{\\"query\\":$n,\\"allowed\\":$a,\\"errno\\":$r}"',
    '}',
    'echo BW-BEGIN',
    ...queries.map((v, i) => `q ${i} ${[v.profile, ...probeArgs(v.query)].map(sq).join(' ')}`),
    'echo BW-END',
    'poweroff -f',
    '',
  ].join('\n');
}

export function defaultKernel(): string {
  const k = readdirSync('/boot')
    .filter((f) => f.startsWith('vmlinuz-'))
    .sort()
    .pop();
  if (!k) throw new Error('vm: no /boot/vmlinuz-* kernel');
  return join('/boot', k);
}

function runQemu(args: string[], timeoutSeconds: number): Promise<{ stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'timeout',
      ['--kill-after=5', String(timeoutSeconds), 'qemu-system-x86_64', ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, code }));
  });
}

export interface VmBoot {
  /** The lines the VM printed between BW-BEGIN and BW-END. */
  block: string[];
  /** Every other line (kernel log, parser errors). */
  log: string[];
  /** Wall time of the boot, the run and the power-off. */
  ms: number;
}

/**
 * Boots the host's kernel with AppArmor on and `initrd` under QEMU (software emulation) and returns
 * what its /init printed between BW-BEGIN and BW-END; throws with the output's tail when the block
 * is missing (a crash, a timeout). `what` names the caller in errors.
 */
export async function bootAppArmorVm(
  initrd: string,
  opts: VmOptions & { cpus?: number },
  what: string,
): Promise<VmBoot> {
  const t0 = performance.now();
  const { stdout, code } = await runQemu(
    [
      '-accel',
      'tcg',
      ...(opts.cpus ? ['-smp', String(opts.cpus)] : []),
      '-m',
      String(opts.memoryMb ?? 1024),
      '-nographic',
      '-no-reboot',
      '-kernel',
      opts.kernel ?? defaultKernel(),
      '-initrd',
      initrd,
      '-append',
      'console=ttyS0 apparmor=1 security=apparmor panic=-1 quiet',
    ],
    opts.timeoutSeconds ?? 240,
  );
  const ms = performance.now() - t0;
  const lines = stdout.split(/\r?\n/);
  const begin = lines.findIndex((l) => l.includes('BW-BEGIN'));
  const end = lines.findIndex((l) => l.includes('BW-END'));
  if (begin < 0 || end < 0)
    throw new Error(
      `${what}: no result block (qemu exit ${code}); output tail:\n${lines.slice(-80).join('\n')}`,
    );
  return { block: lines.slice(begin + 1, end), log: [...lines.slice(0, begin), ...lines.slice(end + 1)], ms };
}

export async function runVmMatrix(
  profiles: readonly VmProfile[],
  queries: readonly VmQuery[],
  opts: VmOptions = {},
): Promise<VmRun> {
  const work = mkdtempSync(join(tmpdir(), 'breakwater-vm-'));
  try {
    const checkBin = join(work, 'check');
    execFileSync('gcc', ['-static', '-O2', '-o', checkBin, join(HERE, 'check.c')], { stdio: 'pipe' });
    const initrd = join(work, 'initrd.gz');
    writeFileSync(
      initrd,
      buildInitramfs({
        check: readFileSync(checkBin),
        profiles: [...profiles],
        init: initScript(profiles.length, queries),
      }),
    );
    const { block: resultLines, log, ms: bootMs } = await bootAppArmorVm(initrd, opts, 'vm');
    const byIndex = new Map<number, { allowed: boolean; errno: number }>();
    for (const l of resultLines) {
      const m = /\{"query":\d+.*\}/.exec(l);
      if (!m) continue;
      const r = JSON.parse(m[0]) as { query: number; allowed: boolean; errno: number };
      byIndex.set(r.query, { allowed: r.allowed, errno: r.errno });
    }
    const results = queries.map((v, index) => {
      const r = byIndex.get(index);
      if (!r) throw new Error(`vm: no result for query ${index}`);
      return { index, profile: v.profile, query: v.query, ...r };
    });
    return { results, bootMs, log };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
