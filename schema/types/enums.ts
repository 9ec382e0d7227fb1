/** The contract's enums, registered with type-graphql under their SDL names. */
import { registerEnumType } from 'type-graphql';

export enum StartFrom { EARLIEST = 'EARLIEST', LATEST = 'LATEST', OFFSET = 'OFFSET', TIMESTAMP = 'TIMESTAMP' }
export enum Isolation { READ_UNCOMMITTED = 'READ_UNCOMMITTED', READ_COMMITTED = 'READ_COMMITTED' }
export enum Acks { NONE = 'NONE', LEADER = 'LEADER', ALL = 'ALL' }

registerEnumType(StartFrom, { name: 'StartFrom', description: 'Where a subscription starts reading' });
registerEnumType(Isolation, { name: 'Isolation', description: 'READ_COMMITTED stops at the last stable offset' });
registerEnumType(Acks, { name: 'Acks', description: 'When a produce is acknowledged' });
