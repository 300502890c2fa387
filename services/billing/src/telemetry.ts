// Imported first by main.ts: OpenTelemetry must patch modules before they are loaded.
import { startTelemetry } from '@apitopmix/platform/telemetry';

startTelemetry('billing');
