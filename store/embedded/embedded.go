package embedded

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"firebot/clock"
	"firebot/logs"
	"firebot/store"
)

// Errors of this backend, besides the store sentinels.
var (
	// ErrLocked: another process (or another Open) holds the data file.
	ErrLocked = errors.New("embedded: data file locked by another process")
	// ErrInvalid: an empty or reserved bucket name, or an empty or oversized
	// key. It wraps store.ErrInvalid, so callers match either.
	ErrInvalid = fmt.Errorf("embedded: %w", store.ErrInvalid)
	// ErrReadOnly: a write through a View. It wraps store.ErrReadOnly.
	ErrReadOnly = fmt.Errorf("embedded: %w", store.ErrReadOnly)
)

// Defaults for Options.
const (
	// DefaultOpenTimeout is how long Open waits for the file lock.
	DefaultOpenTimeout = 2 * time.Second
)

// Options configure Open.
type Options struct {
	// Real is the real clock that expiring entries are measured on
	// (nil → clock.Real{}).
	Real clock.Clock
	// OpenTimeout bounds the wait for the file lock (0 → DefaultOpenTimeout).
	OpenTimeout time.Duration
	// Logger receives operational messages (nil → discarded).
	Logger *slog.Logger
}

// Store is a store.Store on one bbolt file. Safe for concurrent use.
type Store struct {
	db     *bolt.DB
	path   string
	real   clock.Clock
	log    *slog.Logger
	closed atomic.Bool
	// commits group-commits Updates.
	commits *committer
	// idx finds expiring entries by key (ttl.go).
	idx *expIndex
}

var _ store.Store = (*Store)(nil)

// lockedError names the data file another process holds; it unwraps to
// ErrLocked (the command line says what to do about it).
type lockedError struct{ path string }

func (e *lockedError) Error() string {
	return fmt.Sprintf("embedded: data file %s is locked by another process (a running service, or one that did not exit cleanly)", e.path)
}

func (e *lockedError) Unwrap() error { return ErrLocked }

// Open opens (creating if needed) the data file at path, creating missing
// parent directories with mode 0700. It fails with an error wrapping
// ErrLocked when the file stays locked for opts.OpenTimeout.
func Open(path string, opts Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("embedded: open: empty path")
	}
	opts.Real = clock.OrReal(opts.Real)
	if opts.OpenTimeout <= 0 {
		opts.OpenTimeout = DefaultOpenTimeout
	}
	opts.Logger = logs.For(opts.Logger, "embedded")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("embedded: create directory for %s: %w: %w", path, store.ErrUnavailable, err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:      opts.OpenTimeout,
		NoSync:       false,
		FreelistType: bolt.FreelistMapType,
		// The freelist is rebuilt on open instead of written by every commit:
		// commit cost then stays flat as the database grows.
		NoFreelistSync: true,
	})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, &lockedError{path: path}
	}
	if err != nil {
		return nil, fmt.Errorf("embedded: open %s: %w: %w", path, store.ErrUnavailable, err)
	}
	idx, moved, err := loadExpIndex(db, opts.Real.Now().UnixNano())
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("embedded: open %s: %w: %w", path, store.ErrUnavailable, err)
	}
	if moved > 0 {
		opts.Logger.Info("expiring entries moved to the expiry-ordered layout", "path", path, "count", moved)
	}
	s := &Store{db: db, path: path, real: opts.Real, log: opts.Logger, idx: idx}
	s.commits = &committer{db: db, real: opts.Real, idx: idx}
	opts.Logger.Debug("store opened", "path", path)
	return s, nil
}

// Syncing reports whether commits are synced to disk (bbolt's NoSync is off).
func (s *Store) Syncing() bool { return !s.db.NoSync }

// Path returns the data file's path.
func (s *Store) Path() string { return s.path }

// Update runs fn in one read-write transaction, group-committed with other
// concurrent Updates (see committer). fn may run more than once. It returns
// when the transaction holding fn's writes is on disk, or with fn's error
// and nothing of fn written.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) error {
	return s.update(ctx, "", fn)
}

// update is Update in namespace ns.
func (s *Store) update(ctx context.Context, ns string, fn func(store.Tx) error) error {
	if err := s.begin(ctx); err != nil {
		return err
	}
	u := &update{ctx: ctx, ns: ns, fn: fn, done: make(chan error, 1)}
	s.commits.submit(u)
	return s.result("update", <-u.done)
}

// View runs fn with a read-only snapshot. Writes through its Tx fail with
// ErrReadOnly.
func (s *Store) View(ctx context.Context, fn func(store.Tx) error) error {
	return s.view(ctx, "", fn)
}

// view is View in namespace ns.
func (s *Store) view(ctx context.Context, ns string, fn func(store.Tx) error) error {
	if err := s.begin(ctx); err != nil {
		return err
	}
	token := s.idx.enter()
	defer s.idx.leave(token)
	err := s.db.View(func(btx *bolt.Tx) error {
		t := &tx{btx: btx, ns: ns, now: s.real.Now(), idx: s.idx, snap: uint64(btx.ID())}
		err := fn(t)
		t.done = true
		if err != nil {
			return &fnError{err}
		}
		return nil
	})
	return s.result("view", err)
}

// Backup writes a consistent copy of the whole data file to w, from one
// read-only snapshot, while writers go on. It returns the bytes written.
// The copy opens with Open like the original.
func (s *Store) Backup(ctx context.Context, w io.Writer) (int64, error) {
	if err := s.begin(ctx); err != nil {
		return 0, err
	}
	var n int64
	err := s.db.View(func(btx *bolt.Tx) error {
		var err error
		n, err = btx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("embedded: backup %s: %w", s.path, err)
	}
	return n, nil
}

// Ping reports whether the file is open and readable.
func (s *Store) Ping(ctx context.Context) error {
	return s.View(ctx, func(store.Tx) error { return nil })
}

// Close waits for running transactions and closes the file. Later calls
// return store.ErrClosed; closing twice is not an error.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("embedded: close %s: %w: %w", s.path, store.ErrUnavailable, err)
	}
	return nil
}

func (s *Store) begin(ctx context.Context) error {
	if s.closed.Load() {
		return store.ErrClosed
	}
	return ctx.Err()
}

// fnError marks an error returned by the caller's function (or a cancelled
// context) so that it is returned unchanged rather than as ErrUnavailable.
type fnError struct{ err error }

func (e *fnError) Error() string { return e.err.Error() }

// result maps what bbolt returned to the store's errors.
func (s *Store) result(op string, err error) error {
	var fe *fnError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fe):
		return fe.err
	case errors.Is(err, bolterrors.ErrDatabaseNotOpen), s.closed.Load():
		return store.ErrClosed
	default:
		return fmt.Errorf("embedded: %s: %w: %w", op, store.ErrUnavailable, err)
	}
}
