package redisstore

import (
	"strings"

	"firebot/store"
)

// StreetPrefix is the key prefix of street's keys for the configured key
// prefix keyPrefix ("" → DefaultPrefix): "{<name>:<street>}:", where name is
// keyPrefix without its trailing ':' and without braces. Each street so has
// a hash tag, and so a Cluster slot, of its own, while all of one street's
// keys stay in one slot for its transactions.
//
// A keyPrefix of today's form "{name}:" (the default "{firebot}:") gives
// "{name:<street>}:" as is. A keyPrefix with braces anywhere else (for
// example "app:{firebot}:") cannot keep them, since one key has only one
// hash tag: they are dropped and droppedBraces is true, for the caller to
// log a warning (it is not an error).
//
// Street "" is the single-street layout: the prefix is keyPrefix itself
// (today's layout, so a single-street deployment needs no migration).
// StreetPrefix panics on a street id that store.ValidStreet refuses.
func StreetPrefix(keyPrefix, street string) (prefix string, droppedBraces bool) {
	store.MustStreet(street)
	if keyPrefix == "" {
		keyPrefix = DefaultPrefix
	}
	if street == "" {
		return keyPrefix, false
	}
	name := strings.TrimSuffix(keyPrefix, ":")
	if inner, ok := wholeTag(name); ok {
		name = inner
	} else if strings.ContainsAny(name, "{}") {
		name = strings.NewReplacer("{", "", "}", "").Replace(name)
		droppedBraces = true
	}
	return "{" + name + ":" + street + "}:", droppedBraces
}

// wholeTag returns X when s is "{X}" with a non-empty X free of braces.
func wholeTag(s string) (string, bool) {
	if len(s) < 3 || s[0] != '{' || s[len(s)-1] != '}' {
		return "", false
	}
	inner := s[1 : len(s)-1]
	return inner, !strings.ContainsAny(inner, "{}")
}

// Street returns street id's store: the same client and options, its keys
// under StreetPrefix(the prefix given to New, id). Street "" is a store
// with the receiver's layout. Closing a street's store stops it only (the
// client is the caller's, see Close); closing the store New returned stops
// its streets' stores too. The first street whose prefix drops braces logs
// a warning. Called on a street's store, Street gives a sibling street.
// It panics on an id that store.ValidStreet refuses.
func (s *Store) Street(id string) store.Store {
	root := s
	if s.root != nil {
		root = s.root
	}
	prefix, dropped := StreetPrefix(root.prefix, id)
	if dropped {
		root.warnBraces.Do(func() {
			root.log.Warn("key prefix braces dropped in street prefixes: a street's keys need a hash tag of their own",
				"key_prefix", root.prefix, "example", prefix)
		})
	}
	return &Store{
		client:      root.client,
		prefix:      prefix,
		txKey:       prefix + "~tx",
		cluster:     root.cluster,
		real:        root.real,
		maxAttempts: root.maxAttempts,
		log:         root.log.With("street", id),
		root:        root,
	}
}

var _ store.Streets = (*Store)(nil)

// isClosed reports whether s, or the store it is a street of, was closed.
func (s *Store) isClosed() bool {
	return s.closed.Load() || (s.root != nil && s.root.closed.Load())
}

// GlobEscape escapes the characters that SCAN MATCH patterns give a meaning
// (*, ?, [, ] and \), so that GlobEscape(prefix)+"*" matches exactly the
// keys starting with prefix.
func GlobEscape(s string) string {
	if !strings.ContainsAny(s, `*?[]\`) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
