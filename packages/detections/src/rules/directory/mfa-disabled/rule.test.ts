import { describeRule } from '../../../testing/describe-rule.ts';
import { mfaDisabled } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(mfaDisabled, scenarios);
