import { describeHeavyReadLimits } from './heavy-read-limits.suite.ts';

describeHeavyReadLimits('the embedded store');
