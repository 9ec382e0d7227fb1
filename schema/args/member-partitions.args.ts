import { ArgsType, Field, Int } from 'type-graphql';

/** Some partitions of one topic held by one group member (pauseConsumer / resumeConsumer). */
@ArgsType()
export class MemberPartitionsArgs {
  @Field(() => String) group!: string;
  @Field(() => String) memberId!: string;
  @Field(() => String) topic!: string;
  @Field(() => [Int]) partitions!: number[];
}
