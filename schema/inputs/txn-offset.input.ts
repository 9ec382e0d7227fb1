import { Field, InputType, Int } from 'type-graphql';
import { SafeIntScalar } from '../scalars/index';

@InputType('TxnOffsetInput', { description: 'A group offset committed atomically with a transaction (commitTransaction(offsets:))' })
export class TxnOffsetInput {
  @Field(() => String, { description: 'The consumer group' }) group!: string;
  @Field(() => String, { description: 'The topic name' }) topic!: string;
  @Field(() => Int, { description: 'The partition number' }) partition!: number;
  @Field(() => SafeIntScalar, { description: 'The next offset to read (Kafka convention)' }) offset!: number;
  @Field(() => String, { nullable: true, description: 'Free text stored with the offset (at most 4,096 UTF-8 bytes); default none' })
  metadata?: string | null;
}
