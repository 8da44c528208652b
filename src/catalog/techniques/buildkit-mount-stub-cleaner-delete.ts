import type { Technique } from '../schema.js';

/**
 * CVE-2024-23652. After a `RUN --mount` step BuildKit removes the empty files it created as mount
 * points; it did so by path, so a step that turned a parent directory into a symlink made BuildKit
 * delete files on the host.
 */
export const technique = {
  id: 'buildkit-mount-stub-cleaner-delete',
  title: 'BuildKit deletes host files while cleaning RUN --mount stubs (CVE-2024-23652)',
  class: 'runtime',
  severity: 'critical',
  cves: ['CVE-2024-23652'],
  summary:
    'For `RUN --mount` targets that do not exist BuildKit creates empty stub files and removes them when ' +
    'the step ends. A malicious Dockerfile or frontend replaces a parent directory of the stub with a ' +
    'symlink during the step, and the cleanup, running as root on the host, removes a host file instead.',
  affected: [
    {
      component: 'buildkit',
      // Fixed in 0.12.5 (OSV GO-2024-2494; 00fe637d is first in v0.12.5).
      ranges: [{ fixed: '0.12.5', lastAffected: '0.12.4' }],
      fixReference: 'https://github.com/moby/buildkit/pull/4603',
    },
    {
      component: 'moby',
      // Docker Engine 25.0.2 vendors BuildKit v0.12.5 (its executor/stubs.go has the RootPath
      // checks; 24.0.9's does not). unverified: first affected Engine version.
      ranges: [{ fixed: '25.0.2', lastAffected: '25.0.1' }],
      fixReference: 'https://docs.docker.com/engine/release-notes/25.0/',
    },
  ],
  preconditions: {
    attackerControls: ['dockerfile', 'build-frontend'],
  },
  chains: [
    {
      id: 'stub-parent-symlink',
      description: 'Swap the stub parent for a symlink to a host directory before the step ends.',
      steps: [
        {
          why: 'During the step, replace the directory holding the mount stub with a symlink to the host directory to damage.',
          primitive: { kind: 'file', path: '/stubdir', access: 'w' },
        },
        {
          why: 'BuildKit removes the "stub" by path after the step, following the symlink onto the host.',
          primitive: {
            kind: 'runtime',
            component: 'buildkit',
            action: 'removes mount stubs by a path that follows a build-controlled symlink',
          },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade BuildKit to 0.12.5 or later (Docker Engine 25.0.2 or later).',
    'Only use trusted Dockerfiles and frontends (# syntax= lines) on shared builders.',
  ],
  references: [
    'https://github.com/moby/buildkit/security/advisories/GHSA-4v98-7qmw-rqr8',
    'https://github.com/moby/buildkit/pull/4603',
    'https://nvd.nist.gov/vuln/detail/CVE-2024-23652',
  ],
} satisfies Technique;
