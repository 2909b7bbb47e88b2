import { describeRule } from '../../../testing/describe-rule.ts';
import { commitmentEnding } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(commitmentEnding, scenarios);
