package textparse

import (
	"fmt"
	"slices"
	"sort"
)

// Command is a command a Matcher recognises: its canonical Name (the word
// shown to users, e.g. 进度) and any synonyms (查进度, progress). The Name is
// itself a word.
type Command struct {
	Name  string
	Words []string
}

// Matcher recognises command words at the start of a message. Build one with
// NewMatcher; dialog control words (确认, 取消, 返回) are just another
// Matcher. A Matcher is immutable and safe for concurrent use.
type Matcher struct {
	names []string      // command names in declaration order
	words []matcherWord // every word, longest first
}

type matcherWord struct {
	word  []rune // folded
	name  string
	order int // index of the command, for stable suggestions
}

// NewMatcher builds a Matcher. It returns an error wrapping
// ErrBadCommandTable for an empty name, a word that is empty after trimming,
// or a name or word used by two commands; words are compared after folding
// full-width forms and letter case.
func NewMatcher(cmds ...Command) (*Matcher, error) {
	m := &Matcher{}
	owner := map[string]string{}
	for i, c := range cmds {
		name := string(trimRunes([]rune(c.Name), isSpaceOrPunct))
		if name == "" {
			return nil, fmt.Errorf("textparse: new matcher: command %d: empty name: %w", i, ErrBadCommandTable)
		}
		if slices.Contains(m.names, name) {
			return nil, fmt.Errorf("textparse: new matcher: duplicate command %q: %w", name, ErrBadCommandTable)
		}
		m.names = append(m.names, name)
		for _, w := range append([]string{c.Name}, c.Words...) {
			f := trimRunes(fold(w), isSpaceOrPunct)
			if len(f) == 0 {
				return nil, fmt.Errorf("textparse: new matcher: command %q: empty word %q: %w", name, w, ErrBadCommandTable)
			}
			key := string(f)
			if o, ok := owner[key]; ok {
				if o == name {
					continue
				}
				return nil, fmt.Errorf("textparse: new matcher: word %q used by %q and %q: %w", w, o, name, ErrBadCommandTable)
			}
			owner[key] = name
			m.words = append(m.words, matcherWord{word: f, name: name, order: i})
		}
	}
	sort.SliceStable(m.words, func(a, b int) bool { return len(m.words[a].word) > len(m.words[b].word) })
	return m, nil
}

// MustNewMatcher is NewMatcher for static command tables: it panics on a
// bad table, so the mistake shows at start-up.
func MustNewMatcher(cmds ...Command) *Matcher {
	m, err := NewMatcher(cmds...)
	if err != nil {
		panic(err)
	}
	return m
}

// Names returns the command names in the order they were given.
func (m *Matcher) Names() []string { return slices.Clone(m.names) }

// Match recognises the command word at the start of text, after surrounding
// whitespace (also full-width), a leading / or ／ and surrounding
// punctuation (【进度】, 「帮助」, 进度！) are stripped. The longest word
// wins (我的记录 over 我的). A word ending in a Latin letter or digit must
// not run into another one (help matches "help me", not "helpme"). args is
// the rest of the text, trimmed, in the user's original spelling.
func (m *Matcher) Match(text string) (name, args string, ok bool) {
	orig := []rune(text)
	rs := fold(text)
	start, end := trimmedBounds(rs)
	for _, w := range m.words {
		after := start + len(w.word)
		if after > end || !hasPrefixAt(rs[:end], start, string(w.word)) {
			continue
		}
		if last := w.word[len(w.word)-1]; after < end && isWordRune(last) && isWordRune(rs[after]) {
			continue
		}
		a := trimRunes(orig[after:end], isSpaceOrPunct)
		return w.name, string(a), true
	}
	return "", "", false
}

// trimmedBounds returns the span of rs without surrounding whitespace and
// punctuation (which includes a leading / or ／, already folded to /).
func trimmedBounds(rs []rune) (start, end int) {
	start, end = 0, len(rs)
	for start < end && isSpaceOrPunct(rs[start]) {
		start++
	}
	for end > start && isSpaceOrPunct(rs[end-1]) {
		end--
	}
	return start, end
}

func isWordRune(r rune) bool { return isASCIILetter(r) || isASCIIDigit(r) }

// maxSuggestRunes bounds the text Suggest compares, so a long message costs
// no more than a short one.
const maxSuggestRunes = 16

// Suggest returns up to n command names closest to text, best first, for
// answering input no command matched ("进渡" → 进度, "帮住" → 帮助). It
// compares the first word of the text with every command word by edit
// distance on runes, rewarding characters the two share. It never returns
// an empty list when the Matcher has commands; n < 1 counts as 1.
func (m *Matcher) Suggest(text string, n int) []string {
	n = max(n, 1)
	rs := fold(text)
	start, end := trimmedBounds(rs)
	input := rs[start:end]
	for i, r := range input {
		if isSpace(r) {
			input = input[:i]
			break
		}
	}
	if len(input) > maxSuggestRunes {
		input = input[:maxSuggestRunes]
	}
	type scored struct {
		name  string
		score float64
		order int
	}
	best := map[string]scored{}
	for _, w := range m.words {
		s := similarityCost(input, w.word)
		if b, ok := best[w.name]; !ok || s < b.score {
			best[w.name] = scored{name: w.name, score: s, order: w.order}
		}
	}
	all := make([]scored, 0, len(best))
	for _, s := range best {
		all = append(all, s)
	}
	sort.Slice(all, func(a, b int) bool {
		if all[a].score != all[b].score {
			return all[a].score < all[b].score
		}
		return all[a].order < all[b].order
	})
	out := make([]string, 0, min(n, len(all)))
	for _, s := range all[:min(n, len(all))] {
		out = append(out, s.name)
	}
	return out
}

// similarityCost is lower for closer strings: the edit distance minus half
// the number of shared characters. When the input is longer than the word
// (进渡一下), its prefix of the word's length is compared too, with a
// charge of half an edit per extra rune.
func similarityCost(input, word []rune) float64 {
	cost := func(a []rune) float64 {
		return float64(editDistance(a, word)) - 0.5*float64(sharedRunes(a, word))
	}
	c := cost(input)
	if len(input) > len(word) {
		c = min(c, cost(input[:len(word)])+0.5*float64(len(input)-len(word)))
	}
	return c
}

// EditDistance is the Levenshtein distance between a and b, counted in
// characters (runes): how many insertions, deletions and substitutions turn
// one into the other. Suggestions for typos use it (commands here, config
// keys, broadcast scopes).
func EditDistance(a, b string) int { return editDistance([]rune(a), []rune(b)) }

func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			sub := prev[j-1]
			if a[i-1] != b[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// sharedRunes counts the runes a and b have in common, with multiplicity.
func sharedRunes(a, b []rune) int {
	counts := map[rune]int{}
	for _, r := range a {
		counts[r]++
	}
	n := 0
	for _, r := range b {
		if counts[r] > 0 {
			counts[r]--
			n++
		}
	}
	return n
}
