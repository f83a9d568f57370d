import { quickSuite } from './quick-suite.js';
import { DOMAIN_SCENARIOS } from './scenarios.js';

quickSuite('domain', DOMAIN_SCENARIOS);
