/**
 * Machine-readable output: a versioned envelope, so consumers can detect a breaking change
 * (`schemaVersion` is bumped whenever a field is renamed or its meaning changes).
 */
import { z } from 'zod';
import { type Finding, SEVERITIES } from './finding.js';

export const JSON_SCHEMA_VERSION = 1;

export const FindingSchema = z.object({
  checkId: z.string().min(1),
  messageId: z.string().optional(),
  severity: z.enum(SEVERITIES),
  message: z.string(),
  file: z.string(),
  line: z.number().int().positive(),
  column: z.number().int().positive(),
  endLine: z.number().int().positive().optional(),
  endColumn: z.number().int().positive().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export const FindingsEnvelopeSchema = z.object({
  schemaVersion: z.literal(JSON_SCHEMA_VERSION),
  findings: z.array(FindingSchema),
});

export interface FindingsEnvelope {
  schemaVersion: typeof JSON_SCHEMA_VERSION;
  findings: Finding[];
}

export function toJsonEnvelope(findings: readonly Finding[]): FindingsEnvelope {
  return { schemaVersion: JSON_SCHEMA_VERSION, findings: [...findings] };
}

/** Bigints in `data` (64-bit argument values) are written as decimal strings: JSON has no 64-bit integers. */
export function formatJson(findings: readonly Finding[]): string {
  return `${JSON.stringify(toJsonEnvelope(findings), (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;
}

/** Read an envelope back (e.g. a saved report for comparison); throws a ZodError on a malformed one. */
export function parseJsonEnvelope(text: string): FindingsEnvelope {
  return FindingsEnvelopeSchema.parse(JSON.parse(text)) as FindingsEnvelope;
}
