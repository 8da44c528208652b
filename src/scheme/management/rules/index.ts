/** Every management-plane rule, one module per technique (the module name is the technique id). */
import type { ManagementRule } from '../types.js';

export const MANAGEMENT_RULES: readonly ManagementRule[] = [];
