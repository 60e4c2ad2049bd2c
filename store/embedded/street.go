package embedded

import (
	"context"
	"sync/atomic"

	"firebot/store"
)

// Streets share the file: street id's buckets are stored as
// "~s/<id>/<bucket>", its expiring entries in "~exp/~s/<id>/<bucket>" and
// its counters in "~s/<id>/~seq". The caller's bucket names are validated
// as always (store.ValidBucket), and since they never start with '~' and a
// street id holds no '/', no street's names meet another's or the file's
// own layout (street ""). Sweep, Backup and the expiry index work on
// stored names, so they cover every street.
const streetPrefix = "~s/"

// streetNS is the namespace of street id's stored names.
func streetNS(id string) string {
	if id == "" {
		return ""
	}
	return streetPrefix + id + "/"
}

// Street returns street id's store in this file. Its units of work are
// group-committed with every other street's; its Close stops it only,
// and closing s stops it too. Street "" is the file's own layout. It
// panics on an id that store.ValidStreet refuses.
func (s *Store) Street(id string) store.Store {
	store.MustStreet(id)
	return &streetStore{s: s, ns: streetNS(id)}
}

var _ store.Streets = (*Store)(nil)

// streetStore is a street's store.Store over the shared file.
type streetStore struct {
	s      *Store
	ns     string
	closed atomic.Bool
}

func (v *streetStore) Update(ctx context.Context, fn func(store.Tx) error) error {
	if v.closed.Load() {
		return store.ErrClosed
	}
	return v.s.update(ctx, v.ns, fn)
}

func (v *streetStore) View(ctx context.Context, fn func(store.Tx) error) error {
	if v.closed.Load() {
		return store.ErrClosed
	}
	return v.s.view(ctx, v.ns, fn)
}

func (v *streetStore) Ping(ctx context.Context) error {
	return v.View(ctx, func(store.Tx) error { return nil })
}

// Close stops this street's store; the file stays open for the others.
func (v *streetStore) Close() error {
	v.closed.Store(true)
	return nil
}

// Street returns a sibling street's store.
func (v *streetStore) Street(id string) store.Store { return v.s.Street(id) }
