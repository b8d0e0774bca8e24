import { stem, tokenise } from '../text.util';

export interface LexiconEntry {
  /** Opaque owner of the phrase, e.g. a theme code. */
  key: string;
  phrase: string;
  /** Number of words in the phrase. */
  length: number;
  /** Exclusion phrases veto their key instead of supporting it. */
  exclude: boolean;
}

export interface LexiconMatch {
  entry: LexiconEntry;
  /** Token index where the phrase starts. */
  start: number;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  entries: LexiconEntry[];
}

function newNode(): TrieNode {
  return { next: new Map(), entries: [] };
}

/**
 * All lexicon phrases compiled into one trie over stemmed tokens, so a comment is matched in a
 * single left-to-right pass however many themes there are. Stemming both sides makes
 * "appointment" match "appointments" and "wait" match "waited"; matching on tokens makes
 * multi-word phrases indifferent to line breaks, double spaces and punctuation between words.
 */
export class LexiconMatcher {
  private readonly root = newNode();
  private maxDepth = 0;

  add(key: string, phrase: string, exclude = false): void {
    const words = tokenise(phrase).map(stem);
    if (words.length === 0) return;
    let node = this.root;
    for (const w of words) {
      let child = node.next.get(w);
      if (!child) {
        child = newNode();
        node.next.set(w, child);
      }
      node = child;
    }
    if (!node.entries.some((e) => e.key === key && e.exclude === exclude)) {
      node.entries.push({ key, phrase, length: words.length, exclude });
    }
    this.maxDepth = Math.max(this.maxDepth, words.length);
  }

  /** Every phrase occurrence, overlapping ones included ("car park" and "park"). */
  match(stems: readonly string[]): LexiconMatch[] {
    const out: LexiconMatch[] = [];
    for (let i = 0; i < stems.length; i++) {
      let node: TrieNode | undefined = this.root;
      for (let j = i; j < stems.length && j - i < this.maxDepth; j++) {
        node = node.next.get(stems[j]);
        if (!node) break;
        for (const entry of node.entries) out.push({ entry, start: i });
      }
    }
    return out;
  }
}
