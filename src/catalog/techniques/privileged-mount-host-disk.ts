import type { Technique } from '../schema.js';

/** A privileged container sees every host device and may mount them: the host disk is one mount away. */
export const technique = {
  id: 'privileged-mount-host-disk',
  title: 'Privileged container mounts the host disk',
  class: 'misconfiguration',
  severity: 'critical',
  cves: [],
  summary:
    '--privileged gives all capabilities, every device node and no AppArmor or seccomp confinement. The ' +
    'container mounts the host root block device and writes host files (cron, SSH keys, systemd units), ' +
    'or edits the raw device with debugfs without mounting it.',
  affected: [],
  preconditions: {
    privileged: true,
    noUserNamespace: true,
    devices: ['/dev/sda1'],
  },
  chains: [
    {
      id: 'mount-disk',
      description: 'Mount the host root partition and write a host file.',
      steps: [
        {
          why: 'mount(2) needs CAP_SYS_ADMIN.',
          primitive: { kind: 'capability', name: 'sys_admin' },
        },
        {
          why: 'Mount the host root filesystem inside the container.',
          primitive: { kind: 'mount', fstype: 'ext4', source: '/dev/sda1', target: '/mnt/host' },
        },
        {
          why: 'A cron entry on the host runs as root.',
          primitive: { kind: 'file', path: '/mnt/host/etc/cron.d/escape', access: 'w' },
        },
      ],
    },
    {
      id: 'raw-device',
      description: 'Edit the host filesystem through the block device itself (debugfs -w).',
      steps: [
        {
          why: 'Open the host partition for reading and writing; only the device cgroup, DAC and the profile decide.',
          primitive: { kind: 'file', path: '/dev/sda1', access: 'rw' },
        },
      ],
    },
  ],
  mitigations: [
    'Do not run privileged containers; grant the single capability or device needed instead.',
    'Where privileged is unavoidable, use user namespaces so device access and capabilities do not apply to the host.',
  ],
  references: [
    'https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities',
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
  ],
} satisfies Technique;
