package redisstore

import (
	"errors"
	"fmt"
	"strings"

	"github.com/redis/go-redis/v9"
)

// DefaultPoolSize is the connections a client keeps per server when
// ClientOptions.PoolSize is 0. Every Update holds a connection from its first
// read to its EXEC (WATCH is per connection), so the pool bounds how many
// Updates run at once: callbacks in flight, the outbox's workers (64 by
// default) and the scheduler. go-redis's own default (10 per CPU, 20 on two
// cores) made them queue for connections: with 64 concurrent callbacks, 128
// gave ~15% more callbacks/s and ~10% less CPU per callback than 20
// (docs/performance.md).
const DefaultPoolSize = 128

// ClientOptions configure NewClient.
type ClientOptions struct {
	// Addr is one of:
	//
	//   - "host:port": a single server (or, with MasterName, a Sentinel);
	//   - "redis://…" or "rediss://…" (TLS): a single server, with user,
	//     password and database in the URL (Password and DB fill in what the
	//     URL omits);
	//   - "host1:port,host2:port,…": a Cluster seed list, or Sentinel
	//     addresses when MasterName is set.
	Addr       string
	MasterName string
	Password   string
	DB         int
	PoolSize   int // connections per server; 0 → DefaultPoolSize
}

// NewClient builds the client for a configured address (see ClientOptions).
// It does not connect; use Store.Ping. The caller closes the client.
func NewClient(o ClientOptions) (redis.UniversalClient, error) {
	opts := &redis.UniversalOptions{MasterName: o.MasterName, Password: o.Password, DB: o.DB, PoolSize: o.PoolSize}
	if opts.PoolSize <= 0 {
		opts.PoolSize = DefaultPoolSize
	}
	addr := strings.TrimSpace(o.Addr)
	if addr == "" {
		return nil, errors.New("redisstore: no Redis address configured")
	}
	if strings.HasPrefix(addr, "redis://") || strings.HasPrefix(addr, "rediss://") {
		u, err := redis.ParseURL(addr)
		if err != nil {
			// The URL may contain a password: do not echo it.
			return nil, errors.New("redisstore: malformed Redis URL")
		}
		opts.Addrs, opts.Username, opts.TLSConfig = []string{u.Addr}, u.Username, u.TLSConfig
		if u.Password != "" {
			opts.Password = u.Password
		}
		if u.DB != 0 {
			opts.DB = u.DB
		}
		return redis.NewUniversalClient(opts), nil
	}
	for a := range strings.SplitSeq(addr, ",") {
		if a = strings.TrimSpace(a); a != "" {
			opts.Addrs = append(opts.Addrs, a)
		}
	}
	if len(opts.Addrs) == 0 {
		return nil, errors.New("redisstore: no Redis address configured")
	}
	if len(opts.Addrs) > 1 && opts.MasterName == "" && opts.DB != 0 {
		return nil, fmt.Errorf("redisstore: Redis Cluster (several addresses) has database 0 only, not %d", opts.DB)
	}
	return redis.NewUniversalClient(opts), nil
}
