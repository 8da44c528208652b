/**
 * An audit check: reads one normalized workload and reports the settings that open catalogued
 * escapes, at the position the setting was written. Metadata names the techniques a finding
 * opens, so every finding carries their ids and CVEs.
 */
import type { Container, Workload } from '../model/workload.js';
import type { CheckMeta, Check as GenericCheck, Report } from '../report/checks.js';

export interface AuditMeta<M extends string = string> extends CheckMeta<M> {
  /** Catalog technique ids a finding of this check opens. */
  techniques: readonly string[];
}

export interface AuditContext {
  workload: Workload;
}

export interface AuditCheck<M extends string = string> extends GenericCheck<AuditContext, M> {
  meta: AuditMeta<M>;
}

export type { Report };

/** Every container of the workload with a label for messages (`container web`, `init container setup`). */
export function eachContainer(w: Workload): Array<{ c: Container; label: string }> {
  return w.containers.map((c) => ({
    c,
    label: `${c.role === 'main' ? '' : `${c.role} `}container ${c.name}`,
  }));
}
