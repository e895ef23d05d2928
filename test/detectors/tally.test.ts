/** Counting detected items and distinct values per record, engagement and run. */
import { expect, test } from 'vitest';
import { DetectTally } from '../../src/detect/tally.js';

test('items and distinct values per record, per engagement and for the run', () => {
  const tally = new DetectTally();
  tally.add('ENG-1', 'ENG-1/a.log', 'EMAIL_ADDRESS', 'k1');
  tally.add('ENG-1', 'ENG-1/a.log', 'EMAIL_ADDRESS', 'k1');
  tally.add('ENG-1', 'ENG-1/a.log', 'EMAIL_ADDRESS', 'k2');
  tally.add('ENG-1', 'ENG-1/b.log', 'EMAIL_ADDRESS', 'k2');
  tally.add('ENG-1', 'ENG-1/b.log', 'PHONE_NUMBER', 'p1');
  tally.add('ENG-2', 'ENG-2/c.log', 'EMAIL_ADDRESS', 'k1');
  expect(tally.takeRecord('ENG-1/a.log')).toEqual({ EMAIL_ADDRESS: { count: 3, distinct: 2 } });
  expect(tally.takeRecord('ENG-1/a.log')).toEqual({});
  expect(tally.engagement('ENG-1')).toEqual({ EMAIL_ADDRESS: { count: 4, distinct: 2 }, PHONE_NUMBER: { count: 1, distinct: 1 } });
  expect(tally.total()).toEqual({ EMAIL_ADDRESS: { count: 5, distinct: 2 }, PHONE_NUMBER: { count: 1, distinct: 1 } });
});
