import type { ChannelSpec } from './types';

interface Route {
  readonly pattern: string;
  /** Exact topic, or the prefix before a trailing `*`. */
  readonly match: string;
  readonly wildcard: boolean;
  readonly spec: ChannelSpec;
}

/**
 * Maps topics to channel specs the way a Phoenix `UserSocket` does: a pattern is an exact topic or
 * a prefix followed by one trailing `*`; routes are tried in registration order, first match wins.
 */
export class ChannelRegistry {
  private routes: Route[] = [];

  /**
   * Registers `spec` for `pattern`; returns a function that removes it.
   * Throws `TypeError` for a `*` anywhere but at the end, as Phoenix raises for such patterns.
   */
  add(pattern: string, spec: ChannelSpec): () => void {
    if (typeof pattern !== 'string' || pattern.length === 0) {
      throw new TypeError('channel(pattern): pattern must be a non-empty string such as "room:*" or "room:lobby"');
    }
    const star = pattern.indexOf('*');
    if (star !== -1 && star !== pattern.length - 1) {
      throw new TypeError(`channel(pattern): "${pattern}" has a '*' that is not last; splat patterns must end with *`);
    }
    const route: Route = { pattern, match: star === -1 ? pattern : pattern.slice(0, -1), wildcard: star !== -1, spec };
    this.routes.push(route);
    return () => {
      this.routes = this.routes.filter((r) => r !== route);
    };
  }

  /** The spec serving `topic`, or `undefined` (the join is answered "unmatched topic"). */
  find(topic: string): ChannelSpec | undefined {
    for (const route of this.routes) {
      if (route.wildcard ? topic.startsWith(route.match) : topic === route.match) return route.spec;
    }
    return undefined;
  }

  /** Registered patterns, in order. */
  patterns(): string[] {
    return this.routes.map((r) => r.pattern);
  }
}
