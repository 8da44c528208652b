import type { Technique } from '../schema.js';

/**
 * CVE-2019-5736. runc re-executed its own host binary inside the container when the binary it was
 * asked to run was `#!/proc/self/exe`; a container process could then open that binary through
 * /proc and write it once runc exited.
 */
export const technique = {
  id: 'runc-proc-self-exe-overwrite',
  title: 'runc binary overwrite through /proc/self/exe (CVE-2019-5736)',
  class: 'container',
  severity: 'high',
  cves: ['CVE-2019-5736'],
  summary:
    'A root process in the container makes runc execute its own host binary inside the container (a ' +
    '`#!/proc/self/exe` interpreter line on a binary that `runc exec` runs, or as the image entrypoint). ' +
    'It then opens that process through /proc/<pid>/exe and, once runc has exited, writes the host runc ' +
    'binary, so the next runc invocation on the host runs attacker code as root.',
  affected: [
    {
      component: 'runc',
      // The fix (re-exec from a sealed memfd copy) is first in the v1.0.0-rc7 tag; checked with
      // `git tag --contains 0a8e4117` in opencontainers/runc.
      ranges: [{ fixed: '1.0.0-rc7', lastAffected: '1.0.0-rc6' }],
      fixReference: 'https://github.com/opencontainers/runc/commit/0a8e4117e7f715d5fbeef398405813ce8e88558b',
    },
    {
      component: 'moby',
      // Docker shipped patched runc builds before runc tagged rc7: 18.09.2 and 18.06.2-ce apply the
      // CVE-2019-5736 git bundle (moby commits 03dfb0ba and d212dfee); 18.06.3-ce moved to a runc
      // commit with the fix. Docker's "-ce" suffix is dropped: the schema's versions are numeric.
      ranges: [
        { fixed: '18.06.2', lastAffected: '18.06.1' },
        { introduced: '18.09.0', fixed: '18.09.2', lastAffected: '18.09.1' },
      ],
      fixReference: 'https://docs.docker.com/engine/release-notes/18.09/',
    },
  ],
  preconditions: {
    // Root in the container must be root on the host to open the root-owned runc binary for writing.
    noUserNamespace: true,
    attackerControls: ['container-process', 'image'],
    needsHostAction: 'an operator runs `docker exec` / `runc exec` in the container, or starts the image',
  },
  chains: [
    {
      id: 'exec-shebang',
      description:
        'Trap a later `runc exec` into running runc itself inside the container, then overwrite it.',
      steps: [
        {
          why: 'Replace a binary runc exec will run with `#!/proc/self/exe`, so its interpreter is the binary of whatever process executes it.',
          primitive: { kind: 'file', path: '/bin/sh', access: 'w' },
        },
        {
          why: 'runc exec runs /bin/sh; the kernel follows the #! line and executes the host runc binary as a process inside the container.',
          primitive: {
            kind: 'runtime',
            component: 'runc',
            action: 'executes its own host binary inside the container during runc exec',
          },
        },
        {
          why: 'Opening /proc/<pid>/exe of that process is a ptrace read-mode check; it already runs under the container profile.',
          primitive: { kind: 'ptrace', access: 'read', peer: 'container' },
        },
        {
          why: 'Reopening the O_PATH handle (/proc/self/fd/N) for writing after runc exits; AppArmor checks the resolved host binary, outside the container mount namespace and attached at / (attach_disconnected), where Docker packages install runc.',
          primitive: { kind: 'file', path: '/usr/bin/runc', access: 'w' },
        },
        {
          why: 'The next container operation runs the overwritten runc on the host as root.',
          primitive: {
            kind: 'runtime',
            component: 'runc',
            action: 'host runs the overwritten runc binary as root',
            closedBy: ['readonly-runtime-binary'],
          },
        },
      ],
    },
    {
      id: 'malicious-entrypoint',
      description:
        'An image whose entrypoint is `#!/proc/self/exe` makes `runc run` execute itself as container pid 1.',
      steps: [
        {
          why: 'runc init executes the entrypoint, whose #! line points back at runc, so the host runc binary runs inside the container.',
          primitive: {
            kind: 'runtime',
            component: 'runc',
            action: 'executes its own host binary as the container entrypoint during runc run',
          },
        },
        {
          why: 'A second process in the image opens /proc/1/exe: a ptrace read-mode check against a container process.',
          primitive: { kind: 'ptrace', access: 'read', peer: 'container' },
        },
        {
          why: 'Write the host runc binary through the reopened handle; AppArmor sees its host path.',
          primitive: { kind: 'file', path: '/usr/bin/runc', access: 'w' },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade runc to 1.0.0-rc7 or later (Docker 18.09.2 / 18.06.2 or later), which re-executes from a sealed copy of itself.',
    'Run containers in a user namespace: container root cannot open the host runc binary for writing.',
    'Keep the host runc binary on a read-only filesystem; SELinux in enforcing mode also blocks the write.',
  ],
  references: [
    'https://www.openwall.com/lists/oss-security/2019/02/11/2',
    'https://github.com/opencontainers/runc/commit/0a8e4117e7f715d5fbeef398405813ce8e88558b',
    'https://nvd.nist.gov/vuln/detail/CVE-2019-5736',
    'https://blog.dragonsector.pl/2019/02/cve-2019-5736-escape-from-docker-and.html',
  ],
} satisfies Technique;
