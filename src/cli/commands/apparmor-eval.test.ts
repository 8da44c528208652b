import { describe, expect, it } from 'vitest';
import { captureCli } from '../../../test/helpers/cli-capture.js';
import { UsageError } from '../../errors.js';
import { run } from './apparmor-eval.js';

const cli = captureCli('bw-aa-eval-cli-');
const write = (name: string, text: string) => cli.write(name, text);
const PROFILE = `profile a {
  /** rw,
  deny /proc/sys/kernel/core_pattern w,
  capability chown,
  network inet stream,
  mount fstype=cgroup -> /sys/fs/cgroup/**,
  audit unix (connect) peer=(addr="@/containerd-shim/**"),
  ptrace (read) peer=unconfined,
  signal (send) set=(kill) peer=unconfined,
  pivot_root /x/,
  umount /x,
}
profile b flags=(complain) {
}
`;
const lines = () =>
  cli.out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('apparmor eval command', () => {
  it('answers one query from flags', async () => {
    const f = write('p.aa', PROFILE);
    await run(f, {
      include: [],
      profile: 'a',
      path: '/proc/sys/kernel/core_pattern',
      perm: 'w',
      format: 'json',
    });
    expect(lines()).toEqual([
      { decision: 'deny', audited: false, rule: { text: 'deny /proc/sys/kernel/core_pattern w,', line: 3 } },
    ]);
    cli.clear();
    await run(f, { include: [], profile: 'a', network: 'inet,stream', format: 'json' });
    await run(f, { include: [], profile: 'a', capability: 'sys_admin', format: 'json' });
    await run(f, {
      include: [],
      profile: 'a',
      mount: 'fstype=cgroup source=cgroup target=/sys/fs/cgroup/x',
      format: 'json',
    });
    expect(lines().map((l) => l.decision)).toEqual(['allow', 'deny', 'allow']);
    cli.clear();
    await run(f, { include: [], profile: 'b', capability: 'sys_admin', format: 'text' });
    expect(cli.out).toMatch(/^allow .*complain mode; enforce would deny/);
  });

  it('streams every query format of the brief, reporting bad lines and going on', async () => {
    const f = write('p.aa', PROFILE);
    const q = write(
      'q.jsonl',
      [
        '{"class":"file","path":"/proc/sys/kernel/core_pattern","perms":"w","owner":false}',
        '{"class":"capability","name":"sys_admin"}',
        'not json',
        '{"class":"network","domain":"alg","type":"seqpacket"}',
        '{"class":"mount","fstype":"cgroup","source":"cgroup","target":"/tmp/x","options":["rw"]}',
        '',
        '{"class":"umount","target":"/x"}',
        '{"class":"pivot_root","new_root":"/x/","put_old":"/x/old"}',
        '{"class":"ptrace","access":"trace","peer":"unconfined"}',
        '{"class":"signal","access":"send","signal":"kill","peer":"unconfined"}',
        '{"class":"unix","access":"connect","addr":"@/containerd-shim/x.sock"}',
        '{"class":"file","path":"/x"}',
      ].join('\n'),
    );
    await run(f, { include: [], profile: 'a', queries: q, format: 'json' });
    const got = lines();
    expect(got.map((l) => l.decision ?? `error@${l.line}`)).toEqual([
      'deny',
      'deny',
      'error@3',
      'deny',
      'deny',
      'allow',
      'allow',
      'deny',
      'allow',
      'allow',
      'error@12',
    ]);
    expect(got[9]).toEqual({
      decision: 'allow',
      audited: true,
      rule: { text: 'audit unix (connect) peer=(addr=@/containerd-shim/**),', line: 7 },
    });
    expect(cli.err).toContain('q.jsonl:3:1: error:');
    expect(cli.err).toContain('q.jsonl:12:1: error: "perms" must be a string');
    expect(process.exitCode).toBe(2);
  });

  it('rejects bad usage', async () => {
    const f = write('p.aa', PROFILE);
    await expect(run(f, { include: [], profile: 'a', format: 'json' })).rejects.toThrow(UsageError);
    await expect(run(f, { include: [], profile: 'a', path: '/x', format: 'json' })).rejects.toThrow(/--perm/);
    await expect(run(f, { include: [], capability: 'x', format: 'json' })).rejects.toThrow(
      /several profiles/,
    );
    await expect(
      run(f, { include: [], profile: 'a', capability: 'x', queries: '-', format: 'json' }),
    ).rejects.toThrow(/exclusive/);
  });
});
