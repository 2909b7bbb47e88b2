import { describeRule } from '../../../testing/describe-rule.ts';
import { anonymousLink } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(anonymousLink, scenarios);
