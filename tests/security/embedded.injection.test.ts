import { describeInjection } from './injection.suite.ts';

describeInjection('the embedded store');
