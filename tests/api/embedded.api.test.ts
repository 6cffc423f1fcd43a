import { describeApiCore } from './api-core.suite.ts';

describeApiCore('the embedded store');
