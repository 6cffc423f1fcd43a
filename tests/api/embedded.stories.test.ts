import { describeStoriesApi } from './stories.suite.ts';

describeStoriesApi('the embedded store');
