/**
 * Every AppArmor lint check, by id. Explicit imports (no directory scanning) so a missing check is
 * a compile error; the meta-test checks folders = registry = READMEs.
 */
import { defineRegistry } from '../../report/checks.js';
import { abstractUnixUnrestricted } from './rules/abstract-unix-unrestricted/index.js';
import { allowsBeyondBaseline } from './rules/allows-beyond-baseline/index.js';
import { complainMode } from './rules/complain-mode/index.js';
import { dangerousCapability } from './rules/dangerous-capability/index.js';
import { mountAllowed } from './rules/mount-allowed/index.js';
import { pivotRootAllowed } from './rules/pivot-root-allowed/index.js';
import { runtimeSocketReachable } from './rules/runtime-socket-reachable/index.js';
import { unconfinedExec } from './rules/unconfined-exec/index.js';
import { writableCorePattern } from './rules/writable-core-pattern/index.js';
import { writableModprobe } from './rules/writable-modprobe/index.js';
import { writableProcMem } from './rules/writable-proc-mem/index.js';
import { writableProcSys } from './rules/writable-proc-sys/index.js';
import { writableReleaseAgent } from './rules/writable-release-agent/index.js';
import { writableSys } from './rules/writable-sys/index.js';
import { writableSysrqTrigger } from './rules/writable-sysrq-trigger/index.js';
import { writableUeventHelper } from './rules/writable-uevent-helper/index.js';
import type { Check } from './types.js';

export const CHECKS = defineRegistry({
  'complain-mode': complainMode,
  'writable-core-pattern': writableCorePattern,
  'writable-modprobe': writableModprobe,
  'writable-release-agent': writableReleaseAgent,
  'writable-sysrq-trigger': writableSysrqTrigger,
  'writable-uevent-helper': writableUeventHelper,
  'writable-proc-sys': writableProcSys,
  'writable-sys': writableSys,
  'writable-proc-mem': writableProcMem,
  'runtime-socket-reachable': runtimeSocketReachable,
  'mount-allowed': mountAllowed,
  'pivot-root-allowed': pivotRootAllowed,
  'dangerous-capability': dangerousCapability,
  'abstract-unix-unrestricted': abstractUnixUnrestricted,
  'unconfined-exec': unconfinedExec,
  'allows-beyond-baseline': allowsBeyondBaseline,
} satisfies Record<string, Check>);

export type CheckId = keyof typeof CHECKS;
