import { AT_FDCWD, RENAME_EXCHANGE } from '../constants.js';
import type { Technique } from '../schema.js';

/**
 * CVE-2021-25741. The kubelet resolved a volume subPath that a container could replace with a
 * symlink, and bind-mounted the target, which could be anywhere on the host.
 */
export const technique = {
  id: 'kubelet-subpath-symlink-exchange',
  title: 'Host filesystem through a symlink-exchanged volume subPath (CVE-2021-25741)',
  class: 'runtime',
  severity: 'high',
  cves: ['CVE-2021-25741'],
  summary:
    'A pod mounts a volume with subPath into one container while another container (or an earlier run) ' +
    'writes the volume. Swapping the subPath directory for a symlink to / while the kubelet prepares the ' +
    'mount makes it bind-mount the host root into the container, giving read and write access to host ' +
    'files.',
  affected: [
    {
      component: 'kubelet',
      // Fixed in 1.19.15, 1.20.11, 1.21.5, 1.22.2 (Kubernetes announcement; OSV GO-2022-0910).
      ranges: [
        { fixed: '1.19.15', lastAffected: '1.19.14' },
        { introduced: '1.20.0', fixed: '1.20.11', lastAffected: '1.20.10' },
        { introduced: '1.21.0', fixed: '1.21.5', lastAffected: '1.21.4' },
        { introduced: '1.22.0', fixed: '1.22.2', lastAffected: '1.22.1' },
      ],
      fixReference: 'https://github.com/kubernetes/kubernetes/issues/104980',
    },
  ],
  preconditions: {
    attackerControls: ['pod-spec', 'container-process'],
  },
  chains: [
    {
      id: 'subpath-swap',
      description: 'Swap the subPath for a symlink to / while the kubelet mounts it.',
      steps: [
        {
          why: 'In the shared volume (at /vol in the writer container), create a symlink to / next to the subPath directory.',
          primitive: { kind: 'file', path: '/vol/link', access: 'w' },
        },
        {
          why: 'Exchange the subPath directory with the symlink in a loop while the pod restarts the target container.',
          primitive: {
            kind: 'syscall',
            name: 'renameat2',
            args: [AT_FDCWD, 0n, AT_FDCWD, 0n, RENAME_EXCHANGE],
          },
        },
        {
          why: 'The kubelet resolves the subPath through the symlink and bind-mounts the host root into the container.',
          primitive: {
            kind: 'runtime',
            component: 'kubelet',
            action: 'bind-mounts a volume subPath resolved through a container-controlled symlink',
          },
        },
        {
          why: 'The target container writes host files through its subPath mount.',
          primitive: { kind: 'file', path: '/mnt/sub/etc/cron.d/escape', access: 'w' },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade the kubelet to 1.19.15, 1.20.11, 1.21.5, 1.22.2 or later.',
    'Disable the VolumeSubpath feature gate or reject pods using subPath where untrusted users create pods.',
  ],
  references: [
    'https://github.com/kubernetes/kubernetes/issues/104980',
    'https://groups.google.com/g/kubernetes-security-announce/c/nyfdhK24H7s',
    'https://nvd.nist.gov/vuln/detail/CVE-2021-25741',
  ],
} satisfies Technique;
