package outbox

import (
	"strconv"
	"strings"

	"firebot/bot"
)

// Outbox keys. An entry's source names what caused it ("broadcast:GB-0001",
// "reminder:<plan>:<time>"); its idempotency key is the source followed by
// what tells that source's pushes apart (a chat, a user, a round). Both are
// parts joined by ':'. Stored entries and claims depend on these bytes:
// never change the format, and build keys only with these functions.

// keySep joins the parts of a source or an idempotency key.
const keySep = ":"

// Key joins a source (or a key) and the parts that tell its pushes apart:
// Key("broadcast", "GB-0001", "chat1") is "broadcast:GB-0001:chat1".
func Key(source string, parts ...string) string {
	if len(parts) == 0 {
		return source
	}
	return source + keySep + strings.Join(parts, keySep)
}

// PartKey is the key of part n (from 1) of a push split into several
// entries: "<key>/<n>".
func PartKey(key string, n int) string { return key + "/" + strconv.Itoa(n) }

// ReplyKey is the idempotency key of a pushed answer to m: it derives from
// the message's dedupe key, so a message processed twice never pushes twice.
func ReplyKey(m *bot.Message) string { return Key("reply", string(m.Channel), m.DedupeKey) }

// ReplySource is the source of the pushed answers into chat m.ChatID.
func ReplySource(m *bot.Message) string { return Key("reply", m.ChatID) }
