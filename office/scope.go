package office

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"firebot/campaign"
	"firebot/handlers/textparse"
)

// Scope words of 广播 besides kinds, sector names, categories and unit
// names.
const (
	scopeAll           = "全部"
	scopeCommunities   = "社区"
	scopeOrganisations = "社会单位"
	scopeSectors       = "板块"
)

// Scope is what a broadcast (or a 催报) addresses: the reporting units (communities
// and organisations; sectors are never counted as units) and the sectors
// named or implied, whose officers receive what is sent to their sector.
type Scope struct {
	Label   string // as shown: 全部, 北片板块, 学校、医疗机构, 学田湾社区、牛角沱社区
	Units   []campaign.Unit
	Sectors []campaign.Unit
}

// ScopeName is one name a scope can be written as.
type ScopeName struct {
	name  string
	label string // the canonical label (全部 for 所有)
	pick  func(u campaign.Unit) bool
}

// ScopeNames lists every name the roster gives a scope: 全部 and its
// synonyms, the kinds, the categories, each sector's and each unit's name
// and id. Longest first, so whole names win over their prefixes.
func ScopeNames(roster campaign.Roster) []ScopeName {
	any := func(campaign.Unit) bool { return true }
	kind := func(k campaign.Kind) func(campaign.Unit) bool {
		return func(u campaign.Unit) bool { return u.Kind == k }
	}
	var out []ScopeName
	for _, w := range []string{scopeAll, "所有", "全体", "各单位", "所有单位", "全体单位"} {
		out = append(out, ScopeName{w, scopeAll, any})
	}
	for _, w := range []string{scopeCommunities, "各社区", "所有社区"} {
		out = append(out, ScopeName{w, scopeCommunities, kind(campaign.KindCommunity)})
	}
	for _, w := range []string{scopeOrganisations, "各社会单位", "所有社会单位"} {
		out = append(out, ScopeName{w, scopeOrganisations, kind(campaign.KindOrganisation)})
	}
	for _, w := range []string{scopeSectors, "各板块"} {
		out = append(out, ScopeName{w, scopeSectors, kind(campaign.KindSector)})
	}
	for _, cat := range campaign.Categories() {
		out = append(out, ScopeName{string(cat), string(cat), func(u campaign.Unit) bool {
			return u.Kind == campaign.KindOrganisation && u.Category == cat
		}})
	}
	for _, u := range roster {
		id, name := u.ID, u.Name
		pick := func(x campaign.Unit) bool { return x.ID == id }
		if u.Kind == campaign.KindSector {
			pick = func(x campaign.Unit) bool { return x.ID == id || x.Sector == id }
		}
		out = append(out, ScopeName{name, name, pick})
		if id != name {
			out = append(out, ScopeName{id, name, pick})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].name) > len(out[j].name) })
	return out
}

// joiners join scope names inside one word: 学校、医疗机构, 学校和医疗机构.
func isJoiner(r rune) bool { return r == '、' || r == '，' || r == ',' || r == '和' }

// ScopeWord reads one whitespace-separated word as scope names joined by
// 、，, or 和, whole names, longest first. ok is false when the word is not
// entirely scope names; bad is then the first part that names nothing.
func ScopeWord(word string, names []ScopeName) (found []ScopeName, bad string, ok bool) {
	rest := word
	for rest != "" {
		var hit *ScopeName
		for i := range names {
			n := &names[i]
			if !strings.HasPrefix(rest, n.name) {
				continue
			}
			after := rest[len(n.name):]
			if r, _ := utf8.DecodeRuneInString(after); after != "" && !isJoiner(r) {
				continue // not a whole name: 学校请… is content
			}
			hit = n
			break
		}
		if hit == nil {
			end := strings.IndexFunc(rest, isJoiner)
			if end < 0 {
				end = len(rest)
			}
			return found, rest[:end], false
		}
		found = append(found, *hit)
		rest = rest[len(hit.name):]
		if _, size := utf8.DecodeRuneInString(rest); rest != "" {
			rest = rest[size:] // one joiner: 学校和和平社区 keeps 和平社区
		}
	}
	return found, "", len(found) > 0
}

// ResolveScope turns the scope names read into the scope they address.
func ResolveScope(found []ScopeName, roster campaign.Roster) Scope {
	if len(found) == 0 {
		found = []ScopeName{{scopeAll, scopeAll, func(campaign.Unit) bool { return true }}}
	}
	var sc Scope
	var labels []string
	for _, n := range found {
		if !slices.Contains(labels, n.label) {
			labels = append(labels, n.label)
		}
	}
	for _, u := range roster {
		if !slices.ContainsFunc(found, func(n ScopeName) bool { return n.pick(u) }) {
			continue
		}
		if u.Kind == campaign.KindSector {
			sc.Sectors = append(sc.Sectors, u)
		} else {
			sc.Units = append(sc.Units, u)
		}
	}
	if slices.Contains(labels, scopeAll) {
		labels = []string{scopeAll}
	}
	sc.Label = strings.Join(labels, "、")
	return sc
}

// scopeSuffixes are endings that make an unknown word look like a scope.
var scopeSuffixes = []string{"板块", "社区", "街道", "单位"}

// looksLikeScope reports a word that names nothing but reads as a scope:
// it ends like one (板块, 社区, 街道, 单位, a category) or is within two
// edits of a scope name. Long words and requests (请…) are content.
func looksLikeScope(word string, names []ScopeName) bool {
	n := utf8.RuneCountInString(word)
	if n == 0 || n > 12 || strings.HasPrefix(word, "请") {
		return false
	}
	for _, s := range scopeSuffixes {
		if strings.HasSuffix(word, s) {
			return true
		}
	}
	for _, c := range campaign.Categories() {
		if strings.HasSuffix(word, string(c)) {
			return true
		}
	}
	for _, s := range names {
		if d := textparse.EditDistance(word, s.name); d <= 2 && 2*d < max(n, utf8.RuneCountInString(s.name)) {
			return true
		}
	}
	return false
}

// UnknownScope returns the part of word that names nothing when word reads
// as scope: a list (joined by 、，,) with a part that names or looks like
// a scope, or a single word that looks like one. bad is the part
// ScopeWord stopped at. "" means word is content.
func UnknownScope(word, bad string, names []ScopeName) string {
	parts := strings.FieldsFunc(word, func(r rune) bool { return r == '、' || r == '，' || r == ',' })
	if len(parts) > 1 {
		for _, p := range parts {
			if f, _, ok := ScopeWord(p, names); ok && len(f) > 0 || looksLikeScope(p, names) {
				return bad
			}
		}
		return ""
	}
	if looksLikeScope(word, names) {
		return word
	}
	return ""
}

// ClosestScopes lists up to three scope labels nearest to word: first
// those sharing its ending, then by edit distance.
func ClosestScopes(word string, names []ScopeName) []string {
	type cand struct {
		label string
		score int
	}
	var cs []cand
	seen := map[string]bool{}
	for _, s := range names {
		if seen[s.label] || s.label == scopeAll && s.name != scopeAll {
			continue
		}
		seen[s.label] = true
		score := textparse.EditDistance(word, s.label) * 2
		if sharedSuffix(word, s.label) >= 2 {
			score -= 3
		}
		cs = append(cs, cand{s.label, score})
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].score < cs[j].score })
	var out []string
	for _, c := range cs[:min(3, len(cs))] {
		out = append(out, c.label)
	}
	return out
}

func sharedSuffix(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	n := 0
	for n < len(ra) && n < len(rb) && ra[len(ra)-1-n] == rb[len(rb)-1-n] {
		n++
	}
	return n
}

// ScopeLabels joins the labels of the scope names read (全部 for none).
func ScopeLabels(found []ScopeName) string {
	var ls []string
	for _, n := range found {
		if !slices.Contains(ls, n.label) {
			ls = append(ls, n.label)
		}
	}
	return strings.Join(ls, "、")
}

// ParseScopeNames resolves the scope names a preview kept ("" = 全部).
func ParseScopeNames(s string, roster campaign.Roster) (Scope, bool) {
	if s == "" {
		return ResolveScope(nil, roster), true
	}
	found, _, ok := ScopeWord(s, ScopeNames(roster))
	if !ok {
		return Scope{}, false
	}
	return ResolveScope(found, roster), true
}

// ScopeHelp says how a broadcast's scope is written.
const ScopeHelp = "范围可写：全部、社区、社会单位、板块名（如 北片板块）、单位类别（如 学校、医疗机构）或单位名，多个用“、”“，”“和”或空格连接；不写范围即发给全部。"
