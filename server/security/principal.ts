/**
 * Who is calling (Kafka's KafkaPrincipal): `User:<name>`, and the host the call came from. Every
 * front door (HTTP, graphql-ws, later the Kafka protocol) puts one on the request; the broker's
 * use cases hand it to the authorizer and the quotas. With auth off every caller is ANONYMOUS
 * (docs/GRAPHQL-API.md "Security").
 */
export interface Principal {
  readonly type: 'User';
  readonly name: string;
}

export interface RequestIdentity {
  readonly principal: Principal;
  /** The client's address as people write it (`127.0.0.1`), or null when unknown. */
  readonly host: string | null;
}

export const ANONYMOUS: Principal = Object.freeze({ type: 'User', name: 'ANONYMOUS' });

/** `User:alice`: the form ACLs, quotas, audit lines and `whoami` use. */
export function principalName(principal: Principal): string {
  return `${principal.type}:${principal.name}`;
}
