import { Field, InputType } from 'type-graphql';
import { AclOperation, AclPatternType, AclPermission, AclResourceType } from '../types/security.type';

@InputType('AclInput', { description: 'An ACL binding to create' })
export class AclInput {
  @Field(() => String, { description: '`User:<name>`, or `User:*` for everyone' }) principal!: string;
  @Field(() => AclResourceType, { description: 'The resource type' }) resourceType!: AclResourceType;
  @Field(() => String, { description: 'The name or prefix (`kafka-cluster` for CLUSTER; `*` with LITERAL: every name)' })
  resourceName!: string;
  @Field(() => AclPatternType, { defaultValue: AclPatternType.LITERAL, description: 'LITERAL (default) or PREFIXED' })
  patternType!: AclPatternType;
  @Field(() => AclOperation, { description: 'The operation' }) operation!: AclOperation;
  @Field(() => AclPermission, { defaultValue: AclPermission.ALLOW, description: 'ALLOW (default) or DENY' }) permission!: AclPermission;
  @Field(() => String, { defaultValue: '*', description: 'The client address it applies to; `*` (default) for any' }) host!: string;
}

@InputType('AclFilterInput', { description: 'Which bindings: every field left out matches any value' })
export class AclFilterInput {
  @Field(() => String, { nullable: true, description: 'Exactly this principal' }) principal?: string | null;
  @Field(() => AclResourceType, { nullable: true, description: 'This resource type' }) resourceType?: AclResourceType | null;
  @Field(() => String, { nullable: true, description: 'Exactly this resource name or prefix' }) resourceName?: string | null;
  @Field(() => AclPatternType, { nullable: true, description: 'This pattern type' }) patternType?: AclPatternType | null;
  @Field(() => AclOperation, { nullable: true, description: 'This operation' }) operation?: AclOperation | null;
  @Field(() => AclPermission, { nullable: true, description: 'This permission' }) permission?: AclPermission | null;
}
