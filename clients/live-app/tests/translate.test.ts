// The value translation between the live app and the database, without a stack.
import { describe, expect, it } from 'vitest';
import {
  appStatuses,
  dbStatuses,
  InvalidDateError,
  monthToApp,
  monthToDb,
  proficiencyToApp,
  proficiencyToDb,
  statusToApp,
  statusToDb,
} from '../src/index.ts';

describe('statuses', () => {
  it('map all eight both ways', () => {
    expect(dbStatuses.map(statusToApp)).toEqual([...appStatuses]);
    expect(appStatuses.map(statusToDb)).toEqual([...dbStatuses]);
    expect(appStatuses).toEqual(['Bookmarked', 'Applying', 'Applied', 'Interviewing', 'Negotiating', 'Accepted', 'Rejected', 'Withdrawn']);
  });
  it('accept any case and spaces; leave the unknown to the database', () => {
    expect(statusToDb(' APPLIED ')).toBe('applied');
    expect(statusToApp('INTERVIEWING')).toBe('Interviewing');
    expect(statusToDb('interview')).toBe('interview');
    expect(statusToDb(undefined)).toBeUndefined();
  });
});

describe('proficiencies', () => {
  it('Title Case for the app, lowercase for the database, null kept', () => {
    for (const label of ['Beginner', 'Intermediate', 'Advanced', 'Expert', 'Native']) {
      expect(proficiencyToApp(proficiencyToDb(label))).toBe(label);
    }
    expect(proficiencyToDb('Expert')).toBe('expert');
    expect(proficiencyToApp(null)).toBeNull();
    expect(proficiencyToDb('')).toBeNull();
    expect(proficiencyToDb(undefined)).toBeUndefined();
  });
});

describe('months', () => {
  it('the app’s YYYY-MM becomes the first of the month, and back', () => {
    expect(monthToDb('2024-03')).toBe('2024-03-01');
    expect(monthToDb('2024-3')).toBe('2024-03-01');
    expect(monthToApp('2024-03-01')).toBe('2024-03');
  });
  it('full dates, ISO timestamps and MM/DD/YYYY are read as the live service read them', () => {
    expect(monthToDb('2024-02-29')).toBe('2024-02-29');
    expect(monthToDb('2024-02-29T10:00:00Z')).toBe('2024-02-29');
    expect(monthToDb('02/15/2023')).toBe('2023-02-15');
  });
  it('a cleared picker is null; a date that names no day throws instead of storing null', () => {
    expect(monthToDb('')).toBeNull();
    expect(monthToDb('mm/dd/yyyy')).toBeNull();
    expect(monthToDb(null)).toBeNull();
    for (const bad of ['2024-13', '2023-02-29', 'spring 2020', '2024', '31/12/2020']) {
      expect(() => monthToDb(bad), bad).toThrow(InvalidDateError);
    }
  });
});
