import { quickSuite } from './quick-suite.js';
import { INGEST_SCENARIOS } from './scenarios.js';

quickSuite('ingest', INGEST_SCENARIOS);
