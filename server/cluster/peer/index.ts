/** Forwarded calls between nodes on the cluster port (docs/CLUSTER-PROTOCOL.md "Forwarded calls"). */
export type { PeerApi } from './peer-api';
export { ForwardedCallError, type PeerOutcome } from './peer-envelope';
export { PeerHandlers, type PeerHandler } from './peer-handlers';
export { NodeNotAvailableError, PeerClients } from './peer-clients';
