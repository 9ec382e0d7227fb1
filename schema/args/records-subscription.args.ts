import { ArgsType, Field, Int } from 'type-graphql';
import { GroupMemberArgs } from './group-member.args';
import { DateTimeScalar, SafeIntScalar } from '../scalars/index';
import { Isolation, StartFrom } from '../types/enums';

@ArgsType()
export class RecordsSubscriptionArgs extends GroupMemberArgs {
  @Field(() => String, { description: 'The topic to read' }) topic!: string;
  @Field(() => [Int], { nullable: true, description: 'Partitions to read; default all (and any added later)' })
  partitions?: number[] | null;
  @Field(() => StartFrom, {
    defaultValue: StartFrom.LATEST,
    description: 'Where to start (default LATEST); for a group member only on partitions the group has no committed offset for',
  })
  from!: StartFrom;
  @Field(() => SafeIntScalar, { nullable: true, description: 'With from: OFFSET' }) offset?: number | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'With from: TIMESTAMP' }) timestamp?: Date | null;
  @Field(() => String, { nullable: true, description: 'Join this consumer group: receive only assigned partitions' })
  group?: string | null;
  @Field(() => Isolation, { defaultValue: Isolation.READ_UNCOMMITTED, description: 'How far to read (default READ_UNCOMMITTED)' })
  isolation!: Isolation;
  @Field(() => Int, { defaultValue: 500, description: 'Most records per pushed batch; default 500, at most 10,000' }) maxBatch!: number;
}
