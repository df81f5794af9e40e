import { createRegistry } from '@todo/platform';
import { Counter, Gauge, Histogram } from 'prom-client';

/** Prometheus metrics of one socket node (each node reports only its own sockets). */
export function createMetrics() {
  const registry = createRegistry('socket');
  return {
    registry,
    connectedSockets: new Gauge({
      name: 'socket_connected_sockets',
      help: 'Sockets connected to this node',
      registers: [registry],
    }),
    connections: new Counter({
      name: 'socket_connections_total',
      help: 'Accepted handshakes',
      registers: [registry],
    }),
    refusedHandshakes: new Counter({
      name: 'socket_refused_handshakes_total',
      help: 'Refused handshakes by reason',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    expiredSessions: new Counter({
      name: 'socket_expired_sessions_total',
      help: 'Connections ended because their token expired',
      registers: [registry],
    }),
    tokenRefreshes: new Counter({
      name: 'socket_token_refreshes_total',
      help: 'auth:refresh requests by outcome (ok, or the refusal code)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    emittedMessages: new Counter({
      name: 'socket_emitted_messages_total',
      help: 'Messages this node emitted to a room (the adapter fans each out to every node)',
      labelNames: ['event'] as const,
      registers: [registry],
    }),
    receivedEvents: new Counter({
      name: 'socket_received_events_total',
      help: 'Pub/sub deliveries by topic and the answer given',
      labelNames: ['topic', 'status'] as const,
      registers: [registry],
    }),
    deliveryLag: new Histogram({
      name: 'socket_event_lag_seconds',
      help: 'From the change being committed (its timestamp) to this node emitting it',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
