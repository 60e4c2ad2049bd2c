package redisstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"firebot/clock"
	"firebot/logs"
	"firebot/store"
)

// Errors of this backend, besides the store sentinels.
var (
	// ErrInvalid: an empty or reserved bucket name, or an empty or oversized
	// key. It wraps store.ErrInvalid, so callers match either.
	ErrInvalid = fmt.Errorf("redisstore: %w", store.ErrInvalid)
	// ErrReadOnly: a write through a View. It wraps store.ErrReadOnly.
	ErrReadOnly = fmt.Errorf("redisstore: %w", store.ErrReadOnly)
)

// DefaultPrefix is the key prefix used when New is given "".
const DefaultPrefix = "{firebot}:"

// DefaultMaxAttempts bounds how often Update runs its function when
// concurrent writers keep invalidating its reads.
const DefaultMaxAttempts = 50

// Options configure New.
type Options struct {
	// Real is the real clock that expiring entries are measured on
	// (nil → clock.Real{}).
	Real clock.Clock
	// MaxAttempts bounds the runs of an Update's function on conflicts
	// (0 → DefaultMaxAttempts).
	MaxAttempts int
	// Logger receives operational messages (nil → discarded).
	Logger *slog.Logger
}

// Store is a store.Store on Redis. Safe for concurrent use.
type Store struct {
	client      redis.UniversalClient
	prefix      string
	txKey       string
	cluster     bool // Watch needs a key to route the transaction
	real        clock.Clock
	maxAttempts int
	log         *slog.Logger
	closed      atomic.Bool
	// root is the store New returned, when this is one of its streets
	// (street.go); warnBraces warns once about the street prefixes.
	root       *Store
	warnBraces sync.Once
}

var _ store.Store = (*Store)(nil)

// New returns a Store keeping every key under prefix ("" → DefaultPrefix).
// On Cluster the prefix must contain a hash tag such as "{firebot}".
func New(client redis.UniversalClient, prefix string, opts Options) *Store {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	opts.Real = clock.OrReal(opts.Real)
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = DefaultMaxAttempts
	}
	opts.Logger = logs.For(opts.Logger, "redisstore")
	if !hasHashTag(prefix) {
		opts.Logger.Warn("key prefix has no {hash tag}; transactions fail on Redis Cluster", "prefix", prefix)
	}
	return &Store{
		client:      client,
		prefix:      prefix,
		txKey:       prefix + "~tx",
		cluster:     isCluster(client),
		real:        opts.Real,
		maxAttempts: opts.MaxAttempts,
		log:         opts.Logger,
	}
}

// hasHashTag reports whether Cluster would hash key by a non-empty {tag}.
func hasHashTag(key string) bool {
	open := strings.IndexByte(key, '{')
	if open < 0 {
		return false
	}
	end := strings.IndexByte(key[open+1:], '}')
	return end > 0
}

// Prefix returns the key prefix.
func (s *Store) Prefix() string { return s.prefix }

// Update runs fn as one optimistic transaction; see the package doc.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	taken := map[string][]uint64{} // TakeSeq's values, for every run of fn
	for attempt := 1; ; attempt++ {
		if s.isClosed() {
			return store.ErrClosed
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		var fnErr error
		err := s.client.Watch(ctx, func(rtx *redis.Tx) error {
			t := s.newTx(ctx, rtx, taken)
			defer t.release()
			fnErr = fn(t)
			t.done = true
			switch {
			case t.err != nil:
				// A read failed (fn returned it or ignored it): nothing to
				// validate and nothing to commit on top of it.
				return t.err
			case fnErr != nil:
				// Validate the reads fn based its error on.
				return t.commit(true)
			}
			if fnErr = ctx.Err(); fnErr != nil {
				return fnErr
			}
			return t.commit(false)
		}, s.watchFirst()...)
		switch {
		case errors.Is(err, redis.TxFailedErr):
			if attempt >= s.maxAttempts {
				s.log.Warn("update gave up after conflicts", "attempts", attempt)
				return fmt.Errorf("redisstore: update: %d attempts: %w", attempt, store.ErrConflict)
			}
			if err := backoff(ctx, attempt); err != nil {
				return err
			}
		case fnErr != nil:
			return fnErr
		case err == nil:
			return nil
		default:
			return s.unavailable("update", err)
		}
	}
}

// isCluster reports whether client is a Cluster client.
func isCluster(client redis.UniversalClient) bool {
	_, ok := client.(*redis.ClusterClient)
	return ok
}

// watchFirst is what an Update WATCHes before its function runs: on Cluster
// the ~tx key, which routes the transaction to the prefix's slot; elsewhere
// nothing, as every read WATCHes its own keys in its own round trip.
func (s *Store) watchFirst() []string {
	if s.cluster {
		return []string{s.txKey}
	}
	return nil
}

// backoff sleeps a random duration that grows with the attempt number, so
// that writers contending for one key spread out.
func backoff(ctx context.Context, attempt int) error {
	ceiling := 50 * time.Microsecond << min(attempt, 8) // up to 12.8ms
	timer := time.NewTimer(rand.N(ceiling))
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// View runs fn with read-only access. Each read sees the latest committed
// state; writes fail with ErrReadOnly.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	if s.isClosed() {
		return store.ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	t := s.newTx(ctx, nil, nil)
	err := fn(t)
	t.done = true
	if err == nil && t.err != nil {
		return t.err
	}
	return err
}

// Ping checks that the server answers.
func (s *Store) Ping(ctx context.Context) error {
	if s.isClosed() {
		return store.ErrClosed
	}
	if err := s.client.Ping(ctx).Err(); err != nil {
		return s.unavailable("ping", err)
	}
	return nil
}

// Close stops the Store (and, on the store New returned, its streets'
// stores): later calls return store.ErrClosed. It does not close the
// client, which belongs to the caller. Closing twice is harmless.
func (s *Store) Close() error {
	s.closed.Store(true)
	return nil
}

func (s *Store) unavailable(op string, err error) error {
	return fmt.Errorf("redisstore: %s: %w: %w", op, store.ErrUnavailable, err)
}

// Key layout; see the package doc. Bucket names contain no ':', so the
// bucket part of a key is unambiguous.
func (s *Store) durableKey(bucket, key string) string  { return s.prefix + "d:" + bucket + ":" + key }
func (s *Store) expiringKey(bucket, key string) string { return s.prefix + "t:" + bucket + ":" + key }
func (s *Store) indexKey(bucket string) string         { return s.prefix + "z:" + bucket }
func (s *Store) seqKey(name string) string             { return s.prefix + "seq:" + name }
