/**
 * The probe in real runc containers: the kernel's own answers for Docker's default capability set,
 * with and without Docker's default seccomp profile, and with CAP_SYS_ADMIN added.
 */
import { readdirSync } from 'node:fs';
import os from 'node:os';
import { beforeAll, expect, it } from 'vitest';
import { describeWithTools } from '../../../test/helpers/tools.js';
import { DOCKER_DEFAULT_CAPS, dockerDefaultSpec, ociConfigJson, ociSeccompFromDocker } from './bundle.js';
import { buildProbe, parseProbeLine, probePrimitives, runCommand } from './probe.js';
import {
  type ProbeResult,
  type ProbeSpec,
  parseProbeOutput,
  probeScript,
  RUN_TEMP_PREFIX,
  runProbes,
} from './run.js';

/** Arguments for the primitives that need some (scratch paths live in the container's /tmp). */
const ARGS: Record<string, string[]> = {
  'mount-tmpfs': ['/tmp/bw-mnt'],
  umount: ['/tmp/bw-umnt'],
  unshare: ['10000000'],
  'mknod-block': ['/tmp/bw-blk'],
  'mknod-char': ['/tmp/bw-chr'],
  socket: ['2', '1'],
  personality: ['0'],
  'chmod-setuid': ['/tmp/bw-suid'],
  open: ['/proc/sys/kernel/core_pattern', 'w'],
  'connect-unix': ['@breakwater-none'],
};

function baseSpec(): ProbeSpec {
  const { args: _args, ...rest } = dockerDefaultSpec();
  return rest;
}

function byPrimitive(results: ProbeResult[], primitive: string, args: string[] = []): ProbeResult {
  const r = results.find((x) => x.command.join(' ') === [primitive, ...args].join(' '));
  if (!r) throw new Error(`no result for ${primitive} ${args.join(' ')}`);
  return r;
}

it('splits container output into one result per command (crashes and usage errors included)', () => {
  const cmds = [['socket', '2', '1'], ['bpf'], ['nope']];
  const out = [
    '{"primitive":"socket","ok":true,"errno":0,"errnoName":""}',
    '@@breakwater-end 0',
    '@@breakwater-end 159',
    '{"primitive":"nope","error":"unknown primitive (see probe list)"}',
    '@@breakwater-end 2',
    '',
  ].join('\n');
  const r = parseProbeOutput(cmds, out);
  expect(r.map((x) => [x.primitive, x.ok, x.exitCode])).toEqual([
    ['socket', true, 0],
    ['bpf', false, 159],
    ['nope', false, 2],
  ]);
  expect(r[1]?.error).toMatch(/signal 31/);
  expect(probeScript([['open', "/tmp/a'b", 'r']])).toBe(
    `/probe 'open' '/tmp/a'\\''b' 'r'; echo "@@breakwater-end $?"`,
  );
  expect(parseProbeLine('{"primitive":"x","ok":1}')).toBeUndefined();
});

it('embeds seccomp text verbatim in config.json', () => {
  const text = ociConfigJson({
    ...dockerDefaultSpec(),
    seccomp: '{"defaultAction":"SCMP_ACT_ALLOW","x":18446744073709551615}',
  });
  expect(text).toContain('"seccomp": {"defaultAction":"SCMP_ACT_ALLOW","x":18446744073709551615}');
  expect(JSON.parse(text).linux.seccomp.defaultAction).toBe('SCMP_ACT_ALLOW');
});

describeWithTools(
  'simulate/real: probe in runc containers',
  ['runc', 'gcc', 'timeout'],
  { root: true },
  () => {
    let primitives: readonly string[] = [];
    let dockerSeccomp = '';

    beforeAll(async () => {
      primitives = await probePrimitives();
      dockerSeccomp = await ociSeccompFromDocker();
    });

    it('probe list works on the host', async () => {
      const r = await runCommand(await buildProbe(), ['list'], 10_000);
      expect(r.code).toBe(0);
      expect(primitives.length).toBeGreaterThanOrEqual(29);
      for (const p of [
        'mount-tmpfs',
        'open_by_handle_at',
        'kexec_load',
        'clone3',
        'clone-newuser',
        'socket',
      ]) {
        expect(primitives).toContain(p);
      }
    });

    it('Docker default capabilities, no seccomp: no mount, no open_by_handle_at, sockets fine', async () => {
      const r = await runProbes(baseSpec(), [
        ['mount-tmpfs', '/tmp/bw-mnt'],
        ['socket', '2', '1'],
        ['open_by_handle_at'],
      ]);
      expect(byPrimitive(r, 'mount-tmpfs', ['/tmp/bw-mnt'])).toMatchObject({ ok: false, errnoName: 'EPERM' });
      expect(byPrimitive(r, 'socket', ['2', '1'])).toMatchObject({ ok: true, errno: 0 });
      expect(byPrimitive(r, 'open_by_handle_at')).toMatchObject({ ok: false, errnoName: 'EPERM' });
    });

    it('Docker default seccomp profile: no user namespaces, no AF_ALG', async () => {
      const cmds = [
        ['unshare', '10000000'],
        ['socket', '38', '5'],
        ['socket', '40', '1'],
        ['socket', '2', '1'],
      ];
      const withSeccomp = await runProbes({ ...baseSpec(), seccomp: dockerSeccomp }, cmds);
      expect(byPrimitive(withSeccomp, 'unshare', ['10000000'])).toMatchObject({
        ok: false,
        errnoName: 'EPERM',
      });
      // AF_ALG: the profile's socket rules allow only domain < 38, == 39 and > 40 (this kernel has no
      // AF_ALG at all, EAFNOSUPPORT, so the EPERM is seccomp's).
      expect(byPrimitive(withSeccomp, 'socket', ['38', '5'])).toMatchObject({
        ok: false,
        errnoName: 'EPERM',
      });
      expect(byPrimitive(withSeccomp, 'socket', ['40', '1'])).toMatchObject({
        ok: false,
        errnoName: 'EPERM',
      });
      expect(byPrimitive(withSeccomp, 'socket', ['2', '1'])).toMatchObject({ ok: true });
      // Without the profile the same kernel allows the user namespace: the denial is seccomp's.
      const without = await runProbes(baseSpec(), cmds);
      expect(byPrimitive(without, 'unshare', ['10000000']).ok).toBe(true);
      expect(byPrimitive(without, 'socket', ['38', '5']).errnoName).not.toBe('EPERM');
      expect(byPrimitive(without, 'socket', ['40', '1']).ok).toBe(true);
    });

    it('CAP_SYS_ADMIN, no seccomp: mount-tmpfs is allowed', async () => {
      const r = await runProbes({ ...baseSpec(), capabilities: [...DOCKER_DEFAULT_CAPS, 'CAP_SYS_ADMIN'] }, [
        ['mount-tmpfs', '/tmp/bw-mnt'],
        ['umount', '/tmp/bw-umnt'],
      ]);
      expect(byPrimitive(r, 'mount-tmpfs', ['/tmp/bw-mnt'])).toMatchObject({ ok: true, errno: 0 });
      // Past may_mount(): the directory is just not a mount point.
      expect(byPrimitive(r, 'umount', ['/tmp/bw-umnt'])).toMatchObject({ ok: false, errnoName: 'EINVAL' });
    });

    it('every primitive prints a valid JSON line in a default container (with and without seccomp)', async () => {
      const cmds = primitives.map((p) => [p, ...(ARGS[p] ?? [])]);
      for (const spec of [baseSpec(), { ...baseSpec(), seccomp: dockerSeccomp }]) {
        const r = await runProbes(spec, cmds, { timeoutMs: 30_000 });
        expect(r).toHaveLength(cmds.length);
        for (const [i, res] of r.entries()) {
          expect(res.error, res.command.join(' ')).toBeUndefined();
          expect(res.exitCode).toBe(0);
          expect(res.primitive).toBe(cmds[i]?.[0]);
          expect(res.signal).toBeUndefined();
          expect(res.ok).toBe(res.errno === 0);
          if (!res.ok) expect(res.errnoName).toMatch(/^E[A-Z0-9]+$/);
        }
      }
    });

    it('leaves no temp dirs behind', () => {
      expect(readdirSync(os.tmpdir()).filter((f) => f.startsWith(RUN_TEMP_PREFIX))).toEqual([]);
    });
  },
);
