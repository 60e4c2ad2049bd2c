package textparse

import (
	"slices"
	"strings"
	"unicode/utf8"

	"firebot/campaign"
)

// Finding the task a report is about, from the configured vocabulary.
// Every occurrence of a task's name or keyword is a match scored by its
// length (the whole name scores more); a match inside a longer match of
// another task does not count (疏散演练 inside 全员应急疏散演练, 宣传 inside
// 宣传栏). A task no word names may still be found by its generic head (the
// last two characters of its keywords: 演练, 培训), weakly. Materials beat
// generic publicity; a revised plan points at the task that records it.

type span struct {
	task       int
	start, end int
	score      int
}

func cleanTerm(s string) string {
	clean := true
	for _, r := range s {
		if needsClean(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		r = foldRune(r)
		if strings.ContainsRune("“”\"'‘’「」", r) {
			continue
		}
		b.WriteRune(r)
	}
	out := b.String()
	if i := strings.Index(out, "（"); i > 0 {
		out = out[:i]
	}
	if i := strings.Index(out, "("); i > 0 {
		out = out[:i]
	}
	return out
}

// Vocabulary is the task vocabulary compiled once for many readings.
type Vocabulary struct {
	tasks []TaskTerms
	terms [][]vocabTerm // per task: name first, then keywords
	heads [][]string    // per task: generic heads (演练, 培训)
}

type vocabTerm struct {
	text  string
	runes int
	score int
}

// NewVocabulary compiles tasks for ReadWith.
func NewVocabulary(tasks []TaskTerms) *Vocabulary {
	v := &Vocabulary{tasks: tasks, terms: make([][]vocabTerm, len(tasks)), heads: make([][]string, len(tasks))}
	for ti, t := range tasks {
		for k, term := range append([]string{t.Name}, t.Keywords...) {
			term = cleanTerm(term)
			if term == "" {
				continue
			}
			n := len([]rune(term))
			score := 10 * n
			if k == 0 {
				score += 5
			}
			v.terms[ti] = append(v.terms[ti], vocabTerm{term, n, score})
			if rs := []rune(term); n >= 3 && !slices.Contains(v.heads[ti], string(rs[n-2:])) {
				v.heads[ti] = append(v.heads[ti], string(rs[n-2:]))
			}
		}
	}
	return v
}

func scoreTasks(low string, v *Vocabulary, r Reading) []TaskScore {
	tasks := v.tasks
	if len(tasks) == 0 {
		return nil
	}
	text := cleanTerm(low)
	for _, c := range colloquial {
		if strings.Contains(text, c.word) && !strings.Contains(text, c.means) {
			text += " " + c.means
		}
	}
	var spans []span
	for ti := range tasks {
		for _, vt := range v.terms[ti] {
			term, n, score := vt.text, vt.runes, vt.score
			for off := 0; ; {
				i := strings.Index(text[off:], term)
				if i < 0 {
					break
				}
				st := utf8.RuneCountInString(text[:off+i])
				spans = append(spans, span{ti, st, st + n, score})
				off += i + len(term)
			}
		}
	}
	best := make([]int, len(tasks))
	for _, s := range spans {
		inside := slices.ContainsFunc(spans, func(o span) bool {
			return o.task != s.task && o.start <= s.start && o.end >= s.end && o.end-o.start > s.end-s.start
		})
		if !inside && s.score > best[s.task] {
			best[s.task] = s.score
		}
	}
	weak := make([]bool, len(tasks))
	for ti := range tasks {
		if best[ti] > 0 {
			continue
		}
		for _, head := range v.heads[ti] {
			if strings.Contains(text, head) && !anyStrongHas(spans, best, text, head) {
				best[ti], weak[ti] = 5, true
				break
			}
		}
	}
	// Materials beat generic publicity: a task whose options list the
	// materials found wins when they are counted or nothing counts people.
	if len(r.Kinds) > 0 && (r.Materials.OK || !r.People.OK) {
		for ti, t := range tasks {
			for _, k := range r.Kinds {
				if slices.Contains(t.Options, k) {
					best[ti] += 1000
					weak[ti] = false
					break
				}
			}
		}
	}
	// A revised plan points at the task with a plan field, if the text
	// fits it at all.
	if r.Plan != "" {
		for ti, t := range tasks {
			if slices.ContainsFunc(t.Fields, func(f string) bool { return strings.Contains(f, "预案") }) {
				best[ti] += 500
				weak[ti] = false
			}
		}
	}
	var out []TaskScore
	for ti, t := range tasks {
		if best[ti] > 0 {
			out = append(out, TaskScore{ID: t.ID, Score: best[ti], Weak: weak[ti]})
		}
	}
	slices.SortStableFunc(out, func(a, b TaskScore) int { return b.Score - a.Score })
	return out
}

// anyStrongHas reports a strong match already covering head (so 培训 in
// 消防安全培训 does not also make every training task a weak candidate).
func anyStrongHas(spans []span, best []int, text, head string) bool {
	rs := []rune(text)
	for _, s := range spans {
		if best[s.task] > 0 && strings.Contains(string(rs[s.start:s.end]), head) {
			return true
		}
	}
	return false
}

func needsClean(r rune) bool {
	switch {
	case r >= 'A' && r <= 'Z', r >= 0xFF01 && r <= 0xFF5E:
		return true
	}
	switch r {
	case '"', '\'', '(', '“', '”', '‘', '’', '「', '」':
		return true
	}
	return false
}

// TermsOf is the vocabulary of configured tasks: each task's id, name and
// keywords, its fields' names and the options of its list fields.
func TermsOf(tasks []campaign.Task) []TaskTerms {
	out := make([]TaskTerms, 0, len(tasks))
	for _, t := range tasks {
		tt := TaskTerms{ID: t.ID, Name: t.Name, Keywords: t.Keywords}
		for _, f := range t.Fields {
			tt.Fields = append(tt.Fields, f.Name)
			tt.Options = append(tt.Options, f.Options...)
		}
		out = append(out, tt)
	}
	return out
}
