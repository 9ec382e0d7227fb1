import { Field, ObjectType } from 'type-graphql';

@ObjectType('ConfigEntry', {
  simpleResolvers: true,
  description: "One topic setting, under Kafka's name (retention.ms, cleanup.policy, …)",
})
export class ConfigEntryType {
  @Field(() => String, { description: "The setting's Kafka name, e.g. retention.ms" }) key!: string;
  @Field(() => String, { nullable: true, description: 'Its value as text (the default when isDefault); null when it has none' }) value!:
    string | null;
  @Field(() => Boolean, { description: 'True when the topic does not override the default' }) isDefault!: boolean;
  @Field(() => String, { nullable: true, description: 'What the setting does' }) doc!: string | null;
}
