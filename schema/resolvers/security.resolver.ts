import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { AclBinding, AclFilter } from '../../server/broker/index';
import type { GraphQLContext } from '../context.type';
import { AclFilterInput, AclInput } from '../inputs/acl.input';
import { AclType, ApiKeyType, AuditEntryType, CreatedApiKeyType, QuotaType } from '../types/security.type';
import { SafeIntScalar } from '../scalars/index';

@Resolver()
export class SecurityResolver {
  @Query(() => String, { description: 'Who this request is authenticated as, `User:<name>` (`User:ANONYMOUS` while auth is off)' })
  whoami(@Ctx() ctx: GraphQLContext): string {
    return ctx.broker.security.whoami();
  }

  @Query(() => [ApiKeyType], { description: 'The API keys that are not revoked, never their secrets (DESCRIBE on the cluster)' })
  async apiKeys(@Ctx() ctx: GraphQLContext): Promise<ApiKeyType[]> {
    return (await ctx.broker.security.listApiKeys()).map((k) => new ApiKeyType(k));
  }

  @Query(() => [AclType], { description: 'The ACL bindings matching the filter, all without one (DESCRIBE on the cluster)' })
  acls(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => AclFilterInput, { nullable: true, description: 'Which bindings; default all' }) filter?: AclFilterInput | null,
  ): AclType[] {
    return ctx.broker.security.listAcls(toFilter(filter)).map((a) => new AclType(a));
  }

  @Query(() => [AuditEntryType], {
    description:
      'The most recent admin actions, newest first (the node keeps the last 1,000; DESCRIBE on the cluster). Not in docs/GRAPHQL-API.md: see server/security/README.md "Audit"',
  })
  auditLog(
    @Ctx() ctx: GraphQLContext,
    @Arg('limit', () => Int, { defaultValue: 100, description: 'At most this many, 1 to 1,000; default 100' }) limit: number,
  ): AuditEntryType[] {
    return ctx.broker.security.auditLog(limit).map((e) => new AuditEntryType(e));
  }

  @Query(() => [QuotaType], { description: 'Every client quota, by principal (DESCRIBE on the cluster)' })
  quotas(@Ctx() ctx: GraphQLContext): QuotaType[] {
    return ctx.broker.security.listQuotas().map((q) => new QuotaType(q));
  }

  @Mutation(() => QuotaType, {
    description:
      "Sets a principal's client quota, replacing the one it had (ALTER on the cluster). Over it, produce answers and deliveries are delayed (`throttleTimeMs`), never refused",
  })
  async setQuota(
    @Ctx() ctx: GraphQLContext,
    @Arg('principal', () => String, { description: 'Whose quota, `User:<name>`, or `User:*` for the default' }) principal: string,
    @Arg('producerByteRate', () => SafeIntScalar, {
      nullable: true,
      description: 'Bytes per second it may produce; null or absent: unlimited',
    })
    producerByteRate?: number | null,
    @Arg('consumerByteRate', () => SafeIntScalar, {
      nullable: true,
      description: 'Bytes per second it may be delivered; null or absent: unlimited',
    })
    consumerByteRate?: number | null,
  ): Promise<QuotaType> {
    return new QuotaType(await ctx.broker.security.setQuota(principal, producerByteRate ?? null, consumerByteRate ?? null));
  }

  @Mutation(() => Boolean, {
    description:
      "Removes a principal's client quota (it falls back to `User:*`'s, else unlimited); false when it had none (ALTER on the cluster)",
  })
  deleteQuota(
    @Ctx() ctx: GraphQLContext,
    @Arg('principal', () => String, { description: 'Whose quota' }) principal: string,
  ): Promise<boolean> {
    return ctx.broker.security.deleteQuota(principal);
  }

  @Mutation(() => CreatedApiKeyType, {
    description: 'Creates an API key for a principal; its secret is in the answer, once (ALTER on the cluster)',
  })
  createApiKey(
    @Ctx() ctx: GraphQLContext,
    @Arg('principal', () => String, { description: 'Who the key authenticates as, `User:<name>`' }) principal: string,
    @Arg('description', () => String, { nullable: true, description: 'What the key is for' }) description?: string | null,
  ): Promise<CreatedApiKeyType> {
    return ctx.broker.security.createApiKey(principal, description ?? null);
  }

  @Mutation(() => Boolean, {
    description:
      'Revokes an API key at once; open connections that used it are closed (ALTER on the cluster). false when there was no such live key',
  })
  revokeApiKey(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID, { description: "The key's id" }) id: string): Promise<boolean> {
    return ctx.broker.security.revokeApiKey(id);
  }

  @Mutation(() => [AclType], {
    description: 'Creates ACL bindings, all or nothing; ones that exist already are kept (ALTER on the cluster)',
  })
  async createAcls(
    @Ctx() ctx: GraphQLContext,
    @Arg('acls', () => [AclInput], { description: 'The bindings' }) acls: AclInput[],
  ): Promise<AclType[]> {
    const bindings: AclBinding[] = acls.map((a) => ({ ...a }));
    return (await ctx.broker.security.createAcls(bindings)).map((a) => new AclType(a));
  }

  @Mutation(() => [AclType], { description: 'Deletes every binding the filter matches and returns them (ALTER on the cluster)' })
  async deleteAcls(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => AclFilterInput, { description: 'Which bindings; an empty filter matches all' }) filter: AclFilterInput,
  ): Promise<AclType[]> {
    return (await ctx.broker.security.deleteAcls(toFilter(filter))).map((a) => new AclType(a));
  }
}

function toFilter(filter: AclFilterInput | null | undefined): AclFilter {
  const out: AclFilter = {};
  if (!filter) return out;
  for (const [key, value] of Object.entries(filter))
    if (value !== null && value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}
