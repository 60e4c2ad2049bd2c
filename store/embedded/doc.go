// Package embedded is the bbolt backend of store.Store: one file on local
// disk, for a single firebot process.
//
// Open takes the file's exclusive lock; a second process (or a second Open in
// the same process) waits OpenTimeout and then fails with ErrLocked, naming
// the file; the command line tells the operator in Chinese to stop the
// running service first.
//
// Every Update is durable when it returns: the database syncs on commit
// (Syncing reports it), and concurrent Updates are group-committed so they
// share one commit: while a transaction is written and synced, the Updates
// that arrive queue, and the next transaction takes them all (commit.go);
// after a shared commit the committer yields to writers on their way while
// they keep arriving, so that under load each pair of fsyncs serves more
// Updates.
// Because a failing function rolls back the batch it ran in, an Update
// function may run more than once; it must only touch the store through its
// Tx.
//
// Layout inside the file:
//
//	<bucket>        durable entries (Put), listed by Scan
//	~exp/<bucket>   expiring entries (PutTTL) under expiry|key, expiry being
//	                8-byte big-endian unix nanoseconds on the real clock,
//	                so they are stored in expiry order (ttl.go)
//	~seq            counters for NextSeq: 8-byte big-endian uint64
//	~s/<street>/…   a street's own buckets, counters (~s/<street>/~seq) and,
//	                as ~exp/~s/<street>/<bucket>, expiring entries
//
// That last line is streets as tenants (store.Streets): Street(id) is a
// store of street id in the same file, whose units of work are
// group-committed with everyone else's; street "" is the layout above.
// ImportStreet copies a single-street file's data into a street.
//
// An in-memory index, built by Open, finds an expiring entry's expiry from
// its key. Open moves entries of the earlier layout (~ttl/<bucket>, expiry
// in front of the value under the bare key) to ~exp/ and logs how many.
//
// Expired entries read as store.ErrNotFound; Get removes them lazily inside
// Update, and Sweep removes all of them from the start of each ~exp/ bucket
// (the service calls it periodically).
//
// Bucket names must be non-empty, must not contain ':' and must not start with
// '~'; keys must be non-empty and at most MaxKeySize (32,760) bytes. The
// Redis backend enforces the same rules, so code that runs on one runs on the
// other.
package embedded
