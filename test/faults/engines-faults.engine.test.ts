import { quickSuite } from './quick-suite.js';
import { ENGINE_SCENARIOS } from './scenarios.js';

quickSuite('engine and clock', ENGINE_SCENARIOS);
