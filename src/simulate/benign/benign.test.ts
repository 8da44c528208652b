import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InternalError } from '../../errors.js';
import { syscallNumber } from '../../seccomp/syscalls/index.js';
import { BENIGN, BENIGN_FILES, benignById, loadBenign } from './index.js';
import { benignWorkloadSchema } from './schema.js';

const workloadsDir = fileURLToPath(new URL('./workloads/', import.meta.url));
const fileIds = readdirSync(workloadsDir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -'.ts'.length))
  .sort();

/** Docker's default capability set: a benign workload needs nothing beyond it. */
const DOCKER_CAPS = new Set([
  'chown',
  'dac_override',
  'fowner',
  'fsetid',
  'kill',
  'setgid',
  'setuid',
  'setpcap',
  'net_bind_service',
  'net_raw',
  'sys_chroot',
  'mknod',
  'audit_write',
  'setfcap',
]);

/** Namespace flags (CLONE_NEW*), as Docker's seccomp profile masks them. */
const CLONE_NS_MASK = 0x7e020000n;

describe('benign workloads', () => {
  it('holds at least 12 workloads', () => {
    expect(BENIGN.length).toBeGreaterThanOrEqual(12);
  });

  it('imports every file in workloads/ and nothing else', () => {
    expect(Object.keys(BENIGN_FILES).sort()).toEqual(fileIds);
    expect(BENIGN.map((w) => w.id)).toEqual(fileIds);
  });

  it('has unique ids, sorted', () => {
    const ids = BENIGN.map((w) => w.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('finds workloads by id', () => {
    expect(benignById('shell-script')?.title).toMatch(/shell/i);
    expect(benignById('no-such-workload')).toBeUndefined();
  });

  describe.each(BENIGN.map((w) => [w.id, w] as const))('%s', (id, w) => {
    it('parses and its id is its file name', () => {
      expect(benignWorkloadSchema.parse(w).id).toBe(id);
      expect(fileIds).toContain(id);
    });

    it('has at least 5 steps and exercises syscalls and files', () => {
      expect(w.steps.length).toBeGreaterThanOrEqual(5);
      expect(w.steps.some((s) => s.primitive.kind === 'syscall')).toBe(true);
      expect(w.steps.some((s) => s.primitive.kind === 'file')).toBe(true);
    });

    it('names only x86_64 syscalls', () => {
      const unknown = w.steps.flatMap((s) =>
        s.primitive.kind === 'syscall' && syscallNumber('x86_64', s.primitive.name) === undefined
          ? [s.primitive.name]
          : [],
      );
      expect(unknown).toEqual([]);
    });

    it('uses only what an ordinary application needs', () => {
      for (const { primitive: p } of w.steps) {
        expect(['mount', 'umount', 'pivot_root', 'ptrace', 'runtime']).not.toContain(p.kind);
        if (p.kind === 'capability') expect(DOCKER_CAPS.has(p.name), p.name).toBe(true);
        if (p.kind === 'signal' || p.kind === 'ptrace') expect(p.peer).toBe('container');
        if (p.kind === 'syscall') {
          expect(['unshare', 'setns', 'mount', 'ptrace', 'clone3']).not.toContain(p.name);
          if (p.name === 'clone') expect((p.args?.[0] ?? 0n) & CLONE_NS_MASK).toBe(0n);
          // renameat2 flags: never RENAME_EXCHANGE.
          if (p.name === 'renameat2') expect((p.args?.[4] ?? 0n) & 2n).toBe(0n);
        }
        if (p.kind === 'file') expect(p.path.startsWith('/proc/self/')).toBe(false);
      }
    });
  });
});

describe('loadBenign', () => {
  const good = BENIGN_FILES['shell-script'];

  it('names the workload when its data is invalid', () => {
    const bad = { ...good, steps: [] };
    expect(() => loadBenign({ 'shell-script': bad })).toThrow(InternalError);
    expect(() => loadBenign({ 'shell-script': bad })).toThrow(/benign workload "shell-script" is invalid/);
  });

  it('rejects an id that differs from the file name', () => {
    expect(() => loadBenign({ shell: good })).toThrow(
      /"shell-script" is in workloads\/shell\.ts; the id must equal the file name/,
    );
  });

  it('rejects a duplicate id', () => {
    expect(() => loadBenign({ 'shell-script': good, other: good })).toThrow(/is used by/);
  });
});
