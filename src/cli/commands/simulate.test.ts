import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { captureCli } from '../../../test/helpers/cli-capture.js';
import { describeWithTools } from '../../../test/helpers/tools.js';
import { validateWithParser } from '../../apparmor/validate.js';
import { UsageError } from '../../errors.js';
import { run as harden } from './harden.js';
import { run as simulate } from './simulate.js';

const cli = captureCli('bw-sim-');
const schema = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../../docs/simulation-report.schema.json', import.meta.url)),
    'utf8',
  ),
);
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);
const flags = (over: Record<string, unknown> = {}) => ({
  defence: [],
  format: 'table',
  out: cli.dir,
  write: false,
  ...over,
});

describe('simulate command', () => {
  it('prints the matrix with a summary line per defence and writes nothing with --no-write', async () => {
    await simulate(flags());
    expect(cli.out).toMatch(/^docker-default blocks \d+\/\d+ container-side techniques/m);
    expect(cli.out).toMatch(/^breakwater blocks \d+\/\d+ container-side techniques$/m);
    expect(cli.out).toContain('benign workloads (must keep working)');
    expect(existsSync(join(cli.dir, 'report.json'))).toBe(false);
  });

  it('--format json is the versioned document its published JSON Schema accepts', async () => {
    await simulate(flags({ format: 'json' }));
    const report = JSON.parse(cli.out);
    expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(report.defences.map((d: { id: string }) => d.id)).toEqual([
      'none',
      'docker-default',
      'breakwater',
    ]);
    // every benign workload keeps working under the generated defence
    expect(
      report.benign.filter(
        (b: { defence: string; verdict: string }) => b.defence === 'breakwater' && b.verdict === 'breaks',
      ),
    ).toEqual([]);
  });

  it('writes report.json and a self-contained report.html', async () => {
    await simulate(flags({ write: true, defence: ['docker-default'] }));
    const html = readFileSync(join(cli.dir, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/i);
    expect(JSON.parse(readFileSync(join(cli.dir, 'report.json'), 'utf8')).schemaVersion).toBe(1);
  });

  it('adds a custom defence from profile files and capabilities', async () => {
    const aa = cli.write('p.aa', 'profile mine {\n  file,\n  capability,\n  network,\n}\n');
    await simulate(flags({ format: 'json', defence: ['none'], apparmor: aa, caps: 'CAP_CHOWN,sys_admin' }));
    const report = JSON.parse(cli.out);
    expect(report.defences.map((d: { id: string }) => d.id)).toEqual(['none', 'custom']);
    // mount is not in `mine`, so the cgroup escape is stopped there, and the evidence points into p.aa
    const r = report.results.find(
      (x: { technique: string; defence: string }) =>
        x.technique === 'cap-sys-admin-release-agent' && x.defence === 'custom',
    );
    expect(r.verdict).toBe('blocked');
    expect(JSON.stringify(r.chains)).toContain('"layer":"apparmor"');
  });

  it('refuses an unknown defence', async () => {
    await expect(simulate(flags({ defence: ['nope'] }))).rejects.toBeInstanceOf(UsageError);
  });
});

describe('harden command', () => {
  it('writes the management procedures beside the report, and shows them in the matrix and the HTML', async () => {
    await simulate(flags({ write: true }));
    expect(cli.out).toContain(
      'management procedures (the runtime, shim or copy helper does the harm on the host)',
    );
    expect(cli.out).toMatch(/^breakwater\+management blocks \d+\/10 management procedures/m);
    const procedures = JSON.parse(readFileSync(join(cli.dir, 'procedures.json'), 'utf8'));
    expect(validate(procedures), JSON.stringify(validate.errors)).toBe(true);
    expect(procedures.defences.map((d: { id: string }) => d.id)).toEqual([
      'none',
      'docker-default',
      'breakwater',
      'breakwater+management',
    ]);
    expect(readFileSync(join(cli.dir, 'report.html'), 'utf8')).toContain('Management procedures × defences');
  });

  it('--suite procedures --format json: the model document for the four procedure defences', async () => {
    await simulate(flags({ suite: 'procedures', format: 'json' }));
    const report = JSON.parse(cli.out);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.results).toHaveLength(40);
    // The management plane is what closes the procfs label bypass in the model.
    const bypass = report.results.find(
      (r: { technique: string; defence: string }) =>
        r.technique === 'runc-proc-volume-apparmor-bypass' && r.defence === 'breakwater+management',
    );
    expect(bypass.verdict).toBe('blocked');
    expect(bypass.reason).toContain('management-apparmor');
  });

  it('refuses an unknown suite, and container-defence options with the procedures suite', async () => {
    await expect(simulate(flags({ suite: 'kernel' }))).rejects.toBeInstanceOf(UsageError);
    await expect(simulate(flags({ suite: 'procedures', defence: ['none'] }))).rejects.toBeInstanceOf(
      UsageError,
    );
    await expect(simulate(flags({ suite: 'procedures', runtime: 'crun' }))).rejects.toBeInstanceOf(
      UsageError,
    );
  });

  it('writes seccomp.json, apparmor.profile, runtime.json and provenance.json', async () => {
    await harden({ out: cli.dir, caps: 'CAP_CHOWN,net_bind_service' });
    const seccomp = JSON.parse(readFileSync(join(cli.dir, 'seccomp.json'), 'utf8'));
    expect(seccomp.defaultAction).toBe('SCMP_ACT_ERRNO');
    const runtime = JSON.parse(readFileSync(join(cli.dir, 'runtime.json'), 'utf8'));
    expect(runtime).toMatchObject({
      capabilities: ['chown', 'net_bind_service'],
      noNewPrivileges: true,
      userNamespace: true,
    });
    const profile = readFileSync(join(cli.dir, 'apparmor.profile'), 'utf8');
    expect(profile).toContain('capability chown net_bind_service,');
    expect(profile).toMatch(/techniques: .*docker-socket-mounted/);
    const prov = JSON.parse(readFileSync(join(cli.dir, 'provenance.json'), 'utf8'));
    expect(prov.seccomp.open_by_handle_at).toContain('shocker-open-by-handle-at');
    // The management plane, allowed to start containers under this scheme's profile.
    const runtimeProfile = readFileSync(
      join(cli.dir, 'management', 'breakwater-mgmt-runtime.profile'),
      'utf8',
    );
    expect(runtimeProfile).toContain('change_profile -> "&breakwater-default",');
    expect(runtimeProfile).toMatch(/# runc-proc-volume-apparmor-bypass.*\n\s*audit deny/);
    expect(runtimeProfile).not.toContain('/run/bw-lab');
  });
});

describeWithTools('harden output loads in apparmor_parser', ['apparmor_parser'], {}, () => {
  it('apparmor_parser -Q -K -T accepts apparmor.profile', async () => {
    await harden({ out: cli.dir });
    const r = validateWithParser(join(cli.dir, 'apparmor.profile'), { includeDirs: ['/etc/apparmor.d'] });
    expect(r.ok, r.stderr).toBe(true);
  });
});

describeWithTools('simulate --engine real', ['runc', 'gcc'], { root: true }, () => {
  it('verifies each verdict on the kernel and says how many steps agreed', async () => {
    await simulate(flags({ format: 'json', defence: ['docker-default'], engine: 'real', runtime: 'runc' }));
    const report = JSON.parse(cli.out);
    expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const v = report.results.map((r: { verified?: { compared: number; agreed: number } }) => r.verified);
    expect(v.every(Boolean)).toBe(true);
    const compared = v.reduce((a: number, x: { compared: number }) => a + x.compared, 0);
    expect(compared).toBeGreaterThanOrEqual(20);
    expect(v.reduce((a: number, x: { agreed: number }) => a + x.agreed, 0)).toBe(compared);
    expect(cli.err).toMatch(/verified on kernel \S+ with runc: (\d+)\/\1 steps/);
  }, 60_000);

  it('refuses an unknown engine or runtime', async () => {
    await expect(simulate(flags({ engine: 'vm' }))).rejects.toBeInstanceOf(UsageError);
    await expect(simulate(flags({ engine: 'real', runtime: 'lxc' }))).rejects.toBeInstanceOf(UsageError);
  });
});
