/**
 * Several testkit servers acting as one Phoenix cluster: each node has its own port and connections, and a
 * broadcast made on any node (by `cluster.broadcast`, `server.broadcast` or a channel's `broadcast`)
 * reaches the subscribers of every node that is up, as Phoenix.PubSub does across nodes. Presence stays
 * per node. Nodes can be stopped and brought back to test clients that spread over several endpoints.
 */
import type { ServerOptions } from './options';
import { startServer, type TestServer } from './server';
import type { ChannelSpec } from './types';

/** Options of {@link startCluster}: how many nodes, and the options every node gets. */
export interface ClusterOptions extends Omit<ServerOptions, 'port'> {
  /** Number of nodes (servers), each on its own free port. @default 3 */
  nodes?: number;
}

/** Defaults of {@link ClusterOptions}. */
export const DEFAULT_CLUSTER_OPTIONS = /* @__PURE__ */ Object.freeze({ nodes: 3 });

/**
 * A running cluster of testkit servers.
 *
 * @example
 * const cluster = await startCluster({ nodes: 3, maxChannels: 10_000 });
 * cluster.channel('room:*', { handleIn: () => ({ reply: 'ok' }) });
 * const pool = new SocketPool({ endpoints: cluster.urls });
 * await cluster.stop(1); // node 1 dies; its clients' channels move to nodes 0 and 2
 * await cluster.start(1); // ...and come back
 * await cluster.close();
 */
export class TestCluster {
  /** The nodes, in order. */
  readonly servers: readonly TestServer[];

  /** @internal Use {@link startCluster}. */
  constructor(servers: readonly TestServer[]) {
    this.servers = servers;
    for (const server of servers) {
      server.node.relay = (topic, event, payload) => {
        for (const other of servers) if (other !== server) other.node.deliver(topic, event, payload);
      };
    }
  }

  /** Every node's WebSocket URL, in node order. */
  get urls(): string[] {
    return this.servers.map((s) => s.url);
  }

  /** Serves `pattern` with `spec` on every node; returns a function that removes it everywhere. */
  channel(pattern: string, spec: ChannelSpec): () => void {
    const removes = this.servers.map((s) => s.channel(pattern, spec));
    return () => {
      for (const remove of removes) remove();
    };
  }

  /** Broadcasts to the subscribers of `topic` on every node (once each). */
  broadcast(topic: string, event: string, payload: unknown = {}): void {
    (this.servers[0] as TestServer).broadcast(topic, event, payload);
  }

  /** Stops node `index` (its connections close with 1001, new ones are refused) until `start(index)`. */
  async stop(index: number): Promise<void> {
    await this.at(index).close();
  }

  /** Brings node `index` back on its port. */
  async start(index: number): Promise<void> {
    await this.at(index).reopen();
  }

  /** Channels joined on each node now, in node order. */
  channelsPerNode(): number[] {
    return this.servers.map((s) => s.connections.reduce((sum, c) => sum + c.topics.length, 0));
  }

  /** Stops every node. */
  async close(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.close()));
  }

  private at(index: number): TestServer {
    const server = this.servers[index];
    if (server === undefined) throw new RangeError(`cluster node ${index} does not exist (nodes: 0..${this.servers.length - 1})`);
    return server;
  }
}

/** Starts `nodes` servers on free ports of 127.0.0.1 that share broadcasts. */
export async function startCluster(options: ClusterOptions = {}): Promise<TestCluster> {
  const { nodes = DEFAULT_CLUSTER_OPTIONS.nodes, ...serverOptions } = options;
  if (!Number.isInteger(nodes) || nodes < 1) throw new RangeError(`startCluster({ nodes }): expected an integer >= 1, got ${String(nodes)}`);
  if ('port' in serverOptions) throw new TypeError('startCluster({ port }): every node takes a free port; read cluster.urls');
  const servers: TestServer[] = [];
  try {
    for (let i = 0; i < nodes; i++) servers.push(await startServer(serverOptions));
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    throw error;
  }
  return new TestCluster(servers);
}
