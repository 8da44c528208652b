/**
 * Version arithmetic for the catalog's affected ranges. Versions are what `versionSchema` accepts:
 * up to four dotted numbers (missing parts count as 0, so `5.17` = `5.17.0`) and an optional
 * pre-release `-rcN`, `-betaN` or `-alphaN` (a dot before N is allowed: runc writes `1.2.0-rc.1`,
 * older runc `1.0.0-rc93`, the kernel `5.17-rc3`). A pre-release sorts before its release, and
 * alpha < beta < rc.
 */
import { BreakwaterError } from '../errors.js';
import type { Affected, Component, VersionRange } from './schema.js';

const VERSION = /^(\d+(?:\.\d+){0,3})(?:-(rc|beta|alpha)\.?(\d+))?$/;

/** Pre-release kinds in ascending order; a release (no pre-release) ranks above all of them. */
const PRE_RANK = { alpha: 0, beta: 1, rc: 2 } as const;
const RELEASE_RANK = 3;

interface ParsedVersion {
  /** Always four numbers. */
  parts: [number, number, number, number];
  preRank: number;
  preNumber: number;
}

function parse(version: string): ParsedVersion {
  const m = VERSION.exec(version);
  if (!m) {
    throw new BreakwaterError(
      `invalid version "${version}" (expected a version like 1.1.12, 5.16.2 or 1.0.0-rc6)`,
      'invalid-version',
    );
  }
  const nums = (m[1] as string).split('.').map(Number);
  const parts: [number, number, number, number] = [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 0, nums[3] ?? 0];
  const kind = m[2] as keyof typeof PRE_RANK | undefined;
  return kind === undefined
    ? { parts, preRank: RELEASE_RANK, preNumber: 0 }
    : { parts, preRank: PRE_RANK[kind], preNumber: Number(m[3]) };
}

/** Negative when `a` < `b`, 0 when equal (`1.0` = `1.0.0`, `1.2.0-rc1` = `1.2.0-rc.1`), positive otherwise. */
export function compareVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < 4; i++) {
    const d = (pa.parts[i] as number) - (pb.parts[i] as number);
    if (d !== 0) return Math.sign(d);
  }
  if (pa.preRank !== pb.preRank) return Math.sign(pa.preRank - pb.preRank);
  return Math.sign(pa.preNumber - pb.preNumber);
}

/** `introduced` <= `version` < `fixed`; a missing bound is open. */
export function isAffected(range: VersionRange, version: string): boolean {
  if (range.introduced !== undefined && compareVersions(version, range.introduced) < 0) return false;
  if (range.fixed !== undefined && compareVersions(version, range.fixed) >= 0) return false;
  return true;
}

/** The first range of `component` that contains `version`, or undefined when that version is not affected. */
export function affectedRangeFor(
  affected: readonly Affected[],
  component: Component,
  version: string,
): VersionRange | undefined {
  for (const entry of affected) {
    if (entry.component !== component) continue;
    const hit = entry.ranges.find((r) => isAffected(r, version));
    if (hit) return hit;
  }
  return undefined;
}

/**
 * The version to upgrade to. When `version` lies in a range with a fix, that range's `fixed` (the
 * same branch: runc 1.1.11 -> 1.1.12, not 1.2.0). Otherwise, e.g. a branch that never got a fix
 * (kernel 5.12 for Dirty Pipe), the lowest fix at or above `version` (5.15.25). Undefined when no
 * fix is at or above `version`: the version is newer than every fix, or the issue is unfixed.
 */
export function fixedVersionFor(
  affected: readonly Affected[],
  component: Component,
  version: string,
): string | undefined {
  const range = affectedRangeFor(affected, component, version);
  if (range?.fixed !== undefined) return range.fixed;
  const later = affected
    .filter((entry) => entry.component === component)
    .flatMap((entry) => entry.ranges.map((r) => r.fixed))
    .filter((fixed): fixed is string => fixed !== undefined && compareVersions(fixed, version) >= 0)
    .sort(compareVersions);
  return later[0];
}
