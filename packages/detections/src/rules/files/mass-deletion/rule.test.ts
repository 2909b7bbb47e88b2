import { describeRule } from '../../../testing/describe-rule.ts';
import { massDeletion } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(massDeletion, scenarios);
