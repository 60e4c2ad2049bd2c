package office

import (
	"strings"

	"firebot/outbox"
	"firebot/store"
	"firebot/textsafe"
	"firebot/wecom"
)

// Neutralize makes user-written text inert in a markdown message or an
// application text message (the one rule, textsafe.Neutralize). Broadcasts
// themselves go out as text messages, which WeCom shows as written;
// Neutralize is for every place such text is echoed inside markdown or an
// application message (previews, reports).
func Neutralize(s string) string { return textsafe.Neutralize(s) }

// inert keeps user text from becoming a link in an application text
// message (which renders <a href>) or a passive reply; the replies and
// reports here are text messages, where nothing else has meaning.
var inert = strings.NewReplacer("<", "＜", ">", "＞")

// Safe makes < and > inert in user text pushed as a text message.
func Safe(s string) string { return inert.Replace(s) }

// Preview is a shortened echo of user text in a reply. Replies may be
// rendered as markdown (the intelligent robot answers in markdown), so the
// echo is neutralised.
func Preview(s string, n int) string { return Neutralize(ClipRunes(s, n)) }

// PlainPreview is a shortened echo of user text in a text push.
func PlainPreview(s string, n int) string { return Safe(ClipRunes(s, n)) }

// ItemParts cuts a long message into parts of at most limit bytes that
// end between lines, so no list item (a line: "· 北片板块：…", "1. …") is
// cut in two; only a line longer than limit is cut inside, by
// wecom.SplitText (after 。；，、: between the names of a list).
func ItemParts(s string, limit int) []string {
	if len(s) <= limit {
		return []string{s}
	}
	var parts []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			parts = append(parts, cur.String())
			cur.Reset()
		}
	}
	for _, line := range strings.SplitAfter(s, "\n") {
		if cur.Len()+len(line) <= limit {
			cur.WriteString(line)
			continue
		}
		flush()
		if len(line) <= limit {
			cur.WriteString(line)
			continue
		}
		pieces := wecom.SplitText(line, limit)
		parts = append(parts, pieces[:len(pieces)-1]...)
		cur.WriteString(pieces[len(pieces)-1])
	}
	flush()
	return parts
}

// UserText enqueues an application text message cut between list items
// (keys key/1, key/2… as outbox gives its own parts).
func UserText(tx store.Tx, key, source string, users []string, text string) error {
	parts := ItemParts(text, wecom.MaxAppTextBytes)
	for i, p := range parts {
		k := key
		if len(parts) > 1 {
			k = outbox.PartKey(key, i+1)
		}
		if err := outbox.UserText(tx, k, source, users, p); err != nil {
			return err
		}
	}
	return nil
}

// GroupText enqueues a group text push cut between list items, mentions
// on the first part.
func GroupText(tx store.Tx, key, source, chatID, text string, mentions []string) error {
	parts := ItemParts(text, wecom.MaxWebhookTextBytes)
	for i, p := range parts {
		k, m := key, mentions
		if len(parts) > 1 {
			k = outbox.PartKey(key, i+1)
		}
		if i > 0 {
			m = nil
		}
		if err := outbox.GroupText(tx, k, source, chatID, p, m); err != nil {
			return err
		}
	}
	return nil
}
