import { describeCompareApi } from './compare.suite.ts';

describeCompareApi('the embedded store');
