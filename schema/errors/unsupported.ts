import { CodedError } from '../../storage/index';

/** A contract feature this build does not offer yet (Kafka's UNSUPPORTED_VERSION). */
export class UnsupportedFeatureError extends CodedError {
  readonly code = 'UNSUPPORTED_VERSION';
  constructor(feature: string) {
    super(`${feature} are not supported by this version of Logway`, { feature });
  }
}
