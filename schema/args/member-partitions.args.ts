import { ArgsType, Field, Int } from 'type-graphql';

/** Some partitions of one topic held by one group member (pauseConsumer / resumeConsumer). */
@ArgsType()
export class MemberPartitionsArgs {
  @Field(() => String, { description: 'The group id' }) group!: string;
  @Field(() => String, { description: 'The member whose partitions these are' }) memberId!: string;
  @Field(() => String, { description: 'The topic name' }) topic!: string;
  @Field(() => [Int], { description: 'Partitions of the topic the member owns' }) partitions!: number[];
}
