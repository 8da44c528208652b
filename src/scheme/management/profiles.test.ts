import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeWithTools } from '../../../test/helpers/tools.js';
import { compileAppArmor, evaluate } from '../../apparmor/evaluate.js';
import { parseProfileText } from '../../apparmor/parser.js';
import { validateWithParser } from '../../apparmor/validate.js';
import { techniqueById } from '../../catalog/index.js';
import { generateManagementProfile, generateManagementProfiles, managementProfileName } from './profiles.js';
import { MANAGEMENT_RULES } from './rules/index.js';
import { MANAGEMENT_COMPONENTS, type ManagementRule } from './types.js';

const compile = (text: string) => {
  const { ast, diagnostics } = parseProfileText(text, 'mgmt.aa');
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compileAppArmor(ast as NonNullable<typeof ast>, { includeDirs: [] });
};

describe('management-plane rules', () => {
  it.each(MANAGEMENT_RULES.map((r, i) => [i, r] as const))(
    'rule %i names catalog techniques and says why',
    (_, r) => {
      expect(r.techniques.length).toBeGreaterThan(0);
      for (const t of r.techniques) expect(techniqueById(t), t).toBeDefined();
      expect(r.why.length).toBeGreaterThan(10);
    },
  );

  it('every rule is in its component profile, after a comment naming its techniques', () => {
    const profiles = generateManagementProfiles();
    for (const r of MANAGEMENT_RULES) {
      const text = profiles[r.component];
      expect(text).toContain(`# ${r.techniques.join(', ')}: ${r.why}`);
    }
  });
});

describe('management-plane profiles', () => {
  it.each(MANAGEMENT_COMPONENTS)(
    '%s: parses, and its permissive base still lets the runtime do its job',
    (c) => {
      const p = compile(generateManagementProfile(c));
      expect(p.name).toBe(managementProfileName(c));
      // What every runtime does for every container (if one of these is denied, the rules broke the base).
      const allowed = [
        {
          class: 'mount' as const,
          fstype: 'proc',
          source: 'proc',
          target: '/var/lib/docker/overlay2/x/merged/proc/',
          options: [],
        },
        {
          class: 'file' as const,
          path: '/var/lib/docker/overlay2/x/merged/etc/hostname',
          perms: 'w',
          owner: true,
        },
        { class: 'capability' as const, name: 'sys_admin' },
      ];
      for (const q of allowed) expect(evaluate(p, q).decision, JSON.stringify(q)).toBe('allow');
    },
  );

  it('a deny rule decides against the base (deny wins whatever the order)', () => {
    const rules: ManagementRule[] = [
      {
        component: 'runtime',
        techniques: ['runc-proc-volume-apparmor-bypass'],
        why: 'test rule for the order',
        rule: { kind: 'mount', target: '/**/proc/' },
      },
    ];
    const p = compile(generateManagementProfile('runtime', rules));
    expect(evaluate(p, { class: 'mount', target: '/x/rootfs/proc/', options: ['bind'] }).decision).toBe(
      'deny',
    );
    expect(evaluate(p, { class: 'mount', target: '/x/rootfs/dev/', options: ['bind'] }).decision).toBe(
      'allow',
    );
  });

  it('refuses rule text that would inject into the profile', () => {
    const bad = (rule: ManagementRule['rule']) =>
      generateManagementProfile('runtime', [
        { component: 'runtime', techniques: ['x'], why: 'injection attempt here', rule },
      ]);
    expect(() => bad({ kind: 'file', path: '/a, /** rwx', perms: 'r' })).not.toThrow(); // quoted: one path
    expect(bad({ kind: 'file', path: '/a, /** rwx', perms: 'r' })).toContain('"/a, /** rwx" r,');
    expect(() => bad({ kind: 'file', path: '/a"\n/** rwx', perms: 'r' })).toThrow();
    expect(() => bad({ kind: 'file', path: '/a', perms: 'rw,\n  file' })).toThrow();
    expect(() => bad({ kind: 'unix', perms: ['bind'], addr: '@x" peer=(label=unconfined)' })).toThrow();
    expect(() => bad({ kind: 'capability', name: 'sys_admin, file' })).toThrow();
    expect(() =>
      generateManagementProfile('runtime', [
        {
          component: 'runtime',
          techniques: ['x'],
          why: 'a newline\n  file,',
          rule: { kind: 'capability', name: 'sys_admin' },
        },
      ]),
    ).toThrow();
  });
});

describeWithTools('management-plane profiles load in apparmor_parser', ['apparmor_parser'], {}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'bw-mgmt-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it.each(MANAGEMENT_COMPONENTS)('%s: apparmor_parser -Q -K -T accepts it (abi 3.0 kernel features)', (c) => {
    const file = join(dir, `${c}.aa`);
    writeFileSync(file, generateManagementProfile(c));
    // The stacking transitions need a kernel that stacks; this host has no AppArmor, so tell the
    // parser the abi 3.0 feature set (the VM lab loads the same text into a real 6.1 kernel).
    const r = validateWithParser(file, {
      includeDirs: ['/etc/apparmor.d'],
      kernelFeatures: '/etc/apparmor.d/abi/3.0',
    });
    expect(r.ok, r.stderr).toBe(true);
  });
});
