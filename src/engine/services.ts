/**
 * Typed keys for what the host injects into compilation (HTTP connection pools, statistics recorders…), so the
 * engine carries them to step factories without knowing their types: `cx.service(HTTP_POOLS)`.
 */

export interface ServiceKey<T> {
  readonly name: string;
  /** Type marker only; never set. */
  readonly __service?: T;
}

export function serviceKey<T>(name: string): ServiceKey<T> {
  return { name };
}

export class Services {
  private readonly values = new Map<ServiceKey<unknown>, unknown>();

  set<T>(key: ServiceKey<T>, value: T): this {
    this.values.set(key, value);
    return this;
  }

  get<T>(key: ServiceKey<T>): T | undefined {
    return this.values.get(key) as T | undefined;
  }

  has(key: ServiceKey<unknown>): boolean {
    return this.values.has(key);
  }
}
