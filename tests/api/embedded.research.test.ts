import { describeResearchApi } from './research.suite.ts';

describeResearchApi('the embedded store');
