/**
 * The detectors a run uses. The pattern specs are plain regexes; the tagger (compromise) and the
 * phone recognizer are large modules, imported here only when a command asks for detection, so
 * `dsr discover` without `--detect` never loads them.
 */
import type { CountryCode } from 'libphonenumber-js';
import { PATTERN_SPECS } from '../../detectors/pii/specs.js';
import { loadPersonFinder } from '../../detectors/pii/person.js';
import { loadPhoneFinder } from '../../detectors/pii/phone.js';
import type { UnitFinder } from '../../detectors/pii/types.js';
import { Detector } from './engine.js';

export interface DetectOptions {
  /** PERSON from the tagger (default true); the label and greeting rules stay either way. */
  person?: boolean;
  /** PHONE_NUMBER from the recognizer (default true). */
  phone?: boolean;
  /** Regions whose national phone formats count as valid (default: detectors/pii/phone.ts). */
  phoneRegions?: CountryCode[];
}

export async function loadDetector(options: DetectOptions = {}): Promise<Detector> {
  const units: UnitFinder[] = [];
  if (options.person !== false) units.push(await loadPersonFinder());
  if (options.phone !== false) units.push(await loadPhoneFinder(options.phoneRegions));
  return new Detector(PATTERN_SPECS, units);
}
