/**
 * The one GraphQL execution path of the node, for HTTP (Apollo Server, through its documented
 * gateway seam) and graphql-ws alike: every document that graphql-jit can compile runs compiled,
 * the rest (and those whose variables it would coerce differently, server/http/jit-variables.ts)
 * with graphql-js, and the compiled documents live in one bounded cache keyed by their
 * text. Compiled execution is what keeps the hot operations fast: coercing the variables of a
 * 1,000-record `produce` costs ~2.3 ms in graphql-js and ~0.1 ms compiled, and a subscription event
 * of 1,000 records takes ~1.2 ms to execute and serialize compiled against ~3.7 ms in graphql-js
 * (one core of the 2-core test machine). graphql-jit calls the schema's resolvers as graphql-js
 * does: what runs is the resolvers' code.
 *
 * A document enters the cache only once it passed validation with the node's rules: Apollo
 * validates HTTP documents before its executor is called (server/http/apollo.ts), and `prepare`
 * validates graphql-ws documents with the same rules (server/http/graphql-limits.ts).
 */
import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import {
  createSourceEventStream,
  execute,
  GraphQLError,
  locatedError,
  parse,
  printSchema,
  subscribe,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { operationNotResolved } from './document-checks';
import { allRules, type GraphQLLimits } from './graphql-limits';
import { jitCoercesVariables } from './jit-variables';
import { withRequestCode } from '../../schema/errors/request-error';

/** Apollo Server's gateway seam, as its public constructor options type declares it. */
type ApolloGateway = ApolloServerOptionsWithGateway<Record<string, unknown>>['gateway'];
type ApolloExecutor = NonNullable<Awaited<ReturnType<ApolloGateway['load']>>['executor']>;

export interface PreparedDocument {
  document: DocumentNode;
  compiled: CompiledQuery | null;
}

export interface ValidationSettings {
  rules: readonly ValidationRule[];
  parseOptions: ParseOptions;
  hideSuggestions: boolean;
}

/** Documents kept compiled, least recently used first out. */
export const COMPILED_DOCUMENTS_MAX = 500;

export class GraphQLExecution {
  private readonly byText = new Map<string, PreparedDocument>();
  private readonly byDocument = new WeakMap<DocumentNode, PreparedDocument>();

  constructor(
    readonly schema: GraphQLSchema,
    private readonly validation: ValidationSettings,
    private readonly capacity = COMPILED_DOCUMENTS_MAX,
  ) {}

  /** How many documents are cached (for tests of the bound). */
  get size(): number {
    return this.byText.size;
  }

  /**
   * graphql-ws' entry: parses (throws the parse error) and validates (returns the errors) a
   * document the cache does not have yet, then compiles and keeps it.
   */
  prepare(text: string, operationName: string | null | undefined): PreparedDocument | readonly GraphQLError[] {
    const cached = this.lookup(text, operationName);
    if (cached) return cached;
    const document = parse(text, this.validation.parseOptions);
    const errors = validate(this.schema, document, this.validation.rules, { hideSuggestions: this.validation.hideSuggestions });
    if (errors.length > 0) return errors;
    const unresolved = operationNotResolved(document, operationName);
    if (unresolved) return [unresolved];
    return this.store(text, operationName, document);
  }

  /** Runs a query or mutation (or one subscription event with `rootValue`), compiled when it can be. */
  execute(args: ExecutionArgs): ExecutionResult | Promise<ExecutionResult> {
    const compiled = this.byDocument.get(args.document)?.compiled;
    const result = compiled ? compiled.query(args.rootValue, args.contextValue, args.variableValues ?? {}) : execute(args);
    const finish = (done: ExecutionResult) => withResponseExtensions(withInputErrorCodes(done), args.contextValue);
    return result instanceof Promise ? result.then(finish) : finish(result);
  }

  /**
   * Opens a subscription: graphql-js opens the source stream (graphql-jit's own subscribe hands the
   * subscribe resolver the variables, not the field's arguments), and every event then runs through
   * `execute`, compiled when the document compiled.
   */
  async subscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    if (!this.byDocument.get(args.document)?.compiled) {
      const result = await subscribe(args);
      return isAsyncIterable(result) ? result : withInputErrorCodes(result);
    }
    const stream = await createSourceEventStream(args);
    if (!isAsyncIterable(stream)) return withInputErrorCodes(stream);
    return mapEvents(stream, (event) => this.execute({ ...args, rootValue: event }));
  }

  /** Apollo Server's executor hook: Apollo parses, validates (with the node's limits) and caches; this executes. */
  apolloGateway(): ApolloGateway {
    const executor: ApolloExecutor = async (request) => {
      const prepared =
        this.lookup(request.source, request.operationName) ?? this.store(request.source, request.operationName, request.document);
      return this.execute({
        schema: this.schema,
        document: prepared.document,
        operationName: request.operationName,
        contextValue: request.context,
        variableValues: request.request.variables ?? {},
      });
    };
    return {
      load: async () => ({ executor }),
      onSchemaLoadOrUpdate: (callback) => {
        callback({ apiSchema: this.schema, coreSupergraphSdl: printSchema(this.schema) });
        return () => undefined;
      },
      stop: async () => undefined,
    };
  }

  private lookup(text: string, operationName: string | null | undefined): PreparedDocument | undefined {
    const key = cacheKey(text, operationName);
    const cached = this.byText.get(key);
    if (cached) {
      this.byText.delete(key);
      this.byText.set(key, cached);
    }
    return cached;
  }

  private store(text: string, operationName: string | null | undefined, document: DocumentNode): PreparedDocument {
    const compiled = jitCoercesVariables(this.schema, document, operationName)
      ? compileQuery(this.schema, document, operationName ?? undefined)
      : null;
    const prepared = { document, compiled: compiled && isCompiledQuery(compiled) ? compiled : null };
    this.byDocument.set(document, prepared);
    this.byText.set(cacheKey(text, operationName), prepared);
    if (this.byText.size > this.capacity) this.byText.delete(this.byText.keys().next().value!);
    return prepared;
  }
}

/** The node's executor: graphql-ws validates with the rules Apollo applies over HTTP. */
export function graphqlExecution(schema: GraphQLSchema, limits: GraphQLLimits): GraphQLExecution {
  return new GraphQLExecution(schema, {
    rules: allRules(limits),
    parseOptions: limits.parseOptions,
    hideSuggestions: limits.hideSuggestions,
  });
}

function cacheKey(text: string, operationName: string | null | undefined): string {
  return `${operationName ?? ''}\u0000${text}`;
}

/**
 * Gives graphql-jit's and graphql-js' errors one shape, so the one error formatter treats them
 * alike: a resolver's error is re-located around its original error (graphql-jit's own error
 * objects do not keep it where Apollo looks), and an error in a result with no data that carries no
 * code and no resolver's error never started executing: its variables could not be coerced (a
 * string variable given 5). That is the client's input, BAD_USER_INPUT, as Apollo answers it.
 */
export function withInputErrorCodes(result: ExecutionResult): ExecutionResult {
  if (!result.errors) return result;
  const noData = result.data === undefined;
  return {
    ...result,
    errors: result.errors.map((e) => {
      // graphql-js wraps a scalar's own GraphQLError (originalError) when it rejects a variable.
      const resolverError = e.originalError && !(e.originalError instanceof GraphQLError);
      if (noData && !e.extensions?.code && !resolverError) {
        return withRequestCode(e, 'BAD_USER_INPUT');
      }
      if (e.originalError) return locatedError(e.originalError, e.nodes, e.path);
      return e;
    }),
  };
}

/**
 * The `extensions` resolvers reported on the context (schema/response-extensions.ts:
 * `throttleTimeMs`), merged into the result and taken off the context, so the next event of a
 * subscription on the same context does not repeat them.
 */
function withResponseExtensions(result: ExecutionResult, contextValue: unknown): ExecutionResult {
  const context = contextValue as { responseExtensions?: Record<string, unknown> } | null | undefined;
  const extensions = context?.responseExtensions;
  if (!extensions || Object.keys(extensions).length === 0) return result;
  context.responseExtensions = undefined;
  return { ...result, extensions: { ...result.extensions, ...extensions } };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';
}

/** Maps each event of a source stream; `return()` reaches the source, so its tail stops reading. */
function mapEvents<T, R>(source: AsyncIterable<T>, map: (event: T) => R | Promise<R>): AsyncIterableIterator<R> {
  const iterator = source[Symbol.asyncIterator]();
  return {
    async next() {
      const result = await iterator.next();
      return result.done ? { done: true, value: undefined } : { done: false, value: await map(result.value) };
    },
    async return() {
      await iterator.return?.();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      await iterator.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
