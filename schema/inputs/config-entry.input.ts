import { Field, InputType } from 'type-graphql';

@InputType('ConfigEntryInput', { description: "One topic setting to set, under Kafka's name" })
export class ConfigEntryInput {
  @Field(() => String, { description: "The setting's Kafka name, e.g. retention.ms (unknown keys are INVALID_CONFIG)" }) key!: string;
  @Field(() => String, { nullable: true, description: 'null sets the key back to its default' }) value?: string | null;
}
