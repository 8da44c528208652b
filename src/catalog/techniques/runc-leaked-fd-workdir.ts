import type { Technique } from '../schema.js';

/**
 * CVE-2024-21626 ("Leaky Vessels"). runc init inherited a descriptor for the host's
 * /sys/fs/cgroup; a working directory of /proc/self/fd/7 put the container process in the host
 * mount namespace, and runc did not check that the cwd was inside the container after chdir.
 */
export const technique = {
  id: 'runc-leaked-fd-workdir',
  title: 'Host filesystem through a leaked runc descriptor as working directory (CVE-2024-21626)',
  class: 'runtime',
  severity: 'high',
  cves: ['CVE-2024-21626'],
  summary:
    'runc 1.0.0-rc93 to 1.1.11 leaked a directory descriptor for the host /sys/fs/cgroup into runc init. ' +
    'A working directory of /proc/self/fd/7 (set by a malicious image, or planted as a symlink at the path ' +
    'an operator passes to `runc exec --cwd`) leaves the new container process with a cwd on the host, ' +
    'from which it reads and writes the whole host filesystem or overwrites host binaries.',
  affected: [
    {
      component: 'runc',
      // Advisory: the leak "was added in v1.0.0-rc93"; fixed in 1.1.12 (OSV: introduced 1.0.0-rc93, fixed 1.1.12).
      ranges: [{ introduced: '1.0.0-rc93', fixed: '1.1.12', lastAffected: '1.1.11' }],
      fixReference: 'https://github.com/opencontainers/runc/releases/tag/v1.1.12',
    },
  ],
  preconditions: {
    attackerControls: ['image', 'container-process'],
  },
  chains: [
    {
      id: 'image-workdir',
      description:
        'Attack 1: a malicious image (WORKDIR /proc/self/fd/7, or a symlink to it) gets pid 1 a host cwd.',
      steps: [
        {
          why: 'runc init chdir()s to /proc/self/fd/7, the leaked host /sys/fs/cgroup handle, and does not check the result is inside the container.',
          primitive: {
            kind: 'runtime',
            component: 'runc',
            action:
              'starts the container process with its working directory on the host through a leaked descriptor',
          },
        },
        {
          why: 'The process opens ../../../etc/shadow relative to that cwd; the file is on the host root mount, outside the container namespace, and AppArmor (attach_disconnected) sees it as /etc/shadow.',
          primitive: { kind: 'file', path: '/etc/shadow', access: 'r' },
        },
        {
          why: 'Writing a host file the same way completes the escape (e.g. a cron entry).',
          primitive: { kind: 'file', path: '/etc/cron.d/escape', access: 'w' },
        },
      ],
    },
    {
      id: 'exec-cwd-symlink',
      description:
        'Attack 2: replace the directory an operator passes to `runc exec --cwd` with a symlink to /proc/self/fd/7.',
      steps: [
        {
          why: 'Replace the expected exec working directory with a symlink to /proc/self/fd/7/.',
          primitive: { kind: 'file', path: '/app', access: 'w' },
        },
        {
          why: 'runc exec chdir()s through the symlink into the leaked host directory.',
          primitive: {
            kind: 'runtime',
            component: 'runc',
            action:
              'starts an exec process with its working directory on the host through a leaked descriptor',
          },
        },
        {
          why: 'Once the exec process runs its binary it is dumpable; opening /proc/<pid>/cwd is a ptrace read check on a container peer.',
          primitive: { kind: 'ptrace', access: 'read', peer: 'container' },
        },
        {
          why: 'Through that cwd the container reads host files, seen by AppArmor at their host paths.',
          primitive: { kind: 'file', path: '/etc/shadow', access: 'r' },
        },
      ],
    },
    {
      id: 'host-binary-overwrite',
      description:
        'Attack 3b: make runc exec run a host binary (/proc/self/fd/7/../../../bin/bash) and overwrite it via /proc/<pid>/exe.',
      steps: [
        {
          why: 'Replace the container binaries runc exec may run with symlinks to /proc/self/fd/7/../../../bin/bash.',
          primitive: { kind: 'file', path: '/bin/bash', access: 'w' },
        },
        {
          why: 'runc exec executes the host /bin/bash through the leaked descriptor.',
          primitive: {
            kind: 'runtime',
            component: 'runc',
            action: 'executes a host binary through a leaked descriptor during runc exec',
          },
        },
        {
          why: 'Opening /proc/<pid>/exe of that process is a ptrace read check on a container peer.',
          primitive: { kind: 'ptrace', access: 'read', peer: 'container' },
        },
        {
          why: 'Write the host binary (usr-merged host: /usr/bin/bash); the next root shell on the host runs attacker code.',
          primitive: { kind: 'file', path: '/usr/bin/bash', access: 'w' },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade runc to 1.1.12 or later: runc closes its descriptors before exec and checks the cwd is inside the container.',
    'Only allow a working directory of / for untrusted images and for `runc exec --cwd`.',
    'User namespaces limit what the leaked view of the host can write.',
  ],
  references: [
    'https://github.com/opencontainers/runc/security/advisories/GHSA-xr7r-f8xq-vfvv',
    'https://github.com/opencontainers/runc/commit/02120488a4c0fc487d1ed2867e901eeed7ce8ecf',
    'https://snyk.io/blog/cve-2024-21626-runc-process-cwd-container-breakout/',
    'https://nvd.nist.gov/vuln/detail/CVE-2024-21626',
  ],
} satisfies Technique;
