/**
 * The compiler's half of the one error table: every code an exported CodedError class declares
 * (server/errors.ts and the storage engine's errors) must be a key of PUBLIC_ERRORS, else this
 * file does not type-check and `npm run lint` fails naming the missing code. (The error-table
 * test scans the sources for classes that are not exported.)
 */
import type * as StorageErrors from '../../storage/index';
import type * as ServerErrors from '../../server/errors';
import type { PublicErrorCode } from './public-errors';

/** The literal `code` of each class a module exports (the abstract CodedError's plain `string` left out). */
type DeclaredCodesOf<M> = {
  [K in keyof M]: M[K] extends abstract new (...args: never[]) => { readonly code: infer C extends string }
    ? string extends C
      ? never
      : C
    : never;
}[keyof M];

export type DeclaredErrorCode = DeclaredCodesOf<typeof ServerErrors> | DeclaredCodesOf<typeof StorageErrors>;

/** Fails to compile with the missing code as a required key when a class's code has no row. */
export const EVERY_DECLARED_CODE_IS_PUBLIC: Record<Exclude<DeclaredErrorCode, PublicErrorCode>, never> = {};
