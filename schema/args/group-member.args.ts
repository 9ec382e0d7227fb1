import { ArgsType, Field, Int } from 'type-graphql';

/** How a subscription or pull consumer joins a group (all optional). */
@ArgsType()
export class GroupMemberArgs {
  @Field(() => String, { nullable: true, description: 'Static membership: the same id on reconnect keeps the assignment' })
  groupInstanceId?: string | null;
  @Field(() => Int, { nullable: true, description: 'Default 45,000; allowed 6,000 to 1,800,000' }) sessionTimeoutMs?: number | null;
  @Field(() => String, { nullable: true, description: 'range, roundrobin or cooperative-sticky (default)' }) assignor?: string | null;
  @Field(() => Boolean, { defaultValue: false, description: 'Commit delivered offsets automatically' }) autoCommit!: boolean;
  @Field(() => String, { nullable: true }) clientId?: string | null;
}
