import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFeatures } from './features.js';
import { exposures, featureAdvice } from './index.js';
import { kernelVersion, parseVersionOutput, parseVersionsFile } from './versions.js';

describe('version probes', () => {
  it.each([
    ['runc', 'runc version 1.1.5+ds1\ncommit: 1.1.5+ds1-1+deb12u1\nspec: 1.0.2-dev', '1.1.5'],
    ['runc', 'runc version 1.0.0-rc93\ncommit: 12644e61', '1.0.0-rc93'],
    ['crun', 'crun version 1.8.1\ncommit: f8a096be060b22ccd3d5f3ebe44108517fbf6c30', '1.8.1'],
    ['containerd', 'containerd containerd.io 1.6.28 ae07eda36dd25f8a1b98dfbf587313b99c0190bb', '1.6.28'],
    [
      'containerd',
      'containerd github.com/containerd/containerd v1.4.2 7ad184331fa3e55e52b890ea95e65ba581ae3429',
      '1.4.2',
    ],
    ['moby', 'Docker version 24.0.7, build 311b9ff', '24.0.7'],
    ['podman', 'podman version 4.3.1', '4.3.1'],
    ['kubelet', 'Kubernetes v1.29.2', '1.29.2'],
    ['cri-o', 'crio version 1.23.1\nVersion:  1.23.1', '1.23.1'],
  ] as const)('%s: %j -> %s', (component, output, want) => {
    expect(parseVersionOutput(component, output)).toBe(want);
  });

  it('reads the kernel release as the catalog compares it', () => {
    expect(kernelVersion('6.1.0-28-amd64')).toBe('6.1.0');
    expect(kernelVersion('5.10.102-99.473.amzn2.x86_64')).toBe('5.10.102');
    expect(kernelVersion('garbage')).toBeUndefined();
  });

  it('versions files: known components only, versions checked', () => {
    expect(parseVersionsFile('{"runc":"1.1.11","kernel":"6.1.0-28-amd64"}', 'v.json')).toEqual({
      runc: '1.1.11',
      kernel: '6.1.0',
    });
    expect(() => parseVersionsFile('{"runk":"1.1.11"}', 'v.json')).toThrow(/runk/);
    expect(() => parseVersionsFile('{"runc":"latest"}', 'v.json')).toThrow(/runc/);
    expect(() => parseVersionsFile('{', 'v.json')).toThrow(/not JSON/);
  });
});

describe('exposures', () => {
  const ids = (v: Record<string, string>) => exposures(v).map((e) => e.technique);

  it('runc 1.1.11 is open to CVE-2024-21626 with 1.1.12 as the fix; 1.1.12 is not', () => {
    const e = exposures({ runc: '1.1.11' }).find((x) => x.technique === 'runc-leaked-fd-workdir');
    expect(e).toMatchObject({ fixedIn: '1.1.12', cves: ['CVE-2024-21626'] });
    expect(ids({ runc: '1.1.12' })).not.toContain('runc-leaked-fd-workdir');
  });

  it('a version newer than every fix is exposed to nothing in that range', () => {
    expect(ids({ runc: '1.4.0', containerd: '2.0.0', kernel: '6.12.0' })).toEqual([]);
  });

  it('CRI-O 1.23.1 is open to the sysctl injection, 1.23.2 is not', () => {
    expect(ids({ 'cri-o': '1.23.1' })).toContain('crio-sysctl-injection-core-pattern');
    expect(ids({ 'cri-o': '1.23.2' })).not.toContain('crio-sysctl-injection-core-pattern');
  });
});

describe('host features', () => {
  function fakeRoot(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'bw-host-'));
    for (const [p, t] of Object.entries(files)) {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), t);
    }
    return root;
  }

  it('reads a cgroup v2 host with AppArmor and user namespaces, and the daemon defaults', () => {
    const root = fakeRoot({
      'proc/self/status': 'Name:\tx\nSeccomp:\t0\n',
      'sys/module/apparmor/parameters/enabled': 'Y\n',
      'proc/sys/user/max_user_namespaces': '63000\n',
      'sys/fs/cgroup/cgroup.controllers': 'cpu memory\n',
      'etc/docker/daemon.json': '{"userns-remap":"default","no-new-privileges":true}',
    });
    const f = readFeatures(root);
    expect(f).toMatchObject({ seccomp: true, apparmor: true, userNamespaces: true, cgroup: 'v2' });
    expect(f.daemon).toMatchObject({ usernsRemap: 'default', noNewPrivileges: true });
    expect(featureAdvice(f)).toEqual([]);
  });

  it('advises on cgroup v1, AppArmor off, user namespaces off and a daemon without defaults', () => {
    const root = fakeRoot({
      'proc/self/status': 'Seccomp:\t0\n',
      'sys/module/apparmor/parameters/enabled': 'N\n',
      'proc/sys/user/max_user_namespaces': '0\n',
      'sys/fs/cgroup/memory/tasks': '',
      'etc/docker/daemon.json': '{}',
    });
    const advice = featureAdvice(readFeatures(root)).join('\n');
    for (const s of [
      'AppArmor is not enabled',
      'user namespaces are off',
      'cgroup v1',
      'userns-remap',
      'no-new-privileges',
    ])
      expect(advice).toContain(s);
  });

  it('a broken daemon.json is reported, not thrown', () => {
    const f = readFeatures(fakeRoot({ 'etc/docker/daemon.json': '{nope' }));
    expect(f.daemon?.error).toBeDefined();
  });
});
