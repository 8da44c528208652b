/**
 * Where each field's *value* was written. The model only carries `pos` on rules, names and arg conditions;
 * validation wants the exact column of e.g. a bad `op` string, so parsers record field positions here, keyed
 * by the model object (not by path: rules can be dropped or renamed between source and model).
 */
import type { SourcePos } from '../../errors.js';

export class PosMap {
  private readonly map = new WeakMap<object, Map<string, SourcePos>>();

  set(obj: object, key: string, pos: SourcePos): void {
    let m = this.map.get(obj);
    if (!m) {
      m = new Map();
      this.map.set(obj, m);
    }
    m.set(key, pos);
  }

  get(obj: object, key: string): SourcePos | undefined {
    return this.map.get(obj)?.get(key);
  }
}
