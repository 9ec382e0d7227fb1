/** The scalars of the contract, from graphql-scalars: SafeInt for offsets and ms, DateTime, JSON. */
export { DateTimeResolver as DateTimeScalar, JSONResolver as JSONScalar, SafeIntResolver as SafeIntScalar } from 'graphql-scalars';
