import { AT_FDCWD, DEV_SDA, S_IFBLK } from '../constants.js';
import type { Technique } from '../schema.js';

/**
 * CAP_MKNOD (in Docker's default set) creates a node for any device; the device cgroup decides
 * whether it can be opened. A device rule that allows the host disk makes the node a way out.
 */
export const technique = {
  id: 'device-mknod-block-device',
  title: 'Host block device through mknod or a passed device',
  class: 'misconfiguration',
  severity: 'critical',
  cves: [],
  summary:
    'A container whose device cgroup allows the host disk (--device /dev/sda, a broad ' +
    '--device-cgroup-rule "b 8:* rwm", or privileged) opens it directly, or creates its own node with ' +
    'mknod (CAP_MKNOD is in the default capability set), and edits the host filesystem with debugfs or ' +
    'mounts it.',
  affected: [],
  preconditions: {
    capabilities: ['mknod'],
    devices: ['/dev/sda'],
    noUserNamespace: true,
  },
  chains: [
    {
      id: 'mknod-node',
      description: 'Create a block node for 8:0 and open it.',
      steps: [
        {
          why: 'Creating a device node needs CAP_MKNOD.',
          primitive: { kind: 'capability', name: 'mknod' },
        },
        {
          why: 'mknodat(AT_FDCWD, "/tmp/sda", S_IFBLK|0600, makedev(8, 0)).',
          primitive: { kind: 'syscall', name: 'mknodat', args: [AT_FDCWD, 0n, S_IFBLK | 0o600n, DEV_SDA] },
        },
        {
          why: 'Creating the node is checked by AppArmor as a write of its path.',
          primitive: { kind: 'file', path: '/tmp/sda', access: 'w' },
        },
        {
          why: 'Open the disk for reading and writing (debugfs -w /tmp/sda); the device cgroup allows 8:0.',
          primitive: { kind: 'file', path: '/tmp/sda', access: 'rw' },
        },
      ],
    },
    {
      id: 'passed-device',
      description: 'Use the device node the engine created for --device /dev/sda.',
      steps: [
        {
          why: 'Open the host disk directly.',
          primitive: { kind: 'file', path: '/dev/sda', access: 'rw' },
        },
      ],
    },
  ],
  mitigations: [
    'Do not pass host block devices or broad device cgroup rules to containers; drop CAP_MKNOD.',
    'User namespaces make device nodes created in the container unusable.',
  ],
  references: [
    'https://docs.docker.com/reference/cli/docker/container/run/#device',
    'https://docs.kernel.org/admin-guide/cgroup-v1/devices.html',
  ],
} satisfies Technique;
