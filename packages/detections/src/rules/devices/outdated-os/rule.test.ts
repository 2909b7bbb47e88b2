import { describeRule } from '../../../testing/describe-rule.ts';
import { outdatedOs } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(outdatedOs, scenarios);
