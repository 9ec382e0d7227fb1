/** Forwarded calls between nodes on the cluster port (docs/CLUSTER-PROTOCOL.md "Forwarded calls"). */
export { PEER_API_CLIENT_FETCH, PEER_API_PRODUCE, type PeerApi } from './peer-api';
export { ForwardedCallError, type PeerOutcome } from './peer-envelope';
export { PeerHandlers, type PeerHandler } from './peer-handlers';
export { NodeNotAvailableError, PeerClients } from './peer-clients';
