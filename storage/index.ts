/**
 * The log engine's only import surface. Everything outside storage/ imports from here.
 */
export * from './errors';
export * from './format';
