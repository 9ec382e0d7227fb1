/**
 * The layering of docs/ARCHITECTURE.md and docs/HOUSE-STYLE.md §3.2, checked by dependency-cruiser
 * (`npm run lint:deps`). Imports point down: http → schema → broker → coordinators → cluster/catalog
 * → storage.
 * Think hard before editing a rule: each one keeps a layer replaceable and testable on its own.
 */
module.exports = {
  forbidden: [
    {
      name: 'storage-is-self-contained',
      comment: 'The log engine uses Node built-ins and itself only: no server, schema, Prisma or GraphQL.',
      severity: 'error',
      from: { path: '^storage/' },
      to: { pathNot: ['^storage/', '^node_modules/@node-rs/crc32'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'only-the-catalog-touches-prisma',
      comment: 'Only server/catalog/ may import Prisma; everything else sees the Catalog interface.',
      severity: 'error',
      from: { pathNot: '^(server/catalog/|prisma/)' },
      to: { path: '(^node_modules/(@prisma|prisma)/|^prisma/generated/)' },
    },
    {
      name: 'broker-knows-no-graphql',
      comment: 'The broker holds the use cases; it knows nothing of GraphQL or the HTTP layer.',
      severity: 'error',
      from: { path: '^server/(broker|catalog|cluster|coordinators)/' },
      to: { path: ['^schema/', '^server/http/', '^node_modules/(graphql|type-graphql|@apollo|graphql-ws|dataloader)/'] },
    },
    {
      name: 'cluster-sits-below-the-broker',
      comment:
        'server/cluster (Partition, replica manager, controller) uses storage, the catalog interface and server/errors; never the broker, schema or transports.',
      severity: 'error',
      from: { path: '^server/cluster/' },
      to: { path: ['^schema/', '^server/(broker|coordinators|http|cli)/', '^server/catalog/(?!catalog\\.ts$)', '^server/main\\.ts$'] },
    },
    {
      name: 'coordinators-sit-below-the-broker',
      comment:
        'server/coordinators (groups, later transactions) use storage, the catalog interface, server/cluster and the shared server/*.ts rules (errors, lookup-timestamp); never the broker, schema or transports. What both need moves down, it is not reached up for.',
      severity: 'error',
      from: { path: '^server/coordinators/' },
      to: { path: ['^schema/', '^server/(broker|http|cli)/', '^server/catalog/(?!catalog\\.ts$)', '^server/(main|config)\\.ts$'] },
    },
    {
      name: 'schema-calls-the-broker-facade-only',
      comment: 'Resolvers reach the node only through the broker facade and the error classes.',
      severity: 'error',
      from: { path: '^schema/' },
      to: {
        path: ['^server/(catalog|cluster|coordinators|http)/', '^storage/(?!index\\.ts$)', '^server/broker/(?!index\\.ts$|types\\.ts$)'],
      },
    },
    {
      name: 'transports-do-not-reach-storage-internals',
      comment: 'server/http talks to the broker and schema, never to storage internals or Prisma.',
      severity: 'error',
      from: { path: '^server/http/' },
      to: { path: ['^storage/(?!index\\.ts$)', '^server/catalog/'] },
    },
    {
      name: 'only-declared-packages',
      comment:
        "A package imported by the product is in package.json and resolves (one installed only as another one's dependency can vanish with it).",
      severity: 'error',
      // The emit scripts (schema/emit-*.ts, run by npm scripts at build and lint time) may use devDependencies.
      from: { pathNot: ['^schema/emit-[a-z-]+\\.ts$'] },
      // graphql-ws/use/ws is a subpath export (package.json "exports") that depcruise's resolver cannot follow.
      to: {
        dependencyTypes: ['npm-no-pkg', 'npm-unknown', 'npm-dev', 'unknown'],
        pathNot: ['^node_modules/@types/', '^graphql-ws/use/ws$'],
      },
    },
    {
      name: 'no-circular',
      comment: 'Cycles make layers impossible to test alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'security-sits-below-the-broker',
      comment:
        'server/security (authenticator, authorizer, API keys, ACL store, audit) uses the catalog interface, server/errors and jose; the broker and the transports call it, never the reverse, and it knows no GraphQL.',
      severity: 'error',
      from: { path: '^server/security/' },
      to: {
        path: [
          '^schema/',
          '^server/(broker|coordinators|cluster|http|cli)/',
          '^server/catalog/(?!catalog\\.ts$)',
          '^server/(main|config)\\.ts$',
          '^node_modules/(graphql|type-graphql|@apollo|graphql-ws|dataloader)/',
        ],
      },
    },
    {
      name: 'quotas-sit-below-the-broker',
      comment:
        'server/quotas (rate meters, the quota rows) uses the catalog interface only; the broker calls it, and it knows no GraphQL and no transport.',
      severity: 'error',
      from: { path: '^server/quotas/' },
      to: {
        path: [
          '^schema/',
          '^server/(broker|coordinators|cluster|http|cli|security)/',
          '^server/catalog/(?!catalog\\.ts$)',
          '^server/(main|config)\\.ts$',
          '^node_modules/(graphql|type-graphql|@apollo|graphql-ws|dataloader)/',
        ],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: ['^prisma/generated/', '^dist/'] },
  },
};
