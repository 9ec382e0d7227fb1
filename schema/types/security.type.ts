/** The contract's security types (docs/GRAPHQL-API.md "Security"): API keys, ACL bindings, the audit list. */
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { AclBinding, ApiKeyView, AuditEntry, QuotaView } from '../../server/broker/index';
import { DateTimeScalar, SafeIntScalar } from '../scalars/index';

export enum AclResourceType {
  TOPIC = 'TOPIC',
  GROUP = 'GROUP',
  CLUSTER = 'CLUSTER',
  TRANSACTIONAL_ID = 'TRANSACTIONAL_ID',
}
export enum AclPatternType {
  LITERAL = 'LITERAL',
  PREFIXED = 'PREFIXED',
}
export enum AclOperation {
  ALL = 'ALL',
  READ = 'READ',
  WRITE = 'WRITE',
  CREATE = 'CREATE',
  DELETE = 'DELETE',
  ALTER = 'ALTER',
  DESCRIBE = 'DESCRIBE',
  DESCRIBE_CONFIGS = 'DESCRIBE_CONFIGS',
  ALTER_CONFIGS = 'ALTER_CONFIGS',
  IDEMPOTENT_WRITE = 'IDEMPOTENT_WRITE',
}
export enum AclPermission {
  ALLOW = 'ALLOW',
  DENY = 'DENY',
}

registerEnumType(AclResourceType, {
  name: 'AclResourceType',
  description: "What an ACL binding protects (Kafka's resource types)",
  valuesConfig: {
    TOPIC: { description: 'A topic: produce (WRITE), read and subscribe (READ), describe, delete, configs' },
    GROUP: { description: 'A consumer group: join, commit, reset (READ), describe' },
    CLUSTER: { description: 'The one cluster resource, named `kafka-cluster`: create topics, API keys, ACLs, quotas (ALTER)' },
    TRANSACTIONAL_ID: { description: 'A transactional id: transactional produce and commit/abort (WRITE)' },
  },
});
registerEnumType(AclPatternType, {
  name: 'AclPatternType',
  description: "How a binding's resourceName matches",
  valuesConfig: {
    LITERAL: { description: 'Exactly that name; `*` matches every name' },
    PREFIXED: { description: 'Every name that starts with it' },
  },
});
registerEnumType(AclOperation, {
  name: 'AclOperation',
  description: "What a binding allows or denies (Kafka's operations)",
  valuesConfig: {
    ALL: { description: 'Every operation' },
    READ: { description: 'Read records, subscribe, consume in a group, commit offsets (implies DESCRIBE)' },
    WRITE: { description: 'Produce (implies DESCRIBE and IDEMPOTENT_WRITE)' },
    CREATE: { description: 'Create topics (on the cluster or the topic)' },
    DELETE: { description: 'Delete a topic (implies DESCRIBE)' },
    ALTER: { description: 'Add partitions; on the cluster: API keys, ACLs, quotas (implies DESCRIBE)' },
    DESCRIBE: { description: 'See it in listings and lookups' },
    DESCRIBE_CONFIGS: { description: "See a topic's settings" },
    ALTER_CONFIGS: { description: "Change a topic's settings (implies DESCRIBE_CONFIGS)" },
    IDEMPOTENT_WRITE: { description: 'On the cluster: initProducer without WRITE on any topic' },
  },
});
registerEnumType(AclPermission, {
  name: 'AclPermission',
  description: 'Whether a binding allows or denies',
  valuesConfig: {
    ALLOW: { description: 'Allows, unless a matching DENY exists' },
    DENY: { description: 'Denies, whatever ALLOW matches too' },
  },
});

@ObjectType('CreatedApiKey', { description: 'A new API key: the secret is shown here once and never again (only its hash is kept)' })
export class CreatedApiKeyType {
  @Field(() => ID, { description: "The key's id (also inside the secret); revokeApiKey takes it" }) id!: string;
  @Field(() => String, { description: 'Who the key authenticates as, `User:<name>`' }) principal!: string;
  @Field(() => String, { description: 'The credential: send `Authorization: Bearer <secret>`' }) secret!: string;
}

@ObjectType('ApiKey', { description: 'An API key that is not revoked (never its secret)' })
export class ApiKeyType {
  constructor(private readonly key: ApiKeyView) {}

  @Field(() => ID, { description: "The key's id" }) get id(): string {
    return this.key.id;
  }
  @Field(() => String, { description: 'Who the key authenticates as' }) get principal(): string {
    return this.key.principal;
  }
  @Field(() => String, { nullable: true, description: 'What it is for, as given at creation' }) get description(): string | null {
    return this.key.description;
  }
  @Field(() => DateTimeScalar, { description: 'When it was created' }) get createdAt(): Date {
    return new Date(this.key.createdAtMs);
  }
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When it last authenticated a request (kept to within about 10 s); null if never',
  })
  get lastUsedAt(): Date | null {
    return this.key.lastUsedAtMs === null ? null : new Date(this.key.lastUsedAtMs);
  }
}

@ObjectType('Acl', { description: "An ACL binding (Kafka's AclBinding): principal, resource pattern, operation, permission, host" })
export class AclType {
  constructor(private readonly acl: AclBinding) {}

  @Field(() => String, { description: '`User:<name>`, or `User:*` for everyone' }) get principal(): string {
    return this.acl.principal;
  }
  @Field(() => AclResourceType, { description: 'The resource type' }) get resourceType(): AclResourceType {
    return this.acl.resourceType as AclResourceType;
  }
  @Field(() => String, { description: 'The name or prefix; `*` with LITERAL matches every name' }) get resourceName(): string {
    return this.acl.resourceName;
  }
  @Field(() => AclPatternType, { description: 'How resourceName matches' }) get patternType(): AclPatternType {
    return this.acl.patternType as AclPatternType;
  }
  @Field(() => AclOperation, { description: 'The operation' }) get operation(): AclOperation {
    return this.acl.operation as AclOperation;
  }
  @Field(() => AclPermission, { description: 'ALLOW or DENY' }) get permission(): AclPermission {
    return this.acl.permission as AclPermission;
  }
  @Field(() => String, { description: 'The client address it applies to, `*` for any' }) get host(): string {
    return this.acl.host;
  }
}

@ObjectType('AuditEntry', {
  description: 'One admin action (topic, config, ACL, key, offset reset, transaction abort): who, from where, on what, and how it ended',
})
export class AuditEntryType {
  constructor(private readonly entry: AuditEntry) {}

  @Field(() => DateTimeScalar, { description: "When it happened (the node's clock)" }) get at(): Date {
    return new Date(this.entry.atMs);
  }
  @Field(() => String, { description: 'Who did it, `User:<name>`' }) get principal(): string {
    return this.entry.principal;
  }
  @Field(() => String, { nullable: true, description: "The client's address" }) get host(): string | null {
    return this.entry.host;
  }
  @Field(() => String, { description: 'The operation, e.g. createTopic, deleteAcls, revokeApiKey, resetOffsets' }) get action(): string {
    return this.entry.action;
  }
  @Field(() => String, { description: 'What it acted on, e.g. `topic:orders`' }) get resource(): string {
    return this.entry.resource;
  }
  @Field(() => String, { description: '`ok`, or the error code it ended with (denials included)' }) get outcome(): string {
    return this.entry.outcome;
  }
}

@ObjectType('Quota', {
  simpleResolvers: true,
  description:
    "A principal's client quota (Kafka's producer_byte_rate / consumer_byte_rate): over it, answers and deliveries are delayed, never refused",
})
export class QuotaType {
  constructor(private readonly quota: QuotaView) {}

  @Field(() => String, { description: 'Whose quota, `User:<name>`; `User:*` is the default for principals without one of their own' })
  get principal(): string {
    return this.quota.principal;
  }
  @Field(() => SafeIntScalar, {
    nullable: true,
    description: 'Bytes per second the principal may produce (keys, values, headers); null: unlimited',
  })
  get producerByteRate(): number | null {
    return this.quota.producerByteRate;
  }
  @Field(() => SafeIntScalar, {
    nullable: true,
    description: 'Bytes per second the principal may be delivered (subscriptions, pollRecords); null: unlimited',
  })
  get consumerByteRate(): number | null {
    return this.quota.consumerByteRate;
  }
  @Field(() => DateTimeScalar, { description: 'When it was last set' }) get updatedAt(): Date {
    return new Date(this.quota.updatedAtMs);
  }
}
