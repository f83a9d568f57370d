import { readFileSync } from 'node:fs';
import { daleChall } from 'dale-chall';

/**
 * The word lists the person-name rules use, read once from the files the project ships in
 * data/names/ (resolved from this module, so the same path works from src/ and from dist/).
 */
export interface NameLists {
  readonly first: ReadonlySet<string>;
  readonly last: ReadonlySet<string>;
  /** Capitalised words that are rarely names here: common English, places, brands, tool words. */
  readonly notNames: ReadonlySet<string>;
}

const DIR = new URL('../../../../../data/names/', import.meta.url);

function readList(file: string): string[] {
  return readFileSync(new URL(file, DIR), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .flatMap((line) => line.trim().toLowerCase().split(/\s+/));
}

let lists: NameLists | undefined;

export function nameLists(): NameLists {
  lists ??= {
    first: new Set([...readList('first-names.txt'), ...readList('extra-first-names.txt')]),
    last: new Set([...readList('surnames.txt'), ...readList('extra-surnames.txt')]),
    notNames: new Set([...daleChall, ...readList('not-names.txt')]),
  };
  return lists;
}
