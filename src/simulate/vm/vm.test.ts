/**
 * The AppArmor evaluator against the real kernel: one QEMU boot of the host's Debian kernel with
 * AppArmor on loads docker-default, the generated breakwater profile and a hand-written profile,
 * runs every probe confined, and each kernel verdict must equal the evaluator's.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeWithTools } from '../../../test/helpers/tools.js';
import { DOCKER_DEFAULT_PROFILE } from '../../apparmor/baselines/docker-default.js';
import { type AppArmorQuery, compileAppArmor, evaluate } from '../../apparmor/evaluate.js';
import { parseProfileText } from '../../apparmor/parser.js';
import { generate } from '../../scheme/index.js';
import { impliedQueries, runVmMatrix, type VmProfile, type VmQuery } from './run.js';

const HAND = new URL('../../../test/corpus/apparmor-vm/vm-globs.aa', import.meta.url);

const f = (path: string, perms: string, owner: boolean): AppArmorQuery => ({
  class: 'file',
  path,
  perms,
  owner,
});
const cap = (name: string): AppArmorQuery => ({ class: 'capability', name });
const net = (domain: string, type: string): AppArmorQuery => ({ class: 'network', domain, type });
const mnt = (target: string): AppArmorQuery => ({
  class: 'mount',
  fstype: 'tmpfs',
  source: 'tmpfs',
  target,
  options: [],
});

const QUERIES: AppArmorQuery[] = [
  f('/tmp/vm/pub/a.txt', 'r', false),
  f('/tmp/vm/pub/a.txt', 'w', false),
  f('/tmp/vm/pub/a.log', 'w', false),
  f('/tmp/vm/pub/sub/b.log', 'w', false),
  f('/tmp/vm/pub/secret1', 'r', false),
  f('/tmp/vm/own/f', 'rw', true),
  f('/tmp/vm/own/g', 'rw', false),
  f('/tmp/vm/a/file1', 'rw', false),
  f('/tmp/vm/b/file10', 'r', false),
  f('/tmp/vm/c/file1', 'r', false),
  f('/tmp/vm/any1/x', 'r', false),
  f('/tmp/vm/any12/x', 'r', false),
  f('/proc/sys/kernel/hostname', 'r', true),
  f('/proc/sys/kernel/hostname', 'w', true),
  f('/proc/sys/kernel/domainname', 'w', true),
  f('/proc/sys/kernel/shmmax', 'w', true),
  f('/proc/sys/vm/overcommit_memory', 'r', true),
  f('/proc/sys/vm/overcommit_memory', 'w', true),
  f('/proc/sys/net/ipv4/ip_forward', 'w', true),
  f('/proc/sysrq-trigger', 'w', true),
  f('/proc/kcore', 'r', true),
  f('/proc/uptime', 'r', true),
  f('/sys/kernel/security/apparmor/profiles', 'r', true),
  f('/sys/kernel/mm/transparent_hugepage/enabled', 'w', true),
  f('/sys/kernel/mm/transparent_hugepage/enabled', 'r', true),
  ...[
    'chown',
    'dac_override',
    'fowner',
    'setuid',
    'setgid',
    'mknod',
    'sys_admin',
    'sys_time',
    'sys_module',
    'sys_boot',
    'sys_chroot',
    'sys_nice',
    'sys_resource',
    'setpcap',
    'net_admin',
    'net_raw',
    'net_bind_service',
    'lease',
  ].map(cap),
  net('inet', 'stream'),
  net('inet', 'dgram'),
  net('inet6', 'stream'),
  net('unix', 'stream'),
  net('unix', 'dgram'),
  net('netlink', 'dgram'),
  net('netlink', 'raw'),
  net('packet', 'dgram'),
  mnt('/tmp/vm/mnt/'),
  mnt('/tmp/vm/other/'),
];

describeWithTools(
  'AppArmor in a VM',
  ['qemu-system-x86_64', 'apparmor_parser', 'gcc'],
  { root: false },
  () => {
    it('the kernel and the evaluator agree on every probe', { timeout: 400_000 }, async () => {
      const scheme = generate();
      const profiles: VmProfile[] = [
        { name: 'docker-default', text: DOCKER_DEFAULT_PROFILE },
        { name: scheme.apparmorName, text: scheme.apparmor },
        { name: 'vm-globs', text: readFileSync(HAND, 'utf8') },
      ];
      const compiled = new Map(
        profiles.map((p) => {
          const { ast, diagnostics } = parseProfileText(p.text, `${p.name}.aa`);
          if (!ast) throw new Error(`${p.name}: ${JSON.stringify(diagnostics)}`);
          return [p.name, compileAppArmor(ast, { includeDirs: ['/etc/apparmor.d'] })] as const;
        }),
      );
      const queries: VmQuery[] = profiles.flatMap((p) =>
        QUERIES.map((query) => ({ profile: p.name, query })),
      );

      const run = await runVmMatrix(profiles, queries);
      console.log(
        `[apparmor-vm] ${queries.length} probes, ${profiles.length} profiles, one boot: ${(run.bootMs / 1000).toFixed(1)} s (boot + load + probes + power-off)`,
      );
      const loadFails = run.log.filter((l) => l.includes('BW-LOADFAIL'));
      expect(loadFails, run.log.join('\n')).toEqual([]);

      const disagreements: string[] = [];
      for (const r of run.results) {
        const p = compiled.get(r.profile);
        if (!p) throw new Error(r.profile);
        const steps = [r.query, ...impliedQueries(r.query)].map((q) => ({ q, d: evaluate(p, q).decision }));
        const model = steps.every((s) => s.d === 'allow');
        // 128+N: the probe died of signal N; 254/255: it could not start
        expect(r.errno, `probe ${r.index} (${JSON.stringify(r.query)}) could not run`).toBeLessThan(128);
        if (model !== r.allowed)
          disagreements.push(
            `${r.profile} ${JSON.stringify(r.query)}: kernel ${r.allowed ? 'allow' : `deny (errno ${r.errno})`}, ` +
              `evaluator ${model ? 'allow' : 'deny'} [${steps.map((s) => `${JSON.stringify(s.q)}=${s.d}`).join(', ')}]`,
          );
      }
      if (process.env.BW_VM_VERBOSE)
        for (const r of run.results)
          console.log(
            `${r.profile} ${JSON.stringify(r.query)} -> ${r.allowed ? 'allow' : `deny ${r.errno}`}`,
          );
      if (disagreements.length) console.log(disagreements.join('\n'));
      expect(disagreements).toEqual([]);
      expect(queries.length).toBeGreaterThanOrEqual(40);
    });
  },
);
