import { Field, InputType, Int } from 'type-graphql';
import { SafeIntScalar } from '../scalars/index';

@InputType('OffsetCommitInput')
export class OffsetCommitInput {
  @Field(() => String) topic!: string;
  @Field(() => Int) partition!: number;
  @Field(() => SafeIntScalar, { description: 'The next offset to read (Kafka convention)' }) offset!: number;
  @Field(() => String, { nullable: true }) metadata?: string | null;
}
