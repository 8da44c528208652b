import type { Technique } from '../schema.js';

/**
 * "Shocker" (2014, no CVE). open_by_handle_at() opens a file from a handle without any path, so a
 * process with CAP_DAC_READ_SEARCH that holds a descriptor on a host filesystem (any bind-mounted
 * file) can open every file of that filesystem.
 */
export const technique = {
  id: 'shocker-open-by-handle-at',
  title: 'Shocker: host files opened by handle with CAP_DAC_READ_SEARCH',
  class: 'kernel',
  severity: 'high',
  cves: [],
  summary:
    'open_by_handle_at(2) resolves a file handle on the filesystem of a given descriptor, ignoring mount ' +
    'namespaces and chroot. With CAP_DAC_READ_SEARCH a container opens a bind-mounted host file such as ' +
    '/etc/hosts, then brute-forces handles from the root inode to open /etc/shadow of the host. Every ' +
    'kernel behaves this way: the flaw is granting the capability (Docker did before 1.0).',
  affected: [],
  preconditions: {
    capabilities: ['dac_read_search'],
    noUserNamespace: true,
  },
  chains: [
    {
      id: 'handle-walk',
      description: 'Use a bind-mounted host file as the mount descriptor and walk handles.',
      steps: [
        {
          why: '/etc/hosts is bind-mounted from the host, so its descriptor refers to the host root filesystem.',
          primitive: { kind: 'file', path: '/etc/hosts', access: 'r' },
        },
        {
          why: 'open_by_handle_at needs CAP_DAC_READ_SEARCH in the initial user namespace.',
          primitive: { kind: 'capability', name: 'dac_read_search' },
        },
        {
          why: 'Open handles starting at the root inode (2) and walk directories to the target (mount_fd 3 = /etc/hosts, O_RDONLY).',
          primitive: { kind: 'syscall', name: 'open_by_handle_at', args: [3n, 0n, 0n] },
        },
        {
          why: 'The opened host file is outside the container mount namespace; AppArmor sees it attached at /.',
          primitive: { kind: 'file', path: '/etc/shadow', access: 'r' },
        },
      ],
    },
  ],
  mitigations: [
    'Never grant CAP_DAC_READ_SEARCH to containers (not in any engine default since Docker 1.0).',
    "Seccomp: Docker's default allows open_by_handle_at only with CAP_DAC_READ_SEARCH; user namespaces make the capability useless on the host filesystem.",
  ],
  references: [
    'https://github.com/gabrtv/shocker',
    'https://medium.com/@fun_cuddles/docker-breakout-exploit-analysis-a274fff0e6b3',
    'https://man7.org/linux/man-pages/man2/open_by_handle_at.2.html',
  ],
} satisfies Technique;
