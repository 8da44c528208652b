import type { Technique } from '../schema.js';

/**
 * CVE-2024-23653. BuildKit's gateway API for interactive containers did not check the
 * security.insecure entitlement, so a frontend could start a privileged container on the builder.
 */
export const technique = {
  id: 'buildkit-interactive-container-privileged',
  title: 'Privileged BuildKit interactive container without the insecure entitlement (CVE-2024-23653)',
  class: 'runtime',
  severity: 'critical',
  cves: ['CVE-2024-23653'],
  summary:
    'BuildKit frontends can ask the daemon, through the gateway API, to run interactive containers from ' +
    'built images. That API did not validate entitlements, so a malicious frontend (pulled by a ' +
    '`# syntax=` line) or build could start a container in insecure mode, which is privileged and ' +
    'unconfined, without buildkitd or the user allowing security.insecure.',
  affected: [
    {
      component: 'buildkit',
      // Fixed in 0.12.5 (OSV GO-2024-2497; 92cc595c and 5026d95a are first in v0.12.5).
      ranges: [{ fixed: '0.12.5', lastAffected: '0.12.4' }],
      fixReference: 'https://github.com/moby/buildkit/pull/4602',
    },
    {
      component: 'moby',
      // Docker Engine 25.0.2 vendors BuildKit v0.12.5. unverified: first affected Engine version.
      ranges: [{ fixed: '25.0.2', lastAffected: '25.0.1' }],
      fixReference: 'https://docs.docker.com/engine/release-notes/25.0/',
    },
  ],
  preconditions: {
    attackerControls: ['build-frontend', 'dockerfile'],
  },
  chains: [
    {
      id: 'gateway-new-container',
      description: 'A malicious frontend starts an insecure-mode container and uses it.',
      steps: [
        {
          why: 'The frontend calls the gateway NewContainer API with security mode INSECURE; BuildKit does not check the entitlement.',
          primitive: {
            kind: 'runtime',
            component: 'buildkit',
            action: 'starts an interactive container in insecure (privileged) mode without the entitlement',
          },
        },
        {
          why: 'The privileged, unconfined container mounts the builder disk: no container profile applies to it.',
          primitive: {
            kind: 'runtime',
            component: 'buildkit',
            action: 'runs frontend-chosen commands in a privileged container on the builder host',
          },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade BuildKit to 0.12.5 or later (Docker Engine 25.0.2 or later).',
    'Pin frontends to trusted images; never enable security.insecure on shared builders.',
  ],
  references: [
    'https://github.com/moby/buildkit/security/advisories/GHSA-wr6v-9f75-vh2g',
    'https://github.com/moby/buildkit/pull/4602',
    'https://nvd.nist.gov/vuln/detail/CVE-2024-23653',
  ],
} satisfies Technique;
