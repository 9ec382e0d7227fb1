import { Field, InputType, Int } from 'type-graphql';
import { ConfigEntryInput } from './config-entry.input';

@InputType('CreateTopicInput', { description: 'A topic to create' })
export class CreateTopicInput {
  @Field(() => String, {
    description: 'The topic name: 1 to 249 of a-z A-Z 0-9 . _ -, not starting with __ (reserved for internal topics)',
  })
  name!: string;
  @Field(() => Int, { defaultValue: 1, description: 'How many partitions, 1 to 10,000 (default 1)' }) partitions!: number;
  @Field(() => Int, { defaultValue: 1, description: 'Replicas per partition, at most the live node count (default 1)' })
  replicationFactor!: number;
  @Field(() => [ConfigEntryInput], { nullable: true, description: 'Settings that override the defaults (e.g. retention.ms); default none' })
  configs?: ConfigEntryInput[] | null;
}
