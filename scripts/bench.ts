/**
 * Benchmarks (`npm run bench`; `npm run bench -- --json` prints one JSON line per benchmark).
 * Throughput is measured here, never asserted in tests.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOCKER_DEFAULT_PROFILE } from '../src/apparmor/baselines/docker-default.js';
import { type AppArmorQuery, evaluate as aaEvaluate, compileAppArmor } from '../src/apparmor/evaluate.js';
import { compileGlob } from '../src/apparmor/glob.js';
import { parseProfileText } from '../src/apparmor/parser.js';
import { auditText } from '../src/audit/index.js';
import { TECHNIQUES } from '../src/catalog/index.js';
import { compileProfile, evaluate } from '../src/seccomp/evaluate.js';
import { parseProfile } from '../src/seccomp/profile/index.js';
import { syscallTable } from '../src/seccomp/syscalls/index.js';
import type { SeccompQuery } from '../src/seccomp/types.js';
import { builtinDefence } from '../src/simulate/defence.js';
import { decideTechnique } from '../src/simulate/model.js';
import { measureOverhead } from '../src/simulate/real/overhead.js';
import { hasCommand } from '../test/helpers/tools.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const json = process.argv.includes('--json');

interface Result {
  name: string;
  opsPerSec: number;
  ops: number;
  seconds: number;
}

function bench(name: string, minSeconds: number, batch: number, fn: (i: number) => void): Result {
  for (let i = 0; i < batch; i++) fn(i); // warm up the JIT
  let ops = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minSeconds) {
    for (let i = 0; i < batch; i++) fn(ops + i);
    ops += batch;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  return { name, opsPerSec: Math.round(ops / elapsed), ops, seconds: Number(elapsed.toFixed(3)) };
}

const text = readFileSync(join(root, 'data', 'baselines', 'docker-default.json'), 'utf8');
const { profile } = parseProfile(text, 'docker-default.json');
if (!profile) throw new Error('docker-default.json does not parse');

const results: Result[] = [];
const compiled = compileProfile(profile, { arch: 'x86_64' });
// A realistic query mix: every x86_64 syscall, arguments that exercise conditional rules.
const table = syscallTable('x86_64');
const argSets: bigint[][] = [[0n], [0x10000000n], [2n, 1n], [8n], [0xffffffffn], [40n]];
const queries: SeccompQuery[] = [];
for (const { nr } of table) for (const args of argSets) queries.push({ arch: 'x86_64', syscall: nr, args });
results.push(
  bench('seccomp.eval', 2, 100_000, (i) => evaluate(compiled, queries[i % queries.length] as SeccompQuery)),
);
results.push(
  bench('seccomp.compile', 1, 20, () => {
    compileProfile(profile, { arch: 'x86_64' });
  }),
);

// AppArmor glob matching: the per-rule test the file evaluator will run for every path.
const globVariables = new Map([
  [
    'pid',
    [
      '{[1-9],[1-9][0-9],[1-9][0-9][0-9],[1-9][0-9][0-9][0-9],[1-9][0-9][0-9][0-9][0-9],[1-9][0-9][0-9][0-9][0-9][0-9]}',
    ],
  ],
  ['PROC', ['/proc/']],
]);
const globs = [
  '/usr/lib/**',
  '@{PROC}/@{pid}/{mem,maps,task/@{pid}/mem}',
  '/etc/*.conf',
  '/sys/[^f]*/**',
].map((g) => compileGlob(g, { variables: globVariables }));
const globPaths = [
  '/usr/lib/x86_64-linux-gnu/libc.so.6',
  '/proc/12345/mem',
  '/etc/resolv.conf',
  '/sys/kernel/uevent_helper',
];
results.push(
  bench('apparmor.glob', 2, 100_000, (i) => {
    (globs[i & 3] as (typeof globs)[number]).test(globPaths[(i >> 2) & 3] as string);
  }),
);

// AppArmor file decisions against Docker's default profile (our baseline data, includes resolved
// from this machine's /etc/apparmor.d when present, built-in tunables otherwise).
const aaParsed = parseProfileText(DOCKER_DEFAULT_PROFILE, 'docker-default');
if (!aaParsed.ast) throw new Error('docker-default AppArmor profile does not parse');
const aaCompiled = compileAppArmor(aaParsed.ast, { profile: 'docker-default' });
const aaQueries: AppArmorQuery[] = [
  { class: 'file', path: '/proc/sys/kernel/core_pattern', perms: 'w' },
  { class: 'file', path: '/etc/passwd', perms: 'r' },
  { class: 'file', path: '/proc/12345/mem', perms: 'rw' },
  { class: 'file', path: '/sys/firmware/efi/efivars/x', perms: 'r' },
  { class: 'file', path: '/usr/lib/x86_64-linux-gnu/libc.so.6', perms: 'rm' },
  { class: 'file', path: '/proc/sysrq-trigger', perms: 'w' },
  { class: 'file', path: '/tmp/work/data.bin', perms: 'rw' },
  { class: 'file', path: '/proc/kcore', perms: 'r' },
];
results.push(
  bench('apparmor.eval', 2, 20_000, (i) => {
    aaEvaluate(aaCompiled, aaQueries[i & 7] as AppArmorQuery);
  }),
);

// The whole matrix: every technique x the three built-in defences, profiles compiled once.
const simDefences = ['none', 'docker-default', 'breakwater'].map(builtinDefence);
results.push(
  bench('simulate.matrix', 2, 1, () => {
    for (const d of simDefences) for (const t of TECHNIQUES) decideTechnique(d, t);
  }),
);

// Audit throughput: a generated multi-document manifest of 10 000 Deployments, read + checked.
const k8sDocs = Array.from(
  { length: 10_000 },
  (_, i) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
spec:
  template:
    spec:
      hostNetwork: ${i % 7 === 0}
      containers:
        - name: app
          image: registry.example/app:${i}
          securityContext:
            privileged: ${i % 11 === 0}
            capabilities:
              add: [NET_BIND_SERVICE${i % 13 === 0 ? ', SYS_ADMIN' : ''}]
          volumeMounts:
            - name: data
              mountPath: /data
      volumes:
        - name: data
          hostPath:
            path: ${i % 17 === 0 ? '/var/run/docker.sock' : `/srv/app-${i}`}
`,
).join('---\n');
{
  const t0 = performance.now();
  const r = auditText(k8sDocs, 'bench.yaml');
  const seconds = (performance.now() - t0) / 1000;
  if (r.workloads.length !== 10_000) throw new Error(`audit bench read ${r.workloads.length} workloads`);
  results.push({
    name: 'audit.k8s',
    opsPerSec: Math.round(10_000 / seconds),
    ops: 10_000,
    seconds: Number(seconds.toFixed(3)),
  });
}

// Run-time cost of the profiles: a syscall loop inside runc containers (needs root, runc, gcc).
const overhead: Array<{ name: string; ratio: number; nsPerIteration: number }> = [];
if (process.getuid?.() === 0 && hasCommand('runc') && hasCommand('gcc')) {
  for (const o of await measureOverhead())
    overhead.push({
      name: `runtime.overhead.${o.defence}`,
      ratio: o.ratio,
      nsPerIteration: o.nsPerIteration,
    });
} else process.stderr.write('runtime.overhead: skipped (needs root, runc and gcc)\n');

for (const o of overhead) {
  if (json) process.stdout.write(`${JSON.stringify(o)}\n`);
  else process.stdout.write(`${o.name.padEnd(30)} ratio ${o.ratio} (${o.nsPerIteration} ns per loop)\n`);
}

for (const r of results) {
  if (json) process.stdout.write(`${JSON.stringify(r)}\n`);
  else
    process.stdout.write(
      `${r.name.padEnd(18)} ${r.opsPerSec.toLocaleString('en-US').padStart(12)} ops/s  (${r.ops} ops in ${r.seconds}s)\n`,
    );
}
