/**
 * `audit`: read configuration files (any supported kind, detected by content), normalize each into
 * workloads, run every audit check, and return positioned findings carrying the techniques and
 * CVEs each one opens. A file that cannot be read gives diagnostics; the others are still audited.
 */
import { TECHNIQUES } from '../catalog/index.js';
import { CHECKS } from '../checks/registry.js';
import type { AuditCheck } from '../checks/types.js';
import type { Diagnostic } from '../errors.js';
import { readCompose } from '../ingest/compose.js';
import { detectKind } from '../ingest/detect.js';
import { readDockerInspect } from '../ingest/docker-inspect.js';
import { readDockerRun } from '../ingest/docker-run.js';
import { readDockerfile } from '../ingest/dockerfile.js';
import { readKubernetes } from '../ingest/kubernetes.js';
import { readOciConfig } from '../ingest/oci-config.js';
import type { Reader, SourceKind, Workload } from '../model/workload.js';
import { ruleInfo, runChecks } from '../report/checks.js';
import { type Finding, sortFindings } from '../report/finding.js';
import type { RuleInfo } from '../report/sarif.js';

export const READERS: Readonly<Record<SourceKind, Reader>> = {
  kubernetes: readKubernetes,
  compose: readCompose,
  'docker-run': readDockerRun,
  'docker-inspect': readDockerInspect,
  'oci-config': readOciConfig,
  dockerfile: readDockerfile,
};

const cvesOf = new Map(TECHNIQUES.map((t) => [t.id, t.cves]));

export interface AuditOptions {
  /** Run only these check ids. */
  checks?: readonly string[];
  /** Force a reader instead of detecting by content. */
  kind?: SourceKind;
}

export interface TextAudit {
  kind: SourceKind | undefined;
  workloads: Workload[];
  findings: Finding[];
  diagnostics: Diagnostic[];
}

export function auditWorkloads(workloads: readonly Workload[], opts: AuditOptions = {}): Finding[] {
  const out: Finding[] = [];
  for (const w of workloads)
    out.push(
      ...runChecks('audit', CHECKS, opts.checks, { workload: w }, w.pos, (_r, check) => {
        const techniques = (check as AuditCheck).meta.techniques;
        return {
          workload: w.name,
          techniques: [...techniques],
          cves: [...new Set(techniques.flatMap((t) => cvesOf.get(t) ?? []))],
          fix: check.meta.remediation,
        };
      }),
    );
  return sortFindings(out);
}

export function auditText(text: string, file: string, opts: AuditOptions = {}): TextAudit {
  const kind = opts.kind ?? detectKind(text, file);
  if (!kind)
    return {
      kind,
      workloads: [],
      findings: [],
      diagnostics: [
        {
          file,
          line: 1,
          column: 1,
          severity: 'warning',
          code: 'audit-unknown-kind',
          message:
            'not a Kubernetes manifest, compose file, docker run line, docker inspect output, OCI config.json or Dockerfile',
        },
      ],
    };
  const { workloads, diagnostics } = READERS[kind](text, file);
  return { kind, workloads, findings: auditWorkloads(workloads, opts), diagnostics };
}

export function auditRuleInfo(): RuleInfo[] {
  return ruleInfo(CHECKS);
}
