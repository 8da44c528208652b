import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InternalError } from '../errors.js';
import { loadTechniques, TECHNIQUE_FILES, TECHNIQUES, techniqueById } from './index.js';
import { type Component, type Technique, techniqueSchema } from './schema.js';
import { affectedRangeFor, compareVersions, isAffected } from './version.js';

const techniquesDir = fileURLToPath(new URL('./techniques/', import.meta.url));
const fileIds = readdirSync(techniquesDir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -'.ts'.length))
  .sort();

describe('registry', () => {
  it('holds at least 40 techniques', () => {
    expect(TECHNIQUES.length).toBeGreaterThanOrEqual(40);
  });

  it('imports every file in techniques/ and nothing else', () => {
    expect(Object.keys(TECHNIQUE_FILES).sort()).toEqual(fileIds);
    expect(TECHNIQUES.map((t) => t.id)).toEqual(fileIds);
  });

  it.each(TECHNIQUES.map((t) => [t.id, t] as const))('%s parses and its id is its file name', (id, t) => {
    expect(techniqueSchema.parse(t).id).toBe(id);
    expect(fileIds).toContain(id);
  });

  it('has unique ids, sorted', () => {
    const ids = TECHNIQUES.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('finds techniques by id', () => {
    expect(techniqueById('runc-leaked-fd-workdir')?.cves).toEqual(['CVE-2024-21626']);
    expect(techniqueById('no-such-technique')).toBeUndefined();
  });
});

describe('loadTechniques', () => {
  const good = TECHNIQUE_FILES['docker-socket-mounted'];

  it('names the technique when its data is invalid', () => {
    const bad = { ...good, severity: 'catastrophic' };
    expect(() => loadTechniques({ 'docker-socket-mounted': bad })).toThrow(InternalError);
    expect(() => loadTechniques({ 'docker-socket-mounted': bad })).toThrow(
      /catalog technique "docker-socket-mounted" is invalid/,
    );
  });

  it('names the file when the id itself is unusable', () => {
    expect(() => loadTechniques({ 'some-file': { ...good, id: 42 } })).toThrow(/"some-file" is invalid/);
  });

  it('rejects an id that differs from the file name', () => {
    expect(() => loadTechniques({ 'docker-sock': good })).toThrow(
      /"docker-socket-mounted" is in techniques\/docker-sock\.ts; the id must equal the file name/,
    );
  });

  it('rejects two files with the same id', () => {
    expect(() => loadTechniques({ 'docker-socket-mounted': good, copy: good })).toThrow(
      /id "docker-socket-mounted" is used by techniques\/docker-socket-mounted\.ts and techniques\/copy\.ts/,
    );
  });
});

/** Every CVE the catalog must cover. */
const REQUIRED_CVES = [
  // runc
  'CVE-2019-5736',
  'CVE-2016-9962',
  'CVE-2019-16884',
  'CVE-2019-19921',
  'CVE-2023-27561',
  'CVE-2023-28642',
  'CVE-2021-30465',
  'CVE-2024-21626',
  'CVE-2024-45310',
  'CVE-2025-31133',
  'CVE-2025-52565',
  'CVE-2025-52881',
  'CVE-2022-29162',
  // containerd, moby, buildkit, CRI-O, buildah, kubelet
  'CVE-2020-15257',
  'CVE-2022-23648',
  'CVE-2021-32760',
  'CVE-2022-24769',
  'CVE-2019-14271',
  'CVE-2018-15664',
  'CVE-2021-21284',
  'CVE-2021-41091',
  'CVE-2024-23651',
  'CVE-2024-23652',
  'CVE-2024-23653',
  'CVE-2024-41110',
  'CVE-2022-0811',
  'CVE-2024-1753',
  'CVE-2021-25741',
  // kernel
  'CVE-2022-0492',
  'CVE-2022-0185',
  'CVE-2022-0847',
  'CVE-2016-5195',
];

/** Misconfigurations and CVE-less techniques that must be present, by id. */
const REQUIRED_IDS = [
  'shocker-open-by-handle-at',
  'privileged-mount-host-disk',
  'docker-socket-mounted',
  'containerd-socket-mounted',
  'crio-socket-mounted',
  'podman-socket-mounted',
  'cap-sys-admin-release-agent',
  'cap-sys-module-load-module',
  'host-pid-ptrace-host-process',
  'host-pid-nsenter-host-init',
  'host-pid-proc-root-access',
  'writable-core-pattern',
  'sysrq-trigger-write',
  'uevent-helper-write',
  'proc-sys-kernel-modprobe-write',
  'host-network-loopback-services',
  'device-mknod-block-device',
  'hostpath-root-mount',
  'var-log-symlink-kubelet',
  'binfmt-misc-register',
];

describe('coverage', () => {
  const cves = new Set(TECHNIQUES.flatMap((t) => t.cves));
  it.each(REQUIRED_CVES)('covers %s', (cve) => {
    expect(cves.has(cve)).toBe(true);
  });
  it.each(REQUIRED_IDS)('has %s', (id) => {
    expect(techniqueById(id)).toBeDefined();
  });
  it('lists each CVE in one technique only', () => {
    const all = TECHNIQUES.flatMap((t) => t.cves);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('data rules', () => {
  const byClass = (t: Technique) => t.class === 'misconfiguration';

  it.each(TECHNIQUES.filter(byClass).map((t) => [t.id, t] as const))(
    'misconfiguration %s has no CVE and no affected versions',
    (_id, t) => {
      expect(t.cves).toEqual([]);
      expect(t.affected).toEqual([]);
    },
  );

  it.each(TECHNIQUES.filter((t) => !byClass(t) && t.cves.length > 0).map((t) => [t.id, t] as const))(
    '%s (with CVEs) has at least one affected range',
    (_id, t) => {
      expect(t.affected.flatMap((a) => a.ranges).length).toBeGreaterThan(0);
    },
  );

  it.each(TECHNIQUES.filter((t) => t.class === 'runtime').map((t) => [t.id, t] as const))(
    'runtime-class %s has a runtime step in every chain',
    (_id, t) => {
      for (const chain of t.chains) {
        expect(
          chain.steps.some((s) => s.primitive.kind === 'runtime'),
          chain.id,
        ).toBe(true);
      }
    },
  );

  it.each(TECHNIQUES.map((t) => [t.id, t] as const))(
    '%s: chain ids unique, sentences end with a period',
    (_id, t) => {
      const chainIds = t.chains.map((c) => c.id);
      expect(new Set(chainIds).size).toBe(chainIds.length);
      const sentences = [
        t.summary,
        ...t.mitigations,
        ...t.chains.flatMap((c) => [c.description, ...c.steps.map((s) => s.why)]),
      ];
      for (const s of sentences) expect(s, s).toMatch(/[.)]$/);
    },
  );

  it.each(TECHNIQUES.map((t) => [t.id, t] as const))(
    '%s: file paths are absolute and normalised',
    (_id, t) => {
      for (const step of t.chains.flatMap((c) => c.steps)) {
        const p = step.primitive;
        const path =
          p.kind === 'file' ? p.path : p.kind === 'mount' || p.kind === 'umount' ? p.target : undefined;
        if (path === undefined) continue;
        // The kernel names resolved paths: no `.`/`..` components, no `//`, and never /proc/self.
        expect(path).not.toMatch(/\/\.\.?(\/|$)|\/\/|^\/proc\/self(\/|$)|^\/proc\/thread-self/);
      }
    },
  );
});

describe('version ranges', () => {
  const rows = TECHNIQUES.flatMap((t) =>
    t.affected.flatMap((a) => a.ranges.map((r, i) => [`${t.id} ${a.component}[${i}]`, r] as const)),
  );

  it.each(rows)(
    '%s: lastAffected is affected, fixed is not, introduced <= lastAffected < fixed',
    (_name, r) => {
      expect(isAffected(r, r.lastAffected)).toBe(true);
      if (r.introduced !== undefined) {
        expect(compareVersions(r.introduced, r.lastAffected)).toBeLessThanOrEqual(0);
        expect(isAffected(r, r.introduced)).toBe(true);
      }
      if (r.fixed !== undefined) {
        expect(isAffected(r, r.fixed)).toBe(false);
        expect(compareVersions(r.lastAffected, r.fixed)).toBeLessThan(0);
      }
    },
  );

  it.each(TECHNIQUES.map((t) => [t.id, t] as const))('%s: ranges of a component do not overlap', (_id, t) => {
    const components = new Set(t.affected.map((a) => a.component));
    for (const component of components) {
      const ranges = t.affected.filter((a) => a.component === component).flatMap((a) => a.ranges);
      for (const a of ranges) {
        for (const b of ranges) {
          if (a === b) continue;
          // If two ranges overlapped, one's first affected version would lie in the other.
          if (a.introduced !== undefined)
            expect(isAffected(b, a.introduced), `${component} ${a.introduced}`).toBe(false);
          expect(isAffected(b, a.lastAffected), `${component} ${a.lastAffected}`).toBe(false);
        }
      }
    }
  });
});

/**
 * Known boundaries, written by hand from the advisories and release tags (not derived from the
 * data): [cve, component, version, affected?]. A wrong range in a technique file fails here.
 */
const BOUNDARIES: Array<[string, Component, string, boolean]> = [
  ['CVE-2019-5736', 'runc', '1.0.0-rc6', true],
  ['CVE-2019-5736', 'runc', '1.0.0-rc7', false],
  ['CVE-2019-5736', 'moby', '18.09.1', true],
  ['CVE-2019-5736', 'moby', '18.09.2', false],
  ['CVE-2019-5736', 'moby', '18.06.1', true],
  ['CVE-2019-5736', 'moby', '18.06.2', false],
  ['CVE-2019-5736', 'moby', '18.06.3', false],
  ['CVE-2016-9962', 'runc', '1.0.0-rc2', true],
  ['CVE-2016-9962', 'runc', '1.0.0-rc3', false],
  ['CVE-2016-9962', 'moby', '1.12.5', true],
  ['CVE-2016-9962', 'moby', '1.12.6', false],
  ['CVE-2019-16884', 'runc', '1.0.0-rc8', true],
  ['CVE-2019-16884', 'runc', '1.0.0-rc9', false],
  ['CVE-2019-19921', 'runc', '1.0.0-rc9', true],
  ['CVE-2019-19921', 'runc', '1.0.0-rc10', false],
  ['CVE-2023-27561', 'runc', '1.0.0-rc94', false],
  ['CVE-2023-27561', 'runc', '1.0.0-rc95', true],
  ['CVE-2023-27561', 'runc', '1.1.4', true],
  ['CVE-2023-27561', 'runc', '1.1.5', false],
  ['CVE-2023-28642', 'runc', '1.1.4', true],
  ['CVE-2023-28642', 'runc', '1.1.5', false],
  ['CVE-2021-30465', 'runc', '1.0.0-rc94', true],
  ['CVE-2021-30465', 'runc', '1.0.0-rc95', false],
  ['CVE-2024-21626', 'runc', '1.0.0-rc92', false],
  ['CVE-2024-21626', 'runc', '1.0.0-rc93', true],
  ['CVE-2024-21626', 'runc', '1.1.11', true],
  ['CVE-2024-21626', 'runc', '1.1.12', false],
  ['CVE-2024-21626', 'runc', '1.2.0', false],
  ['CVE-2024-45310', 'runc', '1.1.13', true],
  ['CVE-2024-45310', 'runc', '1.1.14', false],
  ['CVE-2024-45310', 'runc', '1.2.0-rc.2', true],
  ['CVE-2024-45310', 'runc', '1.2.0-rc.3', false],
  ['CVE-2024-45310', 'runc', '1.2.0', false],
  ['CVE-2025-31133', 'runc', '1.1.15', true],
  ['CVE-2025-31133', 'runc', '1.2.7', true],
  ['CVE-2025-31133', 'runc', '1.2.8', false],
  ['CVE-2025-31133', 'runc', '1.3.2', true],
  ['CVE-2025-31133', 'runc', '1.3.3', false],
  ['CVE-2025-31133', 'runc', '1.4.0-rc.2', true],
  ['CVE-2025-31133', 'runc', '1.4.0-rc.3', false],
  ['CVE-2025-31133', 'runc', '1.4.0', false],
  ['CVE-2025-52565', 'runc', '1.0.0-rc2', false],
  ['CVE-2025-52565', 'runc', '1.0.0-rc3', true],
  ['CVE-2025-52565', 'runc', '1.2.7', true],
  ['CVE-2025-52565', 'runc', '1.2.8', false],
  ['CVE-2025-52881', 'runc', '1.3.0', true],
  ['CVE-2025-52881', 'runc', '1.3.3', false],
  ['CVE-2025-52881', 'runc', '1.4.0-rc.3', false],
  ['CVE-2022-29162', 'runc', '1.1.1', true],
  ['CVE-2022-29162', 'runc', '1.1.2', false],
  ['CVE-2020-15257', 'containerd', '1.3.8', true],
  ['CVE-2020-15257', 'containerd', '1.3.9', false],
  ['CVE-2020-15257', 'containerd', '1.4.2', true],
  ['CVE-2020-15257', 'containerd', '1.4.3', false],
  ['CVE-2020-15257', 'containerd', '1.5.0', false],
  ['CVE-2022-23648', 'containerd', '1.4.12', true],
  ['CVE-2022-23648', 'containerd', '1.4.13', false],
  ['CVE-2022-23648', 'containerd', '1.5.9', true],
  ['CVE-2022-23648', 'containerd', '1.5.10', false],
  ['CVE-2022-23648', 'containerd', '1.6.0', true],
  ['CVE-2022-23648', 'containerd', '1.6.1', false],
  ['CVE-2021-32760', 'containerd', '1.4.7', true],
  ['CVE-2021-32760', 'containerd', '1.4.8', false],
  ['CVE-2021-32760', 'containerd', '1.5.3', true],
  ['CVE-2021-32760', 'containerd', '1.5.4', false],
  ['CVE-2022-24769', 'moby', '20.10.13', true],
  ['CVE-2022-24769', 'moby', '20.10.14', false],
  ['CVE-2022-24769', 'containerd', '1.5.10', true],
  ['CVE-2022-24769', 'containerd', '1.5.11', false],
  ['CVE-2022-24769', 'containerd', '1.6.1', true],
  ['CVE-2022-24769', 'containerd', '1.6.2', false],
  ['CVE-2019-14271', 'moby', '19.03.0', true],
  ['CVE-2019-14271', 'moby', '19.03.1', false],
  ['CVE-2019-14271', 'moby', '18.09.6', false],
  ['CVE-2019-14271', 'moby', '18.09.9', false],
  ['CVE-2018-15664', 'moby', '18.09.6', true],
  ['CVE-2018-15664', 'moby', '18.09.7', false],
  ['CVE-2018-15664', 'moby', '19.03.0', false],
  ['CVE-2021-21284', 'moby', '19.03.14', true],
  ['CVE-2021-21284', 'moby', '19.03.15', false],
  ['CVE-2021-21284', 'moby', '20.10.2', true],
  ['CVE-2021-21284', 'moby', '20.10.3', false],
  ['CVE-2021-41091', 'moby', '20.10.8', true],
  ['CVE-2021-41091', 'moby', '20.10.9', false],
  ['CVE-2024-23651', 'buildkit', '0.12.4', true],
  ['CVE-2024-23651', 'buildkit', '0.12.5', false],
  ['CVE-2024-23651', 'moby', '24.0.9', true],
  ['CVE-2024-23651', 'moby', '25.0.2', false],
  ['CVE-2024-23652', 'buildkit', '0.12.4', true],
  ['CVE-2024-23652', 'buildkit', '0.12.5', false],
  ['CVE-2024-23653', 'buildkit', '0.12.4', true],
  ['CVE-2024-23653', 'buildkit', '0.12.5', false],
  ['CVE-2024-41110', 'moby', '18.09.9', false],
  ['CVE-2024-41110', 'moby', '19.03.15', true],
  ['CVE-2024-41110', 'moby', '20.10.27', true],
  ['CVE-2024-41110', 'moby', '23.0.14', true],
  ['CVE-2024-41110', 'moby', '23.0.15', false],
  ['CVE-2024-41110', 'moby', '24.0.9', true],
  ['CVE-2024-41110', 'moby', '25.0.5', true],
  ['CVE-2024-41110', 'moby', '25.0.6', false],
  ['CVE-2024-41110', 'moby', '26.0.2', true],
  ['CVE-2024-41110', 'moby', '26.1.4', true],
  ['CVE-2024-41110', 'moby', '26.1.5', false],
  ['CVE-2024-41110', 'moby', '27.0.3', true],
  ['CVE-2024-41110', 'moby', '27.1.0', true],
  ['CVE-2024-41110', 'moby', '27.1.1', false],
  ['CVE-2022-0811', 'cri-o', '1.18.4', false],
  ['CVE-2022-0811', 'cri-o', '1.19.5', true],
  ['CVE-2022-0811', 'cri-o', '1.19.6', false],
  ['CVE-2022-0811', 'cri-o', '1.20.6', true],
  ['CVE-2022-0811', 'cri-o', '1.20.7', false],
  ['CVE-2022-0811', 'cri-o', '1.21.5', true],
  ['CVE-2022-0811', 'cri-o', '1.21.6', false],
  ['CVE-2022-0811', 'cri-o', '1.22.2', true],
  ['CVE-2022-0811', 'cri-o', '1.22.3', false],
  ['CVE-2022-0811', 'cri-o', '1.23.1', true],
  ['CVE-2022-0811', 'cri-o', '1.23.2', false],
  ['CVE-2024-1753', 'buildah', '1.35.0', true],
  ['CVE-2024-1753', 'buildah', '1.35.1', false],
  ['CVE-2024-1753', 'buildah', '1.34.1', true],
  ['CVE-2024-1753', 'buildah', '1.34.2', false],
  ['CVE-2024-1753', 'buildah', '1.33.7', false],
  ['CVE-2024-1753', 'buildah', '1.30.0', true],
  ['CVE-2024-1753', 'podman', '4.9.3', true],
  ['CVE-2024-1753', 'podman', '4.9.4', false],
  ['CVE-2024-1753', 'podman', '5.0.0', true],
  ['CVE-2024-1753', 'podman', '5.0.1', false],
  ['CVE-2021-25741', 'kubelet', '1.19.14', true],
  ['CVE-2021-25741', 'kubelet', '1.19.15', false],
  ['CVE-2021-25741', 'kubelet', '1.20.10', true],
  ['CVE-2021-25741', 'kubelet', '1.20.11', false],
  ['CVE-2021-25741', 'kubelet', '1.21.4', true],
  ['CVE-2021-25741', 'kubelet', '1.21.5', false],
  ['CVE-2021-25741', 'kubelet', '1.22.1', true],
  ['CVE-2021-25741', 'kubelet', '1.22.2', false],
  ['CVE-2022-0492', 'kernel', '2.6.23', false],
  ['CVE-2022-0492', 'kernel', '4.9.300', true],
  ['CVE-2022-0492', 'kernel', '4.9.301', false],
  ['CVE-2022-0492', 'kernel', '4.14.266', false],
  ['CVE-2022-0492', 'kernel', '4.19.229', false],
  ['CVE-2022-0492', 'kernel', '5.4.176', true],
  ['CVE-2022-0492', 'kernel', '5.4.177', false],
  ['CVE-2022-0492', 'kernel', '5.10.96', true],
  ['CVE-2022-0492', 'kernel', '5.10.97', false],
  ['CVE-2022-0492', 'kernel', '5.12.19', true],
  ['CVE-2022-0492', 'kernel', '5.15.19', true],
  ['CVE-2022-0492', 'kernel', '5.15.20', false],
  ['CVE-2022-0492', 'kernel', '5.16.5', true],
  ['CVE-2022-0492', 'kernel', '5.16.6', false],
  ['CVE-2022-0492', 'kernel', '5.17', false],
  ['CVE-2022-0185', 'kernel', '5.0.21', false],
  ['CVE-2022-0185', 'kernel', '5.4.172', true],
  ['CVE-2022-0185', 'kernel', '5.4.173', false],
  ['CVE-2022-0185', 'kernel', '5.10.93', false],
  ['CVE-2022-0185', 'kernel', '5.15.15', true],
  ['CVE-2022-0185', 'kernel', '5.15.16', false],
  ['CVE-2022-0185', 'kernel', '5.16.1', true],
  ['CVE-2022-0185', 'kernel', '5.16.2', false],
  ['CVE-2022-0847', 'kernel', '5.4.200', false],
  ['CVE-2022-0847', 'kernel', '5.7.19', false],
  ['CVE-2022-0847', 'kernel', '5.8', true],
  ['CVE-2022-0847', 'kernel', '5.10.101', true],
  ['CVE-2022-0847', 'kernel', '5.10.102', false],
  ['CVE-2022-0847', 'kernel', '5.13.19', true],
  ['CVE-2022-0847', 'kernel', '5.15.24', true],
  ['CVE-2022-0847', 'kernel', '5.15.25', false],
  ['CVE-2022-0847', 'kernel', '5.16.10', true],
  ['CVE-2022-0847', 'kernel', '5.16.11', false],
  ['CVE-2022-0847', 'kernel', '5.17', false],
  ['CVE-2016-5195', 'kernel', '2.6.21', false],
  ['CVE-2016-5195', 'kernel', '3.18.43', true],
  ['CVE-2016-5195', 'kernel', '3.18.44', false],
  ['CVE-2016-5195', 'kernel', '4.4.25', true],
  ['CVE-2016-5195', 'kernel', '4.4.26', false],
  ['CVE-2016-5195', 'kernel', '4.7.8', true],
  ['CVE-2016-5195', 'kernel', '4.7.9', false],
  ['CVE-2016-5195', 'kernel', '4.8.2', true],
  ['CVE-2016-5195', 'kernel', '4.8.3', false],
  ['CVE-2016-5195', 'kernel', '4.9', false],
];

describe('known version boundaries', () => {
  it('covers at least 15 CVEs', () => {
    expect(new Set(BOUNDARIES.map(([cve]) => cve)).size).toBeGreaterThanOrEqual(15);
  });

  it.each(BOUNDARIES)('%s: %s %s affected = %s', (cve, component, version, expected) => {
    const technique = TECHNIQUES.find((t) => t.cves.includes(cve));
    expect(technique, `no technique lists ${cve}`).toBeDefined();
    const affected = technique?.affected ?? [];
    expect(
      affected.some((a) => a.component === component),
      `${cve} lists no ${component} range`,
    ).toBe(true);
    expect(affectedRangeFor(affected, component, version) !== undefined).toBe(expected);
  });
});
