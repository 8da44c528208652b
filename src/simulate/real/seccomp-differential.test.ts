/**
 * The seccomp layer of the defences on the real kernel: each probe primitive runs in two runc
 * containers with the same (wide) capability set — one without seccomp, one with the profile — so
 * a difference between them is seccomp's doing alone. The model (our evaluator on the same profile
 * text) must predict exactly which primitives the filter stops. Run for Docker's default profile
 * and for the generated breakwater profile, which also proves runc starts containers under it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describeWithTools } from '../../../test/helpers/tools.js';
import { generate } from '../../scheme/index.js';
import { compileProfile, evaluate } from '../../seccomp/evaluate.js';
import { parseDockerProfile } from '../../seccomp/profile/index.js';
import { DOCKER_DEFAULT_PROFILE, dockerDefaultSpec, ociSeccompFromDocker } from './bundle.js';
import { type ProbeResult, type ProbeSpec, runProbes } from './run.js';

/** AT_FDCWD as the filter sees it (a negative int sign-extended to 64 bits). */
const AT_FDCWD = 0xffffffffffffff9cn;

/**
 * Probe command -> the syscall (with the arguments the filter compares) it makes first. Verified
 * against probe/probe.c and glibc 2.36 on x86_64 (mknod -> mknodat, chmod -> chmod).
 */
const CASES: Array<{ cmd: string[]; syscall: string; args?: bigint[] }> = [
  { cmd: ['unshare', '10000000'], syscall: 'unshare', args: [0x10000000n] },
  { cmd: ['setns-self'], syscall: 'setns' },
  { cmd: ['open_by_handle_at'], syscall: 'name_to_handle_at' },
  { cmd: ['keyctl'], syscall: 'keyctl' },
  { cmd: ['add_key'], syscall: 'add_key' },
  { cmd: ['bpf'], syscall: 'bpf' },
  { cmd: ['perf_event_open'], syscall: 'perf_event_open' },
  { cmd: ['userfaultfd'], syscall: 'userfaultfd' },
  { cmd: ['io_uring_setup'], syscall: 'io_uring_setup' },
  { cmd: ['process_vm_writev-self'], syscall: 'process_vm_writev' },
  { cmd: ['mknod-block', '/tmp/bw-blk'], syscall: 'mknodat', args: [AT_FDCWD, 0n, 0o060000n] },
  { cmd: ['mknod-char', '/tmp/bw-chr'], syscall: 'mknodat', args: [AT_FDCWD, 0n, 0o020000n] },
  { cmd: ['renameat2-exchange'], syscall: 'renameat2', args: [AT_FDCWD, 0n, AT_FDCWD, 0n, 2n] },
  { cmd: ['socket', '2', '1'], syscall: 'socket', args: [2n, 1n] },
  { cmd: ['socket', '40', '1'], syscall: 'socket', args: [40n, 1n] },
  { cmd: ['socket', '16', '3'], syscall: 'socket', args: [16n, 3n] },
  { cmd: ['personality', '0'], syscall: 'personality', args: [0n] },
  { cmd: ['personality', '40000'], syscall: 'personality', args: [0x40000n] },
  { cmd: ['splice'], syscall: 'splice' },
  { cmd: ['chmod-setuid', '/tmp/bw-suid'], syscall: 'chmod', args: [0n, 0o4755n] },
  { cmd: ['clone3'], syscall: 'clone3' },
  { cmd: ['clone-newuser'], syscall: 'clone', args: [0x10000011n] },
  { cmd: ['chroot'], syscall: 'chroot' },
  { cmd: ['syslog'], syscall: 'syslog' },
  { cmd: ['mount-tmpfs', '/tmp/bw-mnt'], syscall: 'mount', args: [0n, 0n, 0n, 0xen] },
  { cmd: ['umount', '/tmp/bw-umnt'], syscall: 'umount2', args: [0n, 0n] },
];

/** Wide capabilities, so the kernel's own checks let the calls through and seccomp is what differs. */
const CAPS = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SYS_CHROOT',
  'CAP_SYS_ADMIN',
  'CAP_DAC_READ_SEARCH',
  'CAP_SYS_PTRACE',
  'CAP_SYSLOG',
];

const outcome = (r: ProbeResult | undefined) => (r ? (r.ok ? 'ok' : `${r.errnoName || r.error}`) : 'missing');

// crun runs in a private mount namespace (see run.ts): the same differential, the other runtime.
for (const runtime of ['runc', 'crun'] as const)
  describeWithTools(
    `seccomp on the real kernel matches the model (${runtime})`,
    [runtime, 'gcc', 'unshare'],
    { root: true },
    () => {
      const { args: _a, ...base } = dockerDefaultSpec();
      const spec: ProbeSpec = { ...base, capabilities: CAPS };
      let open: ProbeResult[] = [];
      beforeAll(async () => {
        open = await runProbes(
          spec,
          CASES.map((c) => c.cmd),
          { runtime },
        );
      }, 60_000);

      const profiles: Array<[string, () => string]> = [
        ['docker-default', () => DOCKER_DEFAULT_PROFILE],
        [
          'breakwater',
          () => {
            const dir = mkdtempSync(path.join(os.tmpdir(), 'bw-scheme-'));
            const file = path.join(dir, 'seccomp.json');
            writeFileSync(file, generate().seccomp.text);
            return file;
          },
        ],
      ];

      it.each(profiles)(
        '%s: the filter stops exactly what the evaluator says',
        async (_name, fileOf) => {
          const file = fileOf();
          const { readFileSync } = await import('node:fs');
          const model = compileProfile(
            parseDockerProfile(readFileSync(file, 'utf8'), file).profile as never,
            {
              caps: CAPS,
            },
          );
          const filtered = await runProbes(
            { ...spec, seccomp: await ociSeccompFromDocker(file, CAPS) },
            CASES.map((c) => c.cmd),
            { runtime },
          );
          const disagreements: string[] = [];
          let conclusive = 0;
          for (const [i, c] of CASES.entries()) {
            const d = evaluate(model, { arch: 'x86_64', syscall: c.syscall, args: c.args ?? [] });
            const modelDenies = d.action !== 'SCMP_ACT_ALLOW' && d.action !== 'SCMP_ACT_LOG';
            const without = outcome(open[i]);
            const withFilter = outcome(filtered[i]);
            // seccomp stopped it: the outcome changed to the filter's errno (EPERM, or ENOSYS for clone3)
            const realDenies = withFilter !== without;
            if (without === 'EPERM' && modelDenies && d.errno === 1) continue; // indistinguishable: kernel already says EPERM
            conclusive++;
            if (realDenies !== modelDenies)
              disagreements.push(
                `${c.cmd.join(' ')}: model ${d.action}${d.errno ? `(${d.errno})` : ''}, kernel ${without} -> ${withFilter}`,
              );
          }
          if (process.env.BW_SHOW)
            console.log(
              CASES.map((c, i) => `${c.cmd.join(' ')}: ${outcome(open[i])} -> ${outcome(filtered[i])}`).join(
                '\n',
              ),
            );
          expect(disagreements).toEqual([]);
          expect(conclusive).toBeGreaterThanOrEqual(20);
        },
        60_000,
      );
    },
  );
