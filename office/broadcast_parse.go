package office

import (
	"slices"
	"strings"

	"firebot/campaign"
)

// broadcastArgs is what 广播 was given.
type broadcastArgs struct {
	scope   scope
	names   string // the scope names read, joined by 、 ("" = 全部)
	all     bool
	ack     bool
	content string
	// unknown is a word before the content that looks like a scope but
	// names nothing (东片板块); closest are the valid scopes nearest to it.
	unknown string
	closest []string
}

var (
	mentionAllWords = []string{"@所有人", "＠所有人", "@all", "@全体成员", "＠全体成员"}
	ackWords        = []string{"回执", "需回执", "要回执", "需要回执"}
)

// parseBroadcast reads 广播's arguments: scope words (全部, a kind, a
// category, a sector or a unit, whole names joined by 、，, 和 or spaces)
// and the flags @所有人 and 回执, in any order; the content starts at the
// first word that is none of these and is kept as written. A word there
// that looks like a scope but names nothing is not content: it is
// reported as unknown.
func parseBroadcast(args string, roster campaign.Roster) broadcastArgs {
	var a broadcastArgs
	names := scopeNames(roster)
	var found []scopeName
	rest := strings.TrimSpace(args)
	for {
		w, after := cutWord(rest)
		if w == "" {
			break
		}
		switch {
		case !a.all && slices.Contains(mentionAllWords, w):
			a.all = true
		case !a.ack && slices.Contains(ackWords, w):
			a.ack = true
		default:
			f, bad, ok := scopeWord(w, names)
			if ok {
				found = append(found, f...)
				break
			}
			if bad := unknownScope(w, bad, names); bad != "" {
				a.unknown, a.closest = bad, closestScopes(bad, names)
			}
			a.content = strings.TrimSpace(rest)
			a.scope, a.names = resolveScope(found, roster), scopeLabels(found)
			return a
		}
		rest = after
	}
	a.scope, a.names = resolveScope(found, roster), scopeLabels(found)
	return a
}

// scopeLabels joins the labels of the scope names read (全部 for none).
func scopeLabels(found []scopeName) string {
	var ls []string
	for _, n := range found {
		if !slices.Contains(ls, n.label) {
			ls = append(ls, n.label)
		}
	}
	return strings.Join(ls, "、")
}

// parseScopeNames resolves the scope names a preview kept ("" = 全部).
func parseScopeNames(s string, roster campaign.Roster) (scope, bool) {
	if s == "" {
		return resolveScope(nil, roster), true
	}
	found, _, ok := scopeWord(s, scopeNames(roster))
	if !ok {
		return scope{}, false
	}
	return resolveScope(found, roster), true
}

// cutWord splits off the first whitespace-separated word.
func cutWord(s string) (string, string) {
	s = strings.TrimLeft(s, " \t\r\n\u3000")
	i := strings.IndexAny(s, " \t\r\n\u3000")
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimLeft(s[i:], " \t\r\n\u3000")
}
