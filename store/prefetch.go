package store

// Read names an entry (Get) or a key range (Scan of the keys starting with
// Key, from the beginning) that a unit of work is about to read.
type Read struct {
	Bucket, Key string
	Prefix      bool // a Scan of the keys starting with Key
}

// Prefetcher is implemented by the Tx of a backend where every read costs a
// round trip (Redis): Prefetch fetches the named reads together, and the
// Gets and Scans that follow are answered from what it fetched. It changes
// no result and no isolation guarantee, only the number of round trips.
type Prefetcher interface {
	Prefetch(reads []Read) error
}

// Prefetch announces reads to tx; backends that do not need it ignore it.
// A failure is returned so the caller can stop early, but ignoring it is
// safe: the reads themselves will fail (or succeed) the same way.
func Prefetch(tx Tx, reads ...Read) error {
	if p, ok := tx.(Prefetcher); ok && len(reads) > 0 {
		return p.Prefetch(reads)
	}
	return nil
}

// Prefetches reports whether tx makes use of Prefetch, so that a caller can
// skip building the list of reads when it does not.
func Prefetches(tx Tx) bool {
	_, ok := tx.(Prefetcher)
	return ok
}

// ConversationReads are the reads that answering userID in chatID starts
// with: the user's dialog in the chat and their paused drafts there, the units the chat is bound to and the
// units the user is an officer of.
func ConversationReads(chatID, userID string) []Read {
	return []Read{
		{Bucket: bDialogs, Key: JoinKey(chatID, userID)},
		{Bucket: bDialogs, Key: JoinKey(chatID, userID+PausedDialogs)},
		// The prefixes of UnitsOfChat's and UnitsOfOfficer's scans.
		{Bucket: bBindByChat, Key: KeyPrefix(chatID), Prefix: true},
		{Bucket: bUnitByOfficer, Key: KeyPrefix(userID), Prefix: true},
	}
}

// WebhookKeyRead is the read of LearnWebhookKey and WebhookKey.
func WebhookKeyRead(chatID string) Read { return Read{Bucket: bWebhookKey, Key: chatID} }
