import { Field, Int, ObjectType } from 'type-graphql';
import type { PollResult } from '../../server/broker/index';
import { RecordBatchType } from './record-batch.type';

@ObjectType('PollResult', { simpleResolvers: true, description: "A pull consumer's next batches; pass memberId back on the next poll" })
export class PollResultType {
  constructor(private readonly result: PollResult) {}

  @Field(() => String, { description: 'The member id: pass it as memberId on the next poll, commitOffsets and leaveGroup' })
  get memberId(): string {
    return this.result.memberId;
  }
  @Field(() => Int, { description: 'The group generation the member is in (pass it to commitOffsets)' }) get generation(): number {
    return this.result.generation;
  }
  @Field(() => [Int], { description: 'The partitions of the topic this member owns now' }) get assignment(): number[] {
    return this.result.assignment;
  }
  @Field(() => [RecordBatchType], {
    description: 'Batches of records, one partition each (kind RECORDS); empty when nothing arrived within maxWaitMs',
  })
  get batches(): RecordBatchType[] {
    return this.result.batches.map((b) => new RecordBatchType(b));
  }
  @Field(() => Int, {
    description:
      'How long the answer was held back because the member is over its consumer byte rate quota, in ms (also `extensions.throttleTimeMs`); 0 when not throttled',
  })
  get throttleTimeMs(): number {
    return this.result.throttleTimeMs ?? 0;
  }
}
