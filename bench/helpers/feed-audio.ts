// The bench drives the bridge with the same pushed "microphone" as the integration tests.
export { FeedAudioLayer } from '../../tests/helpers/bridge-harness';
