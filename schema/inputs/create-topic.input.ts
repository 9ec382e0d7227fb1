import { Field, InputType, Int } from 'type-graphql';
import { ConfigEntryInput } from './config-entry.input';

@InputType('CreateTopicInput')
export class CreateTopicInput {
  @Field(() => String) name!: string;
  @Field(() => Int, { defaultValue: 1 }) partitions!: number;
  @Field(() => Int, { defaultValue: 1 }) replicationFactor!: number;
  @Field(() => [ConfigEntryInput], { nullable: true }) configs?: ConfigEntryInput[] | null;
}
