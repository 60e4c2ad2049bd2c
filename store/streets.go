package store

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Streets as tenants: one deployment serves many streets, and each street's
// data lives in a store of its own that shares the deployment's backend (one
// bbolt file, or one Redis client). A backend that can do so implements
// Streets; street "" is the store's own, single-street layout, so a
// deployment of one street needs no migration.

// MaxStreetLen is the longest street id, in bytes.
const MaxStreetLen = 64

// ValidStreet reports whether id may name a street: 1 to MaxStreetLen bytes
// of letters, digits, '-' and '_' (so it never holds the separators the
// backends build names with: ':', '/', '~', '{' and '}'). The empty id is
// the single-street layout and is not a street id.
func ValidStreet(id string) bool {
	if id == "" || len(id) > MaxStreetLen || !utf8.ValidString(id) {
		return false
	}
	for _, r := range id {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' {
			return false
		}
	}
	return true
}

// Streets is implemented by a backend that keeps many streets' data apart
// in one place (embedded: one file; redisstore: one client, one hash tag
// per street).
type Streets interface {
	// Street returns the store of street id, sharing the backend with the
	// receiver: its Close stops that store only, and closing the receiver
	// stops it too. Street "" is the receiver's own layout. Street panics
	// when id is neither "" nor a ValidStreet id: street ids come from
	// checked configuration.
	Street(id string) Store
}

// ForStreet returns street id's store on s, or an error when s's backend
// does not keep streets apart.
func ForStreet(s Store, id string) (Store, error) {
	st, ok := s.(Streets)
	if !ok {
		return nil, fmt.Errorf("store: %T keeps no streets apart", s)
	}
	if id != "" && !ValidStreet(id) {
		return nil, fmt.Errorf("store: street id %q: %w", id, ErrInvalid)
	}
	return st.Street(id), nil
}

// MustStreet panics unless id is "" or a ValidStreet id; backends call it
// first in Street.
func MustStreet(id string) {
	if id != "" && !ValidStreet(id) {
		panic(fmt.Sprintf("store: invalid street id %q (letters, digits, '-' and '_', at most %d bytes)", id, MaxStreetLen))
	}
}

// ErrStreetNotEmpty: a street's data was to be imported into a street that
// already holds data.
var ErrStreetNotEmpty = errors.New("store: the street already holds data")

// ImportStats counts what a backend's ImportStreet copied: durable entries,
// live expiring entries and counters (record ids, audit and outbox
// sequences).
type ImportStats struct {
	Durable, Expiring, Counters int
}
