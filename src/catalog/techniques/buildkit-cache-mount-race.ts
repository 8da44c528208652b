import { AT_FDCWD, RENAME_EXCHANGE } from '../constants.js';
import type { Technique } from '../schema.js';

/**
 * CVE-2024-23651. Two build steps sharing a cache mount with a subpath could race BuildKit's
 * resolution of that subpath and get a host directory mounted into the build container.
 */
export const technique = {
  id: 'buildkit-cache-mount-race',
  title: 'Host files exposed through a raced BuildKit cache mount subpath (CVE-2024-23651)',
  class: 'runtime',
  severity: 'high',
  cves: ['CVE-2024-23651'],
  summary:
    'A Dockerfile runs two steps in parallel that share a `RUN --mount=type=cache` with a source subpath. ' +
    'One step swaps the subpath for a symlink while BuildKit resolves it for the other, so BuildKit ' +
    'mounts a host directory into the build container and the build reads (or writes) host files.',
  affected: [
    {
      component: 'buildkit',
      // Fixed in 0.12.5 (OSV GO-2024-2493: "< 0.12.5"; f781267a is first in v0.12.5).
      ranges: [{ fixed: '0.12.5', lastAffected: '0.12.4' }],
      fixReference: 'https://github.com/moby/buildkit/pull/4604',
    },
    {
      component: 'moby',
      // Docker Engine 25.0.2 vendors BuildKit v0.12.5; 24.0.9 still vendors an unpatched 0.11
      // snapshot. unverified: first affected Engine version (cache mounts exist since 18.09).
      ranges: [{ fixed: '25.0.2', lastAffected: '25.0.1' }],
      fixReference: 'https://docs.docker.com/engine/release-notes/25.0/',
    },
  ],
  preconditions: {
    attackerControls: ['dockerfile'],
  },
  chains: [
    {
      id: 'parallel-cache-steps',
      description: 'One build step swaps the shared cache subpath while the other mounts it.',
      steps: [
        {
          why: 'In the shared cache, create a symlink to / beside the subpath directory.',
          primitive: { kind: 'file', path: '/cache/link', access: 'w' },
        },
        {
          why: 'Exchange the subpath directory with the symlink in a loop.',
          primitive: {
            kind: 'syscall',
            name: 'renameat2',
            args: [AT_FDCWD, 0n, AT_FDCWD, 0n, RENAME_EXCHANGE],
          },
        },
        {
          why: 'BuildKit resolves the subpath through the symlink on the host and mounts the host directory into the other step.',
          primitive: {
            kind: 'runtime',
            component: 'buildkit',
            action: 'mounts a cache subpath resolved through a build-controlled symlink',
          },
        },
        {
          why: 'The other step reads host files at its mount target.',
          primitive: { kind: 'file', path: '/mnt/etc/shadow', access: 'r' },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade BuildKit to 0.12.5 or later (Docker Engine 25.0.2 or later).',
    'Do not build untrusted Dockerfiles on hosts that matter; use rootless BuildKit.',
  ],
  references: [
    'https://github.com/moby/buildkit/security/advisories/GHSA-m3r6-h7wv-7xxv',
    'https://github.com/moby/buildkit/releases/tag/v0.12.5',
    'https://nvd.nist.gov/vuln/detail/CVE-2024-23651',
  ],
} satisfies Technique;
