package broadcast

import (
	"strings"

	"firebot/campaign"
	"firebot/handlers/textparse"
	"firebot/office"
)

// broadcastArgs is what 广播 was given.
type broadcastArgs struct {
	scope   office.Scope
	names   string // the scope names read, joined by 、 ("" = 全部)
	all     bool
	ack     bool
	content string
	// unknown is a word before the content that looks like a scope but
	// names nothing (东片板块); closest are the valid scopes nearest to it.
	unknown string
	closest []string
}

// parseBroadcast reads 广播's arguments: scope words (全部, a kind, a
// category, a sector or a unit, whole names joined by 、，, 和 or spaces)
// and the flags @所有人 and 回执, in any order; the content starts at the
// first word that is none of these and is kept as written. A word there
// that looks like a scope but names nothing is not content: it is
// reported as unknown.
func parseBroadcast(args string, roster campaign.Roster) broadcastArgs {
	var a broadcastArgs
	names := office.ScopeNames(roster)
	var found []office.ScopeName
	rest := strings.TrimSpace(args)
	for {
		w, after := textparse.CutWord(rest)
		if w == "" {
			break
		}
		switch {
		case !a.all && textparse.MentionsAll(w):
			a.all = true
		case !a.ack && textparse.AsksReceipt(w):
			a.ack = true
		default:
			f, bad, ok := office.ScopeWord(w, names)
			if ok {
				found = append(found, f...)
				break
			}
			if bad := office.UnknownScope(w, bad, names); bad != "" {
				a.unknown, a.closest = bad, office.ClosestScopes(bad, names)
			}
			a.content = strings.TrimSpace(rest)
			a.scope, a.names = office.ResolveScope(found, roster), office.ScopeLabels(found)
			return a
		}
		rest = after
	}
	a.scope, a.names = office.ResolveScope(found, roster), office.ScopeLabels(found)
	return a
}
